"""Checks for lesson 03 (the dating regression): diagnoses shared by its test cells.

The test cells of `03_dating_regression` state the inputs and the values a student can check
by hand; these helpers do what several of them share:

- `call` runs a student's function and turns an exception into a message that says what to
  change (a stub not written yet, a matrix product with the shapes the wrong way round ...);
- `check_unchanged` says whether an input array was left as it was (to rounding);
- `*_mistakes` functions give the exact values of plausible wrong answers, so that a message
  names a mistake only where it is the one;
- `check_mse_divisor`, `check_cache`, `check_backward_order`, `check_descent`: the longer
  diagnoses of `mse_loss`, `linear_forward`, `linear_backward` and `gradient_descent`;
- `finish_first`: a context manager for demo cells that need a finished exercise.

Every failure raises `CheckFailed` (an `AssertionError`).
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any, Callable

import numpy as np

from . import _fail, check, check_that

__all__ = ["call", "check_unchanged", "check_cache", "linear_forward_mistakes", "mse_mistakes",
           "check_mse_divisor", "backward_mistakes", "check_backward_order", "numerical_gradient_mistakes",
           "standardize_mistakes", "check_standardize_shapes", "descent_reference", "descent_mistakes",
           "check_descent", "finish_first"]


# ------------------------------------------------------------------------------ calling student code
def _shapes(args: tuple) -> str:
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"an array of shape {a.shape}")
        elif callable(a):
            parts.append("a function")
        elif isinstance(a, tuple):
            parts.append("a tuple (" + ", ".join(f"shape {np.shape(v)}" for v in a) + ")")
        else:
            parts.append(repr(a))
    return ", ".join(parts)


def call(func: Callable, *args: Any, name: str, hints: dict[str, str] | None = None, **kwargs: Any) -> Any:
    """Call a student's function and return what it returned; an exception becomes a `CheckFailed`
    saying what was called with which shapes, what went wrong, and what to try.

    hints : {text: hint}; the first text found in the exception's type name or message picks
        the hint (e.g. {"matmul": "samples are rows: X @ W ..."}).
    """
    __tracebackhide__ = True
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        _fail(f"{name} is not written yet: it still raises NotImplementedError.",
              "replace the line `raise NotImplementedError()` in the exercise cell by your code, run that "
              "cell, then run this test again.")
    except Exception as error:  # noqa: BLE001 - every error becomes a message
        text = f"{type(error).__name__}: {error}"
        hint = None
        for key, value in (hints or {}).items():
            if key in text:
                hint = value
                break
        if hint is None and isinstance(error, NameError):
            hint = ("your function uses a name it does not define itself (a variable of the notebook?). "
                    "Work only with the function's arguments.")
        _fail(f"{name} raised {text}\n  (called with {_shapes(args)})",
              hint or "read the error above: which line fails, and what are the shapes of the arrays there?")


def check_unchanged(before: np.ndarray, after: Any, name: str, what: str = "its input") -> None:
    """Fail if the array `after` differs from the copy `before` taken before a call (beyond rounding)."""
    __tracebackhide__ = True
    after = np.asarray(after)
    same = after.shape == before.shape and np.allclose(after, before, rtol=1e-12, atol=1e-15)
    check_that(same, f"{name} changed {what} in place: it must leave it as it was.",
               "work on a copy (`x = x.copy()`), or put every entry you change back to its old value "
               "(`old = x[i]; ...; x[i] = old`).")


@contextlib.contextmanager
def finish_first(what: str):
    """For a demo cell that needs a finished exercise: a stub's NotImplementedError becomes one line
    saying which exercise to finish; every other error is shown as usual.

        with finish_first("Exercise 5 (gradient_descent)"):
            ...
    """
    try:
        yield
    except NotImplementedError:
        print(f"This cell needs {what}: finish it, run its cell, then run this cell again.")


# ------------------------------------------------------------------------------ linear_forward
def linear_forward_mistakes(X: np.ndarray, W: np.ndarray, b: float) -> dict[str, np.ndarray]:
    """Wrong values of linear_forward(X, W, b) that have a name."""
    return {
        "the bias is missing: out = X @ W + b, with b added to every sample.": X @ W,
        "the bias has the wrong sign: out = X @ W + b.": X @ W - b,
        "the bias is added once per input (D times): add it once, after the sum over the inputs.": X @ W + X.shape[1] * b,
        "the bias went inside the product, (X + b) @ W: add it after the product, X @ W + b.": (X + b) @ W,
    }


def check_cache(cache: Any, X: np.ndarray, W: np.ndarray, b: float, name: str = "linear_forward") -> None:
    """The cache must be the tuple (X, W, b): linear_backward reads the inputs from it."""
    __tracebackhide__ = True
    check_that(isinstance(cache, tuple) and len(cache) == 3,
               f"the cache returned by {name} should be the tuple (X, W, b), but it is "
               + (f"a tuple of {len(cache)} items." if isinstance(cache, tuple) else f"a {type(cache).__name__}."),
               "return `out, (X, W, b)`: the backward pass needs the inputs of the forward pass.")
    names = ("X", "W", "b")
    for i, (got, want) in enumerate(zip(cache, (X, W, b))):
        ok = np.shape(got) == np.shape(want) and np.allclose(np.asarray(got, dtype=float), want)
        check_that(ok, f"item {i} of the cache should be {names[i]} (shape {np.shape(want)}), but it holds "
                       f"something of shape {np.shape(got)} or with other values.",
                   "return the cache in the order (X, W, b), the inputs exactly as they came in.")


# ------------------------------------------------------------------------------ mse_loss
def mse_mistakes(pred: np.ndarray, y: np.ndarray) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Wrong values of the loss and of dpred that have a name: ({text: loss}, {text: dpred})."""
    d = pred - y
    n = d.size
    loss = {
        "you added up the squared errors but did not divide by N: the loss is their MEAN.": float(np.sum(d**2)),
        "you computed half the mean (1/(2N) times the sum); this lesson's loss is the plain mean, "
        "without the 1/2.": float(np.mean(d**2) / 2),
        "you returned the root of the mean squared error; the loss is the mean itself (no square root).":
            float(np.sqrt(np.mean(d**2))),
        "you averaged the errors before squaring them: square each error first, then take the mean.":
            float(np.mean(d) ** 2),
    }
    dpred = {
        "dpred is missing the factor 2/N: the derivative of mean((pred - y)**2) with respect to pred_i "
        "is 2 (pred_i - y_i) / N.": d.copy(),
        "dpred is missing the 1/N: the loss is a mean, so each pred_i enters it with weight 1/N.": 2 * d,
        "dpred is missing the factor 2 (the derivative of a square u**2 is 2u).": d / n,
        "dpred has the wrong sign: the loss grows when pred moves away from y, so dpred = 2 (pred - y) / N.":
            -2 * d / n,
    }
    return loss, dpred


