"""Right and wrong answers for lesson 06 · Classification (nbgrader round trip, visible catch rate).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source)
RIGHT: (answer cell grade_id, description, replacement source)
VISIBLE_MISSES: {description: reason} for wrong answers that only the hidden tests catch (none).

With one WRONG entry substituted into the solution notebook, only the named test cell may
fail; with one RIGHT entry, every test cell passes. The notebook's imports cell (numpy as np)
and the `sigmoid` helper cell have run before every answer cell. The entries after "added with the
checks of issue 12" say in their description whether the tests before them let them through
("silent before": ✔ and full points).
"""

WRONG = [
    # ---- binary_cross_entropy
    ("binary_cross_entropy", "test_binary_cross_entropy", "minus sign missing", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''', "minus sign is missing"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "sum over samples instead of the mean", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
''', "MEAN over samples"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "no clipping: log(0) gives inf and nan", '''\
def binary_cross_entropy(y_hat, y):
    return float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))
''', "clip y_hat"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "clips with eps 1e-7 instead of 1e-12", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''', "exactly this eps"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "y and 1 - y swapped", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean((1 - y) * np.log(p) + y * np.log(1 - p)))
''', "swapped"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "clips the caller's array in place", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12, out=y_hat)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''', "in place"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "math.log on an array", '''\
import math
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return -sum(y * math.log(p) + (1 - y) * math.log(1 - p)) / len(p)
''', "not the math module"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "log base 2", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)))
''', "natural log"),
    ("binary_cross_entropy", "test_binary_cross_entropy", "returns the per-sample losses, no mean", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))
''', "should be a number"),
    # ---- logistic_regression_fit
    ("logistic_regression_fit", "test_logistic_regression_fit", "bias never updated", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros(D), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w - learning_rate * X.T @ (a - y) / N
    return w, b, losses
''', "is the bias updated"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "gradient sign flipped (steps uphill)", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros(D), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w + learning_rate * X.T @ (a - y) / N
        b = b + learning_rate * np.mean(a - y)
    return w, b, losses
''', "uphill"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "loss recorded after the update", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros(D), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        w = w - learning_rate * X.T @ (a - y) / N
        b = b - learning_rate * np.mean(a - y)
        losses.append(binary_cross_entropy(sigmoid(X @ w + b), y))
    return w, b, losses
''', "BEFORE"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "one loss too many: the final loss appended after the loop", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros(D), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w - learning_rate * X.T @ (a - y) / N
        b = b - learning_rate * np.mean(a - y)
    losses.append(binary_cross_entropy(sigmoid(X @ w + b), y))
    return w, b, losses
''', "one per iteration"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "gradient without the 1/N", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros(D), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w - learning_rate * X.T @ (a - y)
        b = b - learning_rate * np.sum(a - y)
    return w, b, losses
''', "lacks the 1/N"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "w as a column (D, 1): a - y broadcasts to (N, N)", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros((D, 1)), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w - learning_rate * X.T @ (a - y) / N
        b = b - learning_rate * np.mean(a - y)
    return w, b, losses
''', "(N, N)"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "labels turned into a column (N, 1)", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    y = y.reshape(-1, 1)
    w, b, losses = np.zeros(D), 0.0, []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w - learning_rate * X.T @ np.mean(a - y, axis=0) / N
        b = b - learning_rate * np.mean(a - y)
    return w, b, losses
''', "print the shapes"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "bias kept as a 1-element array", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    N, D = X.shape
    w, b, losses = np.zeros(D), np.zeros(1), []
    for _ in range(iterations):
        a = sigmoid(X @ w + b)
        losses.append(binary_cross_entropy(a, y))
        w = w - learning_rate * X.T @ (a - y) / N
        b = b - learning_rate * np.mean(a - y)
    return w, b, losses
''', "single number"),
    # ---- entropy
    ("entropy", "test_entropy", "natural log, base ignored", '''\
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    return -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1)
''', "ignored `base`"),
    ("entropy", "test_entropy", "nan for zero probabilities", '''\
def entropy(p, base=2):
    return -np.sum(p * np.log(p), axis=-1) / np.log(base)
''', "nan"),
    ("entropy", "test_entropy", "p[p > 0] flattens a batch of distributions", '''\
def entropy(p, base=2):
    p = p[p > 0]
    return -np.sum(p * np.log(p)) / np.log(base)
