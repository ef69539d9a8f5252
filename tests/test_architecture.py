"""The core stays channel-blind: bot/ never imports a chat SDK or handlers/ (style.md)."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"telegram", "slack_bolt", "slack_sdk", "handlers"}
BOT = Path(__file__).resolve().parents[1] / "bot"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_imports_no_chat_sdk() -> None:
    offenders = {
        str(path.relative_to(BOT)): sorted(imported_roots(path) & FORBIDDEN)
        for path in BOT.rglob("*.py")
        if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}
    assert len(list(BOT.rglob("*.py"))) > 10  # the walk did see the package
