"""Lesson 03 (the dating regression): the cost surface of a linear model with descent paths on
it, the survey's scatter plots, parameters per iteration."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .common import _axes, log_scale

_PATH_COLORS = ("#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#66a61e", "#a6761d")


def cost_surface(X, y, paths=None, *, w1_range=(-1.0, 2.0), w2_range=(-1.0, 2.0), b=None, ax=None,
                 resolution: int = 120, levels: int = 18, truth=None, equal_aspect: bool = False,
                 labels=("$W_1$", "$W_2$"), title: str | None = None, notes=None, legend: bool = True):
    """Contours of the mean squared error of X @ (W1, W2) + b over the two weights, with descent paths.

    X : (N, 2) inputs; y : (N,) targets.
    paths : {label: array (k, 2 or more)}, the columns W1, W2 (a bias column is ignored), one row per
        iterate, e.g. `regression.descent_path(...)["path"]`; non-finite rows are dropped. A path is
        drawn as a line with dots, a square at its start and a cross at its end.
    w1_range, w2_range : the window (pairs of numbers); b : a fixed bias, or None for the best bias at
        each point (see `regression.cost_grid`). truth : optional (W1, W2) marked with a star.
    notes : optional {text: (W1, W2)}, short labels written next to points (e.g. step counts on a path).
    legend : draw a legend of the paths (and the truth).
    Contour levels are spaced evenly in log(cost - lowest cost), so a narrow valley and a round bowl
    both show. Returns the axes.
    """
    from ..regression import cost_grid

    ax = _axes(ax, figsize=(6.0, 4.6))
    w1 = np.linspace(*w1_range, resolution)
    w2 = np.linspace(*w2_range, resolution)
    J = cost_grid(X, y, w1, w2, b=b)
    floor = float(np.nanmin(J))
    excess = J - floor
    top = float(np.nanmax(excess))
    if not np.isfinite(top) or top <= 0:
        top = 1.0
    positive = excess[(excess > 0) & np.isfinite(excess)]
    bottom = max(float(np.min(positive)) if positive.size else top * 1e-7, top * 1e-7)
    lv = np.geomspace(bottom, top, levels)
    ax.contourf(w1, w2, np.log10(np.maximum(excess, bottom)), levels=np.log10(lv), cmap="viridis_r", alpha=0.45)
    ax.contour(w1, w2, excess, levels=lv, colors="0.35", linewidths=0.6)
    for i, (label, path) in enumerate((paths or {}).items()):
        p = np.asarray(path, dtype=float)
        p = p[np.all(np.isfinite(p[:, :2]), axis=1), :2]
        if len(p) == 0:
            continue
        color = _PATH_COLORS[i % len(_PATH_COLORS)]
        ax.plot(p[:, 0], p[:, 1], "-", color=color, lw=1.6, label=label, zorder=3)
        if len(p) <= 400:
            ax.plot(p[:, 0], p[:, 1], ".", color=color, ms=4, zorder=3)
        ax.plot(p[0, 0], p[0, 1], "s", color=color, ms=7, mec="k", zorder=4)
        ax.plot(p[-1, 0], p[-1, 1], "X", color=color, ms=9, mec="k", zorder=4)
    if truth is not None:
        ax.plot(truth[0], truth[1], "*", color="gold", ms=15, mec="k", zorder=5, label="truth")
    for text, (x, y_) in (notes or {}).items():
        ax.annotate(text, (x, y_), xytext=(4, 5), textcoords="offset points", fontsize=8,
                    bbox=dict(fc="white", ec="none", alpha=0.7, pad=0.5), zorder=6)
    ax.set(xlim=w1_range, ylim=w2_range, xlabel=labels[0], ylabel=labels[1])
    if equal_aspect:
        ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    if legend and (paths or truth is not None):
        ax.legend(fontsize="small", loc="best")
    return ax


def dating_scatter(X, y, *, axes=None, income_label: str = "monthly income ($)"):
    """Pieter's survey in two panels: dates against education (coloured by income) and dates against
    income (coloured by education).

    X : (N, 2), columns education (years) and income; y : (N,) dates. Returns the two axes.
    """
    X = np.asarray(X, dtype=float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    columns = (("education (years)", 0, 1), (income_label, 1, 0))
    names = ("education (years)", income_label)
    for ax, (xlabel, col, other) in zip(axes, columns):
        points = ax.scatter(X[:, col], y, c=X[:, other], s=10, cmap="viridis", alpha=0.8)
        ax.figure.colorbar(points, ax=ax, label=names[other])
        ax.set(xlabel=xlabel, ylabel="online dates")
        ax.grid(alpha=0.3)
    return axes


def parameter_trace(traces, *, ax=None, title: str | None = None, ylabel: str = "value",
                    xlabel: str = "iteration", target: float | None = None, linthresh: float | None = None):
    """One parameter along several descent runs, against the iteration, on a symmetric log scale
    (so an oscillation that grows by a constant factor each step shows as a widening zig-zag).

    traces : {label: 1-D array, the parameter after 0, 1, 2, ... steps}; target : optional value
    drawn as a dashed line (e.g. the true weight); linthresh : the scale is linear within
    +-linthresh (default: a third of |target|, else a thousandth of the largest value). Returns the axes.
    """
    ax = _axes(ax, figsize=(6.0, 3.8))
    largest = 0.0
    for i, (label, values) in enumerate(traces.items()):
        values = np.asarray(values, dtype=float).ravel()
        values = values[: values.size if np.isfinite(values).all() else int(np.argmin(np.isfinite(values)))]
        color = _PATH_COLORS[i % len(_PATH_COLORS)]
        ax.plot(np.arange(values.size), values, "o-", color=color, lw=1.5, ms=4, label=label)
        if values.size:
            largest = max(largest, float(np.max(np.abs(values))))
    if target is not None:
        ax.axhline(target, color="k", ls="--", lw=1, label=f"truth {target:g}")
    if linthresh is None:
        linthresh = abs(target) / 3 if target else (largest / 1000 or 1.0)
    log_scale(ax, "y", kind="symlog", linthresh=linthresh)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax
