"""Right and wrong answers for lesson 08 · Regularization (nbgrader round trip and visible tests).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source)
RIGHT: (answer cell grade_id, description, replacement source)
VISIBLE_MISSES: {description of a WRONG entry: why only the hidden tests catch it} (none here)

With one WRONG entry substituted into the solution notebook, only the named test cell may
fail (and its visible part must already flag it); with one RIGHT entry, every test cell passes.

The entries after "issue 12" were run against the tests before the checks of issue 12 (commit 86819af):
silent before (✔ and full points): the split cut into blocks before shuffling, the split through
np.random.seed, the dropout_backward that changes its cached mask, the five routes to the course's
reference except the alias; hidden only before (✔, then 0 points): one dropout mask shared by every row;
flagged with a misleading message before: whole samples dropped (reported as a wrong fraction), L1's
w / |w| (an overflow hint for a 0 / 0).
"""

_SPLIT_HEAD = '''\
import numpy as np
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    X, y = np.asarray(X), np.asarray(y)
    N = X.shape[0]
    n_val, n_test = round(val_fraction * N), round(test_fraction * N)
'''

WRONG = [
    # ---- train_val_test_split
    ("train_val_test_split", "test_train_val_test_split", "X and y shuffled with two different permutations",
     _SPLIT_HEAD + '''\
    rng = np.random.default_rng(seed)
    X, y = X[rng.permutation(N)], y[rng.permutation(N)]
    a, b = n_val, n_val + n_test
    return X[b:], y[b:], X[:a], y[:a], X[a:b], y[a:b]
'''),
    ("train_val_test_split", "test_train_val_test_split", "only X is shuffled, y stays in order",
     _SPLIT_HEAD + '''\
    order = np.random.default_rng(seed).permutation(N)
    X = X[order]
    a, b = n_val, n_val + n_test
    return X[b:], y[b:], X[:a], y[:a], X[a:b], y[a:b]
'''),
    ("train_val_test_split", "test_train_val_test_split", "validation and test sets taken from the same slice",
     _SPLIT_HEAD + '''\
    order = np.random.default_rng(seed).permutation(N)
    val, test, train = order[:n_val], order[:n_test], order[n_val + n_test:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
'''),
    ("train_val_test_split", "test_train_val_test_split", "ignores the seed: always default_rng(0)",
     _SPLIT_HEAD + '''\
    order = np.random.default_rng(0).permutation(N)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
'''),
    ("train_val_test_split", "test_train_val_test_split", "unseeded global np.random.permutation",
     _SPLIT_HEAD + '''\
    order = np.random.permutation(N)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
'''),
    ("train_val_test_split", "test_train_val_test_split", "no shuffle: consecutive slices of the file",
     _SPLIT_HEAD + '''\
    a, b = N - n_val - n_test, N - n_test
    return X[:a], y[:a], X[a:b], y[a:b], X[b:], y[b:]
'''),
    ("train_val_test_split", "test_train_val_test_split", "sizes rounded down with int()", '''\
import numpy as np
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    N = len(X)
    n_val, n_test = int(val_fraction * N), int(test_fraction * N)
    order = np.random.default_rng(seed).permutation(N)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
'''),
    ("train_val_test_split", "test_train_val_test_split", "shuffles X and y in place with rng.shuffle", '''\
import numpy as np
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    N = len(X)
    n_val, n_test = round(val_fraction * N), round(test_fraction * N)
    np.random.default_rng(seed).shuffle(X)
    np.random.default_rng(seed).shuffle(y)
    a, b = n_val, n_val + n_test
    return X[b:], y[b:], X[:a], y[:a], X[a:b], y[a:b]
'''),
    ("train_val_test_split", "test_train_val_test_split", "returns all X parts first, then all y parts",
     _SPLIT_HEAD + '''\
    order = np.random.default_rng(seed).permutation(N)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
'''),
    # ---- polynomial_features
    ("polynomial_features", "test_polynomial_features", "the column of ones x^0 is missing", '''\
import numpy as np
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(1, degree + 1)
'''),
    ("polynomial_features", "test_polynomial_features", "transposed: one power per row", '''\
import numpy as np
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[None, :] ** np.arange(degree + 1)[:, None]
'''),
    ("polynomial_features", "test_polynomial_features", "np.vander without increasing=True: highest power first", '''\
import numpy as np
def polynomial_features(x, degree):
    return np.vander(np.asarray(x, dtype=float), degree + 1)
'''),
    ("polynomial_features", "test_polynomial_features", "np.arange(degree): the last power is missing", '''\
import numpy as np
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(degree)
'''),
    ("polynomial_features", "test_polynomial_features", "multiplies by k instead of raising to the power k", '''\
import numpy as np
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] * np.arange(degree + 1)
'''),
    # ---- ridge_fit
    ("ridge_fit", "test_ridge_fit", "no penalty: plain least squares", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.lstsq(X, y, rcond=None)[0]
'''),
    ("ridge_fit", "test_ridge_fit", "lam added to every entry of X^T X", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.solve(X.T @ X + lam, X.T @ y)
'''),
    ("ridge_fit", "test_ridge_fit", "lam / 2 on the diagonal", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.solve(X.T @ X + lam / 2 * np.eye(X.shape[1]), X.T @ y)
'''),
    ("ridge_fit", "test_ridge_fit", "2 lam on the diagonal", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.solve(X.T @ X + 2 * lam * np.eye(X.shape[1]), X.T @ y)
'''),
    ("ridge_fit", "test_ridge_fit", "mean squared error: N lam on the diagonal", '''\
import numpy as np
def ridge_fit(X, y, lam):
    N, D = X.shape
    return np.linalg.solve(X.T @ X / N + lam * np.eye(D), X.T @ y / N)
'''),
    ("ridge_fit", "test_ridge_fit", "right-hand side y instead of X^T y (shape error)", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), y)
