"""dlcourse.debugging (lesson 10's training harness), its checks, plots and dashboard: fast unit tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import debugging, layers, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed  # noqa: E402
from dlcourse.checks import debugging as checks  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_spiral_is_reproducible_and_balanced():
    X, y = debugging.spiral()
    X2, y2 = debugging.spiral()
    assert X.shape == (300, 2) and y.shape == (300,)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.abs(X).max() <= 1.0 + 1e-12
    Xmm, _ = debugging.load_run_data("spiral_mm")
    assert np.allclose(Xmm[:, 0], X[:, 0]) and np.allclose(Xmm[:, 1], 1000 * X[:, 1] + 2000)


def test_healthy_run_trains_and_records_everything():
    report = debugging.train_run("baseline")
    assert report.trains and not report.diverged
    assert report.losses.shape == (360,) and report.accuracy.shape == (60,)
    assert abs(report.losses[0] - np.log(3)) < 0.1  # a fresh 3-class network starts near ln 3
    assert set(report.grad_norms) == {"W1", "W2"} and set(report.dead_fraction) == {"h1"}
    assert 3e-4 < np.nanmedian(report.update_ratios["W1"]) < 3e-3
    assert report.first["activations"]["h1"].shape == (50, 64)
    assert report.last["grads"]["W2"].shape == (64, 3)


def test_training_is_deterministic_per_seed():
    a = debugging.train_run("baseline", seed=3, epochs=5)
    b = debugging.train_run("baseline", seed=3, epochs=5)
    c = debugging.train_run("baseline", seed=4, epochs=5)
    assert np.array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)


@pytest.mark.parametrize("name", list(debugging.BROKEN_RUNS))
def test_every_broken_run_fails_to_train(name):
    assert not debugging.train_run(name).trains


def test_each_broken_run_shows_its_symptom():
    assert debugging.train_run("lr_too_high").losses[:4].max() > 10  # loss jumps above ln 3 at once
    zero = debugging.train_run("zero_init")
    assert zero.grad_norms["W1"][0] == 0 and zero.grad_norms["W2"][0] == 0
    assert debugging.train_run("unscaled_features").losses[0] > 1000
    assert abs(debugging.train_run("softmax_axis").losses[0] - np.log(50)) < 0.2  # ln(batch size)
    dead = debugging.train_run("dead_relus")
    assert dead.dead_fraction["h1"][0] == 1.0 and np.all(dead.first["preactivations"]["h1"] < 0)
    deep = debugging.train_run("exploding_gradients")
    stds = [deep.act_std[f"h{i}"][0] for i in range(1, 7)]
    assert deep.diverged and all(b > 3 * a for a, b in zip(stds, stds[1:]))
    labels = debugging.train_run("label_bug")
    assert abs(labels.final_loss - np.log(3)) < 0.1 and 3e-4 < np.nanmedian(labels.update_ratios["W1"]) < 3e-3


def test_buggy_functions_are_buggy_and_references_are_right():
    scores = np.array([[2.0, -1.0, 0.5], [0.3, 1.7, -0.4], [-1.2, 0.1, 2.4], [0.9, 0.0, -2.0]])
    y = np.array([0, 2, 1, 0])
    loss, _ = debugging.broken_softmax_loss(scores, y)
    assert not np.isclose(loss, layers.softmax_cross_entropy(scores, y)[0])
    X = np.arange(20.0).reshape(10, 2)
    labels = np.arange(10)
    Xs, ys = debugging.broken_shuffle(X, labels, np.random.default_rng(0))
    assert not np.array_equal(Xs[:, 0] / 2, ys)
    Xs, ys = debugging.reference_shuffle(X, labels, np.random.default_rng(0))
    assert np.array_equal(Xs[:, 0] / 2, ys)


def test_apply_fix_and_changed_settings():
    config = debugging.apply_fix("lr_too_high", {"learning_rate": 0.1})
    assert config["learning_rate"] == 0.1 and debugging.BROKEN_RUNS["lr_too_high"]["learning_rate"] == 10.0
    assert debugging.changed_settings("dead_relus", {"bias_init": -3}) == {}
    assert debugging.changed_settings("dead_relus", dict(debugging.BROKEN_RUNS["dead_relus"], bias_init=0.0)) == \
        {"bias_init": 0.0}
    with pytest.raises(KeyError):
        debugging.train({"learning_rat": 0.1})


@pytest.mark.parametrize("name, fix", [
    ("lr_too_high", {"learning_rate": 0.1}),
    ("zero_init", {"init": "he"}),
    ("unscaled_features", {"standardize": True}),
    ("dead_relus", {"bias_init": 0.0}),
    ("exploding_gradients", {"init": "he"}),
])
def test_check_fix_accepts_the_right_fixes(name, fix):
    checks.check_fix(name, fix)


@pytest.mark.parametrize("name, fix, phrase", [
    ("lr_too_high", {"learning_rate": 1e-3}, "overshoots the other way"),
    ("lr_too_high", {"learning_rate": 5.0}, "still too large"),
    ("lr_too_high", {"momentum": 0.0}, "does not touch the cause"),
    ("lr_too_high", {"learning_rate": 0.1, "momentum": 0.5}, "but also"),
    ("zero_init", {"init": "constant", "init_scale": 0.1}, "symmetry"),
    ("unscaled_features", {"learning_rate": 1e-4}, "does not touch the cause"),
    ("dead_relus", {"bias_init": -1.0}, "still dead"),
    ("dead_relus", {"bias_init": -3.0}, "changes nothing"),
    ("exploding_gradients", {"clip_norm": 5.0}, "clipping keeps each step bounded"),
    ("exploding_gradients", {"nonsense": 1}, "not a setting"),
])
def test_check_fix_flags_wrong_fixes_with_a_message(name, fix, phrase):
    with pytest.raises(CheckFailed, match=phrase):
        checks.check_fix(name, fix)


def test_check_fixed_loss_and_check_shuffle():
    def good_loss(scores, y):
        return layers.softmax_cross_entropy(np.array(scores, dtype=float), y)

    checks.check_fixed_loss(good_loss)
    with pytest.raises(CheckFailed, match="buggy value"):
        checks.check_fixed_loss(lambda s, y: debugging.broken_softmax_loss(s, y))

    def good_shuffle(X, y, rng):
        order = rng.permutation(len(X))
        return X[order], y[order]

    checks.check_shuffle(good_shuffle)
    with pytest.raises(CheckFailed, match="no longer match"):
        checks.check_shuffle(lambda X, y, rng: debugging.broken_shuffle(X, y, rng))


def test_plots_draw_every_report():
    for name in ["baseline", "zero_init", "exploding_gradients"]:
        report = debugging.train_run(name)
        fig = plots.training_dashboard(report, title=name)
        assert len(fig.axes) == 6
        axes = plots.layer_histograms(report, "activations", "first")
        assert len(axes) == len(report.act_std)
        plots.layer_histograms(report, "grads", "last")
        plots.training_loss_curve(report)
        plots.update_ratio_curves(report)
        plots.gradient_norm_curves(report)


def test_run_dashboard_switches_runs_and_shows_fixes():
    board = widgets.run_dashboard("baseline", fixes={"lr_too_high": {"learning_rate": 0.1}, "zero_init": None})
    assert board.state["trains"] and board.state["run"] == "baseline"
    assert len(board.run.options) == 1 + len(debugging.BROKEN_RUNS) + 1
    board.run.value = ("lr_too_high", None)
    assert not board.state["trains"]
    board.run.value = ("lr_too_high", "fix")
    assert board.state["trains"] and board.state["variant"] == "fix"
    draws = board.state["draws"]
    board.seed.value = 1
    assert board.state["seed"] == 1 and board.state["draws"] == draws + 1
