"""Plots of the course. Each function draws on an `ax` (a new one if none is given)
and returns it, so lessons can combine them in subplots.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle

from ._math import logistic

CLASS_COLORS = ("#d95f02", "#1b9e77")  # label 0, label 1 (colour-blind safe pair)


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
    """
    ax = _axes(ax)
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


def approximation(x: np.ndarray, target: np.ndarray, approx: np.ndarray, *, ax=None, title: str | None = None,
                  parts: Sequence[np.ndarray] = ()):
    """Compare a target curve with its approximation (and, optionally, the parts summed)."""
    ax = _axes(ax, figsize=(6, 3.5))
    for part in parts:
        ax.plot(x, part, color="0.75", lw=1)
    ax.plot(x, target, color="k", lw=2, label="target")
    ax.plot(x, approx, color=CLASS_COLORS[0], lw=2, label="sum of bumps")
    error = float(np.max(np.abs(np.asarray(approx) - np.asarray(target))))
    ax.set_title(title or f"largest error {error:.3f}")
    ax.legend(loc="best")
    ax.grid(alpha=0.3)
    return ax


def truth_table(X: np.ndarray, outputs: np.ndarray, targets: np.ndarray | None = None) -> str:
    """A small HTML table of inputs, outputs and (optionally) targets, for display()."""
    rows = []
    for i, (x, out) in enumerate(zip(X, np.ravel(outputs))):
        cells = "".join(f"<td>{v:g}</td>" for v in x) + f"<td>{out:.3f}</td>"
        if targets is not None:
            ok = (out > 0.5) == bool(targets[i])
            cells += f"<td>{int(targets[i])}</td><td>{'✔' if ok else '✘'}</td>"
        rows.append(f"<tr>{cells}</tr>")
    head = "".join(f"<th>x{j + 1}</th>" for j in range(X.shape[1])) + "<th>output</th>"
    if targets is not None:
        head += "<th>target</th><th></th>"
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"




def node_diagram(
    x: Sequence[float],
    w: Sequence[float],
    b: float,
    *,
    ax=None,
    input_labels: Sequence[str] | None = None,
    title: str | None = None,
):
    """Draw a node z = x @ w + b, output sigmoid(z), with every number written on it.

    x : the inputs, shape (D,) (D up to about 8 stays readable)
    w : the weights, shape (D,); an edge is drawn thicker for a larger |w|, in one
        colour for positive and another for negative weights
    b : the bias (a number)
    input_labels : optional names of the inputs (default x1, x2, ...)
    """
    x = np.asarray(x, dtype=float).ravel()
    w = np.asarray(w, dtype=float).ravel()
    if x.shape != w.shape:
        raise ValueError(f"x has {x.size} entries but w has {w.size}: a node needs one weight per input")
    b = float(b)
    z = float(x @ w + b)
    out = float(logistic(z))
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.0))

    n = x.size
    ys = np.linspace(0.9, 0.1, n) if n > 1 else np.array([0.5])
    r_in, node, r_node = 0.055, np.array([0.62, 0.5]), 0.11
    wmax = max(float(np.max(np.abs(w))), 1e-12)
    for i, (xi, wi, yi) in enumerate(zip(x, w, ys)):
        start = np.array([0.1, yi])
        ax.add_patch(Circle(start, r_in, fc="#f2f2f2", ec="k", zorder=3))
        ax.text(*start, f"{xi:g}", ha="center", va="center", fontsize=9, zorder=4)
        label = input_labels[i] if input_labels is not None else f"$x_{{{i + 1}}}$"
        ax.text(start[0] - r_in - 0.02, yi, label, ha="right", va="center", fontsize=9)
        direction = (node - start) / np.linalg.norm(node - start)
        tail, head = start + r_in * direction, node - r_node * direction
        color = CLASS_COLORS[1] if wi >= 0 else CLASS_COLORS[0]
        ax.annotate("", xy=head, xytext=tail,
                    arrowprops=dict(arrowstyle="->", color=color, lw=0.8 + 2.2 * abs(wi) / wmax))
        mid = tail + 0.45 * (head - tail)
        ax.text(mid[0], mid[1] + 0.025, f"$w_{{{i + 1}}}$ = {wi:g}", ha="center", va="bottom", fontsize=8,
                color=color, bbox=dict(fc="white", ec="none", alpha=0.8, pad=0.5))

    ax.add_patch(Circle(node, r_node, fc="#fde0c5", ec="k", lw=1.5, zorder=3))
    ax.text(*node, r"$\Sigma \;\to\; \sigma$", ha="center", va="center", fontsize=11, zorder=4)
    bias_from = node + np.array([0.0, -0.3])
    ax.annotate("", xy=node + np.array([0.0, -r_node]), xytext=bias_from,
                arrowprops=dict(arrowstyle="->", color="0.3", lw=1.2))
    ax.text(bias_from[0], bias_from[1] - 0.02, f"b = {b:g}", ha="center", va="top", fontsize=9)
    ax.text(node[0], node[1] + r_node + 0.03, f"z = {z:.4g}", ha="center", va="bottom", fontsize=10)
    end = np.array([0.92, 0.5])
    ax.annotate("", xy=end, xytext=node + np.array([r_node, 0.0]),
                arrowprops=dict(arrowstyle="->", color="k", lw=1.5))
    ax.text(end[0] + 0.02, end[1], rf"$\sigma(z)$ = {out:.3f}", ha="left", va="center", fontsize=10)
    ax.set(xlim=(-0.12, 1.3), ylim=(-0.02, 1.02), aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------
# Lesson 07 (training deep networks): histograms of samples, per-layer statistics, optimizer paths
# on a loss surface, loss curves, update-to-weight ratios, 2-D point clouds.

_LESSON07_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def histograms(samples, *, ax=None, bins: int = 60, title: str | None = None, xlabel: str = "value",
               density: bool = True):
    """Overlaid histograms, one per entry of `samples` ({label: array of any shape}),
    each labelled with its sample variance."""
    ax = _axes(ax, figsize=(6, 3.5))
    for i, (label, values) in enumerate(samples.items()):
        values = np.asarray(values, dtype=float).ravel()
        ax.hist(values, bins=bins, density=density, alpha=0.55, color=_LESSON07_COLORS[i % 8],
                label=f"{label} (variance {values.var():.3g})")
    ax.set(xlabel=xlabel, ylabel="density" if density else "count")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def layer_statistics(stats, *, ax=None, ylabel: str = "standard deviation of the activations",
                     title: str | None = None, logy: bool = True):
    """One line per entry of `stats` ({label: sequence of L numbers, one per layer 1..L})."""
    ax = _axes(ax, figsize=(6, 3.5))
    for i, (label, values) in enumerate(stats.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, values.size + 1), values, "o-", color=_LESSON07_COLORS[i % 8], label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel="layer", ylabel=ylabel)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both")
    if title:
        ax.set_title(title)
    return ax


