"""The files a platform reads to build and run Tallywire agree with pyproject.toml, the
Procfile and each other (issue 16: deploy as-is)."""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


PLATFORMS = [
    {"sys_platform": platform, "platform_system": system, "implementation_name": "cpython",
     "python_version": "3.11", "python_full_version": "3.11.0"}
    for platform, system in (("linux", "Linux"), ("win32", "Windows"), ("darwin", "Darwin"))
]  # fmt: skip


def pins() -> dict[str, str]:
    """requirements.txt as name -> pinned version ("." for the project itself)."""
    pinned: dict[str, str] = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line == ".":
            pinned["."] = "."
        elif line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"not pinned: {line}"
            pinned[canonicalize_name(requirement.name)] = spec.version
    return pinned


def needed(requirement: Requirement, seen: set[str]) -> None:
    """Add `requirement` and what it requires, transitively (as installed here), to `seen`:
    what CPython 3.11 needs on any of PLATFORMS (the file is for every platform), and what
    an extra brings only when that extra is asked for."""
    name = canonicalize_name(requirement.name)
    if name in seen:
        return
    seen.add(name)
    try:
        rows = requires(name) or []
    except PackageNotFoundError:  # another platform's dependency: not installed here
        return
    for row in rows:
        sub = Requirement(row)
        if sub.marker is None or any(
            sub.marker.evaluate({**where, "extra": extra})
            for where in PLATFORMS
            for extra in (*requirement.extras, "")
        ):
            needed(sub, seen)


def test_requirements_pin_every_dependency_and_nothing_else() -> None:
    pinned = pins()
    assert pinned.pop(".") == "."  # the platforms install the project itself, pinned around
    direct = [Requirement(row) for row in PROJECT["dependencies"]]
    for requirement in direct:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} of pyproject.toml is not in requirements.txt"
        assert pinned[name] in requirement.specifier, (name, pinned[name])
    everything: set[str] = set()
    for requirement in direct:
        needed(requirement, everything)
    assert set(pinned) <= everything, f"not required by pyproject.toml: {set(pinned) - everything}"
    assert everything <= set(pinned), f"required but not pinned: {everything - set(pinned)}"
    header = (REPO / "requirements.txt").read_text().splitlines()[:2]
    assert "uv pip compile requirements.in" in header[1]  # how to regenerate it


def test_one_python_version_everywhere() -> None:
    pinned = (REPO / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", pinned)
    assert f"{pinned}.0" in SpecifierSet(PROJECT["requires-python"])
    assert f"ARG PYTHON_IMAGE=python:{pinned}-slim" in (REPO / "Dockerfile").read_text()
    tools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]
    assert tools["mypy"]["python_version"] == pinned
    assert tools["ruff"]["target-version"] == "py" + pinned.replace(".", "")


def test_the_image_runs_as_a_user_and_checks_its_health() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", dockerfile, re.MULTILINE)
    assert 'CMD ["tallywire", "run", "--web"]' in dockerfile
    compose = (REPO / "compose.yaml").read_text()
    assert "image: postgres:" in compose and 'command: ["tallywire", "migrate"]' in compose


def test_the_one_click_files_run_the_procfiles_processes() -> None:
    procfile = (REPO / "Procfile").read_text()
    app = json.loads((REPO / "app.json").read_text())
    assert set(app["formation"]) <= {"web", "worker"}
    assert {"web", "worker"} <= {line.split(":")[0] for line in procfile.splitlines()}
    render = (REPO / "render.yaml").read_text()
    for command in ("tallywire migrate", "tallywire run --web"):
        assert command in procfile and command in render
    assert "healthCheckPath: /healthz" in render


def test_the_readme_names_every_variable_the_settings_read() -> None:
    read = set(re.findall(r'env, "([A-Z_]+)"', (REPO / "bot" / "settings.py").read_text()))
    assert {"DATABASE_URL", "PORT", "TALLYWIRE_SEEDS", "TELEGRAM_BOT_TOKEN"} <= read
    readme = (REPO / "README.md").read_text()
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert {name for name in read if f"`{name}`" not in configuration} == set()
