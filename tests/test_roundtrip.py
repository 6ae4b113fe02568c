"""The nbgrader round trip with the real CLI and its sqlite gradebook, for every lesson.

generate_assignment -> submissions -> autograde -> scores read back from the gradebook:
- the solutions, submitted as a student, score full marks on every autograded cell;
- the untouched student version scores 0 on every autograded cell, except test cells that
  need no answer (tagged `no-answer-needed`), which score full marks;
- a sample of the lesson's bank, the first wrong and the first right answer of every exercise:
  each wrong one loses its exercise's points and no other, each right one scores full marks.

`test_banks.py` checks every entry of every bank against the hidden tests cell by cell in one
kernel; this test adds what only a whole graded notebook shows (a wrong answer that breaks a
demo cell and through it a later test, nbgrader's own cell handling), with whole submissions.
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


SHARD_SIZE = 16  # submissions per autograde run: shards spread over pytest-xdist's workers


def _cases(lesson: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(student id, kind, answer cell, test cell that must lose its points, replacement source)."""
    cases = [("perfect", "perfect", None, None, None), ("blank", "blank", None, None, None)]
    bank = load_bank(lesson)
    if bank is not None:
        sampled: set[tuple[str, str]] = set()  # (kind, answer cell): the first entry of each
        for answer_id, test_id, description, wrong, *_message in bank.WRONG:
            if ("wrong", answer_id) not in sampled:
                sampled.add(("wrong", answer_id))
                cases.append((_student_id(f"wrong {answer_id} {description}"), "wrong", answer_id, test_id, wrong))
        for answer_id, description, right in bank.RIGHT:
            if ("right", answer_id) not in sampled:
                sampled.add(("right", answer_id))
                cases.append((_student_id(f"right {answer_id} {description}"), "right", answer_id, None, right))
    return cases


def _shards():
    for lesson in lesson_ids():
        cases = _cases(lesson)
        for start in range(0, len(cases), SHARD_SIZE):
            yield pytest.param(lesson, start, id=f"{lesson}-{start // SHARD_SIZE}")


@pytest.mark.parametrize("lesson, start", list(_shards()))
def test_round_trip(lesson, start, tmp_path):
    ids = [c[0] for c in _cases(lesson)]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"bank of {lesson} has two entries with the same description: {twice}"
    root = make_course(tmp_path / "course", [lesson])
    run_nbgrader(["generate_assignment", lesson, "--force"], root)
    release = nbformat.read(notebook_path(root / "lessons", lesson), as_version=4)
    source = nbformat.read(notebook_path(SOLUTIONS, lesson), as_version=4)
    tests = {nbgrader_meta(c)["grade_id"]: c for c in source.cells if is_test_cell(c)}
    free_answer_ids = {nbgrader_meta(c)["grade_id"] for c in source.cells
                       if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")}
    perfect = solution_answers(lesson)

    # student id -> (notebook, test cells expected to score 0)
    cases = {}
    for student, kind, answer_id, test_id, replacement in _cases(lesson)[start:start + SHARD_SIZE]:
        if kind == "blank":
            cases[student] = (release, {gid for gid, c in tests.items() if NO_ANSWER_NEEDED not in tags(c)})
        elif kind == "perfect":
            cases[student] = (fill(release, perfect), set())
        else:
            assert test_id is None or test_id in tests, f"bank names unknown test cell {test_id}"
            cases[student] = (fill(release, {**perfect, answer_id: replacement}), {test_id} - {None})
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
