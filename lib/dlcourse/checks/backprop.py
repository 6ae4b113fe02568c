"""Diagnoses for the visible tests of lesson 05 (backpropagation).

- `call` runs a student's function and turns an unexpected exception into a message that
  says which call failed and what to look at, instead of a bare traceback;
- `unpack` checks that a result is a tuple of the expected length (``(out, cache)``,
  ``(dx, dW, db)``, ``(loss, grads)``, ``(params, losses)``) and returns its items;
- `check_unchanged` fails with a message of the lesson's own when an argument was changed in
  place (the seed's `relu_backward` wrote into `dout`);
- `*_mistakes` functions compute, for given inputs, what a known mistake returns, keyed by
  the sentence that tells the student what went wrong; the test cells pass them to
  `check(..., mistakes=...)`, which names a mistake only when the value is exactly that one;
- `check_affine_grad_shapes`, `check_grads_dict` and `check_xor_params` say what is wrong with
  the shapes or keys of gradients and parameters before any value is compared.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from . import _describe, _fail, attempt
from ..layers import sigmoid, softmax, softmax_cross_entropy

__all__ = ["call", "unpack", "check_unchanged", "relative_error_mistakes", "affine_forward_mistakes",
           "affine_backward_mistakes", "check_affine_grad_shapes", "relu_backward_mistakes",
           "sigmoid_backward_mistakes", "check_grads_dict", "two_layer_net_mistakes", "check_xor_params",
           "xor_accuracy", "binary_cross_entropy_of", "check_gradient"]

_HINTS = {
    ValueError: "two arrays do not fit together: print the shapes of what you combine (x.shape, W.shape, "
                "dout.shape). Samples are rows: x is (N, D), W is (D, M), dout is (N, M).",
    IndexError: "an index is out of range: check which axis holds the samples (rows) and which the units "
                "or classes (columns).",
    TypeError: "a function got an argument of a type it does not take: unpack the cache the way your forward "
               "function packed it, and use NumPy functions on whole arrays.",
    KeyError: "a dictionary has no such key: params and grads use the keys 'W1', 'b1', 'W2', 'b2' ...",
}


def call(func: Callable, *args: Any, name: str, hint: str | None = None) -> Any:
    """Call `func(*args)`; a crash becomes a `CheckFailed` naming the call (`name`) and what to look
    at: `hint`, or this lesson's advice for the kind of error (`dlcourse.checks.attempt`)."""
    __tracebackhide__ = True
    return attempt(func, *args, name=name, hint=hint, hints=None if hint else _HINTS)


def unpack(result: Any, name: str, parts: tuple[str, ...]) -> tuple:
    """Check that `result` is a tuple (or list) with one item per name in `parts`; return it."""
    __tracebackhide__ = True
    wanted = f"({', '.join(parts)})"
    if result is None:
        _fail(f"{name} returned None. Did you forget the `return` statement?", f"end it with `return {wanted[1:-1]}`.")
    if not isinstance(result, (tuple, list)) or len(result) != len(parts):
        length = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        _fail(f"{name} should return a tuple {wanted}, but it returned {_describe(result)}{length}.",
              f"end it with `return {wanted[1:-1]}`.")
    return tuple(result)


def check_unchanged(before: Any, after: Any, message: str, hint: str | None = None) -> None:
    """Fail with `message` if the array `after` differs from its copy `before` (changed in place)."""
    __tracebackhide__ = True
    if isinstance(before, np.ndarray) and not np.array_equal(before, np.asarray(after), equal_nan=True):
        _fail(message, hint or "build a new array (e.g. `dout * mask`, `np.where(...)`, or start from "
                               "`dout.copy()`) instead of assigning into the one you were given.")


# ---------------------------------------------------------------------------------- relative error

