"""Checks of lesson 10 (debugging training): is a fix the right kind, and does the fixed run train?

A fix of a broken run is a dict of settings to change (`check_fix`), or, for the two bugs
in code, a function (`check_fixed_loss`, `check_shuffle`). Each check first looks at the
fix itself (format, which settings changed, values of the function on small inputs where
the plausible mistakes differ), then trains the fixed run from the given seeds and fails,
with a message that says what is still wrong, unless every run reaches the lesson's targets
(loss below `LOSS_TARGET`, accuracy above `ACCURACY_TARGET`). Visible tests use seeds 0 and 1;
hidden tests seeds 2 and 3 with longer training.
"""

from __future__ import annotations

import copy
import numbers

import numpy as np

from . import CheckFailed, check, check_own, check_that
from .. import debugging as dbg
from .. import layers

__all__ = ["check_fix", "check_fixed_loss", "check_shuffle", "VISIBLE_SEEDS", "HIDDEN_SEEDS", "HIDDEN_EPOCHS"]

VISIBLE_SEEDS = (0, 1)
HIDDEN_SEEDS = (2, 3)
HIDDEN_EPOCHS = 100

_TARGET = (f"target: loss below {dbg.LOSS_TARGET} and training accuracy above {dbg.ACCURACY_TARGET:.0%}, "
           "from every seed tried")

# What to look at again when a fix changes settings that cannot cure the run.
_WRONG_KEY = {
    "lr_too_high": "Look again at the first five steps of the loss curve and at the update/weight ratios: "
                   "how big is each step compared with the weights?",
    "zero_init": "Look at the weight gradients and the activations of the first step: while they are exactly 0, "
                 "no learning rate, clipping or data change can move the weights.",
    "unscaled_features": "Look at the inputs' two columns and at the gradient norms: no single learning rate "
                         "suits a feature measured in metres and one measured in millimetres.",
    "dead_relus": "Look at the pre-activation histogram of the hidden layer at the first step: where does it sit "
                  "relative to 0, and what does ReLU do there?",
    "exploding_gradients": "Look at the activation statistics layer by layer at the first step: how much does each "
                           "layer multiply the size of its input?",
}


def _fail(message: str, hint: str | None = None) -> None:
    __tracebackhide__ = True
    check_that(False, message, hint)


def _describe_changes(changes: dict) -> str:
    parts = []
    for key, value in changes.items():
        shown = getattr(value, "__name__", None) if callable(value) else repr(value)
        parts.append(f"{key} = {shown}")
    return ", ".join(parts)


def _train_all(name: str, fix: dict, seeds, epochs):
    __tracebackhide__ = True
    try:
        return [dbg.train_run(name, fix, seed=seed, epochs=epochs) for seed in seeds]
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - e.g. a value of the wrong type deep inside the training
        _fail(f"training run {name!r} with this fix raised {type(error).__name__}: {error}",
              "check the types of the values in your fix against the broken run's settings.")


def _first_failure(reports, seeds):
    for report, seed in zip(reports, seeds):
        if not report.trains:
            return report, seed
    return None, None


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(float(value))


def check_fix(name: str, fix, *, label: str = "your fix", seeds=VISIBLE_SEEDS, epochs: int | None = None) -> None:
    """Check a fix (a dict of settings to change) of the broken run `name`.

    Fails (CheckFailed) when `fix` is not a dict, names unknown settings, changes nothing,
    changes a setting that cannot cure this run (see `debugging.FIXABLE`), or when the fixed
    run does not reach the targets from every seed in `seeds` (with `epochs` epochs, default
    the run's own), and for run-specific kinds of wrong fix (a learning rate without a margin,
    a symmetric initialization, ...). The message says what is still wrong.
    """
    __tracebackhide__ = True
    check_that(isinstance(fix, dict),
               f"{label} should be a dict of the settings to change, like {{'some_setting': new_value}}, "
               f"but it is a {type(fix).__name__}.")
    unknown = sorted(k for k in fix if k not in dbg.DEFAULTS)
    check_that(not unknown,
               f"{label} names {unknown}, which {'is not a setting' if len(unknown) == 1 else 'are not settings'} "
               f"of the training run. The settings are: {', '.join(sorted(dbg.DEFAULTS))}.",
               "the data themselves cannot be changed (a real data set is what it is); change how the run treats them.")
    changes = dbg.changed_settings(name, fix)
    check_that(bool(changes),
               f"{label} changes nothing: every value in it is the broken run's own value.",
               "print the broken run's settings (section above) and change the one that causes the trouble.")
    outside = sorted(k for k in changes if k not in dbg.FIXABLE[name])
    if name == "dead_relus" and outside == ["activation"] and len(changes) == 1:
        report = dbg.train_run(name, fix, seed=seeds[0], epochs=epochs)
        _fail(f"activation = {changes['activation']!r} attacks a symptom: it lets some gradient through where a unit "
              f"is negative, but every unit still starts far below 0, and the run {'crawls' if not report.trains else 'trains only slowly'} "
              f"(from seed {seeds[0]}: {dbg.summarize(report)}). Leaky ReLU helps against units that die during "
              "training; these start dead.",
              "cure the cause: the units start dead because of how their biases start.")
    if outside:
        inside = {k: v for k, v in changes.items() if k in dbg.FIXABLE[name]}
        if inside:
            _fail(f"{label} changes {_describe_changes(inside)}, but also {_describe_changes({k: changes[k] for k in outside})}. "
                  "Change only what cures the cause, and keep every other setting as it was, so that you know what fixed it.")
        _fail(f"{label} changes {_describe_changes(changes)}, which does not touch the cause of this run's trouble.",
              _WRONG_KEY.get(name))
    _specific_before_training(name, changes, label)
    reports = _train_all(name, fix, seeds, epochs)
    report, seed = _first_failure(reports, seeds)
    if report is not None:
        _explain_failure(name, changes, report, seed, label)
    _specific_after_training(name, changes, reports, label)