def optimizer_paths(loss, paths, *, ax=None, xlim=(-2.0, 2.0), ylim=(-1.5, 3.0), minimum=None,
                    title: str | None = None, resolution: int = 150):
    """Contours of a 2-D loss surface with the paths of several optimizers on top.

    loss : callable mapping points (..., 2) to losses (...)
    paths : {label: array (K + 1, 2)}, each path from its start (row 0) to its last point
    minimum : optional (x, y) marked with a star
    """
    ax = _axes(ax, figsize=(6, 4.8))
    gx, gy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    values = np.asarray(loss(np.stack([gx, gy], axis=-1)), dtype=float)
    levels = np.logspace(-2, np.log10(max(float(values.max()), 1.0)), 18)
    ax.contourf(gx, gy, np.log10(values + 1e-3), levels=24, cmap="Greys_r", alpha=0.35)
    ax.contour(gx, gy, values, levels=levels, colors="0.45", linewidths=0.6)
    for i, (label, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=float)
        color = _LESSON07_COLORS[i % 8]
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.6, label=label)
        ax.plot(path[:, 0], path[:, 1], ".", color=color, ms=3)
        ax.plot(*path[-1], "o", color=color, mec="k", ms=7, zorder=4)
    if paths:
        first = np.asarray(next(iter(paths.values())), dtype=float)[0]
        ax.plot(*first, "s", color="k", ms=7, zorder=5, label="start")
    if minimum is not None:
        ax.plot(*minimum, "*", color="gold", mec="k", ms=15, zorder=5, label="minimum")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w_1$", ylabel="$w_2$")
    ax.legend(fontsize="small", loc="upper left")
    if title:
        ax.set_title(title)
    return ax


def loss_curves(curves, *, ax=None, logy: bool = True, xlabel: str = "step", ylabel: str = "loss",
                title: str | None = None, ylim=None):
    """The course's one plot of training curves: one line per run, losses (or any value) per step.

    curves : {label: sequence of values, one per step or epoch}, or one sequence
    logy : a logarithmic y axis (the default: losses span orders of magnitude)
    A run whose values overflow to inf or nan ends where it blew up, marked with a cross and
    "(overflow at step k)" in its legend entry; a run that is simply shorter just stops.
    Returns the axes.
    """
    ax = _axes(ax, figsize=(6, 3.6))
    if not isinstance(curves, Mapping):
        curves = {None: curves}
    shown = []
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float).ravel()
        finite = np.isfinite(values)
        stop = values.size if finite.all() else int(np.argmin(finite))
        color = _LESSON07_COLORS[i % len(_LESSON07_COLORS)]
        if stop < values.size and label is not None:
            label = f"{label} (overflow at {xlabel.split(' ')[0]} {stop})"
        ax.plot(np.arange(stop), values[:stop], color=color, lw=1.8, label=label)
        if 0 < stop < values.size:
            ax.plot(stop - 1, values[stop - 1], "x", color=color, ms=9, mew=2)
        shown.append(values[:stop])
    if logy:
        ax.set_yscale("log")
        positive = np.concatenate(shown) if shown else np.array([])
        positive = positive[(positive > 0) & (positive < 1e250)]
        if positive.size and not ylim:  # matplotlib's log axis cannot draw ticks near the float limit
            ax.set_ylim(float(positive.min()) / 2, min(float(positive.max()) * 5, 1e250))
    if ylim:
        ax.set_ylim(*ylim)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if any(label is not None for label in curves):
        ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both")
    if title:
        ax.set_title(title)
    return ax

