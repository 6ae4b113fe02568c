"""Feedback checks used by the visible tests of every lesson.

One checker, `check`, compares what a student's code returned with what it should
return and reports, in this order and separately, what is wrong with it:

1. nothing returned (a missing `return`);
2. the type (a list where a NumPy array is expected, a tuple of the wrong length);
3. the shape (including the classic `(N, 1)` versus `(N,)` mix-up);
4. the dtype (integers where floats are expected);
5. non-finite values (`nan`, `inf`, usually an overflow);
6. the values, generically (where, what was returned, what was expected).

Before all of these it compares the value with a list of known mistakes, so that the message
can name the misconception ("you computed 1/(1+exp(z)): the sign in the exponent is flipped"),
also when the mistake changes the shape (an unsummed `x * w` where a number is expected).

Every failure raises `CheckFailed`, an `AssertionError`, so nbgrader scores the test
cell 0; nothing is written to stderr. Each carries a stable identifier of the mistake
(`CheckFailed.mistake`, e.g. ``"sigmoid:sign-flipped"``; generic ones end in ``:shape``,
``:value``, ``:not-done`` ...), which the grading report counts over a class. In a notebook
a failure shows only the course's message: no traceback, no package frames (`_display`).

The other pieces every lesson uses: `attempt` (the one way a check calls student code),
`check_own` (the function is the student's own, and the package's references of the lesson's
graded functions are out of reach: `guard`), `check_no_mutation` (the one untouched-input
check), `best_of` (hidden tests score the better of "own" and "with references"), `within`
(the one tolerance for "within 1 %").
"""

from __future__ import annotations

import contextlib
import copy
import linecache
import numbers
import re
from typing import Any, Callable, Mapping

import numpy as np

from .._math import logistic

__all__ = ["CheckFailed", "check", "check_that", "check_defined", "check_own", "check_no_mutation", "check_gate",
           "attempt", "own", "substitute", "best_of", "within", "WITHIN", "mistake_id", "passed"]

WITHIN = 0.01  # "within 1 %": the one relative tolerance the lessons use for it


class CheckFailed(AssertionError):
    """A visible check failed; the message says what to change.

    `mistake` is a stable identifier of what went wrong (``"function:slug"``); ``str()`` ends with
    a line ``[mistake: id]`` so that it survives in a graded notebook's error output.
    """

    def __init__(self, message: str = "", mistake: str | None = None):
        self.message = message
        self.mistake = mistake
        super().__init__(f"{message}\n[mistake: {mistake}]" if mistake else message)


def _slug(text: str, words: int = 6) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words]) or "mistake"


def _function_of(name: str) -> str:
    """The function a check's `name` is about: ``"sigmoid(np.array([0., 2.]))"`` -> ``"sigmoid"``."""
    match = re.match(r"\s*([A-Za-z_][A-Za-z0-9_.]*)", name or "")
    return match.group(1) if match else "answer"


def mistake_id(name: str, what: str) -> str:
    """The stable identifier of a mistake: the function at fault, then a short slug of the mistake."""
    return f"{_function_of(name)}:{what if re.fullmatch(r'[a-z0-9-]+', what) else _slug(what)}"


def _fail(message: str, hint: str | None = None, mistake: str | None = None) -> None:
    __tracebackhide__ = True  # IPython shows the message, not this frame
    if hint:
        message = f"{message}\n  Hint: {hint}"
    raise CheckFailed(message, mistake) from None


