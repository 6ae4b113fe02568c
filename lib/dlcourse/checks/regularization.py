"""Checks for the tests of lesson 08 (regularization).

One function per graded function, used by its visible test with small inputs whose known
mistakes give different values, and by its hidden test with other shapes and random inputs:

- `check_split(func, n, ...)`: sizes, the six parts in order, rows kept with their labels, no
  row in two sets, shuffled, the same split for the same seed and another for another seed;
- `check_polynomial_features(func, x, degree)`;
- `check_ridge(func, X, y, lam, expected=None)`: the value (against `expected` or the
  reference), the named mistakes, and that the gradient of the objective vanishes;
- `check_penalty(func, kind, weights, reg)` for `l2_penalty` and `l1_penalty`;
- `check_dropout(forward, backward, ...)`: inverted dropout, statistically and exactly;
- `check_early_stopping(func, losses, patience, expected=None)`.

Every failure raises `CheckFailed` with a message that says what to change; an exception
inside the student's function becomes such a message too. Arguments are never modified.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Sequence

import numpy as np

from . import CheckFailed, _fail, _show, check, check_that
from .. import layers, regularization

__all__ = ["call", "check_split", "check_polynomial_features", "check_ridge", "ridge_mistakes",
           "check_penalty", "check_dropout", "check_early_stopping", "early_stopping_mistakes"]


def call(func: Callable, *args: Any, name: str, hint: str | None = None, copy_args: bool = True,
         **kwargs: Any) -> Any:
    """Call `func(*args, **kwargs)` (on deep copies of the arguments unless `copy_args` is False);
    an exception becomes `CheckFailed`.

    `name` is how the call reads in messages, e.g. ``"ridge_fit(X, y, 1.0)"``. NotImplementedError
    (the unfinished stub) passes through unchanged.
    """
    __tracebackhide__ = True
    if copy_args:
        args = copy.deepcopy(args)
        kwargs = copy.deepcopy(kwargs)
    try:
        return func(*args, **kwargs)
    except (CheckFailed, NotImplementedError):
        raise
    except TypeError as error:
        _fail(f"{name} raised TypeError: {error}.",
              hint or "check the number, order and names of the arguments, and that you work with NumPy arrays.")
    except Exception as error:  # noqa: BLE001 - any crash of student code becomes feedback
        _fail(f"{name} raised {type(error).__name__}: {error}.",
              hint or "run the call yourself in a new cell to see the line that fails; print the shapes.")


def _untouched(before: Sequence[Any], after: Sequence[Any], name: str) -> None:
    __tracebackhide__ = True
    for position, (old, new) in enumerate(zip(before, after)):
        if isinstance(old, list) and not all(isinstance(o, np.ndarray) for o in old):
            if list(old) != list(new):
                _fail(f"{name} changed the list it was given (argument number {position + 1}).",
                      "leave the input alone: use sorted(...) or a copy instead of sorting or editing it in place.")
            continue
        olds = old if isinstance(old, list) else [old]
        news = new if isinstance(new, list) else [new]
        if len(olds) != len(news):
            _fail(f"{name} changed the list it was given (argument number {position + 1}).",
                  "leave the input alone: build a new list instead of appending to or removing from it.")
        for o, n in zip(olds, news):
            if isinstance(o, np.ndarray) and not np.array_equal(o, np.asarray(n), equal_nan=True):
                _fail(f"{name} changed its argument number {position + 1} in place.",
                      "work on new arrays (`w * reg`, `x[order]`, `np.sort(...)`) instead of changing the input "
                      "(`w *= reg`, `rng.shuffle(X)`, `losses.sort()`).")


# --------------------------------------------------------------------------- train_val_test_split
def _split_data(n: int, feature_shape: tuple, label_shape: tuple, dtype=float):
    """Samples whose first entry is an id, 3 * id + 1, and labels 0.5 * id + 2 (so pairs can be matched)."""
    ids = np.arange(n)
    X = np.zeros((n,) + tuple(feature_shape), dtype=dtype)
    X_flat = X.reshape(n, -1) if X.ndim > 1 else X.reshape(n, 1)
    X_flat[:, 0] = 3 * ids + 1
    if X_flat.shape[1] > 1:
        X_flat[:, 1:] = 7.0 if np.issubdtype(np.dtype(dtype), np.floating) else 7
    X = X_flat.reshape(X.shape)
    y = np.zeros((n,) + tuple(label_shape))
    y_flat = y.reshape(n, -1) if y.ndim > 1 else y.reshape(n, 1)
    y_flat[:] = (0.5 * ids + 2)[:, None]
    y = y_flat.reshape(y.shape)
    return X, y


def _ids_of_X(part: np.ndarray) -> np.ndarray:
    first = part.reshape(part.shape[0], -1)[:, 0] if part.ndim > 1 else part
    return np.rint((np.asarray(first, dtype=float) - 1) / 3).astype(int)


def _ids_of_y(part: np.ndarray) -> np.ndarray:
    first = part.reshape(part.shape[0], -1)[:, 0] if part.ndim > 1 else part
    return np.rint((np.asarray(first, dtype=float) - 2) / 0.5).astype(int)


def check_split(func: Callable, n: int = 19, val_fraction: float | None = None, test_fraction: float | None = None,
                seed: int | None = None, feature_shape: tuple = (), label_shape: tuple = (), dtype=float) -> None:
    """Check `train_val_test_split` on n samples with the given fractions (None: use the defaults).

    Sizes are round(fraction * n); pick n so that no fraction * n ends in exactly .5.
    """
    __tracebackhide__ = True
    X, y = _split_data(n, feature_shape, label_shape, dtype)
    X0, y0 = X.copy(), y.copy()
    vf = 0.1 if val_fraction is None else val_fraction
    tf = 0.1 if test_fraction is None else test_fraction
    s = 0 if seed is None else seed
    kwargs = {}
    if val_fraction is not None:
        kwargs["val_fraction"] = val_fraction
    if test_fraction is not None:
        kwargs["test_fraction"] = test_fraction
    if seed is not None:
        kwargs["seed"] = seed
    shown = ", ".join(["X", "y"] + [f"{k}={v}" for k, v in kwargs.items()])
    name = f"train_val_test_split({shown}) with X of shape {X.shape}"
    try:
        out = func(X, y, **kwargs)
    except (CheckFailed, NotImplementedError):
        raise
    except TypeError as error:
        _fail(f"{name} raised TypeError: {error}.",
              "the signature is train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0), "
              "with exactly these names and defaults.")
    except Exception as error:  # noqa: BLE001
        _fail(f"{name} raised {type(error).__name__}: {error}.",
              "index X and y with arrays of row numbers: X[rows] works for any number of dimensions.")
    _untouched([X0, y0], [X, y], "train_val_test_split")

    if out is None:
        _fail(f"{name} returned None. Did you forget the `return` statement?")
    if not isinstance(out, (tuple, list)) or len(out) != 6:
        length = f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""
        _fail(f"{name} should return six arrays (X_train, y_train, X_val, y_val, X_test, y_test), "
              f"but it returned a {type(out).__name__}{length}.")
    labels = ["X_train", "y_train", "X_val", "y_val", "X_test", "y_test"]
    for label, part in zip(labels, out):
        if not isinstance(part, np.ndarray):
            _fail(f"{name}: {label} should be a NumPy array, but it is a {type(part).__name__}.",
                  "index the arrays with an array of row numbers (X[rows]) instead of building lists.")
    n_val, n_test = int(round(vf * n)), int(round(tf * n))
    n_train = n - n_val - n_test
    for k, label in enumerate(labels):
        like = X if label.startswith("X") else y
        if out[k].shape[1:] != like.shape[1:] or out[k].ndim != like.ndim:
            _fail(f"{name}: {label} has shape {out[k].shape}, which does not look like rows of "
                  f"{'X' if label.startswith('X') else 'y'} (shape {like.shape}).",
                  "return the parts in the order (X_train, y_train, X_val, y_val, X_test, y_test), "
                  "each made of whole rows of X or of y.")
    sizes = [out[0].shape[0], out[2].shape[0], out[4].shape[0]]
    if [len(o) for o in out] == [n_train, n_val, n_test, n_train, n_val, n_test] and n_train != n_val:
        _fail(f"{name} returned its six arrays in the wrong order (sizes {[len(o) for o in out]}).",
              "return (X_train, y_train, X_val, y_val, X_test, y_test): each X part followed by its y part.")
    for k, label in ((0, "train"), (2, "val"), (4, "test")):
        if out[k].shape[0] != out[k + 1].shape[0]:
            _fail(f"{name}: X_{label} has {out[k].shape[0]} rows but y_{label} has {out[k + 1].shape[0]}.",
                  "use the same row numbers for X and for y.")
    if sizes != [n_train, n_val, n_test]:
        floor = [n - int(vf * n) - int(tf * n), int(vf * n), int(tf * n)]
        hint = None
        if sizes == floor:
            hint = (f"you rounded down (int() cuts off the decimals): {vf} * {n} = {vf * n:g} should give "
                    f"{n_val} rows. Use round(val_fraction * N).")
        elif sum(sizes) != n:
            hint = f"the three sets together hold {sum(sizes)} rows, but X has {n}: every row goes to exactly one set."
        _fail(f"{name} gave sets of {sizes[0]}, {sizes[1]} and {sizes[2]} rows (train, val, test); expected "
              f"{n_train}, {n_val} and {n_test}: n_val = round({vf} * {n}), n_test = round({tf} * {n}), "
              "the rest for training.", hint)
    for k, label in ((0, "train"), (2, "val"), (4, "test")):
        if not np.array_equal(_ids_of_X(out[k]), _ids_of_y(out[k + 1])):
            _fail(f"{name}: the rows of X_{label} and y_{label} no longer belong together "
                  f"(row i of X_{label} must keep its own label y_{label}[i]).",
                  "draw ONE permutation and index both X and y with it; shuffling X and y separately "
                  "(two permutations, or only one of them) pairs samples with the wrong labels.")
    ids = np.concatenate([_ids_of_X(out[0]), _ids_of_X(out[2]), _ids_of_X(out[4])])
    unique, counts = np.unique(ids, return_counts=True)
    if np.any(counts > 1) or len(unique) != n:
        repeated = int(np.sum(counts[counts > 1] - 1))
        _fail(f"{name}: the sets overlap: {repeated} row(s) appear in more than one set (or twice), and "
              f"{n - len(unique)} row(s) of X appear in none.",
              "cut the permutation into three consecutive pieces, e.g. order[:n_val], "
              "order[n_val:n_val + n_test] and order[n_val + n_test:].")
    train_ids = _ids_of_X(out[0])
    if np.array_equal(np.sort(ids), ids) or (n_train > 3 and np.all(np.diff(train_ids) > 0)):
        _fail(f"{name} did not shuffle: the rows of each set are in their original order.",
              "data files are often sorted (by date, by class); draw a permutation with "
              "np.random.default_rng(seed).permutation(N) and use it to pick the rows.")
    again = call(func, X, y, name=name, **kwargs)
    if not all(np.array_equal(a, b) for a, b in zip(out, again)):
        _fail(f"two calls of {name} with the same seed gave different splits.",
              "draw the permutation from rng = np.random.default_rng(seed), not from np.random.permutation "
              "(NumPy's global generator changes from call to call).")
    other = call(func, X, y, name=name, **{**kwargs, "seed": s + 1})
    if all(np.array_equal(a, b) for a, b in zip(out, other)):
        _fail(f"seed={s} and seed={s + 1} gave the same split: the seed argument is not used.",
              "create the generator with np.random.default_rng(seed), using the argument, not a fixed number.")


# --------------------------------------------------------------------------- polynomial_features
def check_polynomial_features(func: Callable, x: np.ndarray, degree: int, expected: np.ndarray | None = None) -> None:
    """Check polynomial_features(x, degree) for a 1-D float x against `expected` (default: the reference)."""
    __tracebackhide__ = True
    x = np.asarray(x, dtype=float)
    name = f"polynomial_features({_show(x)}, {degree})"
    want = regularization.polynomial_features(x, degree) if expected is None else np.asarray(expected, dtype=float)
    given = x.copy()
    out = call(func, given, degree, name=name, copy_args=False)
    _untouched([x], [given], "polynomial_features")
    N = x.shape[0]
    if isinstance(out, np.ndarray) and out.ndim == 2:
        if out.shape == (N, degree):
            if degree > 0 and np.allclose(out[:, 0], 1.0) and not np.allclose(x, 1.0):
                _fail(f"{name} has shape {out.shape}: the last column, x^{degree}, is missing.",
                      "np.arange(degree) stops at degree - 1; the powers run from 0 to degree: np.arange(degree + 1).")
            _fail(f"{name} has shape {out.shape}: the column of ones, x^0, is missing.",
                  "the powers run from 0 to degree: np.arange(degree + 1) of them, so degree + 1 columns.")
        if out.shape == (degree + 1, N) and N != degree + 1:
            _fail(f"{name} has shape {out.shape}, the transpose of ({N}, {degree + 1}).",
                  "samples go in rows: row i holds 1, x_i, x_i^2, ... (try x[:, None] ** np.arange(degree + 1)).")
        if out.shape == want.shape and degree > 0 and np.allclose(out, want[:, ::-1]):
            _fail(f"{name} has the columns in reverse order: x^{degree} first, x^0 last.",
                  "column k must be x^k (np.vander(x, degree + 1) puts the highest power first unless you pass "
                  "increasing=True).")
    check(out, want, name)


# --------------------------------------------------------------------------- ridge_fit
def ridge_mistakes(X: np.ndarray, y: np.ndarray, lam: float) -> dict[str, np.ndarray]:
    """{explanation: the w a known mistake gives} for ridge_fit(X, y, lam)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, D = X.shape
    A, r, I = X.T @ X, X.T @ y, np.eye(D)
    out = {}

    def add(text, fn):
        try:
            value = fn()
        except np.linalg.LinAlgError:
            return
        if np.all(np.isfinite(value)):
            out[text] = value

    add("the penalty is missing: this is the plain least-squares solution (X^T X) w = X^T y. "
        "Ridge solves (X^T X + lam I) w = X^T y.", lambda: np.linalg.lstsq(X, y, rcond=None)[0])
    add("you added lam to EVERY entry of X^T X (X.T @ X + lam). The penalty adds lam only on the diagonal: "
        "X.T @ X + lam * np.eye(D).", lambda: np.linalg.solve(A + lam, r))
    add("you used lam / 2. The objective is ||Xw - y||^2 + lam ||w||^2; setting its gradient "
        "2 X^T (Xw - y) + 2 lam w to zero gives (X^T X + lam I) w = X^T y.", lambda: np.linalg.solve(A + lam / 2 * I, r))
    add("you used 2 lam. The gradient of the objective is 2 X^T (Xw - y) + 2 lam w: divide both terms by 2, "
        "which gives (X^T X + lam I) w = X^T y.", lambda: np.linalg.solve(A + 2 * lam * I, r))
    add("you minimized the MEAN squared error plus lam ||w||^2 (lam times N on the diagonal). This exercise "
        "uses the SUM: ||Xw - y||^2 + lam ||w||^2.", lambda: np.linalg.solve(A + N * lam * I, r))
    add("you left the first column (the bias, x^0) unpenalized. That is a common choice in practice, but this "
        "exercise penalizes every column: add lam * np.eye(D).",
        lambda: np.linalg.solve(A + lam * np.diag(np.r_[0.0, np.ones(D - 1)]), r))
    add("you shrank the least-squares solution by 1 / (1 + lam). That equals ridge only when X^T X = I; "
        "solve (X^T X + lam I) w = X^T y instead.", lambda: np.linalg.lstsq(X, y, rcond=None)[0] / (1 + lam))
    return out


