"""Checks for the tests of lesson 08 (regularization).

One function per graded function, used by its visible test with small inputs whose known
mistakes give different values, and by its hidden test with other shapes and random inputs:

- `split_case(func, n, ...)`: sizes, the six parts in order, rows kept with their labels, no
  row in two sets, shuffled, the same split for the same seed and another for another seed;
- `polynomial_features_case(func, x, degree)`;
- `ridge_case(func, X, y, lam, expected=None)`: the value (against `expected` or the
  reference), the named mistakes, and that the gradient of the objective vanishes;
- `penalty_case(func, kind, weights, reg)` for `l2_penalty` and `l1_penalty`;
- `dropout_case(forward, backward, ...)`: inverted dropout, statistically and exactly;
- `early_stopping_cases(func, cases)`.

A test cell of the lesson is one call, ``check_ridge_fit(globals())``, and its hidden part one call,
``hidden_ridge_fit(globals())``; both start with `check_defined` and `check_own`, call the student's
function only through `attempt` or `check_no_mutation`, and run the same checks (the hidden ones on
more inputs), so the two accept exactly the same answers. Every failure raises `CheckFailed` with a
message that says what to change; an exception inside the student's function becomes such a message
too. Arguments are never modified.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Sequence

import numpy as np

from . import (_fail, _show, attempt, check, check_defined, check_no_mutation, check_own, check_that, mistake_id,
               passed)
from .. import layers, regularization

__all__ = ["check_train_val_test_split", "check_polynomial_features", "check_ridge_fit", "check_l2_penalty",
           "check_l1_penalty", "check_dropout", "check_early_stopping_epoch",
           "hidden_train_val_test_split", "hidden_polynomial_features", "hidden_ridge_fit", "hidden_l2_penalty",
           "hidden_l1_penalty", "hidden_dropout", "hidden_early_stopping_epoch",
           "split_case", "polynomial_features_case", "ridge_case", "ridge_mistakes", "penalty_case", "dropout_case",
           "early_stopping_cases", "early_stopping_mistakes"]


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


def split_case(func: Callable, n: int = 19, val_fraction: float | None = None, test_fraction: float | None = None,
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
    hints = {TypeError: "the signature is train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0), "
                        "with exactly these names and defaults."}
    global_state = np.random.get_state()
    attempt(func, X, y, name=name, copy_args=True, hint="pick whole rows of X and of y by their row numbers: that "
                                                        "works for any number of dimensions.", hints=hints, **kwargs)
    after = np.random.get_state()

    def split(X, y):
        return func(X, y, **kwargs)

    out = check_no_mutation(split, X, y, name="train_val_test_split")
    if not (global_state[0] == after[0] and np.array_equal(global_state[1], after[1]) and global_state[2:] == after[2:]):
        np.random.set_state(global_state)
        _fail(f"{name} used NumPy's global generator (np.random.seed, np.random.permutation, np.random.shuffle ...).",
              "seeding or drawing from the global generator changes the random numbers of every other piece of code "
              "in the notebook. Make a generator of your own from the seed and draw the permutation from it.",
              "train_val_test_split:global-generator")

    if out is None:
        _fail(f"{name} returned None. Did you forget the `return` statement?",
              mistake="train_val_test_split:no-return")
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
                  "(two permutations, or only one of them) pairs samples with the wrong labels.",
                  "train_val_test_split:labels-shuffled-apart")
    ids = np.concatenate([_ids_of_X(out[0]), _ids_of_X(out[2]), _ids_of_X(out[4])])
    unique, counts = np.unique(ids, return_counts=True)
    if np.any(counts > 1) or len(unique) != n:
        repeated = int(np.sum(counts[counts > 1] - 1))
        _fail(f"{name}: the sets overlap: {repeated} row(s) appear in more than one set (or twice), and "
              f"{n - len(unique)} row(s) of X appear in none.",
              "every row goes to exactly one set: cut ONE permutation of the row numbers into three pieces that do "
              "not overlap.", "train_val_test_split:overlap")
    train_ids = _ids_of_X(out[0])
    if np.array_equal(np.sort(ids), ids) or (n_train > 3 and np.all(np.diff(train_ids) > 0)):
        _fail(f"{name} did not shuffle: the rows of each set are in their original order.",
              "data files are often sorted (by date, by class): pick the rows of each set through a random "
              "permutation of the row numbers.", "train_val_test_split:not-shuffled")
    blocks = [np.sort(_ids_of_X(out[k])) for k in (0, 2, 4)]
    if n_train > 3 and all(len(b) < 2 or b[-1] - b[0] == len(b) - 1 for b in blocks):
        _fail(f"{name} cut the data before shuffling: each set holds a block of neighbouring rows of X "
              f"(the training set rows {blocks[0][0]} to {blocks[0][-1]}), only shuffled inside the block.",
              "shuffle first, then cut: if the file is sorted (by date, by class), a block of neighbouring rows is "
              "not like the rest. Cut the shuffled row numbers, not the rows as they come.",
              "train_val_test_split:cut-before-shuffle")
    again = attempt(func, X, y, name=name, copy_args=True, **kwargs)
    if not all(np.array_equal(a, b) for a, b in zip(out, again)):
        _fail(f"two calls of {name} with the same seed gave different splits.",
              "draw the permutation from a generator made from `seed` (NumPy's global generator changes from call "
              "to call).", "train_val_test_split:not-seeded")
    other = attempt(func, X, y, name=name, copy_args=True, **{**kwargs, "seed": s + 1})
    if all(np.array_equal(a, b) for a, b in zip(out, other)):
        _fail(f"seed={s} and seed={s + 1} gave the same split: the seed argument is not used.",
              "create the generator from the `seed` argument, not from a fixed number.",
              "train_val_test_split:ignores-seed")


# --------------------------------------------------------------------------- polynomial_features
def polynomial_features_case(func: Callable, x: np.ndarray, degree: int, expected: np.ndarray | None = None) -> None:
    """Check polynomial_features(x, degree) for a 1-D float x against `expected` (default: the reference)."""
    __tracebackhide__ = True
    x = np.asarray(x, dtype=float)
    name = f"polynomial_features({_show(x)}, {degree})"
    want = regularization.polynomial_features(x, degree) if expected is None else np.asarray(expected, dtype=float)
    out = check_no_mutation(func, x.copy(), degree, name=name)
    N = x.shape[0]
    if isinstance(out, np.ndarray) and out.ndim == 2:
        if out.shape == (N, degree):
            if degree > 0 and np.allclose(out[:, 0], 1.0) and not np.allclose(x, 1.0):
                _fail(f"{name} has shape {out.shape}: the last column, x^{degree}, is missing.",
                      "a range up to degree stops at degree - 1; the powers run from 0 to degree, both included.")
            _fail(f"{name} has shape {out.shape}: the column of ones, x^0, is missing.",
                  "the powers run from 0 to degree, so there are degree + 1 columns, the first one all ones.")
        if out.shape == (degree + 1, N) and N != degree + 1:
            _fail(f"{name} has shape {out.shape}, the transpose of ({N}, {degree + 1}).",
                  "samples go in rows: row i holds 1, x_i, x_i^2, ...")
        if out.shape == want.shape and degree > 0 and np.allclose(out, want[:, ::-1]):
            _fail(f"{name} has the columns in reverse order: x^{degree} first, x^0 last.",
                  "column k must be x^k (NumPy's Vandermonde matrix puts the highest power first unless you ask "
                  "for increasing powers).")
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
        "exercise penalizes every column, the first one too.",
        lambda: np.linalg.solve(A + lam * np.diag(np.r_[0.0, np.ones(D - 1)]), r))
    add("you shrank the least-squares solution by 1 / (1 + lam). That equals ridge only when X^T X = I; "
        "solve (X^T X + lam I) w = X^T y instead.", lambda: np.linalg.lstsq(X, y, rcond=None)[0] / (1 + lam))
    return out


def ridge_case(func: Callable, X: np.ndarray, y: np.ndarray, lam: float, expected: np.ndarray | None = None) -> None:
    """Check ridge_fit(X, y, lam): shape (D,), value, named mistakes, zero gradient, inputs untouched."""
    __tracebackhide__ = True
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, D = X.shape
    name = f"ridge_fit(X, y, {lam:g}) with X of shape {X.shape}"
    want = regularization.ridge_fit(X, y, lam) if expected is None else np.asarray(expected, dtype=float)
    attempt(func, X, y, lam, name=name, copy_args=True,
            hint=f"X^T X + lam I has shape ({D}, {D}) and X^T y has shape ({D},): solve that square system for w.")
    out = check_no_mutation(func, X.copy(), y.copy(), lam, name=name)
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
        "the gradient is not 0 where w = 0: the sign of 0 is 0, and a comparison such as w >= 0 gives 1 there.":
            (reg * ab, [reg * np.where(w >= 0, 1.0, -1.0) for w in weights]),
    }


def penalty_case(func: Callable, kind: str, weights: list[np.ndarray], reg: float,
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
    with np.errstate(all="ignore"):
        out = check_no_mutation(func, [w.copy() for w in weights], reg, name=name)
    if out is None:
        _fail(f"{name} returned None. Did you forget the `return` statement?")
    if not isinstance(out, (tuple, list)) or len(out) != 2 or isinstance(out, np.ndarray):
        _fail(f"{name} should return a pair (loss, grads), but it returned a {type(out).__name__}"
              + (f" of length {len(out)}." if isinstance(out, (tuple, list)) else "."),
              "return the pair (loss, grads), where grads is a list with one array per weight array.")
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
                  "the penalty adds up over every array in the list, not only the first.")
    mistakes = _penalty_mistakes(kind, weights, reg)
    for text, (m_loss, m_grads) in mistakes.items():
        if (np.ndim(loss) == 0 and np.isclose(float(loss), m_loss, rtol=1e-6)
                and all(np.allclose(np.asarray(g, dtype=float), mg) for g, mg in zip(grads, m_grads))
                and not (np.isclose(m_loss, want_loss) and all(np.allclose(mg, wg) for mg, wg in zip(m_grads, want_grads)))):
            _fail(f"{name} is wrong: {text}", mistake=mistake_id(fname, text))
    if kind == "l2" and reg > 0 and np.ndim(loss) == 0 and np.isclose(float(loss), reg * np.sqrt(2 * want_loss / reg)):
        _fail(f"{name}: the loss is reg times the norm ||w|| = sqrt(sum of squares); the L2 penalty uses the "
              "SQUARED norm: 0.5 * reg * sum of squares.")
    nan_hint = ("w / |w| is 0 / 0 = nan where a weight is exactly 0 (one of these weights is): the sign function is 0 "
                "there." if kind == "l1" else None)
    check(loss, want_loss, f"{name}: the loss")
    for k, (g, wg) in enumerate(zip(grads, want_grads)):
        check(g, wg, f"{name}: grads[{k}]", nan_hint=nan_hint)


# --------------------------------------------------------------------------- dropout
def dropout_case(forward: Callable, backward: Callable, shape: tuple = (400, 250), p: float = 0.2,
                  seed: int = 0, dtype=float) -> None:
    """Check inverted dropout on inputs of `shape` (values in [1, 2), so no input is 0)."""
    __tracebackhide__ = True
    data_rng = np.random.default_rng(1000 + seed)
    x = (1.0 + data_rng.random(shape)).astype(dtype)
    dout = data_rng.normal(size=shape).astype(dtype)
    name = f'dropout_forward(x, {p}, "train", rng) with x of shape {shape}'
    def train(x, p):
        return forward(x, p, "train", np.random.default_rng(seed))

    out = check_no_mutation(train, x, p, name=name)
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
    if x.ndim >= 2 and x.shape[0] > 1 and np.all(dropped == dropped[:1]):
        _fail(f"{name} dropped the same units in every row: all {x.shape[0]} samples share one mask.",
              "each sample of the batch gets its own mask: one random number per unit of every sample, a mask "
              "of the full shape of x.", "dropout_forward:one-mask-for-all-rows")
    flat = dropped.reshape(x.shape[0], -1)
    if x.ndim >= 2 and flat.shape[1] > 1 and np.all(flat == flat[:, :1]):
        _fail(f"{name} dropped whole samples: within each row either every unit is kept or every unit is dropped.",
              "dropout switches off single units, independently: one random number per unit, not per sample.",
              "dropout_forward:one-number-per-row")
    if abs(frac - (1 - p)) < tol and abs(p - 0.5) > 0.05:
        _fail(f"{name} dropped {frac:.1%} of the units, about 1 - p. p is the probability of DROPPING a unit: "
              f"keep each unit with probability 1 - p = {1 - p:g}.",
              "a uniform random number falls below p with probability p: that is when a unit is dropped.",
              "dropout_forward:p-is-keep-probability")
    if abs(frac - p) > tol:
        _fail(f"{name} dropped {frac:.1%} of the units; with p = {p} about {p:.0%} should be 0.",
              "draw one uniform random number per unit and drop the unit where it is below p.",
              "dropout_forward:wrong-fraction")
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
               "a kept unit is divided by the keep probability; a dropped one is 0.", "dropout_forward:scale")
    again = attempt(forward, x, p, "train", np.random.default_rng(seed), name=name, copy_args=True)
    check_that(np.array_equal(np.asarray(again[0]), np.asarray(out[0])),
               f"two calls of {name} with generators made from the same seed dropped different units.",
               "draw the random numbers from the rng argument, not from np.random.", "dropout_forward:ignores-rng")
    other = attempt(forward, x, p, "train", np.random.default_rng(seed + 1), name=name, copy_args=True)
    check_that(not np.array_equal(np.asarray(other[0]), np.asarray(out[0])),
               f"{name}: generators with different seeds dropped the same units; draw the mask from rng.",
               mistake="dropout_forward:ignores-rng")
    shared = np.random.default_rng(seed)
    first = attempt(forward, x.copy(), p, "train", shared, name=name)[0]
    second = attempt(forward, x.copy(), p, "train", shared, name=name)[0]
    check_that(not np.array_equal(np.asarray(first), np.asarray(second)),
               f"{name}: two calls with the same generator object dropped the same units; each call must draw "
               "a new mask from rng.", mistake="dropout_forward:same-mask-every-call")

    # backward in train mode
    bname = f"dropout_backward(dout, cache) after {name}"
    y, cache = attempt(forward, x, p, "train", np.random.default_rng(seed), name=name, copy_args=True)
    dx = check_no_mutation(backward, dout, cache, name=bname, twice=True)
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
    out_t = attempt(forward, x, p, "test", np.random.default_rng(seed), name=tname, copy_args=True)
    if not isinstance(out_t, (tuple, list)) or len(out_t) != 2:
        _fail(f"{tname} should return a pair (out, cache) in test mode too.")
    y_t, cache_t = out_t
    check(np.asarray(y_t, dtype=float) if isinstance(y_t, np.ndarray) else y_t, xf, tname, mistakes={
        "at test time the output is scaled by 1 - p. Inverted dropout scales in training only, so at test "
        "time the layer returns x unchanged.": xf * (1 - p),
        "at test time the output is divided by 1 - p. Inverted dropout returns x unchanged at test time.":
            xf / (1 - p),
    }, hint="at test time nothing is dropped and nothing is scaled: return x itself (or a copy).")
    dx_t = check_no_mutation(backward, dout.copy(), cache_t, name=f"dropout_backward(dout, cache) after {tname}",
                             twice=True)
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


def early_stopping_cases(func: Callable, cases: Sequence[tuple]) -> None:
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
        kind = "np.array(" if isinstance(losses, np.ndarray) else ""
        shown = "[" + ", ".join(f"{float(v):g}" for v in losses) + "]"
        name = f"early_stopping_epoch({kind}{shown}{')' if kind else ''}, patience={patience})"
        out = check_no_mutation(func, copy.deepcopy(losses), patience, name=name)
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


# --------------------------------------------------------------------------- the test cells of lesson 08
def _own(ns: dict, *names: str) -> list:
    __tracebackhide__ = True
    check_defined(ns, *names)
    for name in names:
        check_own(ns[name], name)
    return [ns[name] for name in names]


def check_train_val_test_split(ns: dict) -> None:
    """Visible test of Exercise 1."""
    __tracebackhide__ = True
    (func,) = _own(ns, "train_val_test_split")
    split_case(func, n=19)   # round(1.9) = 2 for validation, 2 for test, 15 for training
    # 37 samples of 3 features, 20 % and 30 %: round(7.4) = 7, round(11.1) = 11, 19 for training
    split_case(func, n=37, val_fraction=0.2, test_fraction=0.3, seed=5, feature_shape=(3,))
    passed("train_val_test_split: sizes, one permutation for X and y, no overlap, shuffled before the cut, seeded "
           "by its own generator")


def hidden_train_val_test_split(ns: dict) -> None:
    """Hidden test of Exercise 1: other sizes, fractions, seeds, shapes and dtypes."""
    __tracebackhide__ = True
    (func,) = _own(ns, "train_val_test_split")
    for n, vf, tf, seed, fs, ls in [(10, 0.1, 0.1, 3, (), ()), (200, 0.1, 0.1, 0, (2,), ()),
                                    (1000, 0.15, 0.05, 42, (4, 5), (2,)), (43, 0.33, 0.2, 7, (), (3,)),
                                    (23, 0.25, 0.1, 11, (1,), ())]:
        split_case(func, n=n, val_fraction=vf, test_fraction=tf, seed=seed, feature_shape=fs, label_shape=ls)
    split_case(func, n=30, feature_shape=(2,), dtype=np.int64)
    split_case(func, n=58, seed=123)


def check_polynomial_features(ns: dict) -> None:
    """Visible test of Exercise 2."""
    __tracebackhide__ = True
    (func,) = _own(ns, "polynomial_features")
    polynomial_features_case(func, np.array([2.0, -1.0, 0.5]), 3,
                             expected=np.array([[1.0, 2.0, 4.0, 8.0], [1.0, -1.0, 1.0, -1.0], [1.0, 0.5, 0.25, 0.125]]))
    polynomial_features_case(func, np.array([3.0]), 0, expected=np.array([[1.0]]))
    polynomial_features_case(func, np.array([-0.5, 0.25]), 1, expected=np.array([[1.0, -0.5], [1.0, 0.25]]))
    passed("polynomial_features: columns x^0 ... x^degree, one sample per row, degree 0 and 1")


def hidden_polynomial_features(ns: dict) -> None:
    """Hidden test of Exercise 2: random inputs, degrees up to 12, the tutorial's range [0, 20]."""
    __tracebackhide__ = True
    (func,) = _own(ns, "polynomial_features")
    rng = np.random.default_rng(4)
    for n, d in [(7, 5), (1, 9), (50, 12), (4, 1), (6, 0)]:
        polynomial_features_case(func, rng.uniform(-1.5, 1.5, size=n), d)
    polynomial_features_case(func, np.linspace(0.0, 20.0, 11), 9)


