"""Checks of lesson 10 (debugging training): the diagnosis of a run, and the fix of each broken run.

The lesson's runs have neutral names ("A" ... "G"); nothing here prints their cause unless a
student's answer is already wrong in a way that the message must explain.

- `diagnose(stats)` (the student's) names the cause of a run from its numbers
  (`debugging.run_stats`). The visible test (`check_diagnose`) checks it on the lesson's runs and
  calls it on runs of other sizes without judging those answers; the hidden test
  (`hidden_diagnose`) also judges its answers on the two mystery runs and on new runs made the way
  the lesson's runs are made (`debugging.make_run`), drawn from a seed the student does not see.
  That a ✔ can lose points here is deliberate, and the exercise says so.
- A fix of a broken run is a dict of settings to change (`check_fix`), or, for the two bugs in
  code, a function (`check_fixed_loss`, `check_shuffle`). Each check first looks at the fix itself
  (format, which settings changed, values of the function on small inputs where the plausible
  mistakes differ), then trains the fixed run from the given seeds and fails, with a message that
  says what is still wrong, unless every run reaches the lesson's targets (loss below
  `LOSS_TARGET`, accuracy above `ACCURACY_TARGET`), from seeds 0 and 1. The hidden tests train the
  same seeds as the visible ones, so that a ✔ means the points: they reuse the runs the visible test
  of the same cell has just trained (a run of plain settings is trained once per kernel by
  `debugging.train_run`; a run with the student's function is kept from the visible check to the
  hidden one of the same cell), and add checks of their own where they have any (the functions on
  other shapes).

Test cells call the `check_*(ns, ...)` functions (visible) and `hidden_*(ns, ...)` (hidden).
"""

from __future__ import annotations

import copy
import numbers

import numpy as np

from . import attempt, check, check_defined, check_no_mutation, check_own, own, check_that, passed
from .. import debugging as dbg
from .. import layers

__all__ = ["check_diagnose", "hidden_diagnose", "check_fix", "hidden_fix", "check_run_fix", "check_fixed_loss",
           "hidden_fixed_loss", "check_shuffle", "hidden_shuffle", "VISIBLE_SEEDS", "HIDDEN_SEEDS", "HIDDEN_EPOCHS",
           "DIAGNOSE_RUNS", "NEW_RUNS_PER_CAUSE", "NEW_RUNS_MISSES_ALLOWED"]

VISIBLE_SEEDS = (0, 1)
HIDDEN_SEEDS = VISIBLE_SEEDS   # the same seeds: visible and hidden tests accept the same fixes
HIDDEN_EPOCHS = None           # the run's own number of epochs
DIAGNOSE_RUNS = ("baseline", "A", "B", "C", "D", "E", "F", "G")
NEW_RUNS_PER_CAUSE = 2         # hidden test of diagnose: new runs of each cause
NEW_RUNS_MISSES_ALLOWED = 2    # ... of which this many may be diagnosed wrongly
_SHAPES_SEED = 7               # the visible test's runs of other sizes (answers not judged)

_TARGET = (f"target: loss below {dbg.LOSS_TARGET} and training accuracy above {dbg.ACCURACY_TARGET:.0%}, "
           "from every seed tried")

# What to look at again when a fix changes settings that cannot cure the run (instruments, not causes).
_WRONG_KEY = {
    "learning_rate": "Look again at the first five steps of the loss curve and at the update/weight ratios of the "
                     "first step.",
    "zero_init": "Look at the weight gradients and the activations of the first step, and ask what could make "
                 "them different from what you see.",
    "input_scale": "Look at the inputs the network is fed, column by column, and at the first loss.",
    "dead_relu": "Look at the pre-activation histogram of the hidden layer at the first step: where does it sit "
                 "relative to 0, and what does ReLU do there?",
    "weight_scale": "Look at the activation statistics layer by layer at the first step: how much does each layer "
                    "multiply the size of its input?",
}


def _fail(message: str, hint: str | None = None, mistake: str | None = None) -> None:
    __tracebackhide__ = True
    check_that(False, message, hint, mistake)


def _describe_changes(changes: dict) -> str:
    parts = []
    for key, value in changes.items():
        shown = getattr(value, "__name__", None) if callable(value) else repr(value)
        parts.append(f"{key} = {shown}")
    return ", ".join(parts)


# The runs the last visible check trained with a student's function: {key: (function, report)}. The
# hidden check of the same cell reuses them (same function object, seeds and epochs) instead of
# training them again; each visible check starts afresh, so nothing outlives one test cell's use.
_JUST_TRAINED: dict = {}


