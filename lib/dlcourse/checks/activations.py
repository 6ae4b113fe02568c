"""Checks of lesson 04 (activation functions): one function per exercise, called by its test cell.

Each visible test cell of `04_activations` is one call, ``check_<exercise>(globals())``: it finds
the student's function, makes sure it is their own (`check_own`, which also puts the package's
references of the lesson out of reach), runs the checks of the exercise and prints the ✔ line that
says what was checked. The hidden tests call ``hidden_<exercise>(globals())``: random inputs of
other shapes against the reference.

Shared pieces: `check_elementwise` (one array, naming the mistakes that have their own signature:
booleans, one number for a whole array, integers), `check_rules` (the rules of every element-wise
function of the lesson: input untouched, shape kept, integers in and floats out, numbers in and
numbers out), `check_random` (the same on random inputs, for the hidden tests), the `*_mistakes`
functions (exact values of plausible wrong answers, so that a message names a mistake only where
it is the one) and `need` (for demo cells that use a finished exercise). Student code is called
only through `attempt` and `check_no_mutation`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import (_describe, _fail, _show, attempt, best_of, check, check_defined, check_no_mutation, check_own,
               check_that, passed)

__all__ = ["check_collapse_linear", "check_tanh_grad", "check_relu", "check_relu_grad", "check_leaky_relu",
           "check_leaky_relu_grad", "check_softmax", "hidden_collapse_linear", "hidden_tanh_grad", "hidden_relu",
           "hidden_relu_grad", "hidden_leaky_relu", "hidden_leaky_relu_grad", "hidden_softmax",
           "check_elementwise", "check_rules", "check_random", "tanh_grad_mistakes", "softmax_mistakes",
           "check_softmax_stable", "check_softmax_random", "collapse_reference", "collapse_mistakes",
           "check_collapse", "check_collapse_random", "need"]

# Advice for the crashes element-wise code and softmax run into ("TypeName: message" contains the key).
HINTS = {
    "size-1": "functions of the math module (math.exp, math.tanh, max) take one number at a time; "
              "use NumPy's versions (np.exp, np.tanh, np.maximum), which work on whole arrays.",
    "0-dimensional": "functions of the math module (math.exp, math.tanh, max) take one number at a time; "
                     "use NumPy's versions (np.exp, np.tanh, np.maximum), which work on whole arrays.",
    "must be real number": "functions of the math module (math.exp, math.tanh) take one number at a time; "
                           "use NumPy's versions (np.exp, np.tanh), which work on whole arrays.",
    "Cannot cast ufunc": "an in-place operation such as `z -= ...` or `z *= ...` tried to write floats into an "
                         "array of integers, and it would change the caller's array anyway. Build a new array "
                         "(`shifted = z - ...`) and leave the input alone.",
    "truth value of an array": "Python's `max`, `min` and `if` look at one number at a time; for arrays use "
                               "np.maximum, np.minimum or np.where, which work entry by entry.",
    "astype": "a comparison of a plain number (`3 > 0`) gives a Python bool, which has no .astype. Start from "
              "an array (np.asarray), so that numbers and arrays are treated alike.",
    "broadcast": "two arrays of incompatible shapes met in one operation. A max or sum over the last axis of an "
                 "(N, K) array has shape (N,) and cannot line up with the K columns; keep that axis with length "
                 "1 (keepdims=True, shape (N, 1)) so that it broadcasts along each row.",
    "AxisError": "the axis you named does not exist for this input. `axis=-1` means the last axis, whatever "
                 "the number of dimensions (1-D, 2-D or more).",
    "out of bounds for array of dimension": "the axis you named does not exist for this input. `axis=-1` means "
                                            "the last axis, whatever the number of dimensions.",
    "matmul": "the shapes of a matrix product do not line up: in `A @ B` the last axis of A must match the "
              "first of B. Write down the shape of each array.",
    "aligned": "the shapes of a matrix product do not line up: in `A @ B` the last axis of A must match the "
               "first of B. Write down the shape of each array.",
}


def _args_text(args: tuple, kwargs: dict) -> str:
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"np.array({np.array2string(a, separator=', ', threshold=8)})".replace("\n", ""))
        else:
            parts.append(repr(a))
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _run(func: Callable, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the student's `func` through `attempt`, naming the call with its arguments."""
    __tracebackhide__ = True
    with np.errstate(all="ignore"):
        return attempt(func, *args, name=f"{name}({_args_text(args, kwargs)})", hints=HINTS, **kwargs)


