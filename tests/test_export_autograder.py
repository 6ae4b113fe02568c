"""`dlcourse export-autograder`: each lesson graded in simulated Gradescope and PrairieLearn containers.

No service is contacted. A harness lays out the service's folders the way its specification
describes (`/autograder/{source,submission,results}`, `/grade/{tests,student,results}`), binds
them with bubblewrap onto temporary folders over a read-only copy of this machine, runs the
exported entry point (`run_autograder`, `tests/run`) with this environment's Python, and
validates the `results.json` it wrote against the schema written from the service's published
specification (`lib/dlcourse/instructor/schemas/`).

Every lesson is exported once for both services (one registration and timing run) and a perfect
submission graded in one of the two harnesses, in turn. Lesson 00 also gets the matrix, spread
over the two: blank, tampered (test cells edited to `pass`; nbgrader metadata stripped), crashing
(os._exit), unreadable, and a submission that goes after the bundle, the gradebook and the
results with the kernel running as an unprivileged user (what a container without user
namespaces gets; bubblewrap's own walls are the red-team suite's subject).
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from dlcourse.instructor.export_autograder import Measured, export, plan, prepare
from dlcourse.instructor.targets import TARGETS, CellResult, Outcome, results
from dlcourse.instructor.targets.grade_one import cell_output
from nbtools import NO_ANSWER_NEEDED, ROOT, lesson_ids, nbgrader_meta, tags
from redteam.course import honest, release_nb

MATRIX = "00_start_here"
NUMPY_ONLY = [lesson for lesson in lesson_ids() if lesson != "09_keras_mnist"]


def _bwrap_available() -> bool:
    if not shutil.which("bwrap"):
        return False
    return subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-net", "--", "true"],
                          capture_output=True).returncode == 0


needs_bwrap = pytest.mark.skipif(not _bwrap_available(),
                                 reason="bubblewrap is missing or cannot make a sandbox (apt-get install bubblewrap)")


# ----------------------------------------------------------------------------- the harness

def _machine() -> list[str]:
    """bwrap arguments for a read-only copy of this machine whose /autograder and /grade we can make."""
    args = ["bwrap", "--tmpfs", "/"]
    for entry in sorted(Path("/").iterdir()):
        if entry.name in ("proc", "dev", "tmp", "autograder", "grade"):
            continue
        if entry.is_symlink():
            args += ["--symlink", os.readlink(entry), str(entry)]
        elif entry.name == "root" and entry.is_dir():
            # root's home is private; where this Python lives in it, keep it reachable for `nobody`
            args += ["--tmpfs", "/root"]
            for keep in sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, ROOT)}):
                if Path(keep).is_relative_to("/root"):
                    for folder in reversed(Path(keep).parents):  # reachable, not readable, on the way there
                        if folder.is_relative_to("/root") and folder != Path("/root"):
                            args += ["--perms", "0711", "--dir", str(folder)]
                    args += ["--ro-bind", keep, keep]
        elif entry.is_dir():
            args += ["--ro-bind", str(entry), str(entry)]
    args += ["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]
    for keep in sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, ROOT)}):
        if Path(keep).is_relative_to("/tmp"):  # a checkout (and its .venv) under /tmp, as a CI clone may be
            args += ["--ro-bind", keep, keep]
    return args


def _run(home: Path, mount: str, entry: str, isolation: str = "") -> subprocess.CompletedProcess:
    cmd = _machine() + ["--bind", str(home), mount, "--chdir", mount,
                        "--setenv", "DLCOURSE_PYTHON", sys.executable, "--setenv", "DLCOURSE_ISOLATION", isolation,
                        "--", "bash", entry]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900)


def _submit(folder: Path, lesson: str, submission) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(submission, (str, bytes)):
        (folder / f"{lesson}.ipynb").write_bytes(submission.encode() if isinstance(submission, str) else submission)
    else:
        nbformat.write(submission, folder / f"{lesson}.ipynb")


def grade_gradescope(zip_path: Path, lesson: str, submission, work: Path, isolation: str = "") -> dict:
    home = work / "autograder"
    for sub in ("source", "results"):
        (home / sub).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(home / "source")
    shutil.copy(home / "source" / "run_autograder", home / "run_autograder")  # as Gradescope's image build does
    _submit(home / "submission", lesson, submission)
    done = _run(home, "/autograder", "/autograder/run_autograder", isolation)
    return _results(home / "results" / "results.json", done, "gradescope")


def grade_prairielearn(folder: Path, lesson: str, submission, work: Path, isolation: str = "") -> dict:
    home = work / "grade"
    home.mkdir(parents=True)
    shutil.copytree(folder / "questions" / lesson / "tests", home / "tests")
    _submit(home / "student", lesson, submission)
    (home / "data").mkdir()
    (home / "data" / "data.json").write_text("{}")
    done = _run(home, "/grade", "/grade/tests/run", isolation)
    return _results(home / "results" / "results.json", done, "prairielearn")


def _results(path: Path, done: subprocess.CompletedProcess, target: str) -> dict:
    assert done.returncode == 0 and path.is_file(), f"no results.json (exit {done.returncode}):\n" \
        + (done.stdout + done.stderr)[-3000:]
    text = path.read_text()
    data = json.loads(text)
    import jsonschema
    jsonschema.Draft202012Validator(TARGETS[target].schema()).validate(data)
    if target == "prairielearn":
        assert len(text.encode()) < 2**20, "PrairieLearn reads at most 1 MB of results"
    data["_log"] = done.stdout + done.stderr
    return data


def points(data: dict, target: str) -> dict[str, float]:
    key = "score" if target == "gradescope" else "points"
    return {t["name"]: t[key] for t in data["tests"]}


# ----------------------------------------------------------------------------- what a lesson should score

def _tests(lesson: str) -> list:
    return [c for c in release_nb(lesson).cells if c.cell_type == "code" and nbgrader_meta(c).get("grade")
            and not nbgrader_meta(c).get("solution")]


def full(lesson: str) -> dict[str, float]:
    return {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"]) for c in _tests(lesson)}


def blank_scores(lesson: str) -> dict[str, float]:
    return {g: (p if NO_ANSWER_NEEDED in tags(c) else 0.0)
            for c in _tests(lesson) for g, p in [(nbgrader_meta(c)["grade_id"], float(nbgrader_meta(c)["points"]))]}


def hidden_lines(lesson: str) -> list[str]:
    """Lines of the hidden tests worth looking for in a results file."""
    source = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    lines = []
    for cell in source.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)[0]
            lines += [line.strip() for line in hidden.splitlines() if len(line.strip()) > 25]
    return lines


def assert_no_hidden_code(data: dict, lesson: str) -> None:
    text = json.dumps(data.get("tests", [])) + data.get("output", "") + data.get("message", "")
    assert "HIDDEN TESTS" not in text and "Traceback" not in text
    shown = [line for line in hidden_lines(lesson) if line in text]
    assert not shown, f"hidden test code in the results: {shown[:3]}"


def total(data: dict, target: str, lesson: str) -> float:
    if target == "gradescope":
        return data["score"]
    if not data["gradable"]:
        return sum(points(data, target).values())
    return data["score"] * sum(full(lesson).values())


# ----------------------------------------------------------------------------- tests

def build_exports(lesson: str, out: Path):
    """(gradescope zip, prairielearn folder, {target: plan}) from one registration and timing run."""
    prepared = prepare(ROOT, lesson, log=lambda *_: None)
    try:
        gs, gs_plan = export(ROOT, lesson, "gradescope", out / "gs.zip", prepared=prepared, log=lambda *_: None)
        pl, pl_plan = export(ROOT, lesson, "prairielearn", out / "pl", prepared=prepared, log=lambda *_: None)
    finally:
        prepared.cleanup()
    return gs, pl, {"gradescope": gs_plan, "prairielearn": pl_plan}


@pytest.mark.slow
@needs_bwrap
@pytest.mark.parametrize("lesson", lesson_ids())
def test_lesson_graded_in_the_containers(lesson, tmp_path):
    gs, pl, plans = build_exports(lesson, tmp_path / "export")
    target = "gradescope" if lesson_ids().index(lesson) % 2 == 0 else "prairielearn"
    data = (grade_gradescope(gs, lesson, honest(lesson), tmp_path) if target == "gradescope"
            else grade_prairielearn(pl, lesson, honest(lesson), tmp_path))
    assert points(data, target) == full(lesson), data["_log"][-2000:]
    if target == "prairielearn":
        assert data["gradable"] is True and data["score"] == 1.0
    else:
        assert data["score"] == sum(full(lesson).values())
        assert all(t["visibility"] == "visible" and t["max_score"] > 0 for t in data["tests"])
    assert all(t["output"].startswith("✔") for t in data["tests"]), [t["output"] for t in data["tests"]]
    assert_no_hidden_code(data, lesson)
    # the limits written into the export
    info = json.loads((pl / "questions" / lesson / "info.json").read_text())
    timeout = info["externalGradingOptions"]["timeout"]
    assert plans["prairielearn"].expected_s < timeout <= 600
    assert plans["prairielearn"].memory_mb <= TARGETS["prairielearn"].memory_mb
    assert plans["prairielearn"].budgets["ceiling"] < timeout  # the grader reports before PrairieLearn stops it
    spec = json.loads(zipfile.ZipFile(gs).read("bundle/grading.json"))
    assert spec["budgets"] == plans["gradescope"].budgets
    assert plans["gradescope"].budgets["ceiling"] < plans["gradescope"].timeout_s
    assert zipfile.ZipFile(gs).getinfo("run_autograder").external_attr >> 16 & 0o111, "run_autograder must be executable"
    readme = zipfile.ZipFile(gs).read("README.md").decode()
    if lesson in NUMPY_ONLY:  # Gradescope's defaults are enough for every NumPy lesson
        assert plans["gradescope"].fits_defaults, plans["gradescope"]
        assert "SET THE" not in readme
    elif not plans["gradescope"].fits_defaults:
        assert f"SET THE MEMORY to at least {plans['gradescope'].memory_mb} MB" in readme or "SET THE TIMEOUT" in readme
    with zipfile.ZipFile(gs) as z:  # the image scripts at least parse (they run only on the services)
        for script in ("setup.sh", "image/install.sh", "run_autograder"):
            assert subprocess.run(["bash", "-n"], input=z.read(script), capture_output=True).returncode == 0, script
        pins = z.read("image/requirements.txt").decode()
    assert f"numpy=={version('numpy')}" in pins and f"nbgrader=={version('nbgrader')}" in pins
    assert ("tensorflow==" in pins) == (lesson == "09_keras_mnist")
    if lesson == MATRIX:
        check_matrix(lesson, gs, pl, tmp_path)


def _tampered_tests(lesson: str):
    """The student version (no answers) with every test cell edited to `pass`."""
    nb = release_nb(lesson)
    for cell in nb.cells:
        if cell.cell_type == "code" and nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution"):
            cell.source = "pass"
    return nb


def _stripped(lesson: str):
    """A perfect submission whose editor stripped every cell's nbgrader metadata."""
    nb = honest(lesson)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    return nb