def _train_all(name: str, fix: dict, seeds, epochs, label: str, *, visible: bool = True):
    __tracebackhide__ = True
    if visible:
        _JUST_TRAINED.clear()
    functions = [(k, v) for k, v in sorted(fix.items(), key=lambda item: str(item[0])) if callable(v)]
    reports = []
    for seed in seeds:
        key = (name, tuple((k, id(v)) for k, v in functions), seed, epochs) if functions else None
        kept = _JUST_TRAINED.get(key) if key is not None and not visible else None
        if kept is not None and all(fn is v for fn, (_, v) in zip(kept[0], functions)):
            reports.append(kept[1])
            continue
        report = attempt(dbg.train_run, name, fix, seed=seed, epochs=epochs, name=f"run {name} with {label}",
                         hint="check the types of the values in your fix against the healthy run's settings.")
        if key is not None and visible:
            _JUST_TRAINED[key] = ([v for _, v in functions], report)
        reports.append(report)
    return reports


def _first_failure(reports, seeds):
    for report, seed in zip(reports, seeds):
        if not report.trains:
            return report, seed
    return None, None


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(float(value))


# --------------------------------------------------------------------------------------- the diagnosis
def _stats(name: str) -> dict:
    return dbg.run_stats(dbg.train_run(name))


def _answer(diagnose, stats: dict, what: str) -> str:
    """The student's diagnosis of one run, checked to be one of the named causes."""
    __tracebackhide__ = True
    answer = attempt(diagnose, stats, name=f"diagnose(stats of {what})",
                     hint="stats is a dict of numbers and arrays (print its keys); the runs differ in the number "
                          "of hidden layers, classes and steps, so index layers by what is in the dict.")
    check_that(isinstance(answer, str) and answer in dbg.CAUSES,
               f"diagnose(stats of {what}) returned {answer!r}; it should return one of the named causes: "
               f"{', '.join(repr(c) for c in dbg.CAUSES)}.",
               "return the cause's short name (a key of debugging.CAUSES), as a string.", "diagnose:not-a-cause")
    return answer


def _lesson_runs(diagnose) -> None:
    __tracebackhide__ = True
    for name in DIAGNOSE_RUNS:
        answer = _answer(diagnose, _stats(name), dbg.RUN_TITLES[name])
        if answer != dbg._cause(name):
            _fail(f"diagnose names {answer!r} for {dbg.RUN_TITLES[name]}, which is not its cause.",
                  "put that run's numbers beside the healthy run's (first loss, gradients, activations, dead "
                  "units, update ratios, inputs) and find the first instrument that differs; then make your rule "
                  "for that cause test exactly that.", "diagnose:wrong-cause")


_SHAPE_RUNS: list = []


def _shape_runs() -> list:
    """[(description, stats)]: runs of other sizes on which the visible test calls diagnose (trained once)."""
    if not _SHAPE_RUNS:
        rng = np.random.default_rng(_SHAPES_SEED)
        for cause in ("weight_scale", "healthy", "loss_axis"):
            config, data = dbg.make_run(cause, rng)
            report = dbg.train(config, data, seed=_SHAPES_SEED)
            _SHAPE_RUNS.append((f"a run with {len(config['hidden'])} hidden layer(s) of {config['hidden'][0]} units "
                                f"and {report.classes} classes", dbg.run_stats(report)))
    return _SHAPE_RUNS


def check_diagnose(ns) -> None:
    """Visible test of `diagnose`: right on the healthy run and runs A to G; answers runs of other sizes."""
    __tracebackhide__ = True
    diagnose = own(ns, "diagnose")
    _lesson_runs(diagnose)
    for what, stats in _shape_runs():
        _answer(diagnose, copy.deepcopy(stats), what)
    for name in dbg.MYSTERY_RUNS:
        _answer(diagnose, _stats(name), dbg.RUN_TITLES[name])
    passed("diagnose: the right cause for the healthy run and runs A to G, and an answer (not judged here) for runs "
           "of other sizes and the mystery runs; the hidden test judges those")


_NEW_RUNS: dict = {}


def _new_runs(seed: int) -> dict:
    """{cause: [(description, stats), ...]}: the hidden test's new runs, trained once per kernel and seed."""
    if seed not in _NEW_RUNS:
        rng = np.random.default_rng(seed)
        runs: dict = {}
        for cause in dbg.CAUSES:
            for _ in range(NEW_RUNS_PER_CAUSE):
                config, data = dbg.make_run(cause, rng)
                report = dbg.train(config, data, seed=int(rng.integers(0, 1000)))
                what = (f"a new run ({len(config['hidden'])} hidden layer(s) of {config['hidden'][0]}, "
                        f"{report.classes} classes, batches of {report.batch_size})")
                runs.setdefault(cause, []).append((what, dbg.run_stats(report)))
        _NEW_RUNS[seed] = runs
    return _NEW_RUNS[seed]


