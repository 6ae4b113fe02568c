"""Unit tests of the package code of lesson 03 (the dating regression): the survey generator,
`dlcourse.regression`, its plots and widget, and the diagnoses in `dlcourse.checks.regression`."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import datasets, plots, regression, widgets  # noqa: E402
from dlcourse.checks import CheckFailed, check  # noqa: E402
from dlcourse.checks import regression as rc  # noqa: E402
from dlcourse.layers import linear_backward, linear_forward, mse_loss  # noqa: E402


@pytest.fixture(scope="module")
def survey():
    return datasets.dating_survey()


# ------------------------------------------------------------------------------ the survey
def test_survey_is_reproducible_and_has_the_seed_ranges(survey):
    X, y = survey
    X2, y2 = datasets.dating_survey()
    assert X.shape == (1000, 2) and y.shape == (1000,)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert X[:, 0].min() >= 0 and X[:, 0].max() <= 25 and np.all(X[:, 0] == np.round(X[:, 0]))
    assert X[:, 1].min() >= 0 and X[:, 1].max() <= 9999 and np.all(X[:, 1] == np.round(X[:, 1]))
    truth = 0.8 * X[:, 0] + 0.003 * X[:, 1] + 2
    noise = y / truth - 1
    assert abs(noise.std() - 0.01) < 0.002 and abs(noise.mean()) < 0.002
    assert not np.array_equal(datasets.dating_survey(seed=1)[1], y)


def test_survey_in_thousands_is_the_same_people(survey):
    X, y = survey
    Xk, yk = datasets.dating_survey(income_unit="thousands")
    assert np.allclose(Xk[:, 1] * 1000, X[:, 1]) and np.array_equal(Xk[:, 0], X[:, 0]) and np.array_equal(yk, y)
    W, b = datasets.dating_truth("thousands")
    assert np.allclose(W, [0.8, 3.0]) and b == 2.0
    assert np.allclose(datasets.dating_truth()[0], [0.8, 0.003])
    with pytest.raises(ValueError):
        datasets.dating_survey(income_unit="cents")


def test_least_squares_is_within_one_percent_of_the_truth(survey):
    X, y = survey
    W, b = regression.least_squares(X, y)
    assert np.all(regression.relative_errors(W, b, *datasets.dating_truth()) < 0.005)


# ------------------------------------------------------------------------------ regression
def test_standardize_and_back(survey):
    X, y = survey
    Xs, mean, std = regression.standardize(X)
    assert np.allclose(Xs.mean(axis=0), 0) and np.allclose(Xs.std(axis=0), 1)
    Ws, bs = regression.least_squares(Xs, y)
    W, b = regression.to_original_units(Ws, bs, mean, std)
    Wd, bd = regression.least_squares(X, y)
    assert np.allclose(W, Wd) and np.isclose(b, bd)


def test_gradient_descent_matches_the_closed_form_and_the_layers(survey):
    X, y = survey
    Xk = X / [1.0, 1000.0]
    W, b, losses = regression.gradient_descent(Xk, y, 1e-3, 50)
    assert losses.shape == (50,) and np.isclose(losses[0], np.mean(y ** 2))
    path = regression.descent_path(Xk, y, 1e-3, 50)["path"]
    assert np.allclose(path[-1], np.append(W, b))
    assert np.allclose(regression.closed_form_path(Xk, y, 1e-3, [0, 1, 7, 50]), path[[0, 1, 7, 50]], atol=1e-10)
    # one step by hand with the reference layers
    out, cache = linear_forward(Xk, np.zeros(2), 0.0)
    _, dout = mse_loss(out, y)
    _, dW, db = linear_backward(dout, cache)
    assert np.allclose(path[1], -1e-3 * np.append(dW, db))


def test_descent_path_stops_at_an_overflow(survey):
    X, y = survey
    run = regression.descent_path(X, y, 1e-7, 400)
    assert run["diverged_at"] == 198 and len(run["losses"]) == 198 and np.all(np.isfinite(run["path"]))
    assert len(regression.descent_path(X, y, 1e-7, 400, stop_on_overflow=False)["losses"]) == 400


def test_iterations_to_within_counted_and_predicted_agree(survey):
    X, y = survey
    W_true, b_true = datasets.dating_truth()
    n_std = regression.iterations_to_within(X, y, W_true, b_true, 0.1, 1000, standardized=True)
    assert n_std == 25
    assert regression.predicted_iterations_to_within(X, y, W_true, b_true, 0.1, standardized=True) == n_std
    Xk = X / [1.0, 1000.0]
    Wk, _ = datasets.dating_truth("thousands")
    n_k = regression.iterations_to_within(Xk, y, Wk, b_true, 4e-3, 5000)
    assert n_k == regression.predicted_iterations_to_within(Xk, y, Wk, b_true, 4e-3) == 3882
    assert regression.steps_to_within(regression.descent_path(Xk, y, 4e-3, 4000)["path"], Wk, b_true) == n_k
    assert regression.iterations_to_within(Xk, y, Wk, b_true, 4e-3, 1000) is None       # not there yet
    assert regression.iterations_to_within(X, y, W_true, b_true, 1e-7, 1000) is None    # overflows
    assert regression.predicted_iterations_to_within(X, y, W_true, b_true, 1e-7) is None
    n_dollars = regression.predicted_iterations_to_within(X, y, W_true, b_true, 2.9e-8)
    assert 5e8 < n_dollars < 6e8
    before, at = regression.closed_form_path(X, y, 2.9e-8, [n_dollars - 1, n_dollars])
    assert regression.relative_errors(before[:2], before[2], W_true, b_true).max() > 0.01
    assert regression.relative_errors(at[:2], at[2], W_true, b_true).max() <= 0.01


def test_hessian_and_cost_grid(survey):
    X, y = survey
    lam = regression.hessian_eigenvalues(X)
    assert lam.shape == (3,) and np.all(np.diff(lam) > 0) and 2 / lam[-1] == pytest.approx(2.94e-8, rel=0.01)
    w1, w2 = np.array([0.1, 0.8]), np.array([0.002, 0.003, 0.004])
    J = regression.cost_grid(X, y, w1, w2, b=2.0)
    assert J.shape == (3, 2)
    assert np.isclose(J[1, 1], np.mean((X @ [0.8, 0.003] + 2.0 - y) ** 2))
    best = regression.cost_grid(X, y, w1, w2)
    direct = min(np.mean((X @ [0.1, 0.004] + b - y) ** 2) for b in np.linspace(-50, 50, 20001))
    assert best[2, 0] <= direct + 1e-6 and np.all(best <= J + 1e-9)


def test_minibatch_sgd_is_reproducible_and_learns(survey):
    X, y = survey
    Xs, mean, std = regression.standardize(X)
    a = regression.minibatch_sgd(Xs, y, 0.1, 3, 64, seed=0)
    b = regression.minibatch_sgd(Xs, y, 0.1, 3, 64, seed=0)
    assert np.array_equal(a["path"], b["path"]) and a["path"].shape == (3 * 16 + 1, 3)
    assert a["batch_losses"].shape == (48,) and a["epoch_losses"].shape == (4,)
    assert a["epoch_losses"][-1] < 0.1


# ------------------------------------------------------------------------------ plots and widget
def test_plots_draw(survey):
    X, y = survey
    run = regression.descent_path(X, y, 1e-7, 400, stop_on_overflow=False)
    fig, axes = plt.subplots(2, 3)
    plots.cost_surface(X, y, {"lr": run["path"]}, b=0.0, w1_range=(-0.1, 1.0), w2_range=(-0.001, 0.007),
                       truth=(0.8, 0.003), ax=axes[0, 0], notes={"10": (0.0, 0.0048)}, legend=False)
    plots.cost_surface(X, y, None, ax=axes[0, 1], equal_aspect=True)
    ax = plots.loss_curves({"blows up": run["losses"], "fine": np.geomspace(100, 1, 50)}, ax=axes[0, 2], xlabel="iteration")
    assert "overflow at iteration 198" in ax.get_legend().get_texts()[0].get_text()
    plots.parameter_trace({"W2": run["path"][:9, 1]}, target=0.003, ax=axes[1, 0])
    plots.dating_scatter(X, y, axes=axes[1, 1:])
    fig.canvas.draw()   # the log axes must survive values near the float limit
    plt.close("all")


def test_descent_explorer_reports_what_it_draws(survey):
    X, y = survey
    explorer = widgets.descent_explorer(X, y, truth=datasets.dating_truth())
    assert 0.5 in explorer.RATES and 0.9 in explorer.RATES and 3.2e-8 in explorer.RATES
    assert explorer.state["scaling"] == "dollars" and not explorer.state["diverged"]
    assert explorer.state["stable_below"] == pytest.approx(2.94e-8, rel=0.01)
    explorer.learning_rate.value = 1e-7
    assert explorer.state["diverged"] and explorer.state["diverged_at"] == 198
    explorer.scaling.value = "standardized"
    explorer.learning_rate.value = 0.1
    assert not explorer.state["diverged"]
    assert np.allclose(explorer.state["W"], regression.least_squares(X, y)[0], rtol=1e-6)
    explorer.scaling.value = "thousands"
    assert explorer.state["scaling"] == "thousands"
    plt.close("all")


def test_descent_explorer_runs_the_students_descent(survey):
    X, y = survey
    calls = []

    def mine(X, y, learning_rate, iterations):
        calls.append(iterations)
        return regression.gradient_descent(X, y, learning_rate, iterations)

    explorer = widgets.descent_explorer(X, y, scaling="standardized", learning_rate=0.5, iterations=30, descent=mine)
    assert 30 in calls and 0 in calls and not explorer.state["diverged"]
    assert np.allclose(explorer.state["W"], regression.least_squares(X, y)[0], rtol=1e-6)
    explorer.learning_rate.value = 1.0
    assert explorer.state["diverged"] or "growing" in explorer.message.value

    def stub(*args):
        raise NotImplementedError()
    assert "not written yet" in widgets.descent_explorer(X, y, descent=stub).message.value
    plt.close("all")


# ------------------------------------------------------------------------------ checks
def _raises(fn, *args, text: str, **kwargs):
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    assert text in str(info.value), str(info.value)


def test_numerical_gradient_mistakes_are_named():
    c, x = np.array([1.0, 0.5, 2.0]), np.array([1.0, -2.0, 0.5])
    mistakes = rc.numerical_gradient_mistakes(c, x, 1e-5)
    _raises(check, c * (3 * x ** 2 + 1e-10), c * (3 * x ** 2 + 0.25), "g", rtol=1e-6, atol=1e-6,
            mistakes=rc.numerical_gradient_mistakes(c, x, 0.5), text="use the argument h")
    forward = c * (3 * x ** 2 + 3 * x * 1e-5 + 1e-10)
    _raises(check, forward, c * (3 * x ** 2 + 1e-10), "g", rtol=1e-6, atol=1e-6, mistakes=mistakes, text="forward")
    x2 = np.array([[1.0, -1.5], [0.5, 3.0]])
    c2 = np.ones_like(x2)
    rows = np.repeat(np.sum(3 * x2 ** 2, axis=1, keepdims=True), 2, axis=1)
    _raises(check, rows, 3 * x2 ** 2, "g", rtol=1e-6, atol=1e-6, mistakes=rc.numerical_gradient_mistakes(c2, x2, 1e-5),
            text="whole row")


def test_mse_and_backward_diagnoses():
    pred, y = np.array([1.0, 2.5, -1.0, 4.0]), np.array([1.5, 2.0, 0.0, 1.0])
    _raises(rc._check_mse_divisor, 10.5 / 1000, pred, y, text="by 1000")
    rc._check_mse_divisor(2.625, pred, y)
    loss_m, dpred_m = rc.mse_mistakes(pred, y)
    _raises(check, 10.5, 2.625, "loss", mistakes=loss_m, text="did not divide by N")
    _raises(check, pred - y, 2 * (pred - y) / 4, "dpred", mistakes=dpred_m, text="2/N")


def test_descent_diagnoses():
    X = np.array([[1.0, 200.0], [3.0, 400.0], [5.0, 900.0], [7.0, 500.0]])
    _raises(check, (X - X.mean(0)) / X.std(0, ddof=1), (X - X.mean(0)) / X.std(0), "Xs",
            mistakes=rc.standardize_mistakes(X), text="ddof=1")
    Xd = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 1.5]])
    yd = np.array([3.0, 2.5, 5.5])
    rc.check_descent(rc.descent_reference(Xd, yd, 0.05, 4), Xd, yd, 0.05, 4, name="gd")
    _raises(rc.check_descent, rc.descent_reference(Xd, yd, 0.05, 4, loss_after=True), Xd, yd, 0.05, 4, name="gd",
            text="after each step")
    _raises(rc.check_descent, rc.descent_reference(Xd, yd, 0.05, 4, ascend=True), Xd, yd, 0.05, 4, name="gd",
            text="UP the slope")
    _raises(rc.check_descent, rc.descent_reference(Xd, yd, 0.05, 4, extra_loss=True), Xd, yd, 0.05, 4, name="gd",
            text="one too many")
    _raises(rc.check_descent, rc.descent_reference(Xd, yd, 0.05, 3), Xd, yd, 0.05, 4, name="gd", text="stopped early")
    W, b, losses = regression.gradient_descent(Xd, yd, 0.05, 4)
    assert np.allclose(rc.descent_reference(Xd, yd, 0.05, 4)[2], losses)


def test_sgd_reference_is_the_package_run(survey):
    X, y = survey
    Xs = regression.standardize(X)[0][:50]
    for B in (8, 50, 7):
        W, b, losses = rc.sgd_reference(Xs, y[:50], 0.05, 2, B, seed=3)
        run = regression.minibatch_sgd(Xs, y[:50], 0.05, 2, B, seed=3)
        assert np.allclose(W, run["W"]) and np.isclose(b, run["b"]) and np.allclose(losses, run["batch_losses"])
    once = rc.sgd_mistakes(Xs, y[:50], 0.05, 2, 8, seed=3)
    assert len(once) == 4 and all(len(w[2]) in (12, 14) for w in once.values())


# ------------------------------------------------------------------------------ the exercise checks
@pytest.fixture
def _no_guard():
    from dlcourse.checks import guard
    guard.deactivate()
    yield
    guard.deactivate()


def _answers() -> dict:
    """The lesson's exercises, right, written in a test module (own functions: check_own accepts them)."""
    def linear_forward(X, W, b):
        return X @ W + b, (X, W, b)

    def mse_loss(pred, y):
        d = pred - y
        return np.mean(d ** 2), 2 * d / d.size

    def linear_backward(dout, cache):
        X, W, b = cache
        return np.outer(dout, W), X.T @ dout, np.sum(dout)

    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + h
            fp = f(x)
            x[i] = old - h
            fm = f(x)
            x[i] = old
            grad[i] = (fp - fm) / (2 * h)
        return grad

    def standardize(X):
        return (X - X.mean(axis=0)) / X.std(axis=0), X.mean(axis=0), X.std(axis=0)

    def gradient_descent(X, y, learning_rate, iterations):
        W, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in range(iterations):
            out, cache = ns["linear_forward"](X, W, b)
            loss, dpred = ns["mse_loss"](out, y)
            _, dW, db = ns["linear_backward"](dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db
        return W, b, losses

    def minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=0):
        rng = np.random.default_rng(seed)
        W, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in range(epochs):
            order = rng.permutation(len(y))
            for start in range(0, len(y), batch_size):
                rows = order[start:start + batch_size]
                out, cache = ns["linear_forward"](X[rows], W, b)
                loss, dpred = ns["mse_loss"](out, y[rows])
                _, dW, db = ns["linear_backward"](dpred, cache)
                losses.append(loss)
                W, b = W - learning_rate * dW, b - learning_rate * db
        return W, b, losses

    ns = dict(locals())
    return ns


