"""lessons/ is generated from solutions/ by nbgrader: fail, naming the lesson, when it is stale."""

from __future__ import annotations

import json

import pytest

from dlcourse.instructor.release import generate
from nbtools import LESSONS, ROOT, lesson_ids

pytestmark = pytest.mark.slow


def _normalized(path):
    nb = json.loads(path.read_text())
    return json.dumps(nb, sort_keys=True, indent=1)


def test_every_lesson_has_a_student_version_and_no_other():
    generated = sorted(p.name for p in LESSONS.iterdir() if p.is_dir())
    assert generated == lesson_ids(), (
        f"lessons/ holds {generated} but solutions/ has {lesson_ids()}: run `make lessons`")


def test_committed_lessons_match_a_fresh_release(tmp_path):
    generate(ROOT, tmp_path)
    stale = []
    for lesson in lesson_ids():
        fresh_dir, committed_dir = tmp_path / lesson, LESSONS / lesson
        fresh = {p.relative_to(fresh_dir) for p in fresh_dir.rglob("*") if p.is_file()}
        committed = {p.relative_to(committed_dir) for p in committed_dir.rglob("*")
                     if p.is_file() and ".ipynb_checkpoints" not in p.parts}
        if fresh != committed:
            stale.append(f"{lesson}: files differ ({sorted(map(str, fresh ^ committed))})")
            continue
        for rel in sorted(fresh):
            a, b = fresh_dir / rel, committed_dir / rel
            same = _normalized(a) == _normalized(b) if rel.suffix == ".ipynb" else a.read_bytes() == b.read_bytes()
            if not same:
                stale.append(f"{lesson}: {rel} differs from what nbgrader generates")
    assert not stale, "lessons/ is out of date; run `make lessons` and commit:\n" + "\n".join(stale)
