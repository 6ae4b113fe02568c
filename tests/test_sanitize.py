"""Repairs of a submission before grading that need no kernel: stripped nbgrader metadata."""

from __future__ import annotations

import copy

import nbformat
import pytest

from dlcourse.instructor.sanitize import restore_stripped_metadata
from nbtools import LESSONS, nbgrader_meta, notebook_path
from submissions import fill, solution_answers

LESSONS_WITH_ANSWERS = ["00_start_here", "01_sigmoid_node", "02_xor"]


def _grade_ids(nb) -> list:
    return [nbgrader_meta(c).get("grade_id") for c in nb.cells]


@pytest.mark.parametrize("keep_ids", [True, False], ids=["ids kept", "ids stripped too"])
@pytest.mark.parametrize("lesson", LESSONS_WITH_ANSWERS)
def test_stripped_metadata_is_restored_cell_by_cell(lesson, keep_ids):
    release = nbformat.read(notebook_path(LESSONS, lesson), as_version=4)
    honest = fill(release, solution_answers(lesson))
    stripped = copy.deepcopy(honest)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
        if not keep_ids:
            cell.pop("id", None)
    graded = sum(1 for gid in _grade_ids(honest) if gid)
    assert restore_stripped_metadata(stripped, release) == graded
    assert _grade_ids(stripped) == _grade_ids(honest)


def test_a_student_cell_added_between_answers_is_not_mistaken_for_a_graded_one():
    lesson = "01_sigmoid_node"
    release = nbformat.read(notebook_path(LESSONS, lesson), as_version=4)
    honest = fill(release, solution_answers(lesson))
    stripped = copy.deepcopy(honest)
    answer = next(i for i, c in enumerate(stripped.cells) if nbgrader_meta(c).get("grade_id") == "sigmoid")
    stripped.cells.insert(answer + 1, nbformat.v4.new_code_cell("print(sigmoid(3.0))  # my own try"))
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
        cell.pop("id", None)
    restore_stripped_metadata(stripped, release)
    ids = _grade_ids(stripped)
    assert ids[answer] == "sigmoid" and ids[answer + 1] is None and ids[answer + 2] == "test_sigmoid"