'''),
    ("ridge_fit", "test_ridge_fit", "inverse of the wrong matrix: least squares shrunk by 1/(1 + lam)", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.inv(X.T @ X) @ X.T @ y / (1 + lam)
'''),
    ("ridge_fit", "test_ridge_fit", "the bias column left unpenalized", '''\
import numpy as np
def ridge_fit(X, y, lam):
    I = np.eye(X.shape[1])
    I[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + lam * I, X.T @ y)
'''),
    ("ridge_fit", "test_ridge_fit", "returns a column (D, 1)", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y.reshape(-1, 1))
'''),
    # ---- l2_penalty
    ("l2_penalty", "test_l2_penalty", "no 0.5: loss reg * sum of squares, gradient 2 reg w", '''\
import numpy as np
def l2_penalty(weights, reg):
    return reg * sum(np.sum(w ** 2) for w in weights), [2 * reg * w for w in weights]
'''),
    ("l2_penalty", "test_l2_penalty", "loss without the 0.5, gradient reg w", '''\
import numpy as np
def l2_penalty(weights, reg):
    return reg * sum(np.sum(w ** 2) for w in weights), [reg * w for w in weights]
'''),
    ("l2_penalty", "test_l2_penalty", "only the first weight array in the loss", '''\
import numpy as np
def l2_penalty(weights, reg):
    return 0.5 * reg * np.sum(weights[0] ** 2), [reg * w for w in weights]
'''),
    ("l2_penalty", "test_l2_penalty", "gradients computed in place (w *= reg)", '''\
import numpy as np
def l2_penalty(weights, reg):
    loss = 0.5 * reg * sum(np.sum(w ** 2) for w in weights)
    grads = []
    for w in weights:
        w *= reg
        grads.append(w)
    return loss, grads
'''),
    ("l2_penalty", "test_l2_penalty", "reg times the norm, not the squared norm", '''\
import numpy as np
def l2_penalty(weights, reg):
    norm = np.sqrt(sum(np.sum(w ** 2) for w in weights))
    return reg * norm, [reg * w for w in weights]
'''),
    ("l2_penalty", "test_l2_penalty", "returns the loss only", '''\
import numpy as np
def l2_penalty(weights, reg):
    return 0.5 * reg * sum(np.sum(w ** 2) for w in weights)
'''),
    # ---- l1_penalty
    ("l1_penalty", "test_l1_penalty", "gradient reg w (the L2 gradient)", '''\
import numpy as np
def l1_penalty(weights, reg):
    return reg * sum(np.sum(np.abs(w)) for w in weights), [reg * w for w in weights]
'''),
    ("l1_penalty", "test_l1_penalty", "0.5 in the loss", '''\
import numpy as np
def l1_penalty(weights, reg):
    return 0.5 * reg * sum(np.sum(np.abs(w)) for w in weights), [reg * np.sign(w) for w in weights]