def _crashing(lesson: str) -> tuple[nbformat.NotebookNode, dict[str, float]]:
    """A perfect submission whose third answer ends the kernel (os._exit): the tests before it keep their points."""
    nb = honest(lesson)
    answers = [i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("solution")]
    crash_at = answers[2]
    nb.cells[crash_at].source += "\nimport os\nos._exit(3)\n"
    expected = {}
    for i, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            expected[meta["grade_id"]] = float(meta["points"]) if i < crash_at else 0.0
    return nb, expected


def _prying(lesson: str, target: str):
    """A perfect submission whose first answer first tries to read the bundle and the gradebook and to write
    into the results folder, and defines its function only if all of that failed (so a breach costs points)."""
    nb = honest(lesson)
    home, bundle = TARGETS[target].home, TARGETS[target].bundle
    first = next(c for c in nb.cells if nbgrader_meta(c).get("solution"))
    probe = (
        "_found = []\n"
        f"for _p in ['{bundle}/course/gradebook.db', '{bundle}/grading.json']:\n"
        "    try:\n        open(_p, 'rb').read(1)\n        _found.append(_p)\n    except OSError:\n        pass\n"
        f"for _p in ['{home}/results/results.json', '{home}/results/x']:\n"
        "    try:\n        open(_p, 'w').write('{\"score\": 1000}')\n        _found.append(_p)\n"
        "    except OSError:\n        pass\n"
        "if not _found:\n")
    first.source = probe + "\n".join("    " + line for line in first.source.splitlines()) + "\n"
    return nb


