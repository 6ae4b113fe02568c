"""The pieces of fast grading that need no kernel: the progress display and the class report of
`--all`. (Grading workers, the cached timing run and `--all` itself run in
tests/test_instructor_workflow.py; the sandbox with them in tests/test_redteam.py.)"""

from __future__ import annotations

import io
import re

import pytest

from dlcourse.instructor.progress import Progress
from dlcourse.instructor.report import Row, write_course


def _rows():
    return [Row("ann", "00_start_here", 11, 11), Row("ann", "01_sigmoid_node", 10, 10),
            Row("bob", "00_start_here", 0, 11, "failed", ["grading took longer than 300 s and was stopped; scored 0"]),
            Row("bob", "01_sigmoid_node", 8, 10, "repaired", ["timeout: cell 12 ran longer than its budget of 10 s"])]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_shows_a_bar_with_failures_and_time_left():
    out = Terminal()
    bar = Progress(4, "all lessons", stream=out)
    for row in _rows():
        bar.done(row)
    bar.close()
    text = out.getvalue()
    assert "grading all lessons: 4/4 notebooks" in text and "1 failed" in text and "left]" in text
    assert "bob: 0/11 failed (grading took longer" in text  # rows with something to say, above the bar
    assert "ann: 11/11" not in text                        # a clean row only moves the bar


def test_progress_elsewhere_is_one_line_per_notebook():
    lines = []
    bar = Progress(4, "00_start_here", stream=io.StringIO(), log=lines.append)
    for row in _rows():
        bar.done(row)
    bar.close()
    assert lines[0] == "00_start_here ann: 11/11 graded" and len(lines) == 4 and bar.failures == 1


def test_the_class_report_has_every_row_and_each_students_total(tmp_path):
    csv_path, txt_path = write_course(_rows(), tmp_path, lessons=["00_start_here", "01_sigmoid_node", "02_xor"],
                                      failed_setup={"02_xor": "RuntimeError: the solution of 02_xor does not run"})
    assert len(csv_path.read_text().splitlines()) == 5
    text = txt_path.read_text()
    assert "2 students, 3 lessons, 4 notebooks" in text and "failed: 1, graded: 2, repaired: 1" in text
    assert "02_xor was not graded: its set-up failed (RuntimeError: the solution of 02_xor does not run)" in text
    assert re.search(r"^ann +21 / 21 +\(2 of 3 lessons\)$", text, re.M)
    assert "- 01_sigmoid_node: 8/10 repaired: timeout: cell 12 ran longer than its budget of 10 s" in text


