"""One gradebook shared by several grading machines.

Each machine runs `dlcourse autograde LESSON --student ...` for its part of the class, all with
the same `--db postgresql+psycopg://...`. Grading a student touches only that student's rows, so
the machines never write the same rows, except in one step: registering the lesson
(`nbgrader generate_assignment`), which every machine does first. On a new database it creates
the gradebook's tables and enum types, and while the lesson has no submission yet it deletes and
re-creates the lesson's notebook and cells. So two machines registering at once collide on
nbgrader's unique names, and a machine registering while another grades its first student pulls
the cells from under that grading. A PostgreSQL advisory lock orders them: registering holds it
exclusively (`exclusive`), grading one student holds it shared (`shared`). Registration then
waits for the gradings in flight, which have made submissions by then, so it only updates the
cells in place, and gradings wait for a registration in progress.
sqlite gradebooks live on one machine and have their own lock: there both do nothing.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager


def _key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    return int.from_bytes(hashlib.sha256(f"dlcourse:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(db_url: str, name: str, timeout_s: int = 900):
    """Run the block while holding the advisory lock `name` of the PostgreSQL database at `db_url`
    alone (no other holder, shared or exclusive)."""
    with _advisory(db_url, name, "", timeout_s):
        yield


@contextmanager
def shared(db_url: str, name: str, timeout_s: int = 900):
    """Run the block while holding the advisory lock `name` shared (with other shared holders)."""
    with _advisory(db_url, name, "_shared", timeout_s):
        yield


@contextmanager
def _advisory(db_url: str, name: str, kind: str, timeout_s: int):
    if not db_url.startswith(("postgresql", "postgres")):
        yield
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f"set lock_timeout = '{int(timeout_s)}s'"))
            conn.execute(text(f"select pg_advisory_lock{kind}(:k)"), {"k": _key(name)})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text(f"select pg_advisory_unlock{kind}(:k)"), {"k": _key(name)})
                conn.commit()
    finally:
        engine.dispose()
