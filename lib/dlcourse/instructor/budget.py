"""Time budgets for grading: each cell gets what the solution needs, each submission a ceiling.

Before a class is graded, `measure` runs the lesson's solution once (the instructor's own code,
on the cheap path that grading takes) and times every code cell. `budgets` turns the times
into limits:

- a cell of the lesson (known by its grade_id, or by its unchanged source) may run
  `FACTOR` times as long as it took the solution, and at least `FLOOR_S` seconds;
- a cell the student added may run `UNKNOWN_CELL_S` seconds;
- the whole submission may run `CEILING_FACTOR` times the solution's total plus
  `CEILING_EXTRA_S` seconds; after that, the remaining cells are not run and score 0.

So an infinite loop inside a function that many later cells call costs a few seconds per cell
instead of the global cell timeout each time, and no submission holds a grading worker for
long. `nbgrader_ext.RobustExecute` applies the budgets (it reads them from the environment
variable `DLCOURSE_CELL_BUDGETS`), and the grading report says which cells ran out of time.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import nbformat

FLOOR_S = 10.0
FACTOR = 5.0
UNKNOWN_CELL_S = 30.0
CEILING_FACTOR = 3.0
CEILING_EXTRA_S = 120.0
ENV = "DLCOURSE_CELL_BUDGETS"


def cell_key(cell) -> str:
    """How a cell is recognised in a submission: its grade_id, else a hash of its source."""
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if gid:
        return gid
    return "src:" + hashlib.sha1(cell.get("source", "").strip().encode()).hexdigest()[:16]


def _seconds(cell) -> float | None:
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))  # noqa: E731
    return max(0.0, (parse(end) - parse(start)).total_seconds())


def measure(solution: Path, *, timeout: int = 600) -> dict[str, float]:
    """Run a solution notebook once, as grading does (NBGRADER_EXECUTION set), and time each code
    cell: {cell key: seconds}. Raises RuntimeError naming the cell if the solution itself fails."""
    from ..kernel_client import CourseNotebookClient, environment

    solution = Path(solution)
    nb = nbformat.read(solution, as_version=4)
    with tempfile.TemporaryDirectory(prefix="dlcourse-budget-") as scratch:
        work = Path(scratch) / solution.parent.name
        shutil.copytree(solution.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        try:
            with environment(NBGRADER_EXECUTION="autograde", PYTHONWARNINGS="ignore"):
                CourseNotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=True,
                                     resources={"metadata": {"path": str(work)}}).execute()
        except Exception as error:  # noqa: BLE001 - say which lesson could not be timed
            raise RuntimeError(f"the solution of {solution.parent.name} does not run: {error}") from error
    return {cell_key(c): s for c in nb.cells if c.cell_type == "code" and (s := _seconds(c)) is not None}


def budgets(timings: dict[str, float], cap: float | None = None) -> dict:
    """The limits for one lesson from its solution's cell times (see the module docstring).
    `cap` (the course's cell timeout) bounds every cell's budget."""
    limit = (lambda s: min(s, cap)) if cap else (lambda s: s)
    return {
        "cells": {key: round(limit(max(FLOOR_S, FACTOR * s)), 1) for key, s in timings.items()},
        "default": limit(UNKNOWN_CELL_S),
        "ceiling": round(CEILING_FACTOR * sum(timings.values()) + CEILING_EXTRA_S, 1),
    }


def to_env(spec: dict) -> dict[str, str]:
    return {ENV: json.dumps(spec)}


def from_env() -> dict | None:
    text = os.environ.get(ENV)
    return copy.deepcopy(json.loads(text)) if text else None