def check_mse_divisor(loss: Any, pred: np.ndarray, y: np.ndarray) -> None:
    """Name the mistake of dividing the summed squares by something other than len(pred)
    (for example the number of rows of a notebook variable X)."""
    __tracebackhide__ = True
    total = float(np.sum((pred - y) ** 2))
    try:
        value = float(np.asarray(loss, dtype=float))
    except (TypeError, ValueError):
        return
    if value > 0 and not np.isclose(value, total / pred.size):
        divisor = total / value
        n = pred.size
        if abs(divisor - round(divisor)) < 1e-6 and round(divisor) not in (1, n, 2 * n):  # 2N: the named 1/2
            hint = ("the mean divides by N itself, not N - 1." if round(divisor) == n - 1 else
                    "take N from the arguments (len(pred) or pred.size), not from a variable of the notebook "
                    "such as X.")
            _fail(f"mse_loss divided the sum of squared errors by {round(divisor)}, but pred has {n} entries.", hint)


# ------------------------------------------------------------------------------ linear_backward
def backward_mistakes(dout: np.ndarray, X: np.ndarray, W: np.ndarray) -> tuple[dict, dict, dict]:
    """Wrong values of (dX, dW, db) that have a name."""
    N = dout.size
    dX = {
        "dX uses X where it needs W: out = X @ W + b, so d out_n / d X_nd = W_d and dX = outer(dout, W).":
            dout[:, None] * X,
        "dX has the wrong sign: dX = outer(dout, W).": -np.outer(dout, W),
    }
    dW = {
        "dW is averaged over the samples (divided by N): the 1/N is already inside dout, so add the "
        "samples up: dW = X.T @ dout.": X.T @ dout / N,
        "dW has the wrong sign: dW = X.T @ dout.": -(X.T @ dout),
        "dW uses W where it needs X: out = X @ W + b, so d out_n / d W_d = X_nd and dW = X.T @ dout.":
            W * np.sum(dout),
    }
    db = {
        "db is averaged over the samples: the 1/N is already inside dout, so add them up: db = sum(dout).":
            float(np.mean(dout)),
        "db has the wrong sign: db = sum(dout).": -float(np.sum(dout)),
    }
    return dX, dW, db