def update_ratios(ratios, *, ax=None, target: float = 1e-3, title: str | None = None):
    """Update-to-weight ratios ||learning_rate * dW|| / ||W|| per step on a log scale.

    ratios : {label: sequence of ratios, one per step}; a shaded band marks a factor 10
    either side of `target` (the rule of thumb 1e-3).
    """
    ax = _axes(ax, figsize=(6, 3.5))
    ax.axhspan(target / 10, target * 10, color="#1b9e77", alpha=0.12, label=f"{target:g} × / ÷ 10")
    ax.axhline(target, color="#1b9e77", lw=1, ls="--")
    for i, (label, values) in enumerate(ratios.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(values.size), values, color=_LESSON07_COLORS[i % 8], lw=1.5, label=label)
    ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="‖update‖ / ‖weights‖")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, which="both")
    if title:
        ax.set_title(title)
    return ax


def point_clouds(clouds, *, axes=None, labels=("$x_1$", "$x_2$")):
    """Scatter several 2-D data sets side by side ({title: array (N, 2)}), each with equal
    axis scales and its covariance matrix in the title. Returns the array of axes."""
    if axes is None:
        _, axes = plt.subplots(1, len(clouds), figsize=(4.6 * len(clouds), 4.2))
    axes = np.atleast_1d(axes)
    for i, (ax, (title, X)) in enumerate(zip(axes, clouds.items())):
        X = np.asarray(X, dtype=float)
        ax.scatter(X[:, 0], X[:, 1], s=10, alpha=0.6, color=_LESSON07_COLORS[i % 8])
        cov = np.cov(X.T, bias=True)
        cov = np.where(np.abs(cov) < 1e-9 * np.abs(cov).max(), 0.0, cov)  # print 0, not -6.5e-17
        ax.set_title(f"{title}\ncov = [[{cov[0, 0]:.3g}, {cov[0, 1]:.3g}], [{cov[1, 0]:.3g}, {cov[1, 1]:.3g}]]",
                     fontsize=10)
        ax.set(xlabel=labels[0], ylabel=labels[1], aspect="equal")
        ax.grid(alpha=0.3)
    return axes


# --------------------------------------------------------------------------------------
# Lesson 04 (activation functions): a function beside its slope, saturation, dead units

def saturation_intervals(df, z, threshold: float = 0.01):
    """Where a function saturates on a grid: the intervals of z where |f'(z)| < threshold * max |f'|.

    df : the derivative, a vectorized callable mapping an array (N,) to (N,)
    z : sorted grid, shape (N,)
    Returns a list of (start, end) pairs (grid values), possibly empty.
    """
    z = np.asarray(z, dtype=float)
    slope = np.broadcast_to(np.abs(np.asarray(df(z), dtype=float)), z.shape)
    top = float(np.max(slope)) if slope.size else 0.0
    flat = slope < threshold * top if top > 0 else np.ones_like(z, dtype=bool)
    intervals, start = [], None
    for zi, is_flat in zip(z, flat):
        if is_flat and start is None:
            start = zi
        if not is_flat and start is not None:
            intervals.append((float(start), float(prev)))
            start = None
        prev = zi
    if start is not None:
        intervals.append((float(start), float(z[-1])))
    return intervals


