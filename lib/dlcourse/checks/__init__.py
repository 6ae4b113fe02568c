"""Feedback checks used by the visible tests of every lesson.

One checker, `check`, compares what a student's code returned with what it should
return and reports, in this order and separately, what is wrong with it:

1. nothing returned (a missing `return`);
2. the type (a list where a NumPy array is expected, a tuple of the wrong length);
3. the shape (including the classic `(N, 1)` versus `(N,)` mix-up);
4. the dtype (integers where floats are expected);
5. non-finite values (`nan`, `inf`, usually an overflow);
6. the values, first against a list of known mistakes, so that the message can name
   the misconception ("you computed 1/(1+exp(z)): the sign in the exponent is flipped"),
   then generically (where, what was returned, what was expected).

Every failure raises `CheckFailed`, an `AssertionError`, so nbgrader scores the test
cell 0; nothing is written to stderr.
"""

from __future__ import annotations

import copy
import numbers
from typing import Any, Callable, Mapping

import numpy as np

from .._math import logistic

__all__ = ["CheckFailed", "check", "check_that", "check_defined", "check_own", "check_no_mutation", "check_gate",
           "substitute", "passed"]


class CheckFailed(AssertionError):
    """A visible check failed; the message says what to change."""


def _fail(message: str, hint: str | None = None) -> None:
    __tracebackhide__ = True  # IPython shows the message, not this frame
    if hint:
        message = f"{message}\n  Hint: {hint}"
    raise CheckFailed(message)


def _is_number(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (numbers.Number, np.number)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _show(value: Any) -> str:
    text = np.array2string(np.asarray(value), precision=4, threshold=12, edgeitems=3) \
        if not _is_number(value) else f"{float(value):.6g}"
    return text.replace("\n", " ")


def _close(actual: Any, expected: Any, rtol: float, atol: float) -> bool:
    try:
        a = np.asarray(actual, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=False))


