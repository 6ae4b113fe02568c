"""Shared pytest set-up: the per-lesson catch rates of the answer banks, printed at the end of a run.

`test_banks.py` records each lesson's figures through the `catch_rates` fixture into a
folder that every pytest-xdist worker shares (its path travels in an environment variable set
before the workers start); the summary reads them back, so the figure appears in the output of
`make test` however the tests were spread over workers.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

_ENV = "DLCOURSE_CATCH_RATES_DIR"


def pytest_configure(config):
    if not os.environ.get(_ENV):
        os.environ[_ENV] = tempfile.mkdtemp(prefix="dlcourse-catch-rates-")
    # one cache of the solutions' timing runs for every scratch course of the run (submissions.share_timing_cache)
    if not os.environ.get("DLCOURSE_TEST_TIMING_CACHE"):
        os.environ["DLCOURSE_TEST_TIMING_CACHE"] = tempfile.mkdtemp(prefix="dlcourse-timings-")


@pytest.fixture
def catch_rates():
    folder = Path(os.environ[_ENV])

    def record(lesson: str, figures: dict) -> None:
        (folder / f"{lesson}.json").write_text(json.dumps(figures))

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):  # only the controlling process prints
        return
    folder = Path(os.environ.get(_ENV, ""))
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        return
    terminalreporter.section("answer banks: wrong answers flagged by the visible tests")
    total_wrong = total_flagged = 0
    for path in files:
        f = json.loads(path.read_text())
        total_wrong += f["wrong"]
        total_flagged += f["flagged"]
        rate = 100.0 * f["flagged"] / f["wrong"] if f["wrong"] else 100.0
        misses = f" (deliberate misses: {'; '.join(f['missed'])})" if f["missed"] else ""
        terminalreporter.write_line(f"{path.stem:24s} {f['flagged']:3d} of {f['wrong']:3d} wrong answers flagged "
                                    f"({rate:5.1f} %), {f['right']} right answers pass{misses}")
    if total_wrong:
        terminalreporter.write_line(f"{'all lessons':24s} {total_flagged:3d} of {total_wrong:3d} "
                                    f"({100.0 * total_flagged / total_wrong:5.1f} %)")


def pytest_collection_modifyitems(config, items):
    """The longest tests first (seconds measured in a full run, `durations.json`; unknown tests count as
    short), so that with `-n 2 --dist worksteal` no worker is left with a long test at the end while the
    other is idle. Refresh the file from `--durations=100` after a full run when the suite changes."""
    path = Path(__file__).parent / "durations.json"
    known = json.loads(path.read_text()) if path.is_file() else {}
    items.sort(key=lambda item: -known.get(item.nodeid, 0))