def hidden_diagnose(ns, seed: int) -> None:
    """Hidden test of `diagnose`: the lesson's runs, the mystery runs, and new runs of every cause from `seed`."""
    __tracebackhide__ = True
    diagnose = own(ns, "diagnose")
    _lesson_runs(diagnose)
    for name in dbg.MYSTERY_RUNS:
        if _answer(diagnose, _stats(name), dbg.RUN_TITLES[name]) != dbg._cause(name):
            _fail(f"diagnose names the wrong cause for {dbg.RUN_TITLES[name]}.",
                  "run it on the dashboard and compare each instrument with the healthy run.", "diagnose:mystery-run")
    wrong, missed_causes = [], []
    total = 0
    for cause, runs in _new_runs(seed).items():
        right = 0
        for what, stats in runs:
            answer = _answer(diagnose, copy.deepcopy(stats), what)
            total += 1
            if answer != cause:
                wrong.append(f"{what}: its cause is {cause!r}, diagnose says {answer!r}")
            else:
                right += 1
        if not right:
            missed_causes.append(cause)
    check_that(len(wrong) <= NEW_RUNS_MISSES_ALLOWED and not missed_causes,
               f"diagnose is right on the lesson's runs, but wrong on {len(wrong)} of {total} new runs made the same "
               f"way (at most {NEW_RUNS_MISSES_ALLOWED} may be wrong, and never every new run of one cause"
               + (f"; it recognizes no new run of {', '.join(repr(c) for c in missed_causes)}" if missed_causes else "")
               + "):\n  " + "\n  ".join(wrong),
               "a rule that fits the lesson's numbers (a threshold just below run B's loss, a first loss of exactly "
               "3,300) does not carry over; test each cause by what makes it that cause.", "diagnose:new-runs")


# --------------------------------------------------------------------------------------- fixes as settings
def check_fix(ns, run: str) -> None:
    """Visible test of `FIX_<run>` (a dict of settings to change): the right kind of change, and run trains."""
    __tracebackhide__ = True
    label = f"FIX_{run}"
    check_defined(ns, label)
    check_run_fix(run, ns[label], label=label)
    passed(f"{label}: only settings that cure the cause changed, and {dbg.RUN_TITLES[run]} now trains from seeds "
           f"{VISIBLE_SEEDS[0]} and {VISIBLE_SEEDS[1]}")


def hidden_fix(ns, run: str) -> None:
    """Hidden test of `FIX_<run>`: the same checks and seeds as the visible test (its runs reused)."""
    __tracebackhide__ = True
    label = f"FIX_{run}"
    check_defined(ns, label)
    check_run_fix(run, ns[label], label=label, seeds=HIDDEN_SEEDS, epochs=HIDDEN_EPOCHS, visible=False)


def check_run_fix(name: str, fix, *, label: str = "your fix", seeds=VISIBLE_SEEDS, epochs: int | None = None,
                  visible: bool = True) -> None:
    """Check a fix (a dict of settings to change) of the broken run `name`.

    Fails (CheckFailed) when `fix` is not a dict, names unknown settings, changes nothing,
    changes a setting that cannot cure this run (see `debugging.FIXABLE`), or when the fixed
    run does not reach the targets from every seed in `seeds` (with `epochs` epochs, default
    the run's own), and for run-specific kinds of wrong fix (a learning rate without a margin,
    a symmetric initialization, biases that stay negative, activations that still grow from
    layer to layer ...). The message says what is still wrong, in terms of what the fix changed.
    """
    __tracebackhide__ = True
    cause = dbg._cause(name)
    check_that(isinstance(fix, dict),
               f"{label} should be a dict of the settings to change, like {{'some_setting': new_value}}, "
               f"but it is a {type(fix).__name__}.", mistake=f"{label}:type")
    unknown = sorted(k for k in fix if k not in dbg.DEFAULTS)
    check_that(not unknown,
               f"{label} names {unknown}, which {'is not a setting' if len(unknown) == 1 else 'are not settings'} "
               f"of the training run. The settings are: {', '.join(sorted(dbg.DEFAULTS))}.",
               "the data themselves cannot be changed (a real data set is what it is); change how the run treats them.",
               f"{label}:unknown-setting")
    changes = dbg.changed_settings(name, fix)
    check_that(bool(changes),
               f"{label} changes nothing: every value in it is the broken run's own value.",
               "compare the healthy run's settings with what this run's numbers say, and change what causes the trouble.",
               f"{label}:changes-nothing")
    outside = sorted(k for k in changes if k not in dbg.FIXABLE[name])
    if cause == "dead_relu" and outside == ["activation"] and len(changes) == 1:
        _symptom_activation(name, changes["activation"], label, seeds, epochs)
    if outside:
        inside = {k: v for k, v in changes.items() if k in dbg.FIXABLE[name]}
        if inside:
            _fail(f"{label} changes {_describe_changes(inside)}, but also "
                  f"{_describe_changes({k: changes[k] for k in outside})}. Change only what cures the cause, and keep "
                  "every other setting as it was, so that you know what fixed it.", mistake=f"{label}:but-also")
        _fail(f"{label} changes {_describe_changes(changes)}, which does not touch the cause of this run's trouble.",
              _WRONG_KEY.get(cause), f"{label}:does-not-touch-the-cause")
    _specific_before_training(name, changes, label)
    reports = _train_all(name, fix, seeds, epochs, label, visible=visible)
    report, seed = _first_failure(reports, seeds)
    if report is not None:
        _explain_failure(name, changes, report, seed, label)
    _specific_after_training(name, changes, reports, label)