def activation_and_slope(f, df, *, z=None, axes=None, name: str = "f", threshold: float = 0.01,
                         ylim=None):
    """Draw an activation f(z) (left) and its slope f'(z) (right), shading where it saturates,
    that is where |f'(z)| < threshold * max |f'| on the grid.

    f, df : vectorized callables, array (N,) -> array (N,)
    z : grid, shape (N,) (default: 601 points on [-6, 6])
    axes : a pair of axes (default: a new figure with two panels)
    Returns the pair of axes.
    """
    z = np.linspace(-6.0, 6.0, 601) if z is None else np.asarray(z, dtype=float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    ax_f, ax_df = axes
    intervals = saturation_intervals(df, z, threshold)
    for ax, values, label, color in ((ax_f, f(z), f"{name}(z)", CLASS_COLORS[1]),
                                     (ax_df, df(z), f"{name}'(z)", CLASS_COLORS[0])):
        for k, (lo, hi) in enumerate(intervals):
            ax.axvspan(lo, hi, color="0.6", alpha=0.25, lw=0,
                       label=f"|slope| < {threshold:g} × max" if k == 0 else None)
        ax.plot(z, np.asarray(values, dtype=float) * np.ones_like(z), color=color, lw=2.2, label=label)
        ax.axhline(0, color="0.7", lw=0.8)
        ax.axvline(0, color="0.7", lw=0.8)
        ax.grid(alpha=0.3)
        ax.set_xlabel("z")
        ax.legend(loc="best", fontsize="small")
    if ylim:
        ax_f.set_ylim(*ylim)
    ax_f.set_title(f"{name}(z)")
    ax_df.set_title(f"slope {name}'(z)")
    return axes


def preactivation_histograms(samples, df, *, threshold: float = 0.01, ax=None, bins: int = 80,
                             title: str | None = None, xlabel: str = "pre-activation z"):
    """Histograms of pre-activations ({label: array of any shape}) over the zones where the
    activation with slope `df` saturates (|f'(z)| < threshold * max |f'|), shaded grey.
    The legend gives, per label, the share of values that fall in a saturated zone."""
    ax = _axes(ax, figsize=(7, 3.5))
    flat = {label: np.asarray(v, dtype=float).ravel() for label, v in samples.items()}
    lo = min(float(v.min()) for v in flat.values())
    hi = max(float(v.max()) for v in flat.values())
    span = max(hi - lo, 1e-9)
    grid = np.linspace(lo - 0.05 * span, hi + 0.05 * span, 2001)
    intervals = saturation_intervals(df, grid, threshold)
    for k, (a, b) in enumerate(intervals):
        ax.axvspan(a, b, color="0.6", alpha=0.25, lw=0, label="saturated zone" if k == 0 else None)
    top = float(np.max(np.abs(df(grid))))
    for i, (label, values) in enumerate(flat.items()):
        share = float(np.mean(np.broadcast_to(np.abs(df(values)), values.shape) < threshold * top))
        ax.hist(values, bins=bins, density=True, alpha=0.55, color=CLASS_COLORS[i % 2] if i < 2 else None,
                label=f"{label}: {100 * share:.1f} % saturated")
    ax.set(xlabel=xlabel, ylabel="density")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    return ax


def unit_firing(Z, *, ax=None, title: str | None = None):
    """For pre-activations Z of shape (N, H) (N samples, H units): one bar per unit with the
    share of samples on which it fires (z > 0), units sorted; units that never fire (dead
    for ReLU) are drawn in red and counted in the title."""
    ax = _axes(ax, figsize=(7, 3.2))
    fire = np.mean(np.asarray(Z) > 0, axis=0)
    order = np.argsort(fire)
    dead = fire[order] == 0
    units = np.arange(fire.size)
    if dead.any():  # a dead unit has a bar of height 0: mark its column instead
        ax.bar(units[dead], np.ones(int(dead.sum())), color="#d62728", alpha=0.18, width=1.0,
               label="never fires (dead for ReLU)")
        ax.legend(loc="upper left", fontsize="small")
    ax.bar(units[~dead], fire[order][~dead], color=CLASS_COLORS[1], width=1.0)
    ax.set(xlabel="unit (sorted)", ylabel="share of samples with z > 0", ylim=(0, 1.02), xlim=(-0.5, fire.size - 0.5))
    ax.grid(alpha=0.3, axis="y")
    n_dead = int(np.sum(fire == 0))
    ax.set_title((f"{title}: " if title else "") + f"{n_dead} of {fire.size} units never fire")
    return ax


# --------------------------------------------------------------------------------------
# Lesson 03: the cost surface of a linear model and descent on it

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
    from .regression import cost_grid

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


# --------------------------------------------------------------------------------------
# Lesson 05 (backpropagation)


def gradient_norms_by_layer(norms, *, ax=None, title: str | None = None, ylabel: str = r"$\|\partial L / \partial W_k\|$"):
    """Gradient norm of every layer of a deep net, one line per network, on a log scale.

    norms : {label: array of shape (L,)}, entry k-1 the norm of dL/dW_k of layer k
        (layer 1 next to the input, layer L the output layer)
    Returns the axes.
    """
    ax = _axes(ax, figsize=(6.0, 3.8))
    for label, values in norms.items():
        values = np.asarray(values, dtype=float).ravel()
        ax.plot(np.arange(1, values.size + 1), values, "o-", lw=1.8, ms=4, label=label)
    ax.set_yscale("log")
    ax.set(xlabel="layer (1 = next to the input)", ylabel=ylabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3, which="both")
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax


def error_bars(errors, *, ax=None, ylabel: str = "mean squared error", title: str | None = None):
    """Grouped bars of errors, e.g. training and test error of several models.

    errors : {model label: {split label: number}}, e.g. {"linear": {"train": 13.2, "test": 27.1}, ...};
        every model has the same split labels
    Each bar is labelled with its value. Returns the axes.
    """
    ax = _axes(ax, figsize=(6.0, 3.6))
    models = list(errors)
    splits = list(next(iter(errors.values())))
    width = 0.8 / len(splits)
    for j, split in enumerate(splits):
        xs = np.arange(len(models)) + (j - (len(splits) - 1) / 2) * width
        values = [float(errors[m][split]) for m in models]
        bars = ax.bar(xs, values, width=width * 0.95, label=split)
        for x, v in zip(xs, values):
            ax.text(x, v, f"{v:.3g}", ha="center", va="bottom", fontsize="small")
    ax.set_xticks(np.arange(len(models)))
    ax.set_xticklabels(models)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax


def regression_slice(x, curves, *, points=None, ax=None, xlabel: str = "x", ylabel: str = "y",
                     title: str | None = None):
    """Curves of several models along one input (the others held fixed), with data points.

    x : (M,) values of the varied input;  curves : {label: (M,) predictions at x}
    points : optional (x_points (P,), y_points (P,)) drawn as dots
    Returns the axes.
    """
    ax = _axes(ax, figsize=(6.0, 3.8))
    if points is not None:
        ax.scatter(np.asarray(points[0]), np.asarray(points[1]), s=22, color="0.35", zorder=3, label="training data")
    for label, values in curves.items():
        ax.plot(x, np.asarray(values, dtype=float).ravel(), lw=2, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize="small")
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------
# Lesson 10 (debugging training): the diagnostics of a `dlcourse.debugging.TrainingReport`

def _layer_colors(n: int):
    cmap = plt.get_cmap("viridis")
    return [cmap(0.1 + 0.8 * i / max(1, n - 1)) for i in range(n)]


def training_loss_curve(report, *, ax=None, label: str | None = None, chance: float | None = None,
                        title: str | None = "loss per step"):
    """The loss of every step of a `TrainingReport` (`report.losses`, shape (steps,)).

    chance : the loss of a network that outputs equal probabilities, ln(C) for C classes;
        drawn as a dashed line (default ln 3). A log scale is used when the loss spans more
        than a factor of 100; a blow-up (nan/inf) is marked with a red cross at its step.
    """
    ax = _axes(ax, figsize=(5, 3.2))
    losses = np.asarray(report.losses, dtype=float)
    steps = np.arange(1, losses.size + 1)
    finite = np.isfinite(losses)
    ax.plot(steps[finite], losses[finite], lw=1.2, label=label)
    chance = float(np.log(3)) if chance is None else chance
    ax.axhline(chance, color="0.4", ls="--", lw=1, label=f"chance: ln 3 = {chance:.3f}")
    if finite.any() and np.nanmax(losses[finite]) > 100 * max(np.nanmin(losses[finite]), 1e-3):
        ax.set_yscale("log")
    if getattr(report, "diverged", False):
        k = int(report.steps_done) - 1
        top = np.nanmax(losses[finite]) if finite.any() else 1.0
        ax.plot([k + 1], [top], "x", color="red", ms=10, mew=2, label=f"nan/inf at step {k + 1}")
    ax.set(xlabel="step", ylabel="loss")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", frameon=False)
    if title:
        ax.set_title(title)
    return ax


def update_ratio_curves(report, *, ax=None, title: str | None = "update / weight ratio"):
    """Per weight layer, ||w_new - w_old|| / ||w_old|| at every step (log scale), with the
    rule-of-thumb band 1e-4 .. 1e-2 around 1e-3 shaded. `report.update_ratios`: {W1: (steps,), ...}."""
    ax = _axes(ax, figsize=(5, 3.2))
    names = list(report.update_ratios)
    for color, name in zip(_layer_colors(len(names)), names):
        r = np.asarray(report.update_ratios[name], dtype=float)
        ok = np.isfinite(r) & (r > 0)
        ax.plot(np.arange(1, r.size + 1)[ok], r[ok], color=color, lw=1, label=name)
    ax.axhspan(1e-4, 1e-2, color="#1b9e77", alpha=0.12, label="about 1e-3")
    ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="ratio")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="x-small", frameon=False, ncol=2)
    if not any(np.any(np.isfinite(v) & (np.asarray(v) > 0)) for v in report.update_ratios.values()):
        ax.text(0.5, 0.5, "no update moved any weight\n(ratio 0 or 0/0)", transform=ax.transAxes,
                ha="center", va="center", color="red")
    if title:
        ax.set_title(title)
    return ax