def relative_error_mistakes(a, b) -> dict[str, float]:
    """Wrong values of relative_error(a, b), keyed by what went wrong."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = np.abs(a - b)
    s = np.abs(a) + np.abs(b)
    floor = np.maximum(s, 1e-8)
    with np.errstate(all="ignore"):
        return {
            "you divided the largest difference by the largest |a| + |b|. Divide entry by entry first, "
            "then take the largest ratio: np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)).":
                float(d.max() / max(s.max(), 1e-8)),
            "you averaged the ratios; the relative error is the LARGEST one (np.max), so that one bad "
            "entry is not hidden by many good ones.": float(np.mean(d / floor)),
            "you summed the ratios; take the largest one (np.max).": float(np.sum(d / floor)),
            "the denominator lacks abs(): use np.abs(a) + np.abs(b), not a + b (entries can be negative).":
                float(np.max(d / np.maximum(a + b, 1e-8))),
            "the numerator lacks abs(): use np.abs(a - b); a - b is negative where b is larger.":
                float(np.max((a - b) / floor)),
            "you divided by max(|a|, |b|); the formula divides by |a| + |b|.":
                float(np.max(d / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8))),
            "you added 1e-8 to the denominator; the formula takes the LARGER of |a| + |b| and 1e-8 "
            "(np.maximum(np.abs(a) + np.abs(b), 1e-8)).": float(np.max(d / (s + 1e-8))),
        }


# ---------------------------------------------------------------------------------- affine

def affine_forward_mistakes(x, W, b) -> dict[str, np.ndarray]:
    """Wrong values of affine_forward(x, W, b)[0] for x of shape (N, D)."""
    x = np.asarray(x, dtype=float)
    return {
        "the bias is missing: out = x @ W + b.": x @ W,
        "the bias is subtracted: out = x @ W + b.": x @ W - b,
    }


def affine_backward_mistakes(dout, x, W) -> dict[str, dict[str, np.ndarray]]:
    """Wrong values of (dx, dW, db) of affine_backward for x of shape (N, D), keyed by part."""
    dout = np.asarray(dout, dtype=float)
    x2 = np.asarray(x, dtype=float).reshape(len(x), -1)
    N = dout.shape[0]
    return {
        "dx": {"dx is dout @ W.T / N: the affine layer has no 1/N (the loss already averaged).": dout @ W.T / N},
        "dW": {"dW is x.T @ dout / N: the affine layer has no 1/N (the loss already averaged).": x2.T @ dout / N},
        "db": {"db is the MEAN of dout over the samples; the bias feeds every sample, so its gradients ADD up: "
               "np.sum(dout, axis=0).": dout.mean(axis=0)},
    }


def check_affine_grad_shapes(dx, dW, db, x, W, dout) -> None:
    """Say what is wrong with the shapes of affine_backward's (dx, dW, db), before values."""
    __tracebackhide__ = True
    x = np.asarray(x)
    N, D, M = x.shape[0], W.shape[0], W.shape[1]
    for value, label in ((dx, "dx"), (dW, "dW"), (db, "db")):
        if not isinstance(value, np.ndarray):
            extra = " (db = np.sum(dout) adds over everything; sum over the samples only: axis=0)" \
                if label == "db" else ""
            _fail(f"{label} of affine_backward should be a NumPy array, but it is {_describe(value)}{extra}.")
    if dx.shape != x.shape:
        if dx.shape == (N, D) and x.ndim > 2:
            _fail(f"dx has shape {dx.shape}, but x had shape {x.shape}: give dx the shape of x.",
                  "the gradient of every input has the input's shape: reshape back with dx.reshape(x.shape) "
                  "(keep the original x, or its shape, in the cache).")
        if dx.shape == (D, N) or dx.shape == (M, D):
            _fail(f"dx has shape {dx.shape}, but it should have the shape of x, {x.shape}: a transpose is off.",
                  "out = x @ W gives dx = dout @ W.T: (N, M) @ (M, D) = (N, D).")
        _fail(f"dx has shape {dx.shape}, but it should have the shape of x, {x.shape}.",
              "dx = dout @ W.T has shape (N, D); reshape it to x.shape.")
    if dW.shape != W.shape:
        if dW.shape == (M, D):
            _fail(f"dW has shape {dW.shape}, the transpose of W's {W.shape}.",
                  "dW = x_flat.T @ dout: (D, N) @ (N, M) = (D, M), the shape of W.")
        if x.ndim > 2 and dW.shape != (D, M):
            _fail(f"dW has shape {dW.shape}, but W has shape {W.shape}: x was not flattened.",
                  "use the flattened x: x.reshape(x.shape[0], -1).T @ dout.")
        _fail(f"dW has shape {dW.shape}, but it should have the shape of W, {W.shape}.",
              "dW = x_flat.T @ dout: (D, N) @ (N, M) = (D, M).")
    if db.shape != (M,):
        if db.shape == (N,) and N != M:
            _fail(f"db has shape {db.shape}: you summed over axis 1 (the units) instead of axis 0 (the samples).",
                  "the bias is shared by all samples, so its gradient sums dout over the samples: np.sum(dout, axis=0).")
        if db.shape in ((1, M), (M, 1)):
            _fail(f"db has shape {db.shape}; b has shape {(M,)}.", "use np.sum(dout, axis=0) without keepdims.")
        _fail(f"db has shape {db.shape}, but it should have the shape of b, {(M,)}.",
              "np.sum(dout, axis=0): one number per output unit.")


