"""Grading throughput: one submission, and a class of complete submissions of lessons 00-02
graded with 1 and 2 workers (`dlcourse autograde`, sandboxed when bubblewrap is present).

    python benchmarks/grading_benchmark.py                 # class of 10, quick
    python benchmarks/grading_benchmark.py --class-size 100 --repeats 1

Writes benchmarks/grading_report.md with medians and the speed-up of 2 workers over 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from redteam.course import ROOT, honest, make_course, submit  # noqa: E402


NOTES = """Where the time goes, per notebook: the lesson itself runs in 2-5 s in a fresh kernel
(`benchmarks/report.md`); the rest is one `nbgrader autograde` process per student and lesson
(that is the isolation) and one sandboxed kernel. Two fixes keep that overhead small (see
docs/grading.md, "Throughput"): nbgrader starts through `dlcourse.instructor.nbgrader_main`,
which skips jsonschema's import of `rfc3987_syntax` (1.4 s of every nbgrader start), and kernel
replies are read in short polls (`dlcourse.kernel_client`), which removes the 120 s stall of a
missed pyzmq wake-up. Single runs unless `--repeats` says otherwise: read ratios as approximate.
"""


def lessons_available(wanted):
    return [l for l in wanted if (ROOT / "solutions" / l / f"{l}.ipynb").is_file()]


def grade_class(lessons, size, workers, sandbox):
    from dlcourse.instructor.autograde import autograde

    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-") as tmp:
        course = make_course(Path(tmp) / "course", lessons)
        for lesson in lessons:
            nb = honest(lesson)
            for k in range(size):
                submit(course, f"s{k:03d}", lesson, nb)
        start = time.perf_counter()
        total = 0
        for lesson in lessons:
            rows = autograde(course, lesson, workers=workers, sandbox=sandbox, log=lambda *_: None)
            bad = [r for r in rows if r.score != r.max_score]
            if bad:
                raise SystemExit(f"benchmark: {len(bad)} complete submissions of {lesson} lost points: {bad[0]}")
            total += len(rows)
        return time.perf_counter() - start, total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--class-size", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=1, help="runs per configuration (median reported)")
    parser.add_argument("--lessons", nargs="*", default=["00_start_here", "01_sigmoid_node", "02_xor"])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time, in this order")
    parser.add_argument("--no-sandbox", action="store_true")
    parser.add_argument("--output", default=str(HERE / "grading_report.md"))
    args = parser.parse_args()
    sandbox = not args.no_sandbox and shutil.which("bwrap") is not None
    lessons = lessons_available(args.lessons)
    results = {}

    def write_report():
        lines = [
            "# Grading benchmark",
            "",
            f"`python benchmarks/grading_benchmark.py --class-size {args.class_size} --repeats {args.repeats} "
            f"--workers {' '.join(map(str, args.workers))}` on a {os.cpu_count()}-core machine, "
            f"Python {platform.python_version()}, sandbox {'on (bubblewrap)' if sandbox else 'off'}; "
            f"lessons: {', '.join(lessons)}. Every submission is complete and must score full marks.",
            "",
            "| run | notebooks | median wall time (s) | s per notebook |",
            "| --- | ---: | ---: | ---: |",
        ]
        for k, (t, n) in results.items():
            lines.append(f"| {k} | {n} | {t:.1f} | {t / n:.2f} |")
        by_workers = {w: results[f"class of {args.class_size} x {len(lessons)} lessons, {w} worker(s)"][0]
                      for w in args.workers if f"class of {args.class_size} x {len(lessons)} lessons, {w} worker(s)" in results}
        if 1 in by_workers and 2 in by_workers:
            lines += ["", f"Speed-up of 2 workers over 1: **{by_workers[1] / by_workers[2]:.2f}x** (ratio of medians)."]
        lines += ["", NOTES]
        Path(args.output).write_text("\n".join(lines))
        print("\n".join(lines), flush=True)

    one = [grade_class(lessons[:1], 1, 1, sandbox)[0] for _ in range(max(1, args.repeats))]
    results["one submission (lesson %s), gradebook set-up included" % lessons[0]] = (statistics.median(one), 1)
    write_report()
    for workers in args.workers:
        runs = [grade_class(lessons, args.class_size, workers, sandbox) for _ in range(args.repeats)]
        results[f"class of {args.class_size} x {len(lessons)} lessons, {workers} worker(s)"] = (
            statistics.median(t for t, _ in runs), runs[0][1])
        write_report()


if __name__ == "__main__":
    main()
