"""Keeping the repository address consistent: the Colab cells and the README badges."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from .. import colab, course


def set_repository(course_root: Path, url: str = course.REPOSITORY, branch: str = course.BRANCH) -> list[Path]:
    """Rewrite the first cell of every solution notebook and the README's Colab badges
    for `url`. Returns the files that changed. `course.REPOSITORY` must be edited by
    hand (it is the one place the address is kept)."""
    url = url.rstrip("/").removesuffix(".git")
    changed = []
    wanted = colab.cell_source(url, branch)
    for path in sorted((course_root / "solutions").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0]
        if first.cell_type != "code" or first.metadata.get("nbgrader", {}).get("grade_id") != colab.CELL_ID:
            raise ValueError(f"{path}: the first cell is not the Colab set-up cell ({colab.CELL_ID})")
        if first.source != wanted:
            first.source = wanted
            nbformat.write(nb, path)
            changed.append(path)
    readme = course_root / "README.md"
    if readme.is_file():
        text = readme.read_text()
        new = re.sub(r"https://colab\.research\.google\.com/github/[^)\s]+/blob/[^/\s]+/lessons/([^/\s]+)/[^)\s]+\.ipynb",
                     lambda m: course.colab_url(m.group(1), url, branch), text)
        new = re.sub(r"https://mybinder\.org/v2/gh/[^/\s]+/[^/\s]+/[^?)\s]+",
                     f"https://mybinder.org/v2/gh/{url.removeprefix('https://github.com/')}/{branch}", new)
        if new != text:
            readme.write_text(new)
            changed.append(readme)
    return changed