# ---------------------------------------------------------------------------------- relu, sigmoid

def relu_backward_mistakes(dout, x) -> dict[str, np.ndarray]:
    """Wrong values of relu_backward(dout, cache) for inputs x, keyed by what went wrong."""
    dout = np.asarray(dout, dtype=float)
    x = np.asarray(x, dtype=float)
    return {
        "the mask comes from dout (dout > 0); it must come from the forward input: the gradient passes "
        "where x > 0, whatever the sign of dout.": dout * (dout > 0),
        "the gradient passes at x = 0 too (x >= 0, or only x < 0 set to zero, as in the seed). "
        "This lesson takes the slope of ReLU at 0 as 0: keep dout only where x > 0.": dout * (x >= 0),
        "you returned the mask (x > 0) itself; multiply it by dout (chain rule: upstream times local).":
            (x > 0).astype(float),
        "you multiplied dout by x (or by relu(x)); the local gradient of ReLU is 1 where x > 0 and 0 elsewhere, "
        "not x.": dout * np.maximum(x, 0),
        "you returned dout unchanged: zero it where x <= 0.": dout.copy(),
        "the mask is flipped: the gradient passes where x > 0 and is 0 where x <= 0.": dout * (x <= 0),
    }


def sigmoid_backward_mistakes(dout, x) -> dict[str, np.ndarray]:
    """Wrong values of sigmoid_backward(dout, cache) for inputs x, keyed by what went wrong."""
    dout = np.asarray(dout, dtype=float)
    x = np.asarray(x, dtype=float)
    s = sigmoid(x)
    return {
        "dout is missing: the backward pass returns dout * s * (1 - s) (upstream gradient times local).":
            s * (1 - s),
        "you applied the sigmoid twice: your cache already holds s = sigmoid(x), so use it directly.":
            dout * sigmoid(s) * (1 - sigmoid(s)),
        "you used x where s = sigmoid(x) belongs: the slope is s * (1 - s) with s the sigmoid's OUTPUT.":
            dout * x * (1 - x),
        "you computed dout * s * (1 + s); the slope is s * (1 - s).": dout * s * (1 + s),
        "you returned dout * s; the slope of the sigmoid is s * (1 - s).": dout * s,
        "the sign is flipped: the sigmoid rises, its slope s * (1 - s) is positive.": -dout * s * (1 - s),
    }


# ---------------------------------------------------------------------------------- two-layer net