''', "flattens"),
    ("entropy", "test_entropy", "minus sign missing", '''\
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    return np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1) / np.log(base)
''', "minus sign is missing"),
    ("entropy", "test_entropy", "np.log2 whatever the base", '''\
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    return -np.sum(p * np.log2(np.where(p > 0, p, 1.0)), axis=-1)
''', "np.log2 whatever"),
    ("entropy", "test_entropy", "sums over axis 0 (the distributions) in a batch", '''\
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    return -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=0) / np.log(base)
''', "last axis"),
    # ---- kl_divergence
    ("kl_divergence", "test_kl_divergence", "p and q swapped", '''\
def kl_divergence(p, q, base=2):
    p, q = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p / q, 1.0)), 0.0), axis=-1) / np.log(base)
''', "swapped"),
    ("kl_divergence", "test_kl_divergence", "natural log, base ignored", '''\
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p / q, 1.0)), 0.0), axis=-1)
''', "ignored `base`"),
    ("kl_divergence", "test_kl_divergence", "nan for zeros in p", '''\
def kl_divergence(p, q, base=2):
    return np.sum(p * np.log(p / q), axis=-1) / np.log(base)
''', "p_k = 0"),
    ("kl_divergence", "test_kl_divergence", "returns the cross-entropy H(p, q)", '''\
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return -np.sum(np.where(p > 0, p * np.log(q), 0.0), axis=-1) / np.log(base)
''', "subtract the entropy"),
    ("kl_divergence", "test_kl_divergence", "sign flipped: sum p log(q / p)", '''\
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, q / p, 1.0)), 0.0), axis=-1) / np.log(base)
''', "sign is flipped"),
    ("kl_divergence", "test_kl_divergence", "sums over every axis: one number for a batch", '''\
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p / q, 1.0)), 0.0)) / np.log(base)
''', "last axis"),
    # ---- one_hot
    ("one_hot", "test_one_hot", "transposed: one row per class", '''\
def one_hot(y, num_classes):
    out = np.zeros((num_classes, len(y)))
    out[y, np.arange(len(y))] = 1.0
    return out
''', "one row per SAMPLE"),
    ("one_hot", "test_one_hot", "integers instead of floats", '''\
def one_hot(y, num_classes):
    return np.eye(num_classes, dtype=int)[y]
''', "floats"),
    ("one_hot", "test_one_hot", "y.max() + 1 columns instead of num_classes", '''\
def one_hot(y, num_classes):
    return np.eye(y.max() + 1)[y]
''', "num_classes columns"),
    ("one_hot", "test_one_hot", "out[y] = 1 sets whole rows", '''\