def _own(ns: dict, name: str) -> Callable:
    """The student's function `name` from the notebook's namespace, checked to be their own."""
    __tracebackhide__ = True
    check_defined(ns, name)
    check_own(ns[name], name)
    return ns[name]


def need(func: Callable, name: str, exercise: str) -> None:
    """For demo cells: stop with a clear message while `func` (a graded function) is unfinished."""
    __tracebackhide__ = True
    out = attempt(func, np.array([-1.0, 0.5]), name=name,
                  hint=f"this cell uses your `{name}`: fix it with the test of {exercise}, then run this cell again.")
    check_that(out is not None, f"This cell uses your `{name}`, which returns None: finish {exercise} first.",
               mistake=f"{name}:no-return")


# --------------------------------------------------------------------------- element-wise functions
def check_elementwise(func: Callable, name: str, z: np.ndarray, expected: np.ndarray, *,
                      kwargs: dict | None = None, mistakes: dict | None = None, hint: str | None = None,
                      nan_hint: str | None = None) -> np.ndarray:
    """Check an element-wise function on one float array `z` against `expected` (same shape).

    Before comparing values, name three mistakes with their own signature: a boolean array
    (a comparison returned as it is), a single number for a whole array (np.max, max or np.sum
    instead of an element-wise operation) and integers. Returns what the function returned.
    """
    __tracebackhide__ = True
    kwargs = kwargs or {}
    text = f"{name}({_args_text((z,), kwargs)})"
    out = _run(func, name, z.copy(), **kwargs)
    if isinstance(out, np.ndarray) and out.dtype == bool:
        _fail(f"{text} returned True/False values (dtype bool), but a slope is a number.",
              "a comparison gives booleans; turn them into the numbers 0.0 and 1.0 before returning.",
              f"{name}:booleans")
    if np.ndim(out) == 0 and np.ndim(expected) > 0 and out is not None and not isinstance(out, (list, tuple)):
        _fail(f"{text} returned the single number {_show(out)}, but it should return one value per entry "
              f"of z (shape {np.shape(expected)}).",
              "np.max, max(...) and np.sum reduce the whole array to one number; this function works entry by "
              "entry (np.maximum and np.where compare two arrays entry by entry).", f"{name}:one-number")
    if isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.integer):
        _fail(f"{text} returned integers (dtype {out.dtype}); the rule of this lesson is floats out.",
              "NumPy keeps integers when every number in a formula is an integer: write 1.0 and 0.0 "
              "instead of 1 and 0.", f"{name}:dtype")
    with np.errstate(all="ignore"):
        check(out, expected, text, mistakes=mistakes, hint=hint, nan_hint=nan_hint)
    return out


