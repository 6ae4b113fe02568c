"""Taking in submissions from a folder or a .zip, whatever names an LMS or a browser gave them.

Recognised names (the lesson is found by its `NN_topic` id anywhere in the path):
    submissions/jdoe/01_sigmoid_node.ipynb           (a folder per student)
    jdoe_12345_01_sigmoid_node (1).ipynb             (Moodle/Canvas: student_id_..._file, browser copies)
    jdoe_late_12345_01_sigmoid_node-1.ipynb          (Canvas late/resubmission)
    Jane Doe_1234567_assignsubmission_file_01_sigmoid_node.ipynb   (Moodle)
Each becomes `submitted/<student>/<lesson>/<lesson>.ipynb`; what cannot be mapped is reported.
`--student-map CSV` (columns: key,student) maps LMS names or ids to student ids.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .release import lesson_ids

IGNORED = re.compile(r"(^|/)(__MACOSX|\.ipynb_checkpoints)(/|$)|(^|/)\.")


def _clean_student(raw: str) -> str:
    raw = re.sub(r"[^A-Za-z0-9_.-]+", "_", raw.strip()).strip("_.-")
    return raw.lower()


def map_path(rel: str, lessons: list[str], student_map: dict[str, str]) -> tuple[str, str] | None:
    """(student, lesson) for a submitted file's relative path, or None."""
    path = PurePosixPath(rel)
    text = str(path)
    lesson = next((l for l in sorted(lessons, key=len, reverse=True) if l in text), None)
    if lesson is None:
        m = re.search(r"(?<!\d)(\d\d)(?!\d)", path.name)
        cands = [l for l in lessons if m and l.startswith(m.group(1) + "_")]
        lesson = cands[0] if len(cands) == 1 else None
    if lesson is None:
        return None
    stem_before = path.name.split(lesson)[0]
    parents = [p for p in path.parts[:-1] if p.lower() not in ("submissions", "submitted", "submission")
               and lesson not in p]
    student = None
    tokens = [t for t in re.split(r"_", stem_before) if t]
    for key in [*parents, *tokens, stem_before.strip("_- ")]:
        if key in student_map:
            student = student_map[key]
            break
    if student is None:
        if parents:
            student = parents[-1]
        elif tokens:
            # Moodle: "Full Name_1234_assignsubmission_file_" / Canvas: "login_[late_]1234_..."
            words = [t for t in tokens if not t.isdigit() and t.lower() not in ("late", "assignsubmission", "file", "onlinetext")]
            student = words[0] if words else None
    if not student:
        return None
    return _clean_student(student), lesson


def collect(course_root: Path, source: Path, student_map_csv: Path | None = None, log=print) -> tuple[list, list]:
    course_root = Path(course_root)
    lessons = lesson_ids(course_root)
    student_map = {}
    if student_map_csv:
        with open(student_map_csv, newline="") as f:
            for row in csv.reader(f):
                if len(row) >= 2 and row[0] and row[0] != "key":
                    student_map[row[0].strip()] = row[1].strip()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(source)
        if folder.is_file() and zipfile.is_zipfile(folder):
            with zipfile.ZipFile(folder) as z:
                for info in z.infolist():
                    target = (Path(tmp) / info.filename).resolve()
                    if not target.is_relative_to(Path(tmp).resolve()) or info.is_dir():
                        continue  # no path traversal out of the scratch folder
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(z.read(info))
            folder = Path(tmp)
        mapped, unmapped = [], []
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if IGNORED.search(rel):
                continue
            if path.suffix != ".ipynb":
                unmapped.append((rel, "not a notebook"))
                continue
            hit = map_path(rel, lessons, student_map)
            if hit is None:
                unmapped.append((rel, "no student or lesson recognised"))
                continue
            student, lesson = hit
            dest = course_root / "submitted" / student / lesson / f"{lesson}.ipynb"
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists() and (student, lesson) in {(s, l) for s, l, _ in mapped}:
                # several files for one student: keep the most recent copy
                if path.stat().st_mtime < dest.stat().st_mtime:
                    unmapped.append((rel, f"older duplicate of {student}/{lesson}"))
                    continue
            shutil.copy2(path, dest)
            mapped.append((student, lesson, rel))
            log(f"{rel} -> submitted/{student}/{lesson}/{lesson}.ipynb")
        for rel, why in unmapped:
            log(f"NOT MAPPED: {rel} ({why})")
        return mapped, unmapped