def check_ridge_fit(ns: dict) -> None:
    """Visible test of Exercise 3."""
    __tracebackhide__ = True
    (func,) = _own(ns, "ridge_fit")
    ridge_case(func, np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 2.0, 2.0]), 1.0,
               expected=np.array([0.8, 0.6]))   # the example worked out by hand
    rng = np.random.default_rng(8)
    ridge_case(func, rng.normal(size=(6, 4)), rng.normal(size=6), 0.5)
    ridge_case(func, rng.normal(size=(3, 5)), rng.normal(size=3), 0.1)   # fewer rows than columns
    passed("ridge_fit: the worked example, a random problem, more columns than rows; zero gradient at w")


def hidden_ridge_fit(ns: dict) -> None:
    """Hidden test of Exercise 3: other shapes and strengths, the degree-9 features of the lesson."""
    __tracebackhide__ = True
    (func,) = _own(ns, "ridge_fit")
    rng = np.random.default_rng(80)
    for shape, lam in [((20, 3), 1e-3), ((1, 3), 2.0), ((50, 1), 10.0), ((300, 12), 100.0), ((8, 8), 0.3)]:
        ridge_case(func, rng.normal(size=shape), rng.normal(size=shape[0]), lam)
    x = np.linspace(-1, 1, 12)
    ridge_case(func, x[:, None] ** np.arange(10), x + 0.1 * rng.normal(size=12), 1e-4)


