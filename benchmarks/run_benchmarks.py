"""How fast and how well the course runs, measured on the machine that runs this script.

Five sections, each run unless skipped:

1. lessons     each lesson's solution, top to bottom in a fresh kernel, `--repeats` times
               (median and range), and on the graded path (NBGRADER_EXECUTION=autograde);
2. class       the command line an instructor runs, `dlcourse autograde --all --workers W`, in a
               scratch course: one complete submission with an empty cache (the set-up of the
               whole course: registering every lesson and timing every solution), the same
               again with the cache (set-up from the cache), then a class of `--class-size`
               students x every lesson, graded once (measured, not extrapolated);
   grading     (`--per-lesson`, the earlier measurement) `autograde(...)` lesson by lesson on one
               complete submission and on a class, with the set-up of every lesson;
3. mnist       the course's NumPy network and Keras on the same 784-512-10 net, one after the
               other (`dlcourse.network.compare_with_keras`): accuracy, seconds per epoch, ratio;
4. regression  the dating regression's iterations to within 1 % of the true coefficients,
               with and without standardization (`dlcourse.regression`).

Raw figures go to benchmarks/results.json; benchmarks/report.md is rendered from it, so a
long run can be done in parts: a section that is not run keeps its latest figures (lessons
and graded lessons are kept one by one). Figures, never test assertions.

    python benchmarks/run_benchmarks.py                        # everything (about half an hour on 2 cores)
    python benchmarks/run_benchmarks.py --skip-grading --skip-mnist --lessons 02_xor --repeats 5
    python benchmarks/run_benchmarks.py --render --readme      # no measuring: report and README from results.json
    python benchmarks/run_benchmarks.py --quick                # smoke run, written to a temporary folder
    python benchmarks/run_benchmarks.py --class-size 100 --all # a class of 100 x every lesson (class section only)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
BARS = {"09_keras_mnist": 90.0}  # seconds; every other lesson: DEFAULT_BAR
DEFAULT_BAR = 20.0
COURSE_BAR = 300.0
GRADING_BAR = 60.0  # "the whole course for one student should autograde in about a minute"
CLASS_GOALS = {"setup": 30.0, "per_notebook": 1.5, "share": 30.0, "class_of_100": 1800.0}  # seconds
MNIST_BARS = {"numpy": 0.980, "keras": 0.983}
MNIST_RATIO_GOAL = 0.6  # NumPy's seconds per epoch over Keras's, side by side in one run
README_START, README_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


# --------------------------------------------------------------------------- the machine
def machine() -> str:
    def first(path, key):
        try:
            return next((l.split(":", 1)[1].strip() for l in open(path) if l.startswith(key)), None)
        except OSError:
            return None

    def version(package):
        from importlib.metadata import PackageNotFoundError, version as v

        try:
            return v(package)
        except PackageNotFoundError:
            return "not installed"

    mem = first("/proc/meminfo", "MemTotal")
    ram = f"{int(mem.split()[0]) / 2**20:.1f} GiB RAM" if mem else "RAM unknown"
    gpu = "no GPU"
    if shutil.which("nvidia-smi"):
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True)
        gpu = out.stdout.strip().replace("\n", ", ") or gpu
    return (f"{os.cpu_count()} cores, {first('/proc/cpuinfo', 'model name') or platform.processor() or platform.machine()}, "
            f"{ram}, {gpu}, {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
            f"numpy {version('numpy')}, TensorFlow {version('tensorflow')}")


# --------------------------------------------------------------------------- 1. lessons
def run_lesson(lesson: str, graded: bool) -> float:
    """Seconds to run a solution notebook top to bottom in a fresh kernel, kernel start-up included."""
    import nbformat
    from dlcourse.kernel_client import CourseNotebookClient, environment

    path = ROOT / "solutions" / lesson / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    env = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    if graded:
        env["NBGRADER_EXECUTION"] = "autograde"
    with environment(**env):
        start = time.perf_counter()
        CourseNotebookClient(nb, timeout=600, kernel_name="python3",
                             resources={"metadata": {"path": str(path.parent)}}).execute()
        return time.perf_counter() - start


def bench_lessons(lessons, repeats, run_id) -> dict:
    out = {}
    for lesson in lessons:
        try:
            times = [run_lesson(lesson, graded=False) for _ in range(repeats)]
            graded = [run_lesson(lesson, graded=True) for _ in range(repeats)]
            out[lesson] = {"run": run_id, "times": times, "graded": graded}
        except Exception as exc:  # noqa: BLE001 - one broken lesson does not stop a long run
            out[lesson] = {"run": run_id, "error": f"{type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[-1][:150]}"}
        print(f"lesson {lesson}: {out[lesson]}", flush=True)
    return out


# --------------------------------------------------------------------------- 2. grading
def sandbox_setting(no_sandbox: bool) -> tuple[bool, str]:
    from dlcourse.instructor.sandbox import SandboxUnavailable, check_available

    if no_sandbox:
        return False, "off (--no-sandbox)"
    try:
        check_available()
        return True, "on (bubblewrap)"
    except SandboxUnavailable as exc:
        return False, f"off ({str(exc).splitlines()[0].split(',')[0]})"


def grade_class(lessons, size, workers, sandbox) -> dict:
    """Autograde `size` perfect students in a scratch course: {lesson: seconds, set-up, notebooks, full marks}."""
    sys.path.insert(0, str(ROOT / "tests"))
    from redteam.course import honest, make_course, submit  # the tests' perfect student
    from dlcourse.instructor.autograde import autograde

    out = {}
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-") as tmp:
        course = make_course(Path(tmp) / "course", lessons)
        for lesson in lessons:
            nb = honest(lesson)
            for k in range(size):
                submit(course, f"s{k:03d}", lesson, nb)
        for lesson in lessons:
            marks = []  # (seconds, message): the grader logs "LESSON: the solution runs in ..." after its set-up
            start = time.perf_counter()
            try:
                rows = autograde(course, lesson, workers=workers, sandbox=sandbox,
                                 log=lambda msg: marks.append((time.perf_counter() - start, msg)))
            except (Exception, SystemExit) as exc:  # noqa: BLE001
                out[lesson] = {"error": f"{type(exc).__name__}: {str(exc).strip()[:150]}"}
                continue
            seconds = time.perf_counter() - start
            setup = next((t for t, msg in marks if msg.startswith(f"{lesson}: the solution runs in")), 0.0)
            out[lesson] = {"seconds": seconds, "setup": setup, "notebooks": len(rows),
                           "full_marks": sum(r.score == r.max_score for r in rows),
                           # why a perfect submission lost points (the grading report's line), kept for the record
                           "short": [f"{r.student}: {r.score}/{r.max_score} {r.details}" for r in rows
                                     if r.score != r.max_score]}
    return out


def run_cli(course: Path, workers: int, sandbox: bool) -> dict:
    """`dlcourse autograde --all` in `course`, every output line timed: wall seconds, set-up seconds
    (until the last lesson's "the solution runs in" line), and the class report's rows."""
    import csv

    cmd = [sys.executable, "-m", "dlcourse.instructor.cli", "--course", str(course), "autograde", "--all",
           "--workers", str(workers)] + ([] if sandbox else ["--no-sandbox"])
    start = time.perf_counter()
    setup, lines = 0.0, []
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=course)
    for line in proc.stdout:
        now = time.perf_counter() - start
        lines.append(line.rstrip())
        if re.match(r"^\S+: the solution runs in", line):
            setup = now
    proc.wait()
    seconds = time.perf_counter() - start
    report = course / "reports" / "course" / "grading_report.csv"
    rows = list(csv.DictReader(open(report))) if report.is_file() else []
    if proc.returncode != 0 or not rows:
        return {"error": f"exit {proc.returncode}: " + " | ".join(lines[-3:])[:300]}
    return {"seconds": seconds, "setup": setup, "notebooks": len(rows),
            "full_marks": sum(float(r["score"]) == float(r["max_score"]) for r in rows),
            "cached": sum("(cached timing)" in l for l in lines),
            # a lesson the command could not set up (its report line), kept for the record
            "setup_failed": [l for l in lines if "cannot be graded" in l or "kernels are started one by one" in l],
            # why a perfect submission lost points (the grading report's line), kept for the record
            "short": [f"{r['lesson']} {r['student']}: {r['score']}/{r['max_score']} {r['details']}" for r in rows
                      if float(r["score"]) != float(r["max_score"])]}


def bench_class(lessons, class_size, workers, no_sandbox, run_id) -> dict:
    """Section 2 through the command line (see the module docstring); one worker count."""
    sys.path.insert(0, str(ROOT / "tests"))
    from redteam.course import honest, make_course, submit  # the tests' perfect student

    sandbox, sandbox_text = sandbox_setting(no_sandbox)
    out = {"run": run_id, "sandbox": sandbox_text, "workers": workers, "class_size": class_size, "lessons": lessons,
           "load": [round(os.getloadavg()[0], 1)]}  # the machine's 1-minute load average, before and after
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-") as tmp:
        perfect = {lesson: honest(lesson) for lesson in lessons}
        one = make_course(Path(tmp) / "one", lessons)
        for lesson in lessons:
            submit(one, "s000", lesson, perfect[lesson])
        out["one_cold"] = run_cli(one, workers, sandbox)   # empty cache: the whole set-up
        print(f"one student, empty cache: {out['one_cold']}", flush=True)
        out["one"] = run_cli(one, workers, sandbox)        # again: set-up from the cache
        print(f"one student, cached set-up: {out['one']}", flush=True)
        if class_size == 0:  # `--class-size 0`: the one-student rows only (merged into the last class run)
            out["load"].append(round(os.getloadavg()[0], 1))
            return out
        course = make_course(Path(tmp) / "class", lessons)
        if (one / ".dlcourse-cache").is_dir():
            shutil.copytree(one / ".dlcourse-cache", course / ".dlcourse-cache")
        for lesson in lessons:
            for k in range(class_size):
                submit(course, f"s{k:03d}", lesson, perfect[lesson])
        out["class"] = run_cli(course, workers, sandbox)
        print(f"class of {class_size}: {out['class']}", flush=True)
    out["load"].append(round(os.getloadavg()[0], 1))
    return out


def bench_grading(lessons, class_size, workers, repeats, no_sandbox, run_id) -> dict:
    sandbox, sandbox_text = sandbox_setting(no_sandbox)
    ones = [grade_class(lessons, 1, 1, sandbox) for _ in range(repeats)]
    classes = {str(w): grade_class(lessons, class_size, w, sandbox) for w in workers}
    per_lesson = {}
    for lesson in lessons:
        entry = {"run": run_id, "one": [one[lesson] for one in ones],
                 "class": {w: c[lesson] for w, c in classes.items()}}
        per_lesson[lesson] = entry
        print(f"grading {lesson}: {entry}", flush=True)
    return {"sandbox": sandbox_text, "class_size": class_size, "workers": [str(w) for w in workers],
            "lessons": per_lesson}


# --------------------------------------------------------------------------- 3. MNIST
def bench_mnist(repeats, quick, run_id) -> dict:
    from dlcourse import network

    settings = dict(hidden_units=(512,), epochs=10, batch_size=128, learning_rate=1e-3, n_train=None, n_test=None)
    if quick:
        settings.update(epochs=2, n_train=6000, n_test=2000)
    trials = []
    for seed in range(repeats):
        result = network.compare_with_keras(**settings, seed=seed)
        trials.append({name: {"accuracy": r.test_accuracy, "seconds_per_epoch": r.seconds_per_epoch, "threads": r.threads}
                       for name, r in (("numpy", result["numpy"]), ("keras", result["keras"]))})
        trials[-1]["ratio"] = result["ratio"]
        print(f"mnist, seed {seed}: {trials[-1]}", flush=True)
    net = "-".join(str(s) for s in result["numpy"].layer_sizes)
    return {"run": run_id, "settings": {**settings, "net": net}, "trials": trials}


# --------------------------------------------------------------------------- 4. regression
def bench_regression(run_id) -> dict:
    from dlcourse import datasets, regression

    X, y = datasets.dating_survey()
    Xk = X / [1.0, 1000.0]
    # the target is the least-squares fit, as in lesson 03: the best any optimizer can reach (for other
    # samples of the survey even the exact fit is 1-3 % off the truth)
    W, b = regression.least_squares(X, y)
    Wk, _ = regression.least_squares(Xk, y)
    rows = [  # the learning rates of lesson 03: near the best for each set of inputs
        ("standardized", 0.1, regression.iterations_to_within(X, y, W, b, 0.1, 10_000, standardized=True), "counted"),
        ("income in thousands of dollars", 4e-3, regression.iterations_to_within(Xk, y, Wk, b, 4e-3, 100_000), "counted"),
        ("income in dollars", 2.9e-8, regression.predicted_iterations_to_within(X, y, W, b, 2.9e-8), "closed form"),
    ]
    return {"run": run_id, "rows": [{"inputs": i, "learning_rate": lr, "iterations": n, "how": how}
                                    for i, lr, n, how in rows]}


# --------------------------------------------------------------------------- results.json
def merge(old: dict, new: dict) -> dict:
    """The stored results with a new run's sections in: lessons (and graded lessons, when the
    class size, workers and sandbox are the same) replace their own entries, anything else
    replaces its whole section. Runs no figure refers to any more are dropped."""
    out = {**old, **{k: v for k, v in new.items() if k not in ("lessons", "grading", "runs")}}
    known = {r["id"] for r in old.get("runs", [])}
    out["runs"] = old.get("runs", []) + [r for r in new.get("runs", []) if r["id"] not in known]
    if "lessons" in new:
        out["lessons"] = {**old.get("lessons", {}), **new["lessons"]}
    if "class" in new and new["class"].get("class_size") == 0 and "class" in old:
        # the one-student rows of a new run beside the class of the run before (each row says its run)
        c = new["class"]
        out["class"] = {**old["class"], "one_cold": c["one_cold"], "one": c["one"], "one_run": c["run"],
                        "one_load": c["load"]}
    if "grading" in new:
        g_old, g_new = old.get("grading"), new["grading"]
        same = g_old and all(g_old.get(k) == g_new[k] for k in ("sandbox", "class_size", "workers"))
        out["grading"] = {**g_new, "lessons": {**g_old["lessons"], **g_new["lessons"]}} if same else g_new
    used = {e["run"] for e in out.get("lessons", {}).values()}
    used |= {e["run"] for e in out.get("grading", {}).get("lessons", {}).values()}
    used |= {out[k]["run"] for k in ("mnist", "regression", "class") if k in out}
    used |= {out["class"]["one_run"]} if out.get("class", {}).get("one_run") else set()
    out["runs"] = [r for r in out["runs"] if r["id"] in used]
    return out


# --------------------------------------------------------------------------- the report
def med(xs):
    return statistics.median(xs)


def fmt(s):
    return f"{s:.1f}"


def pct(x, digits=2):
    return f"{100 * x:.{digits}f} %"


def lesson_bar(lesson):
    return BARS.get(lesson, DEFAULT_BAR)


def course_totals(results):
    ok = {k: v for k, v in results.get("lessons", {}).items() if "error" not in v}
    return ok, sum(med(v["times"]) for v in ok.values()), sum(med(v["graded"]) for v in ok.values())


def grading_totals(g):
    """(lessons graded, median of the one-student totals, {workers: (class s, set-up s, notebooks, full marks)})."""
    ok = {k: v for k, v in g["lessons"].items() if not any("error" in o for o in v["one"])}
    n_one = min((len(v["one"]) for v in ok.values()), default=0)
    one = med([sum(v["one"][i]["seconds"] for v in ok.values()) for i in range(n_one)]) if n_one else 0.0
    classes = {}
    for w in g["workers"]:
        done = [v["class"][w] for v in g["lessons"].values() if w in v["class"] and "error" not in v["class"][w]]
        classes[w] = tuple(sum(c[k] for c in done) for k in ("seconds", "setup", "notebooks", "full_marks"))
    return ok, one, classes


def per_notebook(seconds, setup, notebooks):
    return f"{(seconds - setup) / max(notebooks, 1):.2f}"


def mnist_medians(m):
    t = m["trials"]
    return ({k: med([x[k]["accuracy"] for x in t]) for k in ("numpy", "keras")},
            {k: med([x[k]["seconds_per_epoch"] for x in t]) for k in ("numpy", "keras")},
            med([x["ratio"] for x in t]))


def render(results: dict, all_lessons: list[str]) -> str:
    """The Markdown report of a results dict (see `merge`); `all_lessons`: the lessons the course has now."""
    L = ["# Benchmarks", "",
         "Measured on the machine that ran them, by `benchmarks/run_benchmarks.py`, and rendered from",
         "`benchmarks/results.json`. Sections may come from different runs (the *run* column or line",
         "says which). Figures to read, never assertions of the test suite.", "",
         "| run | date (UTC) | machine | command |", "| --- | --- | --- | --- |"]
    L += [f"| {r['id']} | {r['date']} | {r['machine']} | `{r['command']}` |" for r in results.get("runs", [])]

    L += ["", "## 1 · Lesson run times", ""]
    lessons = results.get("lessons", {})
    if not lessons:
        L.append("Not measured yet.")
    else:
        L += ["Solution version, top to bottom in a fresh kernel, wall-clock seconds with the kernel's start-up;",
              "median and range of *n* runs. *graded*: the same with `NBGRADER_EXECUTION=autograde`, the cheap",
              "path a lesson takes when it is graded (median of *n* runs).", "",
              "| lesson | n | median s | range s | graded median s | bar s | median / bar | run |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for lesson in sorted(lessons):
            e, bar = lessons[lesson], lesson_bar(lesson)
            if "error" in e:
                L.append(f"| {lesson} | | failed: {e['error']} | | | {bar:.0f} | | {e['run']} |")
                continue
            m = med(e["times"])
            L.append(f"| {lesson} | {len(e['times'])} | {fmt(m)} | {fmt(min(e['times']))}–{fmt(max(e['times']))} | "
                     f"{fmt(med(e['graded']))} | {bar:.0f} | {m / bar:.2f} | {e['run']} |")
        ok, total, graded = course_totals(results)
        L.append(f"| **whole course** ({len(ok)} of {len(all_lessons)} lessons) | | **{fmt(total)}** | | {fmt(graded)} | {COURSE_BAR:.0f} | "
                 f"{total / COURSE_BAR:.2f} | |")
        missing = [l for l in all_lessons if l not in ok]
        if missing:
            L += ["", f"Not in the sum (not measured, or failed): {', '.join(missing)}."]

    L += ["", "## 2 · Grading a class through the command line", ""]
    L += render_class(results.get("class"))

    L += ["", "### Lesson by lesson (`autograde(...)` per lesson, the earlier measurement)", ""]
    g = results.get("grading")
    if not g:
        L.append("Not measured yet.")
    else:
        ok, one, classes = grading_totals(g)
        n = g["class_size"]
        L += [f"`dlcourse.instructor.autograde.autograde(...)` in a scratch course, sandbox {g['sandbox']}. Every",
              "submission is the student version with every answer from the solutions (`tests/redteam/course.py`).",
              "*one student*: one complete submission of the course, lesson by lesson, 1 worker, median of *n*",
              f"runs; *class of {n}*: {n} such students, once per number of workers. Times include each lesson's",
              "set-up (nbgrader's `generate_assignment` and one timed run of the solution for the time budgets),",
              "shown apart in brackets; *s per notebook* leaves the set-up out (what one more student costs).",
              "*full marks*: graded submissions that got every point.", "",
              "| lesson | n | one student s (set-up) | "
              + " | ".join(f"class of {n}, {w} worker(s): s (set-up) | s per notebook | full marks" for w in g["workers"])
              + " | run |",
              "| --- | ---: | ---: | " + " | ".join("---: | ---: | ---:" for _ in g["workers"]) + " | ---: |"]
        for lesson in sorted(g["lessons"]):
            e = g["lessons"][lesson]
            ones = [o for o in e["one"] if "error" not in o]
            cells = [f"{fmt(med([o['seconds'] for o in ones]))} ({fmt(med([o['setup'] for o in ones]))})" if ones
                     else f"failed: {e['one'][0]['error']}"]
            for w in g["workers"]:
                c = e["class"].get(w, {"error": "not run"})
                cells += ([f"failed: {c['error']}", "", ""] if "error" in c else
                          [f"{fmt(c['seconds'])} ({fmt(c['setup'])})", per_notebook(c["seconds"], c["setup"], c["notebooks"]),
                           f"{c['full_marks']}/{c['notebooks']}"])
            L.append(f"| {lesson} | {len(e['one'])} | " + " | ".join(cells) + f" | {e['run']} |")
        cells = [f"**{fmt(one)}** (bar about {GRADING_BAR:.0f})"]
        for w in g["workers"]:
            s, setup, nbs, full = classes[w]
            cells += [f"**{fmt(s)}** ({fmt(setup)})", per_notebook(s, setup, nbs), f"{full}/{nbs}"]
        L.append(f"| **whole course** ({len(ok)} lessons) | | " + " | ".join(cells) + " | |")
        if len(g["workers"]) > 1:
            first, last = g["workers"][0], g["workers"][-1]
            L += ["", f"Speed-up of {last} workers over {first}: {classes[first][0] / classes[last][0]:.2f}x."]

    L += ["", "## 3 · MNIST: the course's NumPy network beside Keras", ""]
    m = results.get("mnist")
    if not m:
        L.append("Not measured yet.")
    else:
        acc, spe, ratio = mnist_medians(m)
        s = m["settings"]
        threads = sorted({str(t["numpy"]["threads"]) for t in m["trials"]})
        L += [f"`dlcourse.network.compare_with_keras`: the same {s['net']} net, He initialization, RMSprop "
              f"{s['learning_rate']:g} (rate / 10 for the last two epochs), {s['epochs']} epochs of {s['batch_size']}, "
              f"float32, on {s['n_train'] or 60000:,} training and {s['n_test'] or 10000:,} test images; NumPy first, "
              f"then Keras, in one process (run {m['run']}). Medians of {len(m['trials'])} run(s) with seeds 0, 1, ...; "
              f"seconds per epoch: the mean over the epochs, optimization only (Keras's first epoch includes its "
              f"tracing). NumPy's BLAS threads: {', '.join(threads)}.", "",
              "| | NumPy | Keras | NumPy / Keras |", "| --- | ---: | ---: | ---: |",
              f"| test accuracy | {pct(acc['numpy'])} | {pct(acc['keras'])} | {acc['numpy'] / acc['keras']:.3f} |",
              f"| seconds per epoch | {spe['numpy']:.2f} | {spe['keras']:.2f} | **{ratio:.2f}** |",
              f"| target | ≥ {pct(MNIST_BARS['numpy'], 1)}, at most {MNIST_RATIO_GOAL:g} of Keras's time | ≥ {pct(MNIST_BARS['keras'], 1)} | ≤ {MNIST_RATIO_GOAL:g} |"]

    L += ["", "## 4 · The dating regression: iterations to within 1 %", ""]
    r = results.get("regression")
    if not r:
        L.append("Not measured yet.")
    else:
        base = r["rows"][0]["iterations"]
        L += ["Batch gradient descent from zero on the survey of lesson 03 (`dlcourse.regression`), until every",
              "coefficient is within 1 % of the least-squares fit (lesson 03's target); each set of inputs at a learning rate",
              "near its best (the largest stable one for dollars). *counted*: `iterations_to_within` runs the descent;",
              f"*closed form*: `predicted_iterations_to_within`, for runs too long to run (run {r['run']}).", "",
              "| inputs | learning rate | iterations | how | / standardized |", "| --- | ---: | ---: | --- | ---: |"]
        for row in r["rows"]:
            it = row["iterations"]
            L.append(f"| {row['inputs']} | {row['learning_rate']:g} | {'not reached' if it is None else f'{it:,}'} | "
                     f"{row['how']} | {'–' if it is None or not base else f'{it / base:,.0f}x'} |")
    return "\n".join(L) + "\n"


def class_figures(c: dict) -> dict:
    """The figures of a class section: set-up (empty cache, cached), per notebook, student's share."""
    f = {}
    if "error" not in c.get("one_cold", {"error": 1}):
        f["setup_cold"] = c["one_cold"]["setup"]
    if "error" not in c.get("one", {"error": 1}):
        f["setup_cached"] = c["one"]["setup"]
        f["one_after_setup"] = c["one"]["seconds"] - c["one"]["setup"]
    k = c.get("class", {"error": 1})
    if "error" not in k:
        f["class_seconds"], f["class_setup"] = k["seconds"], k["setup"]
        f["per_notebook"] = (k["seconds"] - k["setup"]) / max(k["notebooks"], 1)
        f["share"] = f["per_notebook"] * len(c["lessons"])
        f["notebooks"], f["full_marks"] = k["notebooks"], k["full_marks"]
    return f


