"""Lesson 04 (activation functions): a function beside its slope, saturation, dead units."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .common import CLASS_COLORS, _axes


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
