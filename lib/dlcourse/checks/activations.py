"""Checks for lesson 04 (activation functions): diagnoses shared by its test cells.

The test cells of `04_activations` stay short: they state the values a student can check by
hand and call these helpers for what every exercise of the lesson shares:

- `call` runs a student's function and turns an exception into a message that says what
  to change (a stub not written yet, `math.exp` on an array, a missing ``keepdims=True`` ...);
- `check_elementwise` checks an element-wise function on one array, naming the mistakes that
  have their own signature (a boolean array, a single number for a whole array);
- `check_rules` checks the rules every element-wise function of the lesson follows: integers
  in give floats out, a number in gives a number out, the shape is kept, the input is left
  alone; `check_random` does the same on random inputs against a reference (hidden tests);
- `tanh_grad_mistakes`, `softmax_mistakes`, `collapse_mistakes`: the exact values of the
  plausible wrong answers, so that a message names a mistake only where it is the one;
- `check_softmax_stable`, `check_collapse` and `check_collapse_random`: the longer checks of
  `softmax` and `collapse_linear`.

Every failure raises `CheckFailed` (an `AssertionError`).
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from . import CheckFailed, _describe, _fail, _show, check, check_no_mutation, check_that

__all__ = ["call", "check_elementwise", "check_rules", "check_random", "tanh_grad_mistakes",
           "softmax_mistakes", "check_softmax_stable", "check_softmax_random", "collapse_reference",
           "collapse_mistakes", "check_collapse", "check_collapse_random", "need"]


def _args_text(args: tuple, kwargs: dict) -> str:
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"np.array({np.array2string(a, separator=', ', threshold=8)})".replace("\n", ""))
        else:
            parts.append(repr(a))
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _hint_for(error: Exception) -> str | None:
    text = str(error)
    if isinstance(error, TypeError) and ("only" in text and ("size-1" in text or "0-dimensional" in text)
                                          or "must be real number" in text):
        return ("functions of the math module (math.exp, math.tanh, max) take one number at a time; "
                "use NumPy's versions (np.exp, np.tanh, np.maximum), which work on whole arrays.")
    if type(error).__name__ == "UFuncTypeError" or "Cannot cast ufunc" in text:
        return ("an in-place operation such as `z -= ...` or `z *= ...` tried to write floats into an array "
                "of integers. Write `z = z - ...` instead: it makes a new array and leaves the input alone.")
    if "truth value of an array" in text:
        return ("Python's `max`, `min` and `if` look at one number at a time; for arrays use np.maximum, "
                "np.minimum or np.where, which work entry by entry.")
    if isinstance(error, AttributeError) and "astype" in text:
        return ("a comparison of a plain number (`3 > 0`) gives a Python bool, which has no .astype. Start with "
                "`z = np.asarray(z)`, so that numbers and arrays are treated alike.")
    if "broadcast" in text:
        return ("two arrays of incompatible shapes met in one operation. A row-wise max or sum over the last "
                "axis needs `keepdims=True`, so that its shape (N, 1) lines up with the (N, K) scores.")
    if type(error).__name__ in ("AxisError",) or "out of bounds for array of dimension" in text:
        return ("the axis you named does not exist for this input. `axis=-1` means the last axis, whatever "
                "the number of dimensions (1-D, 2-D or more).")
    if "matmul" in text or "shapes" in text and "aligned" in text:
        return ("the shapes of a matrix product do not line up: in `A @ B` the last axis of A must match the "
                "first of B. Write down the shape of each array.")
    return None


def call(func: Callable, *args: Any, name: str | None = None, hints: dict | None = None, **kwargs: Any) -> Any:
    """Call ``func(*args, **kwargs)`` and return what it returns; an exception becomes a `CheckFailed`.

    name : how to call the function in messages (default: its __name__)
    hints : optional ``{ExceptionClassName: hint}`` that overrides the generic hints
    """
    __tracebackhide__ = True
    label = name or getattr(func, "__name__", "the function")
    text = f"{label}({_args_text(args, kwargs)})"
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        _fail(f"{label} is not written yet: it still raises NotImplementedError.",
              "replace `raise NotImplementedError()` in the exercise cell with your code, run that cell, "
              "then run this test again.")
    except CheckFailed:
        raise
    except Exception as error:  # noqa: BLE001 (any error of the student's code becomes a message)
        hint = (hints or {}).get(type(error).__name__) or _hint_for(error)
        _fail(f"{text} raised {type(error).__name__}: {str(error)[:300]}", hint)


def need(func: Callable, name: str, exercise: str) -> None:
    """For demo cells: stop with a clear message while `func` (a graded function) is unfinished."""
    __tracebackhide__ = True
    try:
        out = func(np.array([-1.0, 0.5]))
    except NotImplementedError:
        _fail(f"This cell uses your `{name}`: finish {exercise} first, then run this cell again.")
    except Exception as error:  # noqa: BLE001
        _fail(f"This cell uses your `{name}`, which raised {type(error).__name__}: {error}. "
              f"Fix it with the test of {exercise}, then run this cell again.")
    if out is None:
        _fail(f"This cell uses your `{name}`, which returns None: finish {exercise} first.")


def check_elementwise(func: Callable, name: str, z: np.ndarray, expected: np.ndarray, *,
                      kwargs: dict | None = None, mistakes: dict | None = None, hint: str | None = None,
                      nan_hint: str | None = None) -> np.ndarray:
    """Check an element-wise function on one float array `z` against `expected` (same shape).

    Before comparing values, name two mistakes with their own signature: a boolean array
    (a comparison returned as it is) and a single number for a whole array (np.max, max or
    np.sum instead of an element-wise operation). Returns what the function returned.
    """
    __tracebackhide__ = True
    kwargs = kwargs or {}
    text = f"{name}({_args_text((z,), kwargs)})"
    with np.errstate(all="ignore"):
        out = call(func, z.copy(), name=name, **kwargs)
    if isinstance(out, np.ndarray) and out.dtype == bool:
        _fail(f"{text} returned True/False values (dtype bool), but a slope is a number.",
              "turn the comparison into floats: `(z > 0).astype(float)`, or `np.where(z > 0, 1.0, 0.0)`.")
    if np.ndim(out) == 0 and np.ndim(expected) > 0 and out is not None and not isinstance(out, (list, tuple)):
        _fail(f"{text} returned the single number {_show(out)}, but it should return one value per entry "
              f"of z (shape {np.shape(expected)}).",
              "np.max(z, 0), max(...) and np.sum reduce the whole array to one number. Compare entry by entry "
              "with np.maximum(z, 0.0), or use np.where(z > 0, ..., ...).")
    if isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.integer):
        _fail(f"{text} returned integers (dtype {out.dtype}); the rule of this lesson is floats out.",
              "NumPy keeps integers when every number in a formula is an integer: write 1.0 and 0.0 "
              "instead of 1 and 0 (e.g. np.where(z > 0, 1.0, 0.0)).")
    with np.errstate(all="ignore"):
        check(out, expected, text, mistakes=mistakes, hint=hint, nan_hint=nan_hint)
    return out


def check_rules(func: Callable, name: str, reference: Callable, *, kwargs: dict | None = None,
                zero_hint: str | None = None) -> None:
    """The rules every element-wise function of lesson 04 follows, checked on small inputs:
    the input is left alone, a 2-D array keeps its shape, integers in give floats out, a number
    in gives a number out. `reference` computes the right values."""
    __tracebackhide__ = True
    kwargs = kwargs or {}
    with np.errstate(all="ignore"):
        z = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])
        before = z.copy()
        call(func, z, name=name, **kwargs)
        check_that(np.array_equal(z, before),
                   f"{name} changed its argument in place: z was {_show(before)} and is {_show(z)} afterwards.",
                   "don't assign into z (`z[z < 0] = 0`, `z *= ...`): build a new array, e.g. with "
                   "np.maximum or np.where, or work on a copy (`z = z.copy()`).")

        z2 = np.array([[-1.5, 0.25, 2.0], [3.0, -0.2, 0.0]])
        check(call(func, z2, name=name, **kwargs), reference(z2, **kwargs), f"{name}({_args_text((z2,), kwargs)})",
              hint=zero_hint)

        zi = np.array([-3, -1, 0, 2, 5])
        out = call(func, zi, name=name, **kwargs)
        if isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.integer):
            _fail(f"{name}({_args_text((zi,), kwargs)}) (an array of integers) returned integers "
                  f"(dtype {out.dtype}); the rule of this lesson is floats out.",
                  "NumPy keeps integers when every number in a formula is an integer: write 0.0 and 1.0 "
                  "instead of 0 and 1, or start with `z = np.asarray(z, dtype=float)`.")
        check(out, reference(zi, **kwargs), f"{name}({_args_text((zi,), kwargs)}) (integers in)")

        for v in (-2.5, 1.5, 3):
            out = call(func, v, name=name, **kwargs)
            check_that(out is not None, f"{name}({_args_text((v,), kwargs)}) returned None.",
                       "did you forget the `return` statement?")
            check_that(np.ndim(out) == 0 and not isinstance(out, (list, tuple)),
                       f"{name}({_args_text((v,), kwargs)}) should be a single number, but it is {_describe(out)}"
                       + (f" of shape {np.shape(out)}." if isinstance(out, np.ndarray) else "."),
                       "for a number, return a number (or a 0-d array): don't wrap it in a list or a "
                       "1-element array, and don't use `for` loops over z.")
            check(float(out), float(reference(v, **kwargs)), f"{name}({_args_text((v,), kwargs)})")


def check_random(func: Callable, name: str, reference: Callable, *, seed: int = 0,
                 kwargs: dict | None = None) -> None:
    """Hidden tests: random inputs of several shapes (batch of one, 3-D), large values and
    integers against `reference`; inputs left alone; numbers in, numbers out."""
    __tracebackhide__ = True
    kwargs = kwargs or {}
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        for shape in [(1,), (7,), (1, 4), (5, 3), (2, 3, 4)]:
            z = rng.normal(0.0, 3.0, size=shape)
            z[z.size // 2 if z.ndim == 1 else (0,) * z.ndim] = 0.0  # the convention at z = 0
            keep = z.copy()
            out = call(func, z, name=name, **kwargs)
            check_that(np.array_equal(z, keep), f"{name} changed its input (shape {shape})")
            check_that(isinstance(out, np.ndarray) and out.shape == shape,
                       f"{name} of an array of shape {shape} should return an array of that shape, "
                       f"not {_describe(out)}")
            check_that(np.issubdtype(out.dtype, np.floating), f"{name} must return floats (shape {shape})")
            check_that(np.allclose(out, reference(keep, **kwargs), rtol=1e-6, atol=1e-10),
                       f"{name} gives wrong values for a random array of shape {shape}")
        z = rng.uniform(-1000.0, 1000.0, size=50)
        out = np.asarray(call(func, z, name=name, **kwargs), dtype=float)
        check_that(np.all(np.isfinite(out)) and np.allclose(out, reference(z, **kwargs), rtol=1e-6, atol=1e-10),
                   f"{name} gives wrong or non-finite values for |z| up to 1000")
        zi = rng.integers(-5, 6, size=(3, 4))
        out = call(func, zi, name=name, **kwargs)
        check_that(np.issubdtype(np.asarray(out).dtype, np.floating) and np.allclose(out, reference(zi, **kwargs)),
                   f"{name} of an integer array must give the right floats")
        for v in (0, 0.0, -4, 2.5, np.float64(-0.3), np.float32(1.5)):
            out = call(func, v, name=name, **kwargs)
            check_that(np.ndim(out) == 0 and abs(float(out) - float(reference(v, **kwargs))) < 1e-6,
                       f"{name}({v!r}) should be the single number {float(reference(v, **kwargs))}")


# --------------------------------------------------------------------------- tanh_grad
def tanh_grad_mistakes(z: np.ndarray) -> dict:
    """Wrong values of tanh_grad at z, each with the message that names it."""
    t = np.tanh(z)
    return {
        "you computed 1 - tanh(z), without the square. The slope is 1 - tanh(z)**2.": 1 - t,
        "you computed 1 - z**2: the formula squares the OUTPUT tanh(z), not z itself.": 1 - z**2,
        "the sign is flipped: tanh rises everywhere, so its slope 1 - tanh(z)**2 is positive.": t**2 - 1,
        "you computed 1 + tanh(z)**2; the slope is 1 - tanh(z)**2, with a minus.": 1 + t**2,
        "you returned tanh(z) itself, not its slope.": t,
        "you computed 1/cosh(z) without the square; the slope is 1/cosh(z)**2 = 1 - tanh(z)**2.": 1 / np.cosh(z),
        "you computed the sigmoid's slope s(1 - s); this exercise asks for the slope of tanh.":
            (0.5 * (1 + np.tanh(z / 2))) * (1 - 0.5 * (1 + np.tanh(z / 2))),
    }


# --------------------------------------------------------------------------- softmax
def _softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_mistakes(z: np.ndarray) -> dict:
    """Wrong values of softmax(z) for a small, finite z (1-D or more), with their messages."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z)
    out = {
        "you returned exp(z) without dividing by the sum: the probabilities must add up to 1.": e,
        "you divided z by its sum without exp; softmax exponentiates first: exp(z_i) / sum_j exp(z_j).":
            z / np.sum(z, axis=-1, keepdims=True),
    }
    if z.ndim >= 2:
        out["you normalized over the whole array (np.sum without an axis): each row must add up to 1 on its own. "
            "Use axis=-1 and keepdims=True in np.max and np.sum."] = e / e.sum()
        out["you normalized over axis 0 (down the columns); softmax works on the LAST axis: "
            "each row (each sample's scores) must add up to 1. Use axis=-1."] = _softmax(z, axis=0)
    if z.ndim >= 3:
        out["you normalized over axis 1; softmax works on the LAST axis, whatever the number of dimensions. "
            "Use axis=-1 (not axis=1)."] = _softmax(z, axis=1)
    return out