def check_ridge(func: Callable, X: np.ndarray, y: np.ndarray, lam: float, expected: np.ndarray | None = None) -> None:
    """Check ridge_fit(X, y, lam): shape (D,), value, named mistakes, zero gradient, inputs untouched."""
    __tracebackhide__ = True
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, D = X.shape
    name = f"ridge_fit(X, y, {lam:g}) with X of shape {X.shape}"
    want = regularization.ridge_fit(X, y, lam) if expected is None else np.asarray(expected, dtype=float)
    X_in, y_in = X.copy(), y.copy()
    out = call(func, X_in, y_in, lam, name=name, copy_args=False,
               hint=f"X^T X + lam I has shape ({D}, {D}) and X^T y has shape ({D},): "
                    "w = np.linalg.solve(X.T @ X + lam * np.eye(D), X.T @ y).")
    _untouched([X, y], [X_in, y_in], "ridge_fit")
    if isinstance(out, np.ndarray) and out.shape in ((D, 1), (1, D)) and D > 1:
        _fail(f"{name} has shape {out.shape}; w should be 1-D, shape ({D},).",
              "keep y 1-D (shape (N,)); then np.linalg.solve returns shape (D,).")
    check(out, want, name, mistakes=ridge_mistakes(X, y, lam), rtol=1e-5, atol=1e-8)
    w = np.asarray(out, dtype=float)
    grad = 2 * X.T @ (X @ w - y) + 2 * lam * w
    check_that(np.allclose(grad, 0.0, atol=1e-6 * max(1.0, float(np.abs(X.T @ y).max()))),
               f"{name}: the gradient of ||Xw - y||^2 + lam ||w||^2 is not zero at your w.")


