"""Lesson 09 (Keras on MNIST): training histories, digit grids, confusion matrices, runs side by side."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .common import LINE_COLORS, _axes


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


def run_comparison(runs, *, axes=None, title: str | None = None, gap: bool = False):
    """Several training runs side by side, one colour per run.

    runs : {label: history dict (or Keras `History`) with "val_loss" and "val_accuracy" lists (or
        "loss"/"accuracy")}. By default: validation loss and validation accuracy per epoch.
        With `gap=True` (the histories need "accuracy" and "val_accuracy"): training (dashed) and
        validation (solid) accuracy per epoch, and the gap between them (training minus
        validation accuracy, in percentage points), which opens as a run over-fits.
    Returns the two axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for k, (label, logs) in enumerate(runs.items()):
        logs = getattr(logs, "history", logs)
        color = LINE_COLORS[k % len(LINE_COLORS)]
        if gap:
            train = np.asarray(logs["accuracy"], dtype=float)
            val = np.asarray(logs["val_accuracy"], dtype=float)
            epochs = np.arange(1, len(val) + 1)
            axes[0].plot(epochs, train, "--", lw=1.5, color=color)
            axes[0].plot(epochs, val, marker="o", ms=3, lw=2, color=color, label=label)
            axes[1].plot(epochs, 100 * (train - val), marker="o", ms=3, lw=2, color=color, label=label)
            continue
        for ax, key in zip(axes, ("loss", "accuracy")):
            values = logs.get("val_" + key, logs.get(key))
            if values is not None:
                ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, lw=2, color=color, label=label)
    labels = (("accuracy (dashed: training, solid: validation)", "gap: training - validation accuracy (points)")
              if gap else ("validation loss", "validation accuracy"))
    for ax, key in zip(axes, labels):
        ax.set(xlabel="epoch", ylabel=key)
        ax.grid(alpha=0.3)
    if gap:
        axes[1].axhline(0.0, color="black", lw=0.8)
    axes[1].legend(fontsize="small")
    if title:
        axes[0].figure.suptitle(title)
    return axes