def check_rules(func: Callable, name: str, reference: Callable, *, kwargs: dict | None = None) -> None:
    """The rules every element-wise function of lesson 04 follows, checked on small inputs:
    the input is left alone, a 2-D array keeps its shape, integers in give floats out, a number
    in gives a number out. `reference` computes the right values."""
    __tracebackhide__ = True
    kwargs = kwargs or {}
    with np.errstate(all="ignore"):
        check_no_mutation(lambda z: func(z, **kwargs), np.array([-3.0, -0.5, 0.0, 0.5, 2.0]), name=name)
        z2 = np.array([[-1.5, 0.25, 2.0], [3.0, -0.2, 0.0]])
        check(_run(func, name, z2, **kwargs), reference(z2, **kwargs), f"{name}({_args_text((z2,), kwargs)})")
        zi = np.array([-3, -1, 0, 2, 5])
        out = _run(func, name, zi, **kwargs)
        if isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.integer):
            _fail(f"{name}({_args_text((zi,), kwargs)}) (an array of integers) returned integers "
                  f"(dtype {out.dtype}); the rule of this lesson is floats out.",
                  "NumPy keeps integers when every number in a formula is an integer: write 0.0 and 1.0 "
                  "instead of 0 and 1, or turn z into floats first.", f"{name}:dtype")
        check(out, reference(zi, **kwargs), f"{name}({_args_text((zi,), kwargs)}) (integers in)")
        for v in (-2.5, 1.5, 3):
            out = _run(func, name, v, **kwargs)
            check_that(out is not None, f"{name}({_args_text((v,), kwargs)}) returned None.",
                       "did you forget the `return` statement?", f"{name}:no-return")
            check_that(np.ndim(out) == 0 and not isinstance(out, (list, tuple)),
                       f"{name}({_args_text((v,), kwargs)}) should be a single number, but it is {_describe(out)}"
                       + (f" of shape {np.shape(out)}." if isinstance(out, np.ndarray) else "."),
                       "for a number, return a number (or a 0-d array): don't wrap it in a list or a "
                       "1-element array, and don't use `for` loops over z.", f"{name}:shape")
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
            out = check_no_mutation(lambda v: func(v, **kwargs), z, name=name)
            check_that(isinstance(out, np.ndarray) and out.shape == shape,
                       f"{name} of an array of shape {shape} should return an array of that shape, "
                       f"not {_describe(out)}", mistake=f"{name}:shape")
            check_that(np.issubdtype(out.dtype, np.floating), f"{name} must return floats (shape {shape})",
                       mistake=f"{name}:dtype")
            check_that(np.allclose(out, reference(keep, **kwargs), rtol=1e-6, atol=1e-10),
                       f"{name} gives wrong values for a random array of shape {shape}", mistake=f"{name}:value")
        z = rng.uniform(-1000.0, 1000.0, size=50)
        out = np.asarray(_run(func, name, z, **kwargs), dtype=float)
        check_that(np.all(np.isfinite(out)) and np.allclose(out, reference(z, **kwargs), rtol=1e-6, atol=1e-10),
                   f"{name} gives wrong or non-finite values for |z| up to 1000", mistake=f"{name}:not-finite")
        zi = rng.integers(-5, 6, size=(3, 4))
        out = _run(func, name, zi, **kwargs)
        check_that(np.issubdtype(np.asarray(out).dtype, np.floating) and np.allclose(out, reference(zi, **kwargs)),
                   f"{name} of an integer array must give the right floats", mistake=f"{name}:dtype")
        for v in (0, 0.0, -4, 2.5, np.float64(-0.3), np.float32(1.5)):
            out = _run(func, name, v, **kwargs)
            check_that(np.ndim(out) == 0 and abs(float(out) - float(reference(v, **kwargs))) < 1e-6,
                       f"{name}({v!r}) should be the single number {float(reference(v, **kwargs))}",
                       mistake=f"{name}:value")


# --------------------------------------------------------------------------- tanh_grad
def tanh_grad_mistakes(z: np.ndarray) -> dict:
    """Wrong values of tanh_grad at z, each with the message that names it."""
    t = np.tanh(z)
    return {
        ("no-square", "you computed 1 - tanh(z), without the square. The slope is 1 - tanh(z)**2."): 1 - t,
        ("squares-z", "you computed 1 - z**2: the formula squares the OUTPUT tanh(z), not z itself."): 1 - z**2,
        ("sign-flipped", "the sign is flipped: tanh rises everywhere, so its slope 1 - tanh(z)**2 is positive."):
            t**2 - 1,
        ("plus", "you computed 1 + tanh(z)**2; the slope is 1 - tanh(z)**2, with a minus."): 1 + t**2,
        ("tanh-itself", "you returned tanh(z) itself, not its slope."): t,
        ("cosh-no-square", "you computed 1/cosh(z) without the square; the slope is 1/cosh(z)**2 = 1 - tanh(z)**2."):
            1 / np.cosh(z),
        ("sigmoid-slope", "you computed the sigmoid's slope s(1 - s); this exercise asks for the slope of tanh."):
            (0.5 * (1 + np.tanh(z / 2))) * (1 - 0.5 * (1 + np.tanh(z / 2))),
    }


def check_tanh_grad(ns: dict) -> None:
    """Exercise 2: values at a few z, large |z| without nan, the rules of the lesson."""
    __tracebackhide__ = True
    from ..layers import tanh_grad as reference
    f = _own(ns, "tanh_grad")
    z = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])       # tanh: -0.96403, -0.46212, 0, 0.76159, 0.99505
    check_elementwise(f, "tanh_grad", z, np.array([0.0706508249, 0.7864477330, 1.0, 0.4199743416, 0.0098660372]),
                      mistakes=tanh_grad_mistakes(z))
    check_elementwise(f, "tanh_grad", np.array([-1000.0, -30.0, 30.0, 1000.0]), np.zeros(4),
                      nan_hint="exp(1000) is inf and inf/inf is nan: NumPy's own tanh never overflows.")
    check_rules(f, "tanh_grad", reference)
    passed("tanh_grad: values, large |z|, a 2-D array, integers and numbers in, input untouched")


