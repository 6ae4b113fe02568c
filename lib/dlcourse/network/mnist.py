"""Lesson 09: the course's own NumPy classifier of MNIST, CS231n style, trained beside Keras
(`keras_mnist`):

    affine - relu - affine - relu - ... - affine - softmax cross-entropy

- `mnist_arrays(n_train, n_test)`          the course's MNIST as float32 arrays
- `init_mlp(layer_sizes, seed)`            parameters W1, b1, W2, b2, ... (He initialization)
- `mlp_loss(params, X, y=None, reg=0.0)`   scores, or (loss, grads) when labels are given
- `predict(params, X)`, `accuracy(params, X, y)`
- `step_decay(epoch, epochs)`              the learning-rate schedule both frameworks follow
- `rmsprop_step(w, dw, cache, step, ...)`  `optim.rmsprop`, in place
- `train_numpy_mlp(...)`                   RMSprop on mini-batches; returns a `TrainResult` with the
                                           test accuracy and the seconds per epoch

The network runs in float32 throughout, the precision Keras uses, so the two time the same
arithmetic. Shapes: samples in rows, X is (N, D) (or (N, 28, 28), flattened per sample), y is
(N,) integer labels, W_k is (fan_in, fan_out), b_k is (fan_out,).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .. import layers
from .blas import best_blas_threads, blas_threads


def mnist_arrays(n_train: int | None = None, n_test: int | None = None):
    """MNIST from the course's file as float32 arrays for the NumPy network.

    Returns `(x_train (n_train, 784) float32 in [0, 1], y_train (n_train,) int64,
    x_test (n_test, 784), y_test (n_test,))`; None keeps all 60,000 / 10,000 images.
    """
    from ..datasets import load_mnist  # noqa: PLC0415

    (xtr, ytr), (xte, yte) = load_mnist()
    xtr, ytr = xtr[:n_train], ytr[:n_train]
    xte, yte = xte[:n_test], yte[:n_test]
    scale = np.float32(1 / 255)
    return (xtr.reshape(len(xtr), -1).astype(np.float32) * scale, ytr.astype(np.int64),
            xte.reshape(len(xte), -1).astype(np.float32) * scale, yte.astype(np.int64))


def init_mlp(layer_sizes: Sequence[int], seed: int = 0, dtype=np.float32) -> dict:
    """Parameters of a fully connected net with the given layer sizes, e.g. [784, 512, 10].

    W_k : (layer_sizes[k-1], layer_sizes[k]) drawn with `layers.he_init` (std sqrt(2 / fan_in));
    b_k : (layer_sizes[k],) zeros. Keys "W1", "b1", "W2", "b2", ...; arrays of `dtype`.
    """
    rng = np.random.default_rng(seed)
    params = {}
    for k, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{k}"] = layers.he_init(fan_in, fan_out, rng).astype(dtype)
        params[f"b{k}"] = np.zeros(fan_out, dtype=dtype)
    return params


def _n_layers(params: dict) -> int:
    return sum(1 for name in params if name.startswith("W"))


def mlp_loss(params: dict, X, y=None, reg: float = 0.0, input_grad: bool = False):
    """Forward (and backward) pass of the net `affine - relu - ... - affine - softmax`.

    params : {"W1": (D, H1), "b1": (H1,), ..., "WL": (H_{L-1}, C), "bL": (C,)}
    X : (N, D) or (N, 28, 28);  y : (N,) integer labels, or None
    reg : L2 strength; the loss gets 0.5 * reg * sum of W_k^2 (biases are not penalized)
    input_grad : also compute the gradient with respect to X (needed only to check it)

    Returns scores (N, C) when y is None; otherwise (loss, grads) with grads shaped like
    params (and grads["X"] when input_grad is True), all in the dtype of the params and X
    (float32 for the MNIST runs, the loss included).

    The layers of `dlcourse.layers` (affine, ReLU) written out so that each step makes no
    array it does not need: the bias is added and the ReLU applied in place, and the backward
    pass reads the ReLU's output (its slope is 1 exactly where the output is positive). The
    first layer's backward pass skips dX unless asked: nobody updates the pixels, and
    dX = dout @ W1.T would cost as much as the layer's forward pass (about half of the whole
    backward pass for 784-512-10).
    """
    n = _n_layers(params)
    h = X.reshape(X.shape[0], -1)
    inputs = []                              # the input of each layer, for the backward pass
    for k in range(1, n + 1):
        inputs.append(h)
        h = h @ params[f"W{k}"]
        h += params[f"b{k}"]
        if k < n:
            np.maximum(h, 0, out=h)          # ReLU
    scores = h
    if y is None:
        return scores

    # softmax cross-entropy (`layers.softmax_cross_entropy`), in the precision of the scores
    N, rows = scores.shape[0], np.arange(scores.shape[0])
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -float(log_probs[rows, y].mean())
    dout = np.exp(log_probs)                 # softmax(scores) - one_hot(y), over N
    dout[rows, y] -= 1
    dout /= N

    grads = {}
    for k in range(n, 0, -1):
        x_in = inputs[k - 1]
        grads[f"W{k}"] = x_in.T @ dout
        grads[f"b{k}"] = dout.sum(axis=0)
        if k > 1 or input_grad:
            dout = dout @ params[f"W{k}"].T
        if k > 1:
            dout *= x_in > 0                 # ReLU backward: x_in is the ReLU's output of layer k - 1
    if input_grad:
        grads["X"] = dout.reshape(X.shape)
    if reg:
        for k in range(1, n + 1):
            W = params[f"W{k}"]
            loss += 0.5 * reg * float(np.sum(W * W))
            grads[f"W{k}"] += reg * W
    return loss, grads


def rmsprop_step(w, dw, cache, step, learning_rate: float, decay_rate: float = 0.9, epsilon: float = 1e-7):
    """One RMSprop update in place (the rule of `optim.rmsprop`, Keras's RMSprop):

        cache = decay_rate * cache + (1 - decay_rate) * dw**2
        w    -= learning_rate * dw / (sqrt(cache) + epsilon)

    w, dw, cache : arrays of one shape; w and cache are updated. step : scratch space of that
    shape, so that the update makes no new array (for W1 of 784-512-10, each new array would
    be 1.6 MB written and read once more per batch).
    """
    np.multiply(dw, dw, out=step)
    step *= 1 - decay_rate
    cache *= decay_rate
    cache += step
    np.sqrt(cache, out=step)
    step += epsilon
    np.divide(dw, step, out=step)
    step *= learning_rate
    w -= step


def predict(params: dict, X, batch_size: int = 10_000) -> np.ndarray:
    """Predicted labels, shape (N,), computed in batches of `batch_size` rows."""
    out = [np.argmax(mlp_loss(params, X[i:i + batch_size]), axis=1) for i in range(0, len(X), batch_size)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def accuracy(params: dict, X, y) -> float:
    """Fraction of the N samples whose predicted label equals y (a float in [0, 1])."""
    return float(np.mean(predict(params, X) == np.asarray(y)))


def step_decay(epoch: int, epochs: int, learning_rate: float = 1e-3, final_epochs: int = 2,
               factor: float = 0.1) -> float:
    """Learning rate of `epoch` (0-based) in a run of `epochs`: `learning_rate`, then
    `learning_rate * factor` for the last min(final_epochs, epochs // 4) epochs (so short runs
    of 1 to 3 epochs keep the full rate throughout)."""
    low = min(final_epochs, epochs // 4)
    return learning_rate * factor if epoch >= epochs - low else learning_rate


@dataclass
class TrainResult:
    """What a training run returns: the test accuracy, the seconds per epoch (wall-clock, the
    mean over the epochs, time of the optimization only), the CPU seconds per epoch (summed
    over all threads of the process: the work done, which other programs running at the
    same time do not change much), the per-epoch history and the trained parameters (NumPy)
    or model (Keras)."""

    framework: str
    layer_sizes: tuple
    epochs: int
    batch_size: int
    test_accuracy: float
    seconds_per_epoch: float
    history: dict = field(default_factory=dict)
    params: dict | None = None
    model: object = None
    threads: int | None = None
    cpu_seconds_per_epoch: float | None = None

    def __repr__(self) -> str:
        net = "-".join(str(s) for s in self.layer_sizes)
        epochs = f"{self.epochs} epoch{'s' if self.epochs != 1 else ''}"
        cpu = f", {self.cpu_seconds_per_epoch:.2f} s of CPU" if self.cpu_seconds_per_epoch is not None else ""
        return (f"TrainResult({self.framework} {net}, {epochs} of batch {self.batch_size}: "
                f"test accuracy {self.test_accuracy:.4f}, {self.seconds_per_epoch:.2f} s per epoch{cpu})")


def train_numpy_mlp(x_train, y_train, x_test, y_test, hidden_units: Sequence[int] = (512,), epochs: int = 5,
                    batch_size: int = 128, learning_rate: float = 1e-3, reg: float = 0.0, seed: int = 0,
                    progress: bool = True, threads: int | str | None = "auto") -> TrainResult:
    """Train the NumPy net with RMSprop (decay 0.9, as Keras's RMSprop) and `step_decay`.

    x_train : (N, 784) float32 in [0, 1];  y_train : (N,) integer labels; the same for the test set.
    Each epoch visits the training samples in a new random order, in mini-batches of
    `batch_size`. Returns a `TrainResult` (history: "loss" per epoch, the mean over its
    batches, and "accuracy" on up to 10,000 of the training samples).
    threads : BLAS threads for the matrix products: a number, None (NumPy's default), or
        "auto" (`best_blas_threads`: 1 when the machine is too busy for more to help).
    """
    if threads == "auto":
        threads = best_blas_threads(np.shape(x_train)[-1] if np.ndim(x_train) == 2 else 784,
                                    hidden_units[0] if hidden_units else 10, batch_size)
    with blas_threads(threads):
        result = _train_numpy(x_train, y_train, x_test, y_test, hidden_units, epochs, batch_size, learning_rate,
                              reg, seed, progress)
    result.threads = threads
    return result


def _train_numpy(x_train, y_train, x_test, y_test, hidden_units, epochs, batch_size, learning_rate, reg, seed,
                 progress):
    x_train = np.asarray(x_train, dtype=np.float32).reshape(len(x_train), -1)
    x_test = np.asarray(x_test, dtype=np.float32).reshape(len(x_test), -1)
    y_train = np.asarray(y_train)
    sizes = (x_train.shape[1], *hidden_units, int(max(y_train.max(), np.max(y_test))) + 1)
    params = init_mlp(sizes, seed=seed)
    caches = {name: np.zeros_like(w) for name, w in params.items()}   # RMSprop's mean of squared gradients
    scratch = {name: np.empty_like(w) for name, w in params.items()}
    rng = np.random.default_rng(seed + 1)
    history = {"loss": [], "accuracy": []}
    seconds = cpu = 0.0
    bar = _progress(epochs * math.ceil(len(x_train) / batch_size), "NumPy", progress)
    for epoch in range(epochs):
        rate = step_decay(epoch, epochs, learning_rate)
        start, cpu_start = time.perf_counter(), time.process_time()
        order = rng.permutation(len(x_train))
        total_loss = 0.0
        for i in range(0, len(order), batch_size):
            rows = order[i:i + batch_size]
            loss, grads = mlp_loss(params, x_train[rows], y_train[rows], reg=reg)
            total_loss += loss * len(rows)
            for name, w in params.items():
                rmsprop_step(w, grads[name], caches[name], scratch[name], rate, decay_rate=0.9, epsilon=1e-7)
            if bar is not None:
                bar.update(1)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        history["loss"].append(total_loss / len(order))
        history["accuracy"].append(accuracy(params, x_train[order[:10_000]], y_train[order[:10_000]]))
    if bar is not None:
        bar.close()
    return TrainResult("NumPy", sizes, epochs, batch_size, accuracy(params, x_test, y_test),
                       seconds / max(epochs, 1), history, params=params, cpu_seconds_per_epoch=cpu / max(epochs, 1))


def _progress(total: int, label: str, show: bool):
    if not show:
        return None
    from tqdm.auto import tqdm  # noqa: PLC0415

    return tqdm(total=total, desc=label, unit="batch", leave=False, mininterval=0.5)
