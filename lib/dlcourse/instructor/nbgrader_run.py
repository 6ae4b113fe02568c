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