EXERCISES = ["linear_forward", "mse_loss", "linear_backward", "numerical_gradient", "gradient_descent", "standardize",
             "minibatch_sgd"]


def test_every_exercise_check_passes_right_answers(_no_guard, capsys):
    ns = _answers()
    for name in EXERCISES:
        getattr(rc, f"check_{name}")(ns)
    assert capsys.readouterr().out.count("✔") == len(EXERCISES)
    for name in ["linear_forward", "numerical_gradient", "gradient_descent", "minibatch_sgd"]:
        getattr(rc, f"hidden_{name}")(ns)


def test_a_wrong_mse_loss_is_blamed_not_the_update(_no_guard, capsys):
    ns = _answers()
    ns["mse_loss"] = lambda pred, y: (np.mean((pred - y) ** 2), 2 * (y - pred) / len(y))   # sign flipped
    rc.check_gradient_descent(ns)                        # the update is right: ✔, as when graded ...
    out = capsys.readouterr().out
    assert "your mse_loss is wrong: fix it first" in out and "✔ gradient_descent" in out   # ... naming mse_loss
    rc.hidden_gradient_descent(ns)
    ns["gradient_descent"] = lambda X, y, learning_rate, iterations: (np.zeros(X.shape[1]), 0.0, [0.0] * iterations)
    with pytest.raises(CheckFailed) as info:             # both wrong: the student's own failure
        rc.check_gradient_descent(ns)
    assert info.value.mistake.startswith("gradient_descent:")


