"""Installing a distribution for a test without pip: a `*.dist-info` folder, as pip writes it,
in a folder that goes on `sys.path` (or PYTHONPATH). `importlib.metadata` finds it there as it
finds any installed distribution, entry points included."""

from __future__ import annotations

from pathlib import Path


def install_entry_point(
    site: Path, group: str, name: str, value: str, distribution: str = "tallywire-test-platform"
) -> Path:
    """Make `site` hold `distribution` declaring `[group] name = value`; return `site`."""
    info = site / f"{distribution.replace('-', '_')}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = {value}\n", encoding="utf-8")
    return site