def hidden_tanh_grad(ns: dict) -> None:
    __tracebackhide__ = True
    from ..layers import tanh_grad as reference
    f = _own(ns, "tanh_grad")
    check_random(f, "tanh_grad", reference, seed=2)
    zz = np.linspace(-4, 4, 81)
    numeric = (np.tanh(zz + 1e-5) - np.tanh(zz - 1e-5)) / 2e-5
    check_that(np.allclose(_run(f, "tanh_grad", zz), numeric, atol=1e-8), "tanh_grad is not the slope of tanh",
               mistake="tanh_grad:value")


# --------------------------------------------------------------------------- relu, relu_grad
def check_relu(ns: dict) -> None:
    """Exercise 3, relu: values, the named mistakes, the rules of the lesson."""
    __tracebackhide__ = True
    from ..layers import relu as reference
    f = _own(ns, "relu")
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    check_elementwise(f, "relu", z, np.array([0.0, 0.0, 0.0, 0.5, 3.0]), mistakes={
        ("identity", "you returned z unchanged; relu sets the negative entries to 0."): z,
        ("negative-part", "you returned min(z, 0), the negative part; relu keeps the positive part."): np.minimum(z, 0),
        ("abs", "you returned |z|; relu sets negative entries to 0 instead of flipping their sign."): np.abs(z),
        ("slope", "you returned the slope (1 where z > 0); relu itself is max(z, 0)."):
            np.array([0.0, 0.0, 0.0, 1.0, 1.0]),
    })
    check_rules(f, "relu", reference)
    passed("relu: values, a 2-D array, integers and numbers in, input untouched")


def hidden_relu(ns: dict) -> None:
    __tracebackhide__ = True
    from ..layers import relu as reference
    check_random(_own(ns, "relu"), "relu", reference, seed=3)


def check_relu_grad(ns: dict) -> None:
    """Exercise 3, relu_grad: values (0 at the kink), floats, the rules of the lesson."""
    __tracebackhide__ = True
    from ..layers import relu_grad as reference
    f = _own(ns, "relu_grad")
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    check_elementwise(f, "relu_grad", z, np.array([0.0, 0.0, 0.0, 1.0, 1.0]), mistakes={
        ("one-at-zero", "at z = 0 you returned 1. This course takes the slope at the kink to be 0: the slope is 1 "
                        "only where z is strictly positive."): np.array([0.0, 0.0, 1.0, 1.0, 1.0]),
        ("relu-itself", "you returned relu(z) itself; its slope is 1 where z > 0 and 0 elsewhere."):
            np.array([0.0, 0.0, 0.0, 0.5, 3.0]),
        ("sign", "np.sign(z) gives -1 for negative z, but relu is flat there: its slope is 0."): np.sign(z),
        ("flipped", "the slope is flipped: relu rises (slope 1) where z > 0 and is flat (slope 0) where z < 0."):
            np.array([1.0, 1.0, 0.0, 0.0, 0.0]),
    })
    check_rules(f, "relu_grad", reference)
    passed("relu_grad: values (0 at z = 0), floats not booleans, a 2-D array, integers and numbers in, input untouched")


def hidden_relu_grad(ns: dict) -> None:
    __tracebackhide__ = True
    from .. import layers
    f = _own(ns, "relu_grad")
    best_of(lambda: check_random(f, "relu_grad", layers.relu_grad, seed=5), ns, relu=layers.relu)


# --------------------------------------------------------------------------- leaky_relu, leaky_relu_grad
def check_leaky_relu(ns: dict) -> None:
    """Exercise 4, leaky_relu: alpha passed and the default, the named mistakes, the rules of the lesson."""
    __tracebackhide__ = True
    from ..layers import leaky_relu as reference
    f = _own(ns, "leaky_relu")
    z = np.array([-4.0, -0.5, 0.0, 0.5, 3.0])
    check_elementwise(f, "leaky_relu", z, np.array([-0.4, -0.05, 0.0, 0.5, 3.0]), kwargs={"alpha": 0.1}, mistakes={
        ("ignores-alpha", "you used alpha = 0.01 although alpha = 0.1 was passed: use the parameter alpha, "
                          "not a fixed number."): np.array([-0.04, -0.005, 0.0, 0.5, 3.0]),
        ("cases-swapped", "the two cases are swapped: z stays as it is where z > 0, and is multiplied by alpha "
                          "where z <= 0."): np.array([-4.0, -0.5, 0.0, 0.05, 0.3]),
        ("scales-all", "you multiplied every entry by alpha; only the negative ones are scaled."): 0.1 * z,
        ("relu", "negative z give 0: that is ReLU. Leaky ReLU gives alpha * z there."):
            np.array([0.0, 0.0, 0.0, 0.5, 3.0]),
        ("max-with-alpha", "you compared z with alpha itself (np.maximum(z, alpha)); the negative side is alpha "
                           "TIMES z."): np.maximum(z, 0.1),
        ("constant-negative", "you returned the constant -alpha on the negative side (a small negative bias); "
                              "leaky ReLU adds no constant: it multiplies negative z by alpha, a small slope."):
            np.where(z > 0, z, -0.1),
    })
    check_elementwise(f, "leaky_relu", z, np.array([-0.04, -0.005, 0.0, 0.5, 3.0]),
                      hint="without alpha, leaky_relu must use the default alpha = 0.01.")
    check_rules(f, "leaky_relu", reference, kwargs={"alpha": 0.2})
    passed("leaky_relu: values with alpha = 0.1 and with the default, a 2-D array, integers and numbers in, "
           "input untouched")


