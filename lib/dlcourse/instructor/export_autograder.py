"""`dlcourse export-autograder LESSON --target gradescope|prairielearn`: the lesson as an autograder
of a service that grades every submission in a container of its own.

Everything that does not depend on the submission happens here, once:

* the lesson is registered in a sqlite gradebook (nbgrader `generate_assignment`) and its student
  version kept (the tamper scan and the metadata repair compare a submission with it);
* the solution runs once on the graded path, one thread, timed cell by cell and measured for
  memory (its kernel's peak resident size); the time budgets are computed from those times
  divided by the container's CPU share (0.5 on Gradescope, 0.9 on PrairieLearn), and the whole
  notebook's ceiling is kept inside the service's time limit;
* the image installs the course package at the versions tested here (`requirements.txt`) with
  bubblewrap, and compiles and imports what grading imports (`install.sh`).

In the container, `python -m dlcourse.instructor.targets.grade_one` grades one submission the
way `dlcourse autograde` grades a class (see `targets/grade_one.py`) and writes the service's
`results.json`.

What it writes:

* gradescope: a zip with `setup.sh` (runs `install.sh` on Gradescope's Ubuntu 22.04 image),
  `run_autograder`, `README.md`, `image/` (the package, its pins, the data) and `bundle/`;
* prairielearn: a folder with `image/` (a `Dockerfile` for the grading image), and
  `questions/LESSON/` (`info.json` with `externalGradingOptions`, `question.html` with a file
  upload, `tests/` holding `run` and `bundle/`), to copy into the course repository.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import nbformat

from . import budget as budget_mod
from .nbgrader_run import run_nbgrader
from .targets import TARGETS, Target

# Environment of the grading kernel in a container: one thread everywhere (the container has at
# most one CPU) and few malloc arenas, which keeps TensorFlow's resident memory down.
KERNEL_ENV = {
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "MALLOC_ARENA_MAX": "2",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}
# Start-up besides the notebook's own cells, on one full CPU: the grader, nbgrader's process and its
# gradebook writes (about 6 s measured on the course's 2-core machine), with room to spare.
STARTUP_S = 15.0
# Resident memory of the grading processes besides the kernel (grade_one, nbgrader autograde, bwrap):
# about 260 MB measured with `/usr/bin/time -v` on the course's machine, rounded up.
GRADER_MB = 300
# The Python the image installs (the one the course is tested with here)
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
# Packages the grading image pins at the versions installed here (plus tensorflow where the lesson uses it)
PINNED = ["numpy", "matplotlib", "ipywidgets", "tqdm", "scipy", "nbgrader", "nbclient", "nbconvert", "nbformat",
          "ipykernel", "ipython", "jupyter_client", "jupyter_core", "traitlets", "pyzmq", "sqlalchemy", "alembic"]
TF_PINNED = ["tensorflow", "keras"]


@dataclass
class Measured:
    """What one run of the solution on the graded path showed (single thread, full CPU)."""
    timings: dict[str, float]
    kernel_mb: float
    startup_s: float

    @property
    def cells_s(self) -> float:
        return sum(self.timings.values())


@dataclass
class Plan:
    """The limits of one lesson on one service."""
    target: Target
    budgets: dict
    expected_s: float           # a perfect submission, start to end, on the service's CPU share
    timeout_s: int              # the job's time limit to set (PrairieLearn) or that is needed (Gradescope)
    memory_mb: int              # the container memory a submission needs
    notes: list[str] = field(default_factory=list)

    @property
    def fits_defaults(self) -> bool:
        return self.memory_mb <= self.target.memory_mb and self.timeout_s <= self.target.timeout_s


def uses_tensorflow(solution: Path) -> bool:
    text = Path(solution).read_text()
    return "import tensorflow" in text or "import keras" in text


def uses_data(solution: Path) -> bool:
    """Whether the lesson reads a dataset from `data/` (MNIST); the others generate theirs."""
    return "mnist" in Path(solution).read_text().lower()


def measure(solution: Path) -> Measured:
    """Time the solution cell by cell and take its kernel's peak resident memory, in a process of its
    own (so that its children are only this kernel), with the container's one-thread settings.
    Times are seconds on an idle machine (`budget.measure` divides by the load while it runs)."""
    code = (
        "import json, resource, sys, time\n"
        "from dlcourse.instructor import budget\n"
        "load = budget.load_factor()\n"
        "start = time.monotonic()\n"
        "timings = budget.measure(sys.argv[1])\n"
        "wall = (time.monotonic() - start) / max(load, budget.load_factor())  # idle seconds, as the timings\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'timings': timings, 'kernel_mb': rss, 'wall': wall}))\n")
    env = {**os.environ, **KERNEL_ENV, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-c", code, str(solution)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"the solution of {Path(solution).parent.name} could not be timed:\n"
                           + "\n".join(done.stderr.strip().splitlines()[-15:]))
    data = json.loads(done.stdout.strip().splitlines()[-1])
    timings = data["timings"]
    return Measured(timings, data["kernel_mb"], max(0.0, data["wall"] - sum(timings.values())))


def plan(measured: Measured, target: Target) -> Plan:
    """Budgets scaled to the target's CPU share; a ceiling and a job timeout inside its limits.

    The grader must finish, and write its results, before the service stops the job: on
    PrairieLearn (at most 600 s) the notebook's ceiling is cut to fit; on Gradescope, whose limit an
    instructor can raise, it is cut to fit the default 10 minutes unless that leaves a perfect
    submission less than twice its expected time, and the README then says what to set.
    """
    scale = 1.0 / target.cpu
    scaled = {k: v * scale for k, v in measured.timings.items()}
    budgets = budget_mod.budgets(scaled, cap=None)  # no 120 s class cap: the service's limit bounds it
    startup = (STARTUP_S + measured.startup_s) * scale
    expected = startup + measured.cells_s * scale
    notes = []
    room = target.timeout_s - startup - 10 if target.name == "gradescope" else target.max_timeout_s - startup - 10
    if budgets["ceiling"] > room:
        wanted = 2 * expected - startup
        budgets["ceiling"] = round(room if target.name == "prairielearn" else max(room, wanted), 1)
        if target.name == "prairielearn" and expected > room:
            notes.append(f"a perfect submission needs about {expected:.0f} s at {target.cpu} CPU; PrairieLearn allows "
                         f"at most {target.max_timeout_s} s: the lesson's graded path must get cheaper")
    timeout = math.ceil(budgets["ceiling"] + startup + 10)
    if target.name == "prairielearn":
        timeout = min(timeout, target.max_timeout_s)
    memory = int(math.ceil((measured.kernel_mb + GRADER_MB) / 64.0) * 64)
    return Plan(target, budgets, expected, timeout, memory, notes)


# ----------------------------------------------------------------------------- the bundle

def _graded_cells(release_nb) -> list[dict]:
    cells = []
    for cell in release_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            cells.append({"name": meta["grade_id"], "points": float(meta.get("points", 0))})
    return cells


@dataclass
class Prepared:
    """A lesson registered and measured once, for any number of targets."""
    lesson: str
    course: Path                # scratch course folder: nbgrader_config.py, gradebook.db, release/
    release_nb: nbformat.NotebookNode
    measured: Measured
    tensorflow: bool
    data: bool

    def cleanup(self) -> None:
        shutil.rmtree(self.course.parent, ignore_errors=True)


def prepare(root: Path, lesson: str, *, log=print) -> Prepared:
    root = Path(root).resolve()
    solution = root / "solutions" / lesson / f"{lesson}.ipynb"
    if not solution.is_file():
        raise SystemExit(f"dlcourse: no lesson {lesson} in {root / 'solutions'}")
    scratch = Path(tempfile.mkdtemp(prefix="dlcourse-export-"))
    course = scratch / "course"
    course.mkdir()
    shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(solution.parent, course / "solutions" / lesson,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    run_nbgrader(["generate_assignment", lesson, "--force", f"--db=sqlite:///{course / 'gradebook.db'}",
                  f"--CourseDirectory.release_directory={course / 'release'}"], course)
    release_nb = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    log(f"{lesson}: timing the solution on the graded path (one thread)...")
    measured = measure(solution)
    # the container's course folder has no solution: the grader only needs the lesson's folder to exist
    shutil.rmtree(course / "solutions" / lesson)
    (course / "solutions" / lesson).mkdir()
    nbformat.write(release_nb, course / "solutions" / lesson / f"{lesson}.ipynb")
    for junk in (".nbgrader.log",):
        (course / junk).unlink(missing_ok=True)
    return Prepared(lesson, course, release_nb, measured, uses_tensorflow(solution), uses_data(solution))


def write_bundle(prepared: Prepared, the_plan: Plan, dest: Path) -> Path:
    dest = Path(dest)
    shutil.copytree(prepared.course, dest / "course")
    for path in (dest / "course").rglob("gradebook.db"):
        path.chmod(0o600)  # holds the hidden tests
    spec = {
        "lesson": prepared.lesson,
        "target": the_plan.target.name,
        "cells": _graded_cells(prepared.release_nb),
        "budgets": the_plan.budgets,
        # nbgrader's own cell timeout (120 s in the course's config) must not cut a scaled budget short
        "timeout": math.ceil(max([the_plan.budgets["default"], *the_plan.budgets["cells"].values()])) + 1,
        "memory_mb": 4096,
        "env": KERNEL_ENV,
        "measured": {"solution_cells_s": round(prepared.measured.cells_s, 2),
                     "kernel_start_s": round(prepared.measured.startup_s, 2),
                     "kernel_peak_mb": round(prepared.measured.kernel_mb),
                     "expected_s": round(the_plan.expected_s, 1), "memory_mb": the_plan.memory_mb,
                     "timeout_s": the_plan.timeout_s, "cpu": the_plan.target.cpu},
    }
    (dest / "grading.json").write_text(json.dumps(spec, indent=1))
    return dest


def requirements(tensorflow: bool) -> str:
    lines = [f"# the versions the course was tested with (Python {PYTHON}); written by dlcourse export-autograder"]
    for name in PINNED + (TF_PINNED if tensorflow else []):
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return "\n".join(lines) + "\n"


INSTALL_SH = """#!/usr/bin/env bash
# Builds the grading environment (Gradescope: from setup.sh; PrairieLearn: from the Dockerfile).
# Runs once per image, never per submission: packages, bubblewrap, compiled bytecode, warm imports.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends bubblewrap python3 python3-pip python3-venv ca-certificates
python3 -m pip install --no-cache-dir "uv==0.9.*"
# Python outside root's home: the student's kernel may run as an unprivileged user (targets/unprivileged.py)
export UV_PYTHON_INSTALL_DIR=/opt/dlcourse/python
uv python install {python}
uv venv --python {python} /opt/dlcourse/venv
rm -rf /opt/dlcourse/src && cp -r "$here/package" /opt/dlcourse/src
uv pip install --python /opt/dlcourse/venv/bin/python -r "$here/requirements.txt"
uv pip install --python /opt/dlcourse/venv/bin/python --no-deps -e /opt/dlcourse/src
# imports done ahead: bytecode of everything, and matplotlib's font cache
/opt/dlcourse/venv/bin/python -m compileall -q /opt/dlcourse/src/lib /opt/dlcourse/venv/lib > /dev/null || true
/opt/dlcourse/venv/bin/python -c "import numpy, matplotlib.pyplot, nbgrader.apps, dlcourse.checks{tf}"
echo "grading environment ready: /opt/dlcourse/venv"
"""

RUN_SH = """#!/usr/bin/env bash
# {service}: grades {submission} with the bundle in {bundle}, writes {results}.
export PYTHONDONTWRITEBYTECODE=1
exec "${{DLCOURSE_PYTHON:-/opt/dlcourse/venv/bin/python}}" -m dlcourse.instructor.targets.grade_one \\
    --target {target} --bundle {bundle}