def gradient_norm_curves(report, *, ax=None, title: str | None = "weight-gradient norm per layer"):
    """Per weight layer, the norm of its gradient at every step (log scale). `report.grad_norms`: {W1: (steps,)}."""
    ax = _axes(ax, figsize=(5, 3.2))
    names = list(report.grad_norms)
    for color, name in zip(_layer_colors(len(names)), names):
        g = np.asarray(report.grad_norms[name], dtype=float)
        ok = np.isfinite(g) & (g > 0)
        ax.plot(np.arange(1, g.size + 1)[ok], g[ok], color=color, lw=1, label=name)
    if not any(np.any(np.isfinite(v) & (np.asarray(v) > 0)) for v in report.grad_norms.values()):
        ax.text(0.5, 0.5, "every weight gradient is exactly 0", transform=ax.transAxes,
                ha="center", va="center", color="red")
    else:
        ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="norm")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="x-small", frameon=False, ncol=2)
    if title:
        ax.set_title(title)
    return ax


def layer_histograms(report, kind: str = "activations", when: str = "first", *, axes=None, bins: int = 40):
    """One histogram per layer of a report's snapshot.

    kind : "activations" or "preactivations" (hidden layers h1 ...) or "grads" (weight gradients W1 ...)
    when : "first" or "last" step. axes : a sequence of at least as many axes as layers (new ones if None).
    Each panel's title gives the layer, the standard deviation and, for ReLU activations, the
    fraction of exact zeros. Returns the axes.
    """
    snapshot = getattr(report, when)[kind]
    names = list(snapshot)
    if axes is None:
        _, axes = plt.subplots(1, len(names), figsize=(2.6 * len(names), 2.4), squeeze=False)
        axes = axes[0]
    for ax, color, name in zip(axes, _layer_colors(len(names)), names):
        values = np.asarray(snapshot[name], dtype=float).ravel()
        values = values[np.isfinite(values)]
        if values.size and np.ptp(values) > 0:
            ax.hist(values, bins=bins, color=color, alpha=0.85)
        elif values.size:
            ax.axvline(values[0], color=color, lw=3)
        zeros = float(np.mean(values == 0)) if values.size else float("nan")
        extra = f", {zeros:.0%} zeros" if kind == "activations" else ""
        ax.set_title(f"{name}: std {np.std(values):.2g}{extra}" if values.size else f"{name}: no finite values",
                      fontsize="small")
        ax.tick_params(labelsize="x-small")
        ax.set_yticks([])
    return axes