def check_softmax_stable(func: Callable) -> None:
    """Large scores: naive softmax gives nan, shifting by the wrong constant too."""
    __tracebackhide__ = True
    z = np.array([1000.0, 999.0, 998.0])
    with np.errstate(all="ignore"):
        out = call(func, z.copy(), name="softmax")
        check(out, _softmax(z), "softmax(np.array([1000., 999., 998.]))",
              nan_hint="exp(1000) overflows to inf, and inf/inf is nan. Subtract the largest score first "
                       "(section 7): softmax(z - max(z)) has the same values and never overflows.")
        z = np.array([[1000.0, 0.0, -1000.0],
                      [3.2, 0.8, 0.0],
                      [-1000.0, -1001.0, -1002.0]])
        text = "softmax of the rows [1000, 0, -1000], [3.2, 0.8, 0], [-1000, -1001, -1002]"
        out = call(func, z.copy(), name="softmax")
        check(out, _softmax(z), text,
              nan_hint="each row must be shifted by ITS OWN largest score: np.max(z, axis=-1, keepdims=True). "
                       "A single max of the whole array leaves rows far below it with exp(...) = 0 everywhere "
                       "(0/0 is nan); shifting by the mean or the smallest score still leaves exp of a large "
                       "positive number (exp(1000) is inf).")


