"""Time budgets of grading: measured from the solution, applied per cell and per notebook."""

from __future__ import annotations

import json
import time

import nbformat
import pytest

from dlcourse.instructor import budget
from dlcourse.instructor.nbgrader_ext import RobustExecute
from nbtools import SOLUTIONS, notebook_path

pytestmark = pytest.mark.slow


def test_budgets_come_from_the_solution_times():
    timings = budget.measure(notebook_path(SOLUTIONS, "00_start_here"))
    assert "test_weighted_sum" in timings and "weighted_sum" in timings
    assert all(0 <= s < 30 for s in timings.values())
    spec = budget.budgets(timings, cap=120)
    assert spec["cells"]["test_weighted_sum"] == budget.FLOOR_S  # a fast cell gets the floor
    assert spec["ceiling"] >= budget.CEILING_EXTRA_S
    slow = budget.budgets({"train": 30.0}, cap=120)
    assert slow["cells"]["train"] == 120  # 5 x 30 s, capped by the course's cell timeout


def _notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_budgets_grow_with_the_load(monkeypatch):
    spec = budget.budgets({"fast": 0.1, "slow": 4.0, "capped": 30.0}, cap=120)
    assert spec["cells"] == {"fast": budget.FLOOR_S, "slow": 20.0, "capped": 120}
    busy = budget.scaled(spec, 3.0)  # three times slower than idle: three times the time, the cap included
    assert busy["cells"] == {"fast": 3 * budget.FLOOR_S, "slow": 60.0, "capped": 360}
    assert busy["ceiling"] == round(3 * spec["ceiling"], 1) and busy["default"] == 3 * budget.UNKNOWN_CELL_S
    monkeypatch.setattr(budget, "load_factor", lambda: 3.0)
    monkeypatch.setenv(budget.ENV, json.dumps(spec))
    assert budget.from_env() == busy


def test_solution_times_are_cached_by_the_lessons_content(tmp_path):
    lesson = tmp_path / "solutions" / "01_x"
    lesson.mkdir(parents=True)
    (lesson / "01_x.ipynb").write_text("{}")
    runs = []
    measure = lambda: runs.append(1) or {"cell": 1.5}  # noqa: E731
    cache = tmp_path / "cache"
    assert budget.cached_timings(cache, lesson, measure) == ({"cell": 1.5}, False)
    assert budget.cached_timings(cache, lesson, measure) == ({"cell": 1.5}, True) and len(runs) == 1
    (lesson / "01_x.ipynb").write_text('{"changed": 1}')  # an edited lesson is timed again, the old entry goes
    assert budget.cached_timings(cache, lesson, measure) == ({"cell": 1.5}, False) and len(runs) == 2
    assert len(list(cache.glob("01_x-*.json"))) == 1


def test_a_looping_notebook_stops_at_its_ceiling_and_later_cells_are_not_run(tmp_path, monkeypatch):
    spec = {"cells": {}, "default": 2, "ceiling": 5}
    monkeypatch.setenv(budget.ENV, json.dumps(spec))
    monkeypatch.setattr(budget, "load_factor", lambda: 1.0)  # the ceiling as written, however busy the machine
    nb = _notebook("x = 1", *["while True:\n    pass"] * 6, "print('last')")
    executor = RobustExecute(timeout=120, interrupt_on_timeout=True, kernel_name="python3")
    start = time.monotonic()
    nb, _ = executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    took = time.monotonic() - start
    assert took < 20, f"the ceiling of 5 s did not stop the notebook ({took:.1f} s)"
    timed_out = [i for i, c in enumerate(nb.cells) if any(o.get("ename") == "CellTimeoutError" for o in c.outputs)]
    not_run = [i for i, c in enumerate(nb.cells) if any(o.get("ename") == "NotRun" for o in c.outputs)]
    assert timed_out and not_run and max(timed_out) < min(not_run) and not_run[-1] == len(nb.cells) - 1
    assert nb.metadata["dlcourse"]["ceiling_reached_in_cell"] == min(not_run)
    assert all(v <= 2 for v in nb.metadata["dlcourse"]["cell_budgets_s"].values())