"""


def write_image(root: Path, prepared: Prepared, dest: Path) -> Path:
    """The package, its pins, the data and install.sh: everything the image needs."""
    dest = Path(dest)
    package = dest / "package"
    package.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    shutil.copytree(root / "lib" / "dlcourse", package / "lib" / "dlcourse", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, package / name)
    if (root / "data").is_dir() and prepared.data:  # MNIST: only for the lessons that read it
        shutil.copytree(root / "data", package / "data", ignore=ignore)
    (dest / "requirements.txt").write_text(requirements(prepared.tensorflow))
    install = dest / "install.sh"
    install.write_text(INSTALL_SH.format(python=PYTHON, tf=", tensorflow" if prepared.tensorflow else ""))
    install.chmod(0o755)
    return dest


def _limits_text(the_plan: Plan, prepared: Prepared) -> str:
    t = the_plan.target
    m = prepared.measured
    lines = [f"Measured at export (the solution, graded path, one thread, full CPU): cells {m.cells_s:.1f} s, "
             f"kernel start {m.startup_s:.1f} s, kernel peak memory {m.kernel_mb:.0f} MB.",
             f"On {t.cpu:g} CPU a perfect submission takes about {the_plan.expected_s:.0f} s; a submission may run "
             f"{the_plan.budgets['ceiling']:.0f} s before its remaining cells are skipped (score 0).",
             f"Memory a submission needs: about {the_plan.memory_mb} MB ({t.name}'s default: {t.memory_mb} MB)."]
    if the_plan.memory_mb > t.memory_mb:
        lines.append(f"SET THE MEMORY to at least {the_plan.memory_mb} MB: the default is too small for this lesson.")
    if t.name == "gradescope" and the_plan.timeout_s > t.timeout_s:
        lines.append(f"SET THE TIMEOUT to at least {the_plan.timeout_s} s (the default is {t.timeout_s} s).")
    lines += the_plan.notes
    return "\n".join(lines)


GRADESCOPE_README = """# Gradescope autograder for {lesson}

