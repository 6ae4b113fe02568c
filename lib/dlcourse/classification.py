"""Reference code of lesson 06 (classification) that is not a layer.

The hidden tests of lesson 06 compare the student's functions with these, and later lessons
may use them. The losses of that lesson (`binary_cross_entropy`, `softmax_cross_entropy`,
`hinge_loss`) live with the other layers in `dlcourse.layers`.

Conventions: samples in rows (`X` is `(N, D)`), integer labels `y` of shape `(N,)`,
probability distributions along the last axis.
"""

from __future__ import annotations

import numpy as np

from .layers import binary_cross_entropy, sigmoid

__all__ = ["one_hot", "entropy", "cross_entropy", "kl_divergence", "logistic_regression_fit",
           "logistic_regression_predict"]


def one_hot(y, num_classes):
    """One-hot rows of float 0.0 / 1.0.

    y : (N,) integer labels in [0, num_classes);  num_classes : int
    Returns a float array (N, num_classes) with a single 1.0 per row, in column y[n].
    """
    y = np.asarray(y).astype(int)
    out = np.zeros((y.shape[0], int(num_classes)))
    out[np.arange(y.shape[0]), y] = 1.0
    return out


def _xlogy(p, q):
    """p * log(q) with the convention 0 * log(anything) = 0 (elementwise, natural log)."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0)


def entropy(p, base=2):
    """Entropy -sum p log p over the last axis, with 0 log 0 = 0.

    p : (K,) or (..., K) probabilities, each distribution summing to 1
    Returns a number for p of shape (K,), an array of shape (...) otherwise.
    """
    return -np.sum(_xlogy(p, p), axis=-1) / np.log(base)


def cross_entropy(p, q, base=2):
    """Cross-entropy H(p, q) = -sum p log q over the last axis (0 log q counts 0).

    p, q : (K,) or (..., K) distributions of the same shape;  returns like `entropy`.
    """
    return -np.sum(_xlogy(p, q), axis=-1) / np.log(base)


def kl_divergence(p, q, base=2):
    """Kullback-Leibler divergence D(p || q) = sum p log(p / q) over the last axis.

    p, q : (K,) or (..., K) distributions of the same shape; terms with p = 0 count 0,
    q must be positive wherever p is. Returns a number for (K,), an array (...) otherwise.
    Equals cross_entropy(p, q) - entropy(p) and is never negative.
    """
    return np.sum(_xlogy(p, p) - _xlogy(p, q), axis=-1) / np.log(base)


def logistic_regression_fit(X, y, learning_rate, iterations):
    """Logistic regression trained by full-batch gradient descent on the mean cross-entropy.

    X : (N, D) inputs;  y : (N,) labels 0 or 1;  learning_rate : float;  iterations : int
    Starts from w = 0, b = 0. Each iteration records the mean binary cross-entropy of the
    current parameters, then steps w -= lr * X.T @ (a - y) / N and b -= lr * mean(a - y),
    with a = sigmoid(X @ w + b).
    Returns (w (D,), b a float, losses: a list of `iterations` floats, losses[0] = ln 2).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    losses = []
    for _ in range(int(iterations)):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        dz = (a - y) / n
        w = w - learning_rate * (X.T @ dz)
        b = b - learning_rate * float(np.sum(dz))
    return w, float(b), losses


def logistic_regression_predict(X, w, b):
    """Probability of class 1, sigmoid(X @ w + b), for X of shape (N, D): shape (N,)."""
    return sigmoid(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + float(b))
