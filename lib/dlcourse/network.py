"""The course's own NumPy networks, built from the reference layers of `dlcourse.layers` and the
update rules of `dlcourse.optim` (CS231n style).

Lesson 05 · small networks (reference versions of its graded network functions, and the
measurement of gradients layer by layer):

- `two_layer_net(X, params, y=None)`       affine - ReLU - affine, softmax cross-entropy loss
- `init_net(sizes, rng, scale)`            weights and biases of a fully connected net
- `mlp_forward(X, params, activation)`     the output of a net of any depth
- `train_xor(seed=0)`                      seed 004's 2-3-3-1 sigmoid net on the diagonal XOR points,
                                           cross-entropy and momentum
- `layer_gradient_norms(activation, depth, ...)`  the norm of dL/dW for every layer of a deep net

Lesson 09 · the MNIST classifier trained beside Keras:

    affine - relu - affine - relu - ... - affine - softmax cross-entropy

- `init_mlp(layer_sizes, seed)`            parameters W1, b1, W2, b2, ... (He initialization)
- `mlp_loss(params, X, y=None, reg=0.0)`   scores, or (loss, grads) when labels are given
- `predict(params, X)`, `accuracy(params, X, y)`
- `train_numpy_mlp(...)` / `train_keras_mlp(...)` the same net, optimizer, batch size and
  learning-rate schedule in NumPy and in Keras; both return a `TrainResult` with the test
  accuracy and the seconds per epoch
- `compare_with_keras(...)`                the two side by side (used by `benchmarks/`)
- `gradients_match_tensorflow(...)`        the NumPy backward pass against TensorFlow's
  automatic differentiation (`tf.GradientTape`) on the same weights
- `quiet_tensorflow()`                     import TensorFlow and Keras with their start-up
  log messages turned down

The MNIST classifier runs in float32, the precision Keras uses, so the two time the same
arithmetic. TensorFlow is imported only inside the functions that need it.

Shapes: samples in rows, X is (N, D) (or (N, 28, 28), flattened per sample), y is (N,) integer
labels, W_k is (fan_in, fan_out), b_k is (fan_out,).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from . import layers, optim

__all__ = ["two_layer_net", "init_net", "mlp_forward", "train_xor", "XOR_SETUP", "layer_gradient_norms", "ACTIVATIONS",
           "init_mlp", "mlp_loss", "predict", "accuracy", "TrainResult", "train_numpy_mlp", "train_keras_mlp",
           "compare_with_keras", "mnist_arrays", "params_from_keras", "gradients_match_tensorflow",
           "quiet_tensorflow", "step_decay", "blas_threads", "best_blas_threads"]


# --------------------------------------------------------------------------- TensorFlow, quietly
def quiet_tensorflow():
    """Import TensorFlow and Keras with their log noise turned down; return `(tf, keras)`.

    Sets ``TF_CPP_MIN_LOG_LEVEL=3`` (TensorFlow's C++ logs: errors and below hidden) unless
    the variable is already set. This only works before TensorFlow's first import in a
    process; a few lines printed while TensorFlow loads its libraries ("oneDNN custom
    operations are on", "Could not find cuda drivers") come before the logger reads the
    variable and still appear, on stderr. They are harmless; the course's nbgrader
    configuration drops stderr before it decides grades, so they never cost a point.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf  # noqa: PLC0415
    import keras  # noqa: PLC0415

    try:
        import absl.logging  # noqa: PLC0415

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:  # pragma: no cover - absl comes with TensorFlow
        pass
    return tf, keras


# --------------------------------------------------------------------------- BLAS threads
def _openblas():
    """NumPy's OpenBLAS as (get_num_threads, set_num_threads), or None where it cannot be found."""
    import ctypes  # noqa: PLC0415

    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    return get, put
    return None


@contextlib.contextmanager
def blas_threads(n: int | None):
    """Run the block with NumPy's OpenBLAS limited to `n` threads (None: leave it alone).

    On a busy machine (more runnable processes than cores) OpenBLAS's threads wait for each
    other and a matrix product with 2 threads can take ten times as long as with 1; see
    `best_blas_threads`. Does nothing where NumPy uses another BLAS.
    """
    blas = _openblas() if n else None
    if blas is None:
        yield
        return
    get, put = blas
    before = get()
    put(int(n))
    try:
        yield
    finally:
        put(before)


def best_blas_threads(n_in: int = 784, n_out: int = 512, batch_size: int = 128) -> int | None:
    """The number of BLAS threads (1 or all) that multiplies a (batch_size, n_in) batch by an
    (n_in, n_out) matrix faster right now, timed over a few products (about 0.1 s)."""
    blas = _openblas()
    if blas is None:
        return None
    rng = np.random.default_rng(0)
    a = rng.random((batch_size, n_in), dtype=np.float32)
    b = rng.random((n_in, n_out), dtype=np.float32)
    timings = {}
    for n in sorted({1, blas[0]()}):
        with blas_threads(n):
            a @ b
            start = time.perf_counter()
            for _ in range(15):
                a @ b
            timings[n] = time.perf_counter() - start
    return min(timings, key=timings.get)


# --------------------------------------------------------------------------- data
def mnist_arrays(n_train: int | None = None, n_test: int | None = None):
    """MNIST from the course's file as float32 arrays for the NumPy network.

    Returns `(x_train (n_train, 784) float32 in [0, 1], y_train (n_train,) int64,
    x_test (n_test, 784), y_test (n_test,))`; None keeps all 60,000 / 10,000 images.
    """
    from .datasets import load_mnist  # noqa: PLC0415

    (xtr, ytr), (xte, yte) = load_mnist()
    xtr, ytr = xtr[:n_train], ytr[:n_train]
    xte, yte = xte[:n_test], yte[:n_test]
    scale = np.float32(1 / 255)
    return (xtr.reshape(len(xtr), -1).astype(np.float32) * scale, ytr.astype(np.int64),
            xte.reshape(len(xte), -1).astype(np.float32) * scale, yte.astype(np.int64))


# --------------------------------------------------------------------------- the network
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
    params (and grads["X"] when input_grad is True). The first layer's backward pass skips
    dX unless asked: nobody updates the pixels, and dX = dout @ W1.T would cost as much
    as the layer's forward pass (a third of the whole backward pass for 784-512-10).
    """
    n = _n_layers(params)
    h = X.reshape(X.shape[0], -1)
    caches = []
    for k in range(1, n):
        a, affine_cache = layers.affine_forward(h, params[f"W{k}"], params[f"b{k}"])
        h, relu_cache = layers.relu_forward(a)
        caches.append((affine_cache, relu_cache))
    scores, last_cache = layers.affine_forward(h, params[f"W{n}"], params[f"b{n}"])
    if y is None:
        return scores

    loss, dscores = layers.softmax_cross_entropy(scores, y)
    dscores = dscores.astype(scores.dtype, copy=False)  # the loss works in float64; stay in float32
    weights = [params[f"W{k}"] for k in range(1, n + 1)]
    penalty, penalty_grads = layers.l2_penalty(weights, reg) if reg else (0.0, None)
    grads = {}
    dh, grads[f"W{n}"], grads[f"b{n}"] = layers.affine_backward(dscores, last_cache)
    for k in range(n - 1, 0, -1):
        affine_cache, relu_cache = caches[k - 1]
        da = layers.relu_backward(dh, relu_cache)
        if k > 1 or input_grad:
            dh, grads[f"W{k}"], grads[f"b{k}"] = layers.affine_backward(da, affine_cache)
        else:  # the same dW and db as affine_backward, without the unused gradient for the pixels
            x_in = affine_cache[0]
            grads["W1"], grads["b1"] = x_in.reshape(x_in.shape[0], -1).T @ da, da.sum(axis=0)
    if input_grad:
        grads["X"] = dh.reshape(X.shape)
    if reg:
        for k, g in enumerate(penalty_grads, start=1):
            grads[f"W{k}"] = grads[f"W{k}"] + g
    return loss + penalty, grads


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


# --------------------------------------------------------------------------- training
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
    configs = {name: {"learning_rate": learning_rate, "decay_rate": 0.9, "epsilon": 1e-7} for name in params}
    rng = np.random.default_rng(seed + 1)
    history = {"loss": [], "accuracy": []}
    seconds = cpu = 0.0
    bar = _progress(epochs * math.ceil(len(x_train) / batch_size), "NumPy", progress)
    for epoch in range(epochs):
        rate = step_decay(epoch, epochs, learning_rate)
        start, cpu_start = time.perf_counter(), time.process_time()
        order = rng.permutation(len(x_train))
        losses, correct = [], 0
        for i in range(0, len(order), batch_size):
            rows = order[i:i + batch_size]
            xb, yb = x_train[rows], y_train[rows]
            loss, grads = mlp_loss(params, xb, yb, reg=reg)
            losses.append(loss * len(rows))
            for name, w in params.items():
                configs[name]["learning_rate"] = rate
                params[name], configs[name] = optim.rmsprop(w, grads[name], configs[name])
            if bar is not None:
                bar.update(1)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        history["loss"].append(float(np.sum(losses) / len(order)))
        history["accuracy"].append(accuracy(params, x_train[order[:10_000]], y_train[order[:10_000]]))
    if bar is not None:
        bar.close()
    return TrainResult("NumPy", sizes, epochs, batch_size, accuracy(params, x_test, y_test),
                       seconds / max(epochs, 1), history, params=params, cpu_seconds_per_epoch=cpu / max(epochs, 1))


def train_keras_mlp(x_train, y_train, x_test, y_test, hidden_units: Sequence[int] = (512,), epochs: int = 5,
                    batch_size: int = 128, learning_rate: float = 1e-3, reg: float = 0.0, seed: int = 0,
                    progress: bool = True) -> TrainResult:
    """The same net, optimizer (RMSprop, rho 0.9, epsilon 1e-7), schedule and batch size in Keras.

    Arguments and result as `train_numpy_mlp` (integer labels; the model is compiled with
    sparse categorical cross-entropy on softmax outputs). The time per epoch is measured
    by a callback around each epoch; the first epoch includes Keras's one-off tracing of
    the training step, so with more than one epoch it is left out of the mean (the
    history's "epoch_seconds" keeps every epoch's time).
    """
    _, keras = quiet_tensorflow()
    keras.utils.set_random_seed(seed)
    x_train = np.asarray(x_train, dtype=np.float32).reshape(len(x_train), -1)
    x_test = np.asarray(x_test, dtype=np.float32).reshape(len(x_test), -1)
    n_classes = int(max(np.max(y_train), np.max(y_test))) + 1
    regularizer = keras.regularizers.L2(reg / 2) if reg else None  # Keras's L2(l) adds l * sum(w^2)
    model = keras.Sequential([keras.Input((x_train.shape[1],))]
                             + [keras.layers.Dense(h, activation="relu", kernel_initializer="he_normal",
                                                   kernel_regularizer=regularizer) for h in hidden_units]
                             + [keras.layers.Dense(n_classes, activation="softmax", kernel_initializer="he_normal",
                                                   kernel_regularizer=regularizer)])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate, rho=0.9, epsilon=1e-7),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    times, cpu_times = [], []
    steps = math.ceil(len(x_train) / batch_size)
    bar = _progress(epochs * steps, "Keras", progress)

    class _Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start, self.cpu_start = time.perf_counter(), time.process_time()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)
            cpu_times.append(time.process_time() - self.cpu_start)
            if bar is not None:
                bar.update(steps)

    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: step_decay(epoch, epochs, learning_rate))
    fit = model.fit(x_train, np.asarray(y_train), epochs=epochs, batch_size=batch_size, verbose=0,
                    callbacks=[schedule, _Clock()])
    if bar is not None:
        bar.close()
    test_accuracy = float(np.mean(np.argmax(model.predict(x_test, batch_size=2048, verbose=0), axis=1)
                                  == np.asarray(y_test)))
    sizes = (x_train.shape[1], *hidden_units, n_classes)
    history = {k: [float(v) for v in fit.history[k]] for k in ("loss", "accuracy")}
    history["epoch_seconds"] = list(times)
    per_epoch = float(np.mean(times[1:] if len(times) > 1 else times))
    cpu_per_epoch = float(np.mean(cpu_times[1:] if len(cpu_times) > 1 else cpu_times))
    return TrainResult("Keras", sizes, epochs, batch_size, test_accuracy, per_epoch, history, model=model,
                       cpu_seconds_per_epoch=cpu_per_epoch)


def compare_with_keras(hidden_units: Sequence[int] = (512,), epochs: int = 10, batch_size: int = 128,
                       learning_rate: float = 1e-3, n_train: int | None = None, n_test: int | None = None,
                       seed: int = 0, progress: bool = False) -> dict:
    """Train the NumPy net and the same Keras net on MNIST, one after the other.

    Returns {"numpy": TrainResult, "keras": TrainResult, "ratio": NumPy's seconds per epoch
    divided by Keras's (below 1: NumPy is faster), "cpu_ratio": the same for CPU seconds}. With the defaults (784-512-10, 10
    epochs of 128, RMSprop 1e-3 with the rate divided by 10 for the last two epochs) both
    reach about 98 % test accuracy.
    """
    data = mnist_arrays(n_train, n_test)
    kwargs = dict(hidden_units=hidden_units, epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                  seed=seed, progress=progress)
    mine = train_numpy_mlp(*data, **kwargs)
    theirs = train_keras_mlp(*data, **kwargs)
    return {"numpy": mine, "keras": theirs, "ratio": mine.seconds_per_epoch / theirs.seconds_per_epoch,
            "cpu_ratio": mine.cpu_seconds_per_epoch / theirs.cpu_seconds_per_epoch}


# --------------------------------------------------------------------------- NumPy against TensorFlow
def params_from_keras(model) -> dict:
    """The weights of a Keras stack of Dense layers as a `params` dict (W1, b1, W2, b2, ...)."""
    params = {}
    dense = [layer for layer in model.layers if len(layer.get_weights()) == 2]
    for k, layer in enumerate(dense, start=1):
        W, b = layer.get_weights()
        params[f"W{k}"], params[f"b{k}"] = W, b
    return params


def gradients_match_tensorflow(params: dict, X, y, reg: float = 0.0) -> dict:
    """Relative error between the NumPy backward pass and TensorFlow's automatic differentiation.

    The same loss (softmax cross-entropy averaged over the N samples, plus 0.5 * reg * sum of
    W_k^2) is written in TensorFlow operations and differentiated with `tf.GradientTape`, in
    float64 on both sides so that rounding does not hide a mistake.
    params : as `init_mlp`;  X : (N, D);  y : (N,) integer labels.
    Returns {"loss": relative error of the losses, "W1": ..., "b1": ..., "X": ...}, each
    `gradcheck.relative_error` (below about 1e-7: the two agree).
    """
    from .gradcheck import relative_error  # noqa: PLC0415

    tf, _ = quiet_tensorflow()
    p64 = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    X64 = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    loss_np, grads_np = mlp_loss(p64, X64, y, reg=reg, input_grad=True)

    variables = {k: tf.Variable(v) for k, v in p64.items()}
    x_var = tf.Variable(X64)
    n = _n_layers(p64)
    with tf.GradientTape() as tape:
        h = x_var
        for k in range(1, n):
            h = tf.nn.relu(h @ variables[f"W{k}"] + variables[f"b{k}"])
        scores = h @ variables[f"W{n}"] + variables[f"b{n}"]
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=np.asarray(y), logits=scores))
        loss += 0.5 * reg * tf.add_n([tf.reduce_sum(variables[f"W{k}"] ** 2) for k in range(1, n + 1)])
    names = list(variables) + ["X"]
    tf_grads = tape.gradient(loss, [variables[k] for k in variables] + [x_var])
    errors = {"loss": relative_error(loss_np, float(loss.numpy()))}
    for name, g in zip(names, tf_grads):
        errors[name] = relative_error(grads_np[name], g.numpy())
    return errors


def _progress(total: int, label: str, show: bool):
    if not show:
        return None
    from tqdm.auto import tqdm  # noqa: PLC0415

    return tqdm(total=total, desc=label, unit="batch", leave=False, mininterval=0.5)


# --------------------------------------------------------------------------- lesson 05: small networks
# forward/backward pairs by name (hidden layers of the deep nets of this module)
ACTIVATIONS = {
    "sigmoid": (layers.sigmoid_forward, layers.sigmoid_backward),
    "relu": (layers.relu_forward, layers.relu_backward),
    "tanh": (layers.tanh_forward, layers.tanh_backward),
}


def two_layer_net(X, params, y=None):
    """A two-layer classifier: scores = relu(X W1 + b1) W2 + b2, softmax cross-entropy loss.

    X : (N, D) inputs;  params : {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    y : None, or (N,) integer labels in [0, C)
    Returns the scores (N, C) (logits, before the softmax) when y is None, else
    (loss, grads): the mean cross-entropy over the N samples (a float) and the gradients
    {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}.
    """
    h, cache1 = layers.affine_forward(X, params["W1"], params["b1"])
    a, cache_relu = layers.relu_forward(h)
    scores, cache2 = layers.affine_forward(a, params["W2"], params["b2"])
    if y is None:
        return scores
    loss, dscores = layers.softmax_cross_entropy(scores, y)
    da, dW2, db2 = layers.affine_backward(dscores, cache2)
    dh = layers.relu_backward(da, cache_relu)
    _, dW1, db1 = layers.affine_backward(dh, cache1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def init_net(sizes, rng, scale="normal"):
    """Weights and zero biases of a fully connected net with layer widths `sizes`.

    sizes : (n_0, n_1, ..., n_L), n_0 inputs and n_L outputs;  rng : np.random.Generator
    scale : "normal" (std 1), "xavier" (std sqrt(1 / n_in)) or "he" (std sqrt(2 / n_in)),
        or a number (the std)
    Returns {"W1": (n_0, n_1), "b1": (n_1,), ..., "WL": (n_{L-1}, n_L), "bL": (n_L,)};
    the W_k are drawn in order k = 1, 2, ..., L, each with rng.normal(0, std, size=(n_in, n_out)).
    """
    params = {}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        std = {"normal": 1.0, "xavier": np.sqrt(1.0 / n_in), "he": np.sqrt(2.0 / n_in)}.get(scale, scale)
        params[f"W{k}"] = rng.normal(0.0, float(std), size=(n_in, n_out))
        params[f"b{k}"] = np.zeros(n_out)
    return params


def _depth(params) -> int:
    return sum(1 for key in params if key.startswith("W"))


def mlp_forward(X, params, activation="sigmoid", output="sigmoid"):
    """Output of a fully connected net: the activation after every hidden layer, then `output`.

    X : (N, D);  params as from `init_net`;  activation : "sigmoid", "relu" or "tanh";
    output : "sigmoid" (a probability per sample) or "linear" (the raw last affine layer)
    Returns (N, n_L), or (N,) when the last layer has a single unit.
    """
    act = ACTIVATIONS[activation][0]
    a = np.asarray(X, dtype=float)
    L = _depth(params)
    for k in range(1, L + 1):
        a, _ = layers.affine_forward(a, params[f"W{k}"], params[f"b{k}"])
        if k < L:
            a, _ = act(a)
    if output == "sigmoid":
        a = layers.sigmoid(a)
    return a[:, 0] if a.shape[1] == 1 else a


# The set-up of seed 004's XOR network, as lesson 05 asks students to use it.
XOR_SETUP = {"sizes": (2, 3, 3, 1), "learning_rate": 0.5, "momentum": 0.9, "iterations": 2000}


def train_xor(seed=0, learning_rate=0.5, momentum=0.9, iterations=2000, X=None, y=None, history=False):
    """Train the 2-3-3-1 sigmoid network on XOR: cross-entropy loss, full-batch momentum.

    seed : seeds np.random.default_rng, which draws W1, W2, W3 in that order from N(0, 1)
        (biases start at zero)
    X, y : the data, (N, 2) and (N,) labels 0/1; default `datasets.xor_diagonals()` (21 points)
    Every iteration: forward pass, loss = mean binary cross-entropy of the sigmoid output,
    backward pass, then for every parameter v = momentum * v - learning_rate * grad, p += v.
    Returns (params, losses): params {"W1": (2, 3), "b1": (3,), "W2": (3, 3), "b2": (3,),
    "W3": (3, 1), "b3": (1,)} after training, losses a (iterations,) array (the loss of each
    iteration, computed before its update). With history=True, (params, losses, accuracies):
    accuracies (iterations,) is the fraction of points classified right at each iteration.
    """
    if X is None or y is None:
        from .datasets import xor_diagonals

        X, y = xor_diagonals()
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    N = X.shape[0]
    params = init_net(XOR_SETUP["sizes"], np.random.default_rng(seed))
    velocity = {key: np.zeros_like(value) for key, value in params.items()}
    losses = np.zeros(iterations)
    accuracies = np.zeros(iterations)
    for it in range(iterations):
        caches = []
        a = X
        for k in (1, 2, 3):
            z, affine_cache = layers.affine_forward(a, params[f"W{k}"], params[f"b{k}"])
            a, sigmoid_cache = layers.sigmoid_forward(z)
            caches.append((affine_cache, sigmoid_cache))
        p = np.clip(a, 1e-12, 1 - 1e-12)
        losses[it] = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        accuracies[it] = np.mean((a > 0.5) == (y == 1))
        dz = (a - y) / N  # sigmoid output + cross-entropy: dL/dz = (p - y) / N
        grads = {}
        for k in (3, 2, 1):
            affine_cache, sigmoid_cache = caches[k - 1]
            if k < 3:
                dz = layers.sigmoid_backward(da, sigmoid_cache)
            da, grads[f"W{k}"], grads[f"b{k}"] = layers.affine_backward(dz, affine_cache)
        for key in params:
            velocity[key] = momentum * velocity[key] - learning_rate * grads[key]
            params[key] = params[key] + velocity[key]
    return (params, losses, accuracies) if history else (params, losses)


def layer_gradient_norms(activation="sigmoid", depth=10, width=64, init="xavier", n=128, seed=0):
    """Norm of the gradient dL/dW_k of every layer k of a deep net, on random data.

    The net has `depth` hidden layers of `width` units with `activation`, inputs of 20
    features drawn from N(0, 1), and a 10-class softmax output with random labels (the loss
    is softmax cross-entropy). init : "xavier", "he" or "normal" (see `init_net`).
    Returns an array of shape (depth + 1,): the Frobenius norm of dW_1, ..., dW_{depth+1}
    (index 0 is the layer next to the input).
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    y = rng.integers(0, 10, size=n)
    params = init_net((20,) + (width,) * depth + (10,), rng, init)
    forward, backward = ACTIVATIONS[activation]
    caches = []
    a = X
    for k in range(1, depth + 2):
        z, affine_cache = layers.affine_forward(a, params[f"W{k}"], params[f"b{k}"])
        act_cache = None
        a = z
        if k <= depth:
            a, act_cache = forward(z)
        caches.append((affine_cache, act_cache))
    _, dout = layers.softmax_cross_entropy(a, y)
    norms = np.zeros(depth + 1)
    for k in range(depth + 1, 0, -1):
        affine_cache, act_cache = caches[k - 1]
        if act_cache is not None:
            dout = backward(dout, act_cache)
        dout, dW, _ = layers.affine_backward(dout, affine_cache)
        norms[k - 1] = np.linalg.norm(dW)
    return norms