Written by `dlcourse export-autograder {lesson} --target gradescope`. Upload this zip as the
programming assignment's autograder ("Ubuntu 22.04" base image). Students submit `{lesson}.ipynb`.

{limits}

- `setup.sh` runs `image/install.sh` once, when Gradescope builds the image: Python {python}, the
  course package `dlcourse` and the versions in `image/requirements.txt`, bubblewrap.
- `run_autograder` grades `/autograder/submission` with `bundle/` (the lesson registered in its
  gradebook, the time budgets) the way `dlcourse autograde` grades a class: tamper scan, sandboxed
  kernel, nbgrader, time budgets. It writes `/autograder/results/results.json`: one test per
  autograded cell with the visible check's message (never the hidden tests), and the total.
  Free-response questions are not in it: grade them as Gradescope questions of their own.
- Where the container cannot run bubblewrap, the student's kernel runs as an unprivileged user
  (it cannot read the bundle or write the results); the autograder's log says which.
"""

PRAIRIELEARN_README = """# PrairieLearn external grader for {lesson}

Written by `dlcourse export-autograder {lesson} --target prairielearn`.

{limits}

1. Build the grading image and push it where your PrairieLearn can pull it:
   `docker build -t {image} image/ && docker push {image}` (the image installs Python {python},
   the course package, the versions in `image/requirements.txt` and bubblewrap; nothing is
   downloaded while grading: the job has no network).
