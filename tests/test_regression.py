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


# ------------------------------------------------------------------------------ checks
def _raises(fn, *args, text: str, **kwargs):
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    assert text in str(info.value), str(info.value)


def test_call_turns_errors_into_messages():
    def stub(x):
        raise NotImplementedError()

    _raises(rc.call, stub, 1, name="f(1)", text="not written yet")
    _raises(rc.call, lambda W, X: W @ X, np.ones(2), np.ones((3, 2)), name="g", text="called with an array of shape (2,)",
            hints={"matmul": "samples are rows"})
    _raises(rc.call, lambda: undefined_name, name="h", text="NameError")  # noqa: F821
    assert rc.call(lambda a: a + 1, 1, name="k") == 2


def test_check_unchanged_allows_rounding_only():
    x = np.array([0.1, 0.0, 3.0])
    rc.check_unchanged(x, x + np.array([1e-17, 1e-21, 0.0]), "f")
    _raises(rc.check_unchanged, x, x + np.array([0.0, 1e-5, 0.0]), "f", text="in place")


def test_numerical_gradient_mistakes_are_named():
    c, x = np.array([1.0, 0.5, 2.0]), np.array([1.0, -2.0, 0.5])
    mistakes = rc.numerical_gradient_mistakes(c, x, 1e-5)
    forward = c * (3 * x ** 2 + 3 * x * 1e-5 + 1e-10)
    _raises(check, forward, c * (3 * x ** 2 + 1e-10), "g", rtol=1e-6, atol=1e-6, mistakes=mistakes, text="forward")
    x2 = np.array([[1.0, -1.5], [0.5, 3.0]])
    c2 = np.ones_like(x2)
    rows = np.repeat(np.sum(3 * x2 ** 2, axis=1, keepdims=True), 2, axis=1)
    _raises(check, rows, 3 * x2 ** 2, "g", rtol=1e-6, atol=1e-6, mistakes=rc.numerical_gradient_mistakes(c2, x2, 1e-5),
            text="whole row")


def test_mse_and_backward_diagnoses():
    pred, y = np.array([1.0, 2.5, -1.0, 4.0]), np.array([1.5, 2.0, 0.0, 1.0])
    _raises(rc.check_mse_divisor, 10.5 / 1000, pred, y, text="by 1000")
    rc.check_mse_divisor(2.625, pred, y)
    loss_m, dpred_m = rc.mse_mistakes(pred, y)
    _raises(check, 10.5, 2.625, "loss", mistakes=loss_m, text="did not divide by N")
    _raises(check, pred - y, 2 * (pred - y) / 4, "dpred", mistakes=dpred_m, text="2/N")
    X, dout = np.ones((3, 2)), np.array([1.0, -2.0, 0.5])
    _raises(rc.check_backward_order, (np.ones(2), 1.0, np.ones((3, 2))), dout, X, text="wrong order")
    _raises(rc.check_backward_order, (np.ones((3, 2)), np.ones(2), dout), dout, X, text="one entry per sample")
    _raises(rc.check_backward_order, (np.ones(2), 1.0), dout, X, text="three things")


def test_standardize_and_descent_diagnoses():
    X = np.array([[1.0, 200.0], [3.0, 400.0], [5.0, 900.0], [7.0, 500.0]])
    _raises(rc.check_standardize_shapes, (X, 1.0, 1.0), X, text="single number")
    _raises(rc.check_standardize_shapes, (X, X.mean(axis=1), X.std(axis=1)), X, text="one per sample")
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
    W, b, losses = regression.gradient_descent(Xd, yd, 0.05, 4)
    assert np.allclose(rc.descent_reference(Xd, yd, 0.05, 4)[2], losses)


def test_finish_first_prints_instead_of_failing(capsys):
    with rc.finish_first("Exercise 5"):
        raise NotImplementedError()
    assert "Exercise 5" in capsys.readouterr().out
    with pytest.raises(ValueError), rc.finish_first("Exercise 5"):
        raise ValueError("a real bug")