def test_a_descent_that_stops_early_or_skips_a_diverging_rate_is_named(_no_guard):
    ns = _answers()
    right = ns["gradient_descent"]

    def stops(X, y, learning_rate, iterations):
        W, b, losses = right(X, y, learning_rate, iterations)
        finite = [l for l in losses if l < 1e6]
        return (W, b, losses) if len(finite) == len(losses) else (np.zeros(X.shape[1]), 0.0, finite)

    ns["gradient_descent"] = stops
    with pytest.raises(CheckFailed) as info:
        rc.check_gradient_descent(ns)
    assert info.value.mistake == "gradient_descent:stops-early" and "blows up" in info.value.message + "grows"


def test_numerical_gradient_that_ignores_h_is_named(_no_guard):
    ns = _answers()
    right = ns["numerical_gradient"]
    ns["numerical_gradient"] = lambda f, x, h=1e-5: right(f, x)
    with pytest.raises(CheckFailed) as info:
        rc.check_numerical_gradient(ns)
    assert info.value.mistake == "numerical_gradient:ignores-h"


def test_ready_names_the_exercise_to_finish():
    def stub(*args):
        raise NotImplementedError()
    _raises(rc.ready, {"standardize": stub}, "standardize", text="finish Exercise 6")
    _raises(rc.ready, {}, "minibatch_sgd", text="Exercise 7")
