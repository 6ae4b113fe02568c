"""Checks of lesson 03 (the dating regression): one function per exercise, called by its test cell.

Each visible test cell of `03_dating_regression` is one call, ``check_<exercise>(globals())``: it
finds the student's function, makes sure it is their own (`check_own`, which also puts the
package's references of the lesson out of reach), runs the checks of the exercise and prints the ✔
line that says what was checked. Hidden tests call ``hidden_<exercise>(globals())``: other shapes,
random inputs against the reference; the two training exercises are graded with `best_of`, so a
mistake in an earlier exercise costs its points once.

`gradient_descent` and `minibatch_sgd` build on Exercises 1 to 3. When the visible test of one of
them fails only because an earlier function is wrong, the message names that function ("your
mse_loss is wrong: fix it first") instead of blaming the update.

The `*_mistakes` functions give the exact values of plausible wrong answers, so that a message names
a mistake only where it is the one. `ready` is for demo cells that need finished exercises. Student
code is called only through `attempt` and `check_no_mutation`.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any, Callable

import numpy as np

from . import CheckFailed, _fail, attempt, best_of, check, check_defined, check_no_mutation, check_own, check_that, passed

__all__ = ["check_linear_forward", "check_mse_loss", "check_linear_backward", "check_numerical_gradient",
           "check_gradient_descent", "check_standardize", "check_minibatch_sgd", "hidden_linear_forward",
           "hidden_mse_loss", "hidden_linear_backward", "hidden_numerical_gradient", "hidden_gradient_descent",
           "hidden_standardize", "hidden_minibatch_sgd", "linear_forward_mistakes", "mse_mistakes",
           "backward_mistakes", "numerical_gradient_mistakes", "standardize_mistakes", "descent_reference",
           "descent_mistakes", "check_descent", "sgd_reference", "sgd_mistakes", "ready"]

_EARLIER = ("linear_forward", "mse_loss", "linear_backward")
_EXERCISE = {"linear_forward": "Exercise 1", "mse_loss": "Exercise 2", "linear_backward": "Exercise 3",
             "numerical_gradient": "Exercise 4", "gradient_descent": "Exercise 5", "standardize": "Exercise 6",
             "minibatch_sgd": "Exercise 7"}


def _own(ns: dict, name: str) -> Callable:
    """The student's function `name` from the notebook's namespace, checked to be their own."""
    __tracebackhide__ = True
    check_defined(ns, name)
    check_own(ns[name], name)
    return ns[name]


def _floats(value: Any) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def ready(ns: dict, *names: str) -> None:
    """For demo cells: stop with one clear line while an exercise the cell uses is not written yet."""
    __tracebackhide__ = True
    X, W = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -1.0])
    tries = {"linear_forward": (X, W, 0.5), "mse_loss": (np.array([1.0, 2.0]), np.array([0.0, 1.0])),
             "linear_backward": (np.array([1.0, -1.0]), (X, W, 0.5)),
             "numerical_gradient": (lambda v: float(np.sum(v ** 2)), np.array([1.0])), "standardize": (X,),
             "gradient_descent": (X, np.array([1.0, 2.0]), 0.01, 1),
             "minibatch_sgd": (X, np.array([1.0, 2.0]), 0.01, 1, 1)}
    for name in names:
        exercise = _EXERCISE[name]
        check_that(name in ns, f"This cell uses your `{name}`: run the cell of {exercise} first.",
                   mistake=f"{name}:not-done")
        try:
            ns[name](*tries[name])
        except NotImplementedError:
            _fail(f"This cell uses your `{name}`, which is not written yet: finish {exercise}, then run this "
                  "cell again.", mistake=f"{name}:not-done")
        except CheckFailed:
            raise
        except Exception as error:  # noqa: BLE001 - the test of the exercise says more
            _fail(f"This cell uses your `{name}`, which raised {type(error).__name__}: {error}",
                  f"run the test of {exercise}: it says what to fix.", f"{name}:crash")


# ------------------------------------------------------------------------------ linear_forward
def linear_forward_mistakes(X: np.ndarray, W: np.ndarray, b: float) -> dict:
    """Wrong values of linear_forward(X, W, b) that have a name."""
    return {
        ("no-bias", "the bias is missing: b is added to every sample's prediction."): X @ W,
        ("bias-sign", "the bias has the wrong sign: it is added, not subtracted."): X @ W - b,
        ("bias-per-input", "the bias is added once per input (D times): it is added once per sample, after the "
                           "sum over the inputs."): X @ W + X.shape[1] * b,
        ("bias-inside", "the bias went inside the product, (X + b) @ W: it is added after the product."): (X + b) @ W,
    }


def _check_cache(cache: Any, X, W, b, name: str) -> None:
    __tracebackhide__ = True
    check_that(isinstance(cache, tuple) and len(cache) == 3,
               f"the cache returned by {name} should be the tuple (X, W, b), but it is "
               + (f"a tuple of {len(cache)} items." if isinstance(cache, tuple) else f"a {type(cache).__name__}."),
               "the backward pass needs the inputs of the forward pass: return them with the output.",
               "linear_forward:cache")
    for i, (got, want, label) in enumerate(zip(cache, (X, W, b), ("X", "W", "b"))):
        values = _floats(got)
        check_that(values is not None and values.shape == np.shape(want) and np.allclose(values, want),
                   f"item {i} of the cache of {name} should be {label} (shape {np.shape(want)}), but it holds "
                   f"something of shape {np.shape(got)} or with other values.",
                   "return the cache in the order (X, W, b), the inputs exactly as they came in.",
                   "linear_forward:cache")


def _forward_case(f: Callable, X, W, b, label: str, mistakes: bool = True) -> None:
    __tracebackhide__ = True
    name = f"linear_forward({label})"
    hints = {"matmul": "samples are rows: (N, D) times (D,) gives one number per sample; check the order of the "
                       "product.", "broadcast": "check the shapes: X is (N, D), W is (D,), b a number."}
    result = check_no_mutation(lambda *a: attempt(f, *a, name=name, hints=hints), X, W, b, name="linear_forward")
    check_that(isinstance(result, tuple) and len(result) == 2, f"{name} should return a tuple (out, cache).",
               "return the output and the cache together.", "linear_forward:type")
    out, cache = result
    N, D = X.shape
    if D > 1 and np.shape(out) == (N, D):
        _fail(f"{name} returned shape {(N, D)}, one number per input of each sample: you multiplied elementwise "
              "but did not add the products up.", "each prediction is a sum over the inputs.",
              "linear_forward:elementwise")
    if N != D and np.shape(out) == (D,):
        _fail(f"{name} returned shape ({D},): you summed over the samples (axis 0).",
              "each sample gets its own prediction: the sum runs over the inputs.", "linear_forward:sums-samples")
    check(out, X @ W + b, f"{name}: out", mistakes=linear_forward_mistakes(X, W, b) if mistakes else None)
    _check_cache(cache, X, W, b, name)


def check_linear_forward(ns: dict) -> None:
    """Exercise 1: values and shape for D = 2, 3 and 1, the cache, the worked example with integers, inputs untouched."""
    __tracebackhide__ = True
    f = _own(ns, "linear_forward")
    _forward_case(f, np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]]), np.array([0.5, -2.0]), 2.0, "X, W, 2.0")
    _forward_case(f, np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.5], [2.0, 2.0, 2.0], [0.0, -2.0, 1.0]]),
                  np.array([0.5, 1.0, -1.5]), -1.0, "X of shape (4, 3), W of shape (3,), -1.0")
    _forward_case(f, np.array([[2.0], [-1.0], [4.0]]), np.array([3.0]), 0.5, "X of shape (3, 1), W of shape (1,), 0.5")
    out = attempt(f, np.array([[12, 2000], [16, 4000], [10, 1000]]), np.array([0.5, 0.001]), 1.0,
                  name="linear_forward(X3 as integers, W3, b3)")
    check(out[0] if isinstance(out, tuple) else out, np.array([9.0, 13.0, 7.0]),
          "linear_forward for the worked example (X given as integers): the predictions")
    passed("linear_forward: values and shape (N,) for D = 2, 3 and 1, the cache (X, W, b), the worked example, "
           "inputs untouched")


def hidden_linear_forward(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "linear_forward")
    rng = np.random.default_rng(31)
    for n, d in [(5, 3), (1, 4), (7, 1), (2, 6)]:
        for b in [0.75, -2, np.float64(1.5)]:
            _forward_case(f, rng.normal(size=(n, d)), rng.normal(size=d), b, f"X of shape {(n, d)}", mistakes=False)
    Xi = rng.integers(0, 26, size=(6, 2))
    check(attempt(f, Xi, np.array([0.8, 0.003]), 2.0, name="linear_forward(integer X)")[0],
          Xi @ np.array([0.8, 0.003]) + 2.0, "linear_forward for integer X")
    Xl = rng.uniform(0, 1e4, size=(50, 2))
    check(attempt(f, Xl, np.array([0.8, 0.003]), 2.0, name="linear_forward(large X)")[0],
          Xl @ np.array([0.8, 0.003]) + 2.0, "linear_forward for large inputs")


# ------------------------------------------------------------------------------ mse_loss
def mse_mistakes(pred: np.ndarray, y: np.ndarray) -> tuple[dict, dict]:
    """Wrong values of the loss and of dpred that have a name: ({key: loss}, {key: dpred})."""
    d = pred - y
    n = d.size
    loss = {
        ("sum-not-mean", "you added up the squared errors but did not divide by N: the loss is their MEAN."):
            float(np.sum(d**2)),
        ("half-mean", "you computed half the mean (1/(2N) times the sum); this lesson's loss is the plain mean, "
                      "without the 1/2."): float(np.mean(d**2) / 2),
        ("root", "you returned the root of the mean squared error; the loss is the mean itself (no square root)."):
            float(np.sqrt(np.mean(d**2))),
        ("mean-then-square", "you averaged the errors before squaring them: each error is squared first."):
            float(np.mean(d) ** 2),
    }
    dpred = {
        ("dpred-missing-2-over-n", "dpred is missing the factor 2/N: differentiate mean((pred - y)**2) with "
                                   "respect to one pred_i."): d.copy(),
        ("dpred-missing-1-over-n", "dpred is missing the 1/N: the loss is a mean, so each pred_i enters it with "
                                   "weight 1/N."): 2 * d,
        ("dpred-missing-2", "dpred is missing the factor 2 (the derivative of a square u**2 is 2u)."): d / n,
        ("dpred-sign", "dpred has the wrong sign: the loss grows when pred moves away from y, so dpred points "
                       "from y towards pred."): -2 * d / n,
    }
    return loss, dpred


def _check_mse_divisor(loss: Any, pred: np.ndarray, y: np.ndarray) -> None:
    """Name the mistake of dividing the summed squares by something other than len(pred)."""
    __tracebackhide__ = True
    total = float(np.sum((pred - y) ** 2))
    value = _floats(loss)
    if value is None or value.ndim != 0:
        return
    value = float(value)
    n = pred.size
    if value > 0 and not np.isclose(value, total / n):
        divisor = total / value
        if abs(divisor - round(divisor)) < 1e-6 and round(divisor) not in (1, n, 2 * n):  # 2N: the named 1/2
            hint = ("the mean divides by N itself, not N - 1." if round(divisor) == n - 1 else
                    "take N from the arguments, not from a variable of the notebook such as X.")
            _fail(f"mse_loss divided the sum of squared errors by {round(divisor)}, but pred has {n} entries.", hint,
                  "mse_loss:wrong-n")


def _mse_case(f: Callable, pred, y, label: str, mistakes: bool = True) -> None:
    __tracebackhide__ = True
    name = f"mse_loss({label})"
    result = check_no_mutation(lambda *a: attempt(f, *a, name=name), pred, y, name="mse_loss")
    check_that(isinstance(result, tuple) and len(result) == 2, f"{name} should return a tuple (loss, dpred).",
               "return the loss and its gradient together.", "mse_loss:type")
    loss, dpred = result
    check_that(np.shape(loss) != np.shape(pred) or pred.size == 1,
               f"the loss of {name} has one entry per sample: you returned the squared errors themselves.",
               "the loss is ONE number, their mean.", "mse_loss:no-mean")
    _check_mse_divisor(loss, pred, y)
    loss_m, dpred_m = mse_mistakes(pred, y) if mistakes else ({}, {})
    check(loss, float(np.mean((pred - y) ** 2)), f"{name}: the loss", mistakes=loss_m)
    check(dpred, 2 * (pred - y) / pred.size, f"{name}: dpred", mistakes=dpred_m)


def check_mse_loss(ns: dict) -> None:
    """Exercise 2: the loss and dpred, the worked example, integers in, inputs untouched."""
    __tracebackhide__ = True
    f = _own(ns, "mse_loss")
    _mse_case(f, np.array([1.0, 2.5, -1.0, 4.0]), np.array([1.5, 2.0, 0.0, 1.0]),
              "pred, y) with errors -0.5, 0.5, -1, 3 (squares 0.25, 0.25, 1, 9")
    _mse_case(f, np.array([9.0, 13.0, 7.0]), np.array([17.6, 26.8, 13.0]), "the worked example")
    check(attempt(f, np.array([3, 5, 8]), np.array([1, 5, 2]), name="mse_loss for integer arrays"),
          (40 / 3, np.array([4 / 3, 0.0, 4.0])), "mse_loss(np.array([3, 5, 8]), np.array([1, 5, 2])) (integers in)")
    passed("mse_loss: the mean of the squared errors and its gradient with respect to pred, the worked example, "
           "integers in, inputs untouched")


def hidden_mse_loss(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "mse_loss")
    rng = np.random.default_rng(32)
    for n in [1, 2, 7, 50]:
        _mse_case(f, rng.normal(size=n) * 3, rng.normal(size=n), f"N = {n}", mistakes=False)
    pl = rng.uniform(0, 1e4, size=1000)
    check(attempt(f, pl, pl + 2.0, name="mse_loss(1000 large predictions)")[0], 4.0,
          "mse_loss of 1000 large predictions")


# ------------------------------------------------------------------------------ linear_backward
def backward_mistakes(dout: np.ndarray, X: np.ndarray, W: np.ndarray) -> tuple[dict, dict, dict]:
    """Wrong values of (dX, dW, db) that have a name."""
    N = dout.size
    dX = {
        ("dx-uses-x", "dX uses X where it needs W: moving X_nd moves out_n by W_d."): dout[:, None] * X,
        ("dx-sign", "dX has the wrong sign."): -np.outer(dout, W),
    }
    dW = {
        ("dw-averaged", "dW is averaged over the samples (divided by N): the 1/N is already inside dout, so the "
                        "samples are added up."): X.T @ dout / N,
        ("dw-sign", "dW has the wrong sign."): -(X.T @ dout),
        ("dw-uses-w", "dW uses W where it needs X: moving W_d moves out_n by X_nd."): W * np.sum(dout),
    }
    db = {
        ("db-averaged", "db is averaged over the samples: the 1/N is already inside dout, so they are added up."):
            float(np.mean(dout)),
        ("db-sign", "db has the wrong sign."): -float(np.sum(dout)),
    }
    return dX, dW, db


def _backward_case(f: Callable, dout, X, W, b, label: str, mistakes: bool = True) -> None:
    __tracebackhide__ = True
    name = f"linear_backward({label})"
    hint = ("check the shapes: dout is (N,), X is (N, D), W is (D,); each gradient has the shape of what it is "
            "the gradient of.")
    grads = check_no_mutation(lambda *a: attempt(f, *a, name=name, hints={"Error": hint}), dout, (X, W, b),
                              name="linear_backward", twice=True)
    check_that(isinstance(grads, (tuple, list)) and len(grads) == 3,
               "linear_backward should return three things, (dX, dW, db), but it returned "
               + (f"{len(grads)}." if isinstance(grads, (tuple, list)) else f"a {type(grads).__name__}."),
               "return dX, dW and db, in this order.", "linear_backward:type")
    shapes = [np.shape(g) for g in grads]
    want = [X.shape, (X.shape[1],), ()]
    if shapes[0] == X.shape[::-1] and X.shape[0] != X.shape[1]:
        _fail(f"dX of {name} has shape {shapes[0]}, the transpose of X's {X.shape}.",
              "a gradient has the shape of what it is the gradient of: dX is (N, D) like X.", "linear_backward:shape")
    if sorted(shapes, key=str) == sorted(want, key=str) and shapes != want:
        _fail(f"{name} returned shapes {shapes}: the right pieces in the wrong order.",
              "return them in the order (dX, dW, db).", "linear_backward:order")
    check_that(np.shape(grads[2]) != dout.shape or dout.size == 1,
               f"db of {name} has one entry per sample (shape {np.shape(grads[2])}), but the bias is one number "
               "shared by all samples.", "each sample's gradient reaches the same b.", "linear_backward:db-per-sample")
    dX_m, dW_m, db_m = backward_mistakes(dout, X, W) if mistakes else ({}, {}, {})
    check(grads[1], X.T @ dout, f"{name}: dW", mistakes=dW_m)
    check(grads[2], float(np.sum(dout)), f"{name}: db", mistakes=db_m)
    check(grads[0], np.outer(dout, W), f"{name}: dX", mistakes=dX_m)


def check_linear_backward(ns: dict) -> None:
    """Exercise 3: dX, dW, db in this order with their shapes and values for D = 2 and 3, the worked example,
    dout and the cache untouched (also when called twice)."""
    __tracebackhide__ = True
    f = _own(ns, "linear_backward")
    _backward_case(f, np.array([1.0, -2.0, 0.5]), np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]]),
                   np.array([0.5, -2.0]), 2.0, "dout, (X, W, 2.0)")
    _backward_case(f, np.array([0.5, -1.0, 2.0, 1.0]),
                   np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.5], [2.0, 2.0, 2.0], [0.0, -2.0, 1.0]]),
                   np.array([0.5, 1.0, -1.5]), -1.0, "dout, (X of shape (4, 3), W, -1.0)")
    X3 = np.array([[12.0, 2000.0], [16.0, 4000.0], [10.0, 1000.0]])
    dout3 = 2 * (np.array([9.0, 13.0, 7.0]) - np.array([17.6, 26.8, 13.0])) / 3
    grads = attempt(f, dout3, (X3, np.array([0.5, 0.001]), 1.0), name="linear_backward for the worked example")
    check(tuple(grads)[1:], (np.array([-256.0, -52266.6666667]), -18.9333333333), "linear_backward for the worked example: (dW, db)")
    passed("linear_backward: dX, dW, db in this order with their shapes and values (D = 2 and 3), the worked "
           "example, dout and the cache untouched")


def hidden_linear_backward(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "linear_backward")
    rng = np.random.default_rng(33)
    for n, d in [(4, 3), (1, 2), (6, 1), (3, 3)]:
        _backward_case(f, rng.normal(size=n), rng.normal(size=(n, d)), rng.normal(size=d), float(rng.normal()),
                       f"X of shape {(n, d)}", mistakes=False)


# ------------------------------------------------------------------------------ numerical_gradient
def numerical_gradient_mistakes(c: np.ndarray, x: np.ndarray, h: float, *, default_h: float = 1e-5) -> dict:
    """Wrong gradients of f(x) = sum(c * x**3) that have a name (the exact value of each formula at step h)."""
    centred = c * (3 * x**2 + h**2)
    mistakes = {
        ("forward-differences", "you used forward differences (f(x + h) - f(x)) / h; the lesson's centred "
                                "difference evaluates f on both sides of x, and its error shrinks like h**2 "
                                "instead of h."): c * (3 * x**2 + 3 * x * h + h**2),
        ("backward-differences", "you used backward differences (f(x) - f(x - h)) / h; the lesson's centred "
                                 "difference evaluates f on both sides of x."): c * (3 * x**2 - 3 * x * h + h**2),
        ("divides-by-h", "you divided by h, but the two points x + h and x - h are 2h apart."): 2 * centred,
        ("sign-flipped", "the sign is flipped: the value at x + h comes first in the difference."): -centred,
        ("aliases", "every entry is 0: f gave the same value at x + h and at x - h. Did both points end up as one "
                    "array (two names for the same array are not copies)?"): np.zeros_like(centred),
    }
    if h != default_h:
        mistakes[("ignores-h", f"this is the centred difference with the default step {default_h:g}, but h = {h:g} "
                               "was passed: use the argument h, not a fixed number.")] = \
            c * (3 * x**2 + default_h**2)
    if x.ndim == 2:
        rows = np.repeat(np.sum(c * 3 * x**2, axis=1, keepdims=True), x.shape[1], axis=1)
        mistakes[("whole-rows", "you moved a whole row at once: on a 2-D array x[i] is a row. Perturb one entry at "
                                "a time (every index of x, in any number of dimensions).")] = rows
    return mistakes


def _gradient_case(f: Callable, c: np.ndarray, x: np.ndarray, h: float | None, label: str,
                   mistakes: bool = True) -> None:
    __tracebackhide__ = True
    before = x.copy()
    step = 1e-5 if h is None else h
    extra = {} if h is None else {"h": h}
    name = f"numerical_gradient(f, x{'' if h is None else f', h={h:g}'}) for f(x) = sum(c * x**3) and {label}"
    grad = attempt(f, lambda v: float(np.sum(c * np.asarray(v) ** 3)), x, name=name, **extra)
    check_that(np.allclose(x, before, rtol=1e-12, atol=1e-15),
               f"numerical_gradient changed x: after the call it is {np.array2string(x, precision=6)}, it was "
               f"{np.array2string(before, precision=6)}.",
               "x must hold its original values afterwards: put every entry you move back, or work on copies.",
               "numerical_gradient:mutates-input")
    check_that(np.ndim(grad) != 0 or x.ndim == 0,
               f"{name} returned one number: you moved every entry at once.",
               "move one entry at a time and fill one entry of the gradient per move.",
               "numerical_gradient:all-at-once")
    check(grad, c * (3 * before**2 + step**2), name, rtol=1e-6, atol=1e-6,
          mistakes=numerical_gradient_mistakes(c, before, step) if mistakes else None)


def check_numerical_gradient(ns: dict) -> None:
    """Exercise 4: centred differences on a cubic (its centred difference is exact: c (3x**2 + h**2)), 1-D and
    2-D, the default step and a large h, x left as it was."""
    __tracebackhide__ = True
    f = _own(ns, "numerical_gradient")
    c1, x1 = np.array([1.0, 0.5, 2.0]), np.array([1.0, -2.0, 0.5])
    _gradient_case(f, c1, x1.copy(), None, "a 1-D x of 3 entries")
    _gradient_case(f, np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 3.0]]),
                   np.array([[1.0, -1.5, 2.0], [0.5, 3.0, -1.0]]), None, "a 2-D x of shape (2, 3)")
    _gradient_case(f, c1, x1.copy(), 0.5, "a 1-D x (a large step, so that h shows)")
    check(attempt(f, lambda v: float(np.sum(v ** 2)), np.array([4.0]), name="numerical_gradient of x**2 at 4"),
          np.array([8.0]), "numerical_gradient of f(x) = x**2 at x = 4 (the seed's example)", rtol=1e-6, atol=1e-6)
    passed("numerical_gradient: centred differences, one entry at a time, 1-D and 2-D, the step h it is given, "
           "x left as it was")


def hidden_numerical_gradient(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "numerical_gradient")
    rng = np.random.default_rng(34)
    for shape in [(5,), (1,), (3, 4), (2, 2, 2), (1, 1)]:
        A = rng.normal(size=shape)
        x = rng.normal(size=shape)
        before = x.copy()
        g = attempt(f, lambda v: float(np.sum(A * np.sin(v)) + 0.5 * np.sum(v ** 2)), x,
                    name=f"numerical_gradient for x of shape {shape}")
        check(g, A * np.cos(before) + before, f"numerical_gradient for x of shape {shape}", rtol=1e-6, atol=1e-7)
        check_that(np.allclose(x, before, rtol=1e-12, atol=1e-15), "numerical_gradient left x changed",
                   mistake="numerical_gradient:mutates-input")
    for shape in [(4,), (2, 3)]:
        c, x = rng.normal(size=shape), rng.normal(size=shape)
        _gradient_case(f, c, x, 0.3, f"x of shape {shape}", mistakes=False)
    Xh, yh, Wh = rng.normal(size=(20, 3)), rng.normal(size=20), rng.normal(size=3)
    g = attempt(f, lambda w: float(np.mean((Xh @ w + 0.3 - yh) ** 2)), Wh.copy(),
                name="numerical_gradient of the model's loss")
    check(g, Xh.T @ (2 * (Xh @ Wh + 0.3 - yh) / 20), "numerical_gradient of the model's loss", rtol=1e-6, atol=1e-7)


# ------------------------------------------------------------------------------ standardize
def standardize_mistakes(X: np.ndarray) -> dict:
    """Wrong standardized arrays that have a name."""
    mean, std = X.mean(axis=0), X.std(axis=0)
    out = {
        ("ddof-1", "you divided by the sample standard deviation (ddof=1); the lesson's standard deviation divides "
                   "by N (ddof=0, np.std's default)."): (X - mean) / X.std(axis=0, ddof=1),
        ("variance", "you divided by the variance; divide by the standard deviation, its square root."):
            (X - mean) / std**2,
        ("not-centred", "you did not subtract the mean: each column must be centred on 0 before it is scaled."):
            X / std,
        ("not-scaled", "you subtracted the mean but did not divide by the standard deviation."): X - mean,
        ("min-max", "you scaled each column to [0, 1] (min-max scaling); standardizing uses the mean and standard "
                    "deviation."): (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0)),
    }
    if X.shape[1] > 1:
        out[("whole-array", "you used one mean and one standard deviation for the whole array; each column "
                            "(feature) needs its own.")] = (X - X.mean()) / X.std()
    return out


def _standardize_case(f: Callable, X: np.ndarray, label: str, mistakes: bool = True) -> None:
    __tracebackhide__ = True
    name = f"standardize({label})"
    hints = {"broadcast": "the mean and std need one entry per COLUMN, so that subtracting them works on every row.",
             "Cannot cast": "an in-place operation (X -= ...) tried to write floats into the integer array X, and "
                            "would change X anyway: build a new array."}
    result = check_no_mutation(lambda a: attempt(f, a, name=name, hints=hints), X, name="standardize")
    check_that(isinstance(result, (tuple, list)) and len(result) == 3,
               "standardize should return three things, (X_standardized, mean, std), but it returned "
               + (f"{len(result)}." if isinstance(result, (tuple, list)) else f"a {type(result).__name__}."),
               "the mean and std are needed to bring the weights back to the original units: return them too.",
               "standardize:type")
    N, D = X.shape
    for i, label_i in ((1, "mean"), (2, "std")):
        shape = np.shape(result[i])
        if shape == () and D > 1:
            _fail(f"the {label_i} of {name} is a single number, but each of the {D} columns needs its own.",
                  f"take it over the samples, one per column: shape ({D},).", "standardize:whole-array")
        if shape in ((N,), (N, 1)) and N != D:
            _fail(f"the {label_i} of {name} has shape {shape}: one per sample (row). Each feature (column) needs one.",
                  f"the statistics run down the rows, giving shape ({D},).", "standardize:per-row")
        if shape == (1, D):
            _fail(f"the {label_i} of {name} has shape (1, {D}); return it as shape ({D},).",
                  "drop the kept axis before returning it.", "standardize:shape")
    Xf = X.astype(float)
    mean, std = Xf.mean(axis=0), Xf.std(axis=0)
    check(result[0], (Xf - mean) / std, f"{name}: X_standardized", mistakes=standardize_mistakes(Xf) if mistakes else None)
    check(result[1], mean, f"{name}: the mean")
    check(result[2], std, f"{name}: the std",
          mistakes={("ddof-1", "you returned the sample standard deviation (ddof=1); the lesson's divides by N "
                               "(ddof=0)."): Xf.std(axis=0, ddof=1)} if mistakes else None)


def check_standardize(ns: dict) -> None:
    """Exercise 6: per column, ddof=0, the mean and std returned, D = 2, 3 and 1, integers in, X untouched."""
    __tracebackhide__ = True
    f = _own(ns, "standardize")
    X = np.array([[1.0, 200.0], [3.0, 400.0], [5.0, 900.0], [7.0, 500.0]])
    _standardize_case(f, X, "X) for X = [[1, 200], [3, 400], [5, 900], [7, 500]] (means 4 and 500, stds "
                            "sqrt(5) and sqrt(65000)")
    _standardize_case(f, X.astype(int), "the same X given as integers")
    _standardize_case(f, np.array([[1.0, 10.0, -2.0], [2.0, 30.0, 0.0], [4.0, 20.0, 4.0], [5.0, 60.0, 2.0],
                                   [3.0, 40.0, 1.0]]), "X of shape (5, 3)")
    _standardize_case(f, np.array([[2.0], [4.0], [9.0]]), "X of shape (3, 1)")
    passed("standardize: per column for D = 2, 3 and 1, ddof=0, returns the mean and std, works on integers, "
           "X untouched")


def hidden_standardize(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "standardize")
    rng = np.random.default_rng(36)
    for shape, scale in [((6, 3), 1.0), ((2, 1), 5.0), ((50, 2), 1e4), ((3, 5), 0.01)]:
        _standardize_case(f, rng.normal(size=shape) * scale + scale, f"X of shape {shape}", mistakes=False)
    _standardize_case(f, rng.integers(0, 10000, size=(40, 2)), "an integer X of shape (40, 2)", mistakes=False)


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


def descent_mistakes(X, y, learning_rate, iterations) -> dict:
    """Wrong results (W, b, losses) of gradient_descent that have a name."""
    return {
        ("loss-after-step", "the losses are recorded after each step; record the loss of the parameters you take "
                            "the step from (losses[0] is the loss at W = 0, b = 0)."):
            descent_reference(X, y, learning_rate, iterations, loss_after=True),
        ("uphill", "the parameters moved UP the slope; descent moves against the gradient."):
            descent_reference(X, y, learning_rate, iterations, ascend=True),
        ("b-never-updated", "b never changes: the bias takes a step too."):
            descent_reference(X, y, learning_rate, iterations, skip_b=True),
    }


def check_descent(result: Any, X: np.ndarray, y: np.ndarray, learning_rate: float, iterations: int,
                  name: str, *, why: str = "") -> None:
    """Check (W, b, losses) of gradient_descent against the reference, naming known mistakes."""
    __tracebackhide__ = True
    check_that(isinstance(result, (tuple, list)) and len(result) == 3,
               f"{name} should return three things, (W, b, losses), but it returned "
               + (f"{len(result)}." if isinstance(result, (tuple, list)) else f"a {type(result).__name__}."),
               mistake="gradient_descent:type")
    W, b, losses = result
    losses = _floats(losses)
    check_that(losses is not None and losses.ndim == 1,
               f"the losses of {name} should be a list or 1-D array of numbers, one per iteration.",
               mistake="gradient_descent:type")
    if losses.shape == (iterations + 1,):
        _fail(f"{name} returned {iterations + 1} losses for {iterations} iterations: one too many.",
              "record one loss per iteration, the loss before that iteration's step (not the loss after the last "
              "step as well).", "gradient_descent:extra-loss")
    if losses.size < iterations:
        _fail(f"{name} returned {losses.size} losses for {iterations} iterations: it stopped early{why}.",
              "take exactly `iterations` steps, whatever the loss does: the lesson needs every step, also of a "
              "run that has converged or one that blows up.", "gradient_descent:stops-early")
    check_that(losses.shape == (iterations,),
               f"the losses of {name} should hold one number per iteration, {iterations} in all, but they have "
               f"shape {losses.shape}.", "record one loss (a number) in every iteration.", "gradient_descent:shape")
    want = descent_reference(X, y, learning_rate, iterations)

    def close(a, w):
        a = _floats(a)
        return a is not None and a.shape == np.shape(w) and bool(np.allclose(a, w, rtol=1e-6, atol=1e-9))

    for (slug, text), wrong in descent_mistakes(X, y, learning_rate, iterations).items():
        if all(close(a, w) for a, w in zip((W, b, losses), wrong)):
            _fail(f"{name} is wrong: {text}", mistake=f"gradient_descent:{slug}")
    hint = "start from W = 0 and b = 0; in every iteration: forward pass, loss, backward pass, record the loss, then step."
    with np.errstate(all="ignore"):
        check(W, want[0], f"{name}: W", hint=hint)
        check(b, want[1], f"{name}: b", hint=hint)
        check(losses, want[2], f"{name}: the losses", hint=hint)


def _descent_cases(f: Callable) -> None:
    __tracebackhide__ = True
    X = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 1.5], [0.0, 1.0], [1.5, 3.0]])
    y = np.array([3.0, 2.5, 5.5, 1.0, 4.5])
    run = check_no_mutation(lambda *a: attempt(f, *a, name="gradient_descent(X, y, 0.05, 4)"), X, y, 0.05, 4,
                            name="gradient_descent")
    check_descent(run, X, y, 0.05, 4, name="gradient_descent(X, y, 0.05, 4)")
    one = attempt(f, X, y, 0.05, 1, name="gradient_descent(X, y, 0.05, 1)")
    check(_floats(tuple(one)[2]), np.array([np.mean(y ** 2)]),
          "gradient_descent(X, y, 0.05, 1): the losses of one iteration (the loss at W = 0, b = 0: the mean of y**2)")
    X3 = np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.5], [2.0, 2.0, 2.0], [0.0, -2.0, 1.0]])
    y3 = np.array([1.0, 2.0, -1.0, 0.5])
    check_descent(attempt(f, X3, y3, 0.02, 6, name="gradient_descent(X of shape (4, 3), y, 0.02, 6)"), X3, y3, 0.02,
                  6, name="gradient_descent(X of shape (4, 3), y, 0.02, 6)")
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)   # a round bowl: the loss stops changing after a few dozen steps
    with np.errstate(all="ignore"):
        check_descent(attempt(f, Xs, y, 0.3, 300, name="gradient_descent(X standardized, y, 0.3, 300)"), Xs, y, 0.3,
                      300, name="gradient_descent(X standardized, y, 0.3, 300)",
                      why=" (the loss stops changing here long before the last iteration)")
        check_descent(attempt(f, X, y, 0.3, 25, name="gradient_descent(X, y, 0.3, 25)"), X, y, 0.3, 25,
                      name="gradient_descent(X, y, 0.3, 25)",
                      why=" (this learning rate is too large for these data: the loss grows at every step, and the "
                          "run must show it)")


def _earlier_wrong(ns: dict) -> list[tuple[str, str]]:
    """The earlier exercises (1 to 3) whose functions are not written yet, reach the course's reference, or give
    wrong values (or another cache than (X, W, b)) on small cases with D = 2, 3 and 1: [(name, "not-done" or
    "fix-first")], in order."""
    from .. import layers
    from . import guard
    cases = {"linear_forward": [], "mse_loss": [], "linear_backward": []}
    for X, W, b in [(np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]]), np.array([0.5, -2.0]), 0.5),
                    (np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.5], [2.0, 2.0, 2.0], [0.0, -2.0, 1.0]]),
                     np.array([0.5, 1.0, -1.5]), -1.0),
                    (np.array([[2.0], [-1.0]]), np.array([3.0]), 0.25)]:
        cases["linear_forward"].append((X, W, b))
        cases["mse_loss"].append((X[:, 0] * 1.5 - 0.5, X[:, -1]))
        cases["linear_backward"].append((X[:, 0] - 0.5, (X, W, b)))
    wrong = []
    for name, arguments in cases.items():
        func, reference = ns.get(name), getattr(layers, name)
        if func is None or guard.is_reference(func):
            wrong.append((name, "reference"))
            continue
        ok = True
        for args in arguments:
            try:
                with np.errstate(all="ignore"):
                    got, want = func(*args), reference(*args)
                ok = len(got) == len(want) and all(np.allclose(np.asarray(g, dtype=float), w) for g, w in
                                                   zip(_flat(got), _flat(want)))
            except NotImplementedError:
                wrong.append((name, "not-done"))
                ok = None
                break
            except Exception:  # noqa: BLE001 - a crash, a reference reached, another format: all wrong here
                ok = False
            if not ok:
                break
        if ok is False:
            wrong.append((name, "fix-first"))
    return wrong


def _flat(value) -> list:
    """Arrays and numbers of a nested result ((out, (X, W, b)) -> [out, X, W, b]), for comparisons."""
    if isinstance(value, (tuple, list)):
        return [item for part in value for item in _flat(part)]
    return [value]


def _own_or_blame(ns: dict, test: Callable[[], None], graded: str) -> None:
    """Run the visible test of a function built on Exercises 1 to 3, as grading does (`best_of`): with the
    student's own functions first; if that fails, with the course's versions of the earlier functions that
    are wrong (or not written yet) in place of theirs. When only the earlier functions were at fault, the
    test passes (grading gives the points too) with a note that names them; otherwise the failure of the
    student's own version is raised."""
    __tracebackhide__ = True
    from .. import layers
    try:
        test()
        return
    except CheckFailed as own:
        failure = own
    wrong = _earlier_wrong(ns)
    if not wrong:
        raise failure
    try:
        with contextlib.redirect_stdout(io.StringIO()):   # best_of's own note: ours below is more precise
            best_of(test, ns, **{name: getattr(layers, name) for name, _ in wrong})
    except AssertionError:
        raise failure from None
    for name, kind in wrong:
        state = {"not-done": "is not written yet", "reference": "is the course's reference, not yours"}.get(kind, "is wrong")
        print(f"Note: your {name} {state}: fix it first (the test of {_EXERCISE[name]} says how). {graded} "
              f"itself is right: it was checked with the course's {name} in place of yours.")


