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
from dlcourse.gradcheck import AGREE, numerical_gradient, relative_error  # noqa: E402


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
        assert relative_error(grads[key], numeric) < AGREE


def test_train_xor_reference_reaches_100_percent_and_is_reproducible():
    X, y = datasets.xor_diagonals()
    params, losses = networks.train_xor(0)
    assert {k: v.shape for k, v in params.items()} == {"W1": (2, 3), "b1": (3,), "W2": (3, 3), "b2": (3,),
                                                        "W3": (3, 1), "b3": (1,)}
    assert losses.shape == (2000,) and losses[-1] < 1e-3
    assert np.all((networks.mlp_forward(X, params)[:, 0] > 0.5) == (y == 1))
    again, _ = networks.train_xor(0)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    curves, accuracies = networks.xor_curves(0)
    assert np.array_equal(curves, losses)
    assert accuracies[-1] == 1.0 and 300 < int(np.argmax(accuracies == 1.0)) < 600
    np.testing.assert_allclose(diag.xor_run(0)[1], losses, rtol=1e-9)   # the checks' own run is the same run


def test_layer_gradient_norms_vanish_for_sigmoid_not_for_relu():
    sig = networks.layer_gradient_norms("sigmoid", depth=8)
    relu = networks.layer_gradient_norms("relu", depth=8, init="he")
    assert sig.shape == relu.shape == (9,)
    assert np.all(np.diff(sig) > 0) and sig[0] / sig[-1] < 1e-3
    assert 0.05 < relu[0] / relu[-1] < 20


def test_init_net_scales_lecun_glorot_he():
    sizes = (400, 100, 50)
    for scale, stds in {"lecun": (1 / 20, 1 / 10), "glorot": (np.sqrt(2 / 500), np.sqrt(2 / 150)),
                        "xavier": (np.sqrt(2 / 500), np.sqrt(2 / 150)), "he": (np.sqrt(2 / 400), np.sqrt(2 / 100))}.items():
        params = networks.init_net(sizes, np.random.default_rng(0), scale)
        for W, std in zip((params["W1"], params["W2"]), stds):
            assert abs(W.std() / std - 1) < 0.05, scale
    with pytest.raises(ValueError, match="unknown scale"):
        networks.init_net(sizes, np.random.default_rng(0), "kaiming")


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


def test_vanishing_gradient_explorer_uses_the_layers_it_is_given():
    calls = []

    def relu_forward(x):
        calls.append("forward")
        return np.maximum(x, 0), x > 0          # an own cache: the mask

    def relu_backward(dout, mask):
        calls.append("backward")
        return dout * mask

    explorer = widgets.vanishing_gradient_explorer(depth=3, activations="ReLU", init="he",
                                                   layers={"relu": (relu_forward, relu_backward)})
    assert calls.count("forward") == 3 and calls.count("backward") == 3
    np.testing.assert_allclose(explorer.state["norms"]["relu"],
                               networks.layer_gradient_norms("relu", depth=3, init="he"), rtol=1e-12)
    plt.close("all")


def test_vanishing_gradient_explorer_waits_for_unfinished_layers():
    def relu_forward(x):
        raise NotImplementedError()

    explorer = widgets.vanishing_gradient_explorer(depth=3, layers={"relu": (relu_forward, None)})
    assert explorer.state["ready"] is False and "Finish your layers" in explorer.text.value
    plt.close("all")


def test_relative_error_mistakes_are_named():
    a, b = np.array([1.0, -2.0, 3.0, 0.2]), np.array([1.5, -3.0, 2.2, 0.5])
    mistakes = diag.relative_error_mistakes(a, b)
    values = [round(v, 9) for v in mistakes.values() if np.isfinite(v)]
    assert len(values) == len(set(values)), "two mistakes with the same value cannot be told apart"
    with pytest.raises(CheckFailed, match="entry by entry"):
        check(float(np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b))), 3 / 7, "r", mistakes=mistakes)


# ---------------------------------------------------------------------------------- the lesson's checks

_cells = iter(range(1, 10_000))


@pytest.fixture()
def fresh_guard():
    from dlcourse.checks import guard

    guard.deactivate()
    yield
    guard.deactivate()


def _notebook(*sources: str) -> dict:
    """A namespace in which each source ran as a notebook cell of the student's (IPython's cell file name)."""
    ns = {"np": np, "datasets": datasets, "network": networks}
    for source in sources:
        exec(compile(source, f"/tmp/ipykernel_4242/{next(_cells)}.py", "exec"), ns)
    return ns


_AFFINE = ("def affine_forward(x, W, b):\n    return x.reshape(len(x), -1) @ W + b, (x, W)\n"
           "def affine_backward(dout, cache):\n    x, W = cache\n"
           "    return (dout @ W.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.sum(axis=0)\n")
_RELU_MASK = ("def relu_forward(x):\n    mask = x > 0\n    return x * mask, mask\n"
              "def relu_backward(dout, cache):\n    return dout * cache\n")
_NET_ON_MASK = ("def two_layer_net(X, params, y=None):\n"
                "    h, c1 = affine_forward(X, params['W1'], params['b1'])\n    a, mask = relu_forward(h)\n"
                "    scores, c2 = affine_forward(a, params['W2'], params['b2'])\n    if y is None:\n        return scores\n"
                "    N = len(X)\n    z = scores - scores.max(axis=1, keepdims=True)\n"
                "    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
                "    loss = -np.mean(np.log(p[np.arange(N), y]))\n    p[np.arange(N), y] -= 1\n"
                "    da, dW2, db2 = affine_backward(p / N, c2)\n    _, dW1, db1 = affine_backward(da * mask, c1)\n"
                "    return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}\n")


