"""The misconception report and the feedback's list of mistakes, on synthetic autograded notebooks.

No kernel runs here: the notebooks are built with the error outputs nbgrader stores for a failed
check (`evalue` = the message, then a last line `[mistake: <id>]`).
"""

from __future__ import annotations

import csv

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from dlcourse.instructor import misconceptions as mc
from dlcourse.instructor.feedback import NameMistakes
from dlcourse.instructor.report import Row

LESSON = "01_sigmoid_node"
SIGN = "sigmoid(np.array([0., 2.])) is wrong: the sign in the exponent is flipped.\n  Hint: e^(-z), not e^z."


def _error(evalue, ename="CheckFailed"):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"\x1b[0;31m✘ {(evalue.splitlines() or [ename])[0]}\x1b[0m"])


def _test_cell(gid, *outputs, points=2):
    cell = new_code_cell("check_own(sigmoid, 'sigmoid')\n### BEGIN HIDDEN TESTS\nassert secret\n### END HIDDEN TESTS")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": points, "grade_id": gid}
    cell.outputs = list(outputs)
    return cell


def _notebook(sigmoid_outputs, grad_outputs):
    answer = new_code_cell("def sigmoid(z):\n    return 1 / (1 + np.exp(z))")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "sigmoid"}
    answer.outputs = [_error("boom", "ValueError")]  # an answer cell's error is not an exercise outcome
    return new_notebook(cells=[new_markdown_cell("# Lesson"), answer, _test_cell("test_sigmoid", *sigmoid_outputs),
                               _test_cell("test_sigmoid_grad", *grad_outputs, points=3)])


PASS = [new_output("stream", name="stdout", text="✔ sigmoid: values\n")]
CLASS = {
    "ann": _notebook(PASS, PASS),
    "bob": _notebook([_error(SIGN + "\n[mistake: sigmoid:sign-flipped]")],
                     [_error("sigmoid_grad is not written yet.\n[mistake: sigmoid_grad:not-done]")]),
    "cem": _notebook([_error("sigmoid(...) is wrong: the sign in the exponent is flipped.\n[mistake: sigmoid:sign-flipped]")],
                     [_error("sigmoid_grad returned shape (3,), expected (2, 3).\n[mistake: sigmoid_grad:shape]")]),
    "dee": _notebook([_error("wrong values on random inputs", "AssertionError")],
                     [_error("", "NotImplementedError")]),
}


def test_parse_evalue_takes_the_id_off_the_message():
    assert mc.parse_evalue(SIGN + "\n[mistake: sigmoid:sign-flipped]") == ("sigmoid:sign-flipped", SIGN)
    assert mc.parse_evalue("\x1b[0;31mplain\x1b[0m message") == (None, "plain message")
    assert mc.parse_evalue("") == (None, "")
    assert mc.kind_of("sigmoid:shape") == "shape" and mc.kind_of("sigmoid:sign-flipped") == ""


def test_outcomes_sort_each_test_cell():
    got = {s: {g: (o.kind, o.mistake) for g, o in mc.outcomes(nb).items()} for s, nb in CLASS.items()}
    assert got["ann"] == {"test_sigmoid": ("passed", ""), "test_sigmoid_grad": ("passed", "")}
    assert got["bob"] == {"test_sigmoid": ("mistake", "sigmoid:sign-flipped"),
                          "test_sigmoid_grad": ("not-attempted", "sigmoid_grad:not-done")}
    assert got["cem"]["test_sigmoid_grad"] == ("other", "sigmoid_grad:shape")
    assert got["dee"] == {"test_sigmoid": ("other", "hidden"), "test_sigmoid_grad": ("not-attempted", "")}


def test_the_class_report_counts_mistakes_failures_and_blanks(tmp_path):
    for student, nb in CLASS.items():
        path = tmp_path / "autograded" / student / LESSON / f"{LESSON}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    rows = [Row(s, LESSON) for s in [*CLASS, "eve"]]  # eve has no graded notebook (missing)
    written = mc.write_report(tmp_path, LESSON, rows, tmp_path / "reports")
    assert [p.name for p in written] == ["misconceptions.csv", "misconceptions.txt", "misconceptions.png"]
    table = list(csv.DictReader(open(written[0])))
    flipped = next(r for r in table if r["mistake"] == "sigmoid:sign-flipped")
    assert (flipped["exercise"], flipped["students"], flipped["of"]) == ("test_sigmoid", "2", "4")
    assert flipped["message"] == SIGN.splitlines()[0]  # the message most students saw, without hint or id
    outcome = {(r["exercise"], r["outcome"], r["mistake"]): r["students"] for r in table}
    assert outcome[("test_sigmoid", "failed without a named mistake", "hidden")] == "1"
    assert outcome[("test_sigmoid", "passed", "")] == "1"
    assert outcome[("test_sigmoid_grad", "not attempted", "")] == "2"
    assert outcome[("test_sigmoid_grad", "failed without a named mistake", "shape")] == "1"
    assert outcome[("test_sigmoid_grad", "passed", "")] == "1"
    text = written[1].read_text()
    assert "4 graded notebooks (1 without a graded notebook are not counted)" in text
    assert "2  sigmoid:sign-flipped: " + SIGN.splitlines()[0] in text
    assert "failed without a named mistake (wrong shape 1)" in text and "did not attempt it" in text
    assert written[2].read_bytes()[:4] == b"\x89PNG"
    assert "assert secret" not in written[0].read_text() + text  # test code never appears


def test_feedback_names_the_mistakes_without_ids_or_hidden_code():
    nb, _ = NameMistakes()(nbformat.from_dict(CLASS["bob"]), {})  # as nbconvert calls it
    summary = nb.cells[1]
    assert summary.cell_type == "markdown" and "Your mistakes" in summary.source
    assert "`test_sigmoid`: " + SIGN.splitlines()[0] in summary.source
    assert "not written yet" not in summary.source  # not attempting is not a named mistake
    failed = nb.cells[3].outputs[0]
    assert "[mistake:" not in failed["evalue"] and "[mistake:" not in "".join(failed["traceback"])
    assert failed["evalue"] == SIGN
    nb, _ = NameMistakes()(nbformat.from_dict(CLASS["ann"]), {})
    assert not any("Your mistakes" in c.source for c in nb.cells)  # nothing to say, no cell