def check_softmax_random(func: Callable, seed: int = 0) -> None:
    """Hidden tests of softmax: shapes (batch of one, 1-D, 3-D), large scores, integers, shift invariance."""
    __tracebackhide__ = True
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        for shape in [(1, 5), (4,), (6, 3), (3, 6), (4, 4), (2, 3, 5), (1, 1), (2,)]:
            for scale in (1.0, 500.0):
                z = rng.normal(0.0, scale, size=shape)
                keep = z.copy()
                out = call(func, z, name="softmax")
                check_that(np.array_equal(z, keep), f"softmax changed its input (shape {shape})")
                check_that(isinstance(out, np.ndarray) and out.shape == shape,
                           f"softmax of shape {shape} should return that shape, not {_describe(out)}")
                check_that(np.issubdtype(out.dtype, np.floating), "softmax must return floats")
                check_that(np.all(np.isfinite(out)), f"softmax returned nan/inf for scores of size {scale} (shape {shape})")
                check_that(np.allclose(out, _softmax(keep), rtol=1e-6, atol=1e-12),
                           f"softmax gives wrong values for shape {shape}, scale {scale}")
                check_that(np.allclose(np.sum(out, axis=-1), 1.0), "each row of softmax must sum to 1")
                shifted = call(func, keep + 123.0, name="softmax")
                check_that(np.allclose(shifted, out, atol=1e-10), "softmax(z + c) must equal softmax(z)")
        zi = rng.integers(-3, 4, size=(3, 4))
        out = call(func, zi, name="softmax")
        check_that(np.issubdtype(np.asarray(out).dtype, np.floating) and np.allclose(out, _softmax(zi)),
                   "softmax of integer scores must give the right floats")


