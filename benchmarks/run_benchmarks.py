"""Run times of the lessons, measured the way a student or the grader meets them.

Each lesson's solution version runs top to bottom in a fresh kernel, `--repeats` times;
the report gives the median, the spread, and the ratio to the course's bar (20 s for a
NumPy lesson, 90 s for the Keras lesson, 5 minutes for the whole course). The machine is
shared and noisy, so these are numbers to read, never assertions in the test suite.

    python benchmarks/run_benchmarks.py [--repeats 3] [--lessons 00_start_here ...]
writes benchmarks/report.md (and prints it).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from dlcourse.kernel_client import CourseNotebookClient

ROOT = Path(__file__).resolve().parents[1]
BAR_SECONDS = {"09_keras_mnist": 90.0}
DEFAULT_BAR = 20.0
COURSE_BAR = 300.0


def run_once(path: Path, grading: bool) -> float:
    nb = nbformat.read(path, as_version=4)
    env_backup = os.environ.get("NBGRADER_EXECUTION")
    if grading:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    start = time.perf_counter()
    try:
        CourseNotebookClient(nb, timeout=600, kernel_name="python3",
                             resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if env_backup is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = env_backup
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lessons", nargs="*")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "report.md"))
    args = parser.parse_args(argv)
    lessons = args.lessons or sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())

    rows, total_median, total_graded = [], 0.0, 0.0
    for lesson in lessons:
        path = ROOT / "solutions" / lesson / f"{lesson}.ipynb"
        times = [run_once(path, grading=False) for _ in range(args.repeats)]
        graded = [run_once(path, grading=True) for _ in range(max(1, args.repeats // 2))]
        median, graded_median = statistics.median(times), statistics.median(graded)
        bar = BAR_SECONDS.get(lesson, DEFAULT_BAR)
        total_median += median
        total_graded += graded_median
        rows.append(f"| {lesson} | {median:.1f} | {min(times):.1f}–{max(times):.1f} | {graded_median:.1f} | {bar:.0f} | {median / bar:.2f} |")
        print(rows[-1], flush=True)

    report = [
        "# Lesson run times",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, with `python benchmarks/run_benchmarks.py --repeats {args.repeats}`.",
        "Solution version, fresh kernel each run, wall-clock seconds including kernel start-up.",
        "*graded* sets `NBGRADER_EXECUTION=autograde` (the cheap path lessons take when graded).",
        "",
        "| lesson | median s | range s | graded median s | bar s | median / bar |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        f"| **whole course** | {total_median:.1f} | | {total_graded:.1f} | {COURSE_BAR:.0f} | {total_median / COURSE_BAR:.2f} |",
        "",
    ]
    Path(args.output).write_text("\n".join(report))
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
