"""Per-student feedback (`nbgrader generate_feedback`) that names the student's mistakes and never
shows hidden tests.

nbgrader's feedback is the graded notebook as HTML, hidden tests included; here two
preprocessors are added to its list (see `autograde.EXTRA_CONFIG`):

* `nbgrader_ext.HideHiddenTests`: test cells lose their hidden regions and the traceback of a
  failed test is cut to its last line (the assertion message);
* `NameMistakes` (below): a failed check's output (in any cell) shows the course's message
  without its `[mistake: id]` line, and a cell at the top lists the student's named mistakes,
  exercise by exercise, in the words of the checks (`misconceptions.named_mistakes`). Only
  messages appear there, never test code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell

from .autograde import EXTRA_CONFIG
from .misconceptions import named_mistakes, parse_evalue
from .nbgrader_run import run_nbgrader


def mistakes_cell(found: list[tuple[str, str, str]]):
    """The Markdown cell that opens a student's feedback: their named mistakes, or none."""
    if not found:
        return None
    lines = ["**Your mistakes in this lesson** (each is explained in its test cell below):", ""]
    for exercise, _mistake, message in found:
        lines.append(f"- `{exercise}`: {message}")
    return new_markdown_cell("\n".join(lines))


class NameMistakes(Preprocessor):
    enabled = True  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        found = named_mistakes(nb)
        for cell in nb.cells:  # test cells, and any other cell where a check failed (a demo cell)
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    mistake, message = parse_evalue(output.get("evalue", ""))
                    if mistake:
                        output["evalue"] = message
                        output["traceback"] = [f"{output.get('ename', 'Error')}: {message}"]
        cell = mistakes_cell(found)
        if cell is not None:  # right after the title (the lesson's first Markdown cell)
            title = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), -1)
            nb.cells.insert(title + 1, cell)
        return nb, resources


def feedback(course_root: Path, lesson: str, db_url: str, students: list[str] | None = None) -> Path:
    with tempfile.TemporaryDirectory(prefix="dlcourse-feedback-") as tmp:
        (Path(tmp) / "nbgrader_config.py").write_text(EXTRA_CONFIG)
        args = ["generate_feedback", lesson, "--force", f"--db={db_url}"]
        for s in students or []:
            run_nbgrader(args + [f"--student={s}"], course_root, env={"JUPYTER_CONFIG_DIR": tmp})
        if not students:
            run_nbgrader(args, course_root, env={"JUPYTER_CONFIG_DIR": tmp})
    return Path(course_root) / "feedback"