_W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])    # sum of squares 15.25, sum of |w| 7.5, one weight 0
_B = np.array([0.5, -0.5, 2.0])                       # sum of squares 4.5, sum of |w| 3


def check_l2_penalty(ns: dict) -> None:
    """Visible test of Exercise 4."""
    __tracebackhide__ = True
    (func,) = _own(ns, "l2_penalty")
    penalty_case(func, "l2", [_W, _B], 0.1, expected_loss=0.9875)   # 0.5 * 0.1 * 19.75
    penalty_case(func, "l2", [_W], 2.0, expected_loss=15.25)       # 0.5 * 2 * 15.25
    passed("l2_penalty: 0.5 * reg * sum of squares over every array, gradients reg * W, weights untouched")


def check_l1_penalty(ns: dict) -> None:
    """Visible test of Exercise 5."""
    __tracebackhide__ = True
    (func,) = _own(ns, "l1_penalty")
    penalty_case(func, "l1", [_W, _B], 0.1, expected_loss=1.05)   # 0.1 * 10.5
    penalty_case(func, "l1", [_B], 2.0, expected_loss=6.0)       # 2 * 3
    passed("l1_penalty: reg * sum of |w| over every array, gradients reg * sign(W), 0 at 0, weights untouched")


def _hidden_penalty(ns: dict, kind: str, seed: int, cases: list, sparse: bool) -> None:
    __tracebackhide__ = True
    (func,) = _own(ns, f"{kind}_penalty")
    rng = np.random.default_rng(seed)
    for shapes, reg in cases:
        weights = [rng.normal(size=s) * ((rng.random(s) > 0.3) if sparse else 1.0) for s in shapes]
        penalty_case(func, kind, weights, reg)


