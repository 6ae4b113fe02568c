"""Per-student feedback (`nbgrader generate_feedback`) that never shows hidden tests.

nbgrader's feedback is the graded notebook as HTML, hidden tests included; here
`nbgrader_ext.HideHiddenTests` is added to its preprocessors, so test cells lose their hidden
regions and the traceback of a failed test is cut to its last line (the assertion message).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .autograde import EXTRA_CONFIG
from .nbgrader_run import run_nbgrader


def feedback(course_root: Path, lesson: str, db_url: str, students: list[str] | None = None) -> Path:
    with tempfile.TemporaryDirectory(prefix="dlcourse-feedback-") as tmp:
        (Path(tmp) / "nbgrader_config.py").write_text(EXTRA_CONFIG)
        args = ["generate_feedback", lesson, "--force", f"--db={db_url}"]
        for s in students or []:
            run_nbgrader(args + [f"--student={s}"], course_root, env={"JUPYTER_CONFIG_DIR": tmp})
        if not students:
            run_nbgrader(args, course_root, env={"JUPYTER_CONFIG_DIR": tmp})
    return Path(course_root) / "feedback"
