"""Lesson 08 (regularization): polynomial fits, error curves, the lambda search, early
stopping, weights, augmented digits, dropout, ensembles."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._layout import figures_off
from .common import _axes, log_scale

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
        log_scale(ax, "x")
    if logy:
        log_scale(ax, "y")
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
    log_scale(ax, "x")
    log_scale(ax, "y")
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
        log_scale(ax, "x")
    if logy:
        log_scale(ax, "y")
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

    While a class is graded with figures off (`_layout.figures_off`) the figure stays empty: one panel
    per image cost about 0.7 s for five rows, for a figure that is closed unseen.
    """
    originals = np.asarray(originals, dtype=float)
    variants = np.asarray(variants, dtype=float)
    R, C = variants.shape[:2]
    if figures_off():
        return plt.figure(figsize=(1.1 * (C + 1), 1.1 * R))
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
