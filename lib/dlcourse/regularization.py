"""Reference code and small experiments of lesson 08 (regularization).

Reference versions of the lesson's graded functions that are not network layers
(`train_val_test_split`, `polynomial_features`, `ridge_fit`, `early_stopping_epoch`; the
penalties and dropout live in `dlcourse.layers`), used by the hidden tests and by later
lessons, plus the helpers the lesson's demonstrations run on:

- `yours`: the student's function for a demonstration, with a one-line message while it is unfinished;
- `lesson_split`: the lesson's 200 points and the course's split of them (the text's numbers);
- `train_classifier`: a small ReLU network trained with the student's dropout and L2 penalty;
- `shift_images`, `rotate_images`, `augment_digits`: cheap data augmentation for (N, 28, 28) digits;
- `nearest_neighbour_predict`: a 1-nearest-neighbour classifier (no training, so augmentation
  shows its effect in a fraction of a second);
- `soft_threshold`, `fit_linear`: a linear model trained by gradient steps with an L1 or L2
  penalty, by subgradient or proximal steps;
- `train_polynomial`: a polynomial model trained by Adam, every epoch recorded (early stopping);
- `random_feature_classifier`: a net with a random hidden layer and a ridge output layer (ensembles).

Shapes are in each docstring. Nothing here changes its arguments in place.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = [
    "train_val_test_split", "polynomial_features", "ridge_fit", "early_stopping_epoch",
    "yours", "lesson_split", "train_classifier", "shift_images", "rotate_images", "augment_digits", "nearest_neighbour_predict",
    "soft_threshold", "fit_linear", "mse", "train_polynomial",
    "random_feature_classifier",
]


# --------------------------------------------------------------------------- graded functions (references)
def train_val_test_split(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
    """Shuffle the samples once and cut them into training, validation and test sets.

    X : (N, ...) samples along the first axis;  y : (N, ...) labels, row i belongs to X[i].
    n_val = round(val_fraction * N), n_test = round(test_fraction * N), the rest is training.
    One permutation from np.random.default_rng(seed): its first n_val entries index the
    validation set, the next n_test the test set, the rest the training set.
    Returns (X_train, y_train, X_val, y_val, X_test, y_test); X and y are left unchanged.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    n = X.shape[0]
    n_val = int(round(val_fraction * n))
    n_test = int(round(test_fraction * n))
    order = np.random.default_rng(seed).permutation(n)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], y[train], X[val], y[val], X[test], y[test]


def polynomial_features(x, degree):
    """Powers of a 1-D input: x (N,) -> (N, degree + 1) with columns x^0, x^1, ..., x^degree (floats)."""
    x = np.asarray(x, dtype=float)
    return x[:, None] ** np.arange(degree + 1)