'''),
    ("l1_penalty", "test_l1_penalty", "gradient +reg at w = 0", '''\
import numpy as np
def l1_penalty(weights, reg):
    return reg * sum(np.sum(np.abs(w)) for w in weights), [reg * np.where(w >= 0, 1.0, -1.0) for w in weights]
'''),
    ("l1_penalty", "test_l1_penalty", "gradient sign(w) without reg", '''\
import numpy as np
def l1_penalty(weights, reg):
    return reg * sum(np.sum(np.abs(w)) for w in weights), [np.sign(w) for w in weights]
'''),
    ("l1_penalty", "test_l1_penalty", "loss without the absolute value", '''\
import numpy as np
def l1_penalty(weights, reg):
    return reg * sum(np.sum(w) for w in weights), [reg * np.sign(w) for w in weights]
'''),
    # ---- dropout
    ("dropout", "test_dropout", "p used as the keep probability", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) < p) / p
        return x * mask, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "no 1/(1 - p) scaling of the kept units", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = rng.random(x.shape) >= p
        return x * mask, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "classic dropout: no scaling in training, x * (1 - p) at test time", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = rng.random(x.shape) >= p
        return x * mask, (mode, mask, p)
    return x * (1 - p), (mode, None, p)

def dropout_backward(dout, cache):
    mode, mask, p = cache
    return dout * mask if mode == "train" else dout * (1 - p)
'''),
    ("dropout", "test_dropout", "inverted in training but also scaled at test time", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x * (1 - p), (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "backward ignores the mask: dx = dout", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    return dout
'''),
    ("dropout", "test_dropout", "backward uses the unscaled mask", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        keep = rng.random(x.shape) >= p
        return x * keep / (1 - p), (mode, keep)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, keep = cache
    return dout * keep if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "backward multiplies by the forward output", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        out = x * (rng.random(x.shape) >= p) / (1 - p)
        return out, (mode, out)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, out = cache
    return dout * out if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "mask from np.random instead of rng", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (np.random.rand(*x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "kept units divided by p", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / p
        return x * mask, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "multiplies x in place", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / (1 - p)
        x *= mask
        return x, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    ("dropout", "test_dropout", "the same mask on every call: a generator made inside with seed 0", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (np.random.default_rng(0).random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x, (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout
'''),
    # ---- early_stopping_epoch
    ("early_stopping_epoch", "test_early_stopping_epoch", "returns the epoch where training stopped", '''\
def early_stopping_epoch(val_losses, patience):
    best, waited = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch
    return len(val_losses) - 1
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "counts equal losses as improvements (<=)", '''\
def early_stopping_epoch(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "stops one epoch late: after patience + 1 bad epochs", '''\
def early_stopping_epoch(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited > patience:
                break
    return best_epoch
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "stops one epoch early: after patience - 1 bad epochs", '''\
def early_stopping_epoch(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience - 1:
                break
    return best_epoch
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "never resets the counter after an improvement", '''\
def early_stopping_epoch(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "compares with the previous epoch, not the best", '''\
def early_stopping_epoch(val_losses, patience):
    previous, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < previous:
            best_epoch, waited = epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
        previous = loss
    return best_epoch
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "ignores the patience: argmin of the whole list", '''\
import numpy as np
def early_stopping_epoch(val_losses, patience):
    return int(np.argmin(val_losses))
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "returns a 1-based epoch number", '''\
def early_stopping_epoch(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch
'''),
    ("early_stopping_epoch", "test_early_stopping_epoch", "returns the best loss instead of its index", '''\
def early_stopping_epoch(val_losses, patience):
    best, waited = float("inf"), 0
    for loss in val_losses:
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best
'''),
    # ---- issue 12: silent passes and messages
    ("train_val_test_split", "test_train_val_test_split", "cuts the file into three blocks, then shuffles each block",
     _SPLIT_HEAD + """\
    rng = np.random.default_rng(seed)
    a, b = N - n_val - n_test, N - n_test
    train, val, test = rng.permutation(np.arange(a)), rng.permutation(np.arange(a, b)), rng.permutation(np.arange(b, N))
    return X[train], y[train], X[val], y[val], X[test], y[test]
""", "before shuffling"),
    ("train_val_test_split", "test_train_val_test_split", "seeds NumPy's global generator with np.random.seed",
     _SPLIT_HEAD + """\
    np.random.seed(seed)
    order = np.random.permutation(N)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
""", "global generator"),
    ("dropout", "test_dropout", "one mask shared by every row of the batch", """\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape[1:]) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x.copy(), (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout.copy()
""", "every row"),
    ("dropout", "test_dropout", "one random number per sample: whole rows dropped", """\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random((x.shape[0],) + (1,) * (x.ndim - 1)) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x.copy(), (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask if mode == "train" else dout.copy()
""", "whole samples"),
    ("dropout", "test_dropout", "backward multiplies the cached mask by dout in place", """\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x.copy(), (mode, None)

def dropout_backward(dout, cache):
    mode, mask = cache
    if mode == "train":
        mask *= dout
        return mask
    return dout.copy()
""", "in place"),
    ("l1_penalty", "test_l1_penalty", "gradient w / |w|: nan at w = 0", """\
import numpy as np
def l1_penalty(weights, reg):
    loss = reg * sum(np.sum(np.abs(w)) for w in weights)
    return loss, [reg * w / np.abs(w) for w in weights]
""", "0 / 0"),
    # ---- issue 12: the course's reference in reach
    ("ridge_fit", "test_ridge_fit", "a wrapper around the reference", """\
from dlcourse import regularization
def ridge_fit(X, y, lam):
    return regularization.ridge_fit(X, y, lam)
""", "uses the course's reference"),
    ("l2_penalty", "test_l2_penalty", "an alias of the reference", "from dlcourse import layers\nl2_penalty = layers.l2_penalty\n",
     "uses the course's reference"),
    ("polynomial_features", "test_polynomial_features", "a functools.partial of the reference", """\
import functools
from dlcourse import regularization
polynomial_features = functools.partial(regularization.polynomial_features)
""", "uses the course's reference"),
    ("early_stopping_epoch", "test_early_stopping_epoch", "an import inside the function", """\
def early_stopping_epoch(val_losses, patience):
    from dlcourse.regularization import early_stopping_epoch as stop
    return stop(val_losses, patience)
""", "uses the course's reference"),
    ("dropout", "test_dropout", "imports under another name", """\
import dlcourse.layers as L
def dropout_forward(x, p, mode, rng):
    return L.dropout_forward(x, p, mode, rng)

def dropout_backward(dout, cache):
    return L.dropout_backward(dout, cache)
""", "uses the course's reference"),
    ("train_val_test_split", "test_train_val_test_split", "a wrapper around the reference", """\
from dlcourse.regularization import train_val_test_split as _split
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    return _split(X, y, val_fraction, test_fraction, seed)
""", "uses the course's reference"),
    ("l1_penalty", "test_l1_penalty", "a wrapper around the reference", """\
def l1_penalty(weights, reg):
    import dlcourse.layers
    return dlcourse.layers.l1_penalty(weights, reg)
""", "uses the course's reference"),
]

RIGHT = [
    ("train_val_test_split", "test first, then validation, rounding with int(v + 0.5)", '''\
import numpy as np
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    N = len(X)
    n_val, n_test = int(val_fraction * N + 0.5), int(test_fraction * N + 0.5)
    idx = np.arange(N)
    rng = np.random.default_rng(seed)
    rng.shuffle(idx)
    test, val, train = idx[:n_test], idx[n_test:n_test + n_val], idx[n_test + n_val:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
'''),
    ("train_val_test_split", "rng.choice without replacement, training rows first, np.round", '''\
import numpy as np
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    X = np.array(X)
    y = np.array(y)
    N = X.shape[0]
    n_val = int(np.round(val_fraction * N))
    n_test = int(np.round(test_fraction * N))
    n_train = N - n_val - n_test
    order = np.random.default_rng(seed).choice(N, size=N, replace=False)
    parts = np.split(order, [n_train, n_train + n_val])
    return X[parts[0]], y[parts[0]], X[parts[1]], y[parts[1]], X[parts[2]], y[parts[2]]
'''),
    ("polynomial_features", "np.vander with increasing=True", '''\
import numpy as np
def polynomial_features(x, degree):
    return np.vander(x, degree + 1, increasing=True).astype(float)
'''),
    ("polynomial_features", "columns built in a loop", '''\
import numpy as np
def polynomial_features(x, degree):
    columns = [np.ones_like(x, dtype=float)]
    for k in range(degree):
        columns.append(columns[-1] * x)
    return np.column_stack(columns)
'''),
    ("ridge_fit", "the dual form X^T (X X^T + lam I)^-1 y", '''\
import numpy as np
def ridge_fit(X, y, lam):
    N = X.shape[0]
    return X.T @ np.linalg.solve(X @ X.T + lam * np.eye(N), y)
'''),
    ("ridge_fit", "least squares on X stacked on sqrt(lam) I", '''\
import numpy as np
def ridge_fit(X, y, lam):
    D = X.shape[1]
    A = np.vstack([X, np.sqrt(lam) * np.eye(D)])
    b = np.concatenate([y, np.zeros(D)])
    return np.linalg.lstsq(A, b, rcond=None)[0]
'''),
    ("ridge_fit", "with an explicit inverse", '''\
import numpy as np
def ridge_fit(X, y, lam):
    return np.linalg.inv(X.T @ X + lam * np.identity(X.shape[1])) @ X.T @ y
'''),
    ("l2_penalty", "a loop with np.linalg.norm, grads as a tuple", '''\
import numpy as np
def l2_penalty(weights, reg):
    total = 0.0
    grads = []
    for w in weights:
        total += np.linalg.norm(w.ravel()) ** 2
        grads.append(reg * w)
    return reg * total / 2, tuple(grads)
'''),
    ("l1_penalty", "a loop with np.abs, np.float64 loss", '''\
import numpy as np
def l1_penalty(weights, reg):
    loss = np.float64(0.0)
    grads = []
    for w in weights:
        loss += reg * np.abs(w).sum()
        grads.append(np.sign(w) * reg)
    return loss, grads
'''),
    ("dropout", "mask from rng.binomial, cache as a dict, x itself at test time", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode == "train":
        keep = rng.binomial(1, 1 - p, size=x.shape)
        scale = keep / (1 - p)
        return x * scale, {"mode": mode, "scale": scale}
    return x, {"mode": mode}

def dropout_backward(dout, cache):
    if cache["mode"] == "train":
        return dout * cache["scale"]
    return dout
'''),
    ("dropout", "mask from rng.uniform, keep probability q", '''\
import numpy as np
def dropout_forward(x, p, mode, rng):
    q = 1.0 - p
    if mode == "test":
        return x.copy(), None
    mask = rng.uniform(size=x.shape) < q
    return np.where(mask, x / q, 0.0), mask / q

def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    return dout * cache
'''),
    ("early_stopping_epoch", "np.argmin over the epochs seen so far", '''\
import numpy as np
def early_stopping_epoch(val_losses, patience):
    losses = np.asarray(val_losses, dtype=float)
    for epoch in range(len(losses)):
        best = int(np.argmin(losses[:epoch + 1]))
        if epoch - best >= patience:
            return best
    return int(np.argmin(losses))
'''),
    ("early_stopping_epoch", "a while loop with a counter", '''\
def early_stopping_epoch(val_losses, patience):
    losses = list(val_losses)
    best_epoch, bad, epoch = 0, 0, 1
    while epoch < len(losses) and bad < patience:
        if losses[epoch] < losses[best_epoch]:
            best_epoch, bad = epoch, 0
        else:
            bad += 1
        epoch += 1
    return best_epoch
'''),
    ("train_val_test_split", "shuffles a copy of the row numbers with its own generator, validation last", """\
import numpy as np
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    X, y = np.asarray(X), np.asarray(y)
    N = len(X)
    n_val, n_test = int(round(val_fraction * N)), int(round(test_fraction * N))
    rows = np.arange(N)
    np.random.default_rng(seed).shuffle(rows)
    n_train = N - n_val - n_test
    train, test, val = np.split(rows, [n_train, n_train + n_test])
    return X[train], y[train], X[val], y[val], X[test], y[test]
"""),
    ("dropout", "own cache (boolean mask, p), the scaling done in the backward pass", """\
import numpy as np
def dropout_forward(x, p, mode, rng):
    if mode != "train":
        return x.copy(), None
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1 - p), 0.0), (keep, p)

def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    keep, p = cache
    return np.where(keep, dout / (1 - p), 0.0)
"""),
    ("l1_penalty", "the sign written with np.where", """\
import numpy as np
def l1_penalty(weights, reg):
    loss = 0.0
    grads = []
    for w in weights:
        loss += reg * float(np.abs(w).sum())
        grads.append(reg * np.where(w > 0, 1.0, np.where(w < 0, -1.0, 0.0)))
    return loss, grads
"""),
]

VISIBLE_MISSES = {}