def _specific_before_training(name: str, changes: dict, label: str) -> None:
    __tracebackhide__ = True
    if "learning_rate" in changes:
        lr = changes["learning_rate"]
        check_that(_is_number(lr) and lr > 0, f"learning_rate should be a positive number, but {label} sets it to {lr!r}.")
    if name == "zero_init":
        config = dbg.apply_fix(name, changes)
        check_that(config["init"] in ("he", "xavier", "normal", "constant", "zeros"),
                   f"init = {config['init']!r} is not one of the initializations: 'he', 'xavier', 'normal', "
                   "'constant' or 'zeros'.")
        if config["init"] == "zeros":
            _fail(f"{label} keeps init = 'zeros' (init_scale is used only by 'normal' and 'constant'), so every weight "
                  "still starts at exactly 0.")
        if config["init"] == "constant":
            _fail(f"with init = 'constant' every hidden unit starts with the same weights, so each one computes the same "
                  "output and receives the same gradient at every step: they stay identical forever, and 64 units "
                  "act like one. This is the symmetry problem.",
                  "the weights must start different from each other: draw them at random.")
    if name == "unscaled_features":
        check_that(changes.get("standardize") is True or changes.get("standardize") == 1,
                   f"standardize should be True, but {label} sets it to {changes.get('standardize')!r}.")
    if name == "dead_relus" and "bias_init" in changes:
        check_that(_is_number(changes["bias_init"]), f"bias_init should be a number, not {changes['bias_init']!r}.")
    if name == "exploding_gradients" and "clip_norm" in changes and changes["clip_norm"] is not None:
        check_that(_is_number(changes["clip_norm"]) and changes["clip_norm"] > 0,
                   f"clip_norm should be a positive number (or None), not {changes['clip_norm']!r}.")


def _explain_failure(name: str, changes: dict, report, seed: int, label: str) -> None:
    """The fixed run did not train from `seed`: say why, as specifically as the run allows."""
    __tracebackhide__ = True
    config = report.config
    where = f"from seed {seed}: {dbg.summarize(report)}"
    if name == "lr_too_high":
        lr = config["learning_rate"]
        if report.diverged or lr > 1.0:
            _fail(f"learning_rate = {lr:g} is still too large: {where}.",
                  "divide it by 10 and look at the loss of the first steps again.")
        ratio = float(np.nanmedian(report.update_ratios["W1"][: report.steps_done]))
        _fail(f"learning_rate = {lr:g} overshoots the other way: the loss falls now, but too slowly ({where}). "
              f"The median update/weight ratio of W1 is {ratio:.1e}, far below about 1e-3.",
              "pick a learning rate between the broken one and this one; try factors of 10 first.")
    if name == "zero_init" and config["init"] == "normal" and float(config["init_scale"]) < 0.05:
        _fail(f"init = 'normal' with init_scale = {config['init_scale']:g} breaks the symmetry, but weights that small "
              f"shrink the signal in every layer, so the run learns slowly ({where}).",
              "use a scale matched to each layer's fan-in: init = 'he' (for ReLU) or 'xavier'.")
    if name == "dead_relus":
        if config["activation"] != "relu" and config["bias_init"] <= -1.0:
            _fail(f"activation = {config['activation']!r} lets a little gradient through where the units are negative, "
                  f"but with bias_init = {config['bias_init']:g} every unit still starts far below 0, so the run "
                  f"crawls ({where}).",
                  "cure the cause: the units start dead because of how their biases start.")
    if name == "exploding_gradients":
        if config["init"] == "normal" and float(config["init_scale"]) >= 0.5:
            _fail(f"clipping keeps each step bounded, but the cause is untouched: with weights of std "
                  f"{config['init_scale']:g} every layer of 64 units multiplies the size of its input by about "
                  f"{np.sqrt(64 / 2 * config['init_scale'] ** 2):.1f}, the first loss is {report.losses[0]:.2g} "
                  f"(ln 3 = 1.10 is what a fresh network should give), and the run does not train ({where}).",
                  "fix the scale of the initial weights for this depth (and the clipping is then optional).")
        if config["init"] == "normal" and float(config["init_scale"]) < 0.15:
            _fail(f"with init_scale = {config['init_scale']:g} the weights are now too small for this depth: each layer "
                  "shrinks the signal, so the first layers hardly learn (vanishing gradients): " + where + ".",
                  "use a scale matched to each layer's fan-in: init = 'he' (for ReLU) or 'xavier'.")
    _fail(f"the fixed run still does not train {where} ({_TARGET}).",
          "train it with the dashboard and look at the loss curve, gradients, activations and update ratios again.")