def check_backward_order(grads: Any, dout: np.ndarray, X: np.ndarray) -> None:
    """The result must be (dX, dW, db) in this order, db a single number."""
    __tracebackhide__ = True
    check_that(isinstance(grads, (tuple, list)) and len(grads) == 3,
               "linear_backward should return three things, (dX, dW, db), but it returned "
               + (f"{len(grads)}." if isinstance(grads, (tuple, list)) else f"a {type(grads).__name__}."),
               "return dX, dW, db  (dX like X, dW like W, db a number).")
    shapes = [np.shape(g) for g in grads]
    want = [X.shape, (X.shape[1],), ()]
    if shapes[0] == X.shape[::-1] and X.shape[0] != X.shape[1]:
        _fail(f"dX has shape {shapes[0]}, the transpose of X's {X.shape}.",
              "a gradient has the shape of what it is the gradient of: dX = np.outer(dout, W), (N, D) like X.")
    if sorted(shapes, key=str) == sorted(want, key=str) and shapes != want:
        _fail(f"linear_backward returned shapes {shapes}: the right pieces in the wrong order.",
              "return them in the order (dX, dW, db).")
    check_that(np.shape(grads[2]) != dout.shape,
               f"db has one entry per sample (shape {np.shape(grads[2])}), but the bias is one number shared by "
               "all samples.",
               "each sample's gradient reaches the same b, so add them up: db = np.sum(dout).")


# ------------------------------------------------------------------------------ numerical_gradient
def numerical_gradient_mistakes(c: np.ndarray, x: np.ndarray, h: float) -> dict[str, np.ndarray]:
    """Wrong gradients of f(x) = sum(c * x**3) that have a name (the exact value of each formula)."""
    centred = c * (3 * x**2 + h**2)
    mistakes = {
        "you used forward differences (f(x + h) - f(x)) / h; use centred ones, (f(x + h) - f(x - h)) / (2h): "
        "their error shrinks like h**2 instead of h.": c * (3 * x**2 + 3 * x * h + h**2),
        "you used backward differences (f(x) - f(x - h)) / h; use centred ones, (f(x + h) - f(x - h)) / (2h).":
            c * (3 * x**2 - 3 * x * h + h**2),
        "you divided by h instead of 2h: the two points x + h and x - h are 2h apart.": 2 * centred,
        "the sign is flipped: (f(x + h) - f(x - h)) / (2h), the value at x + h first.": -centred,
    }
    mistakes["every entry is 0: f gave the same value at x + h and at x - h. Did both points end up as one "
             "array (xp = x and xm = x are the same array, not copies)? Use x.copy(), or move the entry up, "
             "evaluate, move it down, evaluate, then restore it."] = np.zeros_like(centred)
    if x.ndim == 2:
        rows = np.repeat(np.sum(c * 3 * x**2, axis=1, keepdims=True), x.shape[1], axis=1)
        mistakes["you moved a whole row at once: on a 2-D array x[i] is a row. Perturb one entry at a time, "
                 "e.g. `for index in np.ndindex(x.shape):`."] = rows
    return mistakes


# ------------------------------------------------------------------------------ standardize
def standardize_mistakes(X: np.ndarray) -> dict[str, np.ndarray]:
    """Wrong standardized arrays that have a name."""
    mean, std = X.mean(axis=0), X.std(axis=0)
    return {
        "you divided by the sample standard deviation (ddof=1); use np.std's default, ddof=0.":
            (X - mean) / X.std(axis=0, ddof=1),
        "you divided by the variance; divide by the standard deviation, its square root.": (X - mean) / std**2,
        "you did not subtract the mean: each column must be centred on 0 before it is scaled.": X / std,
        "you subtracted the mean but did not divide by the standard deviation.": X - mean,
        "you used one mean and one standard deviation for the whole array; each column (feature) needs its own: "
        "axis=0.": (X - X.mean()) / X.std(),
        "you scaled each column to [0, 1] (min-max scaling); standardizing uses the mean and standard deviation.":
            (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0)),
    }


def check_standardize_shapes(result: Any, X: np.ndarray) -> None:
    """(X_standardized, mean, std) with the shapes (N, D), (D,), (D,)."""
    __tracebackhide__ = True
    check_that(isinstance(result, (tuple, list)) and len(result) == 3,
               "standardize should return three things, (X_standardized, mean, std), but it returned "
               + (f"{len(result)}." if isinstance(result, (tuple, list)) else f"a {type(result).__name__}."),
               "return X_standardized, mean, std: the mean and std are needed to bring the weights back to "
               "the original units.")
    N, D = X.shape
    for i, label in ((1, "mean"), (2, "std")):
        shape = np.shape(result[i])
        if shape == ():
            _fail(f"the {label} is a single number, but each of the {D} columns needs its own.",
                  f"take it over the samples, one per column: X.{label}(axis=0), shape ({D},).")
        if shape in ((N,), (N, 1)):
            _fail(f"the {label} has shape {shape}: one per sample (row). Each feature (column) needs one.",
                  f"use axis=0 (down the rows): X.{label}(axis=0) has shape ({D},).")
        if shape == (1, D):
            _fail(f"the {label} has shape (1, {D}); return it as shape ({D},).", "drop keepdims=True, or .ravel() it.")