def _explanation(key: Any) -> tuple[str | None, str]:
    """A `mistakes` key is an explanation, or (slug, explanation)."""
    if isinstance(key, tuple) and len(key) == 2:
        return key[0], key[1]
    return None, key


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
    # 8 significant digits: an answer rounded to 4 or 6 places must not look identical to the expected one
    text = np.array2string(np.asarray(value), precision=8, threshold=12, edgeitems=3) \
        if not _is_number(value) else f"{float(value):.10g}"
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
    shape_hint: str | None = None,
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
    shape_hint : added when the shape is wrong (instead of the generic advice)
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    def named(key):
        slug, explanation = _explanation(key)
        _fail(f"{name} is wrong: {explanation}", mistake=mistake_id(name, slug or explanation))

    def generic(kind):
        return mistake_id(name, kind)

    if actual is None and expected is not None:
        _fail(f"{name} returned None. Did you forget the `return` statement?", mistake=generic("no-return"))

    if isinstance(expected, tuple):
        if not isinstance(actual, (tuple, list)) or len(actual) != len(expected):
            length = f" of length {len(actual)}" if isinstance(actual, (tuple, list)) else ""
            _fail(f"{name} should be a tuple of {len(expected)} items, but it is {_describe(actual)}{length}.",
                  mistake=generic("type"))
        for key, wrong in (mistakes or {}).items():  # a known mistake first, as for single values
            if all(_close(a, w, rtol, atol) for a, w in zip(actual, wrong)) and \
                    not all(_close(a, e, rtol, atol) for a, e in zip(actual, expected)):
                named(key)
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(a, e, f"{name}[{i}]", rtol=rtol, atol=atol, hint=hint, nan_hint=nan_hint, shape_hint=shape_hint)
        return

    # -- a known mistake, recognised by its exact value (and shape), is the most specific diagnosis
    for key, wrong in (mistakes or {}).items():
        if _close(actual, wrong, rtol, atol) and not _close(actual, expected, rtol, atol):
            named(key)

    # -- type
    if _is_number(expected):
        if isinstance(actual, np.ndarray) and actual.size == 1 and actual.ndim > 0:
            _fail(f"{name} should be a single number, but it is an array of shape {actual.shape}.",
                  "return a scalar, e.g. with `float(...)` or by summing/averaging over every axis.", generic("shape"))
        if not _is_number(actual):
            _fail(f"{name} should be a number, but it is {_describe(actual)}.", mistake=generic("type"))
    elif isinstance(expected, np.ndarray):
        if _is_number(actual) and not isinstance(actual, np.ndarray):
            _fail(f"{name} is a single number, but it should be an array of shape {expected.shape}.",
                  shape_hint or "keep the axes of the input: a batch of N samples gives N results.", generic("shape"))
        if not isinstance(actual, np.ndarray):
            _fail(f"{name} should be a NumPy array, but it is {_describe(actual)}.",
                  "use NumPy operations on the whole array (np.exp, @, np.maximum ...) "
                  "instead of Python loops or lists; they return arrays.", generic("type"))
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
            _fail(f"{name} has shape {actual.shape}, but it should have shape {expected.shape}.", shape_hint or extra,
                  generic("shape"))
        # -- dtype
        if np.issubdtype(expected.dtype, np.floating) and not np.issubdtype(actual.dtype, np.floating):
            _fail(f"{name} has dtype {actual.dtype}, but it should hold floating-point numbers.",
                  "an integer array was produced somewhere: integer division or rounding, or an "
                  "array built from integers and then assigned floats.", generic("dtype"))
    else:
        raise TypeError(f"check() cannot compare against {type(expected).__name__}")

    # -- finiteness
    actual_arr = np.asarray(actual, dtype=float)
    expected_arr = np.asarray(expected, dtype=float)
    bad = ~np.isfinite(actual_arr) & np.isfinite(expected_arr)
    if bad.any():
        where = "" if actual_arr.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}"
        _fail(f"{name} contains {_show(actual_arr[bad].flat[0])}{where}, where a finite number is expected.",
              nan_hint or "an exp() of a large number overflows to inf, and inf/inf or 0*inf gives nan.",
              generic("not-finite"))

    # -- values
    if _close(actual, expected, rtol, atol):
        return
    for key, wrong in (mistakes or {}).items():
        if _close(actual, wrong, rtol, atol):
            named(key)
    if actual_arr.ndim == 0:
        _fail(f"{name} returned {_show(actual_arr)}, but it should be {_show(expected_arr)}.", hint, generic("value"))
    off = ~np.isclose(actual_arr, expected_arr, rtol=rtol, atol=atol)
    index = tuple(int(i) for i in np.argwhere(off)[0])
    _fail(
        f"{name} is wrong at {int(off.sum())} of {off.size} entries; the first is index {index}: "
        f"got {_show(actual_arr[index])}, expected {_show(expected_arr[index])}.\n"
        f"  got:      {_show(actual_arr)}\n  expected: {_show(expected_arr)}",
        hint, generic("value"),
    )