def hidden_leaky_relu(ns: dict) -> None:
    __tracebackhide__ = True
    from ..layers import leaky_relu as reference
    f = _own(ns, "leaky_relu")
    check_random(f, "leaky_relu", reference, seed=6)
    check_random(f, "leaky_relu", reference, seed=7, kwargs={"alpha": 0.3})
    check_random(f, "leaky_relu", reference, seed=8, kwargs={"alpha": 0.0})


def check_leaky_relu_grad(ns: dict) -> None:
    """Exercise 4, leaky_relu_grad: alpha at and left of the kink, the default, the rules of the lesson."""
    __tracebackhide__ = True
    from ..layers import leaky_relu_grad as reference
    f = _own(ns, "leaky_relu_grad")
    z = np.array([-4.0, -0.5, 0.0, 0.5, 3.0])
    check_elementwise(f, "leaky_relu_grad", z, np.array([0.1, 0.1, 0.1, 1.0, 1.0]), kwargs={"alpha": 0.1}, mistakes={
        ("relu-slope", "for z <= 0 the slope is alpha, not 0 (that is ReLU's slope)."):
            np.array([0.0, 0.0, 0.0, 1.0, 1.0]),
        ("ignores-alpha", "you used alpha = 0.01 although alpha = 0.1 was passed: use the parameter alpha."):
            np.array([0.01, 0.01, 0.01, 1.0, 1.0]),
        ("one-at-zero", "at z = 0 you returned 1. This course takes the slope on the left at the kink: alpha "
                        "(the slope is 1 only where z is strictly positive)."): np.array([0.1, 0.1, 1.0, 1.0, 1.0]),
        ("leaky-itself", "you returned leaky_relu(z) itself, not its slope."): np.array([-0.4, -0.05, 0.0, 0.5, 3.0]),
        ("alpha-times-z", "for z < 0 you returned alpha * z; the slope there is the constant alpha."):
            np.array([-0.4, -0.05, 0.0, 1.0, 1.0]),
        ("cases-swapped", "the two cases are swapped: the slope is 1 where z > 0 and alpha where z <= 0."):
            np.array([1.0, 1.0, 1.0, 0.1, 0.1]),
    })
    check_elementwise(f, "leaky_relu_grad", z, np.array([0.01, 0.01, 0.01, 1.0, 1.0]),
                      hint="without alpha, leaky_relu_grad must use the default alpha = 0.01.")
    check_rules(f, "leaky_relu_grad", reference, kwargs={"alpha": 0.2})
    passed("leaky_relu_grad: values (alpha at z = 0), the default alpha, a 2-D array, integers and numbers in, "
           "input untouched")


def hidden_leaky_relu_grad(ns: dict) -> None:
    __tracebackhide__ = True
    from .. import layers
    f = _own(ns, "leaky_relu_grad")

    def test():
        check_random(f, "leaky_relu_grad", layers.leaky_relu_grad, seed=9)
        check_random(f, "leaky_relu_grad", layers.leaky_relu_grad, seed=10, kwargs={"alpha": 0.3})

    best_of(test, ns, leaky_relu=layers.leaky_relu, relu=layers.relu, relu_grad=layers.relu_grad)


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
        ("no-normalization", "you returned exp(z) without dividing by the sum: the probabilities must add up to 1."): e,
        ("no-exp", "you divided z by its sum without exp; softmax exponentiates first: exp(z_i) / sum_j exp(z_j)."):
            z / np.sum(z, axis=-1, keepdims=True),
    }
    if z.ndim >= 2:
        out[("whole-array", "you normalized over the whole array (a sum without an axis): each row must add up to "
                            "1 on its own, so the max and the sum run over the last axis only.")] = e / e.sum()
        out[("axis-0", "you normalized over axis 0 (down the columns); softmax works on the LAST axis: each row "
                       "(each sample's scores) must add up to 1.")] = _softmax(z, axis=0)
        if z.shape[-1] == z.shape[-2]:  # square rows and columns: a row statistic without keepdims still runs
            m = np.max(z, axis=-1)[..., None, :]
            wrong = np.exp(z - m)
            out[("no-keepdims", "the row maxima and sums have shape (N,) and broadcast along the wrong axis (over "
                                "the columns): keep the reduced axis with length 1 (shape (N, 1)) so that each row "
                                "uses its own max and sum.")] = wrong / np.sum(wrong, axis=-1)[..., None, :]
    if z.ndim >= 3:
        out[("axis-1", "you normalized over axis 1; softmax works on the LAST axis, whatever the number of "
                       "dimensions.")] = _softmax(z, axis=1)
    return out