def hidden_l2_penalty(ns: dict) -> None:
    """Hidden test of Exercise 4."""
    __tracebackhide__ = True
    _hidden_penalty(ns, "l2", 40, [([(4, 3), (3,), (3, 2), (2,)], 1e-3), ([(5,)], 5.0), ([(2, 3, 4)], 0.7),
                                   ([(1, 1), (1,)], 0.0)], sparse=False)


def hidden_l1_penalty(ns: dict) -> None:
    """Hidden test of Exercise 5 (weights with exact zeros)."""
    __tracebackhide__ = True
    _hidden_penalty(ns, "l1", 50, [([(4, 3), (3,), (3, 2), (2,)], 1e-3), ([(5,)], 5.0), ([(2, 3, 4)], 0.7)],
                    sparse=True)


def check_dropout(ns: dict) -> None:
    """Visible test of Exercise 6 (both functions; your forward pass's cache goes to your backward pass)."""
    __tracebackhide__ = True
    forward, backward = _own(ns, "dropout_forward", "dropout_backward")
    dropout_case(forward, backward, shape=(400, 250), p=0.2, seed=0)     # 100,000 units
    dropout_case(forward, backward, shape=(20, 30, 40), p=0.6, seed=3)   # 24,000 units of a 3-D array
    passed("dropout: drops a fraction p, a new mask for every sample and every call, kept units scaled by "
           "1/(1 - p), uses rng, identity at test time, backward with the same mask, inputs and cache untouched")


