"""Lesson 07 (training deep networks): histograms of samples, per-layer statistics, optimizer
paths on a loss surface, update-to-weight ratios (lesson 10's dashboard draws them too), 2-D
point clouds."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .common import LINE_COLORS, _axes, log_scale


def histograms(samples, *, ax=None, bins: int = 60, title: str | None = None, xlabel: str = "value",
               density: bool = True):
    """Overlaid histograms, one per entry of `samples` ({label: array of any shape}),
    each labelled with its sample variance."""
    ax = _axes(ax, figsize=(6, 3.5))
    for i, (label, values) in enumerate(samples.items()):
        values = np.asarray(values, dtype=float).ravel()
        ax.hist(values, bins=bins, density=density, alpha=0.55, color=LINE_COLORS[i % 8],
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
        ax.plot(np.arange(1, values.size + 1), values, "o-", color=LINE_COLORS[i % 8], label=label)
    if logy:
        log_scale(ax, "y")
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
        color = LINE_COLORS[i % 8]
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


def update_ratios(ratios, *, ax=None, target: float = 1e-3, title: str | None = None):
    """Update-to-weight ratios ||learning_rate * dW|| / ||W|| per step on a log scale.

    ratios : {label: sequence of ratios, one per step}, e.g. one per weight layer, or a
        lesson-10 `TrainingReport` (its `report.update_ratios`, {"W1": (steps,), ...})
    A shaded band marks a factor 10 either side of `target` (the rule of thumb 1e-3). Steps
    where a ratio is 0, nan or inf leave a gap. Returns the axes.
    """
    ax = _axes(ax, figsize=(6, 3.5))
    ratios = getattr(ratios, "update_ratios", ratios)
    ax.axhspan(target / 10, target * 10, color="#1b9e77", alpha=0.12, label=f"{target:g} × / ÷ 10")
    ax.axhline(target, color="#1b9e77", lw=1, ls="--")
    moved = False
    for i, (label, values) in enumerate(ratios.items()):
        values = np.asarray(values, dtype=float)
        values = np.where(np.isfinite(values) & (values > 0), values, np.nan)
        moved = moved or not np.isnan(values).all()
        ax.plot(np.arange(values.size), values, color=LINE_COLORS[i % len(LINE_COLORS)], lw=1.5, label=label)
    if not moved:
        ax.text(0.5, 0.5, "no update moved any weight\n(ratio 0 or 0/0)", transform=ax.transAxes,
                ha="center", va="center", color="red")
    log_scale(ax, "y")
    ax.set(xlabel="step", ylabel="‖update‖ / ‖weights‖")
    ax.legend(fontsize="small", ncol=2 if len(ratios) > 3 else 1)
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
        ax.scatter(X[:, 0], X[:, 1], s=10, alpha=0.6, color=LINE_COLORS[i % 8])
        cov = np.cov(X.T, bias=True)
        cov = np.where(np.abs(cov) < 1e-9 * np.abs(cov).max(), 0.0, cov)  # print 0, not -6.5e-17
        ax.set_title(f"{title}\ncov = [[{cov[0, 0]:.3g}, {cov[0, 1]:.3g}], [{cov[1, 0]:.3g}, {cov[1, 1]:.3g}]]",
                     fontsize=10)
        ax.set(xlabel=labels[0], ylabel=labels[1], aspect="equal")
        ax.grid(alpha=0.3)
    return axes