def _symptom_activation(name: str, activation, label: str, seeds, epochs) -> None:
    """A dead-ReLU run 'fixed' by another activation: say what that activation does with these biases."""
    __tracebackhide__ = True
    bias = dbg.RUNS[name]["bias_init"]
    if activation not in ("leaky_relu", "tanh"):
        _fail(f"activation = {activation!r} is not one of the activations: 'relu', 'leaky_relu' or 'tanh'.",
              mistake=f"{label}:type")
    report = attempt(dbg.train_run, name, {"activation": activation}, seed=seeds[0], epochs=epochs,
                     name=f"run {name} with {label}")
    outcome = (f"from seed {seeds[0]}: {dbg.summarize(report)}" + ("" if report.trains else ", it does not train"))
    if activation == "tanh":
        _fail(f"activation = 'tanh' changes the network instead of curing the cause ({outcome}): with bias_init = "
              f"{bias:g} every tanh unit starts saturated near tanh({bias:g}) = {np.tanh(bias):.3f}, where its slope "
              f"1 - tanh² is only {1 - np.tanh(bias) ** 2:.2f}, and has to crawl out of there first"
              + (" before the run can learn." if report.trains else "; within this run's epochs it does not.")
              + " The ReLU network of this run trains as soon as its units start alive.",
              "keep ReLU, and look at where the pre-activations start, and why.", f"{label}:treats-a-symptom")
    _fail(f"activation = 'leaky_relu' attacks a symptom: it lets a little gradient through where a unit is negative, "
          f"but every unit still starts far below 0 with bias_init = {bias:g}, so the run crawls ({outcome}). Leaky "
          "ReLU helps against units that die during training; these start dead.",
          "cure the cause: look at where the pre-activations start, and why.", f"{label}:treats-a-symptom")