def _specific_after_training(name: str, changes: dict, reports, label: str) -> None:
    __tracebackhide__ = True
    if name == "lr_too_high":
        lr = float(changes["learning_rate"])
        check_that(0.01 <= lr <= 1.0,
                   f"learning_rate = {lr:g} trains from these seeds, but without a margin: this network's training "
                   f"breaks down from about 2 upwards and crawls below about 0.005, so a value this close to the edge "
                   "works for some seeds and not for others.",
                   "choose a value well inside the range where it trains: between 0.01 and 1.")
    if name == "dead_relus":
        dead = max(float(r.dead_fraction["h1"][0]) for r in reports)
        check_that(dead <= 0.25,
                   f"with {label}, {dead:.0%} of the hidden units are still dead at the first step (they output 0 for "
                   "every sample of the batch). The run trains, but it wastes those units and depends on luck.",
                   "start the biases where ReLU units are alive for most inputs.")


# --------------------------------------------------------------------------------------- the softmax bug
def _column_max_variant(scores, y):
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    d = probs.copy()
    d[np.arange(N), y] -= 1.0
    return float(loss), d / N


_LOSS_SCORES = np.array([[2.0, -1.0, 0.5],
                         [0.3, 1.7, -0.4],
                         [-1.2, 0.1, 2.4],
                         [0.9, 0.0, -2.0]])
_LOSS_LABELS = np.array([0, 2, 1, 0])


def check_fixed_loss(fn, name: str = "fixed_softmax_loss", *, seeds=VISIBLE_SEEDS, epochs: int | None = None) -> None:
    """Check a repaired softmax cross-entropy `fn(scores, y) -> (loss, dscores)`, then train run 4 with it.

    Values are compared with `layers.softmax_cross_entropy` on a (4, 3) batch (not square, so an
    axis mix-up cannot hide), and the mistakes that fit the buggy code are named.
    """
    __tracebackhide__ = True
    check_own(fn, name)
    scores, y = _LOSS_SCORES.copy(), _LOSS_LABELS.copy()
    call = f"{name}(scores of shape (4, 3), y = {y.tolist()})"
    try:
        result = fn(scores.copy(), y.copy())
    except ValueError as error:
        _fail(f"{call} raised ValueError: {error}",
              "a sum over axis 1 of a (4, 3) array has shape (4,); keep the axis (keepdims=True) so that it divides "
              "each row, shape (4, 1).")
    except IndexError as error:
        _fail(f"{call} raised IndexError: {error}", "check which axis holds the samples (rows) and which the classes.")
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - any other failure of the student's code, in words
        _fail(f"{call} raised {type(error).__name__}: {error}")
    check_that(isinstance(result, tuple) and len(result) == 2,
               f"{call} should return a tuple (loss, dscores), like the buggy version, but returned "
               f"{type(result).__name__}.")
    loss, dscores = result
    ref_loss, ref_d = layers.softmax_cross_entropy(scores, y)
    bad_loss, bad_d = dbg.broken_softmax_loss(scores, y)
    col_loss, col_d = _column_max_variant(scores, y)
    check(loss, ref_loss, f"the loss of {call}", rtol=1e-6, mistakes={
        "it is the buggy value: the softmax still normalizes each column (over the samples), not each row.": bad_loss,
        "each row is now normalized, but you subtract the maximum of each COLUMN first. Softmax is unchanged only "
        "when one number is subtracted from a whole row: use max over axis 1 (keepdims=True).": col_loss,
    })
    check(dscores, ref_d, f"the dscores of {call}", rtol=1e-6, mistakes={
        "it is the buggy value: the probabilities are still normalized over the samples (axis 0).": bad_d,
        "you subtract the maximum of each COLUMN before a softmax over each row; use max over axis 1.": col_d,
    })
    with np.errstate(all="ignore"):
        big = fn(scores + 1000.0, y.copy())
    check_that(np.all(np.isfinite(np.asarray(big[1], dtype=float))) and np.isfinite(float(big[0])),
               f"{name}(scores + 1000, y) returns nan or inf: exp(1000) overflows. Adding the same number to every "
               "score must not change the softmax.",
               "keep the stabilizing shift of the buggy version: subtract each row's maximum before exp.")
    check(big[0], ref_loss, f"the loss of {name}(scores + 1000, y) (the same as for scores)", rtol=1e-6)
    from . import check_no_mutation
    check_no_mutation(fn, scores, y, name=name)
    reports = _train_all("softmax_axis", {"loss": fn}, seeds, epochs)
    report, seed = _first_failure(reports, seeds)
    if report is not None:
        _fail(f"with {name} the run still does not train from seed {seed}: {dbg.summarize(report)} ({_TARGET}).")


