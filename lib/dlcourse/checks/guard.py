"""Keep the package's reference of a graded function out of the student's reach while it is checked.

The package holds a reference implementation of every graded function (the hidden tests compare
with it, later lessons build on it). A graded function that merely reaches it, through a wrapper,
an alias, ``functools.partial``, a lambda or an import inside the function, must not earn points.

`activate(lesson)` swaps the code of each reference graded in `lesson` for a small trampoline. The
function object stays the same (so every name bound to it, under any alias, is covered), and the
trampoline runs the original code unless the call comes from code the student wrote in the
notebook: then it raises `CheckFailed` naming the reference. "Code the student wrote" is any
function defined in another notebook cell than the one running, whose name does not start with
``_`` (test cells use ``_``-prefixed helpers); calls from the running cell's own code (a test's
lambda), from the package and from widgets are unaffected. Only the functions graded in the lesson at hand are guarded, so lesson 09 may still
use the layers of lesson 05.

`check_own` activates the guard of the lesson that grades the name it checks. `unguarded(ref)`
returns a copy that is never guarded, for hidden tests that hand a reference to student code.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
import types
from typing import Any, Callable

__all__ = ["GRADED", "activate", "lesson_of", "unguarded", "is_reference", "reference_name", "is_student_code",
           "deactivate"]

# lesson -> {graded name: "module:attribute" of the package's reference}
GRADED: dict[str, dict[str, str]] = {
    "01_sigmoid_node": {"sigmoid": "dlcourse.layers:sigmoid", "sigmoid_grad": "dlcourse.layers:sigmoid_grad"},
    "02_xor": {"dense_forward": "dlcourse.reference:dense_forward", "bump": "dlcourse.reference:bump",
               "approximate_with_bumps": "dlcourse.reference:approximate_with_bumps"},
    "03_dating_regression": {"linear_forward": "dlcourse.layers:linear_forward", "mse_loss": "dlcourse.layers:mse_loss",
                             "linear_backward": "dlcourse.layers:linear_backward",
                             "numerical_gradient": "dlcourse.gradcheck:numerical_gradient",
                             "standardize": "dlcourse.regression:standardize",
                             "gradient_descent": "dlcourse.regression:gradient_descent",
                             "minibatch_sgd": "dlcourse.regression:minibatch_sgd"},
    "04_activations": {"relu": "dlcourse.layers:relu", "relu_grad": "dlcourse.layers:relu_grad",
                       "leaky_relu": "dlcourse.layers:leaky_relu", "leaky_relu_grad": "dlcourse.layers:leaky_relu_grad",
                       "tanh_grad": "dlcourse.layers:tanh_grad", "softmax": "dlcourse.layers:softmax",
                       "collapse_linear": "dlcourse.checks.activations:collapse_reference"},
    "05_backprop": {"affine_forward": "dlcourse.layers:affine_forward", "affine_backward": "dlcourse.layers:affine_backward",
                    "relu_forward": "dlcourse.layers:relu_forward", "relu_backward": "dlcourse.layers:relu_backward",
                    "sigmoid_forward": "dlcourse.layers:sigmoid_forward",
                    "sigmoid_backward": "dlcourse.layers:sigmoid_backward",
                    "two_layer_net": "dlcourse.network:two_layer_net", "relative_error": "dlcourse.gradcheck:relative_error",
                    "train_xor": "dlcourse.network:train_xor"},
    "06_classification": {"one_hot": "dlcourse.classification:one_hot",
                          "binary_cross_entropy": "dlcourse.layers:binary_cross_entropy",
                          "softmax_cross_entropy": "dlcourse.layers:softmax_cross_entropy",
                          "hinge_loss": "dlcourse.layers:hinge_loss", "entropy": "dlcourse.classification:entropy",
                          "kl_divergence": "dlcourse.classification:kl_divergence",
                          "logistic_regression_fit": "dlcourse.classification:logistic_regression_fit"},
    "07_training_deep_nets": {"he_init": "dlcourse.layers:he_init", "sgd_momentum": "dlcourse.optim:sgd_momentum",
                              "rmsprop": "dlcourse.optim:rmsprop", "adam": "dlcourse.optim:adam",
                              "batchnorm_forward": "dlcourse.layers:batchnorm_forward",
                              "batchnorm_backward": "dlcourse.layers:batchnorm_backward",
                              "clip_by_global_norm": "dlcourse.optim:clip_by_global_norm"},
    "08_regularization": {"train_val_test_split": "dlcourse.regularization:train_val_test_split",
                          "l2_penalty": "dlcourse.layers:l2_penalty", "l1_penalty": "dlcourse.layers:l1_penalty",
                          "dropout_forward": "dlcourse.layers:dropout_forward",
                          "dropout_backward": "dlcourse.layers:dropout_backward",
                          "polynomial_features": "dlcourse.regularization:polynomial_features",
                          "ridge_fit": "dlcourse.regularization:ridge_fit",
                          "early_stopping_epoch": "dlcourse.regularization:early_stopping_epoch"},
    "09_keras_mnist": {"preprocess_mnist": "dlcourse.reference:preprocess_mnist",
                       "build_mlp": "dlcourse.reference:build_mlp",
                       "count_dense_params": "dlcourse.reference:count_dense_params"},
    "10_debugging_training": {"diagnose": "dlcourse.debugging:reference_diagnose",
                              "fixed_softmax_loss": "dlcourse.layers:softmax_cross_entropy",
                              "shuffle_together": "dlcourse.debugging:reference_shuffle"},
}

_COMPREHENSIONS = {"<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"}
_CELL_FILE = re.compile(r"(ipykernel_\d+[/\\]\d+\.py$)|(^<ipython-input-)|(^<string>$)|(^<cell line)")

_active: set[str] = set()
_clones: dict[int, Callable] = {}        # id(reference) -> unguarded copy with the original code
_names: dict[int, str] = {}              # id(reference) -> "dlcourse.module.attr"
_trampolines: set[types.CodeType] = set()


def lesson_of(name: str) -> str | None:
    """The lesson that grades `name`, or None."""
    for lesson, graded in GRADED.items():
        if name in graded:
            return lesson
    return None


def _resolve(path: str) -> Any:
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def is_student_code(code: types.CodeType) -> bool:
    """Code of a function defined in a notebook cell (not a cell's top level, not a `_` helper)."""
    if not _CELL_FILE.search(code.co_filename or ""):
        return False
    return code.co_name not in _COMPREHENSIONS and not _is_top_level(code) and not code.co_name.startswith("_")


def _is_top_level(code: types.CodeType) -> bool:
    """A cell's own top-level code: '<module>', or '<cell line: N>' under IPython 7.34 on Python 3.11+."""
    return code.co_name == "<module>" or code.co_name.startswith("<cell line")


_OTHER, _STUDENT, _TOP = 0, 1, 2
_kinds: dict[types.CodeType, int] = {}   # code object -> its kind, so a guarded call costs a walk of dict lookups


def _kind(code: types.CodeType) -> int:
    kind = _kinds.get(code)
    if kind is None:
        in_cell = bool(_CELL_FILE.search(code.co_filename or ""))
        kind = _kinds[code] = (_TOP if in_cell and _is_top_level(code)
                               else _STUDENT if in_cell and is_student_code(code) else _OTHER)
    return kind


def _student_caller(frame) -> types.CodeType | None:
    """The student's function through which this call came, if any (walks the whole stack).

    Functions defined in the cell that is running now (a test's lambda, a demo's helper) are
    that cell's own code, not an answer: only functions defined in other cells count. The walk
    stops at the running cell's top level, so a guarded call costs a few dictionary lookups.
    """
    candidates, running = [], None
    while frame is not None:
        code = frame.f_code
        kind = _kinds.get(code)
        if kind is None:
            kind = _kind(code)
        if kind == _STUDENT:
            candidates.append(code)
        elif kind == _TOP:  # the running cell: what lies below it is the kernel, never student code
            running = code.co_filename
            break
        frame = frame.f_back
    if not candidates:
        return None
    return next((code for code in candidates if code.co_filename != running), None)


def _guarded_call(key: int, args: tuple, kwargs: dict) -> Any:
    clone = _clones[key]
    if _active:
        culprit = _student_caller(sys._getframe(2))
        if culprit is not None:
            from . import CheckFailed
            who = culprit.co_name if culprit.co_name != "<lambda>" else "a lambda in your notebook"
            graded = _names[key].rsplit(".", 1)[-1]
            raise CheckFailed(
                f"{who} uses the course's reference `{_names[key]}`; write your own.\n"
                "  Hint: the package's version is there for the hidden tests and for later lessons; the exercise "
                "is to write the function yourself, with NumPy, from the idea in the text.",
                mistake=f"{culprit.co_name if culprit.co_name.isidentifier() else graded}:reference")
    return clone(*args, **kwargs)


def _trampoline_code(key: int, name: str) -> types.CodeType:
    source = (f"def {name}(*args, **kwargs):\n"
              f"    return __import__('dlcourse.checks.guard', fromlist=['_'])._guarded_call({key}, args, kwargs)\n")
    namespace: dict = {}
    exec(compile(source, "<dlcourse reference guard>", "exec"), namespace)
    return namespace[name].__code__


def _clone(func: types.FunctionType) -> types.FunctionType:
    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__)
    copy.__kwdefaults__ = func.__kwdefaults__
    copy.__dict__.update(func.__dict__)
    copy.__doc__, copy.__module__, copy.__qualname__ = func.__doc__, func.__module__, func.__qualname__
    return copy