@pytest.mark.slow
def test_a_worker_past_its_limit_is_killed_and_the_next_request_gets_a_fresh_one(tmp_path):
    """A grading worker is reused between notebooks; one that hangs costs its notebook, never the class."""
    import subprocess

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from dlcourse.instructor.nbgrader_run import Worker

    slow, quick = tmp_path / "slow" / "slow.ipynb", tmp_path / "quick" / "quick.ipynb"
    for path, source in ((slow, "import time\ntime.sleep(60)"), (quick, "x = 1")):
        path.parent.mkdir()
        nb = new_notebook(cells=[new_code_cell(source)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, path)
    worker = Worker(tmp_path)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            worker.request({"measure": str(slow)}, timeout=4)
        assert worker.proc is None  # killed with its kernel
        answer = worker.request({"measure": str(quick)}, timeout=120)
        first = worker.proc.pid
        again = worker.request({"measure": str(quick)}, timeout=120)
        assert answer["returncode"] == 0 and list(answer["timings"]) == list(again["timings"])
        assert worker.proc.pid == first and worker.done == 2  # one process answered both
    finally:
        worker.close()


def test_the_gradebook_has_its_tables_and_every_student_before_any_worker_writes(tmp_path):
    from nbgrader.api import Gradebook

    from dlcourse.instructor.autograde import prepare_gradebook

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    prepare_gradebook(url, "course", ["ann", "bob"])
    prepare_gradebook(url, "course", ["bob", "cy"])  # again, with one student known: nothing fails, cy is added
    with Gradebook(url, "course") as gb:
        assert sorted(s.id for s in gb.students) == ["ann", "bob", "cy"]


@pytest.mark.slow
def test_one_new_student_graded_in_two_lessons_at_once_keeps_both_grades(tmp_path):
    """Two workers grading a new student's two lessons at once: both gradings used to insert the student
    (or, on a new database, create the tables), and the second one failed and scored 0."""
    from dlcourse.instructor.autograde import autograde_lessons
    from redteam.course import honest, make_course, submit

    lessons = ["00_start_here", "02_xor"]
    root = make_course(tmp_path / "course", lessons)
    for lesson in lessons:
        submit(root, "ann", lesson, honest(lesson))
    rows = autograde_lessons(root, lessons, workers=2, sandbox=False, log=lambda *_: None, progress=False)
    got = {lesson: [(r.status, r.score == r.max_score > 0) for r in rows[lesson]] for lesson in lessons}
    assert got == {lesson: [("graded", True)] for lesson in lessons}, [r.details for v in rows.values() for r in v]


def test_graded_cells_metadata_is_validated_as_nbgrader_does_with_the_schema_checked_once():
    """The grading worker checks nbgrader's metadata schema once instead of on every cell (nbgrader_main)."""
    import jsonschema
    import nbformat
    from nbgrader.nbgraderformat import v3

    from dlcourse.instructor import nbgrader_main  # noqa: F401 - installs the validator

    validator = v3.MetadataValidatorV3()
    good = {"grade": True, "grade_id": "test_x", "locked": True, "points": 2, "schema_version": 3,
            "solution": False, "task": False}
    validator.validate_cell(nbformat.v4.new_code_cell("x", metadata={"nbgrader": dict(good)}))
    for bad in ({"points": "two"}, {"grade_id": 5}, {"locked": "yes"}):
        metadata = {**good, **bad}
        with pytest.raises(jsonschema.ValidationError) as ours:
            validator.validate_cell(nbformat.v4.new_code_cell("x", metadata={"nbgrader": metadata}))
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(metadata, validator.schema)
        assert ours.value.message == theirs.value.message


def test_an_error_of_the_grader_is_tried_once_more_before_it_costs_the_student():
    from dlcourse.instructor import autograde

    class FlakyGrader:
        lesson = "00_start_here"

        def __init__(self, failures):
            self.failures, self.zeroed = failures, False

        def grade_student(self, student, worker):
            if self.failures:
                self.failures -= 1
                raise SystemError("AST constructor recursion depth mismatch (before=36, after=32)")
            return Row(student, self.lesson, status="graded", score=3.0, max_score=3.0)

        def _zero(self, student, row):
            self.zeroed = True

    once = FlakyGrader(failures=1)
    row = autograde._grade_safely(once, "s000", worker=None)
    assert (row.status, row.score, once.zeroed) == ("graded", 3.0, False)
    twice = FlakyGrader(failures=2)
    row = autograde._grade_safely(twice, "s000", worker=None)
    assert row.status == "failed" and twice.zeroed and "SystemError" in row.events[0]


def test_submissions_are_prepared_safely_from_several_grading_threads(tmp_path):
    """sanitize.prepare parses every cell with `ast`, which CPython 3.11 cannot do in two threads at once."""
    import threading

    import nbformat

    from redteam.course import honest, release_nb
    from dlcourse.instructor.sanitize import prepare

    lesson = "03_dating_regression"
    path = tmp_path / f"{lesson}.ipynb"
    nbformat.write(honest(lesson), path)
    release, errors, results = release_nb(lesson), [], []

    def work():
        try:
            for _ in range(10):
                results.append(prepare(path, release, lesson))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 40 and all(r.fatal is None for r in results)


def test_a_new_gradebook_is_stamped_with_the_revision_alembic_names():
    """The revision nbgrader stamps on a new gradebook, read in the process instead of by `alembic heads`."""
    import subprocess
    import sys
    from pathlib import Path

    import nbgrader.api
    import nbgrader.dbutil

    from dlcourse.instructor.nbgrader_run import use_in_process_alembic_head

    alembic = Path(sys.executable).parent / "alembic"
    with nbgrader.dbutil._temp_alembic_ini("sqlite:////tmp/gradebook.db") as ini:
        heads = subprocess.run([str(alembic), "-c", ini, "heads"], capture_output=True, text=True, check=True).stdout
    use_in_process_alembic_head()
    assert nbgrader.api.get_alembic_version() == heads.split()[0]
