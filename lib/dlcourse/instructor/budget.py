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

Budgets are wall-clock seconds, and a shared machine's load changes them: a cell measured on an
idle machine runs several times slower when other jobs share its cores. So the times are
normalised by the load when they are measured (`load_factor`: the 1-minute load average per
core, at least 1) and multiplied by the load when a notebook starts to be graded (`from_env`).
Without this, a perfect submission could lose the points of a test cell that ran near its budget
while the machine was busy (seen once in lesson 07 under a heavy load).

The timing run is cached (`cached_timings`), keyed by a hash of the lesson's folder in
`solutions/` and the course package's version: grading a lesson again, or with `--all`, pays it once.
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


FIXED_ENV = "DLCOURSE_FIXED_BUDGETS"  # set in a grading container: the host's load is not this job's share


def load_factor() -> float:
    """How much slower than idle this machine runs now: the 1-minute load average per core, at least 1.

    1 when `DLCOURSE_FIXED_BUDGETS` is set: inside a Gradescope or PrairieLearn container the load
    average is the host's, and the budgets were already scaled to the container's CPU share at export.
    """
    if os.environ.get(FIXED_ENV):
        return 1.0
    try:
        return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    except OSError:
        return 1.0


def measure(solution: Path, *, timeout: int = 600, kernel_name: str = "python3") -> dict[str, float]:
    """Run a solution notebook once, as grading does (NBGRADER_EXECUTION set), and time each code
    cell: {cell key: seconds on an idle machine} (each time divided by `load_factor`). Raises
    RuntimeError naming the cell if the solution itself fails."""
    from ..kernel_client import CourseNotebookClient, environment

    solution = Path(solution)
    nb = nbformat.read(solution, as_version=4)
    with tempfile.TemporaryDirectory(prefix="dlcourse-budget-") as scratch:
        work = Path(scratch) / solution.parent.name
        shutil.copytree(solution.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        load = load_factor()
        try:
            with environment(NBGRADER_EXECUTION="autograde", PYTHONWARNINGS="ignore"):
                CourseNotebookClient(nb, timeout=timeout, kernel_name=kernel_name, record_timing=True,
                                     resources={"metadata": {"path": str(work)}}).execute()
        except Exception as error:  # noqa: BLE001 - say which lesson could not be timed
            raise RuntimeError(f"the solution of {solution.parent.name} does not run: {error}") from error
        load = max(load, load_factor())
    return {cell_key(c): s / load for c in nb.cells if c.cell_type == "code" and (s := _seconds(c)) is not None}


def cache_key(lesson_folder: Path) -> str:
    """A hash of what the solution's times depend on: the lesson's folder (the source notebook and its
    files) and the course package's version. (After editing the package's code in place, grade with
    `--no-cache` once.)"""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("dlcourse")
    except PackageNotFoundError:
        package = "unknown"
    digest = hashlib.sha256(f"budget v2 {FLOOR_S} {FACTOR} dlcourse {package}".encode())
    base = Path(lesson_folder)
    for path in sorted(p for p in base.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _cache_path(cache_dir: Path, lesson_folder: Path) -> Path:
    return Path(cache_dir) / f"{Path(lesson_folder).name}-{cache_key(lesson_folder)}.json"


def is_cached(cache_dir: Path, lesson_folder: Path) -> bool:
    """Whether `cached_timings` will find the solution's times without a timing run."""
    return _cache_path(cache_dir, lesson_folder).is_file()


def cached_timings(cache_dir: Path, lesson_folder: Path, measure_fn) -> tuple[dict[str, float], bool]:
    """The solution's cell times from `cache_dir`, else `measure_fn()` (then stored): (timings, from cache)."""
    path = _cache_path(cache_dir, lesson_folder)
    if path.is_file():
        try:
            return json.loads(path.read_text())["timings"], True
        except (ValueError, KeyError):
            pass
    timings = measure_fn()
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"{Path(lesson_folder).name}-*.json"):
        old.unlink(missing_ok=True)  # graders sharing one cache may remove it at the same time
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"lesson": Path(lesson_folder).name, "timings": timings}, indent=1))
    tmp.replace(path)
    return timings, False


def budgets(timings: dict[str, float], cap: float | None = None) -> dict:
    """The limits for one lesson from its solution's cell times (see the module docstring).
    `cap` (the course's cell timeout) bounds every cell's budget."""
    limit = (lambda s: min(s, cap)) if cap else (lambda s: s)
    return {
        "cells": {key: round(limit(max(FLOOR_S, FACTOR * s)), 1) for key, s in timings.items()},
        "default": limit(UNKNOWN_CELL_S), "cap": cap,
        "ceiling": round(CEILING_FACTOR * sum(timings.values()) + CEILING_EXTRA_S, 1),
    }


def to_env(spec: dict) -> dict[str, str]:
    return {ENV: json.dumps(spec)}


def scaled(spec: dict, factor: float) -> dict:
    """The budgets `spec` on a machine `factor` times slower than idle (see `load_factor`)."""
    cap = spec.get("cap") and spec["cap"] * factor  # the class's cell limit is wall-clock seconds too
    limit = (lambda s: min(s, cap)) if cap else (lambda s: s)
    return {**spec, "cells": {k: round(limit(v * factor), 1) for k, v in spec["cells"].items()},
            "default": limit(spec["default"] * factor), "ceiling": round(spec["ceiling"] * factor, 1)}


def from_env() -> dict | None:
    """The budgets of the notebook about to be graded, scaled by the machine's load now."""
    text = os.environ.get(ENV)
    return scaled(copy.deepcopy(json.loads(text)), load_factor()) if text else None