def check_gradient_descent(ns: dict) -> None:
    """Exercise 5: W, b and the losses against the reference for D = 2 and 3, one loss per iteration before
    each step (also when the loss stops changing, and when it blows up), X and y untouched."""
    __tracebackhide__ = True
    f = _own(ns, "gradient_descent")
    _own_or_blame(ns, lambda: _descent_cases(f), "gradient_descent")
    passed("gradient_descent: starts at zero, records the loss before each step, steps downhill on W and b, takes "
           "every step (also when the loss stops changing or blows up), X and y untouched")


def hidden_gradient_descent(ns: dict) -> None:
    __tracebackhide__ = True
    from .. import datasets, layers
    from ..regression import least_squares
    f = _own(ns, "gradient_descent")

    def test():
        rng = np.random.default_rng(35)
        for n, d, lr, it in [(8, 3, 0.05, 10), (1, 2, 0.1, 3), (20, 1, 0.2, 25), (6, 4, 0.01, 1)]:
            Xh, yh = rng.normal(size=(n, d)), rng.normal(size=n)
            run = check_no_mutation(lambda *a: attempt(f, *a, name="gradient_descent"), Xh, yh, lr, it,
                                    name="gradient_descent")
            check_descent(run, Xh, yh, lr, it, name=f"gradient_descent for X of shape {(n, d)}")
        Xsv, ysv = datasets.dating_survey()
        Xs = (Xsv - Xsv.mean(axis=0)) / Xsv.std(axis=0)
        W, b, losses = attempt(f, Xs, ysv, 0.1, 200, name="gradient_descent on the standardized survey")
        bW, bb = least_squares(Xs, ysv)
        check(np.append(np.asarray(W, dtype=float), float(b)), np.append(bW, bb),
              "gradient_descent on the standardized survey: (W, b) after 200 steps", rtol=1e-6)

    best_of(test, ns, linear_forward=layers.linear_forward, mse_loss=layers.mse_loss,
            linear_backward=layers.linear_backward)