def render_class(c: dict | None) -> list[str]:
    if not c:
        return ["Not measured yet."]
    f = class_figures(c)
    n, w = c["class_size"], c["workers"]
    runs = (f"run {c['run']}" if not c.get("one_run") else
            f"the class: run {c['run']}; the rows of one student: run {c['one_run']}, load {' to '.join(f'{x:g}' for x in c['one_load'])}")
    L = [f"`dlcourse autograde --all --workers {w}` in a scratch course with {len(c['lessons'])} lessons, sandbox "
         f"{c['sandbox']} ({runs}). Every submission is the student version with every answer from the",
         "solutions (`tests/redteam/course.py`). *Set-up*: from the command's start until every lesson is registered",
         "in the gradebook and has its time budgets (the solution's timing run, or its cached times).",
         "*Per notebook*: the class's time after set-up over its notebooks (what one more notebook costs);",
         "*student's share*: that times the number of lessons (what one more student costs).", "",
         "| figure | measured s | goal s |", "| --- | ---: | ---: |"]
    def row(label, key, goal=None, digits=1):
        value = f.get(key)
        L.append(f"| {label} | {'failed' if value is None else f'{value:.{digits}f}'} | "
                 f"{'' if goal is None else f'≤ {goal:g}'} |")
    row("set-up of the whole course, empty cache (one student)", "setup_cold", CLASS_GOALS["setup"])
    row("set-up of the whole course, cached", "setup_cached", CLASS_GOALS["setup"])
    row("one complete submission after set-up (one student alone)", "one_after_setup", CLASS_GOALS["share"])
    row(f"class of {n} x {len(c['lessons'])} lessons, whole command", "class_seconds",
        CLASS_GOALS["class_of_100"] if n >= 100 else None)
    row(f"  of which set-up", "class_setup")
    row(f"per notebook after set-up, {w} workers", "per_notebook", CLASS_GOALS["per_notebook"], 2)
    row("student's share of the whole course (per notebook x lessons)", "share", CLASS_GOALS["share"])
    if "notebooks" in f:
        L.append(f"| full marks | {f['full_marks']}/{f['notebooks']} | all |")
    if c.get("load"):
        L += ["", f"The machine's 1-minute load average during the run: {' to '.join(f'{x:g}' for x in c['load'])} "
                  f"on {os.cpu_count() or '?'} cores (a load above the number of cores means other jobs shared them)."]
    if c.get("note"):
        L += ["", c["note"]]
    for key, what in (("one_cold", "one student, empty cache"), ("one", "one student, cached"), ("class", f"class of {n}")):
        e = c.get(key, {})
        if "error" in e:
            L += ["", f"{what}: failed: {e['error']}"]
        elif e.get("notebooks") is not None and e["notebooks"] < len(c["lessons"]) * (n if key == "class" else 1):
            L += ["", f"{what}: only {e['notebooks']} notebooks of {len(c['lessons']) * (n if key == 'class' else 1)} "
                      "were graded (a lesson whose set-up failed is left out)"
                      + (": " + "; ".join(e["setup_failed"]) if e.get("setup_failed") else
                         "; this run did not record why") + "."]
        if "error" not in e and e.get("short"):
            L += ["", f"{what}: perfect submissions that lost points (the report's reasons):"]
            L += [f"- {s}" for s in e["short"][:20]]
    return L


