"""Reference answers of the lessons' exercises that are neither network layers nor update rules
(lesson 02's dense layer and bumps, lesson 09's MNIST preprocessing, parameter count and Keras model).

The hidden tests import them from here (and from `dlcourse.layers`, `dlcourse.optim`,
`dlcourse.gradcheck`) instead of pasting a reference into every test cell. A lesson's graded
functions are always written by the student in the lesson; importing these instead earns
nothing (`dlcourse.checks.check_own`).
"""

from __future__ import annotations

import numpy as np

from .layers import sigmoid

__all__ = ["dense_forward", "bump", "approximate_with_bumps", "preprocess_mnist", "count_dense_params", "build_mlp"]


def dense_forward(x, W, b, activation):
    """Lesson 02: activation(x @ W + b). x (N, D) or (D,); W (D, K); b (K,) -> (N, K) or (K,)."""
    return activation(np.asarray(x, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float))


def bump(x, left, right, height, steepness=1000.0):
    """Lesson 02: height * (sigmoid(s (x - left)) - sigmoid(s (x - right))), shape of x."""
    x = np.asarray(x, dtype=float)
    return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))


def approximate_with_bumps(f, x, n_bumps):
    """Lesson 02: n_bumps equal pieces of [min x, max x], one bump of height f(midpoint) each, summed.

    x : (N,) -> (N,) floats.
    """
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    return sum(bump(x, a, b, f((a + b) / 2)) for a, b in zip(edges[:-1], edges[1:]))


# --------------------------------------------------------------------------- lesson 09 (Keras on MNIST)
def preprocess_mnist(x, y):
    """Lesson 09: x (N, 28, 28) uint8 -> (N, 784) float32 / 255; y (N,) -> one-hot (N, 10) float32."""
    x = np.asarray(x)
    y = np.asarray(y).astype(int).ravel()
    x_out = x.reshape(len(x), -1).astype(np.float32) / np.float32(255)
    y_out = np.zeros((len(y), 10), dtype=np.float32)
    y_out[np.arange(len(y)), y] = 1.0
    return x_out, y_out


def count_dense_params(layer_sizes):
    """Lesson 09: sum over consecutive sizes (n_in, n_out) of n_in * n_out + n_out."""
    sizes = [int(s) for s in layer_sizes]
    return int(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))


def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    """Lesson 09: Input(784) -> [Dense(h, relu) -> BatchNorm? -> Dropout?] per h -> Dense(10, softmax),
    L2(l2) on every kernel, compiled with RMSprop (its default rate 1e-3), categorical cross-entropy
    and accuracy. Keras is imported only when this runs."""
    import keras  # noqa: PLC0415

    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for units in hidden_units:
        model.add(keras.layers.Dense(units, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
