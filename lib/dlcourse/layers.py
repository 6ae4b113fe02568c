"""The course's reference network code, in the style of CS231n's `layers.py`.

Every layer is a pure pair of functions:

- ``out, cache = layer_forward(x, ...)`` computes the output and keeps what the backward pass
  needs;
- ``dx, ... = layer_backward(dout, cache)`` turns the gradient of the loss with respect to the
  output into gradients with respect to the inputs and parameters.

Neither function changes its arguments in place. Samples are in rows: ``x`` is ``(N, D)``,
a weight matrix ``W`` is ``(D, M)``, a bias ``b`` is ``(M,)``. Losses return
``(loss, dscores)`` with the loss averaged over the N samples.

The lessons ask students to write these functions themselves; this module is what the
hidden tests compare them with, and what later lessons build on (lesson 09 trains a NumPy
network made of these layers beside Keras). It is deliberately plain: read it in one sitting.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    # element-wise activations and their derivatives
    "sigmoid", "sigmoid_grad", "relu", "relu_grad", "leaky_relu", "leaky_relu_grad", "tanh", "tanh_grad", "softmax",
    # lesson 03: the linear model
    "linear_forward", "linear_backward", "mse_loss",
    # layers
    "affine_forward", "affine_backward", "relu_forward", "relu_backward", "sigmoid_forward", "sigmoid_backward",
    "tanh_forward", "tanh_backward", "batchnorm_forward", "batchnorm_backward", "dropout_forward", "dropout_backward",
    # losses and penalties
    "softmax_cross_entropy", "hinge_loss", "binary_cross_entropy", "l2_penalty", "l1_penalty",
    # initialization
    "he_init",
]


# --------------------------------------------------------------------------- activations
def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), stable for any z. Shape of z in, floats out."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """d sigmoid / dz = s (1 - s) with s = sigmoid(z). Shape of z."""
    s = sigmoid(z)
    return s * (1.0 - s)


def relu(z):
    """max(0, z), element-wise. Shape of z, floats."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z):
    """1 where z > 0, else 0 (the derivative at 0 is taken as 0). Shape of z, floats."""
    return (np.asarray(z) > 0).astype(float)


def leaky_relu(z, alpha=0.01):
    """z where z > 0, alpha * z elsewhere. Shape of z, floats."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    """1 where z > 0, alpha elsewhere (alpha at 0). Shape of z, floats."""
    return np.where(np.asarray(z) > 0, 1.0, float(alpha))


def tanh(z):
    """Hyperbolic tangent, element-wise."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    """d tanh / dz = 1 - tanh(z)^2. Shape of z."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def softmax(z):
    """Softmax over the last axis of an array of any shape, stable for large scores.

    z : (..., K) scores  ->  (..., K) probabilities, each row summing to 1.
    """
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


# --------------------------------------------------------------------------- lesson 03: linear model
def linear_forward(X, W, b):
    """Linear model for regression: out = X @ W + b.

    X : (N, D) inputs;  W : (D,) weights;  b : a number
    Returns (out, cache) with out of shape (N,) and cache = (X, W, b).
    """
    X = np.asarray(X, dtype=float)
    W = np.asarray(W, dtype=float)
    return X @ W + float(b), (X, W, b)


def linear_backward(dout, cache):
    """Backward pass of `linear_forward`.

    dout : (N,) gradient of the loss with respect to out;  cache from `linear_forward`
    Returns (dX (N, D), dW (D,), db a float).
    """
    X, W, _ = cache
    dout = np.asarray(dout, dtype=float)
    return np.outer(dout, W), X.T @ dout, float(np.sum(dout))


def mse_loss(pred, y):
    """Mean squared error and its gradient.

    pred, y : (N,)  ->  (loss = mean((pred - y)^2), dpred = 2 (pred - y) / N of shape (N,))
    """
    diff = np.asarray(pred, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(diff ** 2)), 2.0 * diff / diff.size


# --------------------------------------------------------------------------- affine and activation layers
def affine_forward(x, W, b):
    """Fully connected layer: out = x_flat @ W + b.

    x : (N, D) or (N, d1, ..., dk) with D = d1 * ... * dk (each sample is flattened)
    W : (D, M);  b : (M,)
    Returns (out (N, M), cache = (x, W, b)).
    """
    x = np.asarray(x)
    out = x.reshape(x.shape[0], -1) @ W + b
    return out, (x, W, b)


def affine_backward(dout, cache):
    """Backward pass of `affine_forward`.

    dout : (N, M);  cache = (x, W, b)
    Returns (dx shaped like x, dW (D, M), db (M,)).
    """
    x, W, _ = cache
    x_flat = x.reshape(x.shape[0], -1)
    dx = (dout @ W.T).reshape(x.shape)
    return dx, x_flat.T @ dout, dout.sum(axis=0)


def relu_forward(x):
    """ReLU layer. x : any shape -> (out = max(0, x), cache = x)."""
    return np.maximum(x, 0), x


def relu_backward(dout, cache):
    """Backward pass of `relu_forward`: dx = dout where x > 0, else 0 (a new array). Shape of x."""
    return np.where(cache > 0, dout, 0.0)


