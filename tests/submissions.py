"""Building submissions for grading tests: a student version with answers filled in."""

from __future__ import annotations

import copy
import importlib.util
import re
import shutil
from pathlib import Path

import nbformat

from nbtools import ROOT, nbgrader_meta

_REGION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


def solution_answers(lesson: str) -> dict[str, str]:
    """grade_id -> the source a perfect student would write in each answer cell
    (the solution notebook's cell without the solution markers)."""
    nb = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    return {nbgrader_meta(c)["grade_id"]: _REGION.sub("", c.source)
            for c in nb.cells if nbgrader_meta(c).get("solution")}


def fill(release_nb, answers: dict[str, str]):
    """A copy of the student version with the given answer cells replaced."""
    nb = copy.deepcopy(release_nb)
    seen = set()
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
            seen.add(gid)
    missing = set(answers) - seen
    assert not missing, f"no answer cell with grade_id {sorted(missing)}"
    return nb


def load_bank(lesson: str):
    """The bank of wrong and right answers of a lesson (tests/banks/bank_<lesson>.py), or None."""
    path = Path(__file__).parent / "banks" / f"bank_{lesson}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"bank_{lesson}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_course(dest: Path, lessons: list[str]) -> Path:
    """A scratch nbgrader course folder at `dest` holding the given lessons' sources."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    for lesson in lessons:
        shutil.copytree(ROOT / "solutions" / lesson, dest / "solutions" / lesson,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def share_timing_cache(course: Path) -> Path:
    """Let the scratch course use the test run's one cache of solution timings (`conftest.py`), so that
    the shards and tests grading the same lesson time its solution once, not once each."""
    import os

    shared = os.environ.get("DLCOURSE_TEST_TIMING_CACHE")
    if shared:
        (course / ".dlcourse-cache").symlink_to(shared, target_is_directory=True)
    return course


def submit(course: Path, student: str, lesson: str, nb_or_text, name: str | None = None) -> Path:
    """Place a submission (a notebook, or raw text/bytes for broken files) where nbgrader looks."""
    folder = course / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{lesson}.ipynb")
    if isinstance(nb_or_text, (str, bytes)):
        path.write_bytes(nb_or_text.encode() if isinstance(nb_or_text, str) else nb_or_text)
    else:
        nbformat.write(nb_or_text, path)
    return path
