"""dlcourse.network (the NumPy MNIST network of lesson 09), its plots, widget and checks.

Small data only: a few hundred images, tiny hidden layers. The TensorFlow tests import it once
(about 5 s) and share it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import layers, network, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed  # noqa: E402
from dlcourse.checks import keras_mnist as mc  # noqa: E402
from dlcourse.gradcheck import numerical_gradient, relative_error  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def small_mnist():
    return network.mnist_arrays(n_train=1500, n_test=500)


def test_init_mlp_shapes_dtypes_and_he_scale():
    params = network.init_mlp([784, 64, 10], seed=0)
    assert {k: v.shape for k, v in params.items()} == {"W1": (784, 64), "b1": (64,), "W2": (64, 10), "b2": (10,)}
    assert all(v.dtype == np.float32 for v in params.values())
    assert abs(params["W1"].std() - np.sqrt(2 / 784)) < 0.005
    assert not params["b1"].any()
    assert np.array_equal(params["W1"], network.init_mlp([784, 64, 10], seed=0)["W1"])


@pytest.mark.parametrize("sizes", [[6, 5, 3], [6, 5, 4, 3], [6, 3]])
def test_mlp_loss_gradients_match_numerical_gradients(sizes):
    rng = np.random.default_rng(1)
    params = {k: v.astype(np.float64) for k, v in network.init_mlp(sizes, seed=2).items()}
    for k in params:
        params[k] = params[k] + 0.1 * rng.normal(size=params[k].shape)  # non-zero biases
    X = rng.normal(size=(7, sizes[0]))
    y = rng.integers(0, sizes[-1], size=7)
    loss, grads = network.mlp_loss(params, X, y, reg=0.1, input_grad=True)
    for name in params:
        def f(_):
            return network.mlp_loss(params, X, y, reg=0.1)[0]
        assert relative_error(grads[name], numerical_gradient(f, params[name])) < 1e-6, name
    assert relative_error(grads["X"], numerical_gradient(lambda _: network.mlp_loss(params, X, y, reg=0.1)[0], X)) < 1e-6


def test_skipping_the_pixel_gradient_changes_nothing_else():
    params = network.init_mlp([20, 8, 4], seed=3)
    X = np.random.default_rng(0).random((5, 20), dtype=np.float32)
    y = np.array([0, 1, 2, 3, 0])
    loss_a, a = network.mlp_loss(params, X, y)
    loss_b, b = network.mlp_loss(params, X, y, input_grad=True)
    assert loss_a == loss_b and "X" not in a and b["X"].shape == X.shape
    for k in params:
        assert a[k].dtype == np.float32 and np.allclose(a[k], b[k])
    assert network.mlp_loss(params, X).shape == (5, 4)


def test_scores_match_the_reference_layers():
    params = network.init_mlp([12, 6, 3], seed=4)
    X = np.random.default_rng(5).random((4, 12), dtype=np.float32)
    h, _ = layers.relu_forward(X @ params["W1"] + params["b1"])
    assert np.allclose(network.mlp_loss(params, X), h @ params["W2"] + params["b2"], atol=1e-6)


def test_step_decay():
    assert [network.step_decay(e, 10) for e in (0, 7, 8, 9)] == [1e-3, 1e-3, 1e-4, 1e-4]
    assert [network.step_decay(e, 5) for e in range(5)] == [1e-3] * 4 + [1e-4]
    assert [network.step_decay(e, 2) for e in (0, 1)] == [1e-3, 1e-3]
    assert network.step_decay(0, 1) == 1e-3


def test_blas_threads_is_restored():
    blas = network.blas._openblas()
    if blas is None:
        pytest.skip("NumPy does not use OpenBLAS here")
    before = blas[0]()
    with network.blas_threads(1):
        assert blas[0]() == 1
    assert blas[0]() == before
    assert network.best_blas_threads(64, 32, 16) in {1, before}


def test_numpy_network_learns_small_mnist(small_mnist):
    result = network.train_numpy_mlp(*small_mnist, hidden_units=(64,), epochs=2, batch_size=64, progress=False)
    assert result.framework == "NumPy" and result.layer_sizes == (784, 64, 10)
    assert result.test_accuracy > 0.75, result
    assert len(result.history["loss"]) == 2 and result.history["loss"][1] < result.history["loss"][0]
    assert result.seconds_per_epoch > 0 and result.params["W1"].dtype == np.float32
    assert np.mean(network.predict(result.params, small_mnist[2]) == small_mnist[3]) == pytest.approx(result.test_accuracy)
    assert "test accuracy" in repr(result)


def test_mnist_arrays():
    x, y, xt, yt = network.mnist_arrays(10, 5)
    assert x.shape == (10, 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert y.shape == (10,) and xt.shape == (5, 784) and yt.shape == (5,)


# --------------------------------------------------------------------------- TensorFlow
@pytest.fixture(scope="module")
def keras():
    return network.quiet_tensorflow()[1]


def test_numpy_gradients_match_tensorflow(keras):
    rng = np.random.default_rng(0)
    params = network.init_mlp([30, 16, 8, 5], seed=1)
    errors = network.gradients_match_tensorflow(params, rng.random((9, 30)), rng.integers(0, 5, 9), reg=0.01)
    assert set(errors) == {"loss", "W1", "b1", "W2", "b2", "W3", "b3", "X"}
    assert max(errors.values()) < 1e-10, errors
    broken = dict(params)
    broken["W2"] = params["W2"].T.copy()  # a wrong shape must not pass silently
    with pytest.raises(Exception):
        network.gradients_match_tensorflow(broken, rng.random((9, 30)), rng.integers(0, 5, 9))


def test_keras_run_and_params_from_keras(keras, small_mnist):
    result = network.train_keras_mlp(*small_mnist, hidden_units=(32,), epochs=1, batch_size=64, progress=False)
    assert result.framework == "Keras" and result.model is not None and result.test_accuracy > 0.6
    params = network.params_from_keras(result.model)
    assert params["W1"].shape == (784, 32) and params["b2"].shape == (10,)
    x = small_mnist[2][:50]
    scores = network.mlp_loss(params, x)
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    assert np.allclose(probs, result.model.predict(x, verbose=0), atol=1e-5)


def test_reference_build_mlp_passes_and_mistakes_are_named(keras):
    mc.check_build(mc.build_mlp, hidden_units=(16, 8), l2=1e-3, dropout=0.2, batchnorm=True)

    def sigmoid_out(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
        model = keras.Sequential([keras.Input((784,))] + [keras.layers.Dense(h, activation="relu") for h in hidden_units]
                                 + [keras.layers.Dense(10, activation="sigmoid")])
        model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
        return model

    with pytest.raises(CheckFailed, match="softmax"):
        mc.check_build(sigmoid_out)

    def not_compiled(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
        return keras.Sequential([keras.Input((784,)), keras.layers.Dense(512, activation="relu"),
                                 keras.layers.Dense(10, activation="softmax")])

    with pytest.raises(CheckFailed, match="not compiled"):
        mc.check_build(not_compiled)


# --------------------------------------------------------------------------- checks without TensorFlow
def test_check_preprocess_names_mistakes():
    mc.check_preprocess(mc.preprocess_mnist)
    mc.check_preprocess(mc.preprocess_mnist, seed=3, n=1)
    cases = {
        "divide the 0..255": lambda x, y: (x.reshape(len(x), -1).astype(np.float32), mc.preprocess_mnist(x, y)[1]),
        "float32": lambda x, y: (x.reshape(len(x), -1) / 255.0, mc.preprocess_mnist(x, y)[1]),
        "one row of 784": lambda x, y: (x.astype(np.float32) / 255, mc.preprocess_mnist(x, y)[1]),
        "one-hot": lambda x, y: (mc.preprocess_mnist(x, y)[0], y),
        "need 10": lambda x, y: (mc.preprocess_mnist(x, y)[0], np.eye(int(y.max()) + 1)[y]),
        "brightest pixel": lambda x, y: (x.reshape(len(x), -1).astype(np.float32) / x.max(), mc.preprocess_mnist(x, y)[1]),
        "wrong column": lambda x, y: (mc.preprocess_mnist(x, y)[0], np.eye(10)[(y.astype(int) + 1) % 10]),
    }
    for phrase, wrong in cases.items():
        with pytest.raises(CheckFailed, match=phrase):
            mc.check_preprocess(wrong)


def test_check_count_names_mistakes():
    mc.check_count(mc.count_dense_params, [784, 512, 10], expected=407_050)
    with pytest.raises(CheckFailed, match="biases are missing"):
        mc.check_count(lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), [784, 512, 10])
    with pytest.raises(CheckFailed, match="input layer"):
        mc.check_count(lambda s: mc.count_dense_params(s) + s[0], [784, 512, 10])
    with pytest.raises(CheckFailed, match="int"):
        mc.check_count(lambda s: float(mc.count_dense_params(s)), [3, 4, 2])


# --------------------------------------------------------------------------- plots and widget
def test_lesson09_plots():
    history = {"loss": [0.3, 0.1], "accuracy": [0.9, 0.97], "val_loss": [0.12, 0.09], "val_accuracy": [0.96, 0.975]}
    axes = plots.history_curves(history)
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 2
    fig = plots.digit_grid(np.zeros((7, 784)), np.arange(7), np.array([0, 1, 2, 3, 4, 5, 9]), ncols=4)
    assert len(fig.axes) == 8 and fig.axes[6].title.get_color() != "black"
    ax, counts = plots.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], n_classes=3, hide_diagonal=True)
    assert counts.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    axes = plots.run_comparison({"a": history, "b": {"loss": [1, 0.5], "accuracy": [0.5, 0.8]}})
    assert len(axes[1].lines) == 2


def test_mistake_browser_steps_through_mistakes():
    rng = np.random.default_rng(0)
    labels = np.array([1, 2, 3, 3, 5])
    probs = np.eye(10)[[1, 7, 8, 3, 3]] * 0.9 + 0.01
    browser = widgets.mistake_browser(rng.random((5, 28, 28)), labels, probs)
    assert browser.state["mistakes"] == 3 and browser.state["index"] == 1
    browser.digit.value = "3"
    assert browser.state["mistakes"] == 1 and browser.state["index"] == 2 and browser.state["predicted"] == 8
    browser.digit.value = "1"
    assert browser.state["index"] is None


# --------------------------------------------------------------------------- lesson 09's checks (issue 12)
def _student_cell(source: str, namespace: dict) -> dict:
    """Run `source` as a notebook cell of the student's (IPython's cell file name)."""
    exec(compile(source, "/tmp/ipykernel_4242/909.py", "exec"), namespace)
    return namespace


def test_build_accepts_activation_layers_and_checks_the_rate(keras):
    def separate_layers(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
        stack = [keras.Input((784,))]
        for h in hidden_units:
            stack += [keras.layers.Dense(h), keras.layers.ReLU()]
        stack += [keras.layers.Dense(10), keras.layers.Softmax()]
        model = keras.Sequential(stack)
        model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
        return model

    mc.check_build(separate_layers, hidden_units=(16, 8))

    def fast_rmsprop(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
        model = mc.build_mlp(hidden_units, l2, dropout, batchnorm)
        model.compile(keras.optimizers.RMSprop(0.01), "categorical_crossentropy", metrics=["accuracy"])
        return model

    with pytest.raises(CheckFailed, match="learning rate") as info:
        mc.check_build(fast_rmsprop, hidden_units=(16,))
    assert info.value.mistake == "build_mlp:learning-rate"

    def relu_after_norm(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
        stack = [keras.Input((784,))]
        for h in hidden_units:
            stack += [keras.layers.Dense(h), keras.layers.BatchNormalization(), keras.layers.ReLU()]
        model = keras.Sequential(stack + [keras.layers.Dense(10, activation="softmax")])
        model.compile("rmsprop", "categorical_crossentropy", metrics=["accuracy"])
        return model

    with pytest.raises(CheckFailed, match="linear"):   # the ReLU after batch norm is not the Dense layer's
        mc.check_build(relu_after_norm, hidden_units=(16,), batchnorm=True)


def test_the_test_set_is_out_of_reach_while_train_mlp_runs():
    from dlcourse import datasets

    _, (x_raw, y_raw) = datasets.load_mnist()
    x_test, y_test = mc.preprocess_mnist(x_raw, y_raw)
    ns = {"np": np, "datasets": datasets, "x_test_raw": x_raw, "y_test_raw": y_raw, "x_test": x_test,
          "y_test": y_test, "x_small": x_test[:300], "x_train_raw": x_raw[1:300], "load": datasets.load_mnist}
    _student_cell("def peek():\n    return x_test.shape\n"
                  "def load_it():\n    return datasets.load_mnist()\n"
                  "def load_bound():\n    return load()\n", ns)
    with mc._test_set_out_of_reach(ns) as hidden:
        assert hidden == ["x_small", "x_test", "x_test_raw", "y_test", "y_test_raw"]
        with pytest.raises(NameError):
            ns["peek"]()
        for loader in ("load_it", "load_bound"):
            with pytest.raises(CheckFailed, match="loads MNIST itself") as info:
                ns[loader]()
            assert info.value.mistake == "train_mlp:uses-test-set"
        assert datasets.load_mnist()[1][0].shape == (10_000, 28, 28)   # the course's own calls still work
    assert ns["peek"]() == (10_000, 784) and ns["load"] is datasets.load_mnist
    assert ns["load_it"]()[1][0].shape == (10_000, 28, 28)


def test_the_exercise_model_written_out_in_numpy_computes_what_keras_computes():
    """check_build compares a student's model with `_reference_outputs` (NumPy, no second Keras model)."""
    rng = np.random.default_rng(3)
    x = rng.random((4, 784), dtype=np.float32)
    for hidden, batchnorm in [((512,), False), ((16, 8), True), ((32,), True)]:
        model = mc.build_mlp(hidden, 0.0, 0.2, batchnorm)
        for layer in model.layers:   # random weights, and running statistics far from 0 and 1
            layer.set_weights([rng.normal(0.5 if w.ndim == 1 else 0.0, 0.3, w.shape).astype(np.float32) ** (2 if w.ndim == 1 else 1)
                               for w in layer.get_weights()])
        want = np.asarray(model(x, training=False))
        assert np.allclose(mc._reference_outputs(model, hidden, batchnorm, x), want, rtol=1e-4, atol=1e-6)
    assert mc._reference_outputs(mc.build_mlp((16,)), (16, 8), False, x) is None   # other layers: the structure checks say