def check_that(condition: bool, message: str, hint: str | None = None, mistake: str | None = None) -> None:
    """Fail with `message` unless `condition` holds (for properties, not values).

    `mistake` names the mistake, as ``"function:slug"`` (see `mistake_id`).
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    if not condition:
        _fail(message, hint, mistake)


def check_defined(namespace: Mapping[str, Any], *names: str) -> None:
    """Fail with a pointer to the exercise cell when a name the test needs is not defined yet."""
    __tracebackhide__ = True  # IPython shows the message, not this frame
    missing = [name for name in names if name not in namespace]
    if missing:
        _fail(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not defined yet.",
              "finish the exercise cell above (replace `raise NotImplementedError()`) and run it, then run this test again.",
              f"{missing[0]}:not-done")


def _same(old: Any, new: Any) -> bool:
    """Deep equality of what a call may have changed in place: arrays, and arrays in tuples, lists, dicts."""
    if isinstance(old, np.ndarray):
        return isinstance(new, np.ndarray) and old.shape == new.shape and bool(np.array_equal(old, new, equal_nan=True))
    if isinstance(old, (list, tuple)):
        return isinstance(new, (list, tuple)) and len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new))
    if isinstance(old, dict):
        return isinstance(new, dict) and old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    try:
        return bool(old == new)
    except Exception:  # noqa: BLE001 - objects without a usable == are not compared
        return True


def check_no_mutation(func: Callable, *args: Any, name: str | None = None, twice: bool = False) -> Any:
    """Call `func(*args)` and fail if it changed any argument in place; return the first result.

    The one untouched-input check of the course. Arrays are compared, also inside tuples, lists
    and dicts (a backward function's cache). With ``twice=True`` the function is called a second
    time with the same arguments and must return the same thing (a backward function that changes
    its cache, or keeps state between calls, gives another answer the second time).
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    label = name or getattr(func, "__name__", "the function")
    before = copy.deepcopy(args)
    result = attempt(func, *args, name=label)
    for position, (old, new) in enumerate(zip(before, args)):
        if not _same(old, new):
            what = "its cache" if isinstance(old, (tuple, list, dict)) else f"its argument number {position + 1}"
            _fail(f"{_function_of(label)} changed {what} in place (argument {position + 1} differs after the call).",
                  "work on a copy (`x = x.copy()`) or build a new array instead of assigning into an input "
                  "(`+=`, `*=`, `x[...] = ...` write into the caller's array).", mistake_id(label, "mutates-input"))
    if twice:
        again = attempt(func, *args, name=label)
        if not _same(result, again):
            _fail(f"{label} returned something else the second time it was called with the same arguments.",
                  "the function must not change its inputs or its cache, nor keep anything between calls: "
                  "a backward pass may run twice on one cache.", mistake_id(label, "mutates-input"))
    return result


def check_gate(params: Any, gate: str, margin: float = 0.1, hints: Mapping[str, str] | None = None) -> None:
    """Check that `params = (w, b)` make one sigmoid node implement a logic gate with a margin.

    The format the lessons ask for, here and in the hidden tests alike: `w` two numbers of
    shape (2,) (an array, a list or a tuple), `b` one number (a one-element array counts as
    that number). The node's output sigmoid(x @ w + b) must be on the right side of 0.5 by at
    least `margin` at all four corners (above 0.6 where the gate gives 1, below 0.4 where it
    gives 0, for the default margin). The node is computed here, not with the student's
    `node_output`, so a mistake there does not cost these points too.

    Before the corner-by-corner verdict it diagnoses the two usual situations: the node
    computes *another* gate (the message names it and adds ``hints[other_gate]`` when given),
    or every corner is on the right side but some output is too close to 0.5.
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    from ..datasets import gate_names, logic_gate

    label = f"{gate}_PARAMS"
    if not isinstance(params, (tuple, list)) or len(params) != 2:
        _fail(f"{label} should be a tuple (w, b), but it is {_describe(params)}"
              + (f" of length {len(params)}." if isinstance(params, (tuple, list)) else "."),
              f"write it as {label} = (np.array([w1, w2]), b).")
    w, b = params
    try:
        w = np.asarray(w, dtype=float)
        b_arr = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{label} should hold numbers: w as an array of two weights and b as one number.")
    if w.shape != (2,):
        _fail(f"the weights of {label} have shape {w.shape}; a node with two inputs needs two weights, shape (2,).",
              "write w as np.array([w1, w2]).")
    if b_arr.size != 1:
        _fail(f"the bias of {label} should be a single number, but it has shape {b_arr.shape}.")
    if not (np.all(np.isfinite(w)) and np.isfinite(b_arr).all()):
        _fail(f"{label} holds inf or nan; use ordinary numbers such as 20 and -30.")
    X, targets = logic_gate(gate)
    z = X @ w + float(b_arr.ravel()[0])
    fires = tuple(int(v) for v in z > 0)
    for other in gate_names():
        if other != gate and fires == tuple(logic_gate(other)[1]):
            _fail(f"with {label} the node computes {other}, not {gate}.",
                  (hints or {}).get(other, "sketch the line w1*x1 + w2*x2 + b = 0 and the side its arrow w points to."))
    outputs = logistic(z)
    if fires == tuple(targets) and np.min(np.abs(outputs - 0.5)) < margin:
        _fail(f"{label} put every corner on the right side of the line, but some output is too close to 0.5 "
              f"to count (it must be above {0.5 + margin:.1f} or below {0.5 - margin:.1f}).",
              "multiply w and b by the same factor, say 10: the line stays put and the outputs move towards 0 and 1.")
    for x, out, target in zip(X, outputs, targets):
        ok = out >= 0.5 + margin if target == 1 else out <= 0.5 - margin
        if not ok:
            _fail(f"with {label} the node gives {out:.3f} for input {tuple(int(v) for v in x)}, "
                  f"but {gate} of that input is {target}.",
                  f"outputs must be above {0.5 + margin:.1f} for 1 and below {0.5 - margin:.1f} for 0: "
                  "sketch the line w1*x1 + w2*x2 + b = 0 and check which corners lie on its positive side.")


def _student_line(tb) -> str | None:
    """The last line of the student's own code in a traceback, as 'line N: source'."""
    from .guard import _CELL_FILE
    found = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if _CELL_FILE.search(code.co_filename or ""):
            text = linecache.getline(code.co_filename, tb.tb_lineno).strip()
            if text:
                found = f"in {'your cell' if code.co_name.startswith('<') and not code.co_name == '<lambda>' else code.co_name}, line {tb.tb_lineno}: {text}"
        tb = tb.tb_next
    return found


def attempt(func: Callable, *args: Any, name: str, hint: str | None = None,
            hints: Mapping[type | str, str] | None = None, copy_args: bool = False, **kwargs: Any) -> Any:
    """Call `func(*args, **kwargs)` and return its result; turn a crash into advice the student can act on.

    The one way a check calls student code. An unfinished stub (`NotImplementedError`) becomes
    "not written yet"; any other exception raised inside the student's function (an IndexError
    from `out[:, 0]`, a ValueError from mismatched shapes ...) becomes a `CheckFailed` that names
    the call, the exception, the student's own line where it happened, and what to try: ``hints``
    maps an exception type, or a piece of text found in "TypeName: message", to advice (the first
    match wins); ``hint`` is the fallback. `copy_args` calls the function on deep copies of the
    arguments. The course's own `CheckFailed` passes through unchanged.
    """
    __tracebackhide__ = True  # IPython shows the message, not this frame
    if copy_args:
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        return func(*args, **kwargs)
    except CheckFailed as failed:
        crash = getattr(failed, "crash", None)
        if crash is None or not (hint or hints):
            raise
        _crashed(crash[0], crash[1], hint, hints)  # a nested attempt: the outer call's advice is the more specific
    except NotImplementedError:
        _fail(f"{_function_of(name)} is not written yet: it still raises NotImplementedError.",
              "replace `raise NotImplementedError()` in the exercise cell by your code, run that cell, "
              "then run this test again.", mistake_id(name, "not-done"))
    except RecursionError:
        _fail(f"{name} calls itself without end (RecursionError).",
              "did you name a helper like the function itself, or call the function inside its own body?",
              mistake_id(name, "crash"))
    except Exception as error:  # noqa: BLE001 - any crash of student code becomes feedback
        _crashed(name, error, hint, hints)


def _crashed(name: str, error: BaseException, hint: str | None, hints: Mapping[type | str, str] | None) -> None:
    __tracebackhide__ = True
    text = f"{type(error).__name__}: {error}"
    advice = next((advice for key, advice in (hints or {}).items()
                   if (isinstance(key, str) and key in text) or (isinstance(key, type) and isinstance(error, key))),
                  hint)
    if advice is None and isinstance(error, NameError):
        advice = "your function uses a name it does not define itself; work only with its arguments."
    where = _student_line(error.__traceback__)
    message = f"{name} raised {text}" + (f"\n  ({where})" if where else "")
    message += f"\n  Hint: {advice or 'which line fails, and what are the shapes of the arrays there? Print them to see.'}"
    failure = CheckFailed(message, mistake_id(name, "crash"))
    failure.crash = (name, error)
    raise failure from None


def substitute(namespace: dict, **references: Any) -> None:
    """For the rest of the running cell, bind names in `namespace` to reference versions.

    Hidden tests use it so that one mistake costs points once: while `node_output` is
    graded, a wrong `sigmoid` is replaced by a correct one, and vice versa. The references are
    bound as unguarded copies (`guard.unguarded`), so the student's function may call them. The
    student's own objects are put back after the cell, whether its checks passed or not.
    """
    from .guard import unguarded
    references = {name: unguarded(ref) for name, ref in references.items()}
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


@contextlib.contextmanager
def standing_in(namespace: dict, references: dict[str, Any]):
    """The course's references (unguarded copies) in the notebook's namespace for a while, under the
    names of the student's functions; the student's own (or nothing) put back afterwards."""
    from .guard import unguarded
    saved = {name: namespace[name] for name in references if name in namespace}
    namespace.update({name: unguarded(ref) for name, ref in references.items()})
    try:
        yield
    finally:
        for name in references:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)