def training_dashboard(report, *, title: str | None = None):
    """A 2 x 3 figure of a `TrainingReport`: loss per step, training accuracy per epoch, update/weight
    ratios, gradient norms, the first hidden layer's pre-activations at the first and last step,
    and each hidden layer's activation std and dead fraction at the first step. Returns the figure."""
    fig, axes = plt.subplots(2, 3, figsize=(14, 6.6))
    training_loss_curve(report, ax=axes[0, 0])
    acc = np.asarray(report.accuracy, dtype=float)
    axes[0, 1].plot(np.arange(1, acc.size + 1), acc, marker=".", lw=1)
    axes[0, 1].axhline(1 / 3, color="0.4", ls="--", lw=1, label="chance: 1/3")
    axes[0, 1].set(xlabel="epoch", ylabel="training accuracy", ylim=(0, 1.02), title="accuracy per epoch")
    axes[0, 1].grid(alpha=0.3)
    axes[0, 1].legend(fontsize="small", frameon=False)
    update_ratio_curves(report, ax=axes[0, 2])
    gradient_norm_curves(report, ax=axes[1, 0])
    ax = axes[1, 1]
    snap = report.first.get("preactivations", {})
    v = np.asarray(snap.get("h1", []), dtype=float).ravel()
    v = v[np.isfinite(v)]
    if v.size and np.ptp(v) > 0:
        ax.hist(v, bins=40, color="#7570b3", alpha=0.8)
    elif v.size:
        ax.axvline(v[0], color="#7570b3", lw=3, label=f"all exactly {v[0]:g}")
        ax.legend(fontsize="small", frameon=False)
    ax.axvline(0, color="k", lw=1)
    ax.set(title="pre-activations of h1, first step", xlabel="value (ReLU passes only > 0)")
    ax.set_yticks([])
    ax = axes[1, 2]
    names = list(report.act_std)
    stds = [report.act_std[k][0] for k in names]
    dead = [report.dead_fraction[k][0] for k in names]
    last = max(int(report.steps_done) - 1, 0)
    dead_last = [report.dead_fraction[k][last] for k in names]
    xs = np.arange(len(names))
    ax.bar(xs, np.where(np.asarray(stds) > 0, stds, np.nan), color="#7570b3")
    ax.set_yscale("log")
    ax.set_xticks(xs, [f"{k}\ndead {d:.0%}\n→ {e:.0%}" for k, d, e in zip(names, dead, dead_last)], fontsize="x-small")
    ax.set(title="activation std per layer, first step\n(dead units: first step → last step)", ylabel="std (log)")
    ax.grid(alpha=0.3, axis="y")
    if title:
        fig.suptitle(title)
    # fixed margins: tight_layout would render the figure once more just to measure it
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.1, top=0.88 if title else 0.94, wspace=0.25, hspace=0.5)
    return fig


# --------------------------------------------------------------------------------------
# Lesson 08 (regularization): polynomial fits, error curves, early stopping, weights, digits

_L08_TRAIN, _L08_VAL, _L08_FIT = "#1b9e77", "#d95f02", "#7570b3"


def polynomial_fit(x_train, y_train, predict, *, x_val=None, y_val=None, truth=None, ax=None,
                   title: str | None = None, xlim=(-1.0, 1.0), ylim=(-2.0, 2.0), label: str = "model"):
    """A fitted curve over its training points (filled) and validation points (open).

    x_train, y_train : (N,) training data;  predict : maps a grid (M,) of x values to (M,) predictions
    x_val, y_val : optional (K,) validation data;  truth : optional function drawn dashed (e.g. the line y = x)
    Returns the axes.
    """
    ax = _axes(ax, figsize=(5.0, 3.6))
    grid = np.linspace(xlim[0], xlim[1], 400)
    if truth is not None:
        ax.plot(grid, truth(grid), "--", color="0.5", lw=1.2, label="truth")
    with np.errstate(all="ignore"):
        ax.plot(grid, np.asarray(predict(grid), dtype=float), color=_L08_FIT, lw=2, label=label)
    ax.scatter(x_train, y_train, s=30, color=_L08_TRAIN, zorder=3, label="training")
    if x_val is not None:
        ax.scatter(x_val, y_val, s=30, facecolors="none", edgecolors=_L08_VAL, zorder=3, label="validation")
    ax.set(xlim=xlim, ylim=ylim, xlabel="x", ylabel="y")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", frameon=False)
    if title:
        ax.set_title(title)
    return ax


def error_curves(values, train_errors, val_errors, *, xlabel: str, ax=None, logx: bool = False,
                 logy: bool = True, mark=None, title: str | None = None, ylabel: str = "mean squared error"):
    """Training and validation error against a setting (degree, penalty, data size ...).

    values : (K,) settings;  train_errors, val_errors : (K,) errors at each setting;
    mark : optional setting to highlight with a vertical line (e.g. the one validation picks).
    Returns the axes.
    """
    ax = _axes(ax, figsize=(5.0, 3.6))
    ax.plot(values, train_errors, "o-", color=_L08_TRAIN, label="training error")
    ax.plot(values, val_errors, "s-", color=_L08_VAL, label="validation error")
    if mark is not None:
        ax.axvline(mark, color="0.4", ls=":", lw=1.2)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small", frameon=False)
    if title:
        ax.set_title(title)
    return ax


