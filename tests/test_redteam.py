"""Red team: broken and adversarial submissions graded through `dlcourse autograde`.

All cases (tests/redteam/cases.py) are graded in ONE class run with honest students mixed in
(--workers 2, sandboxed); each case must get its exact score and report line, and the honest
students must score exactly what they score when graded alone.
"""

from __future__ import annotations

import shutil
import sqlite3

import nbformat
import pytest

from redteam.cases import FULL, KEPT, LESSON, RIGHT, WRONG, cases, with_answer
from redteam.course import make_course, submit

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None,
                       reason="bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` to run the sandbox tests"),
]

TIMEOUT = 5


def _grade(course, students=None, workers=2):
    from dlcourse.instructor.autograde import autograde
    rows = autograde(course, LESSON, students, workers=workers, timeout=TIMEOUT, sandbox=True,
                     memory_mb=1024, log=lambda *_: None)
    return {r.student: r for r in rows}


def _class_run(course):
    table = cases(str(course))
    for student, sub, _score, _line in table:
        nb, name = sub if isinstance(sub, tuple) else (sub, None)
        submit(course, student, LESSON, nb, name)
    for k in range(3):  # honest students mixed in
        submit(course, f"zz_honest_{k}", LESSON, with_answer(RIGHT if k != 1 else WRONG))
    return table, _grade(course)


def test_redteam_class_run(tmp_path):
    """Every case in one class run (one test, so that pytest-xdist does not grade the class twice)."""
    course = make_course(tmp_path / "course", [LESSON])
    table, rows = _class_run(course)

    # 1. each case: exact score and its report line
    failures = []
    for student, _sub, expected, fragment in table:
        row = rows[student]
        if row.max_score != FULL or row.score != expected or fragment not in row.details:
            failures.append(f"{student}: expected {expected} with {fragment!r}, got {row.score:g}/{row.max_score:g}: {row.details}")
    assert not failures, "\n".join(failures)
    assert [rows[f"zz_honest_{k}"].score for k in range(3)] == [FULL, KEPT, FULL]

    # 2. report files and the gradebook agree, nothing left "needs manual grade"
    csv_text = (course / "reports" / LESSON / "grading_report.csv").read_text()
    assert all(student in csv_text for student in rows)
    assert (course / "reports" / LESSON / "grading_report.txt").is_file()
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlcourse") as gb:
        for student, row in rows.items():
            sub = gb.find_submission_notebook(LESSON, LESSON, student)
            assert sum(g.auto_score or 0 for g in sub.grades if g.cell_type == "code") == row.score, student
            assert not any(g.needs_manual_grade for g in sub.grades if g.cell_type == "code"), student

    # 3. from inside a graded cell: solutions/ and the gradebook unreadable, no network, no writes outside
    nb = nbformat.read(course / "autograded" / "probe_escape" / LESSON / f"{LESSON}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "SOLUTIONS READ: BLOCKED" in text
    assert "GRADEBOOK READ: BLOCKED" in text
    assert "NETWORK: BLOCKED" in text
    assert not (course / "pwned.txt").exists()
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("select count(*) from submitted_assignment").fetchone()[0] == len(rows)

    # 4. re-running is safe: same scores
    again = _grade(course, ["honest_right", "malformed_json", "os_exit", "patch_allclose"], workers=2)
    for s, row in again.items():
        assert (row.score, row.status) == (rows[s].score, rows[s].status), s


def test_honest_students_graded_alone(tmp_path):
    """The mixed class run above must give the honest students these same scores (FULL, KEPT, FULL)."""
    course = make_course(tmp_path / "alone", [LESSON])
    for k in range(3):
        submit(course, f"zz_honest_{k}", LESSON, with_answer(RIGHT if k != 1 else WRONG))
    rows = _grade(course, workers=1)
    assert [rows[f"zz_honest_{k}"].score for k in range(3)] == [FULL, KEPT, FULL]
    assert all(rows[f"zz_honest_{k}"].details == "ok" for k in range(3))


def test_a_file_handed_in_beside_the_notebook_shadows_no_installed_module(tmp_path):
    """Files next to the notebook land in the kernel's working folder. A planted `colorsys.py` (any module
    a check could import after the student's cells ran, such as `keras`) must not replace the installed
    one; a module of the student's own (a name nothing else has) still imports."""
    from dlcourse.instructor.autograde import grade_one

    nb = with_answer(RIGHT)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys\nsys.modules.pop('colorsys', None)\nimport colorsys, my_own_helpers_17\n"
        "print('colorsys from', 'the working folder' if getattr(colorsys, 'PLANTED', False) else 'Python')\n"
        "print('own module:', my_own_helpers_17.VALUE)"))
    folder = tmp_path / "hand-in"
    folder.mkdir()
    nbformat.write(nb, folder / f"{LESSON}.ipynb")
    (folder / "colorsys.py").write_text("PLANTED = True\n")
    (folder / "my_own_helpers_17.py").write_text("VALUE = 17\n")
    course = make_course(tmp_path / "course", [LESSON])
    row, graded = grade_one(course, LESSON, folder, timeout=TIMEOUT, memory_mb=1024, log=lambda *_: None)
    assert row.score == FULL, row.details
    text = "".join(o.get("text", "") + str(o.get("evalue", "")) for o in nbformat.read(graded, 4).cells[-1].outputs)
    assert "colorsys from Python" in text, text
    assert "own module: 17" in text, text
