"""Package code of lesson 07 (training deep networks): the valley, spiral and body data, the
optimizer runner, the plots, the optimizer race widget and the diagnoses of dlcourse.checks.training."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import datasets, gradcheck, layers, optim, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed  # noqa: E402
from dlcourse.checks import training as tc  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- datasets
def test_valley_minimum_and_gradient():
    assert datasets.valley_loss(datasets.VALLEY_MINIMUM) == 0.0
    assert np.allclose(datasets.valley_grad(np.array(datasets.VALLEY_MINIMUM)), 0.0)
    p = np.array([-1.2, 0.7])
    numeric = gradcheck.numerical_gradient(datasets.valley_loss, p.copy())
    assert np.allclose(datasets.valley_grad(p), numeric, rtol=1e-6)
    grid = np.zeros((4, 5, 2))
    assert datasets.valley_loss(grid).shape == (4, 5) and datasets.valley_grad(grid).shape == (4, 5, 2)


def test_spiral_and_heights_weights_are_reproducible():
    X, y = datasets.spiral(50, classes=3, seed=1)
    assert X.shape == (150, 2) and y.shape == (150,) and set(y) == {0, 1, 2}
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)
    X2, y2 = datasets.spiral(50, classes=3, seed=1)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    body = datasets.heights_weights(400, seed=0)
    assert body.shape == (400, 2) and np.array_equal(body, datasets.heights_weights(400, seed=0))
    assert np.corrcoef(body.T)[0, 1] > 0.7


# ----------------------------------------------------------------------------- run_optimizer
def test_run_optimizer_paths_schedule_and_divergence():
    path = optim.run_optimizer(optim.adam, datasets.valley_grad, datasets.VALLEY_START, 20, {"learning_rate": 0.1})
    assert path.shape == (21, 2) and np.array_equal(path[0], datasets.VALLEY_START)
    diverged = optim.run_optimizer(optim.sgd, datasets.valley_grad, datasets.VALLEY_START, 150, {"learning_rate": 0.05})
    assert len(diverged) < 151 and np.all(np.isfinite(diverged))
    seen = []

    def recording_sgd(w, dw, config):
        seen.append(config["learning_rate"])
        return optim.sgd(w, dw, config)

    optim.run_optimizer(recording_sgd, datasets.valley_grad, (0.0, 0.0), 3, schedule=lambda k: 0.1 / (k + 1))
    assert np.allclose(seen, [0.1, 0.05, 0.1 / 3])
    a = optim.run_optimizer(optim.sgd, datasets.valley_grad, (0.0, 0.0), 5, noise=1.0, seed=3)
    b = optim.run_optimizer(optim.sgd, datasets.valley_grad, (0.0, 0.0), 5, noise=1.0, seed=3)
    assert np.array_equal(a, b)


# ----------------------------------------------------------------------------- plots and widget
def test_lesson07_plots_draw():
    assert plots.histograms({"a": np.random.default_rng(0).normal(size=100)}).patches
    assert len(plots.layer_statistics({"He": [1.0, 0.9, 1.1]}).lines) == 1
    paths = {"SGD": np.array([[0.0, 2.5], [0.5, 1.0]]), "Adam": np.array([[0.0, 2.5], [1.0, 1.0]])}
    ax = plots.optimizer_paths(datasets.valley_loss, paths, minimum=(1, 1), resolution=40)
    assert len(ax.lines) >= 7
    assert len(plots.loss_curves({"run": [3.0, 2.0, 1.0]}).lines) == 1
    assert len(plots.update_ratios({"W1": [1e-3, 2e-3, np.nan]}).lines) >= 2
    axes = plots.point_clouds({"raw": datasets.heights_weights(50), "other": np.eye(2)})
    assert len(axes) == 2 and "cov" in axes[0].get_title()


def test_optimizer_race_reacts_to_its_controls():
    race = widgets.optimizer_race(steps=30, show=("SGD", "Adam"))
    assert set(race.state["final_loss"]) == {"SGD", "Adam"}
    draws = race.state["draws"]
    race.boxes["momentum"].value = True
    assert "momentum" in race.state["final_loss"] and race.state["draws"] == draws + 1
    race.scale.value = 10.0
    assert np.isnan(race.state["final_loss"]["SGD"])          # diverged: no final loss
    assert race.state["lengths"]["Adam"] == 31
    assert "diverged" in race.table.value


# ----------------------------------------------------------------------------- checks.training
_W = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
_DW = np.array([[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]])


def _distinct(values: dict, expected) -> None:
    """Every named mistake differs from the right answer and from every other mistake."""
    items = list(values.items())
    for i, (name, value) in enumerate(items):
        value = np.asarray(value, dtype=float)
        assert not np.allclose(value, expected, rtol=1e-6, atol=1e-8, equal_nan=True), name
        for other, other_value in items[i + 1:]:
            assert not np.allclose(value, np.asarray(other_value, dtype=float), rtol=1e-6, atol=1e-8), (name, other)


def test_optimizer_mistakes_are_distinct_on_the_visible_inputs():
    cfg = {"learning_rate": 0.1, "momentum": 0.8, "velocity": np.array([[0.05, 0.0, -0.1], [0.2, -0.05, 0.01]])}
    _distinct(tc.momentum_mistakes(_W, _DW, cfg), optim.sgd_momentum(_W, _DW, dict(cfg))[0])
    dw = np.array([[0.3, -0.2, 1e-5], [-0.4, 2e-5, 0.1]])
    cfg = {"learning_rate": 0.01, "decay_rate": 0.9, "epsilon": 1e-8,
           "cache": np.array([[0.04, 0.01, 0.0], [0.09, 0.0, 0.02]])}
    _distinct(tc.rmsprop_mistakes(_W, dw, cfg), optim.rmsprop(_W, dw, dict(cfg))[0])
    dw = np.array([[0.3, -0.2, 0.05], [-0.4, 1e-5, 0.1]])
    cfg = {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-8, "t": 4,
           "m": np.array([[0.1, 0.0, -0.05], [0.2, 0.0, 0.0]]), "v": np.array([[0.02, 0.01, 0.001], [0.05, 0.0, 0.004]])}
    _distinct(tc.adam_mistakes(_W, dw, cfg), optim.adam(_W, dw, dict(cfg))[0])


def test_batchnorm_and_clip_mistakes_are_distinct():
    x = np.array([[1.0, 10.0, 0.50], [2.0, 14.0, 0.51], [4.0, 9.0, 0.49], [7.0, 11.0, 0.52], [6.0, 16.0, 0.50]])
    gamma, beta = np.array([1.5, 0.5, 2.0]), np.array([0.1, -0.2, 0.3])
    out, cache = layers.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    _distinct(tc.batchnorm_out_mistakes(x, gamma, beta, {"mode": "train"}), out)
    test_param = {"mode": "test", "running_mean": np.array([3.0, 12.0, 0.5]), "running_var": np.array([4.0, 9.0, 0.01])}
    _distinct(tc.batchnorm_out_mistakes(x, gamma, beta, test_param), layers.batchnorm_forward(x, gamma, beta, dict(test_param))[0])
    dout = np.random.default_rng(0).normal(size=x.shape)
    _distinct(tc.batchnorm_backward_mistakes(dout, cache), layers.batchnorm_backward(dout, cache)[0])
    # momentum 0.8: the two conventions of momentum give different running averages (0.5 would not tell them apart)
    param = {"mode": "train", "momentum": 0.8, "running_mean": np.array([1.0, 2.0, 3.0])}
    updated = dict(param)
    layers.batchnorm_forward(x, gamma, beta, updated)
    mistakes = tc.running_mistakes(x, param, "running_mean")
    wrong = next(v for k, v in mistakes.items() if k[0] == "momentum-convention")
    assert not np.allclose(wrong, updated["running_mean"])
    grads = [np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([12.0, 0.0, 0.0])]
    for max_norm, slug in ((5.0, "clipped-each-alone"), (20.0, "always-scaled")):  # each mistake shows where it matters
        right = optim.clip_by_global_norm(grads, max_norm)[0]
        wrong = next(v for k, v in tc.clip_mistakes(grads, max_norm).items() if k[0] == slug)
        assert not all(np.allclose(a, b) for a, b in zip(wrong, right)), slug
    three = [np.array([[1.0, -2.0], [2.0, 0.5]]), np.array([-4.0]), np.array([[0.5], [3.0]])]
    slugs = {k[0] for k in tc.clip_mistakes(three, 2)}
    assert {"clipped-by-value", "clipped-by-own-norm"} <= slugs   # told apart where they differ


def _ns(**functions):
    return dict(functions)


def test_checks_name_the_mistake():
    def flipped(w, dw, config=None):
        config = {} if config is None else config
        v = config.get("momentum", 0.9) * config.get("velocity", 0) + config.get("learning_rate", 1e-2) * dw
        config["velocity"] = v
        return w + v, config

    cfg = {"learning_rate": 0.1, "momentum": 0.8, "velocity": np.ones_like(_W)}
    with pytest.raises(CheckFailed, match="sign is flipped") as info:
        tc.check_step(flipped, optim.sgd_momentum, _W, _DW, cfg, name="sgd_momentum",
                      mistakes=tc.momentum_mistakes(_W, _DW, cfg))
    assert info.value.mistake == "sgd_momentum:sign-flipped"

    def no_defaults(w, dw, config=None):
        return w - config["learning_rate"] * dw, config

    with pytest.raises(CheckFailed, match="config may be None"):
        tc.check_defaults(no_defaults, optim.sgd, _W, _DW, {"learning_rate": 1e-2}, name="sgd")
    with pytest.raises(CheckFailed, match="same seed"):
        tc.check_rng_used(lambda fi, fo, rng: np.random.randn(fi, fo), 3, 2, name="he_init")
    with pytest.raises(CheckFailed, match="AFTER clipping"):
        tc.clip_case(lambda g, m: ([x * 5 / 13 for x in g], 5.0), [np.array([3.0, 4.0, 12.0])], 5.0)
    with pytest.raises(CheckFailed, match="in place"):
        tc.clip_case(lambda g, m: ([x.__imul__(0.5) for x in g], 3.0), [np.ones(3)], 1.0)
    tc.clip_case(optim.clip_by_global_norm, [np.array([3.0, 4.0]), np.ones((2, 2))], 1)
    tc.bn_forward_case(layers.batchnorm_forward, np.arange(12.0).reshape(4, 3) ** 1.5, np.ones(3), np.zeros(3),
                       {"mode": "train"})


def test_new_named_mistakes():
    """The mistakes of issue 12 each get a message that names them."""
    def copied_column(fan_in, fan_out, rng):
        return np.repeat(rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_in, 1)), fan_out, axis=1)

    with pytest.raises(CheckFailed, match="symmetry") as info:
        tc.check_he_weights(copied_column(800, 200, np.random.default_rng(0)), 800, 200, "he_init(800, 200, rng)")
    assert info.value.mistake == "he_init:symmetric-units"

    def by_value(grads, max_norm):
        return [np.clip(g, -max_norm, max_norm) for g in grads], float(np.sqrt(sum(np.sum(g * g) for g in grads)))

    with pytest.raises(CheckFailed, match="by value") as info:
        tc.clip_case(by_value, [np.array([[1.0, -2.0], [2.0, 0.5]]), np.array([-4.0]), np.array([[0.5], [3.0]])], 2)
    assert info.value.mistake == "clip_by_global_norm:clipped-by-value"

    def divides(grads, max_norm):
        norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
        return [g * min(1.0, max_norm / norm) for g in grads], norm

    with pytest.raises(CheckFailed, match="global norm is 0"):
        tc.check_clip_by_global_norm(_ns(clip_by_global_norm=divides))

    def eps_hat(w, dw, config=None):
        config = optim.adam(w, dw, config)[1]  # the state, then the step in Kingma and Ba's efficient form
        t, b1, b2 = config["t"], config["beta1"], config["beta2"]
        step = config["learning_rate"] * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        return w - step * config["m"] / (np.sqrt(config["v"]) + config["epsilon"]), config

    dw = np.array([[0.3, -0.2, 0.05], [-0.4, 1e-5, 0.1]])
    cfg = {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-8, "t": 4,
           "m": np.array([[0.1, 0.0, -0.05], [0.2, 0.0, 0.0]]), "v": np.array([[0.02, 0.01, 0.001], [0.05, 0.0, 0.004]])}
    with pytest.raises(CheckFailed, match="Kingma and Ba"):
        tc.check_step(eps_hat, optim.adam, _W, dw, cfg, name="adam", mistakes=tc.adam_mistakes(_W, dw, cfg))

    def pytorch(x, gamma, beta, bn_param):
        bn_param.setdefault("momentum", 0.1)
        mean = bn_param.get("running_mean", np.zeros(x.shape[1]))
        out, cache = layers.batchnorm_forward(x, gamma, beta, {"mode": "train"})
        bn_param["running_mean"] = (1 - bn_param["momentum"]) * mean + bn_param["momentum"] * x.mean(axis=0)
        bn_param["running_var"] = np.ones(x.shape[1]) * 0.9 + 0.1 * x.var(axis=0)
        return out, cache

    with pytest.raises(CheckFailed, match="PyTorch"):
        tc.check_batchnorm_forward(_ns(batchnorm_forward=pytorch))

    def changes_cache(dout, cache):
        x_hat, gamma, inv_std = cache
        x_hat *= 1.0 + 1e-3
        return layers.batchnorm_backward(dout, (x_hat.copy(), gamma, inv_std))

    with pytest.raises(CheckFailed, match="in place") as info:
        tc.check_batchnorm_backward(_ns(batchnorm_backward=changes_cache))
    assert info.value.mistake == "batchnorm_backward:mutates-input"


def test_the_course_answers_pass_every_check():
    answers = {"he_init": layers.he_init, "sgd_momentum": optim.sgd_momentum, "rmsprop": optim.rmsprop,
               "adam": optim.adam, "batchnorm_forward": layers.batchnorm_forward,
               "batchnorm_backward": layers.batchnorm_backward, "clip_by_global_norm": optim.clip_by_global_norm}
    for name, reference in answers.items():
        ns = {name: (lambda f: lambda *a, **k: f(*a, **k))(reference)}
        ns[name].__module__ = "__main__"
        getattr(tc, f"check_{name}")(ns)
        getattr(tc, f"hidden_{name}")(ns)


def test_race_rules_leave_out_unwritten_rules(capsys):
    def stub(w, dw, config=None):
        raise NotImplementedError

    rules = optim.race_rules(optim.sgd_momentum, stub, None)
    assert list(rules) == ["SGD", "momentum", "Nesterov", "Adagrad"]
    out = capsys.readouterr().out
    assert "rmsprop is not written yet (Exercise 3)" in out and "adam is not written yet (Exercise 4)" in out