def check_softmax_stable(func: Callable) -> None:
    """Large scores: a naive softmax gives nan; so does a shift by the max of the whole array (rows far
    apart) or by the mean."""
    __tracebackhide__ = True
    z = np.array([1000.0, 999.0, 998.0])
    check(_run(func, "softmax", z.copy()), _softmax(z), "softmax(np.array([1000., 999., 998.]))",
          nan_hint="exp(1000) overflows to inf, and inf/inf is nan. Section 7 shows a shift of the scores that "
                   "changes nothing on paper and keeps every exponent at most 0.")
    z = np.array([[1000.0, 0.0, -1000.0],
                  [3.2, 0.8, 0.0],
                  [-1000.0, -1001.0, -1002.0]])
    text = "softmax of the rows [1000, 0, -1000], [3.2, 0.8, 0], [-1000, -1001, -1002]"
    out = _run(func, "softmax", z.copy())
    if isinstance(out, np.ndarray) and out.shape == z.shape:
        with np.errstate(all="ignore"):
            top_row_right = np.allclose(out[0], _softmax(z[0]), rtol=1e-6, atol=1e-8)
            others_lost = all(not np.all(np.isfinite(row)) or np.allclose(row, 0.0, atol=1e-12) for row in out[1:])
        if top_row_right and others_lost:
            _fail(f"{text} is wrong: only the first row is right; the others came out as {_show(out[1:])}. You "
                  "shifted every row by the largest score of the WHOLE array (1000): the exponents of the other "
                  "rows are then exp(-996) or smaller, which is 0, and 0/0 is nan.",
                  "each row (sample) must be shifted by its own largest score, taken over the last axis.",
                  "softmax:global-max")
    check(out, _softmax(z), text,
          nan_hint="each row must be shifted by ITS OWN largest score (a max over the last axis). Shifting by "
                   "the mean or the smallest score still leaves exp of a large positive number (exp(1000) is inf).")


def check_softmax_random(func: Callable, seed: int = 0) -> None:
    """Hidden tests of softmax: shapes (batch of one, 1-D, 3-D), large scores, integers, shift invariance."""
    __tracebackhide__ = True
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        for shape in [(1, 5), (4,), (6, 3), (3, 6), (4, 4), (2, 3, 5), (1, 1), (2,)]:
            for scale in (1.0, 500.0):
                z = rng.normal(0.0, scale, size=shape)
                keep = z.copy()
                out = check_no_mutation(func, z, name="softmax")
                check_that(isinstance(out, np.ndarray) and out.shape == shape,
                           f"softmax of shape {shape} should return that shape, not {_describe(out)}",
                           mistake="softmax:shape")
                check_that(np.issubdtype(out.dtype, np.floating), "softmax must return floats", mistake="softmax:dtype")
                check_that(np.all(np.isfinite(out)), f"softmax returned nan/inf for scores of size {scale} "
                           f"(shape {shape})", mistake="softmax:not-finite")
                check_that(np.allclose(out, _softmax(keep), rtol=1e-6, atol=1e-12),
                           f"softmax gives wrong values for shape {shape}, scale {scale}", mistake="softmax:value")
                check_that(np.allclose(np.sum(out, axis=-1), 1.0), "each row of softmax must sum to 1",
                           mistake="softmax:value")
                shifted = _run(func, "softmax", keep + 123.0)
                check_that(np.allclose(shifted, out, atol=1e-10), "softmax(z + c) must equal softmax(z)",
                           mistake="softmax:value")
        zi = rng.integers(-3, 4, size=(3, 4))
        out = _run(func, "softmax", zi)
        check_that(np.issubdtype(np.asarray(out).dtype, np.floating) and np.allclose(out, _softmax(zi)),
                   "softmax of integer scores must give the right floats", mistake="softmax:dtype")