# --------------------------------------------------------------------------- collapse_linear
def collapse_reference(W, b, U, c):
    """(V, d) with (x W + b) U + c = x V + d: V = W U of shape (D, K), d = b U + c of shape (K,)."""
    W, b, U, c = (np.asarray(a, dtype=float) for a in (W, b, U, c))
    return W @ U, b @ U + c


def collapse_mistakes(W, b, U, c) -> tuple[dict, dict]:
    """Wrong values of V and of d for square shapes (D = H = K), each with its message."""
    V_wrong = {
        "V = U @ W multiplies in the wrong order. With samples in rows, x passes W first, then U: "
        "(x W) U = x (W U), so V = W @ U.": U @ W,
        "V = W * U multiplies entry by entry; the layers compose by a matrix product, V = W @ U.": W * U,
        "V = W + U adds the weights; composing layers multiplies them: V = W @ U.": W + U,
        "V is transposed: you computed (W @ U).T = U.T @ W.T. V = W @ U has shape (D, K), like a weight "
        "matrix with samples in rows.": (W @ U).T,
    }
    d_wrong = {
        "d = b + c adds the two biases, but b lives in the hidden layer and passes through U first: "
        "d = b @ U + c.": b + c,
        "d = c forgets the first bias, which passes through U: d = b @ U + c.": c,
        "d = b @ U forgets the second bias c: d = b @ U + c.": b @ U,
        "d = U @ b multiplies in the wrong order: b is a row (like a sample), so d = b @ U + c.": U @ b + c,
    }
    return V_wrong, d_wrong


