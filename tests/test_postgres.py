"""A class graded into a PostgreSQL gradebook: autograde, feedback and export through `dlcourse`.

The test starts a throwaway PostgreSQL cluster of its own (Debian's `postgresql` package, which
`.ci/run` installs; Unix socket only, no TCP port) and connects with psycopg 3, the course's
`postgres` extra. Where PostgreSQL or psycopg is missing it is skipped, saying why.
"""

from __future__ import annotations

import csv
import glob
import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from dlcourse.instructor import cli
from redteam.course import honest, make_course, submit

pytestmark = pytest.mark.slow

LESSON = "00_start_here"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


@pytest.fixture
def postgres():
    """(socket folder, port) of a fresh cluster with a database `dlcourse`, stopped afterwards."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run does it)")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("psycopg is not installed (pip install -e '.[postgres]')")
    base = Path(tempfile.mkdtemp(prefix="dlcourse-pg-"))  # in /tmp itself: the postgres user must reach it
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres user
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = str(54000 + os.getpid() % 1000)
    subprocess.run(as_user + [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                              f"-k {sock} -p {port} -c listen_addresses=''", "start"], check=True, capture_output=True)
    try:
        subprocess.run(as_user + [str(bindir / "createdb"), "-h", str(sock), "-p", port, "-U", "postgres", "dlcourse"],
                       check=True, capture_output=True)
        yield sock, port
    finally:
        subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_class_round_trip_with_a_postgresql_gradebook(tmp_path, postgres):
    sock, port = postgres
    # the plain URL an instructor would type: dlcourse picks the psycopg 3 driver for it
    url = f"postgresql://postgres@/dlcourse?host={sock}&port={port}"
    root = make_course(tmp_path / "course", [LESSON])
    course = ["--course", str(root)]
    wrong = honest(LESSON)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "weighted_sum":
            cell.source = "def weighted_sum(X, w):\n    return X * w\n"
    submit(root, "alice", LESSON, honest(LESSON))
    submit(root, "bob", LESSON, wrong)

    assert cli.main([*course, "autograde", LESSON, "--workers", "2", "--no-sandbox", "--db", url]) == 0
    assert cli.main([*course, "feedback", LESSON, "--db", url]) == 0
    assert (root / "feedback" / "alice" / LESSON / f"{LESSON}.html").is_file()
    assert cli.main([*course, "export", "--output", str(tmp_path / "grades.csv"), "--db", url]) == 0
    with open(tmp_path / "grades.csv") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    assert float(grades["alice"]["score"]) == 11.0 and float(grades["bob"]["score"]) == 8.0
    assert not (root / "gradebook.db").exists(), "the grades went to sqlite instead of PostgreSQL"

    import psycopg  # the rows really are in PostgreSQL

    with psycopg.connect(host=str(sock), port=port, user="postgres", dbname="dlcourse") as conn:
        students = {r[0] for r in conn.execute("select id from student")}
    assert students == {"alice", "bob"}


def _grades(url: str, students: list[str]) -> dict[tuple[str, str], tuple]:
    """(student, graded cell) -> (auto score, manual score, submission timestamp, grade row id)."""
    from nbgrader.api import Gradebook

    from dlcourse.instructor.autograde import normalize_db_url

    found = {}
    with Gradebook(normalize_db_url(url), "dlcourse") as gb:
        for student in students:
            submission = gb.find_submission(LESSON, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(student, grade.name)] = (grade.auto_score, grade.manual_score, submission.timestamp, grade.id)
    return found


def test_two_graders_share_one_postgresql_gradebook(tmp_path, postgres):
    """Two `dlcourse autograde` processes (two grading machines) grade disjoint halves of a class into one
    fresh PostgreSQL gradebook at the same time: every grade is there afterwards, and grading one half
    again changes nothing of the other."""
    import sys

    sock, port = postgres
    url = f"postgresql://postgres@/dlcourse?host={sock}&port={port}"
    root = make_course(tmp_path / "course", [LESSON])
    wrong = honest(LESSON)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "weighted_sum":
            cell.source = "def weighted_sum(X, w):\n    return X * w\n"
    students = [f"s{i}" for i in range(6)]
    expected = {s: (11.0 if i % 2 == 0 else 8.0) for i, s in enumerate(students)}
    for i, s in enumerate(students):
        submit(root, s, LESSON, honest(LESSON) if i % 2 == 0 else wrong)
    halves = [students[:3], students[3:]]

    def grade(half):
        cmd = [sys.executable, "-m", "dlcourse.instructor.cli", "--course", str(root), "autograde", LESSON,
               "--no-sandbox", "--db", url]
        for s in half:
            cmd += ["--student", s]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    running = [grade(h) for h in halves]  # at the same time, from an empty database
    logs = [p.communicate(timeout=900)[0] for p in running]
    assert [p.returncode for p in running] == [0, 0], "\n----\n".join(logs)[-4000:]
    before = _grades(url, students)
    scores = {}
    for (student, _cell), (auto, manual, _ts, _id) in before.items():
        scores[student] = scores.get(student, 0.0) + float((auto if manual is None else manual) or 0)
    assert scores == expected, "\n----\n".join(logs)[-4000:]
    cells = {cell for (_s, cell) in before}
    assert len(before) == len(students) * len(cells), "a grade is missing"

    again = grade(halves[0])
    log = again.communicate(timeout=900)[0]
    assert again.returncode == 0, log[-3000:]
    after = _grades(url, students)
    other = {k: v for k, v in before.items() if k[0] in halves[1]}
    assert {k: v for k, v in after.items() if k[0] in halves[1]} == other, "regrading one half changed the other"
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