def sigmoid_forward(x):
    """Sigmoid layer. x : any shape -> (out = sigmoid(x), cache = out)."""
    out = sigmoid(x)
    return out, out


def sigmoid_backward(dout, cache):
    """Backward pass of `sigmoid_forward`: dx = dout * s * (1 - s). Shape of x."""
    s = cache
    return dout * s * (1.0 - s)


def tanh_forward(x):
    """Tanh layer. x : any shape -> (out = tanh(x), cache = out)."""
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    """Backward pass of `tanh_forward`: dx = dout * (1 - tanh(x)^2). Shape of x."""
    return dout * (1.0 - cache ** 2)


# --------------------------------------------------------------------------- batch normalization
def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalization over the samples of a batch.

    x : (N, D);  gamma, beta : (D,)
    bn_param : dict with "mode" ("train" or "test", required), "eps" (1e-5), "momentum" (0.9),
        "running_mean" (zeros (D,)) and "running_var" (ones (D,)); missing keys are filled in,
        and in train mode the running averages are updated in the dict:
        running = momentum * running + (1 - momentum) * batch statistic.
    Returns (out (N, D), cache). Train mode normalizes with the batch mean and (biased)
    variance, test mode with the running ones.
    """
    mode = bn_param["mode"]
    eps = bn_param.setdefault("eps", 1e-5)
    momentum = bn_param.setdefault("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.setdefault("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.setdefault("running_var", np.ones(D, dtype=x.dtype))
    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (x - mu) * inv_std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        cache = (x_hat, gamma, inv_std)
    elif mode == "test":
        x_hat = (x - running_mean) / np.sqrt(running_var + eps)
        cache = None
    else:
        raise ValueError(f'bn_param["mode"] must be "train" or "test", not {mode!r}')
    return gamma * x_hat + beta, cache


def batchnorm_backward(dout, cache):
    """Backward pass of `batchnorm_forward` in train mode.

    dout : (N, D)  ->  (dx (N, D), dgamma (D,), dbeta (D,))
    """
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta


# --------------------------------------------------------------------------- dropout
def dropout_forward(x, p, mode, rng):
    """Inverted dropout.

    x : any shape;  p : probability of DROPPING a unit;  mode : "train" or "test";
    rng : a np.random.Generator.
    Train: out = x * mask with mask = (rng.random(x.shape) >= p) / (1 - p), so E[out] = x.
    Test: out = x (nothing to undo). Returns (out, cache = (mask or None, mode)).
    """
    if mode == "train":
        mask = (rng.random(x.shape) >= p) / (1.0 - p)
        return x * mask, (mask, mode)
    if mode == "test":
        return x.copy(), (None, mode)
    raise ValueError(f'mode must be "train" or "test", not {mode!r}')


def dropout_backward(dout, cache):
    """Backward pass of `dropout_forward`: dx = dout * mask in train mode, dout in test mode."""
    mask, mode = cache
    return dout * mask if mode == "train" else dout.copy()


# --------------------------------------------------------------------------- losses
def softmax_cross_entropy(scores, y):
    """Softmax cross-entropy averaged over samples.

    scores : (N, C) unnormalized scores (logits);  y : (N,) integer labels in [0, C)
    Returns (loss, dscores (N, C)) with dscores = (softmax(scores) - one_hot(y)) / N.
    """
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(y)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N


def hinge_loss(scores, y, margin=1.0):
    """Multiclass SVM (hinge) loss averaged over samples.

    scores : (N, C);  y : (N,) integer labels.
    loss = mean over samples of sum over j != y of max(0, s_j - s_y + margin).
    Returns (loss, dscores (N, C)).
    """
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(y)
    N = scores.shape[0]
    rows = np.arange(N)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + margin)
    margins[rows, y] = 0.0
    positive = (margins > 0).astype(float)
    positive[rows, y] = -positive.sum(axis=1)
    return float(margins.sum() / N), positive / N


def binary_cross_entropy(y_hat, y, eps=1e-12):
    """Mean binary cross-entropy -[y log y_hat + (1 - y) log(1 - y_hat)].

    y_hat : (N,) predicted probabilities, clipped to [eps, 1 - eps];  y : (N,) labels 0 or 1.
    Returns the mean loss as a float.
    """
    p = np.clip(np.asarray(y_hat, dtype=float), eps, 1.0 - eps)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def l2_penalty(weights, reg):
    """L2 penalty 0.5 * reg * sum of squares over a list of arrays; returns (penalty, [reg * w])."""
    return 0.5 * reg * sum(float(np.sum(w * w)) for w in weights), [reg * w for w in weights]


def l1_penalty(weights, reg):
    """L1 penalty reg * sum of |w| over a list of arrays; returns (penalty, [reg * sign(w)])."""
    return reg * sum(float(np.sum(np.abs(w))) for w in weights), [reg * np.sign(w) for w in weights]


# --------------------------------------------------------------------------- initialization
def he_init(fan_in, fan_out, rng):
    """He initialization for ReLU layers: normal with std sqrt(2 / fan_in), shape (fan_in, fan_out)."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
