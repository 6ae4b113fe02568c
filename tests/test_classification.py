"""Unit tests of lesson 06's package code: references, dataset, plot, widget, diagnoses."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import classification, datasets, gradcheck, layers, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed, check  # noqa: E402
from dlcourse.checks import classification as diagnose  # noqa: E402


# ---------------------------------------------------------------------------------- references

def test_entropy_of_the_seed_example_is_1_5_bits():
    assert classification.entropy(np.array([0.25, 0.25, 0.5])) == pytest.approx(1.5)
    assert classification.entropy(np.array([0.25, 0.25, 0.5]), np.e) == pytest.approx(1.5 * np.log(2))
    assert classification.entropy(np.array([0.5, 0.0, 0.5])) == pytest.approx(1.0)
    rows = classification.entropy(np.array([[1.0, 0.0], [0.5, 0.5]]))
    assert rows.shape == (2,) and np.allclose(rows, [0.0, 1.0])


def test_kl_is_cross_entropy_minus_entropy_and_not_symmetric():
    p, q = np.array([0.25, 0.25, 0.5]), np.array([0.4, 0.4, 0.2])
    kl = classification.kl_divergence(p, q)
    assert kl == pytest.approx(classification.cross_entropy(p, q) - classification.entropy(p))
    assert kl == pytest.approx(0.32192809489)
    assert classification.kl_divergence(q, p) == pytest.approx(0.27807190511)
    assert classification.kl_divergence(p, p) == pytest.approx(0.0)


def test_one_hot_rows_and_dtype():
    out = classification.one_hot(np.array([2, 0]), 4)
    assert out.dtype == float and out.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0]]


def test_logistic_regression_fit_reference():
    X, y = datasets.two_clusters()
    w, b, losses = classification.logistic_regression_fit(X, y, 0.5, 200)
    assert w.shape == (2,) and isinstance(b, float) and len(losses) == 200
    assert losses[0] == pytest.approx(np.log(2)) and losses[-1] < 0.12
    assert np.all(np.diff(losses) < 0)
    # the step is the gradient of the mean cross-entropy
    w0, b0 = np.array([0.3, -0.2]), 0.1

    def loss_of(params):
        return layers.binary_cross_entropy(layers.sigmoid(X @ params[:2] + params[2]), y)

    numeric = gradcheck.numerical_gradient(loss_of, np.array([*w0, b0]))
    a = layers.sigmoid(X @ w0 + b0)
    analytic = np.array([*(X.T @ (a - y) / len(y)), np.mean(a - y)])
    assert gradcheck.relative_error(numeric, analytic) < 1e-7
    acc = np.mean((classification.logistic_regression_predict(X, w, b) > 0.5) == (y == 1))
    assert acc > 0.9


def test_two_clusters_is_reproducible_and_balanced():
    X1, y1 = datasets.two_clusters(n=50, seed=3)
    X2, y2 = datasets.two_clusters(n=50, seed=3)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert X1.shape == (50, 2) and y1.shape == (50,) and y1.sum() == 25
    assert not np.array_equal(X1, datasets.two_clusters(n=50, seed=4)[0])


# ---------------------------------------------------------------------------------- plot and widget

def test_loss_curves_draw_one_line_per_curve():
    ax = plots.loss_curves({"a": [3, 2, 1], "b": np.array([1.0, 0.5])}, logy=True, title="t")
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    plt.close("all")


def test_loss_explorer_shows_the_seed_hinge_example():
    explorer = widgets.loss_explorer(layers.softmax_cross_entropy, layers.hinge_loss)
    assert explorer.state["ready"] and explorer.state["hinge"] == pytest.approx(5.5)
    assert explorer.state["violators"] == [1, 2]
    explorer.sliders[3].value = 16.0          # true class far ahead: hinge 0, cross-entropy small but positive
    assert explorer.state["hinge"] == 0.0 and 0 < explorer.state["cross_entropy"] < 0.2
    assert explorer.state["draws"] == 2
    plt.close("all")


def test_loss_explorer_waits_for_unfinished_exercises():
    def stub(scores, y):
        raise NotImplementedError()

    explorer = widgets.loss_explorer(stub, stub)
    assert explorer.state == {"ready": False} and "Exercises 6 and 7" in explorer.readout.value
    plt.close("all")


# ---------------------------------------------------------------------------------- diagnoses

_cells = iter(range(1, 10_000))


@pytest.fixture()
def fresh_guard():
    from dlcourse.checks import guard

    guard.deactivate()
    yield
    guard.deactivate()


def _notebook(*sources: str) -> dict:
    """A namespace in which each source ran as a notebook cell of the student's (IPython's cell file name)."""
    ns = {"np": np, "sigmoid": layers.sigmoid}
    for source in sources:
        exec(compile(source, f"/tmp/ipykernel_4242/{next(_cells)}.py", "exec"), ns)
    return ns


_BCE = ("def binary_cross_entropy(y_hat, y):\n    p = np.clip(y_hat, 1e-12, 1 - 1e-12)\n"
        "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))\n")
_FIT = ("def logistic_regression_fit(X, y, learning_rate, iterations):\n"
        "    X, y = np.asarray(X, float), np.asarray(y, float)\n    w, b, losses = np.zeros(X.shape[1]), 0.0, []\n"
        "    for _ in range(iterations):\n        a = sigmoid(X @ w + b)\n"
        "        losses.append(binary_cross_entropy(a, y))\n        w = w - learning_rate * X.T @ (a - y) / len(y)\n"
        "        b = b - learning_rate * float(np.mean(a - y))\n    return w, b, losses\n")
_SCE = ("def softmax_cross_entropy(scores, y):\n    s = scores - scores.max(axis=1, keepdims=True)\n"
        "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n    N = len(y)\n"
        "    return float(-np.mean(np.log(p[np.arange(N), y]))), (p - np.eye(s.shape[1])[y]) / N\n")


def test_the_checks_pass_the_references_answers_written_by_hand(fresh_guard, capsys):
    ns = _notebook(_BCE, _FIT, _SCE)
    diagnose.check_binary_cross_entropy(ns)
    diagnose.hidden_binary_cross_entropy(ns)
    diagnose.check_logistic_regression_fit(ns)
    diagnose.check_softmax_cross_entropy(ns)
    diagnose.hidden_softmax_cross_entropy(ns)
    out = capsys.readouterr().out
    assert out.count("✔") == 3 and "standing in" not in out


def test_a_shift_by_the_global_maximum_is_named(fresh_guard):
    ns = _notebook(_SCE.replace("scores.max(axis=1, keepdims=True)", "scores.max()"))
    with pytest.raises(CheckFailed) as info:
        diagnose.check_softmax_cross_entropy(ns)
    assert info.value.mistake == "softmax_cross_entropy:global-max-shift" and "whole batch" in info.value.message
    ns = _notebook(_SCE.replace("scores - scores.max(axis=1, keepdims=True)", "scores"))
    with pytest.raises(CheckFailed) as info:
        diagnose.check_softmax_cross_entropy(ns)
    assert info.value.mistake == "softmax_cross_entropy:softmax-overflow"


def test_a_right_fit_on_a_wrong_binary_cross_entropy_keeps_its_points_and_a_wrong_one_blames_it(fresh_guard, capsys):
    ns = _notebook(_BCE.replace("-np.mean", "-np.sum"), _FIT)
    diagnose.check_logistic_regression_fit(ns)          # the reference stands in for the wrong loss
    diagnose.hidden_logistic_regression_fit(ns)
    assert "standing in" in capsys.readouterr().out
    ns = _notebook(_BCE.replace("-np.mean", "-np.sum"), _FIT.replace("learning_rate * X.T", "-learning_rate * X.T"))
    with pytest.raises(CheckFailed) as info:
        diagnose.check_logistic_regression_fit(ns)
    assert info.value.mistake == "binary_cross_entropy:fix-first" and "Fix binary_cross_entropy first" in info.value.message


def test_kl_with_zeros_in_p_and_q_alike(fresh_guard):
    entropy = ("def entropy(p, base=2):\n    p = np.asarray(p, float)\n"
               "    return -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1) / np.log(base)\n")
    naive = ("def kl_divergence(p, q, base=2):\n    p, q = np.asarray(p, float), np.asarray(q, float)\n"
             "    return -np.sum(p * np.log(q), axis=-1) / np.log(base) - entropy(p, base)\n")
    with pytest.raises(CheckFailed) as info:
        diagnose.check_kl_divergence(_notebook(entropy, naive))
    assert "also where q_k = 0" in info.value.message
    right = naive.replace("p * np.log(q)", "np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0)")
    ns = _notebook(entropy, right)
    diagnose.check_kl_divergence(ns)
    diagnose.hidden_kl_divergence(ns)


def test_the_reference_is_out_of_reach(fresh_guard):
    ns = _notebook("import dlcourse.layers as L\ndef hinge_loss(scores, y):\n    return L.hinge_loss(scores, y)\n")
    with pytest.raises(CheckFailed) as info:
        diagnose.check_hinge_loss(ns)
    assert "uses the course's reference `dlcourse.layers.hinge_loss`" in info.value.message
    with pytest.raises(CheckFailed, match="course's reference"):
        diagnose.check_one_hot(_notebook("from dlcourse.classification import one_hot\n"))


def test_as_number_says_what_to_fix():
    assert diagnose.as_number(np.float64(2.5), "f", "Exercise 1") == 2.5
    with pytest.raises(CheckFailed, match="not one number") as info:
        diagnose.as_number(np.zeros(3), "kl_divergence", "Exercise 4")
    assert "fix Exercise 4 first" in info.value.message


def _named(wrong, expected, mistakes, phrase):
    with pytest.raises(CheckFailed, match=phrase):
        check(wrong, expected, "value", mistakes=mistakes)


def test_mistakes_are_named():
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1, 0, 1])
    right = layers.binary_cross_entropy(p, y)
    _named(-right, right, diagnose.bce_mistakes(p, y), "minus sign")
    _named(3 * right, right, diagnose.bce_mistakes(p, y), "MEAN")

    scores, labels = np.array([[8.0, 14.0, 9.5, 10.0]]), np.array([3])
    loss_m, grad_m = diagnose.hinge_mistakes(scores, labels)
    _named(6.5, 5.5, loss_m, "adds 1 per sample")
    _named(np.array([[0.0, 1.0, 1.0, 0.0]]), np.array([[0.0, 1.0, 1.0, -2.0]]), grad_m, "-count")

    S, t = np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]]), np.array([0, 2])
    loss, d = layers.softmax_cross_entropy(S, t)
    loss_m, grad_m = diagnose.softmax_ce_mistakes(S, t)
    _named(d * 2, d, grad_m, "1/N")
    _named(layers.softmax(S) / 2, d, grad_m, "-1 at the true class")

    pp, qq = np.array([0.25, 0.25, 0.5]), np.array([0.4, 0.4, 0.2])
    _named(classification.kl_divergence(qq, pp), classification.kl_divergence(pp, qq), diagnose.kl_mistakes(pp, qq),
           "swapped")
    _named(classification.entropy(pp) * np.log(2), 1.5, diagnose.entropy_mistakes(pp), "natural log")
    _named(np.ones((2, 3)), classification.one_hot(np.array([0, 1]), 3), diagnose.one_hot_mistakes(np.array([0, 1]), 3),
           "ROWS")


def test_fit_variants_differ_from_the_reference():
    X = np.array([[0.5, 1.0], [2.0, -1.0], [-1.0, 0.5]])
    y = np.array([1, 0, 1])
    w, b, losses = classification.logistic_regression_fit(X, y, 0.5, 3)
    rw, rb, rl = diagnose.fit_variant(X, y, 0.5, 3)
    assert np.allclose(w, rw) and b == pytest.approx(rb) and np.allclose(losses, rl)
    assert diagnose.fit_variant(X, y, 0.5, 3, bias=False)[1] == 0.0
    assert not np.allclose(diagnose.fit_variant(X, y, 0.5, 3, sign=-1.0)[0], w)
    assert diagnose.fit_variant(X, y, 0.5, 3, record="after")[2][0] == pytest.approx(losses[1])
