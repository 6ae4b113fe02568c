"""Temporary course folders and honest submissions for the grading tests and the benchmark."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from submissions import ROOT, fill, make_course, solution_answers, submit  # noqa: F401  (re-exported)


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


def honest(lesson: str) -> nbformat.NotebookNode:
    """The student version with every answer filled in from the solutions (what a perfect student hands in)."""
    return fill(release_nb(lesson), solution_answers(lesson))