def best_of(test: Callable[[], Any], namespace: dict, *, note: Callable[[AssertionError], None] | None = None,
            **references: Any) -> Any:
    """Run a hidden test with the student's own functions; if it fails, again with references.

    For a function built on earlier exercises (a network on the student's own layers): the student's
    own choices (a cache format of their own) are graded on their own terms first; only if that fails
    are the earlier exercises replaced by the references (`standing_in`), so that one mistake costs
    its points once. The score is never worse than "own": when both fail, the failure of the student's
    own version is raised. The namespace is restored either way. Used in the visible part too, so
    that both give the same verdict; when the references were needed it prints a note that says so
    (`note(own_failure)` instead, where a topic module says more).
    """
    __tracebackhide__ = True
    try:
        return test()
    except AssertionError as own_failure:
        with standing_in(namespace, references):
            try:
                result = test()
            except AssertionError:
                raise own_failure from None
        if note is not None:
            note(own_failure)
        else:
            print(f"  (checked with the course's {', '.join(sorted(references))} standing in for yours, "
                  f"which fail{'s' if len(references) == 1 else ''} here: "
                  f"{getattr(own_failure, 'message', str(own_failure)).splitlines()[0]})")
        return result


def within(actual: float, target: float, rel: float = WITHIN) -> bool:
    """True when `actual` is within `rel` (1 % by default) of `target`, relative to |target|."""
    return bool(abs(float(actual) - float(target)) <= rel * abs(float(target)))