def check_matrix(lesson: str, gs: Path, pl: Path, tmp_path: Path) -> None:
    """Blank, tampered, crashing, unreadable and prying submissions, spread over the two harnesses."""
    def grade(target, name, submission, isolation=""):
        if target == "gradescope":
            return grade_gradescope(gs, lesson, submission, tmp_path / name, isolation)
        return grade_prairielearn(pl, lesson, submission, tmp_path / name, isolation)

    blank = grade("prairielearn", "blank", release_nb(lesson))
    assert points(blank, "prairielearn") == blank_scores(lesson)
    assert blank["gradable"] is True
    assert all("✘" in t["output"] for t in blank["tests"] if t["points"] == 0)
    assert_no_hidden_code(blank, lesson)

    edited = grade("gradescope", "tests-edited", _tampered_tests(lesson))  # nbgrader puts the real tests back
    assert points(edited, "gradescope") == blank_scores(lesson)

    stripped = grade("gradescope", "stripped", _stripped(lesson))  # repaired by matching the cells
    assert points(stripped, "gradescope") == full(lesson)
    assert "metadata" in stripped["output"]

    crashing, expected = _crashing(lesson)
    crashed = grade("gradescope", "crashing", crashing)
    assert points(crashed, "gradescope") == expected
    assert any("kernel died" in t["output"] for t in crashed["tests"]) and "kernel died" in crashed["output"]

    for target in ("gradescope", "prairielearn"):
        unreadable = grade(target, f"unreadable-{target}", '{"cells": [ this is not json')
        assert total(unreadable, target, lesson) == 0 and len(unreadable["tests"]) == len(full(lesson))
        assert "could not be read" in (unreadable.get("message") or unreadable["output"])
    assert unreadable["gradable"] is False  # PrairieLearn: no attempt used

    # where a container has no user namespaces the kernel runs as `nobody`: it reaches neither the bundle
    # (gradebook, hidden tests) nor the results
    pried = grade("prairielearn", "prying", _prying(lesson, "prairielearn"), "unprivileged")
    assert points(pried, "prairielearn") == full(lesson), pried["_log"][-2000:]
    assert pried["score"] == 1.0


