"""Temporary course folders and honest submissions for the grading tests and the benchmark."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def make_course(dest: Path, lessons: list[str]) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    for lesson in lessons:
        shutil.copytree(ROOT / "solutions" / lesson, dest / "solutions" / lesson,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


_RELEASE_CACHE: dict[str, nbformat.NotebookNode] = {}


def release_nb(lesson: str) -> nbformat.NotebookNode:
    """The student version of a lesson (generated once per process, in a scratch folder)."""
    if lesson not in _RELEASE_CACHE:
        import tempfile
        from dlcourse.instructor.release import generate

        with tempfile.TemporaryDirectory() as tmp:
            out = generate(ROOT, Path(tmp) / "out", [lesson])[0]
            _RELEASE_CACHE[lesson] = nbformat.read(out / f"{lesson}.ipynb", as_version=4)
    return copy.deepcopy(_RELEASE_CACHE[lesson])


def _strip_markers(source: str) -> str:
    return "\n".join(l for l in source.splitlines() if not re.match(r"\s*### (BEGIN|END) SOLUTION", l))


def honest(lesson: str) -> nbformat.NotebookNode:
    """The student version with every answer filled in from the solutions (what a perfect student hands in)."""
    nb = release_nb(lesson)
    src = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    answers = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in src.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = _strip_markers(answers[gid])
    return nb


def submit(course: Path, student: str, lesson: str, nb_or_text, name: str | None = None) -> Path:
    folder = course / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{lesson}.ipynb")
    if isinstance(nb_or_text, (str, bytes)):
        path.write_bytes(nb_or_text.encode() if isinstance(nb_or_text, str) else nb_or_text)
    else:
        nbformat.write(nb_or_text, path)
    return path