# --------------------------------------------------------------------------------------- the label bug
def check_shuffle(fn, name: str = "shuffle_together", *, seeds=VISIBLE_SEEDS, epochs: int | None = None) -> None:
    """Check a shuffle `fn(X, y, rng) -> (X_shuffled, y_shuffled)`, then train run 7 with it.

    Rows must keep their labels, appear exactly once, come out in a new order, depend only on
    `rng` (same seed, same order), and the inputs must be left unchanged.
    """
    __tracebackhide__ = True
    check_own(fn, name)
    n = 12
    X = np.column_stack([np.arange(n, dtype=float), 100.0 + np.arange(n)])
    y = np.arange(n)  # row i has label i, so a mismatch is visible
    X0, y0 = X.copy(), y.copy()
    call = f"{name}(X, y, rng) with X of shape ({n}, 2) and y = 0 .. {n - 1}"
    try:
        result = fn(X, y, np.random.default_rng(0))
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001
        _fail(f"{call} raised {type(error).__name__}: {error}",
              "rng is a np.random.Generator: rng.permutation(n) gives a random order of 0 .. n-1.")
    check_that(isinstance(result, tuple) and len(result) == 2,
               f"{call} should return a tuple (X_shuffled, y_shuffled), but returned {type(result).__name__}"
               + (f" of length {len(result)}." if isinstance(result, (tuple, list)) else "."))
    Xs, ys = (np.asarray(v) for v in result)
    check_that(np.array_equal(X, X0) and np.array_equal(y, y0),
               f"{name} changed X or y in place: the caller's arrays are now in another order.",
               "build new arrays with fancy indexing (X[order], y[order]) instead of rng.shuffle(X), which shuffles "
               "the array you pass in.")
    check_that(Xs.shape == (n, 2) and ys.shape == (n,),
               f"{call} returned arrays of shapes {Xs.shape} and {ys.shape}; expected ({n}, 2) and ({n},).")
    mismatch = np.flatnonzero(Xs[:, 0] != ys) if Xs.shape == (n, 2) else np.array([], dtype=int)
    if mismatch.size:
        j = int(mismatch[0])
        _fail(f"after {name}, rows and labels no longer match: the row that was number {int(Xs[j, 0])} now carries "
              f"label {int(ys[j])} (it should keep label {int(Xs[j, 0])}). This is the bug of run 7.",
              "draw ONE random order (rng.permutation(len(X))) and index both X and y with it.")
    check_that(sorted(ys.tolist()) == list(range(n)),
               f"after {name} some rows appear twice and others not at all: y is {ys.tolist()}.",
               "a shuffle is a permutation: rng.permutation(len(X)), not rng.integers or rng.choice with replacement.")
    check_that(not np.array_equal(ys, y0),
               f"{name} returned the rows in their original order: nothing was shuffled.",
               "draw a random order with the rng you are given: rng.permutation(len(X)).")
    again = fn(X0.copy(), y0.copy(), np.random.default_rng(0))
    check_that(np.array_equal(np.asarray(again[1]), ys),
               f"two calls of {name} with generators seeded alike (np.random.default_rng(0)) gave different orders, "
               "so a run cannot be repeated.",
               "draw the order from the `rng` argument, not from np.random.permutation or np.random.shuffle.")
    reports = _train_all("label_bug", {"shuffle": fn}, seeds, epochs)
    report, seed = _first_failure(reports, seeds)
    if report is not None:
        _fail(f"with {name} the run still does not train from seed {seed}: {dbg.summarize(report)} ({_TARGET}).")