def _specific_before_training(name: str, changes: dict, label: str) -> None:
    __tracebackhide__ = True
    cause = dbg._cause(name)
    if "learning_rate" in changes:
        lr = changes["learning_rate"]
        check_that(_is_number(lr) and lr > 0, f"learning_rate should be a positive number, but {label} sets it to {lr!r}.",
                   mistake=f"{label}:type")
    if cause == "zero_init":
        config = dbg.apply_fix(name, changes)
        check_that(config["init"] in ("he", "xavier", "normal", "constant", "zeros"),
                   f"init = {config['init']!r} is not one of the initializations: 'he', 'xavier', 'normal', "
                   "'constant' or 'zeros'.", mistake=f"{label}:type")
        if config["init"] == "zeros":
            _fail(f"{label} keeps init = 'zeros' (init_scale is used only by 'normal' and 'constant'), so every weight "
                  "still starts at exactly 0.", mistake=f"{label}:still-zeros")
        if config["init"] == "constant":
            _fail(f"with init = 'constant' every hidden unit starts with the same weights, so each one computes the same "
                  "output and receives the same gradient at every step: they stay identical forever, and 64 units "
                  "act like one. This is the symmetry problem.",
                  "the weights must start different from each other: draw them at random.", f"{label}:symmetry")
        if "init_scale" in changes:
            check_that(_is_number(changes["init_scale"]) and changes["init_scale"] > 0,
                       f"init_scale should be a positive number, not {changes['init_scale']!r}.", mistake=f"{label}:type")
    if cause == "input_scale":
        check_that(changes.get("standardize") is True or changes.get("standardize") == 1,
                   f"standardize should be True, but {label} sets it to {changes.get('standardize')!r}.",
                   mistake=f"{label}:type")
    if cause == "dead_relu" and "bias_init" in changes:
        bias = changes["bias_init"]
        check_that(_is_number(bias), f"bias_init should be a number, not {bias!r}.", mistake=f"{label}:type")
        if bias < 0:
            report = dbg.train_run(name, {"bias_init": bias}, seed=VISIBLE_SEEDS[0], epochs=1)
            dead = float(report.dead_fraction["h1"][0])
            _fail(f"bias_init = {bias:g} is closer to 0, but still negative: every hidden unit starts {abs(bias):g} below "
                  "the point where ReLU opens, "
                  + (f"and {dead:.0%} of them are dead at the first step. " if dead > 0 else
                     "so each one is closer to dying than it needs to be (none is dead at the first step yet). ")
                  + "A negative start leans towards the cause of this run's trouble, and gains nothing.",
                  "start the biases where a ReLU unit is alive for about half of the inputs.",
                  f"{label}:bias-still-negative")
    if cause == "weight_scale":
        if "clip_norm" in changes and changes["clip_norm"] is not None:
            check_that(_is_number(changes["clip_norm"]) and changes["clip_norm"] > 0,
                       f"clip_norm should be a positive number (or None), not {changes['clip_norm']!r}.",
                       mistake=f"{label}:type")
        if "init_scale" in changes:
            check_that(_is_number(changes["init_scale"]) and changes["init_scale"] > 0,
                       f"init_scale should be a positive number, not {changes['init_scale']!r}.", mistake=f"{label}:type")


def _growth(report) -> tuple[float, list[float]]:
    """How many times larger the last hidden layer's activation std is than the first's, at the first step."""
    stds = [float(report.act_std[k][0]) for k in report.act_std]
    return (stds[-1] / stds[0] if stds[0] > 0 else float("inf")), stds


def _weight_scale_words(config: dict, changes: dict) -> str:
    """What the fix did to the initial weights of the deep run, in words."""
    if config["init"] != "normal":
        return f"init = {config['init']!r}"
    factor = np.sqrt(64 / 2 * float(config["init_scale"]) ** 2)
    said = "init_scale = " + f"{config['init_scale']:g}" + ("" if "init_scale" in changes else " (unchanged)")
    return f"{said}, with which each layer of 64 units multiplies the size of its input by about {factor:.1f}"


def _explain_failure(name: str, changes: dict, report, seed: int, label: str) -> None:
    """The fixed run did not train from `seed`: say why, as specifically as the run and the fix allow."""
    __tracebackhide__ = True
    cause = dbg._cause(name)
    config = report.config
    where = f"from seed {seed}: {dbg.summarize(report)}"
    if cause == "learning_rate":
        lr = config["learning_rate"]
        if report.diverged or lr > 1.0:
            _fail(f"learning_rate = {lr:g} is still too large: {where}.",
                  "divide it by 10 and look at the loss of the first steps again.", f"{label}:still-too-large")
        ratio = float(np.nanmedian(report.update_ratios["W1"][: report.steps_done]))
        _fail(f"learning_rate = {lr:g} overshoots the other way: the loss falls now, but too slowly ({where}). "
              f"The median update/weight ratio of W1 is {ratio:.1e}, far below about 1e-3.",
              "pick a learning rate between the broken one and this one; try factors of 10 first.",
              f"{label}:overshoots-the-other-way")
    if cause == "zero_init" and config["init"] == "normal" and float(config["init_scale"]) < 0.05:
        _fail(f"init = 'normal' with init_scale = {config['init_scale']:g} breaks the symmetry, but weights that small "
              f"shrink the signal in every layer, so the run learns slowly ({where}).",
              "use a scale matched to each layer's fan-in: init = 'he' (for ReLU) or 'xavier'.", f"{label}:too-small")
    if cause == "weight_scale" and config["init"] == "normal":
        scale = float(config["init_scale"])
        clip = config["clip_norm"]
        if scale >= 0.5 and "init_scale" not in changes and "init" not in changes:
            _fail(f"clip_norm = {clip:g} keeps each step bounded, but the cause is untouched: with weights of std "
                  f"{scale:g} every layer of 64 units multiplies the size of its input by about "
                  f"{np.sqrt(64 / 2 * scale ** 2):.1f}, the first loss is {report.losses[0]:.2g} "
                  f"(ln 3 = 1.10 is what a fresh network should give), and the run does not train ({where}).",
                  "fix the scale of the initial weights for this depth (and the clipping is then optional).",
                  f"{label}:clipping-only")
        if scale >= 0.5:
            _fail(f"{_weight_scale_words(config, changes)}: still far more than 1, so the activations still explode "
                  f"(first loss {report.losses[0]:.2g}; ln 3 = 1.10 is what a fresh network should give), and the run "
                  f"does not train ({where})" + (f"; clip_norm = {clip:g} bounds the steps, not the forward pass."
                                                 if clip is not None else "."),
                  "what scale makes each layer keep the size of its input?", f"{label}:still-too-large")
        if scale < 0.15:
            _fail(f"with init_scale = {scale:g} the weights are now too small for this depth: each layer "
                  "shrinks the signal, so the first layers hardly learn (vanishing gradients): " + where + ".",
                  "use a scale matched to each layer's fan-in: init = 'he' (for ReLU) or 'xavier'.", f"{label}:too-small")
    _fail(f"the fixed run still does not train {where} ({_TARGET}).",
          "train it with the dashboard and look at the loss curve, gradients, activations and update ratios again.",
          f"{label}:does-not-train")


