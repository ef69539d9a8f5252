"""The shape of the code (style.md, issue 13): the core stays channel-blind, the packages under
bot/ follow the flow and are entered only through their `__all__`, and no module grows past
400 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

FORBIDDEN = {"telegram", "slack_bolt", "slack_sdk", "handlers"}
REPO = Path(__file__).resolve().parents[1]
BOT = REPO / "bot"
TESTS = REPO / "tests"
MAX_TOP_MODULES = 8
MAX_LINES = 400


def modules(*roots: Path) -> list[Path]:
    return sorted(
        path
        for root in roots
        for path in root.rglob("*.py")
        if "_data" not in path.parts and "migrations" not in path.parts
    )


def packages() -> list[Path]:
    return sorted(p for p in BOT.iterdir() if p.is_dir() and p.name not in ("_data", "__pycache__"))


def imports_from(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(module, names) of each absolute import in `path`; names empty for `import x.y`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


def package_of(path: Path) -> str | None:
    """The bot package `path` belongs to ("sources"), or None for a module directly in bot/
    or outside it."""
    parts = path.relative_to(REPO).parts
    return parts[1] if parts[0] == "bot" and len(parts) > 2 else None


def public_names(package: Path) -> set[str]:
    """The names in the package's `__all__`."""
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return {ast.literal_eval(element) for element in node.value.elts}  # type: ignore[attr-defined]
    return set()


def test_the_core_imports_no_chat_sdk() -> None:
    offenders = {
        str(path.relative_to(BOT)): sorted(roots)
        for path in modules(BOT)
        if (roots := {module.split(".")[0] for module, _ in imports_from(path)} & FORBIDDEN)
    }
    assert offenders == {}
    assert len(modules(BOT)) > 10  # the walk did see the package


def test_every_package_names_its_api() -> None:
    missing = [p.name for p in packages() if not public_names(p)]
    assert missing == []
    assert {p.name for p in packages()} >= {"sources", "extract", "reconcile", "store"}


@pytest.mark.parametrize("root", [BOT, REPO / "handlers"], ids=["bot", "handlers"])
def test_other_packages_import_only_a_package_api(root: Path) -> None:
    """`from bot.P import name` with name in P's `__all__` from outside P; never
    `from bot.P.module import ...`, `import bot.P.module` or a name P does not publish."""
    api = {p.name: public_names(p) for p in packages()}
    offenders = []
    for path in modules(root):
        here = package_of(path)
        for module, names in imports_from(path):
            parts = module.split(".")
            if parts[0] != "bot" or len(parts) < 2 or parts[1] not in api or parts[1] == here:
                continue
            if len(parts) > 2:
                offenders.append(f"{path.relative_to(REPO)}: {module}")
            offenders += [
                f"{path.relative_to(REPO)}: {module}.{name}"
                for name in names
                if name not in api[parts[1]]
            ]
    assert offenders == []


def test_few_modules_directly_in_bot_and_none_too_long() -> None:
    top = sorted(p.name for p in BOT.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    long = {
        str(path.relative_to(REPO)): lines
        for path in modules(BOT, REPO / "handlers")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_tests_mirror_the_packages() -> None:
    assert sorted(p.name for p in packages() if not (TESTS / p.name).is_dir()) == []
