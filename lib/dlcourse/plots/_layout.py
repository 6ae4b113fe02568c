"""No layout work for figures nobody sees: `Figure.tight_layout` returns at once while a notebook is
graded with figures off.

The grading kernel of `dlcourse autograde` (`DLCOURSE_FIGURES=0`, its default) draws no figure: matplotlib
runs on Agg and every figure is closed after its cell, unseen. Laying a figure out still measured every
tick label with a renderer, about a third of a second for a row of three panels, paid by every student of
a class in almost every demo cell. While `dlcourse.course.grading()` is true and `DLCOURSE_FIGURES` is
"0", `tight_layout` (the figure's method, and `plt.tight_layout`, which calls it) now does nothing. In
every other run, the student's own and a grading run that keeps figures (`--figures`), it is matplotlib's.
No grade depends on a figure's margins.
"""

from __future__ import annotations

import functools
import os

from matplotlib.figure import Figure

from ..course import grading

__all__ = ["figures_off", "install"]


def figures_off() -> bool:
    """True while a notebook is graded and its figures are thrown away unseen."""
    return grading() and os.environ.get("DLCOURSE_FIGURES") == "0"


def install() -> None:
    """Wrap `Figure.tight_layout` once (checked at each call, so a kernel started before grading is covered)."""
    original = Figure.tight_layout
    if getattr(original, "_dlcourse_skips_unseen", False):
        return

    @functools.wraps(original)
    def tight_layout(self, *args, **kwargs):
        if figures_off():
            return None
        return original(self, *args, **kwargs)

    tight_layout._dlcourse_skips_unseen = True
    Figure.tight_layout = tight_layout