def _specific_after_training(name: str, changes: dict, reports, label: str) -> None:
    __tracebackhide__ = True
    cause = dbg._cause(name)
    if cause == "learning_rate":
        lr = float(changes["learning_rate"])
        check_that(0.01 <= lr <= 1.0,
                   f"learning_rate = {lr:g} trains from these seeds, but without a margin: this network's training "
                   f"breaks down from about 2 upwards and crawls below about 0.005, so a value this close to the edge "
                   "works for some seeds and not for others.",
                   "choose a value well inside the range where it trains: between 0.01 and 1.", f"{label}:no-margin")
    if cause == "dead_relu":
        dead = max(float(r.dead_fraction["h1"][0]) for r in reports)
        check_that(dead <= 0.25,
                   f"with {label}, {dead:.0%} of the hidden units are still dead at the first step (they output 0 for "
                   "every sample of the batch). The run trains, but it wastes those units and depends on luck.",
                   "start the biases where ReLU units are alive for most inputs.", f"{label}:still-dead")
    if cause == "weight_scale":
        growth, stds = max((_growth(r) for r in reports), key=lambda g: g[0])
        config = reports[0].config
        clip = config["clip_norm"]
        check_that(growth <= 4.0,
                   f"the run trains now, but at the first step the activations still grow from layer to layer: their "
                   f"standard deviations are {', '.join(f'{s:.2g}' for s in stds)} (h1 to h{len(stds)}), the last "
                   f"{growth:.0f} times the first. {_weight_scale_words(config, changes)}"
                   + (f"; clip_norm = {clip:g} only bounds the steps, it does not shrink the forward pass" if clip else "")
                   + ". One more layer and the run breaks again.",
                   "choose the scale that makes each layer keep the size of its input (the factor per layer about 1).",
                   f"{label}:activations-still-grow")


# --------------------------------------------------------------------------------------- the loss bug
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
_LOSS_HINTS = {
    ValueError: "a sum over axis 1 of a (4, 3) array has shape (4,); keep the axis (keepdims=True) so that it divides "
                "each row, shape (4, 1).",
    IndexError: "check which axis holds the samples (rows) and which the classes.",
}
_LOSS_RUN = "F"


def _check_loss_values(fn, name: str, scores, y) -> None:
    __tracebackhide__ = True
    N, C = scores.shape
    call = f"{name}(scores of shape ({N}, {C}), y = {y.tolist()})"
    result = attempt(fn, scores.copy(), y.copy(), name=call, hints=_LOSS_HINTS)
    check_that(isinstance(result, tuple) and len(result) == 2,
               f"{call} should return a tuple (loss, dscores), like the buggy version, but returned "
               f"{type(result).__name__}.", mistake=f"{name}:type")
    loss, dscores = result
    ref_loss, ref_d = layers.softmax_cross_entropy(scores, y)
    bad_loss, bad_d = dbg.broken_softmax_loss(scores, y)
    col_loss, col_d = _column_max_variant(scores, y)
    check(loss, ref_loss, f"the loss of {call}", rtol=1e-6, mistakes={
        ("buggy-value", "it is the buggy value: the softmax still normalizes each column (over the samples), not each "
                        "row."): bad_loss,
        ("column-max", "each row is now normalized, but you subtract the maximum of each COLUMN first. Softmax is "
                       "unchanged only when one number is subtracted from a whole row: use the maximum of each "
                       "row."): col_loss,
    })
    check(dscores, ref_d, f"the dscores of {call}", rtol=1e-6, mistakes={
        ("buggy-value", "it is the buggy value: the probabilities are still normalized over the samples "
                        "(axis 0)."): bad_d,
        ("column-max", "you subtract the maximum of each COLUMN before a softmax over each row; use the maximum of "
                       "each row."): col_d,
    })
    with np.errstate(all="ignore"):
        big = attempt(fn, scores + 1000.0, y.copy(), name=f"{name}(scores + 1000, y)")
    check_that(np.all(np.isfinite(np.asarray(big[1], dtype=float))) and np.isfinite(float(big[0])),
               f"{name}(scores + 1000, y) returns nan or inf: exp(1000) overflows. Adding the same number to every "
               "score must not change the softmax.",
               "keep the stabilizing shift of the buggy version: subtract each row's maximum before exp.",
               f"{name}:overflows")
    check(big[0], ref_loss, f"the loss of {name}(scores + 1000, y) (the same as for scores)", rtol=1e-6)
    check_no_mutation(fn, scores.copy(), y.copy(), name=name)