def _expected_output_is_x(forward: Callable) -> None:
    __tracebackhide__ = True
    x = np.random.default_rng(10).normal(size=(50, 40)) + 3.0
    name = 'dropout_forward(x, 0.5, "train", rng) averaged over 300 generators'
    mean = np.mean([attempt(forward, x.copy(), 0.5, "train", np.random.default_rng(s), name=name)[0]
                    for s in range(300)], axis=0)
    check_that(abs(float(np.mean(mean / x)) - 1.0) < 0.02,
               f"{name} is {float(np.mean(mean / x)):.3f} times x; inverted dropout keeps the expected output at x.",
               mistake="dropout_forward:scale")
    y0 = attempt(forward, x.copy(), 0.0, "train", np.random.default_rng(1), name='dropout_forward(x, 0.0, "train", rng)')[0]
    check(np.asarray(y0, dtype=float), x, 'dropout_forward(x, 0.0, "train", rng)',
          hint="with p = 0 nothing is dropped and nothing is scaled.")


def hidden_dropout(ns: dict) -> None:
    """Hidden test of Exercise 6: a batch of one, p = 0.9, float32, p = 0, the expected output."""
    __tracebackhide__ = True
    forward, backward = _own(ns, "dropout_forward", "dropout_backward")
    dropout_case(forward, backward, shape=(1, 20000), p=0.5, seed=7)     # a batch of one
    dropout_case(forward, backward, shape=(100, 300), p=0.9, seed=8)
    dropout_case(forward, backward, shape=(200, 200), p=0.3, seed=9, dtype=np.float32)
    _expected_output_is_x(forward)


