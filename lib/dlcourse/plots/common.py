"""Plots every lesson uses: a 2-input model's decision regions, labelled points, a node's
decision line, curves of functions, and training curves (`loss_curves`)."""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from ._layout import figures_off

CLASS_COLORS = ("#d95f02", "#1b9e77")  # label 0, label 1 (colour-blind safe pair)
LINE_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")  # one per run


class PlainLogFormatter(ticker.LogFormatterSciNotation):
    """matplotlib's log-axis labels (10⁻³, 2×10⁻³, the same ticks labelled) as plain text.

    The default labels are mathtext (`$\\mathdefault{10^{-3}}$`), typeset each time a figure is drawn:
    plain text draws a training dashboard (four log axes) in about 1.1 s instead of 1.4 s.
    """

    _MATH = re.compile(r"^\$\\mathdefault\{(.*)\}\$$")
    _POWER = re.compile(r"10\^\{([^}]*)\}")
    _SUPERSCRIPT = str.maketrans("-0123456789.", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹·")

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        m = self._MATH.match(label)
        if not m:
            return label
        text = self._POWER.sub(lambda p: "10" + p.group(1).translate(self._SUPERSCRIPT), m.group(1))
        return text.replace("\\times", "×").replace("-", "−")


def log_scale(ax, axis: str = "y", **kwargs):
    """Put `axis` ("x", "y" or "xy") of `ax` on a log scale (kwargs as `set_yscale("log", ...)`;
    `kind="symlog"` for a symmetric log scale) with plain-text labels (`PlainLogFormatter`)."""
    kind = kwargs.pop("kind", "log")
    for name in axis:
        getattr(ax, f"set_{name}scale")(kind, **kwargs)
        target = getattr(ax, f"{name}axis")
        base = kwargs.get("base", 10)
        target.set_major_formatter(PlainLogFormatter(base=base))
        if kind == "log":  # symlog labels no minor ticks
            target.set_minor_formatter(PlainLogFormatter(base=base, labelOnlyBase=False))
    return ax


def _axes(ax, figsize=(4.5, 4.0)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def decision_regions(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray | None = None,
    y: np.ndarray | None = None,
    *,
    ax=None,
    xlim: tuple[float, float] = (-0.5, 1.5),
    ylim: tuple[float, float] = (-0.5, 1.5),
    resolution: int = 200,
    title: str | None = None,
    levels: Sequence[float] = (0.5,),
):
    """Shade the output of a 2-input model over the plane and mark its 0.5 boundary.

    predict : maps an (N, 2) array of points to N outputs in [0, 1] (any shape with N entries)
    X, y : optional points (N, 2) and integer labels (N,) drawn on top

    While a class is graded with figures off (`_layout.figures_off`) the axes stay empty: the shading,
    its colour bar and the points cost about 0.05 s a panel, for a figure that is closed unseen.
    """
    ax = _axes(ax)
    if figures_off():
        return ax
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    out = np.asarray(predict(grid), dtype=float).reshape(gx.shape)
    image = ax.contourf(gx, gy, out, levels=np.linspace(0, 1, 11), cmap="PuOr", alpha=0.55, vmin=0, vmax=1)
    if np.nanmin(out) < levels[0] < np.nanmax(out):
        ax.contour(gx, gy, out, levels=list(levels), colors="k", linewidths=1.5)
    if X is not None:
        scatter_classes(X, y, ax=ax)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    if title:
        ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="output")
    return ax


def scatter_classes(X: np.ndarray, y: np.ndarray | None, *, ax=None, size: float = 60):
    """Scatter (N, 2) points coloured by integer label (0 or 1)."""
    ax = _axes(ax)
    labels = np.zeros(len(X), dtype=int) if y is None else np.asarray(y).astype(int).ravel()
    for label in np.unique(labels):
        pts = X[labels == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=size, c=CLASS_COLORS[label % 2], edgecolors="k",
                   marker="o" if label else "s", label=f"y = {label}", zorder=3)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def node_line(w: Sequence[float], b: float, *, ax=None, xlim=(-0.5, 1.5), **style):
    """Draw the decision line w1*x1 + w2*x2 + b = 0 of a 2-input node, with an arrow
    pointing to its positive side (where the sigmoid output is above 0.5)."""
    ax = _axes(ax)
    w1, w2 = float(w[0]), float(w[1])
    xs = np.linspace(*xlim, 2)
    style = {"color": "k", "lw": 2, **style}
    if abs(w2) > 1e-12:
        ax.plot(xs, -(w1 * xs + b) / w2, **style)
    elif abs(w1) > 1e-12:
        ax.axvline(-b / w1, **style)
    norm = np.hypot(w1, w2)
    if norm > 1e-12:
        # a point on the line nearest the centre of the unit square, and the normal from it
        c = np.array([0.5, 0.5])
        p = c - (w1 * c[0] + w2 * c[1] + b) / norm**2 * np.array([w1, w2])
        d = 0.25 * np.array([w1, w2]) / norm
        ax.annotate("", xy=p + d, xytext=p, arrowprops=dict(arrowstyle="->", color=style["color"], lw=1.5))
    return ax


def function_curves(
    functions: Mapping[str, Callable[[np.ndarray], np.ndarray]],
    x: np.ndarray | None = None,
    *,
    ax=None,
    title: str | None = None,
    ylim: tuple[float, float] | None = None,
):
    """Plot several functions of one variable on the same axes, one line each."""
    ax = _axes(ax, figsize=(6, 3.5))
    x = np.linspace(-6, 6, 400) if x is None else x
    for label, f in functions.items():
        ax.plot(x, f(x), label=label, lw=2)
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.grid(alpha=0.3)
    ax.legend()
    if ylim:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    return ax


def loss_curves(curves, *, ax=None, logy: bool = True, xlabel: str = "step", ylabel: str = "loss",
                title: str | None = None, ylim=None, chance: float | None = None):
    """The course's one plot of training curves: one line per run, losses (or any value) per step.

    curves : {label: sequence of values, one per step or epoch}, one sequence, or a lesson-10
        `TrainingReport` (its loss per step, `report.losses`)
    logy : a logarithmic y axis (the default: losses span orders of magnitude)
    chance : the loss of a network that guesses, e.g. ln 3 for three classes: a dashed line
    A run whose values overflow to inf or nan ends where it blew up, marked with a cross and
    "(overflow at step k)" in its legend entry; a run that is simply shorter just stops.
    Returns the axes.
    """
    ax = _axes(ax, figsize=(6, 3.6))
    curves = getattr(curves, "losses", curves)
    if not isinstance(curves, Mapping):
        curves = {None: curves}
    shown = []
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float).ravel()
        finite = np.isfinite(values)
        stop = values.size if finite.all() else int(np.argmin(finite))
        color = LINE_COLORS[i % len(LINE_COLORS)]
        if stop < values.size and label is not None:
            label = f"{label} (overflow at {xlabel.split(' ')[0]} {stop})"
        ax.plot(np.arange(stop), values[:stop], color=color, lw=1.8, label=label)
        if 0 < stop < values.size:
            ax.plot(stop - 1, values[stop - 1], "x", color=color, ms=9, mew=2)
        shown.append(values[:stop])
    if chance is not None:
        ax.axhline(chance, color="0.4", ls="--", lw=1, label=f"chance: {chance:.3f}")
    if logy:
        log_scale(ax, "y")
        positive = np.concatenate(shown) if shown else np.array([])
        positive = positive[(positive > 0) & (positive < 1e250)]
        if positive.size and not ylim:  # matplotlib's log axis cannot draw ticks near the float limit
            ax.set_ylim(float(positive.min()) / 2, min(float(positive.max()) * 5, 1e250))
    if ylim:
        ax.set_ylim(*ylim)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if chance is not None or any(label is not None for label in curves):
        ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both")
    if title:
        ax.set_title(title)
    return ax