def check_grads_dict(grads: Any, params: Mapping[str, np.ndarray], name: str) -> None:
    """Check that `grads` is a dict with the keys of `params` and arrays of their shapes."""
    __tracebackhide__ = True
    if not isinstance(grads, dict):
        _fail(f"the gradients returned by {name} should be a dict like params, but they are {_describe(grads)}.",
              "return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}.")
    missing = [k for k in params if k not in grads]
    if missing:
        _fail(f"the gradients of {name} lack the key(s) {missing}; they have {sorted(grads)}.",
              "use the keys of params: 'W1', 'b1', 'W2', 'b2'.")
    for key, value in params.items():
        g = grads[key]
        if not isinstance(g, np.ndarray):
            _fail(f"grads['{key}'] should be a NumPy array of shape {value.shape}, but it is {_describe(g)}.")
        if g.shape != value.shape:
            if g.shape == value.shape[::-1] and g.ndim == 2:
                _fail(f"grads['{key}'] has shape {g.shape}, the transpose of {key}'s {value.shape}.",
                      "for out = h @ W, dW = h.T @ dout: (H, N) @ (N, C) = (H, C), the shape of W.")
            _fail(f"grads['{key}'] has shape {g.shape}, but {key} has shape {value.shape}: every gradient has the "
                  "shape of its parameter.",
                  "biases: sum dout over the samples (axis=0).")


def _two_layer_parts(X, params, y):
    X = np.asarray(X, dtype=float)
    h = X @ params["W1"] + params["b1"]
    a = np.maximum(h, 0)
    scores = a @ params["W2"] + params["b2"]
    return X, h, a, scores


