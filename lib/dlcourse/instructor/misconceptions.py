"""What the class got wrong: the named mistakes of every graded test cell, counted over a class.

A visible check that recognises a mistake raises `CheckFailed(message, mistake)`, and its
`str()` ends with a line `[mistake: <id>]`: nbgrader keeps that text as the `evalue` of the test
cell's error output in the autograded notebook. This module reads it back:

* `parse_evalue(evalue)` -> (mistake id or None, the message without the id line);
* `outcomes(nb)` -> {exercise (the test cell's grade_id): Outcome} for one autograded notebook:
  `passed`, `mistake` (a named mistake), `other` (failed without a named mistake: a generic id
  such as `f:shape` or `f:crash`, a hidden test's assertion, an error) or `not-attempted` (the
  stub's `f:not-done`, or a bare NotImplementedError);
* `tally` / `write_report`: per exercise, how many students made each named mistake (with its
  message), how many failed without a named mistake and how many did not attempt it, as
  `misconceptions.csv`, `misconceptions.txt` and `misconceptions.png` (one slide) next to the
  grading report.

Ids look like `sigmoid_grad:sign-flipped`: the graded function at fault, a colon, a slug. The
generic kinds below are not named mistakes; every other id is.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat

GENERIC = ("not-done", "no-return", "type", "shape", "dtype", "not-finite", "value", "crash", "reference",
           "mutates-input")
GENERIC_TEXT = {"no-return": "returned None", "type": "wrong type", "shape": "wrong shape", "dtype": "wrong dtype",
                "not-finite": "nan or inf", "value": "wrong value", "crash": "raised an error",
                "reference": "used the course's reference", "mutates-input": "changed its input",
                "hidden": "failed a hidden test", "error": "error in the cell", "not-run": "not run"}
KINDS = ("passed", "mistake", "other", "not-attempted")
_MISTAKE_LINE = re.compile(r"^\s*\[mistake: *([^\]\s]+) *\]\s*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Outcome:
    kind: str                  # passed | mistake | other | not-attempted
    mistake: str = ""          # the id: "f:slug" (named or generic); "hidden", "error", "not-run" without one
    message: str = ""          # the first line of what the student was told


def parse_evalue(evalue: str) -> tuple[str | None, str]:
    """(mistake id or None, message) of an error output's evalue; the id line is taken off the message."""
    lines = _ANSI.sub("", evalue or "").rstrip().splitlines()
    if lines and (m := _MISTAKE_LINE.match(lines[-1])):
        return m.group(1), "\n".join(lines[:-1]).strip()
    return None, "\n".join(lines).strip()


def kind_of(mistake: str) -> str:
    """The generic kind of an id ("shape" for "f:shape"), or "" for a named mistake."""
    tail = mistake.rsplit(":", 1)[-1]
    return tail if tail in GENERIC else ""


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def outcome_of(cell) -> Outcome:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return Outcome("passed")
    error = errors[0]
    ename = error.get("ename", "")
    mistake, message = parse_evalue(error.get("evalue", ""))
    first = message.splitlines()[0] if message else ename
    if mistake:
        if kind_of(mistake) == "not-done":
            return Outcome("not-attempted", mistake, first)
        return Outcome("other" if kind_of(mistake) else "mistake", mistake, first)
    if ename == "NotImplementedError":
        return Outcome("not-attempted", "", "not written yet")
    if ename in ("NotRun", "DeadKernelError", "CellTimeoutError", "KeyboardInterrupt"):
        return Outcome("other", "not-run", first)
    return Outcome("other", "hidden" if ename in ("AssertionError", "CheckFailed") else "error",
                   f"{ename}: {first}" if ename and not first.startswith(ename) else first)


def outcomes(nb) -> dict[str, Outcome]:
    """{test cell grade_id: Outcome} of one autograded notebook."""
    return {c.metadata["nbgrader"]["grade_id"]: outcome_of(c) for c in nb.cells if is_test_cell(c)}


@dataclass
class Exercise:
    name: str
    points: float = 0.0
    students: int = 0
    passed: int = 0
    not_attempted: int = 0
    mistakes: Counter = None       # named id -> students
    other: Counter = None          # generic kind -> students
    messages: dict = None          # id -> the message most students saw

    @property
    def named(self) -> int:
        return sum(self.mistakes.values())

    @property
    def failed_other(self) -> int:
        return sum(self.other.values())


def tally(per_student: dict[str, dict[str, Outcome]], points: dict[str, float] | None = None) -> list[Exercise]:
    """Exercises in notebook order (the first student's), each with its counts over the students."""
    order: list[str] = []
    for result in per_student.values():
        order += [g for g in result if g not in order]
    exercises = []
    for gid in order:
        ex = Exercise(gid, (points or {}).get(gid, 0.0), mistakes=Counter(), other=Counter(), messages={})
        texts = defaultdict(Counter)
        for result in per_student.values():
            out = result.get(gid)
            if out is None:
                continue
            ex.students += 1
            if out.kind == "passed":
                ex.passed += 1
            elif out.kind == "not-attempted":
                ex.not_attempted += 1
            elif out.kind == "mistake":
                ex.mistakes[out.mistake] += 1
                texts[out.mistake][out.message] += 1
            else:
                ex.other[kind_of(out.mistake) or out.mistake] += 1
                texts[kind_of(out.mistake) or out.mistake][out.message] += 1
        ex.messages = {k: c.most_common(1)[0][0] for k, c in texts.items()}
        exercises.append(ex)
    return exercises


