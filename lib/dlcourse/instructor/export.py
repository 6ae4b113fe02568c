"""Grades out of the gradebook: `nbgrader export` (CSV, one row per student and lesson)."""

from __future__ import annotations

from pathlib import Path

from .nbgrader_run import run_nbgrader


def export(course_root: Path, output: Path, db_url: str) -> Path:
    output = Path(output).resolve()
    run_nbgrader(["export", f"--to={output}", f"--db={db_url}"], course_root)
    return output