def one_hot(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[y] = 1.0
    return out
''', "whole ROWS"),
    ("one_hot", "test_one_hot", "out[:, y] = 1 sets whole columns", '''\
def one_hot(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[:, y] = 1.0
    return out
''', "whole COLUMNS"),
    ("one_hot", "test_one_hot", "returns a list of lists", '''\
def one_hot(y, num_classes):
    return [[1.0 if k == label else 0.0 for k in range(num_classes)] for label in y]
''', "NumPy array"),
    # ---- softmax_cross_entropy
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "no max subtraction: overflow on large scores", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(loss), dscores / N
''', "largest score"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "dscores without the 1/N", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(loss), dscores
''', "lacks the 1/N"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "dscores without the -1 at the true class", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    return float(loss), probs / N
''', "lacks the -1"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "loss summed over samples", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(loss), dscores / N
''', "MEAN"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "softmax over axis 0 (the samples)", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=0, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(loss), dscores / N
''', "wrong axis"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "shifts the caller's scores in place", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(loss), dscores / N
''', "in place"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "-log p summed over every class (the seed's simplification)", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.sum(np.log(probs), axis=1))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(loss), dscores / N
''', "EVERY class"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "returns (dscores, loss)", '''\
def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return dscores / N, float(loss)
''', "wrong order"),
    # ---- hinge_loss
    ("hinge_loss", "test_hinge_loss", "the true class's own margin counted (adds 1 per sample)", '''\
def hinge_loss(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    loss = margins.sum() / N
    mask = (margins > 0).astype(float)
    mask[rows, y] -= mask.sum(axis=1)
    return float(loss), mask / N
''', "adds 1 per sample"),
    ("hinge_loss", "test_hinge_loss", "gradient missing the -count at the true class", '''\
def hinge_loss(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    return float(margins.sum() / N), (margins > 0).astype(float) / N
''', "-count"),
    ("hinge_loss", "test_hinge_loss", "no 1/N anywhere (sum over samples)", '''\
def hinge_loss(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    d = (margins > 0).astype(float)
    d[rows, y] = -d.sum(axis=1)
    return float(margins.sum()), d
''', "MEAN"),
    ("hinge_loss", "test_hinge_loss", "margin of 1 missing", '''\
def hinge_loss(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None])
    margins[rows, y] = 0.0
    d = (margins > 0).astype(float)
    d[rows, y] = -d.sum(axis=1)
    return float(margins.sum() / N), d / N
''', "margin of 1 is missing"),
    ("hinge_loss", "test_hinge_loss", "scores subtracted the wrong way round", '''\
def hinge_loss(scores, y):
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores[rows, y][:, None] - scores + 1.0)
    margins[rows, y] = 0.0
    d = (margins > 0).astype(float)
    d[rows, y] = -d.sum(axis=1)
    return float(margins.sum() / N), d / N
''', "wrong way round"),
    ("hinge_loss", "test_hinge_loss", "loop over samples, gradient without the 1/N", '''\
def hinge_loss(scores, y):
    N, C = scores.shape
    loss, d = 0.0, np.zeros((N, C))
    for n in range(N):
        for j in range(C):
            if j != y[n]:
                m = scores[n, j] - scores[n, y[n]] + 1
                if m > 0:
                    loss += m
                    d[n, j] += 1
                    d[n, y[n]] -= 1
    return loss / N, d
''', "lacks the 1/N"),
    ("hinge_loss", "test_hinge_loss", "marks the true class with -inf in the caller's array", '''\
def hinge_loss(scores, y):
    scores = np.asarray(scores, dtype=float)  # no copy for a float array
    N = scores.shape[0]
    rows = np.arange(N)
    true = scores[rows, y].copy()
    scores[rows, y] = -np.inf
    margins = np.maximum(0.0, scores - true[:, None] + 1.0)
    d = (margins > 0).astype(float)
    d[rows, y] = -d.sum(axis=1)
    return float(margins.sum() / N), d / N
''', "in place"),
    # ---- added with the checks of issue 12: each passed the visible test before (most also the hidden one)
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "softmax shifted by the largest score of the whole batch (silent before)", '''\
def softmax_cross_entropy(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    e = np.exp(scores - scores.max())
    probs = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    return float(loss), (probs - one_hot(y, scores.shape[1])) / N
''', "whole batch"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "stable loss, dscores from an unshifted exp", '''\
def softmax_cross_entropy(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    loss = -np.mean(z[np.arange(N), y] - np.log(np.exp(z).sum(axis=1)))
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    return float(loss), (probs - one_hot(y, scores.shape[1])) / N
''', "overflows"),
    ("kl_divergence", "test_kl_divergence", "cross-entropy -sum p log q: nan where p and q are both 0 (silent before)", '''\
def kl_divergence(p, q, base=2):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    cross = -np.sum(p * np.log(q), axis=-1) / np.log(base)
    return cross - entropy(p, base)
''', "also where q_k = 0"),
    ("kl_divergence", "test_kl_divergence", "log of p / q with p's zeros replaced, q's not (silent before)", '''\
def kl_divergence(p, q, base=2):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    return np.sum(p * np.log(np.where(p > 0, p, 1.0) / q), axis=-1) / np.log(base)
''', "also where q_k = 0"),
    # ---- the course's reference instead of an own answer: flagged visibly, no points
    ("binary_cross_entropy", "test_binary_cross_entropy", "a wrapper around the reference", '''\
import dlcourse.layers

def binary_cross_entropy(y_hat, y):
    return dlcourse.layers.binary_cross_entropy(y_hat, y)
''', "uses the course's reference"),
    ("logistic_regression_fit", "test_logistic_regression_fit", "the reference imported inside the function", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    from dlcourse.classification import logistic_regression_fit as fit
    return fit(X, y, learning_rate, iterations)
''', "uses the course's reference"),
    ("entropy", "test_entropy", "functools.partial of the reference", '''\
import functools
import dlcourse.classification
entropy = functools.partial(dlcourse.classification.entropy)
''', "uses the course's reference"),
    ("one_hot", "test_one_hot", "the reference as an alias", '''\
from dlcourse.classification import one_hot
''', "uses the course's reference"),
    ("hinge_loss", "test_hinge_loss", "the reference imported under another name", '''\
import dlcourse.layers as L

def hinge_loss(scores, y):
    return L.hinge_loss(scores, y)
''', "uses the course's reference"),
    ("softmax_cross_entropy", "test_softmax_cross_entropy", "a wrapper around the reference", '''\
from dlcourse import layers as nn

def softmax_cross_entropy(scores, y):
    loss, dscores = nn.softmax_cross_entropy(scores, y)
    return loss, dscores
''', "uses the course's reference"),
]

RIGHT = [
    ("binary_cross_entropy", "eps added inside the logarithms", '''\
def binary_cross_entropy(y_hat, y):
    eps = 1e-12
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    return np.mean(-y * np.log(y_hat + eps) - (1 - y) * np.log(1 - y_hat + eps))
'''),
    ("binary_cross_entropy", "probability of the true label with np.where", '''\
def binary_cross_entropy(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    p_true = np.where(np.asarray(y) == 1, p, 1 - p)
    return -np.log(p_true).mean()
'''),
    ("logistic_regression_fit", "np.dot, a preallocated loss array, the loss written with logaddexp", '''\
def logistic_regression_fit(X, y, learning_rate, iterations):
    m, n = X.shape
    w = np.zeros(n)
    b = np.float64(0.0)
    losses = np.zeros(iterations)
    for t in range(iterations):
        z = np.dot(X, w) + b
        a = sigmoid(z)
        losses[t] = np.mean(np.logaddexp(0.0, -(2 * y - 1) * z))
        error = a - y
        w = w - learning_rate * np.dot(X.T, error) / m
        b = b - learning_rate * error.mean()
    return w, b, losses
'''),
    ("entropy", "log with out= and where=, change of base", '''\
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    logs = np.log(p, out=np.zeros_like(p), where=p > 0) / np.log(base)
    return -(p * logs).sum(axis=-1)
'''),
    ("entropy", "nan_to_num after the fact", '''\
def entropy(p, base=2):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.nan_to_num(p * np.log(p) / np.log(base))
    return -np.sum(terms, axis=-1)
'''),
    ("kl_divergence", "one np.where over p log(p / q)", '''\
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / q), 0.0)
    return terms.sum(axis=-1) / np.log(base)