# ----------------------------------------------------------------------------- without a kernel

def test_budgets_are_scaled_to_the_services_cpu_share_and_fit_their_time_limits():
    measured = Measured({"train": 10.0, "test_train": 2.0}, kernel_mb=150.0, startup_s=2.0)
    gs, pl = plan(measured, TARGETS["gradescope"]), plan(measured, TARGETS["prairielearn"])
    assert gs.budgets["cells"] == {"train": 100.0, "test_train": 20.0}  # 5 x (10 s / 0.5 CPU)
    assert pl.budgets["cells"]["train"] == pytest.approx(55.6)           # 5 x (10 s / 0.9 CPU)
    assert gs.fits_defaults and gs.memory_mb == 512 and pl.timeout_s > pl.budgets["ceiling"]
    slow = Measured({"train": 150.0}, kernel_mb=1250.0, startup_s=2.0)  # 300 s on half a CPU
    gs, pl = plan(slow, TARGETS["gradescope"]), plan(slow, TARGETS["prairielearn"])
    assert gs.budgets["cells"]["train"] == 1500.0  # no class-wide 120 s cap: the service's limit is the bound
    assert pl.timeout_s <= 600 and pl.budgets["ceiling"] < pl.timeout_s  # the grader reports before the job is killed
    assert gs.budgets["ceiling"] >= 2 * gs.expected_s - 40 and gs.budgets["ceiling"] < gs.timeout_s
    assert gs.timeout_s > 600 and not gs.fits_defaults  # the README says which timeout to set
    assert gs.memory_mb == 1600  # the kernel's peak and the grader's processes
    too_slow = plan(Measured({"train": 600.0}, 100.0, 2.0), TARGETS["prairielearn"])  # 667 s at 0.9 CPU
    assert too_slow.timeout_s == 600 and too_slow.budgets["ceiling"] < 600 and too_slow.notes


def test_a_test_cells_output_is_its_message_never_a_traceback():
    cell = nbformat.v4.new_code_cell("check_own(f, 'f')\n### BEGIN HIDDEN TESTS\nassert secret()\n### END HIDDEN TESTS")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✔ f: visible checks\n"),
                    nbformat.v4.new_output("error", ename="CheckFailed",
                                           evalue="f returned the wrong sign.\nTry -x.\n[mistake: f:sign]",
                                           traceback=["Traceback", "assert secret()"])]
    text = cell_output(cell)
    assert text == "✔ f: visible checks\n✘ f returned the wrong sign.\nTry -x."
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="",
                                           traceback=["\x1b[31mTraceback", "assert secret()"])]
    assert cell_output(cell) == "✘ AssertionError"


@pytest.mark.parametrize("target", ["gradescope", "prairielearn"])
def test_results_follow_the_services_schemas(target):
    import jsonschema

    outcome = Outcome("01_x", [CellResult("test_a", 2.0, 2.0, "✔ a"), CellResult("test_b", 0.0, 3.0, "✘ b")],
                      message="01_x: 2 of 5 points", seconds=12.5)
    validator = jsonschema.Draft202012Validator(TARGETS[target].schema())
    data = results(target, outcome)
    validator.validate(data)
    assert (data["score"] == 2.0) if target == "gradescope" else (data["score"] == pytest.approx(0.4))
    outcome.gradable = False
    validator.validate(results(target, outcome))
    broken = dict(data, tests=[{"name": "test_a"}])  # what the schema must refuse: a test without its points
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