def search_scatter(lams, val_errors, *, best=None, ax=None, title: str | None = None,
                   xlabel: str = r"penalty $\lambda$", ylabel: str = "validation error"):
    """The trials of a random search: validation error (K,) against the penalty (K,), log-log.

    best : optional penalty to mark (the trial with the lowest validation error). Returns the axes.
    """
    ax = _axes(ax, figsize=(5.0, 3.6))
    ax.scatter(lams, val_errors, s=22, color=_L08_VAL, label="one trial")
    if best is not None:
        ax.axvline(best, color="0.4", ls=":", lw=1.2, label=rf"best $\lambda$ = {best:.2g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small", frameon=False)
    if title:
        ax.set_title(title)
    return ax


def early_stopping_curves(train_loss, val_loss, *, best=None, stopped=None, ax=None, logx: bool = True,
                          logy: bool = True, title: str | None = None, xlabel: str = "epoch"):
    """Training and validation loss per epoch, with the epoch early stopping keeps and where it stopped.

    train_loss, val_loss : (E,) losses;  best, stopped : optional epoch indices to mark.
    Epochs are drawn from 1 (index + 1) so that a logarithmic axis can show them. Returns the axes.
    """
    ax = _axes(ax, figsize=(6.0, 3.6))
    epochs = np.arange(1, len(train_loss) + 1)
    ax.plot(epochs, train_loss, color=_L08_TRAIN, lw=1.8, label="training loss")
    ax.plot(epochs, val_loss, color=_L08_VAL, lw=1.8, label="validation loss")
    if best is not None:
        ax.axvline(best + 1, color="k", ls="--", lw=1.2, label=f"best epoch (index {best})")
        ax.plot([best + 1], [val_loss[best]], "o", color="k")
    if stopped is not None:
        ax.axvline(stopped + 1, color="0.5", ls=":", lw=1.2, label=f"stopped (index {stopped})")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel + (" (log scale)" if logx else ""), ylabel="mean squared error")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small", frameon=False)
    if title:
        ax.set_title(title)
    return ax


