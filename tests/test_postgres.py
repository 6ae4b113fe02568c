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
