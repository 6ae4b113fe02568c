"""Every lesson's answer bank against its visible and its hidden tests: does a ✔ mean the points?

One kernel runs the lesson's solution notebook (visible and hidden tests, on the cheap path that
grading takes), then, one bank entry at a time, puts the entry into its answer cell and runs

- the **visible** part of the entry's test cell (what the student sees before submitting, with
  `NBGRADER_EXECUTION` unset): a WRONG entry must fail there with the course's own message
  (`CheckFailed` or an `AssertionError`, never a bare library exception), unless the bank names it
  in `VISIBLE_MISSES` with the reason only the hidden tests can catch it; an entry may carry a
  fifth item, a phrase the message must contain; a RIGHT entry must pass the visible tests of its
  exercise;
- **every test cell after the answer cell, hidden tests included** (what grading runs): a WRONG
  entry must fail its own test cell and no other, a RIGHT entry must fail none;

and puts the perfect answer back. Only the answer and the test cells run again, so a bank of
sixty entries costs seconds, not sixty notebook runs. A later test cell that never calls a function of
the entry's answer cell (traced once, on the solution) cannot change its verdict and is not run again,
unless the cell or the entry defines anything but functions (then every later test cell runs). What this cannot see, a wrong answer that
breaks a demo cell and through it a later test, is what `test_roundtrip.py` proves with nbgrader
itself on a sample of each bank. The catch rate of each lesson (wrong answers flagged by the
visible tests / all wrong answers) is printed in the test summary.
"""

from __future__ import annotations

import ast
import copy
import json
import re

import nbformat
import pytest
from dlcourse.kernel_client import CourseNotebookClient, environment

from nbtools import KERNEL_ENV, SOLUTIONS, is_test_cell, lesson_ids, nbgrader_meta, notebook_path
from submissions import load_bank, solution_answers

pytestmark = pytest.mark.slow

COURSE_MESSAGES = {"CheckFailed", "AssertionError"}
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.S | re.M)
STUDENT_SIDE = "import os as _os; _os.environ.pop('NBGRADER_EXECUTION', None)"
GRADER_SIDE = "import os as _os; _os.environ['NBGRADER_EXECUTION'] = 'autograde'"


def _banked_lessons() -> list[str]:
    return [lesson for lesson in lesson_ids() if load_bank(lesson) is not None]


def _defined(source: str) -> tuple[set[str], bool]:
    """(the functions and classes a cell defines at its top level, whether it assigns anything else)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), True
    names, other = set(), False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif not isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr, ast.Pass)):
            other = True
    return names, other


# In the kernel: which code (by file: every cell has its own) runs while a test cell runs.
_TRACE_ON = """import sys as _bank_sys
_bank_called = set()
def _bank_profile(frame, event, arg):
    if event == "call":
        _bank_called.add(frame.f_code.co_filename)
