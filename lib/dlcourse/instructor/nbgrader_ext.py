"""Small extensions of nbgrader's own preprocessors, switched on by `dlcourse autograde` and
`dlcourse feedback` through nbgrader's configuration (nbgrader still does the grading).

* `RobustExecute` (replaces `Execute` in `Autograde.autograde_preprocessors`): when the kernel
  dies in a cell (`os._exit`, the memory limit, a crash), that cell gets an error output saying
  so and every later code cell gets a "not run" error instead of nbgrader aborting the
  student's notebook; graded cells that ran keep their result, the others score 0. With time
  budgets in the environment (`budget.py`), each cell runs at most its budget and the whole
  notebook at most its ceiling; cells after the ceiling are "not run" and score 0.
* `HideHiddenTests` (added to `GenerateFeedback.preprocessors`): removes the hidden-test regions
  from test cells and replaces the traceback of an error raised in a test cell by its last
  line (`AssertionError: wrong values on random inputs`), so feedback never shows hidden code.
"""

from __future__ import annotations

import os
import time

from nbformat.notebooknode import NotebookNode
from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import ClearHiddenTests, Execute
from nbgrader import utils

from . import budget


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class RobustExecute(Execute):
    def preprocess(self, nb, resources=None, km=None):
        self._died_in = None
        self._ceiling_in = None
        self._budgets = budget.from_env()
        self._used = {}  # cell index -> the budget it ran under
        self._start = time.monotonic()
        if self._budgets:
            self.timeout_func = self._cell_budget
        nb, resources = super().preprocess(nb, resources, km)
        meta = nb.metadata.setdefault("dlcourse", {})
        if self._died_in is not None:
            meta["kernel_died_in_cell"] = self._died_in
        if self._ceiling_in is not None:
            meta["ceiling_reached_in_cell"] = self._ceiling_in
            meta["ceiling_s"] = self._budgets["ceiling"]
        if self._used:
            meta["cell_budgets_s"] = {str(k): v for k, v in self._used.items()}
        return nb, resources

    def _cell_budget(self, cell) -> int:
        spec = self._budgets
        allowed = spec["cells"].get(budget.cell_key(cell), spec["default"])
        if self.timeout:
            allowed = min(allowed, self.timeout)
        remaining = spec["ceiling"] - (time.monotonic() - self._start)
        seconds = max(1, int(round(min(allowed, remaining))))
        self._used[self._index] = seconds
        return seconds

    def preprocess_cell(self, cell, resources, index):
        self._index = index
        if self._died_in is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("NotRun", f"not run: the kernel died in cell {self._died_in}")]
            return cell, resources
        if cell.cell_type == "code" and self._budgets and (
                self._ceiling_in is not None or time.monotonic() - self._start >= self._budgets["ceiling"]):
            if self._ceiling_in is None:
                self._ceiling_in = index
            cell.outputs = [_error("NotRun", f"not run: the notebook used up its time budget of "
                                             f"{self._budgets['ceiling']:.0f} s (cell {self._ceiling_in} on)")]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._died_in = index
            cell.outputs.append(_error("DeadKernelError", "the kernel died while running this cell "
                                       "(os._exit, sys.exit in a thread, the memory limit or a crash)"))
            log = os.environ.get("DLCOURSE_GUARD_LOG")
            if log:
                with open(log, "a") as f:
                    f.write(f"kernel died in cell {index}\n")
            return cell, resources


class HideHiddenTests(ClearHiddenTests):
    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return super().preprocess_cell(cell, resources, cell_index)
