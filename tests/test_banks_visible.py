"""The visible tests of every lesson against its answer bank: does a ✔ mean the points?

The round trip (test_roundtrip.py) proves what the *grader* does with each bank entry. This
test proves what the *student* sees before submitting: it runs the student version of a lesson
(visible tests only) in one kernel with perfect answers, then, one entry at a time,

- replaces an answer cell by a WRONG entry and runs the cells from that answer cell to the
  test cell the entry names: the test cell must fail with the course's own message
  (`CheckFailed` or an `AssertionError`), never a bare library exception, unless the bank
  names the entry in `VISIBLE_MISSES` with the reason only the hidden tests catch it; an entry
  may carry a fifth item, a phrase the message must contain (so that a message naming the
  wrong mistake is caught too);
- replaces an answer cell by a RIGHT entry and runs the cells up to its exercise's test cells:
  they must all pass;

and puts the perfect answer back before the next entry. The catch rate of each lesson (wrong
answers flagged by the visible tests / all wrong answers) is printed in the test summary.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from dlcourse.kernel_client import CourseNotebookClient, environment

from nbtools import KERNEL_ENV, LESSONS, is_test_cell, lesson_ids, nbgrader_meta, notebook_path
from submissions import fill, load_bank, solution_answers

pytestmark = pytest.mark.slow

COURSE_MESSAGES = {"CheckFailed", "AssertionError"}


def _banked_lessons() -> list[str]:
    return [lesson for lesson in lesson_ids() if load_bank(lesson) is not None]


def _error(cell) -> tuple[str, str] | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return output.get("ename", ""), output.get("evalue", "")
    return None


class _Kernel:
    """One kernel running a notebook's cells on demand."""

    def __init__(self, nb, folder: Path):
        self.nb = nb
        self.client = CourseNotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                                           resources={"metadata": {"path": str(folder)}})

    def run(self, index: int, source: str | None = None):
        cell = copy.deepcopy(self.nb.cells[index])
        if source is not None:
            cell.source = source
        if cell.cell_type != "code":
            return None
        cell.outputs = []
        self.client.execute_cell(cell, index)
        return _error(cell)


def _index(nb) -> tuple[dict[str, int], list[int]]:
    """grade_id -> cell index, and the indices of the answer cells (autograded answers)."""
    ids = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id")}
    answers = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")]
    return ids, answers


@pytest.mark.parametrize("lesson", _banked_lessons())
def test_visible_tests_flag_the_bank(lesson, catch_rates):
    bank = load_bank(lesson)
    misses_allowed = dict(getattr(bank, "VISIBLE_MISSES", {}))
    release = nbformat.read(notebook_path(LESSONS, lesson), as_version=4)
    perfect = solution_answers(lesson)
    nb = fill(release, perfect)
    ids, answer_cells = _index(nb)
    problems, flagged, missed = [], [], []
    with environment(**KERNEL_ENV):
        kernel = _Kernel(nb, notebook_path(LESSONS, lesson).parent)
        with kernel.client.setup_kernel():
            for i in range(len(nb.cells)):
                err = kernel.run(i)
                if err:
                    problems.append(f"with perfect answers, cell {i} fails: {err[0]}: {err[1][:200]}")
            assert not problems, f"{lesson}: " + "\n".join(problems)

            def replay(answer_index: int, last: int, source: str, keep_going: bool = False):
                """Run the answer cell with `source`, then the cells after it up to `last` (no other
                answer cells); return {test cell index: error or None}."""
                results = {}
                kernel.run(answer_index, source)
                for j in range(answer_index + 1, last + 1):
                    if j in answer_cells:
                        continue
                    err = kernel.run(j)
                    if is_test_cell(nb.cells[j]):
                        results[j] = err
                return results

            def restore(answer_index: int, last: int):
                kernel.run(answer_index, perfect[nbgrader_meta(nb.cells[answer_index])["grade_id"]])
                for j in range(answer_index + 1, last + 1):
                    if j not in answer_cells and not is_test_cell(nb.cells[j]):
                        kernel.run(j)

            for answer_id, test_id, description, source, *message in bank.WRONG:
                a, t = ids[answer_id], ids[test_id]
                err = replay(a, t, source).get(t)
                restore(a, t)
                if err is None:
                    missed.append(description)
                    if description not in misses_allowed:
                        problems.append(f"WRONG {answer_id}: '{description}' passes the visible test {test_id} "
                                        "(a silent ✔: flag it, or name it in VISIBLE_MISSES with the reason)")
                else:
                    flagged.append(description)
                    if err[0] not in COURSE_MESSAGES:
                        problems.append(f"WRONG {answer_id}: '{description}' ends {test_id} in a bare "
                                        f"{err[0]}: {err[1][:160]} (give the student a message instead)")
                    elif message and message[0].lower() not in err[1].lower():
                        problems.append(f"WRONG {answer_id}: '{description}': the message of {test_id} should say "
                                        f"'{message[0]}', but it says: {err[1][:240]}")
                    if description in misses_allowed:
                        problems.append(f"WRONG {answer_id}: '{description}' is in VISIBLE_MISSES but the visible "
                                        "test flags it: take it out of VISIBLE_MISSES")
            for name in misses_allowed:
                if name not in {w[2] for w in bank.WRONG}:
                    problems.append(f"VISIBLE_MISSES names '{name}', which is not a WRONG entry")

            for answer_id, description, source in bank.RIGHT:
                a = ids[answer_id]
                following = [j for j in answer_cells if j > a]
                last = (following[0] - 1) if following else len(nb.cells) - 1
                results = replay(a, last, source)
                restore(a, last)
                for j, err in results.items():
                    if err is not None:
                        problems.append(f"RIGHT {answer_id}: '{description}' fails the visible test "
                                        f"{nbgrader_meta(nb.cells[j]).get('grade_id')}: {err[0]}: {err[1][:160]}")

    total = len(bank.WRONG)
    catch_rates(lesson, {"wrong": total, "flagged": len(flagged), "missed": missed, "right": len(bank.RIGHT)})
    print(f"{lesson}: the visible tests flag {len(flagged)} of {total} wrong answers"
          + (f"; deliberate misses: {missed}" if missed else ""))
    assert not problems, f"{lesson}:\n" + "\n".join(problems)
