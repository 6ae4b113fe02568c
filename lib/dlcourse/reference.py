"""Reference answers of the lessons' exercises that are neither network layers nor update rules.

The hidden tests import them from here (and from `dlcourse.layers`, `dlcourse.optim`,
`dlcourse.gradcheck`) instead of pasting a reference into every test cell. A lesson's graded
functions are always written by the student in the lesson; importing these instead earns
nothing (`dlcourse.checks.check_own`).
"""

from __future__ import annotations

import numpy as np

from .layers import sigmoid

__all__ = ["dense_forward", "bump", "approximate_with_bumps"]


def dense_forward(x, W, b, activation):
    """Lesson 02: activation(x @ W + b). x (N, D) or (D,); W (D, K); b (K,) -> (N, K) or (K,)."""
    return activation(np.asarray(x, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float))


def bump(x, left, right, height, steepness=1000.0):
    """Lesson 02: height * (sigmoid(s (x - left)) - sigmoid(s (x - right))), shape of x."""
    x = np.asarray(x, dtype=float)
    return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))


def approximate_with_bumps(f, x, n_bumps):
    """Lesson 02: n_bumps equal pieces of [min x, max x], one bump of height f(midpoint) each, summed.

    x : (N,) -> (N,) floats.
    """
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    return sum(bump(x, a, b, f((a + b) / 2)) for a, b in zip(edges[:-1], edges[1:]))
