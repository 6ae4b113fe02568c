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
