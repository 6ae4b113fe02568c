"""Helpers shared by the notebook tests: paths, execution with nbclient, cell roles."""

from __future__ import annotations

from pathlib import Path

import nbformat
from dlcourse.kernel_client import CourseNotebookClient, environment

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
LESSONS = ROOT / "lessons"

# Tags a lesson may put on cells (see README, "How to add a lesson").
NEEDS_ANSWERS = "needs-answers"        # a demo cell that calls the student's functions
NO_ANSWER_NEEDED = "no-answer-needed"  # a test cell that passes without any answer

# What the kernels of the notebook tests run with: inline figures, no warnings on stderr.
# One BLAS thread per kernel: the tests run kernels side by side on few cores, and a multi-threaded
# BLAS then slows small matrix products a hundredfold (the grading kernels run the same way).
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONWARNINGS": "ignore",
              "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def lesson_ids() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def notebook_path(folder: Path, lesson: str) -> Path:
    return folder / lesson / f"{lesson}.ipynb"


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_test_cell(cell) -> bool:
    m = nbgrader_meta(cell)
    return cell.cell_type == "code" and m.get("grade", False) and not m.get("solution", False)


def tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


def execute(path: Path, *, allow_errors: bool = False, timeout: int = 300, env: dict | None = None):
    """Run a notebook top to bottom in a fresh kernel, in its own folder; return it with outputs."""
    nb = nbformat.read(path, as_version=4)
    with environment(**KERNEL_ENV, **(env or {})):
        client = CourseNotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                                      resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    return nb


def errors(cell) -> list[tuple[str, str]]:
    """(ename, evalue) of each error output of a code cell."""
    if cell.cell_type != "code":
        return []
    return [(o.get("ename", ""), o.get("evalue", "")) for o in cell.get("outputs", []) if o.output_type == "error"]


def label(nb, index: int) -> str:
    cell = nb.cells[index]
    gid = nbgrader_meta(cell).get("grade_id")
    first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
    return f"cell {index}" + (f" [{gid}]" if gid else "") + f": {first}"