def check_softmax(ns: dict) -> None:
    """Exercise 5: the bus scores, a batch, a square batch, large scores with rows far apart, 3-D, integers,
    the input untouched."""
    __tracebackhide__ = True
    f = _own(ns, "softmax")
    z = np.array([3.2, 0.8, 0.0])
    check(_run(f, "softmax", z.copy()), np.array([0.8837980940, 0.0801763501, 0.0360255559]),
          "softmax(np.array([3.2, 0.8, 0.]))", mistakes=softmax_mistakes(z))
    Z = np.array([[3.2, 0.8, 0.0], [1.0, 2.0, 3.0]])
    check(_run(f, "softmax", Z.copy()), np.array([[0.8837980940, 0.0801763501, 0.0360255559],
                                                  [0.0900305732, 0.2447284711, 0.6652409558]]),
          "softmax of the batch [[3.2, 0.8, 0], [1, 2, 3]] (one row per sample)", mistakes=softmax_mistakes(Z))
    Zs = np.array([[0.0, 1.0, 2.0], [3.0, -1.0, 0.5], [1.0, 1.0, 4.0]])   # N = K: a missing keepdims runs here
    check(_run(f, "softmax", Zs.copy()), _softmax(Zs), "softmax of a batch of 3 samples with 3 scores each",
          mistakes=softmax_mistakes(Zs))
    check_softmax_stable(f)
    Z3 = np.array([[[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]],
                   [[3.0, 1.0, 1.0], [-2.0, 0.5, 0.0]]])
    check(_run(f, "softmax", Z3.copy()), np.exp(Z3) / np.exp(Z3).sum(axis=-1, keepdims=True),
          "softmax of an array of shape (2, 2, 3) (over the last axis)", mistakes=softmax_mistakes(Z3))
    check_no_mutation(f, np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]]), name="softmax")
    check(_run(f, "softmax", np.array([1, 2, 3])), np.array([0.0900305732, 0.2447284711, 0.6652409558]),
          "softmax(np.array([1, 2, 3])) (integers in)")
    passed("softmax: the bus scores, a batch (also square), large scores in rows far apart, 3-D input, integers, "
           "input untouched")


def hidden_softmax(ns: dict) -> None:
    __tracebackhide__ = True
    check_softmax_random(_own(ns, "softmax"), seed=11)


# --------------------------------------------------------------------------- collapse_linear
def collapse_reference(W, b, U, c):
    """(V, d) with (x W + b) U + c = x V + d: V = W U of shape (D, K), d = b U + c of shape (K,)."""
    W, b, U, c = (np.asarray(a, dtype=float) for a in (W, b, U, c))
    return W @ U, b @ U + c


def collapse_mistakes(W, b, U, c) -> tuple[dict, dict]:
    """Wrong values of V and of d for square shapes (D = H = K), each with its message."""
    V_wrong = {
        ("wrong-order", "V = U @ W multiplies in the wrong order. With samples in rows, x passes W first, then U: "
                        "(x W) U = x (W U)."): U @ W,
        ("elementwise", "V = W * U multiplies entry by entry; layers compose by a matrix product."): W * U,
        ("added", "V = W + U adds the weights; composing layers multiplies them."): W + U,
        ("transposed", "V is transposed: you computed (W @ U).T = U.T @ W.T. V maps D inputs to K outputs, shape "
                       "(D, K), like a weight matrix with samples in rows."): (W @ U).T,
    }
    d_wrong = {
        ("b-plus-c", "d = b + c adds the two biases, but b lives in the hidden layer and passes through U "
                     "before it reaches the output."): b + c,
        ("forgets-b", "d = c forgets the first bias, which reaches the output through U."): c,
        ("forgets-c", "d forgets the second bias c, which is added after U."): b @ U,
        ("wrong-order", "d = U @ b multiplies in the wrong order: b is a row (like a sample), so it is "
                        "multiplied from the left."): U @ b + c,
    }
    return V_wrong, d_wrong