def ridge_fit(X, y, lam):
    """Ridge regression: the w minimizing ||X w - y||^2 + lam ||w||^2 (every column penalized).

    X : (N, D);  y : (N,);  lam > 0.  Returns w (D,) = (X^T X + lam I)^{-1} X^T y.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def early_stopping_epoch(val_losses, patience):
    """Index of the epoch early stopping keeps.

    val_losses : sequence of validation losses, one per epoch;  patience : int >= 1.
    Walk through the epochs; an epoch whose loss is strictly below every earlier one is the new
    best. Once `patience` epochs in a row bring no strict improvement, stop and return the index
    of the best epoch; if that never happens, return the index of the lowest loss of the whole
    list (its first occurrence).
    """
    best, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch


# --------------------------------------------------------------------------- lesson helpers
def yours(func: Callable, name: str, exercise: int) -> Callable:
    """Your function, for the lesson's demonstrations: while it is not written yet, calling it shows a
    one-line message ("... is not written yet (Exercise k) ...") instead of a traceback.

    The demonstrations run on your code, never on the course's reference of a function graded here.
    """
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NotImplementedError:
            from .checks import CheckFailed
            raise CheckFailed(f"{name} is not written yet (Exercise {exercise}): this cell runs on your function. "
                              "Finish the exercise, run its cell, then run this cell again.", f"{name}:not-done") from None

    call.__name__ = name
    return call


def lesson_split(n: int = 200, seed: int = 0):
    """The data of lesson 08 and the course's split of it, so that every number matches the text.

    `datasets.polynomial_data(n, seed)` cut 160/20/20 by one permutation from
    `np.random.default_rng(seed)` (its first 20 entries validation, the next 20 test).
    Returns (x_train, y_train, x_val, y_val, x_test, y_test).
    """
    from . import datasets

    x, y = datasets.polynomial_data(n=n, seed=seed)
    n_val = n_test = int(round(0.1 * n))
    order = np.random.default_rng(seed).permutation(n)
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return x[train], y[train], x[val], y[val], x[test], y[test]


def mse(pred, y) -> float:
    """Mean squared error of two arrays of the same shape, as a float."""
    return float(np.mean((np.asarray(pred, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def shift_images(images, dx, dy):
    """Move images dx pixels to the right and dy pixels down, filling with zeros.

    images : (N, H, W) or (H, W);  dx, dy : integers (negative: left / up).
    Returns a new float array of the same shape.
    """
    images = np.asarray(images, dtype=float)
    out = np.zeros_like(images)
    H, W = images.shape[-2:]
    dx, dy = int(dx), int(dy)
    if abs(dx) >= W or abs(dy) >= H:
        return out
    src_r = slice(max(0, -dy), H - max(0, dy))
    dst_r = slice(max(0, dy), H - max(0, -dy))
    src_c = slice(max(0, -dx), W - max(0, dx))
    dst_c = slice(max(0, dx), W - max(0, -dx))
    out[..., dst_r, dst_c] = images[..., src_r, src_c]
    return out


def rotate_images(images, degrees):
    """Rotate each image about its centre (counter-clockwise for positive degrees), bilinear, zeros outside.

    images : (N, H, W);  degrees : a number or an array of N angles (one per image).
    Returns a new float array (N, H, W).
    """
    images = np.asarray(images, dtype=float)
    N, H, W = images.shape
    theta = np.deg2rad(np.broadcast_to(np.asarray(degrees, dtype=float), (N,)))[:, None, None]
    rows, cols = np.meshgrid(np.arange(H) - (H - 1) / 2, np.arange(W) - (W - 1) / 2, indexing="ij")
    # the output pixel at (row, col) takes its value from the input rotated back by theta
    cos, sin = np.cos(theta), np.sin(theta)
    src_r = cos * rows + sin * cols + (H - 1) / 2
    src_c = -sin * rows + cos * cols + (W - 1) / 2
    r0, c0 = np.floor(src_r).astype(int), np.floor(src_c).astype(int)
    fr, fc = src_r - r0, src_c - c0
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))  # a zero border makes out-of-range reads 0
    index = np.arange(N)[:, None, None]
    out = np.zeros_like(images)
    for dr, wr in ((0, 1 - fr), (1, fr)):
        for dc, wc in ((0, 1 - fc), (1, fc)):
            r = np.clip(r0 + dr + 1, 0, H + 1)
            c = np.clip(c0 + dc + 1, 0, W + 1)
            out += wr * wc * padded[index, r, c]
    return out


def augment_digits(images, rng, copies=1, max_shift=2, max_degrees=15.0):
    """Random small shifts and rotations of digit images.

    images : (N, H, W) (uint8 or float);  rng : a np.random.Generator;  copies : new images per image.
    Each copy is rotated by an angle drawn uniformly from [-max_degrees, max_degrees] and shifted by
    integers dx, dy drawn from [-max_shift, max_shift]. Returns floats (copies * N, H, W) in the
    order copy 0 of every image, then copy 1, ... (so labels repeat with np.tile(y, copies)).
    """
    images = np.asarray(images, dtype=float)
    N = images.shape[0]
    out = []
    for _ in range(copies):
        rotated = rotate_images(images, rng.uniform(-max_degrees, max_degrees, size=N))
        shifts = rng.integers(-max_shift, max_shift + 1, size=(N, 2))
        out.append(np.stack([shift_images(img, dx, dy) for img, (dx, dy) in zip(rotated, shifts)]))
    return np.concatenate(out)


def nearest_neighbour_predict(train_x, train_y, test_x, batch=500):
    """1-nearest-neighbour classifier: each test sample gets the label of the closest training sample.

    train_x : (M, ...) ;  train_y : (M,) ;  test_x : (N, ...) (flattened per sample; Euclidean distance).
    Returns predicted labels (N,).
    """
    A = np.asarray(train_x, dtype=np.float32).reshape(len(train_x), -1)
    B = np.asarray(test_x, dtype=np.float32).reshape(len(test_x), -1)
    a2 = np.sum(A * A, axis=1)
    pred = np.empty(len(B), dtype=np.asarray(train_y).dtype)
    for start in range(0, len(B), batch):
        part = B[start:start + batch]
        d2 = a2[None, :] - 2.0 * part @ A.T  # |b|^2 is the same for every training sample
        pred[start:start + batch] = np.asarray(train_y)[np.argmin(d2, axis=1)]
    return pred


def soft_threshold(w, t):
    """The proximal step of the L1 penalty: sign(w) * max(|w| - t, 0), elementwise (new array)."""
    w = np.asarray(w, dtype=float)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def fit_linear(X, y, penalty=None, reg=0.0, learning_rate=0.05, steps=2000, proximal=False):
    """A linear model y ~ X w (no bias) trained by full-batch gradient descent on MSE + penalty.

    X : (N, D);  y : (N,);  penalty : None or a function `penalty([w], reg) -> (value, [grad])`
    (the lesson's `l1_penalty` or `l2_penalty`);  proximal=True instead takes plain MSE steps
    followed by soft thresholding with learning_rate * reg (the proximal step of reg * sum|w|).
    Returns (w (D,), losses (steps,)) where losses are MSE + penalty after each step.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, D = X.shape
    w = np.zeros(D)
    losses = np.empty(steps)
    for step in range(steps):
        residual = X @ w - y
        grad = 2.0 * X.T @ residual / N
        if proximal:
            w = soft_threshold(w - learning_rate * grad, learning_rate * reg)
            extra = reg * float(np.sum(np.abs(w)))
        else:
            if penalty is not None:
                _, (dpen,) = penalty([w], reg)
                grad = grad + dpen
            w = w - learning_rate * grad
            extra = float(penalty([w], reg)[0]) if penalty is not None else 0.0
        losses[step] = mse(X @ w, y) + extra
    return w, losses


def train_polynomial(X, y, X_val, y_val, epochs=3000, learning_rate=0.01):
    """Fit y ~ X w (e.g. polynomial features) by full-batch Adam on the MSE, recording every epoch.

    X : (N, D);  y : (N,);  X_val : (M, D);  y_val : (M,). With one batch, one step is one epoch.
    Returns a dict with "weights" (epochs, D) (w after each epoch), "train_loss" and "val_loss"
    (epochs,) (the MSEs after each epoch).
    """
    from .optim import adam

    X, y, X_val, y_val = (np.asarray(a, dtype=float) for a in (X, y, X_val, y_val))
    N, D = X.shape
    w, config = np.zeros(D), {"learning_rate": learning_rate}
    weights = np.empty((epochs, D))
    for epoch in range(epochs):
        grad = 2.0 * X.T @ (X @ w - y) / N
        w, config = adam(w, grad, config)
        weights[epoch] = w
    train_loss = np.mean((weights @ X.T - y) ** 2, axis=1)
    val_loss = np.mean((weights @ X_val.T - y_val) ** 2, axis=1)
    return {"weights": weights, "train_loss": train_loss, "val_loss": val_loss}


def random_feature_classifier(X, y, n_features=200, lam=1.0, seed=0, num_classes=10):
    """A one-hidden-layer ReLU net whose hidden layer stays random; only the output layer is fitted.

    X : (N, D) inputs;  y : (N,) integer labels. The hidden weights (D, n_features) are He-initialized
    from np.random.default_rng(seed); the output weights solve ridge regression of the one-hot labels
    on the hidden activations with penalty lam (`ridge_fit` with several target columns at once).
    Returns a function mapping inputs (M, D) to class scores (M, num_classes).
    """
    from .layers import he_init

    X = np.asarray(X, dtype=float)
    W = he_init(X.shape[1], n_features, np.random.default_rng(seed))
    H = np.maximum(X @ W, 0.0)
    V = ridge_fit(H, np.eye(num_classes)[np.asarray(y)], lam)

    def scores(inputs):
        return np.maximum(np.asarray(inputs, dtype=float) @ W, 0.0) @ V

    return scores


# --------------------------------------------------------------------------- dropout and L2 in a small network
def train_classifier(X, y, X_val, y_val, *, hidden=(100, 100), steps=1500, learning_rate=0.01, seed=0,
                     dropout=0.0, dropout_forward=None, dropout_backward=None, reg=0.0, l2_penalty=None,
                     record_every=25):
    """A ReLU network for a small classification problem, trained full-batch by Adam, with optional
    dropout after every hidden layer and an optional L2 penalty on the weight matrices.

    X : (N, D), y : (N,) integer labels; X_val, y_val the same for validation. `dropout` is the
    probability p of dropping a hidden unit, applied with `dropout_forward(x, p, mode, rng)` and
    `dropout_backward(dout, cache)` (lesson 08's exercise: pass your own); `reg` the strength of
    the penalty computed by `l2_penalty(weights, reg) -> (loss, grads)` (pass your own too).
    Weights start as He's normal from `np.random.default_rng(seed)`, which also draws the masks.
    Returns a dict: "predict" (a function (M, D) -> (M, K) class probabilities, dropout off),
    "step" (the recorded steps), "train_loss" and "val_loss" (data loss without the penalty,
    measured with dropout off), "train_accuracy", "val_accuracy" (at the end).
    """
    from . import layers, optim

    rng = np.random.default_rng(seed)
    X, X_val = np.asarray(X, dtype=float), np.asarray(X_val, dtype=float)
    y, y_val = np.asarray(y, dtype=int), np.asarray(y_val, dtype=int)
    sizes = [X.shape[1], *hidden, int(max(y.max(), y_val.max())) + 1]
    params = {}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"W{k}"] = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
        params[f"b{k}"] = np.zeros(n_out)
    configs = {name: {"learning_rate": learning_rate} for name in params}
    layers_count = len(sizes) - 1

    def forward(inputs, train):
        h, caches = inputs, []
        for k in range(layers_count):
            h, affine_cache = layers.affine_forward(h, params[f"W{k}"], params[f"b{k}"])
            relu_cache = drop_cache = None
            if k < layers_count - 1:
                h, relu_cache = layers.relu_forward(h)
                if train and dropout > 0:
                    h, drop_cache = dropout_forward(h, dropout, "train", rng)
            caches.append((affine_cache, relu_cache, drop_cache))
        return h, caches

    def probabilities(inputs):
        return layers.softmax(forward(np.asarray(inputs, dtype=float), False)[0])

    record = {"step": [], "train_loss": [], "val_loss": []}
    for step in range(steps + 1):
        if step % record_every == 0 or step == steps:
            record["step"].append(step)
            record["train_loss"].append(layers.softmax_cross_entropy(forward(X, False)[0], y)[0])
            record["val_loss"].append(layers.softmax_cross_entropy(forward(X_val, False)[0], y_val)[0])
        if step == steps:
            break
        scores, caches = forward(X, True)
        _, dout = layers.softmax_cross_entropy(scores, y)
        grads = {}
        for k in reversed(range(layers_count)):
            affine_cache, relu_cache, drop_cache = caches[k]
            if drop_cache is not None:
                dout = dropout_backward(dout, drop_cache)
            if relu_cache is not None:
                dout = layers.relu_backward(dout, relu_cache)
            dout, grads[f"W{k}"], grads[f"b{k}"] = layers.affine_backward(dout, affine_cache)
        if reg > 0:
            names = [f"W{k}" for k in range(layers_count)]
            _, penalty_grads = l2_penalty([params[n] for n in names], reg)
            for name, g in zip(names, penalty_grads):
                grads[name] = grads[name] + g
        for name in params:
            params[name], configs[name] = optim.adam(params[name], grads[name], configs[name])
    record = {key: np.array(value) for key, value in record.items()}
    record["predict"] = probabilities
    record["train_accuracy"] = float(np.mean(np.argmax(probabilities(X), axis=1) == y))
    record["val_accuracy"] = float(np.mean(np.argmax(probabilities(X_val), axis=1) == y_val))
    return record
