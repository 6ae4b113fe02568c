"""Generating the student versions (`lessons/`) from the instructor versions (`solutions/`).

nbgrader's `generate_assignment` does the work (it strips solutions and hidden tests,
locks cells and records checksums). It runs in a scratch course folder, so the real
one gets no gradebook or log, and the result is copied to where it is wanted.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .nbgrader_run import run_nbgrader


def lesson_ids(course_root: Path) -> list[str]:
    """Lesson folders in `solutions/`, in order (`NN_topic`)."""
    return sorted(p.name for p in (course_root / "solutions").iterdir()
                  if p.is_dir() and p.name[:2].isdigit() and (p / f"{p.name}.ipynb").is_file())


def generate(course_root: Path, output_dir: Path, lessons: list[str] | None = None) -> list[Path]:
    """Write the student version of each lesson to `output_dir/<lesson>/`.

    Returns the generated lesson folders. Raises `NbgraderError` naming the lesson if
    nbgrader rejects its source (e.g. a solution region that is not closed).
    """
    course_root = Path(course_root).resolve()
    output_dir = Path(output_dir).resolve()
    lessons = lessons or lesson_ids(course_root)
    unknown = set(lessons) - set(lesson_ids(course_root))
    if unknown:
        raise ValueError(f"no such lesson in solutions/: {', '.join(sorted(unknown))}")
    written = []
    with tempfile.TemporaryDirectory(prefix="dlcourse-release-") as scratch:
        scratch_root = Path(scratch)
        shutil.copy(course_root / "nbgrader_config.py", scratch_root)
        for lesson in lessons:
            shutil.copytree(course_root / "solutions" / lesson, scratch_root / "solutions" / lesson,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            run_nbgrader(["generate_assignment", lesson, "--force", "--no-db"], scratch_root)
            target = output_dir / lesson
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(scratch_root / "lessons" / lesson, target)
            written.append(target)
    return written