def _install(path: str) -> None:
    func = _resolve(path)
    if not isinstance(func, types.FunctionType) or id(func) in _clones or func.__closure__:
        return
    key = id(func)
    _clones[key] = _clone(func)
    _names[key] = f"{func.__module__}.{func.__name__}"
    code = _trampoline_code(key, func.__name__)
    _trampolines.add(code)
    func.__code__ = code


def activate(lesson: str | None) -> None:
    """Guard the references of every function graded in `lesson` (idempotent; lasts for the kernel)."""
    if not lesson or lesson in _active:
        return
    for path in GRADED.get(lesson, {}).values():
        try:
            _install(path)
        except (ImportError, AttributeError):  # a reference that does not exist (yet) guards nothing
            continue
    _active.add(lesson)


def deactivate() -> None:
    """Put every reference's own code back (for the package's unit tests; lessons never call it)."""
    for path in {p for graded in GRADED.values() for p in graded.values()}:
        try:
            func = _resolve(path)
        except (ImportError, AttributeError):
            continue
        if isinstance(func, types.FunctionType) and id(func) in _clones:
            func.__code__ = _clones.pop(id(func)).__code__
            _names.pop(id(func), None)
    _trampolines.clear()
    _active.clear()


def _unwrap(func: Any) -> Any:
    for _ in range(20):
        if isinstance(func, functools.partial):
            func = func.func
        elif isinstance(func, (types.MethodType, staticmethod, classmethod)):
            func = func.__func__
        elif getattr(func, "__wrapped__", None) is not None:
            func = func.__wrapped__
        else:
            return func
    return func


def is_reference(func: Any) -> bool:
    """`func` is (an alias, partial or decorated wrapper of) a guarded reference, or carries one's code."""
    inner = _unwrap(func)
    if id(inner) in _clones:
        return True
    code = getattr(inner, "__code__", None)
    return code is not None and (code in _trampolines or any(code is c.__code__ for c in _clones.values()))


def reference_name(func: Any) -> str:
    inner = _unwrap(func)
    return _names.get(id(inner), f"{getattr(inner, '__module__', 'dlcourse')}.{getattr(inner, '__name__', '?')}")


def unguarded(func: Callable) -> Callable:
    """A copy of reference `func` that is never guarded (for hidden tests that pass it to student code)."""
    if _active and _student_caller(sys._getframe(1)) is not None:
        from . import CheckFailed
        raise CheckFailed("your function asks for an unguarded copy of the course's reference; write your own.")
    if isinstance(func, types.FunctionType) and id(func) in _clones:
        return _clones[id(func)]
    return func
