"""The grading report: one row per student and lesson, as CSV and as readable text."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = ["student", "lesson", "score", "max_score", "status", "details"]


@dataclass
class Row:
    student: str
    lesson: str
    score: float = 0.0
    max_score: float = 0.0
    status: str = "graded"       # graded | repaired | tampered | failed | unreadable | missing
    events: list[str] = field(default_factory=list)

    @property
    def details(self) -> str:
        return "; ".join(self.events) if self.events else "ok"


def write(rows: list[Row], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, txt_path = folder / "grading_report.csv", folder / "grading_report.txt"
    rows = sorted(rows, key=lambda r: r.student)
    with open(csv_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        for r in rows:
            writer.writerow([r.student, r.lesson, f"{r.score:g}", f"{r.max_score:g}", r.status, r.details])
    lines = []
    if rows:
        lesson = rows[0].lesson
        lines.append(f"Grading report for {lesson}: {len(rows)} submissions")
        counts = {}
        for r in rows:
            counts[r.status] = counts.get(r.status, 0) + 1
        lines.append("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
        lines.append("")
        width = max(len(r.student) for r in rows)
        for r in rows:
            lines.append(f"{r.student:<{width}}  {r.score:>5g} / {r.max_score:<4g} {r.status}")
            for e in r.events:
                lines.append(f"{'':<{width}}    - {e}")
    txt_path.write_text("\n".join(lines) + "\n")
    return csv_path, txt_path


def read(folder: Path) -> list[dict]:
    path = folder / "grading_report.csv"
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_course(rows: list[Row], folder: Path, lessons: list[str] | None = None,
                 failed_setup: dict[str, str] | None = None) -> tuple[Path, Path]:
    """The class report of `dlcourse autograde --all`: every row in one CSV; as text, each student's
    total over the lessons and the rows that have something to say."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, txt_path = folder / "grading_report.csv", folder / "grading_report.txt"
    rows = sorted(rows, key=lambda r: (r.student, r.lesson))
    with open(csv_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        for r in rows:
            writer.writerow([r.student, r.lesson, f"{r.score:g}", f"{r.max_score:g}", r.status, r.details])
    lessons = lessons or sorted({r.lesson for r in rows})
    students = sorted({r.student for r in rows})
    lines = [f"Grading report of the course: {len(students)} students, {len(lessons)} lessons, {len(rows)} notebooks"]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for lesson, why in sorted((failed_setup or {}).items()):
        lines.append(f"  {lesson} was not graded: its set-up failed ({why})")
    lines.append("")
    width = max([len(s) for s in students] + [7])
    by_student: dict[str, list[Row]] = {}
    for r in rows:
        by_student.setdefault(r.student, []).append(r)
    for student in students:
        mine = by_student[student]
        score, top = sum(r.score for r in mine), sum(r.max_score for r in mine)
        lines.append(f"{student:<{width}}  {score:>6g} / {top:<6g} ({len(mine)} of {len(lessons)} lessons)")
        for r in mine:
            if r.events or r.status != "graded":
                lines.append(f"{'':<{width}}    - {r.lesson}: {r.score:g}/{r.max_score:g} {r.status}: {r.details}")
    txt_path.write_text("\n".join(lines) + "\n")
    return csv_path, txt_path