2. Copy `questions/{lesson}` into your course's `questions/` folder. Its `info.json` names the image
   and the job's timeout ({timeout} s); students upload `{lesson}.ipynb`.

The grader (`tests/run`, i.e. `python -m dlcourse.instructor.targets.grade_one`) grades
`/grade/student` the way `dlcourse autograde` grades a class and writes
`/grade/results/results.json` (`score` in [0, 1], one test per autograded cell with the visible
check's message). A notebook that cannot be read is reported as not gradable (no attempt used).
"""


def _gradescope(root: Path, prepared: Prepared, the_plan: Plan, output: Path) -> Path:
    t = the_plan.target
    with tempfile.TemporaryDirectory(prefix="dlcourse-gradescope-") as tmp:
        out = Path(tmp)
        write_bundle(prepared, the_plan, out / "bundle")
        write_image(root, prepared, out / "image")
        (out / "setup.sh").write_text("#!/usr/bin/env bash\n# Gradescope runs this once, when it builds the image.\n"
                                      "set -euo pipefail\nbash /autograder/source/image/install.sh\n")
        (out / "run_autograder").write_text(RUN_SH.format(service="Gradescope", submission=t.submission,
                                                          bundle=t.bundle, results=t.results, target=t.name))
        for script in ("setup.sh", "run_autograder"):
            (out / script).chmod(0o755)
        (out / "README.md").write_text(GRADESCOPE_README.format(lesson=prepared.lesson, python=PYTHON,
                                                                limits=_limits_text(the_plan, prepared)))
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo.from_file(path, path.relative_to(out).as_posix())
                    with open(path, "rb") as f:
                        z.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
    return output


def _prairielearn(root: Path, prepared: Prepared, the_plan: Plan, output: Path, image: str) -> Path:
    t = the_plan.target
    if output.exists():
        shutil.rmtree(output)
    lesson = prepared.lesson
    write_image(root, prepared, output / "image")
    (output / "image" / "Dockerfile").write_text(
        "# The grading image of the course's PrairieLearn questions (dlcourse export-autograder)\n"
        "FROM ubuntu:22.04\nCOPY . /tmp/dlcourse-image\nRUN bash /tmp/dlcourse-image/install.sh && rm -rf /tmp/dlcourse-image\n")
    question = output / "questions" / lesson
    tests = question / "tests"
    write_bundle(prepared, the_plan, tests / "bundle")
    run = tests / "run"
    run.write_text(RUN_SH.format(service="PrairieLearn", submission=t.submission, bundle=t.bundle,
                                 results=t.results, target=t.name))
    run.chmod(0o755)
    title = next((line.lstrip("# ").strip() for c in prepared.release_nb.cells if c.cell_type == "markdown"
                  for line in c.source.splitlines() if line.startswith("# ")), lesson)
    info = {"uuid": _uuid(lesson), "title": title, "topic": "Deep learning", "type": "v3",
            "singleVariant": True, "gradingMethod": "External",
            "externalGradingOptions": {"enabled": True, "image": image, "entrypoint": "/grade/tests/run",
                                       "timeout": the_plan.timeout_s}}
    (question / "info.json").write_text(json.dumps(info, indent=2) + "\n")
    (question / "question.html").write_text(
        f"<pl-question-panel>\n  <p>Upload your notebook <code>{lesson}.ipynb</code> of the lesson “{title}”.</p>\n"
        f"</pl-question-panel>\n<pl-file-upload file-names=\"{lesson}.ipynb\"></pl-file-upload>\n"
        "<pl-submission-panel>\n  <pl-external-grader-results></pl-external-grader-results>\n"
        "  <pl-file-preview></pl-file-preview>\n</pl-submission-panel>\n")
    (output / "README.md").write_text(PRAIRIELEARN_README.format(lesson=lesson, image=image, python=PYTHON,
                                                                 timeout=the_plan.timeout_s,
                                                                 limits=_limits_text(the_plan, prepared)))
    return output


def _uuid(lesson: str) -> str:
    import uuid
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://github.com/dlcourse/deep-learning-foundations/{lesson}"))


def export(root: Path, lesson: str, target: str, output: Path | None = None, *, prepared: Prepared | None = None,
           image: str = "dlcourse/grader:latest", log=print) -> tuple[Path, Plan]:
    """Write the autograder of `lesson` for `target`; returns (what was written, its limits).
    Pass `prepared` to reuse one registration and timing run for several targets."""
    root = Path(root).resolve()
    t = TARGETS[target]
    own = prepared is None
    prepared = prepared or prepare(root, lesson, log=log)
    try:
        the_plan = plan(prepared.measured, t)
        if target == "gradescope":
            output = Path(output or root / "autograders" / f"{lesson}-gradescope.zip").resolve()
            written = _gradescope(root, prepared, the_plan, output)
        else:
            output = Path(output or root / "autograders" / f"{lesson}-prairielearn").resolve()
            written = _prairielearn(root, prepared, the_plan, output, image)
        log(_limits_text(the_plan, prepared))
        return written, the_plan
    finally:
        if own:
            prepared.cleanup()