# --------------------------------------------------------------------------- penalties
def _penalty_mistakes(kind: str, weights: list[np.ndarray], reg: float) -> dict[str, tuple]:
    sq = sum(float(np.sum(w * w)) for w in weights)
    ab = sum(float(np.sum(np.abs(w))) for w in weights)
    if kind == "l2":
        return {
            "the loss and the gradient are twice too large: the penalty is 0.5 * reg * sum of squares, "
            "and its gradient reg * w (the 0.5 cancels the 2 from the square).":
                (reg * sq, [2 * reg * w for w in weights]),
            "the loss has no 0.5: the penalty is 0.5 * reg * sum of squares (its gradient is then reg * w).":
                (reg * sq, [reg * w for w in weights]),
            "the gradient is half of what it should be: the derivative of 0.5 * reg * w^2 is reg * w.":
                (0.5 * reg * sq, [0.5 * reg * w for w in weights]),
        }
    return {
        "the gradient is reg * w, the gradient of the L2 penalty. The derivative of reg * |w| is reg * sign(w).":
            (reg * ab, [reg * w for w in weights]),
        "the loss has a factor 0.5 it should not have: the L1 penalty is reg * sum of |w|.":
            (0.5 * reg * ab, [reg * np.sign(w) for w in weights]),
        "the gradient is sign(w) without the factor reg.":
            (reg * ab, [np.sign(w) for w in weights]),
        "the loss sums w itself; the L1 penalty sums the absolute values |w|.":
            (reg * sum(float(np.sum(w)) for w in weights), [reg * np.sign(w) for w in weights]),
        "the gradient is not 0 where w = 0: use np.sign(w), which is 0 at 0 (a value like np.where(w >= 0, 1, -1) "
        "gives 1 there).":
            (reg * ab, [reg * np.where(w >= 0, 1.0, -1.0) for w in weights]),
    }