def count(n):
    return "not reached" if n is None else f"{n:,}" if n < 10**6 else f"{n / 1e6:,.0f} million"


def summary(results: dict) -> str:
    """The README's short table: date, machine and the key figures."""
    runs = results.get("runs", [])
    last = runs[-1] if runs else {"date": "never", "machine": "-"}
    L = [f"Latest figures ({last['date']} UTC, {last['machine']}); full report and commands in",
         "[benchmarks/report.md](benchmarks/report.md).", "",
         "| figure | measured | target |", "| --- | ---: | ---: |"]
    ok, total, _ = course_totals(results)
    if ok:
        slowest = max(ok, key=lambda k: med(ok[k]["times"]))
        L.append(f"| whole course, solutions in fresh kernels ({len(ok)} lessons, sum of medians) | {total:.0f} s | "
                 f"{COURSE_BAR:.0f} s |")
        L.append(f"| slowest lesson ({slowest}) | {med(ok[slowest]['times']):.1f} s | {lesson_bar(slowest):.0f} s |")
    if results.get("grading") and not results.get("class"):  # the per-lesson measurement, older than section 2's
        g = results["grading"]
        graded, one, classes = grading_totals(g)
        n_one = min((len(v["one"]) for v in graded.values()), default=0)
        setup = med([sum(v["one"][i]["setup"] for v in graded.values()) for i in range(n_one)]) if n_one else 0.0
        L.append(f"| autograde one complete submission ({len(graded)} lessons, sandbox {g['sandbox'].split()[0]}) | "
                 f"{one:.0f} s, of which {setup:.0f} s set-up once per class (the student: {one - setup:.0f} s) | "
                 f"about {GRADING_BAR:.0f} s |")
        for w, (s, setup, nbs, _) in classes.items():
            L.append(f"| autograde a class of {g['class_size']}, {w} worker(s) | {s:.0f} s "
                     f"({per_notebook(s, setup, nbs)} s per notebook after set-up) | |")
    if results.get("class"):
        c, f = results["class"], class_figures(results["class"])
        if "one_after_setup" in f:
            L.append(f"| `dlcourse autograde --all`, one complete submission after set-up ({len(c['lessons'])} lessons, "
                     f"sandbox {c['sandbox'].split()[0]}, {c['workers']} workers) | {f['one_after_setup']:.0f} s | ≤ 30 s |")
        if "per_notebook" in f:
            L.append(f"| `dlcourse autograde --all`, class of {c['class_size']} x {len(c['lessons'])} lessons, "
                     f"{c['workers']} workers | {f['class_seconds']:.0f} s ({f['per_notebook']:.2f} s per notebook "
                     f"after set-up, student's share {f['share']:.0f} s) | 1.5 s per notebook, share ≤ 30 s |")
        if "setup_cold" in f:
            cold = c.get("one_cold", {}).get("notebooks", len(c["lessons"]))
            partial = f" ({cold} of {len(c['lessons'])} lessons set up, see the report)" if cold < len(c["lessons"]) else ""
            L.append(f"| set-up of the whole course through the command line, empty cache / cached | "
                     f"{f['setup_cold']:.0f} s{partial} / {f.get('setup_cached', float('nan')):.0f} s | ≤ 30 s |")
    if results.get("mnist"):
        acc, spe, ratio = mnist_medians(results["mnist"])
        L.append(f"| MNIST {results['mnist']['settings']['net']}, test accuracy NumPy / Keras | "
                 f"{pct(acc['numpy'])} / {pct(acc['keras'])} | {pct(MNIST_BARS['numpy'], 1)} / {pct(MNIST_BARS['keras'], 1)} |")
        L.append(f"| MNIST seconds per epoch NumPy / Keras | {spe['numpy']:.2f} / {spe['keras']:.2f} "
                 f"(ratio {ratio:.2f}) | ratio ≤ {MNIST_RATIO_GOAL:g} |")
    if results.get("regression"):
        rows = results["regression"]["rows"]
        L.append("| dating regression, iterations to within 1 %: " + " / ".join(r["inputs"] for r in rows) + " | "
                 + " / ".join(count(r["iterations"]) for r in rows)
                 + " | |")
    return "\n".join(L)


