"""Where the course's files are: the repository checkout and its data folder."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV_VAR = "DLCOURSE_DATA"


def repo_root() -> Path | None:
    """The course checkout this package was installed from (editable install), if any."""
    candidate = Path(__file__).resolve().parents[2]
    if (candidate / "pyproject.toml").is_file() and (candidate / "lib" / "dlcourse").is_dir():
        return candidate
    return None


def data_dirs() -> list[Path]:
    """Folders searched for datasets, in order.

    1. `$DLCOURSE_DATA` (set by the Colab cell, or by you for a custom location);
    2. `data/` of the checkout the package was installed from;
    3. `data/` in the current folder and its parents (a lesson runs in `lessons/NN_x/`).
    """
    dirs: list[Path] = []
    if os.environ.get(DATA_ENV_VAR):
        dirs.append(Path(os.environ[DATA_ENV_VAR]).expanduser())
    root = repo_root()
    if root is not None:
        dirs.append(root / "data")
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        dirs.append(folder / "data")
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def find_data_file(name: str) -> Path | None:
    """The first existing `name` in `data_dirs()`, or None."""
    for folder in data_dirs():
        path = folder / name
        if path.is_file():
            return path
    return None