def check_penalty(func: Callable, kind: str, weights: list[np.ndarray], reg: float,
                  expected_loss: float | None = None) -> None:
    """Check l2_penalty (kind "l2") or l1_penalty (kind "l1") on a list of weight arrays."""
    __tracebackhide__ = True
    fname = f"{kind}_penalty"
    weights = [np.asarray(w, dtype=float) for w in weights]
    shapes = ", ".join(str(w.shape) for w in weights)
    name = f"{fname}(weights, {reg:g}) with weights of shapes {shapes}"
    reference = layers.l2_penalty if kind == "l2" else layers.l1_penalty
    want_loss, want_grads = reference(weights, reg)
    if expected_loss is not None:
        want_loss = expected_loss
    given = [w.copy() for w in weights]
    out = call(func, given, reg, name=name, copy_args=False)
    _untouched([weights], [given], fname)
    if out is None:
        _fail(f"{name} returned None. Did you forget the `return` statement?")
    if not isinstance(out, (tuple, list)) or len(out) != 2 or isinstance(out, np.ndarray):
        _fail(f"{name} should return a pair (loss, grads), but it returned a {type(out).__name__}"
              + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."),
              "end with `return loss, grads`, where grads is a list with one array per weight array.")
    loss, grads = out
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        _fail(f"{name}: grads should be a list of {len(weights)} arrays (one per weight array), but it is "
              f"a {type(grads).__name__}.", "build it with a list comprehension: [... for w in weights].")
    if len(grads) != len(weights):
        _fail(f"{name}: grads holds {len(grads)} arrays, but there are {len(weights)} weight arrays.",
              "return one gradient per weight array, in the same order.")
    for k, (g, w) in enumerate(zip(grads, weights)):
        if np.shape(g) != w.shape:
            _fail(f"{name}: grads[{k}] has shape {np.shape(g)}, but weights[{k}] has shape {w.shape}.",
                  "each gradient has the shape of its weight array.")
    if len(weights) > 1:
        first = reference(weights[:1], reg)[0]
        if np.ndim(loss) == 0 and np.isclose(float(loss), first) and not np.isclose(first, want_loss):
            _fail(f"{name}: the loss covers only the first weight array ({float(loss):.10g}); it should add up "
                  f"all {len(weights)} arrays ({want_loss:.10g}).",
                  "sum over every array in the list: sum(np.sum(...) for w in weights).")
    mistakes = _penalty_mistakes(kind, weights, reg)
    for text, (m_loss, m_grads) in mistakes.items():
        if (np.ndim(loss) == 0 and np.isclose(float(loss), m_loss, rtol=1e-6)
                and all(np.allclose(np.asarray(g, dtype=float), mg) for g, mg in zip(grads, m_grads))
                and not (np.isclose(m_loss, want_loss) and all(np.allclose(mg, wg) for mg, wg in zip(m_grads, want_grads)))):
            _fail(f"{name} is wrong: {text}")
    if kind == "l2" and reg > 0 and np.ndim(loss) == 0 and np.isclose(float(loss), reg * np.sqrt(2 * want_loss / reg)):
        _fail(f"{name}: the loss is reg times the norm ||w|| = sqrt(sum of squares); the L2 penalty uses the "
              "SQUARED norm: 0.5 * reg * sum of squares.")
    check(loss, want_loss, f"the loss of {name}")
    for k, (g, wg) in enumerate(zip(grads, want_grads)):
        check(g, wg, f"grads[{k}] of {name}")