def check_collapse(func: Callable, W, b, U, c, *, name: str = "collapse_linear(W, b, U, c)") -> None:
    """Check (V, d) = func(W, b, U, c): a tuple of two arrays with the right shapes and values,
    the mistakes named where the shapes are square, the inputs left alone."""
    __tracebackhide__ = True
    args = [np.asarray(a, dtype=float) for a in (W, b, U, c)]
    out = check_no_mutation(func, *args, name="collapse_linear")
    check_that(isinstance(out, (tuple, list)) and len(out) == 2,
               f"{name} should return a tuple (V, d) of two arrays, but it returned {_describe(out)}"
               + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."),
               "end the function with `return V, d`.", "collapse_linear:type")
    V, d = out
    V_ref, d_ref = collapse_reference(*args)
    D, H = args[0].shape
    K = args[2].shape[1]
    if isinstance(V, np.ndarray) and V.shape == (K, D) and (K, D) != (D, K):
        _fail(f"V has shape {V.shape}, but it should have shape (D, K) = {(D, K)}.",
              "V replaces W then U, so it maps D inputs to K outputs like a weight matrix with samples in rows.",
              "collapse_linear:transposed")
    if isinstance(d, np.ndarray) and d.shape == (H,) and H != K:
        _fail(f"d has shape {d.shape}, the shape of the hidden bias b, but it should have shape (K,) = ({K},).",
              "b lives in the hidden layer; it reaches the output only through U.", "collapse_linear:b-not-through-U")
    square = D == H == K
    V_wrong, d_wrong = collapse_mistakes(*args) if square else ({}, {})
    check(V, V_ref, f"{name}: V", mistakes=V_wrong, hint="V has shape (D, K): what does x pass through first?")
    check(d, d_ref, f"{name}: d", mistakes=d_wrong, hint="d has shape (K,): it is the output for x = 0.")


def check_collapse_random(func: Callable, seed: int = 0) -> None:
    """Hidden tests: random shapes (one input, one output, one hidden unit), the property
    (x W + b) U + c == x V + d on random x, inputs unchanged, integer inputs."""
    __tracebackhide__ = True
    rng = np.random.default_rng(seed)
    for D, H, K in [(1, 1, 1), (4, 3, 2), (2, 5, 1), (1, 6, 3), (5, 2, 4), (3, 3, 3)]:
        W, b, U, c = (rng.normal(size=s) for s in [(D, H), (H,), (H, K), (K,)])
        out = check_no_mutation(func, W, b, U, c, name="collapse_linear")
        check_that(isinstance(out, (tuple, list)) and len(out) == 2, "collapse_linear must return (V, d)",
                   mistake="collapse_linear:type")
        V, d = out
        check_that(isinstance(V, np.ndarray) and isinstance(d, np.ndarray), "V and d must be NumPy arrays",
                   mistake="collapse_linear:type")
        check_that(V.shape == (D, K) and d.shape == (K,), f"shapes of (V, d) must be {(D, K)} and {(K,)}, "
                   f"not {V.shape} and {d.shape}", mistake="collapse_linear:shape")
        x = rng.normal(size=(7, D))
        check_that(np.allclose((x @ W + b) @ U + c, x @ V + d, atol=1e-10),
                   f"(x W + b) U + c differs from x V + d for shapes D, H, K = {D, H, K}", mistake="collapse_linear:value")
    Wi, bi, Ui, ci = np.array([[1, 2], [3, 4]]), np.array([1, -1]), np.array([[2], [-1]]), np.array([5])
    V, d = attempt(func, Wi, bi, Ui, ci, name="collapse_linear(integer arrays)")
    check_that(np.allclose(V, [[0], [2]]) and np.allclose(d, [8]), "collapse_linear is wrong for integer inputs",
               mistake="collapse_linear:value")


def check_collapse_linear(ns: dict) -> None:
    """Exercise 1: a square case (a product in the wrong order still runs there, so the mistake can be named)
    and the worked example of section 2."""
    __tracebackhide__ = True
    f = _own(ns, "collapse_linear")
    check_collapse(f, np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([0.5, -2.0]),
                   np.array([[3.0, 1.0], [-1.0, 2.0]]), np.array([1.0, 4.0]),
                   name="collapse_linear(W, b, U, c) with W = [[1, 2], [0, -1]], b = [0.5, -2], "
                        "U = [[3, 1], [-1, 2]], c = [1, 4]")
    check_collapse(f, np.array([[1.0, -1.0, 2.0], [0.0, 1.0, 1.0]]), np.array([1.0, 0.0, -1.0]),
                   np.array([[2.0], [1.0], [-1.0]]), np.array([0.5]),
                   name="collapse_linear for the worked example (D, H, K = 2, 3, 1)")
    passed("collapse_linear: values and shapes for square and non-square layers, inputs untouched")


def hidden_collapse_linear(ns: dict) -> None:
    __tracebackhide__ = True
    check_collapse_random(_own(ns, "collapse_linear"), seed=4)
