"""Unit tests of the package code of lesson 04 (activation functions): plots, the explorer,
and the diagnoses of `dlcourse.checks.activations`."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import layers, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed  # noqa: E402
from dlcourse.checks import activations as act  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ plots
def test_saturation_intervals_of_sigmoid_tanh_relu():
    z = np.linspace(-8, 8, 16001)
    (lo, a), (b, hi) = plots.saturation_intervals(layers.sigmoid_grad, z)
    assert lo == -8 and hi == 8 and abs(a + 5.987) < 2e-3 and abs(b - 5.987) < 2e-3
    (_, a), (b, _) = plots.saturation_intervals(layers.tanh_grad, z)
    assert abs(a + 2.993) < 2e-3 and abs(b - 2.993) < 2e-3
    assert plots.saturation_intervals(layers.relu_grad, z) == [(-8.0, 0.0)]
    assert plots.saturation_intervals(lambda t: 1.0, z) == []          # a constant slope (scalar) never saturates
    assert plots.saturation_intervals(lambda t: layers.leaky_relu_grad(t, 0.1), z) == []


def test_activation_plots_draw():
    axes = plots.activation_and_slope(layers.relu, layers.relu_grad, name="relu")
    assert len(axes) == 2 and len(axes[0].lines) >= 1 and len(axes[0].patches) == 1   # one shaded zone
    rng = np.random.default_rng(0)
    ax = plots.preactivation_histograms({"wide": rng.normal(0, 9, 500), "narrow": rng.normal(0, 0.3, 500)},
                                        layers.sigmoid_grad)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(label.startswith("narrow: 0.0 %") for label in labels)
    Z = rng.normal(size=(50, 10))
    Z[:, :3] = -1.0                                                     # three units that never fire
    ax = plots.unit_firing(Z, title="t")
    assert "3 of 10 units never fire" in ax.get_title()


# ------------------------------------------------------------------ widget
def test_activation_explorer_states():
    e = widgets.activation_explorer("sigmoid")
    assert e.state["intervals"] and not e.state["zero_slope"] and e.state["max_slope"] == pytest.approx(0.25)
    e.name.value = "ReLU"
    assert e.state["zero_slope"] and e.state["intervals"][0][1] == pytest.approx(0.0, abs=1e-9)
    e.name.value = "leaky ReLU"
    e.alpha.value = 0.1
    assert e.state["intervals"] == [] and e.state["draws"] == 4
    e.alpha.value = 0.001
    assert e.state["intervals"] and not e.state["zero_slope"]
    e.name.value = "linear (identity)"
    assert e.state["intervals"] == [] and e.state["saturated_share"] == 0.0


# ------------------------------------------------------------------ diagnoses
def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_attempt_translates_exceptions():
    def stub(z):
        raise NotImplementedError()
    assert "not written yet" in _message(act._run, stub, "f", np.zeros(2))
    import math
    assert "np.tanh" in _message(act._run, lambda z: math.tanh(z), "f", np.zeros(3))
    assert "keepdims=True" in _message(act._run, lambda z: z - z.max(axis=-1), "f", np.zeros((2, 3)))
    assert "axis=-1" in _message(act._run, lambda z: z.max(axis=1), "f", np.zeros(3))


def _right_answers() -> dict:
    def collapse_linear(W, b, U, c):
        return W @ U, b @ U + c

    def tanh_grad(z):
        return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2

    def relu(z):
        return np.maximum(np.asarray(z, dtype=float), 0.0)

    def relu_grad(z):
        return (np.asarray(z) > 0).astype(float)

    def leaky_relu(z, alpha=0.01):
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, alpha * z)

    def leaky_relu_grad(z, alpha=0.01):
        return np.where(np.asarray(z) > 0, 1.0, float(alpha))

    def softmax(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    return dict(locals())


@pytest.fixture
def _no_guard():
    from dlcourse.checks import guard
    guard.deactivate()
    yield
    guard.deactivate()


def test_every_exercise_check_passes_right_answers_visibly_and_hidden(_no_guard, capsys):
    ns = _right_answers()
    for name in ns:
        getattr(act, f"check_{name}")(ns)
        getattr(act, f"hidden_{name}")(ns)
    assert capsys.readouterr().out.count("✔") == len(ns)


def test_a_wrapper_of_the_reference_fails_with_the_course_message(_no_guard):
    ns = {"np": np}
    exec(compile("import dlcourse.checks.activations as A\n"
                 "def collapse_linear(W, b, U, c):\n    return A.collapse_reference(W, b, U, c)\n",
                 "/tmp/ipykernel_7/1.py", "exec"), ns)
    assert "uses the course's reference" in _message(act.check_collapse_linear, ns)


def test_a_missing_function_points_at_its_exercise():
    assert "not defined yet" in _message(act.check_softmax, {})


def test_elementwise_checks_name_mistakes():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    right = layers.relu_grad(z)
    assert "dtype bool" in _message(act.check_elementwise, lambda t: t > 0, "relu_grad", z, right)
    assert "single number" in _message(act.check_elementwise, lambda t: np.max(t, 0), "relu", z, layers.relu(z))
    assert "floats out" in _message(act.check_elementwise, lambda t: np.where(t > 0, 1, 0), "relu_grad", z, right)
    act.check_elementwise(layers.relu_grad, "relu_grad", z, right)
    t = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    assert "without the square" in _message(act.check_elementwise, lambda v: 1 - np.tanh(v), "tanh_grad", t,
                                            layers.tanh_grad(t), mistakes=act.tanh_grad_mistakes(t))


def test_rules_catch_in_place_integers_and_numbers():
    def in_place(z):
        z[z < 0] = 0
        return z
    assert "in place" in _message(act.check_rules, in_place, "relu", layers.relu)
    assert "floats out" in _message(act.check_rules, lambda z: np.maximum(z, 0), "relu", layers.relu)
    assert "single number" in _message(act.check_rules, lambda z: np.atleast_1d(layers.relu(z)), "relu", layers.relu)
    act.check_rules(layers.relu, "relu", layers.relu)
    act.check_rules(layers.leaky_relu_grad, "leaky_relu_grad", layers.leaky_relu_grad, kwargs={"alpha": 0.2})
    act.check_random(layers.leaky_relu, "leaky_relu", layers.leaky_relu, kwargs={"alpha": 0.3})
    with pytest.raises(CheckFailed):
        act.check_random(lambda z: (np.asarray(z) >= 0).astype(float), "relu_grad", layers.relu_grad)


def test_softmax_checks():
    act.check_softmax_stable(layers.softmax)
    act.check_softmax_random(layers.softmax)

    def global_max(z):
        e = np.exp(np.asarray(z, dtype=float) - np.max(z))
        return e / e.sum(axis=-1, keepdims=True)
    with np.errstate(all="ignore"):
        assert "WHOLE array" in _message(act.check_softmax_stable, global_max)
    Z = np.array([[3.2, 0.8, 0.0], [1.0, 2.0, 3.0]])
    mistakes = act.softmax_mistakes(Z)
    wrong = np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)
    assert any(np.allclose(wrong, v) and "axis 0" in k[1] for k, v in mistakes.items())
    Zs = np.array([[0.0, 1.0, 2.0], [3.0, -1.0, 0.5], [1.0, 1.0, 4.0]])

    def no_keepdims(z):
        e = np.exp(z - z.max(axis=-1))
        return e / e.sum(axis=-1)
    assert "keep the reduced axis" in _message(act.check, no_keepdims(Zs), layers.softmax(Zs), "softmax",
                                               mistakes=act.softmax_mistakes(Zs))


def test_collapse_checks():
    W, b = np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([0.5, -2.0])
    U, c = np.array([[3.0, 1.0], [-1.0, 2.0]]), np.array([1.0, 4.0])
    act.check_collapse(act.collapse_reference, W, b, U, c)
    act.check_collapse_random(act.collapse_reference)
    assert "wrong order" in _message(act.check_collapse, lambda W, b, U, c: (U @ W, b @ U + c), W, b, U, c)
    assert "b + c" in _message(act.check_collapse, lambda W, b, U, c: (W @ U, b + c), W, b, U, c)
    W3, b3, U3, c3 = np.ones((2, 3)), np.ones(3), np.ones((3, 1)), np.ones(1)
    assert "shape of the hidden bias" in _message(act.check_collapse, lambda W, b, U, c: (W @ U, b + c), W3, b3, U3, c3)
