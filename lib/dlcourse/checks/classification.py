"""Diagnoses for the visible tests of lesson 06 (classification).

Each `*_mistakes` function computes, for given inputs, the values that a known mistake
returns, keyed by the sentence that tells the student what went wrong; the test cells pass
them to `check(..., mistakes=...)`, which names a mistake only when the returned value is
exactly that mistake's value. `call` runs a student's function and turns an unexpected
exception into a message instead of a bare traceback; `loss_pair` unpacks a
`(loss, dscores)` result after checking its format.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import _fail, attempt
from ..layers import binary_cross_entropy, hinge_loss, sigmoid, softmax, softmax_cross_entropy

__all__ = ["call", "loss_pair", "bce_mistakes", "fit_variant", "entropy_mistakes", "kl_mistakes",
           "one_hot_mistakes", "softmax_ce_mistakes", "hinge_mistakes"]

_HINTS = {
    IndexError: "an index is out of range: check which axis holds the samples (rows) and which the classes "
                "(columns), and that labels index columns.",
    ValueError: "two arrays do not fit together: print the shapes of what you combine (e.g. X.shape, w.shape).",
    TypeError: "a function got an argument of a type it does not take: use NumPy functions (np.log, np.exp, "
               "np.sum ...) on whole arrays, not the math module.",
}


def call(func: Callable, *args: Any, name: str) -> Any:
    """Call `func(*args)`; a crash becomes a `CheckFailed` that says which call failed and what to
    look at (`dlcourse.checks.attempt` with this lesson's hints). Returns what `func` returned."""
    __tracebackhide__ = True
    return attempt(func, *args, name=name, hints=_HINTS)


def loss_pair(result: Any, name: str, shape: tuple) -> tuple[Any, Any]:
    """Check that `result` is a pair (loss, dscores) with dscores of `shape`; return both."""
    __tracebackhide__ = True
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        length = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        _fail(f"{name} should return a pair (loss, dscores), but it returned a {type(result).__name__}{length}.",
              "end the function with `return loss, dscores`.")
    loss, dscores = result
    if isinstance(loss, np.ndarray) and loss.shape == tuple(shape):
        _fail(f"{name} returned (dscores, loss) in the wrong order, or an array as the loss.",
              "return the loss (a number) first, then dscores.")
    if not isinstance(dscores, np.ndarray):
        _fail(f"dscores of {name} should be a NumPy array of shape {tuple(shape)}, but it is a {type(dscores).__name__}.")
    if dscores.shape != tuple(shape):
        _fail(f"dscores of {name} has shape {dscores.shape}; it must have the shape of scores, {tuple(shape)}.",
              "the gradient holds one number per score: same rows (samples) and columns (classes).")
    return loss, dscores


# ---------------------------------------------------------------------------------- binary

def bce_mistakes(y_hat, y) -> dict[str, float]:
    """Wrong values of binary_cross_entropy(y_hat, y) for probabilities strictly inside (0, 1)."""
    p = np.asarray(y_hat, dtype=float)
    t = np.asarray(y, dtype=float)
    right = binary_cross_entropy(p, t)
    n = p.size
    return {
        "the minus sign is missing: log of a probability is negative, so the loss "
        "-[y log y_hat + (1 - y) log(1 - y_hat)] is positive.": -right,
        "you summed over the samples; the loss is the MEAN over samples (divide by N, or use np.mean).": right * n,
        "you used log base 2 (or 10); cross-entropy for training uses the natural log, np.log.": right / np.log(2),
        "you used log base 10; cross-entropy for training uses the natural log, np.log.": right / np.log(10),
        "y and 1 - y are swapped: the term y * log(y_hat) rewards a high y_hat where the label is 1.":
            float(-np.mean((1 - t) * np.log(p) + t * np.log(1 - p))),
        "only the y = 1 term is there: add (1 - y) * log(1 - y_hat) for the samples with label 0.":
            float(-np.mean(t * np.log(p))),
        "the (1 - y) * log(1 - y_hat) term has the wrong sign: both terms are subtracted.":
            float(-np.mean(t * np.log(p) - (1 - t) * np.log(1 - p))),
    }


def fit_variant(X, y, learning_rate, iterations, *, bias=True, sign=1.0, mean=True, record="before"):
    """Logistic regression by gradient descent with one deliberate change, for diagnoses.

    bias=False keeps b at 0; sign=-1 climbs the loss; mean=False drops the 1/N of the gradient;
    record="after" stores the loss after each step instead of before it.
    Returns (w (D,), b float, losses list).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w, b, losses = np.zeros(d), 0.0, []
    scale = 1.0 / n if mean else 1.0
    with np.errstate(all="ignore"):
        for _ in range(int(iterations)):
            a = sigmoid(X @ w + b)
            if record == "before":
                losses.append(binary_cross_entropy(a, y))
            dz = (a - y) * scale
            w = w - sign * learning_rate * (X.T @ dz)
            if bias:
                b = b - sign * learning_rate * float(np.sum(dz))
            if record == "after":
                losses.append(binary_cross_entropy(sigmoid(X @ w + b), y))
    return w, float(b), losses


# ---------------------------------------------------------------------------------- information

def _plogq(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0)


def entropy_mistakes(p, base=2) -> dict[str, Any]:
    """Wrong values of entropy(p, base) (p without zeros, so that each mistake has one value)."""
    nats = -np.sum(_plogq(p, p), axis=-1)
    right = nats / np.log(base)
    return {
        "you used the natural log and ignored `base`: divide by np.log(base) (change of base), "
        "so that base=2 gives bits.": nats,
        "you multiplied by np.log(base) instead of dividing: log_b(x) = ln(x) / ln(b).": nats * np.log(base),
        "the minus sign is missing: -sum p log p is never negative, since log p <= 0.": -right,
        "you used log base 10 whatever `base` is: use np.log(p) / np.log(base).": nats / np.log(10),
        "you used np.log2 whatever `base` is: use np.log(p) / np.log(base).": nats / np.log(2),
    }


def kl_mistakes(p, q, base=2) -> dict[str, Any]:
    """Wrong values of kl_divergence(p, q, base) (p and q without zeros)."""
    lb = np.log(base)
    right = np.sum(_plogq(p, p) - _plogq(p, q), axis=-1) / lb
    return {
        "p and q are swapped: you computed D(q || p). The divergence weights log(p/q) by p, the first "
        "argument, and it is not symmetric.": np.sum(_plogq(q, q) - _plogq(q, p), axis=-1) / lb,
        "you used the natural log and ignored `base`: divide by np.log(base).": right * lb,
        "the sign is flipped: D(p || q) = sum p log(p / q), which is never negative.": -right,
        "you returned the cross-entropy H(p, q) = -sum p log q; subtract the entropy H(p).":
            -np.sum(_plogq(p, q), axis=-1) / lb,
    }


# ---------------------------------------------------------------------------------- many classes

def one_hot_mistakes(y, num_classes) -> dict[str, Any]:
    """Wrong (N, num_classes) values of one_hot(y, num_classes) from indexing mistakes."""
    y = np.asarray(y).astype(int)
    n = y.shape[0]
    rows = np.zeros((n, num_classes))
    rows[y[y < n]] = 1.0
    cols = np.zeros((n, num_classes))
    cols[:, y] = 1.0
    return {
        "out[y] = 1 sets whole ROWS number y[n] to 1. Set one entry per row: out[np.arange(N), y] = 1.": rows,
        "out[:, y] = 1 sets whole COLUMNS to 1 in every row. Set one entry per row: out[np.arange(N), y] = 1.": cols,
    }


def softmax_ce_mistakes(scores, y) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """({explanation: wrong loss}, {explanation: wrong dscores}) for softmax_cross_entropy."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(y).astype(int)
    n = s.shape[0]
    rows = np.arange(n)
    loss, dscores = softmax_cross_entropy(s, y)
    probs = softmax(s)
    onehot = np.zeros_like(s)
    onehot[rows, y] = 1.0
    col = np.exp(s - s.max(axis=0, keepdims=True))
    col /= col.sum(axis=0, keepdims=True)  # softmax over the wrong axis (samples)
    losses = {
        "you summed over the samples; the loss is the MEAN over the N samples.": loss * n,
        "the minus sign is missing: the loss is -log(probability of the true class), a positive number.": -loss,
        "you added -log p over EVERY class; the cross-entropy with a one-hot target keeps only the true "
        "class: -log p[n, y[n]].": float(-np.mean(np.sum(np.log(probs), axis=1))),
        "the softmax normalizes over the wrong axis: each ROW (one sample's scores) must sum to 1, "
        "so use axis=1 (or axis=-1) with keepdims=True.": float(-np.mean(np.log(col[rows, y]))),
        "you used log base 2 (or 10); use the natural log, np.log.": loss / np.log(2),
    }
    grads = {
        "dscores is missing the 1/N: the loss is a mean over N samples, so each row of the gradient "
        "is divided by N.": dscores * n,
        "dscores is missing the -1 at the true class: the gradient is (softmax - one_hot) / N, so subtract 1 "
        "at [n, y[n]].": probs / n,
        "dscores has the wrong sign: it is (softmax - one_hot) / N, not (one_hot - softmax) / N.": -dscores,
        "dscores is missing both the -1 at the true class and the 1/N: it is (softmax - one_hot) / N.": probs,
        "the softmax in dscores normalizes over the wrong axis: rows (samples) must sum to 1.": (col - onehot) / n,
    }
    return losses, grads


def hinge_mistakes(scores, y, margin=1.0) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """({explanation: wrong loss}, {explanation: wrong dscores}) for hinge_loss with margin 1."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(y).astype(int)
    n = s.shape[0]
    rows = np.arange(n)
    loss, dscores = hinge_loss(s, y, margin)
    true = s[rows, y][:, None]
    positive = (np.maximum(0.0, s - true + margin) > 0).astype(float)
    positive[rows, y] = 0.0
    no_margin = np.maximum(0.0, s - true)
    no_margin[rows, y] = 0.0
    flipped = np.maximum(0.0, true - s + margin)
    flipped[rows, y] = 0.0
    losses = {
        "the true class's own term is counted: for j = y its margin is max(0, s_y - s_y + 1) = 1, which "
        "adds 1 per sample. Skip j = y (e.g. set that margin to 0).": loss + margin,
        "you summed over the samples; the loss is the MEAN over the N samples.": loss * n,
        "the margin of 1 is missing: each term is max(0, s_j - s_y + 1).": float(no_margin.sum() / n),
        "the scores are subtracted the wrong way round: each term is max(0, s_j - s_y + 1), "
        "with s_y the TRUE class's score.": float(flipped.sum() / n),
    }
    grads = {
        "dscores is missing the -count at the true class: each violated margin also lowers s_y, so "
        "dscores[n, y[n]] = -(number of classes j with a positive margin) / N.": positive / n,
        "dscores is missing the 1/N: the loss is a mean over N samples.": dscores * n,
        "dscores has the wrong sign: raising a violating score s_j raises the loss (+1/N), raising the "
        "true score lowers it.": -dscores,
    }
    return losses, grads
