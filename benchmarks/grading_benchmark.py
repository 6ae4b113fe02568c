"""Grading throughput alone: `run_benchmarks.py` with only its class section.

    python benchmarks/grading_benchmark.py --class-size 100 --workers 2

is `python benchmarks/run_benchmarks.py --skip-lessons --skip-mnist --skip-regression --class-size 100
--workers 2` (the same as `--all --class-size 100 --workers 2`): `dlcourse autograde --all` on one
student with an empty cache, again with the cache, then on a class of 100 x every lesson, measured
once. The figures go to benchmarks/results.json and the one report, benchmarks/report.md (section 2).
benchmarks/grading_report.md keeps the figures of the earlier, separate script.
"""

import sys

from run_benchmarks import main

if __name__ == "__main__":
    sys.exit(main(["--skip-lessons", "--skip-mnist", "--skip-regression", *sys.argv[1:]]))
