"""Progress of a grading run: a bar on a terminal, plain report lines anywhere else.

On a terminal (stdout is a tty) `Progress` shows one tqdm bar: notebooks graded of the total,
the failures so far (a submission that could not be graded, or was unreadable or missing) and
the time left; only rows with something to say (a repair, a timeout, tampering, a failure) are
printed above it. Elsewhere (a log file, CI, a pipe) there is no bar, and every graded
notebook gets one line, as before.
"""

from __future__ import annotations

import sys

FAILED = ("failed", "unreadable", "missing")


def describe(row) -> str:
    return (f"{row.lesson} {row.student}: {row.score:g}/{row.max_score:g} {row.status}"
            + (f" ({row.details})" if row.events else ""))


class Progress:
    def __init__(self, total: int, what: str, *, enabled: bool | None = None, log=print, stream=None):
        self.stream = stream or sys.stdout
        self.enabled = (self.stream.isatty() if hasattr(self.stream, "isatty") else False) if enabled is None else enabled
        self.log = log
        self.failures = 0
        self.count = 0
        self.bar = None
        if self.enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=f"grading {what}", unit="notebook", file=self.stream,
                            dynamic_ncols=True, bar_format="{desc}: {n_fmt}/{total_fmt} notebooks "
                            "|{bar}| {postfix} [{elapsed} so far, {remaining} left]")
            self.bar.set_postfix_str("0 failed")

    def done(self, row) -> None:
        self.count += 1
        if row.status in FAILED:
            self.failures += 1
        if self.bar is None:
            self.log(describe(row))
            return
        if row.events:
            self.bar.write(describe(row), file=self.stream)
        self.bar.set_postfix_str(f"{self.failures} failed", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
