"""Lesson 10 (debugging training): the diagnostics of a `dlcourse.debugging.TrainingReport`:
its dashboard, gradient norms and histograms per layer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._layout import FixedMarginsFigure
from .common import _axes, loss_curves, log_scale
from .training import update_ratios


def _layer_colors(n: int):
    cmap = plt.get_cmap("viridis")
    return [cmap(0.1 + 0.8 * i / max(1, n - 1)) for i in range(n)]


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
        log_scale(ax, "y")
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
    fig, axes = plt.subplots(2, 3, figsize=(14, 6.6), FigureClass=FixedMarginsFigure)
    classes = int(getattr(report, "classes", 0) or 3)
    loss_curves(report, ax=axes[0, 0], chance=float(np.log(classes)), title="loss per step")
    acc = np.asarray(report.accuracy, dtype=float)
    axes[0, 1].plot(np.arange(1, acc.size + 1), acc, marker=".", lw=1)
    axes[0, 1].axhline(1 / classes, color="0.4", ls="--", lw=1, label=f"chance: 1/{classes}")
    axes[0, 1].set(xlabel="epoch", ylabel="training accuracy", ylim=(0, 1.02), title="accuracy per epoch")
    axes[0, 1].grid(alpha=0.3)
    axes[0, 1].legend(fontsize="small", frameon=False)
    update_ratios(report, ax=axes[0, 2], title="update / weight ratio")
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
    log_scale(ax, "y")
    ax.set_xticks(xs, [f"{k}\ndead {d:.0%}\n→ {e:.0%}" for k, d, e in zip(names, dead, dead_last)], fontsize="x-small")
    ax.set(title="activation std per layer, first step\n(dead units: first step → last step)", ylabel="std (log)")
    ax.grid(alpha=0.3, axis="y")
    if title:
        fig.suptitle(title)
    # fixed margins: tight_layout would render the figure once more just to measure it, and so would a notebook's
    # trim (bbox_inches="tight"), which a FixedMarginsFigure skips
    fig.subplots_adjust(left=0.07, right=0.975, bottom=0.1, top=0.88 if title else 0.94, wspace=0.25, hspace=0.5)
    return fig


def gradient_footprint_bars(moved, sample: int = 0, *, ax=None, title: str | None = None):
    """Bars of `debugging.gradient_footprint`: how far each sample's input gradient moved when the
    input of `sample` was nudged (relative to the largest move). Returns the axes."""
    ax = _axes(ax, figsize=(4.6, 2.6))
    moved = np.asarray(moved, dtype=float)
    colors = ["#d95f02" if j == sample else "#7570b3" for j in range(moved.size)]
    ax.bar(np.arange(moved.size), moved, color=colors)
    ax.set(xlabel="sample of the batch", ylabel="its gradient moved", ylim=(0, 1.05),
           xticks=np.arange(moved.size))
    ax.set_title(title or f"nudge sample {sample}: whose gradient moves?", fontsize="small")
    ax.grid(alpha=0.3, axis="y")
    return ax