def weight_stems(weights, *, true=None, ax=None, threshold: float | None = None, title: str | None = None):
    """Weights of several models side by side, one marker per weight index.

    weights : {label: (D,) weights};  true : optional (D,) true weights drawn as grey bars;
    threshold : optional band |w| <= threshold shaded (what counts as zero). Returns the axes.
    """
    ax = _axes(ax, figsize=(7.0, 3.4))
    D = len(next(iter(weights.values())))
    idx = np.arange(D)
    if true is not None:
        ax.bar(idx, true, color="0.85", width=0.8, label="true weights")
    markers = "os^Dv"
    k = len(weights)
    for j, (label, w) in enumerate(weights.items()):
        ax.plot(idx + (j - (k - 1) / 2) * 0.2, w, markers[j % 5], ms=5, label=label)
    if threshold is not None:
        ax.axhspan(-threshold, threshold, color="#fde0c5", alpha=0.6, lw=0)
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xlabel="weight index", ylabel="weight")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize="small", frameon=False, ncol=2, loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def augmentation_grid(originals, variants, *, labels=None, title: str | None = None):
    """Each original image in its own row, followed by its augmented variants.

    originals : (R, H, W) images;  variants : (R, C, H, W) C augmented versions of each;
    labels : optional (R,) labels written at the left. Returns the figure.
    """
    originals = np.asarray(originals, dtype=float)
    variants = np.asarray(variants, dtype=float)
    R, C = variants.shape[:2]
    fig, axes = plt.subplots(R, C + 1, figsize=(1.1 * (C + 1), 1.1 * R), squeeze=False)
    for r in range(R):
        for c in range(C + 1):
            ax = axes[r, c]
            ax.imshow(originals[r] if c == 0 else variants[r, c - 1], cmap="gray_r", vmin=0,
                      vmax=max(1.0, float(originals.max())))
            ax.set_xticks([])
            ax.set_yticks([])
        if labels is not None:
            axes[r, 0].set_ylabel(str(labels[r]), rotation=0, labelpad=10, va="center")
    axes[0, 0].set_title("original", fontsize="small")
    for c in range(1, C + 1):
        axes[0, c].set_title(f"variant {c}", fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def dropout_picture(x, out, *, title: str | None = None):
    """Three heat maps side by side: the activations x, the kept units (out != 0) and the output.

    x, out : (N, D) arrays (a small batch of one layer's activations). Returns the figure.
    """
    x = np.asarray(x, dtype=float)
    out = np.asarray(out, dtype=float)
    fig, axes = plt.subplots(1, 3, figsize=(11, 2.8))
    vmax = float(np.abs(out).max()) or 1.0
    for ax, data, name, cmap, vm in ((axes[0], x, "activations x", "viridis", (0, vmax)),
                                     (axes[1], (out != 0).astype(float), "kept units (1) and dropped (0)",
                                      "gray", (0, 1)),
                                     (axes[2], out, "output x * mask / (1 - p)", "viridis", (0, vmax))):
        image = ax.imshow(data, cmap=cmap, vmin=vm[0], vmax=vm[1], aspect="auto")
        ax.set(title=name, xlabel="unit", ylabel="sample")
        fig.colorbar(image, ax=ax, shrink=0.8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def ensemble_bars(member_scores, ensemble_score, *, ax=None, ylabel: str = "test accuracy",
                  title: str | None = None, ylim=None):
    """Bars of the score of each ensemble member and of their average (highlighted).

    member_scores : (K,) scores;  ensemble_score : a number. Returns the axes.
    """
    ax = _axes(ax, figsize=(5.5, 3.4))
    K = len(member_scores)
    labels = [f"model {k + 1}" for k in range(K)] + ["average"]
    values = list(map(float, member_scores)) + [float(ensemble_score)]
    colors = ["0.65"] * K + [_L08_FIT]
    ax.bar(np.arange(K + 1), values, color=colors)
    for k, v in enumerate(values):
        ax.text(k, v, f"{v:.3f}", ha="center", va="bottom", fontsize="small")
    ax.set_xticks(np.arange(K + 1))
    ax.set_xticklabels(labels, fontsize="small")
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(alpha=0.3, axis="y")
    if title:
        ax.set_title(title)
    return ax


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
    ax.set_yscale("symlog", linthresh=linthresh)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------
# Lesson 09 (Keras on MNIST): training histories, digit grids, confusion matrices, run tables.


def history_curves(history, *, axes=None, title: str | None = None):
    """Loss and accuracy per epoch, training and validation, in two panels side by side.

    history : a Keras `History` (what `model.fit` returns) or its `.history` dict,
        {"loss": [E numbers], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]};
        the validation curves are drawn where present. Epochs are numbered from 1.
    Returns the two axes.
    """
    logs = getattr(history, "history", history)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, key in zip(axes, ("loss", "accuracy")):
        for prefix, label, style in (("", "training", "-"), ("val_", "validation", "--")):
            values = logs.get(prefix + key)
            if values is not None and len(values):
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, np.asarray(values, dtype=float), style, marker="o", ms=4, lw=2, label=label)
        ax.set(xlabel="epoch", ylabel=key)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        axes[0].figure.suptitle(title)
    return axes


def digit_grid(images, labels=None, predictions=None, *, ncols: int = 10, title: str | None = None, size: float = 1.05):
    """Small images in a grid, each titled with its label (and the predicted label, in red
    where it differs).

    images : (N, 28, 28) or (N, 784) pixel values (any scale; drawn dark on light);
    labels, predictions : optional (N,) integers. Returns the figure.
    """
    images = np.asarray(images, dtype=float)
    n = len(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        images = images.reshape(n, side, side)
    ncols = max(1, min(ncols, n))
    nrows = max(1, int(np.ceil(n / ncols)))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.25) * nrows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.axis("off")
            continue
        ax.imshow(images[k], cmap="gray_r")
        if labels is not None and predictions is not None:
            wrong = int(labels[k]) != int(predictions[k])
            ax.set_title(f"{int(labels[k])} → {int(predictions[k])}", fontsize="small",
                         color="#d62728" if wrong else "black")
        elif labels is not None:
            ax.set_title(str(int(labels[k])), fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, *, n_classes: int = 10, ax=None, title: str | None = None,
                     hide_diagonal: bool = False):
    """Draw the confusion matrix and return `(ax, counts)`.

    y_true, y_pred : (N,) integer labels in [0, n_classes). counts[i, j] is the number of
    samples of class i predicted as j, an (n_classes, n_classes) integer array; the
    diagonal holds the right answers. With `hide_diagonal` the colours show the mistakes only.
    """
    y_true = np.asarray(y_true, dtype=int).ravel()
    y_pred = np.asarray(y_pred, dtype=int).ravel()
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    shown = counts.astype(float)
    if hide_diagonal:
        np.fill_diagonal(shown, 0.0)
    ax = _axes(ax, figsize=(6.2, 5.4))
    image = ax.imshow(shown, cmap="Blues")
    limit = shown.max() if shown.max() > 0 else 1.0
    for i in range(n_classes):
        for j in range(n_classes):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize="small",
                    color="white" if shown[i, j] > 0.6 * limit else "black")
    ax.set(xticks=range(n_classes), yticks=range(n_classes), xlabel="predicted label", ylabel="true label")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title)
    return ax, counts


def run_comparison(runs, *, axes=None, title: str | None = None):
    """Validation loss and accuracy per epoch of several training runs, one line per run.

    runs : {label: history dict with "val_loss" and "val_accuracy" lists (or "loss"/"accuracy")}.
    Returns the two axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for k, (label, logs) in enumerate(runs.items()):
        logs = getattr(logs, "history", logs)
        color = _LESSON07_COLORS[k % len(_LESSON07_COLORS)]
        for ax, key in zip(axes, ("loss", "accuracy")):
            values = logs.get("val_" + key, logs.get(key))
            if values is not None:
                ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, lw=2, color=color, label=label)
    for ax, key in zip(axes, ("validation loss", "validation accuracy")):
        ax.set(xlabel="epoch", ylabel=key)
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize="small")
    if title:
        axes[0].figure.suptitle(title)
    return axes