# --------------------------------------------------------------------------- dropout
def check_dropout(forward: Callable, backward: Callable, shape: tuple = (400, 250), p: float = 0.2,
                  seed: int = 0, dtype=float) -> None:
    """Check inverted dropout on inputs of `shape` (values in [1, 2), so no input is 0)."""
    __tracebackhide__ = True
    data_rng = np.random.default_rng(1000 + seed)
    x = (1.0 + data_rng.random(shape)).astype(dtype)
    dout = data_rng.normal(size=shape).astype(dtype)
    x0, dout0 = x.copy(), dout.copy()
    name = f'dropout_forward(x, {p}, "train", rng) with x of shape {shape}'
    out = call(forward, x, p, "train", np.random.default_rng(seed), name=name, copy_args=False)
    _untouched([x0], [x], "dropout_forward")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        _fail(f"{name} should return a pair (out, cache), but it returned a {type(out).__name__}.",
              "end with `return out, cache`; the cache holds what dropout_backward needs (the mask).")
    y, cache = out
    if not isinstance(y, np.ndarray) or y.shape != x.shape:
        _fail(f"{name}: out should be an array of shape {x.shape}, but it is "
              + (f"an array of shape {y.shape}." if isinstance(y, np.ndarray) else f"a {type(y).__name__}."))
    y = np.asarray(y, dtype=float)
    xf = np.asarray(x, dtype=float)
    dropped = y == 0
    frac = float(dropped.mean())
    tol = 4 * np.sqrt(p * (1 - p) / x.size) + 0.002
    if abs(frac - (1 - p)) < tol and abs(p - 0.5) > 0.05:
        _fail(f"{name} dropped {frac:.1%} of the units, about 1 - p. p is the probability of DROPPING a unit: "
              f"keep each unit with probability 1 - p = {1 - p:g}.",
              "mask = rng.random(x.shape) >= p keeps a unit when its random number is at least p.")
    if abs(frac - p) > tol:
        _fail(f"{name} dropped {frac:.1%} of the units; with p = {p} about {p:.0%} should be 0.",
              "draw one uniform number per unit with rng.random(x.shape) and drop the unit where it is below p.")
    kept = ~dropped
    ratio = y[kept] / xf[kept]
    right = 1.0 / (1.0 - p)
    wrong_ratios = {
        1.0: f"{name}: the kept units are unchanged. Inverted dropout divides them by 1 - p = {1 - p:g}, so that "
             "the expected output equals x and nothing needs to change at test time.",
        (1.0 / p if p > 0 else np.inf): f"{name}: the kept units are divided by p; divide by the keep probability "
                                        f"1 - p = {1 - p:g}.",
        1.0 - p: f"{name}: the kept units are multiplied by 1 - p; inverted dropout DIVIDES them by 1 - p "
                 "(the old, non-inverted form multiplies at test time instead).",
    }
    for value, text in wrong_ratios.items():
        if ratio.size and not np.isclose(value, right) and np.allclose(ratio, value):
            _fail(text)
    check_that(np.allclose(ratio, 1.0 / (1 - p)),
               f"{name}: every kept unit should be x / (1 - p) = x / {1 - p:g}, but the ratios out / x range from "
               f"{ratio.min():.4g} to {ratio.max():.4g}.",
               "out = x * mask, with mask = (rng.random(x.shape) >= p) / (1 - p).")
    again = call(forward, x, p, "train", np.random.default_rng(seed), name=name)
    check_that(np.array_equal(np.asarray(again[0]), np.asarray(out[0])),
               f"two calls of {name} with generators made from the same seed dropped different units.",
               "draw the random numbers from the rng argument (rng.random(x.shape)), not from np.random.")
    other = call(forward, x, p, "train", np.random.default_rng(seed + 1), name=name)
    check_that(not np.array_equal(np.asarray(other[0]), np.asarray(out[0])),
               f"{name}: generators with different seeds dropped the same units; draw the mask from rng.")
    shared = np.random.default_rng(seed)
    first = call(forward, x.copy(), p, "train", shared, name=name, copy_args=False)[0]
    second = call(forward, x.copy(), p, "train", shared, name=name, copy_args=False)[0]
    check_that(not np.array_equal(np.asarray(first), np.asarray(second)),
               f"{name}: two calls with the same generator object dropped the same units; each call must draw "
               "a new mask from rng.")

    # backward in train mode
    bname = f"dropout_backward(dout, cache) after {name}"
    y, cache = forward(x, p, "train", np.random.default_rng(seed))
    dx = call(backward, dout, cache, name=bname, copy_args=False)
    _untouched([dout0], [dout], "dropout_backward")
    mask = np.asarray(y, dtype=float) / xf  # the scaled mask the forward pass used
    want = np.asarray(dout, dtype=float) * mask
    check(dx, want, bname, rtol=1e-5, atol=1e-6,
          mistakes={
              "dx is dout unchanged: the units dropped in the forward pass must get gradient 0, the kept ones "
              "dout / (1 - p). Multiply dout by the same scaled mask.": dout,
              "dx uses the mask without the 1 / (1 - p) scaling. The forward pass multiplied by mask / (1 - p), "
              "so the backward pass multiplies dout by the same.": dout * (mask != 0),
              "dx is dout * out (the forward OUTPUT). The derivative of out = x * mask with respect to x is the "
              "mask: keep the mask in the cache and return dout * mask.": dout * np.asarray(y, dtype=float),
              "dx is dout / (1 - p) everywhere: the dropped units must get gradient 0 (multiply by the mask).":
                  dout / (1 - p),
          })

    # test mode
    tname = f'dropout_forward(x, {p}, "test", rng)'
    out_t = call(forward, x, p, "test", np.random.default_rng(seed), name=tname)
    if not isinstance(out_t, (tuple, list)) or len(out_t) != 2:
        _fail(f"{tname} should return a pair (out, cache) in test mode too.")
    y_t, cache_t = out_t
    check(np.asarray(y_t, dtype=float) if isinstance(y_t, np.ndarray) else y_t, xf, tname, mistakes={
        "at test time the output is scaled by 1 - p. Inverted dropout scales in training only, so at test "
        "time the layer returns x unchanged.": xf * (1 - p),
        "at test time the output is divided by 1 - p. Inverted dropout returns x unchanged at test time.":
            xf / (1 - p),
    }, hint="at test time nothing is dropped and nothing is scaled: return x itself (or a copy).")
    dx_t = call(backward, dout, cache_t, name=f"dropout_backward(dout, cache) after {tname}")
    check(np.asarray(dx_t, dtype=float) if isinstance(dx_t, np.ndarray) else dx_t, np.asarray(dout, dtype=float),
          f"dropout_backward(dout, cache) after {tname}",
          mistakes={"in test mode the backward pass scales dout; at test time out = x, so dx = dout.":
                    dout * (1 - p)},
          hint="in test mode the layer is the identity, so dx = dout.")