# ------------------------------------------------------------------------------ gradient_descent
def descent_reference(X, y, learning_rate, iterations, *, loss_after=False, ascend=False, skip_b=False,
                      extra_loss=False, W0=None):
    """Gradient descent with one deliberate variation (for the exact values of wrong answers).

    loss_after : record the loss after each step instead of before it;
    ascend : W += ... (up the slope); skip_b : never update b; extra_loss : also record the loss
    after the last step (iterations + 1 losses); W0 : another start than zeros.
    Returns (W, b, losses as an array).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W = np.zeros(X.shape[1]) if W0 is None else np.array(W0, dtype=float)
    b = 0.0
    sign = 1.0 if ascend else -1.0
    losses = []

    def loss_and_grads(W, b):
        d = X @ W + b - y
        return float(np.mean(d**2)), X.T @ (2 * d / d.size), float(np.sum(2 * d / d.size))

    with np.errstate(all="ignore"):
        for _ in range(int(iterations)):
            loss, dW, db = loss_and_grads(W, b)
            W = W + sign * learning_rate * dW
            if not skip_b:
                b = b + sign * learning_rate * db
            losses.append(loss_and_grads(W, b)[0] if loss_after else loss)
        if extra_loss:
            losses.append(loss_and_grads(W, b)[0])
    return W, b, np.array(losses)


def descent_mistakes(X, y, learning_rate, iterations) -> dict[str, tuple]:
    """Wrong results (W, b, losses) of gradient_descent that have a name."""
    return {
        "the losses are recorded after each step; record the loss of the parameters you take the step "
        "from (losses[0] is the loss at W = 0, b = 0).": descent_reference(X, y, learning_rate, iterations,
                                                                           loss_after=True),
        "the parameters moved UP the slope (+= learning_rate * gradient); descent subtracts: "
        "W = W - learning_rate * dW.": descent_reference(X, y, learning_rate, iterations, ascend=True),
        "b never changes: update it too, b = b - learning_rate * db.": descent_reference(X, y, learning_rate,
                                                                                         iterations, skip_b=True),
    }


def check_descent(result: Any, X: np.ndarray, y: np.ndarray, learning_rate: float, iterations: int,
                  name: str) -> None:
    """Check (W, b, losses) of gradient_descent against the reference, naming known mistakes."""
    __tracebackhide__ = True
    check_that(isinstance(result, (tuple, list)) and len(result) == 3,
               f"{name} should return three things, (W, b, losses), but it returned "
               + (f"{len(result)}." if isinstance(result, (tuple, list)) else f"a {type(result).__name__}."))
    W, b, losses = result
    try:
        losses = np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        _fail(f"the losses of {name} should be a list or 1-D array of numbers, one per iteration.")
    if losses.shape == (iterations + 1,):
        _fail(f"{name} returned {iterations + 1} losses for {iterations} iterations: one too many.",
              "record one loss per iteration, the loss before that iteration's step (not the loss after the "
              "last step as well).")
    check_that(losses.shape == (iterations,),
               f"the losses of {name} should hold one number per iteration, {iterations} in all, but they have "
               f"shape {losses.shape}.",
               "append the loss (a number) once inside the loop.")
    want = descent_reference(X, y, learning_rate, iterations)
    def close(a, w):
        try:
            a = np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            return False
        return a.shape == np.shape(w) and bool(np.allclose(a, w, rtol=1e-6, atol=1e-9))

    for text, wrong in descent_mistakes(X, y, learning_rate, iterations).items():
        if all(close(a, w) for a, w in zip((W, b, losses), wrong)):
            _fail(f"{name} is wrong: {text}")
    hint = ("start from W = np.zeros(D) and b = 0, and in every iteration: forward pass, loss, backward pass, "
            "record the loss, then step. If the values are off, check that Exercises 1-3 pass their tests.")
    check(W, want[0], f"W of {name}", hint=hint)
    check(b, want[1], f"b of {name}", hint=hint)
    check(losses, want[2], f"the losses of {name}", hint=hint)