def _train_with(fn, setting: str, run: str, name: str, seeds, epochs, *, visible: bool = True) -> None:
    __tracebackhide__ = True
    reports = _train_all(run, {setting: fn}, seeds, epochs, name, visible=visible)
    report, seed = _first_failure(reports, seeds)
    if report is not None:
        _fail(f"with {name} the run still does not train from seed {seed}: {dbg.summarize(report)} ({_TARGET}).",
              mistake=f"{name}:does-not-train")


def check_fixed_loss(ns, name: str = "fixed_softmax_loss") -> None:
    """Visible test of the repaired softmax cross-entropy: values on a (4, 3) batch, stability, then run F trains.

    Values are compared with the course's softmax cross-entropy on a (4, 3) batch (not square, so an
    axis mix-up cannot hide), and the mistakes that fit the buggy code are named.
    """
    __tracebackhide__ = True
    check_defined(ns, name)
    fn = ns[name]
    check_own(fn, name)
    _check_loss_values(fn, name, _LOSS_SCORES.copy(), _LOSS_LABELS.copy())
    _train_with(fn, "loss", _LOSS_RUN, name, VISIBLE_SEEDS, None)
    passed(f"{name}: the loss and its gradient are right and stable, the scores are left unchanged, and "
           f"{dbg.RUN_TITLES[_LOSS_RUN]} now trains from seeds {VISIBLE_SEEDS[0]} and {VISIBLE_SEEDS[1]}")


def hidden_fixed_loss(ns, name: str = "fixed_softmax_loss") -> None:
    """Hidden test: other shapes (more classes than samples, one sample), then run F from the visible test's
    seeds (the runs the visible test of the cell has just trained)."""
    __tracebackhide__ = True
    check_defined(ns, name)
    fn = ns[name]
    check_own(fn, name)
    rng = np.random.default_rng(10)
    _check_loss_values(fn, name, _LOSS_SCORES.copy(), _LOSS_LABELS.copy())
    _check_loss_values(fn, name, 3.0 * rng.standard_normal((3, 5)), np.array([4, 0, 2]))
    _check_loss_values(fn, name, rng.standard_normal((7, 2)), rng.integers(0, 2, size=7))
    _train_with(fn, "loss", _LOSS_RUN, name, HIDDEN_SEEDS, HIDDEN_EPOCHS, visible=False)


# --------------------------------------------------------------------------------------- the shuffle bug
_SHUFFLE_RUN = "D"


def _shuffle_order(fn, name: str, n: int, seed: int) -> np.ndarray:
    """Call the student's shuffle on rows labelled 0 .. n-1; check the pairs and return the order drawn."""
    __tracebackhide__ = True
    X = np.column_stack([np.arange(n, dtype=float), 100.0 + np.arange(n)])
    y = np.arange(n)  # row i has label i, so a mismatch is visible
    call = f"{name}(X, y, rng) with X of shape ({n}, 2), y = 0 .. {n - 1} and rng = np.random.default_rng({seed})"
    result = attempt(fn, X, y, np.random.default_rng(seed), name=name,
                     hint="rng is a np.random.Generator: it can draw a random order of 0 .. n-1 for you.")
    check_that(np.array_equal(X[:, 0], np.arange(n)) and np.array_equal(y, np.arange(n)),
               f"{name} changed X or y in place: the caller's arrays are now in another order.",
               "build new arrays by indexing with one order instead of shuffling the arrays you are given (an "
               "in-place shuffle reorders the caller's data).", f"{name}:mutates-input")
    check_that(isinstance(result, tuple) and len(result) == 2,
               f"{call} should return a tuple (X_shuffled, y_shuffled), but returned {type(result).__name__}"
               + (f" of length {len(result)}." if isinstance(result, (tuple, list)) else "."), mistake=f"{name}:type")
    Xs, ys = (np.asarray(v) for v in result)
    check_that(Xs.shape == (n, 2) and ys.shape == (n,),
               f"{call} returned arrays of shapes {Xs.shape} and {ys.shape}; expected ({n}, 2) and ({n},).",
               mistake=f"{name}:shape")
    mismatch = np.flatnonzero(Xs[:, 0] != ys)
    if mismatch.size:
        j = int(mismatch[0])
        _fail(f"after {name}, rows and labels no longer match: the row that was number {int(Xs[j, 0])} now carries "
              f"label {int(ys[j])} (it should keep label {int(Xs[j, 0])}).",
              "draw ONE random order and index both X and y with it.", f"{name}:pairs-broken")
    check_that(sorted(ys.tolist()) == list(range(n)),
               f"after {name} some rows appear twice and others not at all: y is {ys.tolist()}.",
               "a shuffle is a permutation: every row exactly once (no drawing with replacement).",
               f"{name}:not-a-permutation")
    return ys.astype(int)