# --------------------------------------------------------------------------- early_stopping_epoch
def _walk(losses, patience, strict=True, stop_at=None, reset=True, against_previous=False, return_stop=False):
    """Early stopping with switches that reproduce known mistakes (all off: the right answer)."""
    stop_at = patience if stop_at is None else stop_at
    best, best_i, waited, prev = np.inf, 0, 0, np.inf
    for i, v in enumerate(float(v) for v in losses):
        better = (v < prev) if against_previous else ((v < best) if strict else (v <= best))
        if better:
            best, best_i = v, i
            if reset:
                waited = 0
        else:
            waited += 1
            if waited >= stop_at:
                return i if return_stop else best_i
        prev = v
    return (len(losses) - 1) if return_stop else best_i


_EARLY_STOPPING_MISTAKES = {
    "you return the epoch where training STOPPED; return the index of the best epoch (the one whose weights "
    "early stopping keeps).": lambda l, p: _walk(l, p, return_stop=True),
    "equal losses count as improvements in your version (<=). Only a STRICTLY lower loss is an improvement.":
        lambda l, p: _walk(l, p, strict=False),
    "you stop one epoch too late: stop as soon as `patience` epochs in a row bring no improvement (when the "
    "counter reaches patience, not patience + 1).": lambda l, p: _walk(l, p, stop_at=p + 1),
    "you stop one epoch too early: wait until `patience` epochs in a row bring no improvement.":
        lambda l, p: _walk(l, p, stop_at=max(p - 1, 1)),
    "the counter of epochs without improvement must go back to 0 after every improvement (patience counts "
    "epochs IN A ROW).": lambda l, p: _walk(l, p, reset=False),
    "you compare each loss with the PREVIOUS epoch's; compare it with the best loss so far.":
        lambda l, p: _walk(l, p, against_previous=True),
    "you ignore the patience: this is the lowest loss of the whole list, but training stops earlier.":
        lambda l, p: int(np.argmin(np.asarray(l, dtype=float))),
    "epochs are counted from 0 here: return the index into val_losses, not index + 1.":
        lambda l, p: _walk(l, p) + 1,
}