def check(
    actual: Any,
    expected: Any,
    name: str,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    mistakes: Mapping[str, Any] | None = None,
    hint: str | None = None,
    nan_hint: str | None = None,
) -> None:
    """Check a returned value against the expected one; raise `CheckFailed` if it differs.

    Parameters
    ----------
    actual : what the student's code returned (number, array, or tuple of those)
    expected : the right answer, same structure
    name : how to call the value in messages, e.g. ``"sigmoid(np.array([0., 2.]))"``
    rtol, atol : tolerances of the value comparison (`np.allclose`)
    mistakes : ``{explanation: wrong_value}``; when `actual` matches a wrong value,
        the message is that explanation
    hint : added to a generic value mismatch
    nan_hint : added when the result contains nan or inf
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    if actual is None and expected is not None:
        _fail(f"{name} returned None. Did you forget the `return` statement?")

    if isinstance(expected, tuple):
        if not isinstance(actual, (tuple, list)) or len(actual) != len(expected):
            length = f" of length {len(actual)}" if isinstance(actual, (tuple, list)) else ""
            _fail(f"{name} should be a tuple of {len(expected)} items, but it is {_describe(actual)}{length}.")
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(a, e, f"{name}[{i}]", rtol=rtol, atol=atol, hint=hint, nan_hint=nan_hint)
        if mistakes:
            for explanation, wrong in mistakes.items():
                if all(_close(a, w, rtol, atol) for a, w in zip(actual, wrong)):
                    _fail(f"{name} is wrong: {explanation}")
        return

    # -- type
    if _is_number(expected):
        if isinstance(actual, np.ndarray) and actual.size == 1 and actual.ndim > 0:
            _fail(f"{name} should be a single number, but it is an array of shape {actual.shape}.",
                  "return a scalar, e.g. with `float(...)` or by summing/averaging over every axis.")
        if not _is_number(actual):
            _fail(f"{name} should be a number, but it is {_describe(actual)}.")
    elif isinstance(expected, np.ndarray):
        if not isinstance(actual, np.ndarray):
            _fail(f"{name} should be a NumPy array, but it is {_describe(actual)}.",
                  "use NumPy operations on the whole array (np.exp, @, np.maximum ...) "
                  "instead of Python loops or lists; they return arrays.")
        # -- shape
        if actual.shape != expected.shape:
            extra = None
            if actual.ndim == 2 and expected.ndim == 1 and actual.shape in ((expected.shape[0], 1), (1, expected.shape[0])):
                extra = f"you returned a 2-D column/row; expected a 1-D array of shape {expected.shape} (try `.ravel()` or check your weight shapes)."
            elif actual.ndim == 1 and expected.ndim == 2 and 1 in expected.shape:
                extra = f"you returned a 1-D array; expected the 2-D shape {expected.shape} (keep the sample axis)."
            elif actual.shape == expected.shape[::-1]:
                extra = "the shape is transposed: samples go in rows, so `X @ W` with W of shape (D, K)."
            elif actual.ndim == expected.ndim + 1 or actual.ndim + 1 == expected.ndim:
                extra = "check which axis you sum or average over, and whether a size-1 axis was kept."
            _fail(f"{name} has shape {actual.shape}, but it should have shape {expected.shape}.", extra)
        # -- dtype
        if np.issubdtype(expected.dtype, np.floating) and not np.issubdtype(actual.dtype, np.floating):
            _fail(f"{name} has dtype {actual.dtype}, but it should hold floating-point numbers.",
                  "an integer array was produced somewhere: integer division or rounding, or an "
                  "array built from integers and then assigned floats.")
    else:
        raise TypeError(f"check() cannot compare against {type(expected).__name__}")

    # -- finiteness
    actual_arr = np.asarray(actual, dtype=float)
    expected_arr = np.asarray(expected, dtype=float)
    bad = ~np.isfinite(actual_arr) & np.isfinite(expected_arr)
    if bad.any():
        where = "" if actual_arr.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}"
        _fail(f"{name} contains {_show(actual_arr[bad].flat[0])}{where}, where a finite number is expected.",
              nan_hint or "an exp() of a large number overflows to inf, and inf/inf or 0*inf gives nan.")

    # -- values
    if _close(actual, expected, rtol, atol):
        return
    for explanation, wrong in (mistakes or {}).items():
        if _close(actual, wrong, rtol, atol):
            _fail(f"{name} is wrong: {explanation}")
    if actual_arr.ndim == 0:
        _fail(f"{name} returned {_show(actual_arr)}, but it should be {_show(expected_arr)}.", hint)
    off = ~np.isclose(actual_arr, expected_arr, rtol=rtol, atol=atol)
    index = tuple(int(i) for i in np.argwhere(off)[0])
    _fail(
        f"{name} is wrong at {int(off.sum())} of {off.size} entries; the first is index {index}: "
        f"got {_show(actual_arr[index])}, expected {_show(expected_arr[index])}.\n"
        f"  got:      {_show(actual_arr)}\n  expected: {_show(expected_arr)}",
        hint,
    )


def check_that(condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with `message` unless `condition` holds (for properties, not values)."""
    __tracebackhide__ = True  # IPython shows the message, not this frame
    if not condition:
        _fail(message, hint)


def check_defined(namespace: Mapping[str, Any], *names: str) -> None:
    """Fail with a pointer to the exercise cell when a name the test needs is not defined yet."""
    __tracebackhide__ = True  # IPython shows the message, not this frame
    missing = [name for name in names if name not in namespace]
    if missing:
        _fail(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not defined yet.",
              "finish the exercise cell above (replace `raise NotImplementedError()`) and run it, then run this test again.")