'''),
    ("one_hot", "rows of the identity matrix", '''\
def one_hot(y, num_classes):
    return np.eye(num_classes)[y]
'''),
    ("one_hot", "comparison with np.arange", '''\
def one_hot(y, num_classes):
    return (np.asarray(y)[:, None] == np.arange(num_classes)).astype(np.float64)
'''),
    ("softmax_cross_entropy", "log-sum-exp and the identity matrix", '''\
def softmax_cross_entropy(scores, y):
    n, c = scores.shape
    top = np.max(scores, axis=-1, keepdims=True)
    log_probs = scores - top - np.log(np.sum(np.exp(scores - top), axis=-1, keepdims=True))
    loss = -log_probs[np.arange(n), y].sum() / n
    return loss, (np.exp(log_probs) - np.eye(c)[y]) / n
'''),
    ("hinge_loss", "loop over samples", '''\
def hinge_loss(scores, y):
    N, C = scores.shape
    loss, d = 0.0, np.zeros((N, C))
    for n in range(N):
        for j in range(C):
            if j == y[n]:
                continue
            m = scores[n, j] - scores[n, y[n]] + 1
            if m > 0:
                loss += m
                d[n, j] += 1
                d[n, y[n]] -= 1
    return loss / N, d / N
'''),
    ("hinge_loss", "np.where and a one-hot mask", '''\
def hinge_loss(scores, y):
    N, C = scores.shape
    is_true = np.arange(C)[None, :] == np.asarray(y)[:, None]
    correct = np.sum(np.where(is_true, scores, 0.0), axis=1, keepdims=True)
    margins = np.where(is_true, 0.0, np.maximum(0.0, scores - correct + 1))
    active = (margins > 0).astype(float)
    grad = active - is_true * active.sum(axis=1, keepdims=True)
    return margins.sum() / N, grad / N
'''),
    ("kl_divergence", "own entropy and a cross-entropy that skips p = 0 with np.where", '''\
def kl_divergence(p, q, base=2):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -np.where(p > 0, p * np.log(q), 0.0).sum(axis=-1) / np.log(base)
    return cross - entropy(p, base)
'''),
    ("softmax_cross_entropy", "per-row log-sum-exp, the -1 subtracted on a copy", '''\
def softmax_cross_entropy(scores, y):
    s = np.array(scores, dtype=float)
    s -= s.max(axis=-1, keepdims=True)
    log_probs = s - np.log(np.exp(s).sum(axis=-1, keepdims=True))
    N = len(y)
    loss = -log_probs[np.arange(N), y].sum() / N
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
'''),
]

VISIBLE_MISSES = {}
