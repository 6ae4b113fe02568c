"""Autograding a class so that no submission can stop it or cheat it, quickly.

For every student, `dlcourse autograde LESSON` (or `--all`: every lesson of every student) runs
`nbgrader autograde LESSON --student S` on a *prepared copy* of the submission, in a pool of
`--workers` grading workers (`nbgrader_run.Worker`: one long-lived Python process each, which
imports nbgrader once and grades one notebook after another; a notebook that runs past its
wall-clock limit kills its worker, which is replaced):

1. `sanitize.prepare` repairs the notebook and removes tampering statements (report lines);
   an unreadable submission is not run at all and scores 0;
2. nbgrader grades the copy with two extensions switched on by configuration
   (`nbgrader_ext.RobustExecute`: a dying kernel costs only what did not run) and a kernel
   started through `sandbox.py` (bubblewrap, no network, memory limit) and `kernel.py` (the
   guard that puts the checking machinery back before every cell);
3. afterwards the gradebook is checked against the graded notebook: every graded cell has a
   grade, a test cell that did not run scores 0 instead of "needs manual grade", and what the
   guard restored is reported.

sqlite allows one writer at a time: nbgrader's writes are short, and a run that still meets
"database is locked" is retried. Running again regrades from the submissions (idempotent).

Set-up, once per lesson: `nbgrader generate_assignment` (registers the lesson in the gradebook)
and the time budgets (`budget.py`) from one timed run of the solution, cached in
`.dlcourse-cache/` under a hash of the lesson and the course package, so it is paid once. Figures
are not drawn while grading (`kernel.figures_off`; `--figures` draws them for the feedback).
`grade_one` grades a single submission folder (the same path, no class loop).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from . import budget as budget_mod
from . import report as report_mod
from . import sandbox as sandbox_mod
from . import shared_gradebook
from .nbgrader_run import NbgraderError, Worker, WorkerDied, nbgrader_env
from .sanitize import prepare

DEFAULT_MEMORY_MB = 4096
CACHE_DIR = ".dlcourse-cache"


def course_id(root: Path) -> str:
    text = (root / "nbgrader_config.py").read_text()
    m = re.search(r"course_id\s*=\s*[\"']([^\"']+)[\"']", text)
    return m.group(1) if m else "default_course"


def default_db(root: Path) -> str:
    return f"sqlite:///{(root / 'gradebook.db').resolve()}"


def normalize_db_url(url: str) -> str:
    """A database URL nbgrader's SQLAlchemy 2 can open with the drivers installed here.

    `postgresql://...` means psycopg2 to SQLAlchemy; the course's `postgres` extra installs
    psycopg 3, whose URLs start `postgresql+psycopg://`. A plain `postgresql://` is rewritten
    to it when psycopg 3 is installed and psycopg2 is not; anything else is left as it is.
    """
    if url.startswith(("postgresql://", "postgres://")):
        import importlib.util

        if importlib.util.find_spec("psycopg2") is None and importlib.util.find_spec("psycopg") is not None:
            return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_path(db_url: str) -> Path | None:
    if db_url.startswith("sqlite:///"):
        return Path(db_url[len("sqlite:///"):])
    return None


EXTRA_CONFIG = '''
from dlcourse.instructor.nbgrader_ext import RobustExecute, HideHiddenTests
from dlcourse.instructor.feedback import NameMistakes
from nbgrader.preprocessors import (IgnorePattern, LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                    CheckCellMetadata, GetGrades)
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
c = get_config()
c.Autograde.autograde_preprocessors = [RobustExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, NameMistakes, CSSHTMLHeaderPreprocessor]
# configured for the grading kernel through the course's config: same values for our subclass
import os
c.RobustExecute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]
# nbgrader waits 4 s for a cell's last outputs after its reply, then fails the whole notebook: on a busy
# machine that lost every grade of a notebook; a cell's own time is bounded by its budget anyway
c.RobustExecute.iopub_timeout = 60
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
'''


def _preload(solution: Path) -> str:
    """The zygote's preload set a lesson's kernels ask for (zygote.PRELOADS): "keras" for a lesson that imports it."""
    try:
        text = "\n".join(c.source for c in nbformat.read(solution, as_version=4).cells if c.cell_type == "code")
    except (OSError, ValueError):
        return ""
    return "keras" if re.search(r"^\s*(import|from)\s+(keras|tensorflow)\b", text, re.M) else ""


class KernelSource:
    """Where a grading run's kernels come from (zygote.py): the zygote of the graded kernels, sandboxed like
    them and started at once, so that it imports while the lessons are set up; and one without the sandbox
    for the solutions' timing runs (`timing`: some solution has no cached times). With `DLCOURSE_ZYGOTE=0`, or
    when a zygote cannot start, kernels start the plain way (one new Python each)."""

    def __init__(self, graders: list, log=print, timing: bool = False):
        from . import zygote as zygote_mod

        self.zygote_mod, self.log = zygote_mod, log
        self.graders = list(graders)
        self.run_root = Path(tempfile.mkdtemp(prefix="dlcourse-kernels-"))
        self.grading = self.timing = None
        self.lock = threading.Lock()
        self.enabled = bool(graders) and os.environ.get("DLCOURSE_ZYGOTE", "") != "0"
        for grader in self.graders:
            grader.runs = self.run_root / grader.lesson
            grader.timing_env = self.timing_env
        if self.enabled:
            first = self.graders[0]
            env = self._env(first.env("_zygote"))
            env["DLCOURSE_SANDBOX_HIDE"] = os.pathsep.join(sorted(
                {p for g in self.graders for p in g.env("_zygote")["DLCOURSE_SANDBOX_HIDE"].split(os.pathsep) if p}))
            self.grading_args = (self.run_root, first.root / "autograded", env, first.sandbox)
            # both started here, in the thread that lives as long as the run (a zygote dies with its starter); while
            # solutions are timed, the grading zygote waits until they are (they share the cores)
            if timing:
                env = self._env(first.env("_timing"))
                env.update({"DLCOURSE_SANDBOX": "0", "DLCOURSE_SANDBOX_HIDE": ""})
                self.timing = self._start(self.run_root / "_timing", self.run_root / "_timing", env, False)
            else:
                self.grading = self._start(*self.grading_args)

    @staticmethod
    def _env(env: dict) -> dict:
        for key in ("JUPYTER_RUNTIME_DIR", "DLCOURSE_GUARD_LOG", "DLCOURSE_SANDBOX_WORKDIR", "DLCOURSE_KERNEL_PRELOAD",
                    "DLCOURSE_ZYGOTE", budget_mod.ENV):
            env.pop(key, None)
        return env

    def _start(self, run_root, autograded, env, sandbox):
        preload = tuple(sorted({g.preload for g in self.graders if g.preload}))  # lesson 09's TensorFlow, at once
        try:
            return self.zygote_mod.Zygote(run_root, autograded, env, sandbox=sandbox, preload=preload)
        except Exception as exc:  # noqa: BLE001 - grading goes on, each kernel started the plain way
            self.log(f"dlcourse: kernels are started one by one ({type(exc).__name__}: {exc})")
            return None

    def _ready(self, zyg) -> dict:
        if zyg is None:
            return {}
        try:
            return zyg.kernel_env()
        except self.zygote_mod.ZygoteError as exc:
            self.log(f"dlcourse: kernels are started one by one ({exc})")
            return {}

    def use_for_grading(self) -> None:
        """After the set-up (in the run's own thread): every grader's kernels are forked from the grading zygote."""
        with self.lock:
            if self.timing:
                self.timing.close()
                self.timing = None
            if self.grading is None and self.enabled:
                self.grading = self._start(*self.grading_args)
            env = self._ready(self.grading)
            self.grading = self.grading if env else None
        for grader in self.graders:
            grader.kernel_env = env

    def timing_env(self) -> dict:
        """The environment of a solution's timing run: the zygote without the sandbox, when one was started."""
        with self.lock:
            env = self._ready(self.timing)
            if not env:
                self.timing = None
            return env

    def close(self) -> None:
        for zyg in (self.grading, self.timing):
            if zyg:
                zyg.close()
        shutil.rmtree(self.run_root, ignore_errors=True)


class Grader:
    def __init__(self, root: Path, lesson: str, *, db_url: str | None = None, sandbox: bool = True,
                 timeout: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB, log=print,
                 figures: bool = False, db_lock: threading.Lock | None = None, cache: bool = True):
        self.root = Path(root).resolve()
        self.lesson = lesson
        self.db_url = db_url or default_db(self.root)
        self.sandbox = sandbox
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.log = log
        self.figures = figures
        self.cache = cache
        self.course_id = course_id(self.root)
        self.db_lock = db_lock or threading.Lock()
        if not (self.root / "solutions" / lesson / f"{lesson}.ipynb").is_file():
            raise SystemExit(f"dlcourse: no lesson {lesson} in {self.root / 'solutions'}")
        if sandbox:
            sandbox_mod.check_available()
        self.state = Path(tempfile.mkdtemp(prefix="dlcourse-grade-"))
        sandbox_mod.write_kernelspec(self.state / "jupyter")
        (self.state / "config").mkdir()
        (self.state / "config" / "nbgrader_config.py").write_text(EXTRA_CONFIG)
        self.staging = self.state / "submitted"
        self.runs = self.state / "run"  # each student's kernel sockets and guard log: runs/STUDENT
        self.kernel_env: dict = {}      # how kernels are started (a zygote's socket, see zygote.py)
        self.timing_env = lambda: {}    # the same for the solution's timing run
        self.preload = _preload(self.root / "solutions" / lesson / f"{lesson}.ipynb")

    # ------------------------------------------------------------------ set-up
    def env(self, student: str) -> dict:
        run = self.runs / student
        run.mkdir(parents=True, exist_ok=True)
        hide = [str(self.root), str(self.state)]
        db = _sqlite_path(self.db_url)
        if db is not None:
            hide.append(str(db.resolve().parent))
        from .. import paths
        data = next((str(d) for d in paths.data_dirs() if d.is_dir()), "")
        if not data and (self.root / "data").is_dir():
            data = str(self.root / "data")
        return nbgrader_env({
            "JUPYTER_PATH": str(self.state / "jupyter"),
            "JUPYTER_CONFIG_DIR": str(self.state / "config"),
            "JUPYTER_RUNTIME_DIR": str(run),
            "DLCOURSE_GUARD_LOG": str(run / "guard.log"),
            "DLCOURSE_SANDBOX": "1" if self.sandbox else "0",
            "DLCOURSE_SANDBOX_WORKDIR": str(self.root / "autograded" / student / self.lesson),
            "DLCOURSE_SANDBOX_HIDE": os.pathsep.join(hide),
            "DLCOURSE_DATA_DIR": data,
            "DLCOURSE_KERNEL_MEMORY_MB": str(self.memory_mb) if self.memory_mb else "",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
            "DLCOURSE_FIGURES": "1" if self.figures else "0",
            "PYTHONWARNINGS": "ignore",
            "DLCOURSE_KERNEL_PRELOAD": self.preload,
            **self.kernel_env,
            **budget_mod.to_env(getattr(self, "budgets", None) or {}),
        })

    def setup(self, worker: Worker | None = None) -> None:
        """Register the lesson in the gradebook (nbgrader generate_assignment into a scratch release)
        and set the time budgets from the solution's timing run (cached, see budget.py)."""
        own = worker is None
        worker = worker or Worker(self.root)
        try:
            self.register(worker)
            self.set_budgets(worker)
        finally:
            if own:
                worker.close()

    def register(self, worker: Worker) -> None:
        args = ["generate_assignment", self.lesson, "--force", f"--db={self.db_url}",
                f"--CourseDirectory.release_directory={self.state / 'release'}"]
        with shared_gradebook.exclusive(self.db_url, "register"):  # grading machines sharing a PostgreSQL gradebook
            for attempt in range(6):
                result = worker.run(args, env=self.env("_setup"), timeout=600)
                if result.returncode == 0 or "locked" not in result.stdout:
                    break
                time.sleep(0.5 + attempt)
        if result.returncode != 0:
            tail = "\n".join(result.stdout.strip().splitlines()[-25:])
            raise NbgraderError(f"`nbgrader generate_assignment {self.lesson}` failed (exit {result.returncode}):\n{tail}")
        self.release_nb = nbformat.read(self.state / "release" / self.lesson / f"{self.lesson}.ipynb", as_version=4)

    def set_budgets(self, worker: Worker) -> None:
        """Time budgets from one run of the solution (see budget.py): a broken submission cannot hold a worker.
        The run uses the grading kernel without the sandbox (the solution is the instructor's code)."""
        folder = self.root / "solutions" / self.lesson

        def measure():
            env = {**self.env("_timing"), "DLCOURSE_SANDBOX": "0", "DLCOURSE_SANDBOX_WORKDIR": "",
                   "DLCOURSE_GUARD_LOG": "", "DLCOURSE_ZYGOTE": "", **self.timing_env()}
            answer = worker.request({"measure": str(folder / f"{self.lesson}.ipynb"), "env": env}, timeout=1800)
            if answer["returncode"] != 0:
                raise RuntimeError(answer.get("log", "the timing run failed").strip().splitlines()[0])
            return answer["timings"]

        if self.cache:
            timings, cached = budget_mod.cached_timings(self.root / CACHE_DIR / "budgets", folder, measure)
        else:
            timings, cached = measure(), False
        self.timings = timings
        self.budgets = budget_mod.budgets(timings, cap=self.timeout or 120)
        self.log(f"{self.lesson}: the solution runs in {sum(timings.values()):.1f} s"
                 f"{' (cached timing)' if cached else ''}; a submission may take "
                 f"{self.budgets['ceiling']:.0f} s, each cell {budget_mod.FACTOR:g} times the solution's time "
                 f"(at least {budget_mod.FLOOR_S:g} s), more while the machine is busy")

    def students(self) -> list[str]:
        sub = self.root / "submitted"
        if not sub.is_dir():
            return []
        return sorted(p.name for p in sub.iterdir() if (p / self.lesson).is_dir())

    # ------------------------------------------------------------------ one student
    def _pick_notebook(self, folder: Path, row) -> Path | None:
        want = folder / f"{self.lesson}.ipynb"
        if want.is_file():
            return want
        found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
        if not found:
            return None
        pick = max(found, key=lambda p: p.stat().st_mtime) if len(found) > 1 else found[0]
        row.events.append(f"repaired: notebook named {pick.name!r}, graded as {want.name}")
        return pick

    def grade_student(self, student: str, worker: Worker | None = None) -> report_mod.Row:
        """Grade one student's submission of this lesson (after `setup`): the gradebook has the grade,
        `autograded/STUDENT/LESSON/` the graded notebook, the returned row what happened."""
        own = worker is None
        worker = worker or Worker(self.root)
        try:
            with shared_gradebook.shared(self.db_url, "register"):  # not while another machine registers
                return self._grade_student(student, worker)
        finally:
            if own:
                worker.close()

    def _grade_student(self, student: str, worker: Worker) -> report_mod.Row:
        row = report_mod.Row(student, self.lesson)
        folder = self.root / "submitted" / student / self.lesson
        out_dir = self.root / "autograded" / student / self.lesson
        source = self._pick_notebook(folder, row)
        if source is None:
            row.status = "missing"
            row.events.append("no notebook in the submission")
            self._zero(student, row)
            return row
        prepared = prepare(source, self.release_nb, self.lesson)
        row.events += prepared.events
        if prepared.fatal:
            row.status = "unreadable"
            row.events.append(f"unreadable: {prepared.fatal}; scored 0")
            if out_dir.exists():
                shutil.rmtree(out_dir)
            self._zero(student, row)
            return row
        stage = self.staging / student / self.lesson
        if stage.exists():
            shutil.rmtree(stage)
        stage.mkdir(parents=True)
        for extra in folder.iterdir():
            if extra.is_file() and extra.suffix != ".ipynb":
                shutil.copy(extra, stage / extra.name)
        nbformat.write(prepared.nb, stage / f"{self.lesson}.ipynb")
        guard_log = self.runs / student / "guard.log"
        args = ["autograde", self.lesson, f"--student={student}", "--force", f"--db={self.db_url}",
                f"--CourseDirectory.submitted_directory={self.staging}"]
        if self.timeout:  # the class's cell limit, in seconds of an idle machine like every budget (budget.py)
            limit = int(round(self.timeout * budget_mod.load_factor()))
            args.append(f"--Execute.timeout={limit}")
            args.append(f"--RobustExecute.timeout={limit}")
        if self.sandbox:
            # the kernel has no network of its own: ZMQ over Unix sockets in the private runtime folder
            args += ["--KernelManager.transport=ipc",
                     f"--KernelManager.ip={self.runs / student / 'kernel-ipc'}"]
        wall = max(300, budget_mod.load_factor() * self.budgets["ceiling"] + 120)
        result = None
        for attempt in range(6):
            if guard_log.exists():
                guard_log.unlink()
            try:
                result = worker.run(args, env=self.env(student), timeout=wall)
            except subprocess.TimeoutExpired:
                row.status = "failed"
                row.events.append(f"grading took longer than {wall} s and was stopped; scored 0")
                self._zero(student, row)
                return row
            except WorkerDied as exc:
                row.status = "failed"
                row.events.append(f"nbgrader could not grade it: {exc}; scored 0")
                self._zero(student, row)
                return row
            text = result.stdout + result.stderr
            # two gradings that both add a new student or course row: the second one's insert fails; its retry finds the row
            if result.returncode == 0 or not any(why in text for why in ("database is locked", "UNIQUE constraint failed",
                                                                         "duplicate key value")):
                break
            time.sleep(0.5 + attempt)
        out_nb = out_dir / f"{self.lesson}.ipynb"
        if result.returncode != 0 or not out_nb.is_file():
            text = result.stdout + result.stderr
            tail = [l for l in text.splitlines() if "[AutogradeApp | ERROR]" in l or "Error" in l]
            saved = self._keep_log(student, text)
            row.status = "failed"
            row.events.append("nbgrader could not grade it: " + (tail[-1].strip()[:200] if tail else f"exit {result.returncode}")
                              + f"; scored 0 (nbgrader's log: {saved})")
            self._zero(student, row)
            return row
        self._post_check(student, row, out_nb, guard_log)
        return row

    def _keep_log(self, student: str, text: str) -> Path:
        """nbgrader's whole log of a grading that failed, kept for the instructor: reports/logs/LESSON/STUDENT.log."""
        path = self.root / "reports" / "logs" / self.lesson / f"{student}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path.relative_to(self.root)

    # ------------------------------------------------------------------ gradebook
    def _gradebook(self):
        from nbgrader.api import Gradebook
        return Gradebook(self.db_url, self.course_id)

    def _with_db(self, fn):
        for attempt in range(10):
            try:
                with self.db_lock:
                    with self._gradebook() as gb:
                        return fn(gb)
            except Exception as exc:  # noqa: BLE001
                if "locked" not in str(exc) or attempt == 9:
                    raise
                time.sleep(0.3 * (attempt + 1))

    def _zero(self, student: str, row) -> None:
        def work(gb):
            gb.update_or_create_student(student)
            sub = gb.update_or_create_submission(self.lesson, student)
            for nb in sub.notebooks:
                for grade in nb.grades:
                    grade.auto_score = 0
                    grade.manual_score = None
                    grade.needs_manual_grade = False
            gb.db.commit()
            row.max_score = self._auto_max(gb)
            row.score = 0.0
        self._with_db(work)

    def _auto_max(self, gb) -> float:
        assignment = gb.find_assignment(self.lesson)
        return float(sum(gc.max_score for nb in assignment.notebooks for gc in nb.grade_cells
                         if gc.cell_type == "code"))

    def _post_check(self, student: str, row, out_nb: Path, guard_log: Path) -> None:
        nb = nbformat.read(out_nb, as_version=4)
        meta = nb.metadata.get("dlcourse", {})
        died = meta.get("kernel_died_in_cell")
        used = meta.get("cell_budgets_s", {})
        cells = {c.metadata.get("nbgrader", {}).get("grade_id"): (i, c) for i, c in enumerate(nb.cells)}
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if out.get("output_type") == "error" and out.get("ename") in ("CellTimeoutError", "KeyboardInterrupt"):
                    seconds = used.get(str(i), self.timeout or 120)
                    row.events.append(f"timeout: cell {i} ran longer than its budget of {seconds} s and was interrupted")
                    break
        if meta.get("ceiling_reached_in_cell") is not None:
            row.events.append(f"timeout: the notebook used up its time budget of {meta.get('ceiling_s', 0):.0f} s; "
                              f"cells from {meta['ceiling_reached_in_cell']} on were not run, scored 0")
        for i, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("solution"):
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error" and out.get("ename") not in ("CellTimeoutError", "KeyboardInterrupt", "DeadKernelError", "NotRun"):
                        what = "ran out of memory (memory limit)" if out.get("ename") == "MemoryError" else f"raised {out.get('ename')}"
                        row.events.append(f"answer cell {meta.get('grade_id')} {what}")
                        break
        if died is not None:
            row.events.append(f"kernel died in cell {died} (os._exit, memory limit or crash); later cells not run, scored 0")
        if guard_log.is_file():
            for line in guard_log.read_text().splitlines():
                if line.startswith("restored"):
                    row.events.append(f"tamper: at run time the grader {line} before the next cell")

        def work(gb):
            sub = gb.find_submission_notebook(self.lesson, self.lesson, student)
            score = 0.0
            for grade in sub.grades:
                if grade.cell_type != "code":
                    continue
                index, cell = cells.get(grade.name, (None, None))
                ran = cell is not None and (cell.get("execution_count") is not None or cell.get("outputs"))
                if grade.needs_manual_grade or not ran:
                    if not ran or grade.auto_score is None:
                        grade.auto_score = 0
                        row.events.append(f"consistency: test {grade.name} did not run; scored 0")
                    grade.needs_manual_grade = False
                score += float(grade.auto_score or 0)
            gb.db.commit()
            row.score = score
            row.max_score = self._auto_max(gb)
        self._with_db(work)
        if any(e.startswith("tamper") for e in row.events):
            row.status = "tampered"
        elif any(e.startswith(("repaired", "timeout", "kernel died", "consistency")) for e in row.events):
            row.status = "repaired"

    def cleanup(self) -> None:
        shutil.rmtree(self.state, ignore_errors=True)


def prepare_gradebook(db_url: str, course: str, students: list[str]) -> None:
    """Create the gradebook's tables, the course and every student before the workers start.

    Otherwise the first writes race: two `generate_assignment` runs on a new database both create
    the tables ("table assignment already exists"), and two gradings of one new student in two
    lessons both insert the student ("UNIQUE constraint failed: student.id"), failing a grading.
    """
    from nbgrader.api import Gradebook

    from ..kernel_client import environment
    from .nbgrader_run import use_in_process_alembic_head

    use_in_process_alembic_head()

    # a new gradebook runs the `alembic` command, found on PATH: the interpreter's bin first (nbgrader_env),
    # also when the course's environment was not activated
    with shared_gradebook.exclusive(db_url, "register"), environment(PATH=nbgrader_env()["PATH"]):
        with Gradebook(db_url, course) as gb:
            known = {s.id for s in gb.students}
            for student in students:
                if student not in known:
                    gb.add_student(student)


def _run_pool(workers: list[Worker], tasks: list) -> None:
    """Run `task(worker)` for every task, each worker taking the next task when it is free."""
    from queue import Empty, Queue

    queue = Queue()
    for task in tasks:
        queue.put(task)

    def drain(worker):
        while True:
            try:
                task = queue.get_nowait()
            except Empty:
                return
            task(worker)

    threads = [threading.Thread(target=drain, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _grade_safely(grader: Grader, student: str, worker: Worker) -> report_mod.Row:
    error = None
    for _attempt in range(2):  # an error of the grader's own (not of the notebook) is tried once more
        try:
            return grader.grade_student(student, worker)
        except Exception as exc:  # noqa: BLE001 - one student never stops the class
            error = exc
    row = report_mod.Row(student, grader.lesson, status="failed",
                         events=[f"internal error while grading: {type(error).__name__}: {error}; scored 0"])
    try:
        grader._zero(student, row)
    except Exception:  # noqa: BLE001
        pass
    return row


def autograde_lessons(root: Path, lessons: list[str], students: list[str] | None = None, *, workers: int = 1,
                      timeout: int | None = None, sandbox: bool = True, db_url: str | None = None,
                      memory_mb: int = DEFAULT_MEMORY_MB, report_dir: Path | None = None, log=print,
                      figures: bool = False, cache: bool = True, progress: bool | None = None,
                      strict: bool = False, course_report: bool | None = None) -> dict[str, list[report_mod.Row]]:
    """Grade every submission of every lesson in `lessons` with one pool of `workers` grading workers.

    Set-up (gradebook registration and time budgets) runs over the pool first, then every
    (lesson, student), the longest lessons first. Each lesson gets its report in
    `reports/LESSON/` (grades and the misconception report); the class also gets one report of
    the whole course in `reports/course/` (`course_report`; by default with more than one
    lesson). `strict`: a lesson whose
    set-up fails raises instead of being reported and skipped. Returns {lesson: rows}.
    """
    from . import misconceptions
    from .progress import Progress

    root = Path(root).resolve()
    db_lock = threading.Lock()
    graders = {lesson: Grader(root, lesson, db_url=db_url, sandbox=sandbox, timeout=timeout, memory_mb=memory_mb,
                              log=log, figures=figures, db_lock=db_lock, cache=cache) for lesson in lessons}
    logs = Path(tempfile.mkdtemp(prefix="dlcourse-workers-"))
    pool = [Worker(root, log_path=logs / f"worker-{k}.log") for k in range(max(1, workers))]
    failed_setup: dict[str, str] = {}
    rows: dict[str, list[report_mod.Row]] = {}
    untimed = [g for g in graders.values()
               if not (cache and budget_mod.is_cached(g.root / CACHE_DIR / "budgets", g.root / "solutions" / g.lesson))]
    kernels = KernelSource(list(graders.values()), log=log, timing=bool(untimed))
    try:
        handed_in = {s for g in graders.values() for s in g.students()}
        first = next(iter(graders.values()))
        prepare_gradebook(first.db_url, first.course_id, sorted(handed_in & set(students) if students else handed_in))
        def setup(grader):
            def task(worker):
                try:
                    grader.setup(worker)
                except Exception as exc:  # noqa: BLE001 - reported (or raised when strict) below
                    failed_setup[grader.lesson] = f"{type(exc).__name__}: {exc}"
            return task

        # the biggest solutions first (a rough guess of the longest timing runs), so the workers finish together
        by_size = sorted(graders.values(), key=lambda g: -(g.root / "solutions" / g.lesson / f"{g.lesson}.ipynb").stat().st_size)
        _run_pool(pool, [setup(g) for g in by_size])
        for lesson, why in failed_setup.items():
            if strict:
                raise RuntimeError(why) if not why.startswith("SystemExit") else SystemExit(why)
            log(f"dlcourse: {lesson} cannot be graded, its set-up failed: {why}")

        chosen: dict[str, list[str]] = {}
        for lesson, grader in graders.items():
            if lesson in failed_setup:
                continue
            available = grader.students()
            wanted = students or available
            unknown = sorted(set(wanted) - set(available))
            if unknown and students:
                log(f"dlcourse: no submission of {lesson} for: {', '.join(unknown)}")
            chosen[lesson] = [s for s in wanted if s in available]
            rows[lesson] = []
        kernels.use_for_grading()
        order = sorted(chosen, key=lambda l: -sum(graders[l].timings.values()))  # longest lessons first
        total = sum(len(v) for v in chosen.values())
        bar = Progress(total, "all lessons" if len(lessons) > 1 else lessons[0], enabled=progress, log=log)
        lock = threading.Lock()

        def grade(grader, student):
            def task(worker):
                row = _grade_safely(grader, student, worker)
                with lock:
                    rows[grader.lesson].append(row)
                    bar.done(row)
            return task

        _run_pool(pool, [grade(graders[l], s) for l in order for s in chosen[l]])
        bar.close()
        base = Path(report_dir) if report_dir else root / "reports"
        for lesson, lesson_rows in rows.items():
            if not lesson_rows:
                continue
            folder = base / lesson if (report_dir is None or len(lessons) > 1) else Path(report_dir)
            csv_path, txt_path = report_mod.write(lesson_rows, folder)
            log(f"report: {csv_path} and {txt_path.name}")
            try:
                written = misconceptions.write_report(root, lesson, lesson_rows, folder)
                log(f"misconceptions: {', '.join(p.name for p in written)}")
            except Exception as exc:  # noqa: BLE001 - the grades are saved; the summary is extra
                log(f"dlcourse: no misconception report for {lesson}: {type(exc).__name__}: {exc}")
        if (len(lessons) > 1 if course_report is None else course_report) and any(rows.values()):
            csv_path, txt_path = report_mod.write_course([r for v in rows.values() for r in v], base / "course",
                                                         lessons=lessons, failed_setup=failed_setup)
            log(f"class report: {csv_path} and {txt_path.name}")
        return rows
    finally:
        for worker in pool:
            worker.close()
        kernels.close()
        for grader in graders.values():
            grader.cleanup()
        shutil.rmtree(logs, ignore_errors=True)


def autograde(root: Path, lesson: str, students: list[str] | None = None, *, workers: int = 1,
              timeout: int | None = None, sandbox: bool = True, db_url: str | None = None,
              memory_mb: int = DEFAULT_MEMORY_MB, report_dir: Path | None = None, log=print,
              figures: bool = False, cache: bool = True, progress: bool | None = None) -> list[report_mod.Row]:
    """Grade every submission of one lesson (see `autograde_lessons`); the rows of the report."""
    rows = autograde_lessons(root, [lesson], students, workers=workers, timeout=timeout, sandbox=sandbox,
                             db_url=db_url, memory_mb=memory_mb, report_dir=report_dir, log=log, figures=figures,
                             cache=cache, progress=progress, strict=True)
    return rows.get(lesson, [])


def grade_one(root: Path, lesson: str, folder: Path, *, student: str = "submission", db_url: str | None = None,
              sandbox: bool = True, timeout: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB,
              timings: dict[str, float] | None = None, figures: bool = False, log=print):
    """Grade ONE submission folder (a notebook and its files) of `lesson` in the course at `root`:
    the same sanitize -> sandbox -> nbgrader -> budgets path as a class, without a class loop.

    `timings`: the solution's cell times measured ahead (`budget.measure`), so that nothing but the
    submission is run here; without them the cached or a new timing run is used. Returns
    (report row, path of the autograded notebook or None).
    """
    root = Path(root).resolve()
    grader = Grader(root, lesson, db_url=db_url, sandbox=sandbox, timeout=timeout, memory_mb=memory_mb,
                    log=log, figures=figures)
    worker = Worker(root)
    try:
        grader.register(worker)
        if timings is not None:
            grader.timings = timings
            grader.budgets = budget_mod.budgets(timings, cap=timeout or 120)
        else:
            grader.set_budgets(worker)
        target = root / "submitted" / student / lesson
        if target.resolve() != Path(folder).resolve():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(folder, target)
        row = _grade_safely(grader, student, worker)
        graded = root / "autograded" / student / lesson / f"{lesson}.ipynb"
        return row, (graded if graded.is_file() else None)
    finally:
        worker.close()
        grader.cleanup()
