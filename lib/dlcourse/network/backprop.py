"""Lesson 05 (backpropagation): small networks built from the reference layers of
`dlcourse.layers`; reference versions of the lesson's graded network functions, and the
measurement of gradients layer by layer.

- `two_layer_net(X, params, y=None)`       affine - ReLU - affine, softmax cross-entropy loss
- `init_net(sizes, rng, scale)`            weights and biases of a fully connected net
- `mlp_forward(X, params, activation)`     the output of a net of any depth, (N, n_L)
- `train_xor(seed=0)`                      seed 004's 2-3-3-1 sigmoid net on the diagonal XOR points,
                                           cross-entropy and momentum: (params, losses)
- `xor_curves(seed=0, ...)`                the same training's loss and accuracy per iteration
- `layer_gradient_norms(activation, depth, ...)`  the norm of dL/dW for every layer of a deep net

Shapes: samples in rows, X is (N, D), W_k is (n_{k-1}, n_k), b_k is (n_k,).
"""

from __future__ import annotations

import numpy as np

from .. import layers
from .. import layers as _layers_module  # `layers` is also an argument of layer_gradient_norms


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
    scale : the standard deviation of each layer's weights, by name or as a number:
        "normal"  1;
        "lecun"   sqrt(1 / n_in)            (LeCun: keeps the variance through a layer with slope 1 near 0,
                                             the usual scale for sigmoid and tanh layers);
        "xavier" or "glorot"  sqrt(2 / (n_in + n_out))  (Glorot and Bengio: the forward and the backward
                                             variance kept on average);
        "he"      sqrt(2 / n_in)            (He et al.: for ReLU layers, which zero half their inputs).
    Returns {"W1": (n_0, n_1), "b1": (n_1,), ..., "WL": (n_{L-1}, n_L), "bL": (n_L,)};
    the W_k are drawn in order k = 1, 2, ..., L, each with rng.normal(0, std, size=(n_in, n_out)).
    """
    params = {}
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        stds = {"normal": 1.0, "lecun": np.sqrt(1.0 / n_in), "xavier": np.sqrt(2.0 / (n_in + n_out)),
                "glorot": np.sqrt(2.0 / (n_in + n_out)), "he": np.sqrt(2.0 / n_in)}
        if isinstance(scale, str) and scale not in stds:
            raise ValueError(f"unknown scale {scale!r}: use one of {sorted(stds)} or a number")
        std = stds.get(scale, scale) if isinstance(scale, str) else scale
        params[f"W{k}"] = rng.normal(0.0, float(std), size=(n_in, n_out))
        params[f"b{k}"] = np.zeros(n_out)
    return params


def _depth(params) -> int:
    return sum(1 for key in params if key.startswith("W"))


def mlp_forward(X, params, activation="sigmoid", output="sigmoid"):
    """Output of a fully connected net: the activation after every hidden layer, then `output`.

    X : (N, D);  params as from `init_net`;  activation : "sigmoid", "relu" or "tanh";
    output : "sigmoid" (a probability per sample) or "linear" (the raw last affine layer)
    Returns (N, n_L), also when the last layer has a single unit (take `[:, 0]` for one number per sample).
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
    return a


# The set-up of seed 004's XOR network, as lesson 05 asks students to use it.
XOR_SETUP = {"sizes": (2, 3, 3, 1), "learning_rate": 0.5, "momentum": 0.9, "iterations": 2000}


def train_xor(seed=0, learning_rate=0.5, momentum=0.9, iterations=2000, X=None, y=None, accuracies=None):
    """Train the 2-3-3-1 sigmoid network on XOR: cross-entropy loss, full-batch momentum.

    seed : seeds np.random.default_rng, which draws W1, W2, W3 in that order from N(0, 1)
        (biases start at zero)
    X, y : the data, (N, 2) and (N,) labels 0/1; default `datasets.xor_diagonals()` (21 points)
    accuracies : None, or an array of shape (iterations,) that receives the fraction of points
        classified right at each iteration (`xor_curves` returns it)
    Every iteration: forward pass, loss = mean binary cross-entropy of the sigmoid output,
    backward pass, then for every parameter v = momentum * v - learning_rate * grad, p += v.
    Returns (params, losses): params {"W1": (2, 3), "b1": (3,), "W2": (3, 3), "b2": (3,),
    "W3": (3, 1), "b3": (1,)} after training, losses a (iterations,) array (the loss of each
    iteration, computed before its update).
    """
    if X is None or y is None:
        from ..datasets import xor_diagonals

        X, y = xor_diagonals()
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    N = X.shape[0]
    params = init_net(XOR_SETUP["sizes"], np.random.default_rng(seed))
    velocity = {key: np.zeros_like(value) for key, value in params.items()}
    losses = np.zeros(iterations)
    for it in range(iterations):
        caches = []
        a = X
        for k in (1, 2, 3):
            z, affine_cache = layers.affine_forward(a, params[f"W{k}"], params[f"b{k}"])
            a, sigmoid_cache = layers.sigmoid_forward(z)
            caches.append((affine_cache, sigmoid_cache))
        p = np.clip(a, 1e-12, 1 - 1e-12)
        losses[it] = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        if accuracies is not None:
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
    return params, losses


def xor_curves(seed=0, learning_rate=0.5, momentum=0.9, iterations=2000, X=None, y=None):
    """The learning curves of `train_xor` with the same arguments: (losses, accuracies), two
    (iterations,) arrays, the loss and the fraction of points classified right at each iteration."""
    accuracies = np.zeros(iterations)
    _, losses = train_xor(seed, learning_rate, momentum, iterations, X, y, accuracies=accuracies)
    return losses, accuracies


def layer_gradient_norms(activation="sigmoid", depth=10, width=64, init="lecun", n=128, seed=0, layers=None):
    """Norm of the gradient dL/dW_k of every layer k of a deep net, on random data.

    The net has `depth` hidden layers of `width` units with `activation`, inputs of 20
    features drawn from N(0, 1), and a 10-class softmax output with random labels (the loss
    is softmax cross-entropy). init : "lecun", "glorot" (or "xavier"), "he" or "normal" (see `init_net`).
    layers : optional {"affine": (forward, backward), "sigmoid": (forward, backward), "relu": ...}:
        layer pairs to use instead of the course's (lesson 05 passes the student's own).
    Returns an array of shape (depth + 1,): the Frobenius norm of dW_1, ..., dW_{depth+1}
    (index 0 is the layer next to the input).
    """
    pairs = {"affine": (_layers_module.affine_forward, _layers_module.affine_backward), **ACTIVATIONS, **(layers or {})}
    affine_forward, affine_backward = pairs["affine"]
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    y = rng.integers(0, 10, size=n)
    params = init_net((20,) + (width,) * depth + (10,), rng, init)
    forward, backward = pairs[activation]
    caches = []
    a = X
    for k in range(1, depth + 2):
        z, affine_cache = affine_forward(a, params[f"W{k}"], params[f"b{k}"])
        act_cache = None
        a = z
        if k <= depth:
            a, act_cache = forward(z)
        caches.append((affine_cache, act_cache))
    _, dout = _layers_module.softmax_cross_entropy(a, y)
    norms = np.zeros(depth + 1)
    for k in range(depth + 1, 0, -1):
        affine_cache, act_cache = caches[k - 1]
        if act_cache is not None:
            dout = backward(dout, act_cache)
        dout, dW, _ = affine_backward(dout, affine_cache)
        norms[k - 1] = np.linalg.norm(dW)
    return norms