def splice(text: str, block: str) -> str:
    """`text` with what lies between the README's benchmark markers replaced by `block`."""
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"no {README_START} ... {README_END} markers in the README")
    return pattern.sub(lambda _: f"{README_START}\n{block}\n{README_END}", text, count=1)


# --------------------------------------------------------------------------- main
def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, help="runs per lesson, per graded path, per one-student grading and "
                                               "per MNIST comparison (default 3; --quick: 1)")
    p.add_argument("--lessons", nargs="+", help="lessons to run and grade (default: every folder in solutions/)")
    p.add_argument("--class-size", type=int, help="students in the graded class (default 10; --quick: 2; 0: only "
                                                   "the one-student rows, kept beside the last class run)")
    p.add_argument("--workers", type=int, nargs="+", help="grading workers, one class run per number "
                                                          "(default: the number of cores)")
    p.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap even where it exists")
    for section in ("lessons", "class", "mnist", "regression"):
        p.add_argument(f"--skip-{section}", action="store_true")
    p.add_argument("--skip-grading", action="store_true", help="skip the class section (an older name of --skip-class)")
    p.add_argument("--per-lesson", action="store_true", help="also run the earlier lesson-by-lesson grading measurement")
    p.add_argument("--all", action="store_true", help="only the class section (every lesson): "
                   "--skip-lessons --skip-mnist --skip-regression")
    p.add_argument("--render", action="store_true", help="measure nothing: render the report from results.json")
    p.add_argument("--quick", action="store_true", help="a fast smoke run: the first lesson, 1 repeat, a class of 2, "
                   "2 epochs on 6,000 MNIST images; results and report go to a temporary folder unless --results is given")
    p.add_argument("--readme", action="store_true", help="write the summary table into README.md between its markers")
    p.add_argument("--results", type=Path, help="raw figures (default benchmarks/results.json)")
    p.add_argument("--output", type=Path, help="the report (default benchmarks/report.md, next to --results)")
    args = p.parse_args(argv)

    folder = Path(tempfile.gettempdir()) / "dlcourse-bench-quick" if args.quick else HERE
    results_path = args.results or folder / "results.json"
    output = args.output or results_path.parent / "report.md"
    all_lessons = sorted(d.name for d in (ROOT / "solutions").iterdir() if (d / f"{d.name}.ipynb").is_file())
    lessons = args.lessons or (all_lessons[:1] if args.quick else all_lessons)
    unknown = sorted(set(lessons) - set(all_lessons))
    if unknown:
        p.error(f"no lesson {', '.join(unknown)} in solutions/")
    repeats = args.repeats or (1 if args.quick else 3)
    class_size = args.class_size if args.class_size is not None else (2 if args.quick else 10)
    workers = args.workers or [os.cpu_count() or 1]
    if args.all:
        args.skip_lessons = args.skip_mnist = args.skip_regression = True
    args.skip_class = args.skip_class or args.skip_grading

    results = json.loads(results_path.read_text()) if results_path.is_file() else {}
    if not args.render:
        run_id = max((r["id"] for r in results.get("runs", [])), default=0) + 1
        runs = [{"id": run_id, "date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}", "machine": machine(),
                 "command": shlex.join(["python", "benchmarks/run_benchmarks.py", *argv])}]
        print(f"run {run_id}: {runs[0]['machine']}", flush=True)

        def save(name, value):  # after each section, so an interrupted long run keeps what it measured
            nonlocal results
            results = merge(results, {"runs": runs, name: value})
            results_path.parent.mkdir(parents=True, exist_ok=True)
            results_path.write_text(json.dumps(results, indent=1) + "\n")
            output.write_text(render(results, all_lessons))

        if not args.skip_regression:
            save("regression", bench_regression(run_id))
        if not args.skip_lessons:
            save("lessons", bench_lessons(lessons, repeats, run_id))
        if not args.skip_class:
            save("class", bench_class(lessons, class_size, workers[-1], args.no_sandbox, run_id))
        if args.per_lesson:
            save("grading", bench_grading(lessons, class_size, workers, repeats, args.no_sandbox, run_id))
        if not args.skip_mnist:
            save("mnist", bench_mnist(repeats, args.quick, run_id))

    report = render(results, all_lessons)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report)
    print(report)
    print(f"wrote {output} (raw figures: {results_path})")
    if args.readme:
        readme = ROOT / "README.md"
        readme.write_text(splice(readme.read_text(), summary(results)))
        print(f"wrote the summary into {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
