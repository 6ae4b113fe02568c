"""Lesson 05 (backpropagation): gradient norms layer by layer, errors with their spread, a
regression net's curves along one input."""

from __future__ import annotations

import numpy as np

from .common import _axes, log_scale


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
    log_scale(ax, "y")
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
