"""Where the shipped `config/` and `seeds/` folders are, installed or not.

A wheel carries them inside the package as `bot/_data/`; an editable install or a source checkout
has them beside the package. Either way the answer does not depend on the working directory.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The shipped folder `name` ("config" or "seeds")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the shipped {name}/ folder is missing from this installation")
