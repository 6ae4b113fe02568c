"""Lessons 01 and 02 (a sigmoid node, hidden layers and XOR): a node drawn with its numbers,
truth tables, a target curve and its sum-of-bumps approximation."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle

from .._math import logistic
from .common import CLASS_COLORS, _axes


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