def read_class(root: Path, lesson: str, students: list[str]) -> tuple[dict[str, dict[str, Outcome]], dict[str, float]]:
    """Outcomes of every student with an autograded notebook of `lesson`, and each test cell's points."""
    per_student, points = {}, {}
    for student in sorted(students):
        path = Path(root) / "autograded" / student / lesson / f"{lesson}.ipynb"
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        per_student[student] = outcomes(nb)
        for c in nb.cells:
            if is_test_cell(c):
                points.setdefault(c.metadata["nbgrader"]["grade_id"], float(c.metadata["nbgrader"].get("points", 0)))
    return per_student, points


CSV_FIELDS = ["lesson", "exercise", "points", "outcome", "mistake", "students", "of", "message"]


def table(lesson: str, exercises: list[Exercise]) -> list[list]:
    rows = []
    for ex in exercises:
        for mid, n in ex.mistakes.most_common():
            rows.append([lesson, ex.name, f"{ex.points:g}", "mistake", mid, n, ex.students, ex.messages.get(mid, "")])
        for kind, n in ex.other.most_common():
            rows.append([lesson, ex.name, f"{ex.points:g}", "failed without a named mistake", kind, n, ex.students,
                         GENERIC_TEXT.get(kind, kind) + (f": {ex.messages[kind]}" if ex.messages.get(kind) else "")])
        if ex.not_attempted:
            rows.append([lesson, ex.name, f"{ex.points:g}", "not attempted", "", ex.not_attempted, ex.students, ""])
        rows.append([lesson, ex.name, f"{ex.points:g}", "passed", "", ex.passed, ex.students, ""])
    return rows


def text(lesson: str, exercises: list[Exercise], students: int, left_out: int = 0) -> str:
    L = [f"What the class got wrong in {lesson}: {students} graded notebooks"
         + (f" ({left_out} without a graded notebook are not counted)" if left_out else ""), ""]
    for ex in exercises:
        L.append(f"{ex.name} ({ex.points:g} points): {ex.passed} of {ex.students} passed")
        for mid, n in ex.mistakes.most_common():
            L.append(f"  {n:>4}  {mid}: {ex.messages.get(mid, '')}")
        if ex.other:
            kinds = ", ".join(f"{GENERIC_TEXT.get(k, k)} {n}" for k, n in ex.other.most_common())
            L.append(f"  {ex.failed_other:>4}  failed without a named mistake ({kinds})")
        if ex.not_attempted:
            L.append(f"  {ex.not_attempted:>4}  did not attempt it")
    return "\n".join(L) + "\n"


def plot(lesson: str, exercises: list[Exercise], path: Path) -> Path:
    """One horizontal stacked bar per exercise: passed, each named mistake (labelled), other failures,
    not attempted. Drawn without pyplot (Agg canvas), so it never touches a display."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = max(1, len(exercises))
    fig = Figure(figsize=(12, 1.0 + 0.55 * n), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    mistake_colors = ["#d62728", "#ff7f0e", "#9467bd", "#e377c2", "#8c564b", "#bcbd22"]
    for y, ex in enumerate(exercises):
        left = 0
        segments = [(ex.passed, "#2ca02c", "")]
        segments += [(k, mistake_colors[i % len(mistake_colors)], mid.split(":", 1)[-1])
                     for i, (mid, k) in enumerate(ex.mistakes.most_common())]
        segments += [(ex.failed_other, "#7f7f7f", ""), (ex.not_attempted, "#c7c7c7", "")]
        for width, color, label in segments:
            if width:
                ax.barh(y, width, left=left, color=color, edgecolor="white")
                if label:
                    ax.text(left + width / 2, y, f"{label} ({width})", ha="center", va="center", fontsize=8,
                            color="white", clip_on=True)
                left += width
    ax.set_yticks(range(len(exercises)), [ex.name for ex in exercises])
    ax.invert_yaxis()
    ax.set_xlabel("students")
    ax.set_title(f"{lesson}: what the class got wrong, exercise by exercise")
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color="#2ca02c", label="passed"), Patch(color="#d62728", label="named mistake"),
                       Patch(color="#7f7f7f", label="failed without a named mistake"),
                       Patch(color="#c7c7c7", label="not attempted")],
              loc="lower center", bbox_to_anchor=(0.5, 1.06), ncol=4, frameon=False, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    return path


def write_report(root: Path, lesson: str, rows, folder: Path) -> list[Path]:
    """misconceptions.csv, .txt and .png of `lesson` in `folder`, for the students of the report rows."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    students = [r.student for r in rows]
    per_student, points = read_class(root, lesson, students)
    exercises = tally(per_student, points)
    csv_path, txt_path, png_path = (folder / f"misconceptions.{ext}" for ext in ("csv", "txt", "png"))
    with open(csv_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS)
        writer.writerows(table(lesson, exercises))
    txt_path.write_text(text(lesson, exercises, len(per_student), len(students) - len(per_student)))
    plot(lesson, exercises, png_path)
    return [csv_path, txt_path, png_path]


def named_mistakes(nb) -> list[tuple[str, str, str]]:
    """(exercise, mistake id, message) for every named mistake in one autograded notebook (feedback)."""
    found = []
    for cell in nb.cells:
        if is_test_cell(cell):
            out = outcome_of(cell)
            if out.kind == "mistake":
                found.append((cell.metadata["nbgrader"]["grade_id"], out.mistake, out.message))
    return found