def test_own_cache_formats_pass_visible_and_hidden_checks(fresh_guard, capsys):
    ns = _notebook(_AFFINE, _RELU_MASK, _NET_ON_MASK)
    for name in ("affine", "relu", "two_layer_net"):
        getattr(diag, f"check_{name}")(ns)
        getattr(diag, f"hidden_{name}")(ns)
    out = capsys.readouterr().out
    assert out.count("✔") == 3 and "standing in" not in out


def test_a_backward_pass_that_changes_its_cache_is_caught_by_the_second_call(fresh_guard):
    ns = _notebook("def relu_forward(x):\n    return np.maximum(x, 0), x.copy()\n"
                   "def relu_backward(dout, cache):\n    dx = cache\n    dx[dx > 0] = 1\n    dx[dx <= 0] = 0\n"
                   "    dx *= dout\n    return dx\n")
    with pytest.raises(CheckFailed) as info:
        diag.check_relu(ns)
    assert info.value.mistake == "relu_backward:mutates-cache"
    ns = _notebook("def relu_forward(x):\n    return np.maximum(x, 0), x\n"
                   "def relu_backward(dout, cache):\n    dx = dout\n    dx[cache <= 0] = 0\n    return dx\n")
    with pytest.raises(CheckFailed, match="wrote into dout"):
        diag.check_relu(ns)


def test_two_layer_net_stability_mistakes_are_named(fresh_guard):
    base = _notebook(_AFFINE, _RELU_MASK)
    for old, new, slug in [("scores.max(axis=1, keepdims=True)", "scores.max()", "global-max-shift"),
                           ("scores - scores.max(axis=1, keepdims=True)", "scores", "softmax-overflow")]:
        ns = dict(base)
        exec(compile(_NET_ON_MASK.replace(old, new), f"/tmp/ipykernel_4242/{next(_cells)}.py", "exec"), ns)
        with pytest.raises(CheckFailed) as info:
            diag.check_two_layer_net(ns)
        assert info.value.mistake == f"two_layer_net:{slug}"


def test_a_wrong_layer_is_blamed_and_a_right_net_on_it_keeps_its_points(fresh_guard, capsys):
    wrong_relu = _RELU_MASK.replace("dout * cache", "dout * (dout > 0)")
    ns = _notebook(_AFFINE, wrong_relu, _NET_ON_MASK)    # the net reads the mask itself: right on its own
    diag.check_two_layer_net(ns)
    ns = _notebook(_AFFINE, wrong_relu, _NET_ON_MASK.replace("da * mask", "relu_backward(da, mask)"))
    diag.check_two_layer_net(ns)                          # the reference layers stand in: ✔ with a note
    diag.hidden_two_layer_net(ns)
    assert "standing in" in capsys.readouterr().out
    ns = _notebook(_AFFINE, wrong_relu,
                   _NET_ON_MASK.replace("da * mask", "relu_backward(da, mask)").replace("p / N", "p"))
    with pytest.raises(CheckFailed) as info:
        diag.check_two_layer_net(ns)
    assert info.value.mistake == "relu_backward:fix-first" and "Fix relu_backward first" in info.value.message


def test_train_xor_first_losses_name_the_deviation(fresh_guard):
    curve = diag.xor_run(0, 10)[1]
    with pytest.raises(CheckFailed) as info:
        diag._xor_first_losses(np.concatenate([diag.xor_run(0, 10, record="after")[1], np.zeros(1990)]), 0)
    assert info.value.mistake == "train_xor:loss-after-update"
    with pytest.raises(CheckFailed) as info:
        diag._xor_first_losses(np.concatenate([diag.xor_run(0, 10, gradient_scale=21.0)[1], np.zeros(1990)]), 0)
    assert info.value.mistake == "train_xor:gradient-without-1-over-n"
    diag._xor_first_losses(np.concatenate([curve, np.zeros(1990)]), 0)


def test_the_reference_is_out_of_reach(fresh_guard):
    ns = _notebook("def two_layer_net(X, params, y=None):\n"
                   "    from dlcourse.network import two_layer_net as net\n    return net(X, params, y)\n")
    with pytest.raises(CheckFailed) as info:
        diag.check_two_layer_net(ns)
    assert "uses the course's reference `dlcourse.network.backprop.two_layer_net`" in info.value.message


def test_as_number_says_what_to_fix():
    assert diag.as_number(3, "f", "Exercise 1") == 3.0
    with pytest.raises(CheckFailed, match="fix Exercise 1 first"):
        diag.as_number(np.ones(2), "relative_error", "Exercise 1")


def test_hidden_train_xor_reuses_the_visible_tests_seed_run_of_the_same_function_only(fresh_guard):
    """Grading runs the hidden test right after the visible one: train_xor(seed=2) is trained once, not twice."""
    calls = []
    layers_cell = {name: getattr(layers, name) for name in ("affine_forward", "affine_backward", "sigmoid_forward",
                                                            "sigmoid_backward")}
    ns = _notebook("def train_xor(seed=0):\n    calls.append(seed)\n    return xor_run(seed)\n")
    ns.update(layers_cell, calls=calls, xor_run=diag.xor_run)
    diag.check_train_xor(ns)
    diag.hidden_train_xor(ns)
    assert calls == [0, 0, 2]
    diag.hidden_train_xor(ns)                                  # used once: a second hidden test trains again
    assert calls == [0, 0, 2, 2]
    diag.check_train_xor(ns)
    ns["sigmoid_forward"] = lambda x: layers.sigmoid_forward(x)   # another layer: the run is not the same
    diag.hidden_train_xor(ns)
    assert calls == [0, 0, 2, 2, 0, 0, 2, 2]
