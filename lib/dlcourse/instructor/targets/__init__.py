"""The graders instructors already run, as the course sees them: where a submission is, where the
results go, what a container may use, and how one graded submission is written for each.

Both services run every submission in a container of its own and read one `results.json`:

* Gradescope (https://gradescope-autograders.readthedocs.io/en/latest/specs/): the zip's files are
  in `/autograder/source`, the submission in `/autograder/submission`, results in
  `/autograder/results/results.json` (points per test and a total); by default a container has
  768 MB of memory, half a CPU and 10 minutes.
* PrairieLearn (https://prairielearn.readthedocs.io/en/latest/externalGrading/): the question's
  `tests/` folder is in `/grade/tests`, the student's files in `/grade/student`, results in
  `/grade/results/results.json` (`score` in [0, 1], `gradable`, `message`, `tests`); a job has
  2 GiB, 0.9 CPU, no network and the timeout of the question's `info.json` (default 30 s,
  at most 600 s).

`lib/dlcourse/instructor/schemas/` holds a JSON schema of each results file, written from these
specifications; the tests validate every results file the course writes against them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@dataclass(frozen=True)
class Target:
    name: str
    cpu: float              # CPU share of one grading container
    memory_mb: int          # its memory
    timeout_s: int          # how long a job may run by default
    max_timeout_s: int      # the most it may be given
    home: str               # the harness's folder
    bundle: str             # where the exported course bundle is inside the container
    submission: str         # the student's files
    results: str            # the results file

    def schema(self) -> dict:
        return json.loads((SCHEMAS / f"{self.name}_results.schema.json").read_text())


GRADESCOPE = Target("gradescope", cpu=0.5, memory_mb=768, timeout_s=600, max_timeout_s=2400, home="/autograder",
                    bundle="/autograder/source/bundle", submission="/autograder/submission",
                    results="/autograder/results/results.json")
PRAIRIELEARN = Target("prairielearn", cpu=0.9, memory_mb=2048, timeout_s=30, max_timeout_s=600, home="/grade",
                      bundle="/grade/tests/bundle", submission="/grade/student",
                      results="/grade/results/results.json")
TARGETS = {t.name: t for t in (GRADESCOPE, PRAIRIELEARN)}


@dataclass
class CellResult:
    """One graded test cell: its grade_id, points, and what the student may read about it."""
    name: str
    points: float
    max_points: float
    output: str


@dataclass
class Outcome:
    """One graded submission, independent of the service."""
    lesson: str
    cells: list[CellResult]
    gradable: bool = True     # False: no notebook of this lesson could be read (nothing was run)
    message: str = ""         # for the student: what happened to the submission as a whole
    seconds: float = 0.0

    @property
    def points(self) -> float:
        return sum(c.points for c in self.cells)

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.cells)


def gradescope_results(outcome: Outcome) -> dict:
    tests = [{"name": c.name, "number": str(i), "score": c.points, "max_score": c.max_points,
              "status": "passed" if c.points >= c.max_points else "failed",
              "output": c.output, "visibility": "visible"}
             for i, c in enumerate(outcome.cells, 1)]
    return {"score": outcome.points, "execution_time": round(outcome.seconds, 1),
            "output": outcome.message, "stdout_visibility": "hidden", "visibility": "visible", "tests": tests}


def prairielearn_results(outcome: Outcome) -> dict:
    tests = [{"name": c.name, "points": c.points, "max_points": c.max_points, "output": c.output}
             for c in outcome.cells]
    if not outcome.gradable:
        return {"gradable": False, "message": outcome.message, "format_errors": [outcome.message], "tests": tests}
    score = outcome.points / outcome.max_points if outcome.max_points else 0.0
    return {"gradable": True, "score": min(1.0, max(0.0, score)), "message": outcome.message, "tests": tests}


FORMATTERS = {"gradescope": gradescope_results, "prairielearn": prairielearn_results}


def results(target: str, outcome: Outcome) -> dict:
    return FORMATTERS[target](outcome)
