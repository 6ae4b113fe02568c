"""Unit tests of the package code of lesson 05 (backpropagation): networks, the XOR data,
plots, the vanishing-gradient explorer and the diagnoses of the visible tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import datasets, layers, network as networks, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed, check  # noqa: E402
from dlcourse.checks import backprop as diag  # noqa: E402
from dlcourse.gradcheck import numerical_gradient, relative_error  # noqa: E402


def test_xor_diagonals():
    X, y = datasets.xor_diagonals()
    assert X.shape == (21, 2) and y.shape == (21,)
    assert np.bincount(y).tolist() == [11, 10]
    assert np.all((y == 0) == np.isclose(X[:, 0], X[:, 1]))
    corners, labels = datasets.logic_gate("XOR")
    for corner, label in zip(corners, labels):
        index = np.flatnonzero(np.all(np.isclose(X, corner), axis=1))
        assert index.size == 1 and y[index[0]] == label


def test_two_layer_net_reference_matches_numerical_gradients():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 3)), np.array([0, 1, 2, 1, 0])
    params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4), "W2": rng.normal(size=(4, 3)),
              "b2": rng.normal(size=3)}
    assert networks.two_layer_net(X, params).shape == (5, 3)
    loss, grads = networks.two_layer_net(X, params, y)
    for key in params:
        numeric = numerical_gradient(lambda v: networks.two_layer_net(X, dict(params, **{key: v}), y)[0],
                                     params[key].copy())
        assert relative_error(grads[key], numeric) < 1e-7


def test_train_xor_reference_reaches_100_percent_and_is_reproducible():
    X, y = datasets.xor_diagonals()
    params, losses = networks.train_xor(0)
    assert {k: v.shape for k, v in params.items()} == {"W1": (2, 3), "b1": (3,), "W2": (3, 3), "b2": (3,),
                                                        "W3": (3, 1), "b3": (1,)}
    assert losses.shape == (2000,) and losses[-1] < 1e-3
    assert diag.xor_accuracy(params, X, y) == 1.0
    assert abs(diag.binary_cross_entropy_of(params, X, y) - losses[-1]) < 0.1 * losses[-1]
    again, _ = networks.train_xor(0)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    _, _, accuracies = networks.train_xor(0, history=True)
    assert accuracies[-1] == 1.0 and 300 < int(np.argmax(accuracies == 1.0)) < 600


def test_layer_gradient_norms_vanish_for_sigmoid_not_for_relu():
    sig = networks.layer_gradient_norms("sigmoid", depth=8)
    relu = networks.layer_gradient_norms("relu", depth=8, init="he")
    assert sig.shape == relu.shape == (9,)
    assert np.all(np.diff(sig) > 0) and sig[0] / sig[-1] < 1e-3
    assert 0.05 < relu[0] / relu[-1] < 20


def test_init_net_and_mlp_forward():
    params = networks.init_net((2, 4, 1), np.random.default_rng(0), "xavier")
    assert params["W1"].shape == (2, 4) and params["b2"].shape == (1,)
    out = networks.mlp_forward(np.zeros((3, 2)), params, activation="relu")
    assert out.shape == (3, 1) and np.allclose(out, 0.5)


def test_plots_construct():
    ax = plots.gradient_norms_by_layer({"a": [1e-3, 1e-2, 1e-1], "b": [1, 1, 1]}, title="t")
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    ax = plots.error_bars({"m1": {"train": 1.0, "test": 2.0}, "m2": {"train": 0.5, "test": 3.0}})
    assert len(ax.patches) == 4
    ax = plots.regression_slice(np.linspace(0, 1, 5), {"line": np.arange(5.0)}, points=([0.5], [1.0]))
    assert len(ax.lines) == 1
    plt.close("all")


def test_vanishing_gradient_explorer_redraws():
    explorer = widgets.vanishing_gradient_explorer(depth=4)
    assert set(explorer.state["norms"]) == {"sigmoid", "relu"}
    draws = explorer.state["draws"]
    explorer.depth.value = 6
    assert explorer.state["draws"] == draws + 1 and explorer.state["norms"]["sigmoid"].shape == (7,)
    explorer.activations.value = "all three"
    assert set(explorer.state["norms"]) == {"sigmoid", "tanh", "relu"}
    plt.close("all")


def test_relative_error_mistakes_are_named():
    a, b = np.array([1.0, -2.0, 3.0, 0.2]), np.array([1.5, -3.0, 2.2, 0.5])
    mistakes = diag.relative_error_mistakes(a, b)
    values = [round(v, 9) for v in mistakes.values() if np.isfinite(v)]
    assert len(values) == len(set(values)), "two mistakes with the same value cannot be told apart"
    with pytest.raises(CheckFailed, match="entry by entry"):
        check(float(np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b))), 3 / 7, "r", mistakes=mistakes)


def test_affine_shape_diagnoses():
    x, W, dout = np.zeros((2, 2, 3)), np.zeros((6, 4)), np.zeros((2, 4))
    diag.check_affine_grad_shapes(np.zeros((2, 2, 3)), np.zeros((6, 4)), np.zeros(4), x, W, dout)
    with pytest.raises(CheckFailed, match="shape of x"):
        diag.check_affine_grad_shapes(np.zeros((2, 6)), np.zeros((6, 4)), np.zeros(4), x, W, dout)
    with pytest.raises(CheckFailed, match="transpose"):
        diag.check_affine_grad_shapes(np.zeros((2, 2, 3)), np.zeros((4, 6)), np.zeros(4), x, W, dout)
    with pytest.raises(CheckFailed, match="axis 1"):
        diag.check_affine_grad_shapes(np.zeros((2, 2, 3)), np.zeros((6, 4)), np.zeros(2), x, W, dout)
    with pytest.raises(CheckFailed, match="axis=0"):
        diag.check_affine_grad_shapes(np.zeros((2, 2, 3)), np.zeros((6, 4)), np.float64(0.0), x, W, dout)


def test_relu_and_sigmoid_mistakes_fire():
    x = np.array([[-2.0, -0.5, 0.0, 1.5], [3.0, -1.0, 2.0, -4.0]])
    dout = np.array([[1.0, -2.0, 3.0, -4.0], [0.5, 2.0, -1.0, 1.0]])
    right = layers.relu_backward(dout, x)
    with pytest.raises(CheckFailed, match="mask comes from dout"):
        check(dout * (dout > 0), right, "dx", mistakes=diag.relu_backward_mistakes(dout, x))
    with pytest.raises(CheckFailed, match="x = 0"):
        check(dout * (x >= 0), right, "dx", mistakes=diag.relu_backward_mistakes(dout, x))
    s = layers.sigmoid(x)
    with pytest.raises(CheckFailed, match="dout is missing"):
        check(s * (1 - s), dout * s * (1 - s), "dx", mistakes=diag.sigmoid_backward_mistakes(dout, x))
    with pytest.raises(CheckFailed, match="wrote"):
        before = dout.copy()
        dout[0, 0] = 0
        diag.check_unchanged(before, dout, "relu_backward wrote into dout")


def test_two_layer_net_and_xor_diagnoses():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(4, 3)), np.array([0, 1, 1, 0])
    params = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5), "W2": rng.normal(size=(5, 2)),
              "b2": rng.normal(size=2)}
    _, loss_m, grad_m = diag.two_layer_net_mistakes(X, params, y)
    loss, grads = networks.two_layer_net(X, params, y)
    with pytest.raises(CheckFailed, match="MEAN"):
        check(loss * 4, loss, "loss", mistakes=loss_m)
    with pytest.raises(CheckFailed, match="1/N"):
        check(grads["W1"] * 4, grads["W1"], "dW1", mistakes=grad_m["W1"])
    with pytest.raises(CheckFailed, match="transpose"):
        diag.check_grads_dict(dict(grads, W2=grads["W2"].T), params, "two_layer_net")
    xor_params, losses = networks.train_xor(0, iterations=5)
    diag.check_xor_params(xor_params, losses)
    with pytest.raises(CheckFailed, match="summed over the samples"):
        diag.check_xor_params(dict(xor_params, b1=np.zeros((21, 3))), losses)
    with pytest.raises(CheckFailed, match="numerical"):
        diag.check_gradient(np.ones(3), np.zeros(3), "dx")
    with pytest.raises(CheckFailed, match="ValueError"):
        diag.call(lambda a: a @ np.zeros((5, 2)), np.zeros((2, 3)), name="f")