def two_layer_net_mistakes(X, params, y) -> tuple[dict[str, np.ndarray], dict[str, float], dict[str, dict]]:
    """Wrong values of two_layer_net: (scores mistakes, loss mistakes, {key: grads mistakes})."""
    X, h, a, scores = _two_layer_parts(X, params, y)
    N = X.shape[0]
    loss, dscores = softmax_cross_entropy(scores, y)
    no_relu = (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    score_mistakes = {
        "you returned the softmax probabilities; with y=None return the raw scores (logits, before the softmax).":
            softmax(scores),
        "the ReLU is missing: the hidden layer is relu(X @ W1 + b1).": no_relu,
        "you returned the hidden layer's output, not the scores of the second layer.": a,
    }
    probs = softmax(scores)
    loss_mistakes = {
        "you summed the losses of the samples; the loss is their MEAN (divide by N).": loss * N,
        "the minus sign is missing: the loss is -log(probability of the true class), a positive number.": -loss,
        "you averaged over every entry of the probabilities (N * C of them); average the N losses of the "
        "true classes only.": float(-np.mean(np.log(probs))),
    }

    def backward(dscores):
        dW2 = a.T @ dscores
        db2 = dscores.sum(axis=0)
        dh = (dscores @ params["W2"].T) * (h > 0)
        return {"W1": X.T @ dh, "b1": dh.sum(axis=0), "W2": dW2, "b2": db2}

    right = backward(dscores)
    no_n = backward(dscores * N)
    onehot = np.zeros_like(probs)
    onehot[np.arange(N), y] = 1
    no_minus_one = backward(probs / N)
    grad_mistakes = {
        key: {
            "the 1/N is missing: the loss is the mean over N samples, so dscores = (softmax - one_hot) / N.":
                no_n[key],
            "dscores lacks the -1 at the true class: dscores = (softmax(scores) - one_hot(y)) / N.":
                no_minus_one[key],
            "the sign is flipped: gradients point uphill; dscores = (softmax - one_hot) / N.": -right[key],
        }
        for key in right
    }
    return score_mistakes, loss_mistakes, grad_mistakes


# ---------------------------------------------------------------------------------- XOR

_XOR_SHAPES = {"W1": (2, 3), "b1": (3,), "W2": (3, 3), "b2": (3,), "W3": (3, 1), "b3": (1,)}


def check_xor_params(params: Any, losses: Any, name: str = "train_xor(seed=0)") -> None:
    """Check the format of train_xor's (params, losses): the 2-3-3-1 net's six arrays, a 1-D loss curve."""
    __tracebackhide__ = True
    if not isinstance(params, dict):
        _fail(f"the params returned by {name} should be a dict, but they are {_describe(params)}.",
              "return params, losses with params = {'W1': ..., 'b1': ..., 'W2': ..., 'b2': ..., 'W3': ..., 'b3': ...}.")
    missing = [k for k in _XOR_SHAPES if k not in params]
    if missing:
        _fail(f"the params of {name} lack the key(s) {missing}; they have {sorted(params)}.")
    for key, shape in _XOR_SHAPES.items():
        value = params[key]
        if not isinstance(value, np.ndarray) or value.shape != shape:
            got = value.shape if isinstance(value, np.ndarray) else _describe(value)
            extra = None
            if key.startswith("b") and isinstance(value, np.ndarray) and value.ndim == 2:
                extra = ("the bias gradient was not summed over the samples, so b grew a sample axis when you "
                         "updated it: db = np.sum(dz, axis=0).")
            _fail(f"params['{key}'] should be an array of shape {shape} (the 2-3-3-1 network), but it is {got}.",
                  extra)
        if not np.all(np.isfinite(value)):
            _fail(f"params['{key}'] contains nan or inf: the training blew up.",
                  "check the sign of the update and the learning rate (0.5).")
    curve = np.asarray(losses, dtype=float) if isinstance(losses, (list, tuple, np.ndarray)) else None
    if curve is None or curve.ndim != 1 or curve.size < 2:
        _fail(f"the losses returned by {name} should be a 1-D sequence with one loss per iteration, "
              f"but they are {_describe(losses)}.")
    if not np.all(np.isfinite(curve)):
        _fail(f"the losses of {name} contain nan or inf.",
              "clip the probabilities away from 0 and 1 before the log, e.g. np.clip(p, 1e-12, 1 - 1e-12).")


def xor_accuracy(params: Mapping[str, np.ndarray], X, y) -> float:
    """Fraction of points the 2-3-3-1 sigmoid net with `params` classifies right (output > 0.5 is class 1)."""
    from ..network import mlp_forward

    return float(np.mean((mlp_forward(X, params)[:, 0] > 0.5) == (np.asarray(y) == 1)))


def binary_cross_entropy_of(params: Mapping[str, np.ndarray], X, y) -> float:
    """Mean binary cross-entropy of the 2-3-3-1 sigmoid net with `params` on (X, y)."""
    from ..network import mlp_forward

    p = np.clip(mlp_forward(X, params)[:, 0], 1e-12, 1 - 1e-12)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


# ---------------------------------------------------------------------------------- numerical check

def check_gradient(analytic: Any, numeric: np.ndarray, name: str, hint: str | None = None,
                   tolerance: float = 1e-6) -> float:
    """Fail unless `analytic` agrees with the numerical gradient `numeric` (relative error below
    `tolerance`, computed with the course's reference `relative_error`). Returns the error."""
    __tracebackhide__ = True
    from ..gradcheck import relative_error

    if not isinstance(analytic, np.ndarray) or analytic.shape != numeric.shape:
        got = analytic.shape if isinstance(analytic, np.ndarray) else _describe(analytic)
        _fail(f"{name} should be an array of shape {numeric.shape}, but it is {got}.")
    if not np.all(np.isfinite(analytic)):
        _fail(f"{name} contains nan or inf.", hint)
    error = relative_error(analytic, numeric)
    if not error < tolerance:
        _fail(f"{name} disagrees with the numerical gradient: relative error {error:.2g} (it should be below "
              f"{tolerance:g}).\n  yours:     {np.array2string(analytic.ravel()[:6], precision=4)}"
              f"\n  numerical: {np.array2string(numeric.ravel()[:6], precision=4)}", hint)
    return error
