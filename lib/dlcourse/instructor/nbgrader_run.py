"""Running the nbgrader command line from Python, the same way everywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


class NbgraderError(RuntimeError):
    """nbgrader exited with an error; the message holds the end of its log."""


def nbgrader_env(extra: dict | None = None) -> dict:
    """Environment for nbgrader: the interpreter's `bin` first on PATH, because nbgrader
    runs the `alembic` command from PATH to set up its gradebook."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    if extra:
        env.update(extra)
    return env


def use_in_process_alembic_head() -> None:
    """nbgrader stamps a new gradebook with its database revision, which it finds by running the `alembic heads`
    command: a new Python importing alembic and nbgrader, 4.6 s on the course's 2-core machine, on the path of
    every new class run (and it fails where `alembic` is not on PATH). The same revision read in this process
    from nbgrader's own migration scripts takes 0.15 s."""
    import nbgrader.api
    import nbgrader.dbutil

    if getattr(nbgrader.api.get_alembic_version, "_in_process", False):
        return

    def get_alembic_version() -> str:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", nbgrader.dbutil.ALEMBIC_DIR)
        return ScriptDirectory.from_config(config).get_current_head()

    get_alembic_version._in_process = True
    nbgrader.api.get_alembic_version = get_alembic_version


def run_nbgrader(args: list[str], course_root: str | os.PathLike, *, timeout: float | None = None,
                 env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` in `course_root` (which holds `nbgrader_config.py`), through the
    faster entry point in `nbgrader_main`."""
    cmd = [sys.executable, "-m", "dlcourse.instructor.nbgrader_main", *args, f"--CourseDirectory.root={Path(course_root).resolve()}"]
    result = subprocess.run(cmd, cwd=course_root, env=nbgrader_env(env), capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise NbgraderError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}):\n{tail}")
    return result


class WorkerDied(RuntimeError):
    """The grading worker stopped answering (it was killed after its wall-clock limit, or crashed)."""


class Worker:
    """One long-lived `nbgrader_main --serve` process that runs nbgrader commands one after the other.

    Starting Python and importing nbgrader costs about 2 s; a worker pays it once for many
    notebooks. `run(args, env, timeout)` returns what `run_nbgrader(..., check=False)` returns. A
    command that runs past `timeout` kills the worker's whole process group (the kernel it started
    goes with it: bubblewrap dies with its parent) and raises `subprocess.TimeoutExpired`; the next
    command starts a fresh worker. After `recycle` commands the worker is replaced, so that nothing
    builds up in one process over a long class.
    """

    def __init__(self, course_root, log_path=None, recycle: int = 40):
        self.root = Path(course_root).resolve()
        self.log_path = log_path
        self.recycle = recycle
        self.proc = None
        self.done = 0

    def _start(self) -> None:
        import threading
        from queue import Queue

        stderr = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen([sys.executable, "-m", "dlcourse.instructor.nbgrader_main", "--serve"],
                                     cwd=self.root, env=nbgrader_env(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True)
        if stderr is not subprocess.DEVNULL:
            stderr.close()
        self.answers = Queue()
        proc, answers = self.proc, self.answers

        def read():
            for line in proc.stdout:
                answers.put(line)
            answers.put(None)

        threading.Thread(target=read, daemon=True).start()
        self.done = 0

    def request(self, request: dict, timeout: float | None) -> dict:
        import json
        from queue import Empty

        if self.proc is None or self.proc.poll() is not None or self.done >= self.recycle:
            self.close()
            self._start()
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.answers.get(timeout=timeout)
        except Empty:
            self.kill()
            raise subprocess.TimeoutExpired(request.get("argv", ["measure"]), timeout) from None
        except (BrokenPipeError, OSError) as exc:
            self.kill()
            raise WorkerDied(f"the grading worker stopped: {exc}") from exc
        if line is None:
            self.kill()
            raise WorkerDied("the grading worker stopped without answering")
        self.done += 1
        return json.loads(line)

    def run(self, args: list[str], env: dict, timeout: float | None = None) -> subprocess.CompletedProcess:
        argv = [*args, f"--CourseDirectory.root={self.root}"]
        answer = self.request({"argv": argv, "env": nbgrader_env(env)}, timeout)
        return subprocess.CompletedProcess(["nbgrader", *argv], answer["returncode"], answer.get("log", ""), "")

    def kill(self) -> None:
        import signal

        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
