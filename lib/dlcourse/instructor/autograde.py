"""Autograding a class so that no submission can stop it or cheat it.

For every student, `dlcourse autograde LESSON` runs one `nbgrader autograde LESSON --student S`
subprocess (in a pool of `--workers`), on a *prepared copy* of the submission:

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
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from . import budget as budget_mod
from . import report as report_mod
from . import sandbox as sandbox_mod
from .nbgrader_run import nbgrader_env, run_nbgrader
from .sanitize import prepare

DEFAULT_MEMORY_MB = 4096


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
from nbgrader.preprocessors import (IgnorePattern, LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                    CheckCellMetadata, GetGrades)
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
c = get_config()
c.Autograde.autograde_preprocessors = [RobustExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
# configured for the grading kernel through the course's config: same values for our subclass
import os
c.RobustExecute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
'''


class Grader:
    def __init__(self, root: Path, lesson: str, *, db_url: str | None = None, sandbox: bool = True,
                 timeout: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB, log=print):
        self.root = Path(root).resolve()
        self.lesson = lesson
        self.db_url = db_url or default_db(self.root)
        self.sandbox = sandbox
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.log = log
        self.course_id = course_id(self.root)
        self.db_lock = threading.Lock()
        if not (self.root / "solutions" / lesson / f"{lesson}.ipynb").is_file():
            raise SystemExit(f"dlcourse: no lesson {lesson} in {self.root / 'solutions'}")
        if sandbox:
            sandbox_mod.check_available()
        self.state = Path(tempfile.mkdtemp(prefix="dlcourse-grade-"))
        sandbox_mod.write_kernelspec(self.state / "jupyter")
        (self.state / "config").mkdir()
        (self.state / "config" / "nbgrader_config.py").write_text(EXTRA_CONFIG)
        self.staging = self.state / "submitted"

    # ------------------------------------------------------------------ set-up
    def env(self, student: str) -> dict:
        run = self.state / "run" / student
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
            "PYTHONWARNINGS": "ignore",
            **budget_mod.to_env(getattr(self, "budgets", None) or {}),
        })

    def setup(self) -> None:
        """Register the lesson in the gradebook (nbgrader generate_assignment into a scratch release)."""
        run_nbgrader(["generate_assignment", self.lesson, "--force", f"--db={self.db_url}",
                      f"--CourseDirectory.release_directory={self.state / 'release'}"],
                     self.root, env=self.env("_setup"))
        self.release_nb = nbformat.read(self.state / "release" / self.lesson / f"{self.lesson}.ipynb", as_version=4)
        # time budgets from one run of the solution (see budget.py): a broken submission cannot hold a worker
        timings = budget_mod.measure(self.root / "solutions" / self.lesson / f"{self.lesson}.ipynb")
        self.budgets = budget_mod.budgets(timings, cap=self.timeout or 120)
        self.log(f"{self.lesson}: the solution runs in {sum(timings.values()):.1f} s; a submission may take "
                 f"{self.budgets['ceiling']:.0f} s, each cell {budget_mod.FACTOR:g} times the solution's time "
                 f"(at least {budget_mod.FLOOR_S:g} s)")

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

    def grade_student(self, student: str) -> report_mod.Row:
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
        guard_log = self.state / "run" / student / "guard.log"
        args = ["autograde", self.lesson, f"--student={student}", "--force", f"--db={self.db_url}",
                f"--CourseDirectory.submitted_directory={self.staging}"]
        if self.timeout:
            args.append(f"--Execute.timeout={int(self.timeout)}")
            args.append(f"--RobustExecute.timeout={int(self.timeout)}")
        if self.sandbox:
            # the kernel has no network of its own: ZMQ over Unix sockets in the private runtime folder
            args += ["--KernelManager.transport=ipc",
                     f"--KernelManager.ip={self.state / 'run' / student / 'kernel-ipc'}"]
        wall = max(300, self.budgets["ceiling"] + 120)
        result = None
        for attempt in range(6):
            if guard_log.exists():
                guard_log.unlink()
            try:
                result = run_nbgrader(args, self.root, env=self.env(student), check=False, timeout=wall)
            except subprocess.TimeoutExpired:
                row.status = "failed"
                row.events.append(f"grading took longer than {wall} s and was stopped; scored 0")
                self._zero(student, row)
                return row
            text = result.stdout + result.stderr
            if result.returncode == 0 or "database is locked" not in text:
                break
            time.sleep(0.5 + attempt)
        out_nb = out_dir / f"{self.lesson}.ipynb"
        if result.returncode != 0 or not out_nb.is_file():
            tail = [l for l in (result.stdout + result.stderr).splitlines() if "[AutogradeApp | ERROR]" in l or "Error" in l]
            row.status = "failed"
            row.events.append("nbgrader could not grade it: " + (tail[-1].strip()[:200] if tail else f"exit {result.returncode}")
                              + "; scored 0")
            self._zero(student, row)
            return row
        self._post_check(student, row, out_nb, guard_log)
        return row

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


def autograde(root: Path, lesson: str, students: list[str] | None = None, *, workers: int = 1,
              timeout: int | None = None, sandbox: bool = True, db_url: str | None = None,
              memory_mb: int = DEFAULT_MEMORY_MB, report_dir: Path | None = None, log=print) -> list[report_mod.Row]:
    grader = Grader(root, lesson, db_url=db_url, sandbox=sandbox, timeout=timeout, memory_mb=memory_mb, log=log)
    try:
        grader.setup()
        available = grader.students()
        chosen = students or available
        unknown = sorted(set(chosen) - set(available))
        if unknown:
            log(f"dlcourse: no submission of {lesson} for: {', '.join(unknown)}")
        chosen = [s for s in chosen if s in available]
        rows = []

        def one(student):
            try:
                row = grader.grade_student(student)
            except Exception as exc:  # noqa: BLE001 - one student never stops the class
                row = report_mod.Row(student, lesson, status="failed",
                                     events=[f"internal error while grading: {type(exc).__name__}: {exc}; scored 0"])
                try:
                    grader._zero(student, row)
                except Exception:  # noqa: BLE001
                    pass
            log(f"{student}: {row.score:g}/{row.max_score:g} {row.status}" + (f" ({row.details})" if row.events else ""))
            return row

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            rows = list(pool.map(one, chosen))
        folder = report_dir or (grader.root / "reports" / lesson)
        if rows:
            csv_path, txt_path = report_mod.write(rows, folder)
            log(f"report: {csv_path} and {txt_path.name}")
        return rows
    finally:
        grader.cleanup()