_EARLY_CASES = [
    ([0.9, 0.6, 0.6, 0.6, 0.5, 0.4], 2, 1),             # ties are no improvement: stops at index 3
    ([1.0, 0.8, 0.9, 0.85, 0.7], 2, 1),                 # stops at index 3, before the 0.7
    ([1.0, 0.8, 0.9, 0.85, 0.84, 0.7], 2, 1),
    ([1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.6], 2, 3),      # one bad epoch, an improvement, then two bad ones
    ([1.0, 0.8, 0.9, 0.7, 0.75, 0.6, 0.65, 0.5], 2, 7), # never two bad epochs in a row
    ([3.0, 2.0, 1.0], 5, 2),                            # never stops: the lowest of the whole list
    ([0.5, 0.4, 0.45, 0.3], 1, 1),                      # patience 1
    ([0.5, 0.3, 0.4, 0.3, 0.35], 10, 1),                # the lowest value twice: the first counts
    (np.array([0.8, 0.5, 0.7, 0.6, 0.4]), 3, 4),        # a NumPy array works too
]


def check_early_stopping_epoch(ns: dict) -> None:
    """Visible test of Exercise 7."""
    __tracebackhide__ = True
    (func,) = _own(ns, "early_stopping_epoch")
    early_stopping_cases(func, _EARLY_CASES)
    passed("early_stopping_epoch: strict improvements, patience in a row, the best index returned, list untouched")


def hidden_early_stopping_epoch(ns: dict) -> None:
    """Hidden test of Exercise 7: 28 more runs, lists and arrays, ties."""
    __tracebackhide__ = True
    (func,) = _own(ns, "early_stopping_epoch")
    rng = np.random.default_rng(70)
    cases = [([0.7], 1), ([0.7, 0.7, 0.7], 1), ([2.0, 1.0, 1.5, 1.2, 1.1, 0.9, 0.95, 1.0, 1.05], 3)]
    for k in range(25):
        n = int(rng.integers(2, 60))
        losses = np.round(1.0 + np.cumsum(rng.normal(0.0, 0.1, size=n)), 1)
        cases.append((list(losses) if k % 2 else losses, int(rng.integers(1, 7))))
    early_stopping_cases(func, cases)