_bank_sys.setprofile(_bank_profile)"""
_TRACE_OFF = "_bank_sys.setprofile(None)\nprint(__import__('json').dumps(sorted(_bank_called)))"
_FILES_OF = """print(__import__('json').dumps(sorted({{getattr(getattr(globals().get(_n), '__code__', None), 'co_filename', '')
    for _n in {names!r}}} | {{_f.__code__.co_filename for _n in {names!r} if isinstance(globals().get(_n), type)
    for _f in vars(globals()[_n]).values() if hasattr(_f, '__code__')}} - {{''}})))"""


def _error(cell) -> tuple[str, str] | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return output.get("ename", ""), output.get("evalue", "")
    return None


class _Kernel:
    """One kernel running a notebook's cells on demand, with other sources if asked."""

    def __init__(self, nb, folder):
        self.nb = nb
        self.sources = [c.source for c in nb.cells]  # nbclient writes each executed cell back into nb
        self.client = CourseNotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                                           resources={"metadata": {"path": str(folder)}})

    def run(self, index: int, source: str | None = None):
        cell = copy.deepcopy(self.nb.cells[index])
        if cell.cell_type != "code":
            return None
        cell.source = self.sources[index] if source is None else source
        cell.outputs = []
        self.client.execute_cell(cell, index)
        return _error(cell)

    def printed(self, index: int, source: str):
        """Run `source` in place of cell `index` and return what it printed (one JSON line)."""
        cell = copy.deepcopy(self.nb.cells[index])
        cell.source, cell.outputs = source, []
        self.client.execute_cell(cell, index)
        assert _error(cell) is None, _error(cell)
        return json.loads("".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream"))

    def visible(self, index: int):
        """Run the visible part of a test cell as the student does (not on the grading path)."""
        self.run(index, STUDENT_SIDE)
        try:
            return self.run(index, HIDDEN.sub("", self.sources[index]))
        finally:
            self.run(index, GRADER_SIDE)


@pytest.mark.parametrize("lesson", _banked_lessons())
def test_bank_against_visible_and_hidden_tests(lesson, catch_rates):
    bank = load_bank(lesson)
    misses_allowed = dict(getattr(bank, "VISIBLE_MISSES", {}))
    nb = nbformat.read(notebook_path(SOLUTIONS, lesson), as_version=4)
    perfect = solution_answers(lesson)
    ids = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id")}
    answers = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")]
    tests = [i for i, c in enumerate(nb.cells) if is_test_cell(c)]
    name = {i: nbgrader_meta(nb.cells[i]).get("grade_id") for i in tests}
    problems, flagged, missed = [], [], []

    with environment(**KERNEL_ENV, NBGRADER_EXECUTION="autograde"):
        kernel = _Kernel(nb, notebook_path(SOLUTIONS, lesson).parent)
        with kernel.client.setup_kernel():
            for i in range(len(nb.cells)):
                if (err := kernel.run(i)) is not None:
                    problems.append(f"the solution fails in cell {i}: {err[0]}: {err[1][:200]}")
            assert not problems, f"{lesson}: " + "\n".join(problems)

            # which answer cells' functions each test cell calls, traced once on the solution
            called = {}
            for j in tests:
                assert kernel.run(j, _TRACE_ON) is None
                kernel.run(j)
                called[j] = set(kernel.printed(j, _TRACE_OFF))
            functions, files = {}, {}
            for a in answers:
                names, other = _defined(perfect[nbgrader_meta(nb.cells[a])["grade_id"]])
                functions[a] = names
                files[a] = None if other or not names else set(kernel.printed(a, _FILES_OF.format(names=sorted(names))))

            def graded_failures(a: int, source: str, own: set[int]) -> set[int]:
                """Test cells after answer cell `a` that fail with hidden tests (as graded), the entry's `source`
                in the cell: its own test cells, and every later one that calls a function of the cell."""
                names, other = _defined(source)
                everything = files[a] is None or other or not names <= functions[a]
                return {j for j in tests if j > a and (j in own or everything or files[a] & called[j])
                        and kernel.run(j) is not None}

            for answer_id, test_id, description, source, *phrase in bank.WRONG:
                a, t = ids[answer_id], ids[test_id]
                label = f"WRONG {answer_id}: '{description}'"
                kernel.run(a, source)
                err = kernel.visible(t)
                failing = graded_failures(a, source, {t})
                kernel.run(a, perfect[answer_id])
                if err is None:
                    missed.append(description)
                    if description not in misses_allowed:
                        problems.append(f"{label} passes the visible test {test_id} (a silent ✔: flag it, or name "
                                        "it in VISIBLE_MISSES with the reason)")
                else:
                    flagged.append(description)
                    if err[0] not in COURSE_MESSAGES:
                        problems.append(f"{label} ends the visible test {test_id} in a bare {err[0]}: {err[1][:160]} "
                                        "(give the student a message instead)")
                    elif phrase and phrase[0].lower() not in err[1].lower():
                        problems.append(f"{label}: the message of {test_id} should say '{phrase[0]}', but it says: "
                                        f"{err[1][:240]}")
                    if description in misses_allowed:
                        problems.append(f"{label} is in VISIBLE_MISSES, but the visible test flags it")
                if t not in failing:
                    problems.append(f"{label} passes the hidden tests of {test_id}: it would keep its points")
                if failing - {t}:
                    problems.append(f"{label} also costs the points of {sorted(name[j] for j in failing - {t})}")
            for description in misses_allowed:
                if description not in {w[2] for w in bank.WRONG}:
                    problems.append(f"VISIBLE_MISSES names '{description}', which is not a WRONG entry")

            for answer_id, description, source in bank.RIGHT:
                a = ids[answer_id]
                label = f"RIGHT {answer_id}: '{description}'"
                following = [j for j in answers if j > a]
                own = [j for j in tests if a < j < (following[0] if following else len(nb.cells))]
                kernel.run(a, source)
                for j in own:
                    if (err := kernel.visible(j)) is not None:
                        problems.append(f"{label} fails the visible test {name[j]}: {err[0]}: {err[1][:160]}")
                failing = graded_failures(a, source, set(own))
                kernel.run(a, perfect[answer_id])
                if failing:
                    problems.append(f"{label} loses the points of {sorted(name[j] for j in failing)} when graded")

    catch_rates(lesson, {"wrong": len(bank.WRONG), "flagged": len(flagged), "missed": missed, "right": len(bank.RIGHT)})
    print(f"{lesson}: the visible tests flag {len(flagged)} of {len(bank.WRONG)} wrong answers"
          + (f"; deliberate misses: {missed}" if missed else ""))
    assert not problems, f"{lesson}:\n" + "\n".join(problems)
