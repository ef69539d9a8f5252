"""Where the shared development set is: `../shared/` beside the project, or the folder the
environment variable TALLYWIRE_SHARED names. Tests that read it skip, saying so, without it;
its texts are read at test time and never copied into the project."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TALLYWIRE_SHARED") or REPO.parent / "shared")
DEV = SHARED / "dev"
SCORER = SHARED / "tools" / "score_tallies.py"
MISSING = f"the dev set is not in {DEV} (set TALLYWIRE_SHARED to the shared folder)"


def dev_present() -> bool:
    """Whether the dev set's texts, true tallies and NOT figures are there."""
    return (
        (DEV / "docs").is_dir()
        and (DEV / "tallies.jsonl").is_file()
        and (DEV / "tallies-not.jsonl").is_file()
    )


def dev_documents() -> list[Path]:
    """The dev set's texts, in name order."""
    return sorted((DEV / "docs").glob("*.txt"))