def _check_mixing(fn, name: str, n: int, seeds) -> None:
    __tracebackhide__ = True
    orders = [_shuffle_order(fn, name, n, seed) for seed in seeds]
    identity = np.arange(n)
    check_that(not any(np.array_equal(order, identity) for order in orders),
               f"{name} returned the rows in their original order: nothing was shuffled.",
               "draw a random order with the rng you are given.", f"{name}:no-shuffle")
    for order, seed in zip(orders, seeds):
        shift = (order - identity) % n
        back = (order + identity) % n
        if np.all(shift == shift[0]) or np.all(back == back[0]):
            kind = "shifted round (a roll)" if np.all(shift == shift[0]) else "reversed"
            _fail(f"with np.random.default_rng({seed}), {name} returned the rows {kind}: {order.tolist()}. Every row "
                  "keeps its neighbours, so the mini-batches are the same slices of the data epoch after epoch.",
                  "draw a random permutation of all the rows, not a shift or a reversal.", f"{name}:does-not-mix")
        if np.sum(order == identity) > n // 2:
            _fail(f"with np.random.default_rng({seed}), {name} left {int(np.sum(order == identity))} of {n} rows in "
                  f"place: {order.tolist()}. A shuffle must mix all the rows.",
                  "draw a random permutation of all the rows.", f"{name}:does-not-mix")
    again = _shuffle_order(fn, name, n, seeds[0])
    check_that(np.array_equal(again, orders[0]),
               f"two calls of {name} with generators seeded alike (np.random.default_rng({seeds[0]})) gave different "
               "orders, so a run cannot be repeated.",
               "draw the order from the `rng` argument, not from np.random (NumPy's global generator).",
               f"{name}:ignores-rng")
    check_that(len({tuple(order) for order in orders}) == len(orders),
               f"{name} gave the same order for generators seeded {', '.join(map(str, seeds))}: the order does not "
               "come from rng (a fixed order, or a generator of your own).",
               "draw the order from the `rng` argument you are given, every call.", f"{name}:ignores-rng")


def check_shuffle(ns, name: str = "shuffle_together") -> None:
    """Visible test of the repaired shuffle: pairs kept, a real permutation from rng, inputs unchanged, run D trains."""
    __tracebackhide__ = True
    check_defined(ns, name)
    fn = ns[name]
    check_own(fn, name)
    _check_mixing(fn, name, 12, (0, 1, 2))
    _train_with(fn, "shuffle", _SHUFFLE_RUN, name, VISIBLE_SEEDS, None)
    passed(f"{name}: rows keep their labels, the order is a real shuffle drawn from rng (other seeds, other orders), "
           f"X and y are left unchanged, and {dbg.RUN_TITLES[_SHUFFLE_RUN]} now trains from seeds {VISIBLE_SEEDS[0]} "
           f"and {VISIBLE_SEEDS[1]}")


def hidden_shuffle(ns, name: str = "shuffle_together") -> None:
    """Hidden test: more rows and other generator seeds, then run D from the visible test's training seeds
    (the runs the visible test of the cell has just trained)."""
    __tracebackhide__ = True
    check_defined(ns, name)
    fn = ns[name]
    check_own(fn, name)
    _check_mixing(fn, name, 12, (0, 1, 2))
    _check_mixing(fn, name, 50, (5, 6, 7))
    _train_with(fn, "shuffle", _SHUFFLE_RUN, name, HIDDEN_SEEDS, HIDDEN_EPOCHS, visible=False)
