"""The nbgrader round trip with the real CLI and its sqlite gradebook, for every lesson.

generate_assignment -> submissions -> autograde -> scores read back from the gradebook:
- the solutions, submitted as a student, score full marks on every autograded cell;
- the untouched student version scores 0 on every autograded cell, except test cells that
  need no answer (tagged `no-answer-needed`), which score full marks;
- each plausible wrong answer in the lesson's bank loses its exercise's points and no other;
- each right answer written differently in the bank scores full marks.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbgrader.api import Gradebook

from dlcourse.instructor.nbgrader_run import run_nbgrader
from nbtools import NO_ANSWER_NEEDED, SOLUTIONS, is_test_cell, lesson_ids, nbgrader_meta, notebook_path, tags
from submissions import fill, load_bank, make_course, solution_answers, submit

pytestmark = pytest.mark.slow


def _student_id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@pytest.mark.parametrize("lesson", lesson_ids())
def test_round_trip(lesson, tmp_path):
    root = make_course(tmp_path, [lesson])
    run_nbgrader(["generate_assignment", lesson, "--force"], root)
    release = nbformat.read(notebook_path(root / "lessons", lesson), as_version=4)
    source = nbformat.read(notebook_path(SOLUTIONS, lesson), as_version=4)
    tests = {nbgrader_meta(c)["grade_id"]: c for c in source.cells if is_test_cell(c)}
    free_answer_ids = {nbgrader_meta(c)["grade_id"] for c in source.cells
                       if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")}
    perfect = solution_answers(lesson)

    # student id -> (notebook, test cells expected to score 0)
    cases = {
        "perfect": (fill(release, perfect), set()),
        "blank": (release, {gid for gid, c in tests.items() if NO_ANSWER_NEEDED not in tags(c)}),
    }
    bank = load_bank(lesson)
    if bank is not None:
        for answer_id, test_id, description, wrong in bank.WRONG:
            assert test_id in tests, f"bank names unknown test cell {test_id}"
            cases[_student_id(f"wrong {answer_id} {description}")] = (fill(release, {**perfect, answer_id: wrong}), {test_id})
        for answer_id, description, right in bank.RIGHT:
            cases[_student_id(f"right {answer_id} {description}")] = (fill(release, {**perfect, answer_id: right}), set())
    for student, (nb, _) in cases.items():
        submit(root, student, lesson, nb)

    run_nbgrader(["autograde", lesson, "--force"], root, timeout=1200)

    problems = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student, (_, expected_zero) in cases.items():
            submission = gb.find_submission_notebook(lesson, lesson, student)
            grades = {g.name: g for g in submission.grades}
            for gid in tests:
                g = grades[gid]
                want = 0.0 if gid in expected_zero else g.max_score
                if g.needs_manual_grade or g.auto_score != want:
                    problems.append(f"{student}: {gid} scored {g.auto_score}/{g.max_score} "
                                    f"(needs manual grade: {g.needs_manual_grade}), expected {want}")
            for gid in free_answer_ids:
                if gid in grades and not grades[gid].needs_manual_grade and student != "blank":
                    problems.append(f"{student}: free-response {gid} was not left for manual grading")
    assert not problems, f"{lesson}: round trip gave unexpected scores:\n" + "\n".join(problems)