def check_collapse(func: Callable, W, b, U, c, *, name: str = "collapse_linear(W, b, U, c)") -> None:
    """Check (V, d) = func(W, b, U, c): a tuple of two arrays with the right shapes and values,
    the mistakes named where the shapes are square, the inputs left alone, and the property
    (x W + b) U + c = x V + d on a few x."""
    __tracebackhide__ = True
    args = [np.asarray(a, dtype=float) for a in (W, b, U, c)]
    before = copy.deepcopy(args)
    out = call(func, *args, name="collapse_linear")
    for i, (old, new) in enumerate(zip(before, args)):
        check_that(np.array_equal(old, new), f"collapse_linear changed its argument {'WbUc'[i]} in place.",
                   "build V and d as new arrays; don't assign into W, b, U or c.")
    check_that(isinstance(out, (tuple, list)) and len(out) == 2,
               f"{name} should return a tuple (V, d) of two arrays, but it returned {_describe(out)}"
               + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."),
               "end the function with `return V, d`.")
    V, d = out
    V_ref, d_ref = collapse_reference(*args)
    D, H = args[0].shape
    K = args[2].shape[1]
    if isinstance(V, np.ndarray) and V.shape == (K, D) and (K, D) != (D, K):
        _fail(f"V has shape {V.shape}, but it should have shape (D, K) = {(D, K)}.",
              "V replaces W then U, so it maps D inputs to K outputs like a weight matrix with samples in rows: "
              "V = W @ U (shape (D, H) @ (H, K)).")
    if isinstance(d, np.ndarray) and d.shape == (H,) and H != K:
        _fail(f"d has shape {d.shape}, the shape of the hidden bias b, but it should have shape (K,) = ({K},).",
              "b lives in the hidden layer; it reaches the output only through U: d = b @ U + c.")
    square = D == H == K
    V_wrong, d_wrong = collapse_mistakes(*args) if square else ({}, {})
    check(V, V_ref, f"V of {name}", mistakes=V_wrong, hint="V = W @ U, shape (D, K).")
    check(d, d_ref, f"d of {name}", mistakes=d_wrong,
          hint="d = b @ U + c, shape (K,): the output for x = 0.")


def check_collapse_random(func: Callable, seed: int = 0) -> None:
    """Hidden tests: random shapes (one input, one output, one hidden unit), the property
    (x W + b) U + c == x V + d on random x, inputs unchanged, integer inputs."""
    __tracebackhide__ = True
    rng = np.random.default_rng(seed)
    for D, H, K in [(1, 1, 1), (4, 3, 2), (2, 5, 1), (1, 6, 3), (5, 2, 4), (3, 3, 3)]:
        W, b, U, c = (rng.normal(size=s) for s in [(D, H), (H,), (H, K), (K,)])
        keep = [a.copy() for a in (W, b, U, c)]
        out = call(func, W, b, U, c, name="collapse_linear")
        check_that(all(np.array_equal(a, k) for a, k in zip((W, b, U, c), keep)), "collapse_linear changed an input")
        check_that(isinstance(out, (tuple, list)) and len(out) == 2, "collapse_linear must return (V, d)")
        V, d = out
        check_that(isinstance(V, np.ndarray) and isinstance(d, np.ndarray), "V and d must be NumPy arrays")
        check_that(V.shape == (D, K) and d.shape == (K,), f"shapes of (V, d) must be {(D, K)} and {(K,)}, "
                   f"not {V.shape} and {d.shape}")
        x = rng.normal(size=(7, D))
        check_that(np.allclose((x @ W + b) @ U + c, x @ V + d, atol=1e-10),
                   f"(x W + b) U + c differs from x V + d for shapes D, H, K = {D, H, K}")
    Wi, bi, Ui, ci = np.array([[1, 2], [3, 4]]), np.array([1, -1]), np.array([[2], [-1]]), np.array([5])
    V, d = call(func, Wi, bi, Ui, ci, name="collapse_linear")
    check_that(np.allclose(V, [[0], [2]]) and np.allclose(d, [8]), "collapse_linear is wrong for integer inputs")