# ------------------------------------------------------------------------------ minibatch_sgd
def sgd_reference(X, y, learning_rate, epochs, batch_size, seed=0, *, reshuffle=True, shuffle=True,
                  drop_last=False, loss_after=False):
    """Mini-batch SGD as the exercise specifies it, with one deliberate variation (for named mistakes).

    reshuffle : a new order every epoch (False: the first epoch's order every time);
    shuffle : False visits the samples in their order; drop_last : skips a last, smaller batch;
    loss_after : records the batch's loss after its step. Returns (W, b, losses as an array).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N = len(y)
    rng = np.random.default_rng(seed)
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    first = None
    with np.errstate(all="ignore"):
        for _ in range(int(epochs)):
            order = rng.permutation(N) if shuffle else np.arange(N)
            if not reshuffle:
                first = order if first is None else first
                order = first
            stop = N - batch_size + 1 if drop_last else N
            for start in range(0, max(stop, 0), batch_size):
                rows = order[start:start + batch_size]
                d = X[rows] @ W + b - y[rows]
                loss = float(np.mean(d ** 2))
                dW, db = X[rows].T @ (2 * d / d.size), float(np.sum(2 * d / d.size))
                W, b = W - learning_rate * dW, b - learning_rate * db
                losses.append(float(np.mean((X[rows] @ W + b - y[rows]) ** 2)) if loss_after else loss)
    return W, b, np.array(losses)


def sgd_mistakes(X, y, learning_rate, epochs, batch_size, seed=0) -> dict:
    """Wrong results (W, b, losses) of minibatch_sgd that have a name."""
    args = (X, y, learning_rate, epochs, batch_size, seed)
    return {
        ("shuffles-once", "every epoch visits the samples in the same order: the samples are shuffled afresh at "
                          "the start of each epoch, from the one generator made from the seed before the loop."):
            sgd_reference(*args, reshuffle=False),
        ("no-shuffle", "the samples are visited in their stored order: each epoch starts with a random "
                       "permutation of the rows."): sgd_reference(*args, shuffle=False),
        ("drops-last-batch", "the last, smaller batch of each epoch is missing: when N is not a multiple of "
                             "batch_size, the leftover rows form one more, smaller batch."):
            sgd_reference(*args, drop_last=True),
        ("loss-after-step", "the losses are recorded after each step; record each batch's loss before its step."):
            sgd_reference(*args, loss_after=True),
    }


def _check_sgd(result: Any, X, y, learning_rate, epochs, batch_size, seed, name: str, mistakes: bool = True) -> None:
    __tracebackhide__ = True
    check_that(isinstance(result, (tuple, list)) and len(result) == 3,
               f"{name} should return three things, (W, b, losses), but it returned "
               + (f"{len(result)}." if isinstance(result, (tuple, list)) else f"a {type(result).__name__}."),
               mistake="minibatch_sgd:type")
    W, b, losses = result
    losses = _floats(losses)
    N = len(y)
    steps = epochs * -(-N // batch_size)
    check_that(losses is not None and losses.ndim == 1, f"the losses of {name} should be a list or 1-D array of "
               "numbers, one per step.", mistake="minibatch_sgd:type")
    want = sgd_reference(X, y, learning_rate, epochs, batch_size, seed)

    def close(a, w):
        a = _floats(a)
        return a is not None and a.shape == np.shape(w) and bool(np.allclose(a, w, rtol=1e-6, atol=1e-9))

    if mistakes:
        for (slug, text), wrong in sgd_mistakes(X, y, learning_rate, epochs, batch_size, seed).items():
            if all(close(a, w) for a, w in zip((W, b, losses), wrong)) and not close(losses, want[2]):
                _fail(f"{name} is wrong: {text}", mistake=f"minibatch_sgd:{slug}")
    if losses.size == epochs and steps != epochs:
        _fail(f"{name} returned {epochs} losses, one per epoch; the exercise asks for one per step (per batch): "
              f"{steps} here.", "record each batch's loss inside the inner loop.", "minibatch_sgd:loss-per-epoch")
    check_that(losses.shape == (steps,),
               f"{name} returned {losses.size} losses; {N} samples in batches of {batch_size} make "
               f"{-(-N // batch_size)} steps per epoch, {steps} in {epochs} epochs.",
               "one loss per batch; the last batch of an epoch may be smaller.", "minibatch_sgd:steps")
    hint = ("a generator made once from the seed; in every epoch a fresh permutation of the rows, then one step per "
            "batch of consecutive entries of that permutation, recording the batch's loss before its step.")
    check(W, want[0], f"{name}: W", hint=hint)
    check(b, want[1], f"{name}: b", hint=hint)
    check(losses, want[2], f"{name}: the losses", hint=hint)


def _sgd_cases(f: Callable) -> None:
    __tracebackhide__ = True
    X = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 1.5], [0.0, 1.0], [1.5, 3.0],
                  [2.5, 2.0], [0.5, 0.5], [1.0, -1.0], [-0.5, 1.5], [2.0, 1.0]])
    y = np.array([3.0, 2.5, 5.5, 1.0, 4.5, 5.0, 1.5, 0.5, 1.0, 3.5])
    name = "minibatch_sgd(X, y, 0.05, 3, 4, seed=0) (10 samples: batches of 4, 4 and 2)"
    run = check_no_mutation(lambda *a: attempt(f, *a, seed=0, name=name), X, y, 0.05, 3, 4, name="minibatch_sgd")
    _check_sgd(run, X, y, 0.05, 3, 4, 0, name)
    name = "minibatch_sgd(X, y, 0.05, 2, 3, seed=7)"
    _check_sgd(attempt(f, X, y, 0.05, 2, 3, seed=7, name=name), X, y, 0.05, 2, 3, 7, name)
    again = attempt(f, X, y, 0.05, 2, 3, seed=7, name=name)
    check(_floats(tuple(again)[2]), sgd_reference(X, y, 0.05, 2, 3, 7)[2],
          f"{name}, called a second time with the same seed: the losses")
    name = "minibatch_sgd(X, y, 0.05, 2, 10) (one batch of all 10 samples: plain gradient descent)"
    _check_sgd(attempt(f, X, y, 0.05, 2, 10, name=name), X, y, 0.05, 2, 10, 0, name)


def check_minibatch_sgd(ns: dict) -> None:
    """Exercise 7: W, b and one loss per batch against the specified run, a smaller last batch, the seed used
    (the same seed gives the same run, another seed another), X and y untouched."""
    __tracebackhide__ = True
    f = _own(ns, "minibatch_sgd")
    _own_or_blame(ns, lambda: _sgd_cases(f), "minibatch_sgd")
    passed("minibatch_sgd: a fresh shuffle from the seed every epoch, one step and one loss per batch (the last "
           "one smaller), the same run for the same seed, X and y untouched")


def hidden_minibatch_sgd(ns: dict) -> None:
    __tracebackhide__ = True
    from .. import layers
    f = _own(ns, "minibatch_sgd")

    def test():
        rng = np.random.default_rng(37)
        for n, d, lr, epochs, B, seed in [(9, 3, 0.05, 2, 2, 1), (5, 1, 0.1, 3, 1, 2), (12, 2, 0.02, 1, 5, 3),
                                          (4, 2, 0.1, 2, 8, 4)]:
            Xh, yh = rng.normal(size=(n, d)), rng.normal(size=n)
            name = f"minibatch_sgd for X of shape {(n, d)}, batches of {B}, seed {seed}"
            run = check_no_mutation(lambda *a: attempt(f, *a, seed=seed, name=name), Xh, yh, lr, epochs, B,
                                    name="minibatch_sgd")
            _check_sgd(run, Xh, yh, lr, epochs, B, seed, name, mistakes=False)

    best_of(test, ns, linear_forward=layers.linear_forward, mse_loss=layers.mse_loss,
            linear_backward=layers.linear_backward)
