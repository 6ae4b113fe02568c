"""Every bank entry graded the way an instructor grades a class: `dlcourse autograde`, for every lesson.

The class autograder (`autograde_lessons`, what `dlcourse autograde` runs: sanitize -> sandbox ->
nbgrader -> time budgets, one long-lived grading worker) grades whole submissions in a scratch course;
the scores are read back from its sqlite gradebook:
- the solutions, submitted as a student, score full marks on every autograded cell;
- the untouched student version scores 0 on every autograded cell, except test cells that
  need no answer (tagged `no-answer-needed`), which score full marks;
- every entry of the lesson's bank, as whole submissions: the k-th wrong answer of every exercise
  in submission k, so each submission gets several exercises wrong at once; each wrong answer loses
  its exercise's points and no other, and the right answers (packed the same way) score full marks.

`test_banks.py` checks every entry of every bank against the visible and the hidden tests cell by cell
in one kernel; this test adds what only a whole graded notebook shows (a wrong answer that breaks a
demo cell and through it a later test, nbgrader's own cell handling, the sandbox and the grading
kernel's guard, a student's own cache format used across exercises). The solution's timing run for
the budgets is shared by the shards of a lesson (one cache for the whole test run, `conftest.py`).
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from dlcourse.instructor.autograde import autograde_lessons
from nbtools import (LESSONS, NO_ANSWER_NEEDED, SOLUTIONS, is_test_cell, lesson_ids, nbgrader_meta, notebook_path,
                     tags)
from submissions import fill, load_bank, make_course, share_timing_cache, solution_answers, submit

pytestmark = pytest.mark.slow


SHARD_SIZE = 16  # submissions per autograde run: shards spread over pytest-xdist's workers


def _packs(entries: list[tuple[str, tuple]]) -> list[dict[str, tuple]]:
    """Pack bank entries into as few whole submissions as possible: the k-th entry of every answer
    cell goes into submission k, so each submission answers several exercises differently at once."""
    by_cell: dict[str, list[tuple]] = {}
    for answer_id, entry in entries:
        by_cell.setdefault(answer_id, []).append(entry)
    depth = max((len(v) for v in by_cell.values()), default=0)
    return [{cell: items[k] for cell, items in by_cell.items() if k < len(items)} for k in range(depth)]


def _cases(lesson: str) -> list[tuple[str, str, dict[str, str], set[str]]]:
    """(student id, kind, {answer cell: replacement source}, test cells that must lose their points).

    Every entry of the lesson's bank is graded: wrong entries packed k-th with k-th (each must lose
    exactly its own exercise's points, also beside other exercises' wrong answers), right entries
    likewise (full marks)."""
    cases = [("perfect", "perfect", {}, set()), ("blank", "blank", {}, set())]
    bank = load_bank(lesson)
    if bank is not None:
        wrong = [(answer_id, (test_id, source)) for answer_id, test_id, _description, source, *_ in bank.WRONG]
        for k, pack in enumerate(_packs(wrong)):
            cases.append((f"wrong-{k:02d}", "wrong", {a: src for a, (_t, src) in pack.items()},
                          {t for _a, (t, _src) in pack.items()}))
        right = [(answer_id, (None, source)) for answer_id, _description, source in bank.RIGHT]
        for k, pack in enumerate(_packs(right)):
            cases.append((f"right-{k:02d}", "right", {a: src for a, (_t, src) in pack.items()}, set()))
    return cases


def _shards():
    for lesson in lesson_ids():
        cases = _cases(lesson)
        for start in range(0, len(cases), SHARD_SIZE):
            yield pytest.param(lesson, start, id=f"{lesson}-{start // SHARD_SIZE}")


@pytest.mark.parametrize("lesson, start", list(_shards()))
def test_round_trip(lesson, start, tmp_path):
    root = share_timing_cache(make_course(tmp_path / "course", [lesson]))
    release = nbformat.read(notebook_path(LESSONS, lesson), as_version=4)   # nbgrader's release (up to date: test_lessons_up_to_date)
    source = nbformat.read(notebook_path(SOLUTIONS, lesson), as_version=4)
    tests = {nbgrader_meta(c)["grade_id"]: c for c in source.cells if is_test_cell(c)}
    free_answer_ids = {nbgrader_meta(c)["grade_id"] for c in source.cells
                       if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")}
    perfect = solution_answers(lesson)

    # student id -> (notebook, test cells expected to score 0)
    cases = {}
    for student, kind, replacements, expected_zero in _cases(lesson)[start:start + SHARD_SIZE]:
        if kind == "blank":
            cases[student] = (release, {gid for gid, c in tests.items() if NO_ANSWER_NEEDED not in tags(c)})
        else:
            unknown = expected_zero - set(tests)
            assert not unknown, f"bank names unknown test cells {sorted(unknown)}"
            cases[student] = (fill(release, {**perfect, **replacements}), expected_zero)
    for student, (nb, _) in cases.items():
        submit(root, student, lesson, nb)

    rows = autograde_lessons(root, [lesson], workers=1, sandbox=shutil.which("bwrap") is not None,
                             report_dir=tmp_path / "reports", log=lambda *_: None, progress=False, strict=True)
    problems = [f"{r.student}: {r.status}: {r.details}" for r in rows[lesson]
                if r.status not in ("graded", "repaired") or any(e.startswith(("tamper", "timeout", "kernel died"))
                                                                 for e in r.events)]
    assert sorted(r.student for r in rows[lesson]) == sorted(cases), rows[lesson]
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
