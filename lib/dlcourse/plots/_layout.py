"""No layout work for figures nobody sees: `Figure.tight_layout` returns at once while a notebook is
graded with figures off.

The grading kernel of `dlcourse autograde` (`DLCOURSE_FIGURES=0`, its default) draws no figure: matplotlib
runs on Agg and every figure is closed after its cell, unseen. Laying a figure out still measured every
tick label with a renderer, about a third of a second for a row of three panels, paid by every student of
a class in almost every demo cell. While `dlcourse.course.grading()` is true and `DLCOURSE_FIGURES` is
"0", `tight_layout` (the figure's method, and `plt.tight_layout`, which calls it) now does nothing. In
every other run, the student's own and a grading run that keeps figures (`--figures`), it is matplotlib's.
No grade depends on a figure's margins.

Figures whose margins the package sets itself (`FixedMarginsFigure`, e.g. lesson 10's dashboard) are shown
in a notebook at their own size. IPython prints every figure with `bbox_inches="tight"`, which lays the
figure out once more only to measure what it holds, and so draws a text-heavy figure twice (1.0 s instead
of 0.47 s for the dashboard's six panels). A test checks that nothing of such a figure falls outside it.
"""

from __future__ import annotations

import functools
import os

from matplotlib.figure import Figure

from ..course import grading

__all__ = ["FixedMarginsFigure", "figures_off", "install"]


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


class FixedMarginsFigure(Figure):
    """A figure laid out by the package (fixed `subplots_adjust` margins, everything inside it): a notebook shows
    it at its own size, without IPython's tight-bbox pass. Saving it (`savefig`) is matplotlib's, unchanged.

    Make one with `plt.subplots(..., FigureClass=FixedMarginsFigure)`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _show_at_own_size()


# what a notebook front end may be given for a figure (IPython's formatters, by MIME type)
_FIGURE_MIMETYPES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")
_registered: set = set()


def _show_at_own_size() -> None:
    """Register, once per IPython shell, a printer for `FixedMarginsFigure` in each figure formatter."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters or id(shell) in _registered:
        return
    for mimetype in _FIGURE_MIMETYPES:           # registering twice is harmless: for_type replaces
        if mimetype in formatters:
            formatters[mimetype].for_type(FixedMarginsFigure, functools.partial(_print_untrimmed, formatters[mimetype]))
    _registered.add(id(shell))


def _print_untrimmed(formatter, fig, *args, **kwargs):
    """What `formatter` prints for any figure (the format and settings the notebook chose), without the trim."""
    try:
        printer = formatter.lookup_by_type(Figure)
    except KeyError:
        return None                          # the notebook shows figures in another format
    canvas = fig.canvas
    original = canvas.print_figure

    def print_figure(*a, **kw):
        if kw.get("bbox_inches") == "tight":
            kw["bbox_inches"] = None
        return original(*a, **kw)

    canvas.print_figure = print_figure
    try:
        return printer(fig, *args, **kwargs)
    finally:
        del canvas.print_figure
