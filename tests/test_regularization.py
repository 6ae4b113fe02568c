"""Unit tests of lesson 08's package code: datasets, reference functions, helpers, plots, widget, checks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import datasets, layers, plots, regularization as R, widgets  # noqa: E402
from dlcourse.checks import CheckFailed  # noqa: E402
from dlcourse.checks import regularization as D  # noqa: E402


# ------------------------------------------------------------------ datasets
def test_polynomial_data_is_reproducible_and_follows_the_line():
    x, y = datasets.polynomial_data(n=500, seed=3)
    x2, y2 = datasets.polynomial_data(n=500, seed=3)
    assert x.shape == y.shape == (500,)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert not np.array_equal(x, datasets.polynomial_data(n=500, seed=4)[0])
    assert x.min() >= -1 and x.max() <= 1
    assert abs(np.std(y - x) - 0.3) < 0.03          # noise 0.3 around y = x
    xq, yq = datasets.polynomial_data(n=50, coefficients=(1.0, 0.0, 2.0), noise=0.0, x_range=(0, 2), seed=0)
    assert np.allclose(yq, 1 + 2 * xq ** 2)


def test_sparse_linear_data():
    X, y, w = datasets.sparse_linear_data(n=40, d=10, informative=3, noise=0.0, seed=1)
    assert X.shape == (40, 10) and y.shape == (40,)
    assert np.allclose(w[:3], [3, -2, 1.5]) and np.all(w[3:] == 0)
    assert np.allclose(X @ w, y)


# ------------------------------------------------------------------ references
def test_reference_split_properties():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20) * 10
    parts = R.train_val_test_split(X, y, 0.2, 0.1, seed=5)
    assert [len(p) for p in parts] == [14, 14, 4, 4, 2, 2]
    rows = np.concatenate([parts[0][:, 0], parts[2][:, 0], parts[4][:, 0]]) // 2
    assert sorted(rows) == list(range(20))
    for k in (0, 2, 4):
        assert np.array_equal(parts[k][:, 0] // 2 * 10, parts[k + 1])
    D.split_case(R.train_val_test_split, n=19)
    D.split_case(R.train_val_test_split, n=1000, val_fraction=0.15, test_fraction=0.05, seed=4,
                  feature_shape=(3, 2), label_shape=(2,))


def test_reference_polynomial_ridge_and_early_stopping():
    assert np.allclose(R.polynomial_features(np.array([2.0, -1.0]), 2), [[1, 2, 4], [1, -1, 1]])
    assert np.allclose(R.ridge_fit(np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 2.0, 2.0]), 1.0),
                       [0.8, 0.6])
    assert R.early_stopping_epoch([0.9, 0.6, 0.6, 0.6, 0.5, 0.4], 2) == 1
    assert R.early_stopping_epoch([3.0, 2.0, 1.0], 5) == 2
    assert R.early_stopping_epoch(np.array([1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.6]), 2) == 3


def test_yours_says_which_exercise_is_unfinished_and_never_uses_a_reference():
    def stub(*args):
        raise NotImplementedError()

    f = R.yours(stub, "ridge_fit", 3)
    with pytest.raises(CheckFailed, match=r"ridge_fit is not written yet \(Exercise 3\)") as info:
        f(np.eye(3), np.ones(3), 1.0)
    assert info.value.mistake == "ridge_fit:not-done"
    assert R.yours(lambda X, y, lam: "mine", "ridge_fit", 3)(np.eye(3), np.ones(3), 1.0) == "mine"


def test_lesson_split_is_the_reference_split_of_the_lesson_data():
    x, y = datasets.polynomial_data(n=200, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(R.lesson_split(), R.train_val_test_split(x, y, seed=0)))


def test_train_classifier_with_dropout_and_l2():
    X, y = datasets.xor_points(40, noise=0.25, seed=3)
    Xv, yv = datasets.xor_points(200, noise=0.25, seed=4)
    plain = R.train_classifier(X, y, Xv, yv, hidden=(16, 16), steps=100, record_every=50)
    assert list(plain["step"]) == [0, 50, 100] and plain["train_loss"][-1] < plain["train_loss"][0]
    assert plain["predict"](Xv).shape == (200, 2)
    drop = R.train_classifier(X, y, Xv, yv, hidden=(16, 16), steps=100, record_every=50, dropout=0.5,
                              dropout_forward=layers.dropout_forward, dropout_backward=layers.dropout_backward)
    l2 = R.train_classifier(X, y, Xv, yv, hidden=(16, 16), steps=100, record_every=50, reg=0.1,
                            l2_penalty=layers.l2_penalty)
    assert not np.allclose(drop["train_loss"], plain["train_loss"]) and not np.allclose(l2["train_loss"], plain["train_loss"])


# ------------------------------------------------------------------ helpers
def test_shift_and_rotate_images():
    img = np.zeros((1, 5, 5))
    img[0, 2, 4] = 1.0                                     # right of the centre
    assert np.argwhere(R.rotate_images(img, 90)[0] > 0.5).tolist() == [[0, 2]]   # counter-clockwise: on top
    assert np.allclose(R.rotate_images(img, 0), img)
    assert np.argwhere(R.shift_images(img[0], -1, 1) > 0.5).tolist() == [[3, 3]]
    assert np.all(R.shift_images(img, 9, 0) == 0)
    aug = R.augment_digits(np.ones((3, 8, 8)), np.random.default_rng(0), copies=2)
    assert aug.shape == (6, 8, 8)


def test_nearest_neighbour_fit_linear_polynomial_run_and_random_features():
    train = np.array([[0.0, 0.0], [10.0, 10.0]])
    assert R.nearest_neighbour_predict(train, np.array([3, 7]), np.array([[1.0, 2.0], [9.0, 8.0]])).tolist() == [3, 7]
    X, y, _ = datasets.sparse_linear_data(seed=0)
    w_prox, losses = R.fit_linear(X, y, reg=0.3, steps=1500, proximal=True)
    assert np.sum(w_prox == 0) == 17 and losses.shape == (1500,)
    w_sub, _ = R.fit_linear(X, y, penalty=layers.l1_penalty, reg=0.3, steps=1500)
    assert np.sum(w_sub == 0) == 0
    P = R.polynomial_features(np.linspace(-1, 1, 12), 3)
    run = R.train_polynomial(P, np.linspace(-1, 1, 12), P, np.linspace(-1, 1, 12), epochs=50)
    assert run["weights"].shape == (50, 4) and run["val_loss"].shape == (50,)
    assert run["train_loss"][-1] < run["train_loss"][0]
    scores = R.random_feature_classifier(np.random.default_rng(0).random((30, 6)), np.arange(30) % 3, n_features=20,
                                         num_classes=3)
    assert scores(np.zeros((4, 6))).shape == (4, 3)


# ------------------------------------------------------------------ plots and widget
def test_plots_construct():
    x, y = datasets.polynomial_data(n=20, seed=0)
    plots.polynomial_fit(x, y, lambda g: g, x_val=x, y_val=y, truth=lambda g: g, title="t")
    plots.error_curves([0, 1, 2], [1, 0.5, 0.1], [1, 0.7, 2.0], xlabel="degree", mark=1)
    plots.search_scatter([1e-3, 1e-1, 10], [1.0, 0.5, 2.0], best=0.1)
    plots.early_stopping_curves(np.linspace(1, 0.1, 30), np.linspace(1, 0.5, 30), best=10, stopped=20)
    plots.weight_stems({"a": np.ones(5), "b": np.zeros(5)}, true=np.ones(5), threshold=0.1)
    plots.augmentation_grid(np.zeros((2, 8, 8)), np.zeros((2, 3, 8, 8)), labels=[1, 2])
    plots.dropout_picture(np.ones((3, 4)), np.ones((3, 4)) * 2)
    plots.ensemble_bars([0.7, 0.72], 0.8, ylim=(0.5, 0.9))
    plt.close("all")


def test_polynomial_explorer_redraws_and_waits_for_the_exercises():
    x, y = datasets.polynomial_data(n=60, seed=0)
    explorer = widgets.polynomial_explorer(R.polynomial_features, R.ridge_fit, x[:12], y[:12], x[12:], y[12:],
                                           degree=9, lam=1e-8)
    wiggly = explorer.state["val_mse"]
    explorer.lam.value = 0.1
    assert explorer.state["draws"] == 2 and explorer.state["val_mse"] < wiggly
    explorer.degree.value = 1
    assert explorer.state["degree"] == 1

    def stub(*args):
        raise NotImplementedError()

    waiting = widgets.polynomial_explorer(stub, stub, x[:12], y[:12], x[12:], y[12:])
    assert waiting.state == {"ready": False} and "Finish" in waiting.message.value
    plt.close("all")


# ------------------------------------------------------------------ checks: pass the reference, name mistakes
def _fails(fn, *args, match=None, **kwargs):
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    if match:
        assert match in str(info.value), str(info.value)
    return str(info.value)


def test_check_split_names_mistakes():
    def two_perms(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
        rng = np.random.default_rng(seed)
        N = len(X)
        X, y = X[rng.permutation(N)], y[rng.permutation(N)]
        a, b = round(val_fraction * N), round(val_fraction * N) + round(test_fraction * N)
        return X[b:], y[b:], X[:a], y[:a], X[a:b], y[a:b]

    def floor(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
        N = len(X)
        o = np.random.default_rng(seed).permutation(N)
        a, b = int(val_fraction * N), int(val_fraction * N) + int(test_fraction * N)
        return X[o[b:]], y[o[b:]], X[o[:a]], y[o[:a]], X[o[a:b]], y[o[a:b]]

    _fails(D.split_case, two_perms, n=19, match="no longer belong together")
    _fails(D.split_case, floor, n=19, match="rounded down")

    def blocks(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
        N, rng = len(X), np.random.default_rng(seed)
        a, b = N - round(val_fraction * N) - round(test_fraction * N), N - round(test_fraction * N)
        tr, va, te = (rng.permutation(np.arange(lo, hi)) for lo, hi in ((0, a), (a, b), (b, N)))
        return X[tr], y[tr], X[va], y[va], X[te], y[te]

    def global_seed(X, y, val_fraction=0.1, test_fraction=0.1, seed=0):
        np.random.seed(seed)
        N = len(X)
        o = np.random.permutation(N)
        a, b = round(val_fraction * N), round(val_fraction * N) + round(test_fraction * N)
        return X[o[b:]], y[o[b:]], X[o[:a]], y[o[:a]], X[o[a:b]], y[o[a:b]]

    state = np.random.get_state()
    _fails(D.split_case, blocks, n=19, match="before shuffling")
    _fails(D.split_case, global_seed, n=19, match="global generator")
    after = np.random.get_state()
    assert np.array_equal(state[1], after[1]) and state[2] == after[2]    # the check put the global state back


def test_check_polynomial_ridge_penalty_dropout():
    x = np.array([2.0, -1.0, 0.5])
    D.polynomial_features_case(R.polynomial_features, x, 3)
    _fails(D.polynomial_features_case, lambda v, d: np.vander(v, d + 1), x, 3, match="reverse order")
    _fails(D.polynomial_features_case, lambda v, d: v[:, None] ** np.arange(1, d + 1), x, 3, match="x^0")
    X, y = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 2.0, 2.0])
    D.ridge_case(R.ridge_fit, X, y, 1.0, expected=np.array([0.8, 0.6]))
    _fails(D.ridge_case, lambda X, y, lam: np.linalg.lstsq(X, y, rcond=None)[0], X, y, 1.0, match="plain least")
    _fails(D.ridge_case, lambda X, y, lam: np.linalg.solve(X.T @ X + lam * np.eye(2), y), X, y, 1.0,
           match="raised ValueError")
    W = [np.array([[1.0, -2.0], [0.0, 3.0]]), np.array([0.5, -0.5])]
    D.penalty_case(layers.l2_penalty, "l2", W, 0.1)
    D.penalty_case(layers.l1_penalty, "l1", W, 0.1)
    _fails(D.penalty_case, lambda ws, r: (r * sum(np.sum(w * w) for w in ws), [2 * r * w for w in ws]), "l2", W, 0.1,
           match="twice too large")
    _fails(D.penalty_case, lambda ws, r: (r * sum(np.sum(abs(w)) for w in ws), [r * w for w in ws]), "l1", W, 0.1,
           match="gradient of the L2 penalty")
    D.dropout_case(layers.dropout_forward, layers.dropout_backward, shape=(200, 100), p=0.3)

    def unscaled(x, p, mode, rng):
        if mode == "train":
            mask = rng.random(x.shape) >= p
            return x * mask, mask
        return x, None

    _fails(D.dropout_case, unscaled, layers.dropout_backward, shape=(200, 100), p=0.3, match="unchanged")

    def shared_mask(x, p, mode, rng):
        if mode == "train":
            mask = (rng.random(x.shape[1:]) >= p) / (1 - p)
            return x * mask, (mask, mode)
        return x.copy(), (None, mode)

    _fails(D.dropout_case, shared_mask, layers.dropout_backward, shape=(200, 100), p=0.3, match="every row")

    def greedy_backward(dout, cache):
        mask, mode = cache
        mask *= 1.0
        mask[0] = 0.0
        return dout * mask

    _fails(D.dropout_case, layers.dropout_forward, greedy_backward, shape=(20, 10), p=0.3, match="in place")
    nan_l1 = lambda ws, r: (r * sum(np.sum(abs(w)) for w in ws), [r * w / np.abs(w) for w in ws])  # noqa: E731
    _fails(D.penalty_case, nan_l1, "l1", W, 0.1, match="0 / 0")


def test_check_early_stopping_names_only_unambiguous_mistakes():
    cases = [([0.9, 0.6, 0.6, 0.6, 0.5, 0.4], 2), ([1.0, 0.8, 0.9, 0.85, 0.84, 0.7], 2), ([3.0, 2.0, 1.0], 5)]
    D.early_stopping_cases(R.early_stopping_epoch, cases)
    message = _fails(D.early_stopping_cases, lambda l, p: int(np.argmin(l)), cases)
    assert "ignore the patience" in message
    message = _fails(D.early_stopping_cases, lambda l, p: 0, cases)
    assert "Hint" in message                                  # no known mistake explains it: a generic hint