def early_stopping_mistakes(losses: Sequence[float], patience: int) -> dict[str, int]:
    """{explanation: the index a known mistake returns} for early_stopping_epoch(losses, patience)."""
    return {text: int(f(losses, patience)) for text, f in _EARLY_STOPPING_MISTAKES.items()}


def check_early_stopping(func: Callable, cases: Sequence[tuple]) -> None:
    """Check early_stopping_epoch on several cases at once.

    cases : (losses, patience) or (losses, patience, expected) tuples; losses a list or a NumPy array
    (passed as given). Every case is run first; a known mistake is named only when it explains the
    answers to every case, otherwise the first wrong case is reported.
    """
    __tracebackhide__ = True
    answers, wants, names = [], [], []
    for case in cases:
        losses, patience = case[0], case[1]
        want = regularization.early_stopping_epoch(losses, patience) if len(case) < 3 else case[2]
        given = copy.deepcopy(losses)
        kind = "np.array(" if isinstance(losses, np.ndarray) else ""
        shown = "[" + ", ".join(f"{float(v):g}" for v in losses) + "]"
        name = f"early_stopping_epoch({kind}{shown}{')' if kind else ''}, patience={patience})"
        out = call(func, given, patience, name=name, copy_args=False)
        original = copy.deepcopy(losses)
        _untouched([original], [given], "early_stopping_epoch")
        if out is None:
            _fail(f"{name} returned None. Did you forget the `return` statement?")
        if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
            if isinstance(out, (float, np.floating)) and float(out) in [float(v) for v in losses]:
                _fail(f"{name} returned {float(out):g}, a loss value; return the INDEX of the best epoch (an int).")
            _fail(f"{name} should return an int (an index into val_losses), but it returned "
                  f"{type(out).__name__} {out!r}.", "np.argmin and enumerate give indices; int(...) converts.")
        answers.append(int(out))
        wants.append(int(want))
        names.append(name)
    if answers == wants:
        return
    first = next(i for i, (a, w) in enumerate(zip(answers, wants)) if a != w)
    explained = [text for text, f in _EARLY_STOPPING_MISTAKES.items()
                 if [int(f(c[0], c[1])) for c in cases] == answers]
    detail = f": {explained[0]}" if len(explained) == 1 else "."
    _fail(f"{names[first]} returned {answers[first]}, but it should be {wants[first]}{detail}",
          None if len(explained) == 1 else "walk through the epochs keeping the best loss, its index and a counter of epochs "
                              "without a strict improvement; stop when the counter reaches patience.")
