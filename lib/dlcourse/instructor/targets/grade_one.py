"""Grading one submission in a grading container (Gradescope, PrairieLearn):

    python -m dlcourse.instructor.targets.grade_one --target gradescope

It takes the same path as `dlcourse autograde` (`autograde.Grader.grade_student`: sanitize, the
sandboxed kernel with its guard, nbgrader, the time budgets, the consistency check of the
gradebook), on a bundle that `dlcourse export-autograder` prepared once: the lesson already
registered in a sqlite gradebook, the student version, the budgets measured on the solution and
scaled to the container's CPU share. Nothing here depends on anything but the submission.

The bundle is copied to a private scratch folder for the run, so the bundle itself never changes;
the kernel sees neither (nor the results folder). The results file is written once, at the end,
after the student's kernel is gone; if anything in the grader fails, a results file still says so.

Where bubblewrap cannot create a sandbox (a container without user namespaces) and the grader
runs as root, the student's kernel runs as an unprivileged user instead (`unprivileged.py`): it
then cannot read the bundle or the gradebook, or write the results.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import nbformat

from ..sanitize import prepare
from . import TARGETS, CellResult, Outcome, results

STUDENT = "student"
MAX_OUTPUT = 4000
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MISTAKE = re.compile(r"\n?\[mistake: [^\]]*\]\s*$")


def load_spec(bundle: Path) -> dict:
    return json.loads((Path(bundle) / "grading.json").read_text())


def find_notebook(submission: Path, lesson: str) -> Path | None:
    """The submitted notebook: `LESSON.ipynb` anywhere in the submission, else the newest notebook."""
    found = [p for p in Path(submission).rglob("*.ipynb")
             if ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".") and p.is_file()]
    if not found:
        return None
    named = [p for p in found if p.name == f"{lesson}.ipynb"]
    return min(named or found, key=lambda p: (len(p.parts), -p.stat().st_mtime))


def cell_output(cell) -> str:
    """What the student may read about a graded test cell: what it printed, and its failure message
    (the course's message for a CheckFailed; never a traceback, so never the hidden tests' code)."""
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream" and out.get("name") == "stdout":
            parts.append(out.get("text", "").rstrip("\n"))
        elif kind == "error":
            ename, evalue = out.get("ename", "Error"), _MISTAKE.sub("", out.get("evalue", "")).strip()
            if ename == "CheckFailed":
                parts.append("✘ " + evalue)
            elif ename in ("NotRun", "DeadKernelError"):
                parts.append("✘ " + evalue)
            elif ename in ("CellTimeoutError", "KeyboardInterrupt"):
                parts.append("✘ this cell ran longer than its time budget and was stopped")
            else:
                parts.append(f"✘ {ename}: {evalue}" if evalue else f"✘ {ename}")
    text = _ANSI.sub("", "\n".join(p for p in parts if p))
    return text if len(text) <= MAX_OUTPUT else text[:MAX_OUTPUT] + "\n[... output cut]"


def _zero_outcome(spec: dict, message: str, gradable: bool) -> Outcome:
    cells = [CellResult(c["name"], 0.0, float(c["points"]), "not graded: " + message) for c in spec["cells"]]
    return Outcome(spec["lesson"], cells, gradable=gradable, message=message)


def _summary(outcome: Outcome, events: list[str]) -> str:
    lines = [f"{outcome.lesson}: {outcome.points:g} of {outcome.max_points:g} points from the autograded tests."]
    unique = list(dict.fromkeys(events))  # a note repeated cell after cell is said once
    if unique:
        lines.append("Notes from the grader:")
        lines += [f"- {e}" + (f" ({events.count(e)} times)" if events.count(e) > 1 else "") for e in unique]
    return "\n".join(lines)


def _grader_class():
    from ..autograde import Grader

    class ContainerGrader(Grader):
        """`Grader` on a prepared bundle: the set-up (release, timing run) was done at export."""
        hide: list[str] = []
        spec_env: dict = {}

        def env(self, student):
            env = super().env(student)
            extra = [p for p in self.hide if p]
            env["DLCOURSE_SANDBOX_HIDE"] = os.pathsep.join([env.get("DLCOURSE_SANDBOX_HIDE", ""), *extra]).strip(os.pathsep)
            env.update(self.spec_env)
            return env

    return ContainerGrader


ISOLATION_ENV = "DLCOURSE_ISOLATION"  # force 'bwrap' or 'unprivileged' (the tests try both)


def sandbox_mode() -> str:
    """'bwrap' where bubblewrap can make a sandbox, else 'unprivileged' (as root) or 'none'."""
    from .. import sandbox as sandbox_mod
    if os.environ.get(ISOLATION_ENV) in ("bwrap", "unprivileged"):
        return os.environ[ISOLATION_ENV]
    try:
        sandbox_mod.check_available()
        return "bwrap"
    except sandbox_mod.SandboxUnavailable as exc:
        print(f"dlcourse: no bubblewrap sandbox in this container ({str(exc).splitlines()[0]})")
        return "unprivileged" if os.geteuid() == 0 else "none"


def grade(bundle: Path, submission: Path, *, protect: list[str] = (), mode: str | None = None, log=print) -> Outcome:
    """Grade the submission folder against the bundle; return the outcome (never raises for a bad submission).

    The kernel never sees the bundle (bubblewrap puts an empty folder over it; an unprivileged
    kernel is locked out of it) and cannot write into `protect` (the results folder: read-only in
    bubblewrap, root's own for an unprivileged kernel)."""
    bundle = Path(bundle).resolve()
    spec = load_spec(bundle)
    lesson = spec["lesson"]
    source = find_notebook(Path(submission), lesson)
    if source is None:
        return _zero_outcome(spec, f"no notebook (.ipynb) in the submission: upload {lesson}.ipynb", gradable=False)
    release_nb = nbformat.read(bundle / "course" / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    readable = prepare(source, release_nb, lesson)
    if readable.fatal:  # nothing to run: no grader, no kernel
        return _zero_outcome(spec, f"the notebook could not be read ({readable.fatal}): upload the {lesson}.ipynb "
                                   "you worked in", gradable=False)
    mode = mode or sandbox_mode()
    how = {"bwrap": "in bubblewrap", "unprivileged": "as the user nobody"}.get(mode, "without a sandbox")
    log(f"dlcourse: the student's kernel runs {how}")
    scratch = Path(tempfile.mkdtemp(prefix="dlcourse-grade-one-"))
    try:
        root = scratch / "course"
        shutil.copytree(bundle / "course", root)
        folder = root / "submitted" / STUDENT / lesson
        folder.mkdir(parents=True)
        for extra in source.parent.iterdir():
            if extra.is_file() and extra.suffix != ".ipynb":
                shutil.copy(extra, folder / extra.name)
        shutil.copy(source, folder / f"{lesson}.ipynb")
        Grader = _grader_class()
        grader = Grader(root, lesson, db_url=f"sqlite:///{root / 'gradebook.db'}", sandbox=(mode == "bwrap"),
                        timeout=spec.get("timeout"), memory_mb=spec.get("memory_mb", 4096), log=log)
        grader.hide = [str(bundle)]
        grader.spec_env = dict(spec.get("env", {}))
        grader.release_nb = release_nb
        grader.budgets = spec["budgets"]
        if mode == "unprivileged":
            from . import unprivileged
            unprivileged.prepare(grader, scratch, [bundle, *map(Path, protect)])
        try:
            row = grader.grade_student(STUDENT)
            if row.status in ("unreadable", "missing"):
                reason = "; ".join(e for e in row.events if e.startswith(("unreadable", "no notebook")))
                return _zero_outcome(spec, f"the notebook could not be read ({reason}): upload the {lesson}.ipynb "
                                           "you worked in", gradable=False)
            out_nb = root / "autograded" / STUDENT / lesson / f"{lesson}.ipynb"
            graded = nbformat.read(out_nb, as_version=4) if out_nb.is_file() else None
            outcome = Outcome(lesson, _cells(spec, root, graded, grader), message="")
            outcome.message = _summary(outcome, row.events)
            return outcome
        finally:
            grader.cleanup()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _cells(spec: dict, root: Path, graded, grader) -> list[CellResult]:
    from nbgrader.api import Gradebook

    with Gradebook(grader.db_url, grader.course_id) as gb:
        sub = gb.find_submission_notebook(spec["lesson"], spec["lesson"], STUDENT)
        scores = {g.name: float(g.auto_score or 0) for g in sub.grades if g.cell_type == "code"}
    by_id = {}
    for cell in (graded.cells if graded is not None else []):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            by_id[gid] = cell
    out = []
    for c in spec["cells"]:
        cell = by_id.get(c["name"])
        text = cell_output(cell) if cell is not None else "✘ this test did not run"
        out.append(CellResult(c["name"], min(scores.get(c["name"], 0.0), float(c["points"])), float(c["points"]), text))
    return out


def write_results(path: Path, data: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.instructor.targets.grade_one",
                                     description="Grade one submission in a Gradescope or PrairieLearn container.")
    parser.add_argument("--target", choices=sorted(TARGETS), required=True)
    parser.add_argument("--bundle", help="the exported bundle (default: the target's place for it)")
    parser.add_argument("--submission", help="the student's files (default: the target's folder)")
    parser.add_argument("--results", help="the results file to write (default: the target's)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DLCOURSE_FIXED_BUDGETS", "1")  # budgets were scaled to the container's CPU share at export
    target = TARGETS[args.target]
    bundle = Path(args.bundle or target.bundle)
    results_path = Path(args.results or target.results)
    started = time.monotonic()
    spec = load_spec(bundle)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        outcome = grade(bundle, Path(args.submission or target.submission), protect=[str(results_path.parent)])
    except Exception as exc:  # noqa: BLE001 - the service must still get a results file
        traceback.print_exc()
        outcome = _zero_outcome(spec, f"the grader itself failed ({type(exc).__name__}); your instructor can see "
                                      "the log and will regrade it", gradable=False)
    outcome.seconds = time.monotonic() - started
    write_results(results_path, results(target.name, outcome))
    print(outcome.message)
    print(f"wrote {results_path} in {outcome.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