def check_no_mutation(func: Callable, *args: Any, name: str | None = None) -> Any:
    """Call `func(*args)` and fail if it changed any of its array arguments in place.

    Returns what `func` returned, so the result can be checked further.
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    before = [copy.deepcopy(a) for a in args]
    result = func(*args)
    label = name or getattr(func, "__name__", "the function")
    for position, (old, new) in enumerate(zip(before, args)):
        if isinstance(old, np.ndarray) and not np.array_equal(old, new, equal_nan=True):
            _fail(f"{label} changed its argument number {position + 1} in place.",
                  "work on a copy (`x = x.copy()`) or build a new array instead of assigning into the input.")
    return result




def check_gate(params: Any, gate: str, margin: float = 0.1) -> None:
    """Check that `params = (w, b)` make one sigmoid node implement a logic gate with a margin.

    The node's output sigmoid(x @ w + b) must be on the right side of 0.5 by at least
    `margin` for all four inputs (above 0.6 where the gate gives 1, below 0.4 where it
    gives 0, for the default margin). The node is computed here, not with the student's
    `node_output`, so a mistake there does not cost these points too.
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    from ..datasets import logic_gate

    label = f"{gate}_PARAMS"
    if not isinstance(params, (tuple, list)) or len(params) != 2:
        _fail(f"{label} should be a tuple (w, b), but it is {_describe(params)}"
              + (f" of length {len(params)}." if isinstance(params, (tuple, list)) else "."))
    w, b = params
    try:
        w = np.asarray(w, dtype=float)
        b_arr = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{label} should hold numbers: w as an array of two weights and b as one number.")
    if w.shape not in ((2,), (2, 1)):
        _fail(f"the weights of {label} have shape {w.shape}; a node with two inputs needs two weights, shape (2,).")
    if b_arr.size != 1:
        _fail(f"the bias of {label} should be a single number, but it has shape {b_arr.shape}.")
    X, targets = logic_gate(gate)
    outputs = logistic(X @ w.ravel() + float(b_arr.ravel()[0]))
    for x, out, target in zip(X, outputs, targets):
        ok = out >= 0.5 + margin if target == 1 else out <= 0.5 - margin
        if not ok:
            _fail(f"with {label} the node gives {out:.3f} for input {tuple(int(v) for v in x)}, "
                  f"but {gate} of that input is {target}.",
                  f"outputs must be above {0.5 + margin:.1f} for 1 and below {0.5 - margin:.1f} for 0: "
                  "sketch the line w1*x1 + w2*x2 + b = 0 and check which corners lie on its positive side.")


def substitute(namespace: dict, **references: Any) -> None:
    """For the rest of the running cell, bind names in `namespace` to reference versions.

    Hidden tests use it so that one mistake costs points once: while `node_output` is
    graded, a wrong `sigmoid` is replaced by a correct one, and vice versa. The student's
    own objects are put back after the cell, whether its checks passed or not.
    """
    saved = {name: namespace[name] for name in references if name in namespace}
    namespace.update(references)
    try:
        from IPython import get_ipython
    except ImportError:  # outside IPython there is no "rest of the cell": caller restores
        return
    shell = get_ipython()
    if shell is None:
        return

    def restore(*_args):
        for name in references:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)
        shell.events.unregister("post_run_cell", restore)

    shell.events.register("post_run_cell", restore)


def check_own(func: Any, name: str) -> None:
    """Fail unless `func` is a function the student wrote (not missing, not the package's reference).

    The package carries reference versions of the graded functions (`dlcourse.layers`,
    `dlcourse.optim`, ...) for the hidden tests and for later lessons; importing one of them
    instead of writing the function earns no points, and the visible test says so at once.
    """
    __tracebackhide__ = True
    if not callable(func):
        _fail(f"{name} should be a function, but it is {_describe(func)}.",
              f"define it with `def {name}(...):` in the exercise cell and run that cell.")
    module = getattr(func, "__module__", "") or ""
    if module.split(".")[0] == "dlcourse":
        _fail(f"{name} is the course package's reference ({module}.{getattr(func, '__name__', name)}), "
              "not your own function.",
              "the exercise is to write it yourself: define it in the exercise cell without importing it.")


def passed(what: str) -> None:
    """Print the success line of a visible test (stdout only: nbgrader reads stderr as failure)."""
    print(f"✔ {what}")