def check_own(func: Any, name: str) -> None:
    """Fail unless `func` is a function the student wrote; put the package's references out of reach.

    The package carries reference versions of the graded functions (`dlcourse.layers`,
    `dlcourse.optim`, ...) for the hidden tests and for later lessons. This check activates the
    guard of the lesson that grades `name` (`guard.activate`): from then on, in this kernel, student
    code that reaches the reference of any function graded in that lesson fails with a message.
    Here it also rejects a reference passed as the answer itself (an alias, a partial, a wrapper
    made with functools.wraps).
    """
    __tracebackhide__ = True
    from . import guard
    guard.activate(guard.lesson_of(name))
    if not callable(func):
        _fail(f"{name} should be a function, but it is {_describe(func)}.",
              f"define it with `def {name}(...):` in the exercise cell and run that cell.", f"{name}:not-done")
    module = getattr(guard._unwrap(func), "__module__", "") or ""
    if guard.is_reference(func) or module.split(".")[0] == "dlcourse":
        _fail(f"{name} uses the course's reference `{guard.reference_name(func)}`; write your own.",
              "the exercise is to write it yourself: define it in the exercise cell without importing it.",
              f"{name}:reference")


def own(namespace: Mapping[str, Any], name: str) -> Any:
    """The student's graded function `name` from the notebook's namespace, checked to be defined and their own.

    The first line of every topic check: `check_defined`, then `check_own` (which switches on the guard).
    """
    __tracebackhide__ = True
    check_defined(namespace, name)
    func = namespace[name]
    check_own(func, name)
    return func


def passed(what: str) -> None:
    """Print the success line of a visible test (stdout only: nbgrader reads stderr as failure)."""
    print(f"✔ {what}")


def _show_message(shell, etype, value, tb, tb_offset=None):
    """IPython's display of a `CheckFailed`: the course's message only, red first line, no traceback."""
    lines = (getattr(value, "message", None) or str(value)).splitlines() or [etype.__name__]
    stb = [f"\x1b[0;31m✘ {lines[0]}\x1b[0m"] + lines[1:]
    shell._showtraceback(etype, value, stb)  # an error output: the cell still fails for nbgrader
    return stb


def _install_display() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((CheckFailed,), _show_message)


_install_display()
