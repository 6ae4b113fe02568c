"""Checks of lesson 07 (training deep networks): one visible and one hidden check per exercise.

A test cell of the lesson is one call, ``check_he_init(globals())``; its hidden part calls
``hidden_he_init(globals())``. Each starts with `check_defined` and `check_own` (which puts the
package's references of the lesson's graded functions out of the student's reach), calls the
student's function only through `attempt` or `check_no_mutation`, and ends, in the visible check,
with the ✔ line that says what was checked. The hidden checks run the same checks on other
inputs, so the two accept exactly the same answers.

Each `*_mistakes` function returns ``{(slug, explanation): wrong value}`` for
``check(..., mistakes=...)``: the value a known mistake gives on the same inputs, so that the
message names it (mistake id ``function:slug``). Nothing here changes its arguments.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from . import _fail, attempt, check, check_defined, check_no_mutation, check_own, own, mistake_id, passed
from .. import layers, optim

__all__ = ["check_he_init", "check_sgd_momentum", "check_rmsprop", "check_adam", "check_batchnorm_forward",
           "check_batchnorm_backward", "check_clip_by_global_norm",
           "hidden_he_init", "hidden_sgd_momentum", "hidden_rmsprop", "hidden_adam", "hidden_batchnorm_forward",
           "hidden_batchnorm_backward", "hidden_clip_by_global_norm",
           "check_rule_output", "check_step", "check_defaults", "check_steps", "check_arrays", "check_rng_used",
           "check_he_weights", "he_init_mistakes", "momentum_mistakes", "rmsprop_mistakes", "adam_mistakes",
           "batchnorm_out_mistakes", "running_mistakes", "inv_std_mistakes", "batchnorm_backward_mistakes",
           "clip_mistakes", "bn_forward_case", "bn_backward_case", "clip_case"]

_CONFIG_HINTS = {
    KeyError: "config may be None or lack keys: fill in every missing hyperparameter with its default before "
              "you read it, and start the rule's state (velocity, cache, m, v) as zeros shaped like w.",
    "NoneType": "config may be None: start from an empty dict in that case, then fill in the defaults.",
}
_BN_HINTS = {KeyError: "bn_param may lack every key but 'mode': fill in the missing ones with their defaults "
                       "(eps, momentum, running_mean, running_var) before you read them."}


# ----------------------------------------------------------------------------- shared pieces
def check_rule_output(result: Any, w: np.ndarray, name: str) -> tuple[np.ndarray, dict]:
    """Check that an update rule returned ``(next_w, config)`` with next_w an array shaped like w."""
    __tracebackhide__ = True
    if result is None:
        _fail(f"{name} returned None. Did you forget to return the pair (next_w, config)?",
              mistake=mistake_id(name, "no-return"))
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 2:
        _fail(f"{name} should return a pair (next_w, config), but it returned "
              f"{type(result).__name__}{f' of length {len(result)}' if isinstance(result, (tuple, list)) else ''}.",
              "return the new weights and the config: the caller passes config back on the next step.",
              mistake_id(name, "type"))
    next_w, config = result
    if not isinstance(next_w, np.ndarray):
        _fail(f"{name}: next_w should be a NumPy array, but it is a {type(next_w).__name__}.",
              mistake=mistake_id(name, "type"))
    if next_w.shape != np.shape(w):
        _fail(f"{name}: next_w has shape {next_w.shape}, but w has shape {np.shape(w)}.",
              mistake=mistake_id(name, "shape"))
    if not isinstance(config, dict):
        _fail(f"{name}: the second item returned should be the config dict, but it is a {type(config).__name__}.",
              "return the dict that holds the hyperparameters and the state, so the next step can use it.",
              mistake_id(name, "type"))
    return next_w, config


def check_rng_used(func: Callable, *args: Any, name: str) -> None:
    """Check that `func(*args, rng)` draws its numbers from the generator it is given.

    Two generators with the same seed must give the same array, two different seeds
    different arrays, and the generator given must have advanced.
    """
    __tracebackhide__ = True
    first = attempt(func, *args, np.random.default_rng(7), name=name)
    again = attempt(func, *args, np.random.default_rng(7), name=name)
    other = attempt(func, *args, np.random.default_rng(8), name=name)
    first, again, other = (np.asarray(a, dtype=float) for a in (first, again, other))
    if not np.array_equal(first, again):
        _fail(f"{name} gave different numbers for two generators with the same seed: it does not draw from `rng`.",
              "every random number must come from the generator passed in as `rng` (its own methods), "
              "not from NumPy's global generator `np.random`.", mistake_id(name, "ignores-rng"))
    if np.array_equal(first, other):
        _fail(f"{name} gave the same numbers for generators with different seeds: it ignores `rng`.",
              "draw the weights from the `rng` argument, not from a generator you create inside the function.",
              mistake_id(name, "ignores-rng"))
    given = np.random.default_rng(3)
    attempt(func, *args, given, name=name)
    if given.random() == np.random.default_rng(3).random():
        _fail(f"{name} did not draw anything from the generator it was given.",
              "draw the weights from the `rng` argument itself.", mistake_id(name, "ignores-rng"))


# ----------------------------------------------------------------------------- initialization
def he_init_mistakes(fan_in: int, fan_out: int) -> dict:
    """Standard deviations that plausible `he_init` mistakes give: {(slug, explanation): std}."""
    return {
        ("lecun-scale", "the standard deviation is 1/sqrt(fan_in), LeCun's choice (right for tanh). ReLU zeroes "
                        "half of its inputs, so He's weights are sqrt(2) times larger."): float(np.sqrt(1 / fan_in)),
        ("divides-by-fan-out", "you divided by fan_out: what matters is the variance of each unit's sum over its "
                               "fan_in inputs."): float(np.sqrt(2 / fan_out)),
        ("glorot-scale", "that is Glorot's sqrt(2 / (fan_in + fan_out)); He's scale for ReLU depends on fan_in "
                         "only."): float(np.sqrt(2 / (fan_in + fan_out))),
        ("variance-as-std", "you used 2 / fan_in as the standard deviation, but 2 / fan_in is the VARIANCE."):
            2 / fan_in,
        ("unit-std", "the weights have standard deviation 1: they still need He's scale."): 1.0,
        ("all-equal", "every weight is the same (standard deviation 0). Integer division (//) of 2 by fan_in "
                      "gives 0; and weights must be random to break the symmetry."): 0.0,
    }


def check_he_weights(W: Any, fan_in: int, fan_out: int, name: str) -> None:
    """The statistics of one `he_init(fan_in, fan_out, rng)` result: type, shape, symmetry, std, mean."""
    __tracebackhide__ = True
    if W is None:
        _fail(f"{name} returned None. Did you forget the `return` statement?", mistake="he_init:no-return")
    if not isinstance(W, np.ndarray):
        _fail(f"{name} should return a NumPy array, but it returned a {type(W).__name__}.", mistake="he_init:type")
    if W.shape == (fan_out, fan_in) and fan_in != fan_out:
        _fail(f"{name} returned shape {W.shape}: the shape is transposed.",
              "W has one row per input and one column per unit, so that x @ W works for x of shape (N, fan_in).",
              "he_init:transposed")
    if W.shape != (fan_in, fan_out):
        _fail(f"{name} should have shape {(fan_in, fan_out)}, but it has shape {W.shape}.", mistake="he_init:shape")
    if not np.issubdtype(W.dtype, np.floating):
        _fail(f"{name} returned dtype {W.dtype}; weights are floating-point numbers.", mistake="he_init:dtype")
    if not np.all(np.isfinite(W)):
        _fail(f"{name} contains inf or nan.", mistake="he_init:not-finite")
    if fan_out > 1 and W.std() > 0 and np.allclose(W, W[:, :1]):
        _fail(f"{name}: every column is the same: all {fan_out} units start with the same weights.",
              "this is the symmetry problem of section 3.1: units that start equal get equal gradients and stay "
              "equal. Draw a separate random number for every weight of every unit.", "he_init:symmetric-units")
    if fan_in > 1 and W.std() > 0 and np.allclose(W, W[:1, :]):
        _fail(f"{name}: every row is the same: each unit gives all of its {fan_in} inputs the same weight.",
              "draw a separate random number for every entry of the (fan_in, fan_out) array.",
              "he_init:repeated-rows")
    std = float(np.sqrt(2 / fan_in))
    check(float(W.std()), std, f"{name}: the standard deviation", rtol=0.03, mistakes=he_init_mistakes(fan_in, fan_out))
    if abs(float(W.mean())) >= 5 * float(W.std()) / np.sqrt(W.size):
        _fail(f"{name}: the weights have mean {float(W.mean()):.4f}; they should be centred at 0.",
              "draw them from a normal distribution with mean 0 (a uniform distribution on [0, a) has mean a/2).",
              "he_init:not-centred")


def _he_case(he_init: Callable, fan_in: int, fan_out: int, seed: int) -> None:
    __tracebackhide__ = True
    name = f"he_init({fan_in}, {fan_out}, rng)"
    W = attempt(he_init, fan_in, fan_out, np.random.default_rng(seed), name=name)
    check_he_weights(W, fan_in, fan_out, name)


def check_he_init(ns: dict) -> None:
    """Visible test of Exercise 1."""
    __tracebackhide__ = True
    he_init = own(ns, "he_init")
    _he_case(he_init, 800, 200, 0)
    check_rng_used(he_init, 30, 20, name="he_init(30, 20, rng)")
    passed("he_init: shape (fan_in, fan_out), every unit different, mean 0, standard deviation sqrt(2 / fan_in), "
           "numbers drawn from rng")


def hidden_he_init(ns: dict) -> None:
    """Hidden test of Exercise 1: other shapes, NumPy integers, tall and wide layers."""
    __tracebackhide__ = True
    he_init = own(ns, "he_init")
    for fan_in, fan_out in [(1, 1), (3, 7), (np.int64(64), np.int64(32))]:
        name = f"he_init({fan_in}, {fan_out}, rng)"
        W = attempt(he_init, fan_in, fan_out, np.random.default_rng(11), name=name)
        if not isinstance(W, np.ndarray) or W.shape != (fan_in, fan_out):
            _fail(f"{name} should be an array of shape {(int(fan_in), int(fan_out))}, but it is "
                  f"{type(W).__name__} of shape {np.shape(W)}.", mistake="he_init:shape")
    for fan_in, fan_out, seed in [(2000, 100, 12), (100, 3000, 12), (513, 257, 13)]:
        _he_case(he_init, fan_in, fan_out, seed)
    check_rng_used(he_init, 40, 30, name="he_init(40, 30, rng)")


# ----------------------------------------------------------------------------- optimizers
def check_step(rule: Callable, reference: Callable, w, dw, config, *, name: str, mistakes: dict | None = None,
               state: tuple = ()) -> tuple[np.ndarray, dict]:
    """One step of the student's `rule` and of the `reference` rule from copies of the same inputs.

    Checks the returned pair, next_w (naming `mistakes`) and each config key listed in `state`
    against the reference. Returns the student's (next_w, config).
    """
    __tracebackhide__ = True
    next_w, new_config = check_rule_output(attempt(rule, w, dw, config, name=name, hints=_CONFIG_HINTS,
                                                   copy_args=True), w, name)
    ref_w, ref_config = reference(np.array(w, dtype=float), np.array(dw, dtype=float), copy.deepcopy(config))
    check(next_w, ref_w, f"{name}: next_w", mistakes=mistakes)
    for key in state:
        if key not in new_config:
            _fail(f"after {name} the returned config has no key {key!r}.",
                  f"store the new {key} in config, so that the next step can use it.",
                  mistake_id(name, f"{key}-not-stored"))
        expected = ref_config[key]
        actual = new_config[key]
        if isinstance(expected, np.ndarray):
            check(np.asarray(actual) if isinstance(actual, (list, tuple)) else actual, expected,
                  f"{name}: config[{key!r}] afterwards")
        else:
            check(actual, float(expected), f"{name}: config[{key!r}] afterwards")
    return next_w, new_config


def check_defaults(rule: Callable, reference: Callable, w, dw, defaults: dict, *, name: str,
                   mistakes: dict | None = None) -> None:
    """With config None and with an empty dict, the rule must fill in `defaults` ({key: value
    expected in the returned config}) and take the same step as the reference (naming `mistakes`)."""
    __tracebackhide__ = True
    for config, label in ((None, "None"), ({}, "{}")):
        call_name = f"{name}(w, dw, {label})"
        next_w, new_config = check_rule_output(attempt(rule, w, dw, config, name=call_name, hints=_CONFIG_HINTS,
                                                       copy_args=True), w, call_name)
        for key, value in defaults.items():
            if key not in new_config:
                _fail(f"after {call_name} the returned config has no key {key!r}.",
                      "fill in every missing default and keep it in the config you return.",
                      mistake_id(name, "defaults-not-stored"))
            got = new_config[key]
            if not (isinstance(got, (int, float, np.number)) and np.isclose(float(got), value, rtol=1e-12, atol=0)):
                _fail(f"after {call_name}, config[{key!r}] is {got!r}, but its default is {value!r}.",
                      "use the defaults of the exercise text (CS231n's).", mistake_id(name, "wrong-default"))
        ref_w, _ = reference(np.array(w, dtype=float), np.array(dw, dtype=float), None)
        check(next_w, ref_w, f"{call_name}: next_w (the defaults, state starting at zeros)", mistakes=mistakes,
              nan_hint="a division by zero? With t = 0, 1 - beta**t is 0: count the step before the bias correction. "
                       "Otherwise look for a square root or a division of a state that starts at zero.")


def check_steps(rule: Callable, reference: Callable, w, grads, *, name: str, config: dict | None = None,
                mistakes: Callable | None = None) -> None:
    """Several steps in a row, each passing the returned config back in: every next_w must
    match the reference's (the rule's state must be stored in config and read back).
    `mistakes(w, dw, config)` names known mistakes of one step from the reference's config."""
    __tracebackhide__ = True
    w_student = np.array(w, dtype=float)
    w_ref = np.array(w, dtype=float)
    c_student = copy.deepcopy(config)
    c_ref = copy.deepcopy(config)
    for k, dw in enumerate(grads, start=1):
        call_name = f"{name}, step {k}"
        named = mistakes(w_ref, np.asarray(dw, dtype=float), c_ref or {}) if mistakes else None
        w_student, c_student = check_rule_output(attempt(rule, w_student, dw, c_student, name=call_name,
                                                         hints=_CONFIG_HINTS), w_student, call_name)
        w_ref, c_ref = reference(w_ref, np.array(dw, dtype=float), c_ref)
        if k > 1 and not np.allclose(w_student, w_ref, rtol=1e-6, atol=1e-8) and not (
                named and any(np.allclose(w_student, v, rtol=1e-6, atol=1e-8) for v in named.values())):
            _fail(f"{name}: step 1 was right, but step {k} was not (got {np.array2string(w_student, precision=5)}, "
                  f"expected {np.array2string(w_ref, precision=5)}).",
                  "the rule's state (velocity, cache, m, v, t) must be stored in the config you return and read "
                  "back from the config passed in on the next step.", mistake_id(name, "state-not-carried"))
        check(w_student, w_ref, f"{call_name}: next_w", mistakes=named)
        w_ref = np.array(w_student, dtype=float)  # continue both from the same point


def momentum_mistakes(w, dw, config) -> dict:
    """Wrong next_w of plausible `sgd_momentum` mistakes, for one step from `config`."""
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    v = config.get("velocity")
    v = np.zeros_like(w) if v is None else v
    return {
        ("sign-flipped", "the sign is flipped: your weights move uphill, along the gradient. The velocity "
                         "accumulates MINUS the learning rate times the gradient, and is added to w."):
            w + (mu * v + lr * dw),
        ("ignores-velocity", "you ignored the velocity stored in config: this is plain SGD. Read the velocity "
                             "that config brings in and let the new one build on it."): w - lr * dw,
        ("other-convention", "you used the other convention of momentum (velocity = momentum * velocity + dw, "
                             "then a step of learning_rate times it). This lesson's velocity, the one stored in "
                             "config['velocity'], already contains the learning rate and is added to w."):
            w - lr * (mu * v + dw),
        ("velocity-subtracted", "you subtracted a velocity with the opposite sign: config['velocity'] holds the "
                                "step itself (momentum * v minus the learning rate times dw), and it is ADDED "
                                "to w."): w - (mu * v + lr * dw),
        ("nesterov", "that is Nesterov's update (a look-ahead), not plain momentum: next_w is w plus the new "
                     "velocity."): w + mu * (mu * v - lr * dw) - lr * dw,
    }


def rmsprop_mistakes(w, dw, config) -> dict:
    """Wrong next_w of plausible `rmsprop` mistakes, for one step from `config`."""
    lr = config.get("learning_rate", 1e-2)
    rho = config.get("decay_rate", 0.99)
    eps = config.get("epsilon", 1e-8)
    cache = config.get("cache")
    cache = np.zeros_like(w) if cache is None else cache
    new = rho * cache + (1 - rho) * dw * dw
    with np.errstate(all="ignore"):
        return {
            ("no-square-root", "the square root is missing: the step divides by the ROOT of the mean square "
                               "(plus epsilon)."): w - lr * dw / (new + eps),
            ("epsilon-inside-sqrt", "epsilon is inside the square root: this lesson adds it after the root "
                                    "(it matters when gradients are tiny, as for some entries here)."):
                w - lr * dw / np.sqrt(new + eps),
            ("cache-not-squared", "the cache must average the SQUARED gradient."):
                w - lr * dw / (np.sqrt(np.abs(rho * cache + (1 - rho) * dw)) + eps),
            ("decay-swapped", "decay_rate and 1 - decay_rate are swapped: the OLD cache keeps the large weight "
                              "decay_rate (0.99), the new squared gradient gets the small one."):
                w - lr * dw / (np.sqrt((1 - rho) * cache + rho * dw * dw) + eps),
            ("adagrad", "that is Adagrad: RMSprop's cache must forget (a running average), not add up for ever."):
                w - lr * dw / (np.sqrt(cache + dw * dw) + eps),
            ("old-cache", "you divided by the OLD cache: update the cache with this step's gradient first, then "
                          "use it in the step."): w - lr * dw / (np.sqrt(cache) + eps),
        }


def adam_mistakes(w, dw, config) -> dict:
    """Wrong next_w of plausible `adam` mistakes, for one step from `config`."""
    lr = config.get("learning_rate", 1e-3)
    b1 = config.get("beta1", 0.9)
    b2 = config.get("beta2", 0.999)
    eps = config.get("epsilon", 1e-8)
    m = config.get("m")
    v = config.get("v")
    m = np.zeros_like(w) if m is None else m
    v = np.zeros_like(w) if v is None else v
    t = config.get("t", 0) + 1
    m1 = b1 * m + (1 - b1) * dw
    v1 = b2 * v + (1 - b2) * dw * dw
    with np.errstate(all="ignore"):
        return {
            ("no-bias-correction", "the bias correction is missing: divide m by (1 - beta1**t) and v by "
                                   "(1 - beta2**t) before the step."): w - lr * m1 / (np.sqrt(v1) + eps),
            ("eps-hat-form", "that is the 'efficient' form of Kingma and Ba's Algorithm 1: the corrections folded "
                             "into one step size, learning_rate * sqrt(1 - beta2**t) / (1 - beta1**t), with epsilon "
                             "added to sqrt(v) instead of sqrt(v_hat) (the paper's 'epsilon hat'). It is a different "
                             "epsilon, which shows where gradients are tiny; this exercise asks for the form of the "
                             "text: m_hat / (sqrt(v_hat) + epsilon)."):
                w - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m1 / (np.sqrt(v1) + eps),
            ("only-m-corrected", "only m is bias-corrected: v needs its own correction, with beta2."):
                w - lr * (m1 / (1 - b1 ** t)) / (np.sqrt(v1) + eps),
            ("t-counted-after", "the correction used the old step count: count the step (t + 1) BEFORE the bias "
                                "correction, so the first step uses t = 1."):
                w - lr * (m1 / (1 - b1 ** (t - 1))) / (np.sqrt(v1 / (1 - b2 ** (t - 1))) + eps),
            ("t-counted-twice", "the correction used t + 1: the step count goes up by 1 once per step, before "
                                "the correction."):
                w - lr * (m1 / (1 - b1 ** (t + 1))) / (np.sqrt(v1 / (1 - b2 ** (t + 1))) + eps),
            ("betas-swapped", "beta1 and beta2 are swapped: m (the mean of dw) uses beta1 = 0.9, v (the mean of "
                              "dw**2) beta2 = 0.999."):
                w - lr * ((b2 * m + (1 - b2) * dw) / (1 - b2 ** t))
                / (np.sqrt((b1 * v + (1 - b1) * dw * dw) / (1 - b1 ** t)) + eps),
            ("v-not-squared", "v must average the SQUARED gradient."):
                w - lr * (m1 / (1 - b1 ** t)) / (np.sqrt(np.abs((b2 * v + (1 - b2) * dw) / (1 - b2 ** t))) + eps),
            ("epsilon-inside-sqrt", "epsilon is inside the square root: this lesson adds it after the root of "
                                    "v_hat."): w - lr * (m1 / (1 - b1 ** t)) / np.sqrt(v1 / (1 - b2 ** t) + eps),
        }


_W = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
_DW = np.array([[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]])


def _rule_checks(rule: Callable, name: str, reference: Callable, mistakes: Callable, w, dw, config: dict,
                 defaults: dict, state: tuple, first_key: str) -> None:
    """The visible checks every update rule gets (one step from a state, defaults, missing keys, steps, inputs)."""
    __tracebackhide__ = True
    label = ", ".join(f"{k} = {v:g}" for k, v in config.items() if not isinstance(v, np.ndarray))
    check_step(rule, reference, w, dw, config, name=f"{name}(w, dw, config) with {label}",
               mistakes=mistakes(w, dw, config), state=state)
    check_defaults(rule, reference, w, dw, defaults, name=name, mistakes=mistakes(w, dw, {}))
    missing = {first_key: 0.05}
    check_step(rule, reference, w, dw, missing, name=f"{name}(w, dw, {missing})",
               mistakes=mistakes(w, dw, missing), state=tuple(k for k in defaults if k != first_key) + state)
    check_steps(rule, reference, w, [dw, -0.5 * dw, dw[::-1]], name=f"{name} from config None", mistakes=mistakes)
    _untouched_w_dw(rule, np.array(w, dtype=float), np.array(dw, dtype=float), {first_key: 0.05}, name)


def _untouched_w_dw(rule: Callable, w, dw, config, name: str) -> None:
    """w and dw must come out of a step unchanged (the config is the rule's to change)."""
    __tracebackhide__ = True

    def step(w, dw):
        return rule(w, dw, copy.deepcopy(config))

    check_no_mutation(step, w, dw, name=name)


def check_sgd_momentum(ns: dict) -> None:
    """Visible test of Exercise 2."""
    __tracebackhide__ = True
    rule = own(ns, "sgd_momentum")
    config = {"learning_rate": 0.1, "momentum": 0.8, "velocity": np.array([[0.05, 0.0, -0.1], [0.2, -0.05, 0.01]])}
    _rule_checks(rule, "sgd_momentum", optim.sgd_momentum, momentum_mistakes, _W, _DW, config,
                 {"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",), "learning_rate")
    passed("sgd_momentum: one step with a velocity, the defaults, missing keys, three steps in a row, inputs untouched")


def check_rmsprop(ns: dict) -> None:
    """Visible test of Exercise 3."""
    __tracebackhide__ = True
    rule = own(ns, "rmsprop")
    w = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    dw = np.array([[0.3, -0.2, 1e-5], [-0.4, 2e-5, 0.1]])
    config = {"learning_rate": 0.01, "decay_rate": 0.9, "epsilon": 1e-8,
              "cache": np.array([[0.04, 0.01, 0.0], [0.09, 0.0, 0.02]])}
    _rule_checks(rule, "rmsprop", optim.rmsprop, rmsprop_mistakes, w, dw, config,
                 {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}, ("cache",), "learning_rate")
    passed("rmsprop: one step from a cache (tiny gradients included), the defaults, missing keys, three steps, "
           "inputs untouched")


def check_adam(ns: dict) -> None:
    """Visible test of Exercise 4."""
    __tracebackhide__ = True
    rule = own(ns, "adam")
    w = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    dw = np.array([[0.3, -0.2, 0.05], [-0.4, 1e-5, 0.1]])
    config = {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-8, "t": 4,
              "m": np.array([[0.1, 0.0, -0.05], [0.2, 0.0, 0.0]]),
              "v": np.array([[0.02, 0.01, 0.001], [0.05, 0.0, 0.004]])}
    _rule_checks(rule, "adam", optim.adam, adam_mistakes, w, dw, config,
                 {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 1}, ("t", "m", "v"),
                 "learning_rate")
    passed("adam: a step at t = 4, the first step from the defaults, missing keys, three steps, inputs untouched")


def _hidden_rule(ns: dict, name: str, reference: Callable, mistakes: Callable, seed: int, scales: tuple,
                 configs: list) -> None:
    __tracebackhide__ = True
    check_defined(ns, name)
    rule = ns[name]
    check_own(rule, name)
    rng = np.random.default_rng(seed)
    for shape in [(5,), (3, 4), (2, 3, 2), (1, 1)]:
        w = rng.normal(size=shape)
        grads = [rng.normal(size=shape) * 10.0 ** rng.integers(scales[0], scales[1], size=shape) for _ in range(6)]
        check_steps(rule, reference, w, grads, name=f"{name} on an array of shape {shape} from config None",
                    mistakes=mistakes)
    for config in configs:
        w, dw = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
        config = {k: (rng.normal(size=(4, 3)) if v == "normal" else rng.random((4, 3)) if v == "uniform" else v)
                  for k, v in config.items()}
        label = ", ".join(f"{k} = {v:g}" for k, v in config.items() if not isinstance(v, np.ndarray))
        check_step(rule, reference, w, dw, config, name=f"{name}(w, dw, config) with {label}",
                   mistakes=mistakes(w, dw, config))
    _untouched_w_dw(rule, rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), None, name)


def hidden_sgd_momentum(ns: dict) -> None:
    """Hidden test of Exercise 2: six steps on four shapes, other hyperparameters."""
    __tracebackhide__ = True
    _hidden_rule(ns, "sgd_momentum", optim.sgd_momentum, momentum_mistakes, 21, (0, 1),
                 [{"learning_rate": 0.5, "momentum": 0.0, "velocity": "normal"},
                  {"learning_rate": 1e-3, "momentum": 0.99, "velocity": "normal"},
                  {"learning_rate": 0.07, "momentum": 0.5, "velocity": "normal"}])


def hidden_rmsprop(ns: dict) -> None:
    """Hidden test of Exercise 3: gradients from 1e-6 to 10, other hyperparameters."""
    __tracebackhide__ = True
    _hidden_rule(ns, "rmsprop", optim.rmsprop, rmsprop_mistakes, 22, (-6, 2),
                 [{"learning_rate": 0.5, "decay_rate": 0.5, "epsilon": 1e-8, "cache": "uniform"},
                  {"learning_rate": 1e-3, "decay_rate": 0.999, "epsilon": 1e-6, "cache": "uniform"},
                  {"learning_rate": 0.02, "decay_rate": 0.0, "epsilon": 1e-4, "cache": "uniform"}])


def hidden_adam(ns: dict) -> None:
    """Hidden test of Exercise 4: steps on four shapes, other betas and step counts."""
    __tracebackhide__ = True
    _hidden_rule(ns, "adam", optim.adam, adam_mistakes, 23, (-3, 2),
                 [{"learning_rate": 0.1, "beta1": 0.5, "beta2": 0.9, "t": 0, "m": "normal", "v": "uniform"},
                  {"learning_rate": 1e-4, "beta1": 0.95, "beta2": 0.9999, "t": 100, "m": "normal", "v": "uniform"},
                  {"learning_rate": 0.02, "beta1": 0.0, "beta2": 0.5, "t": 7, "m": "normal", "v": "uniform"}])


# ----------------------------------------------------------------------------- batch normalization
def batchnorm_out_mistakes(x, gamma, beta, bn_param) -> dict:
    """Wrong `out` of plausible `batchnorm_forward` mistakes (train or test mode)."""
    eps = bn_param.get("eps", 1e-5)
    x = np.asarray(x, dtype=float)
    D = x.shape[1]
    mu, var = x.mean(axis=0), x.var(axis=0)
    run_mean = bn_param.get("running_mean", np.zeros(D))
    run_var = bn_param.get("running_var", np.ones(D))
    with np.errstate(all="ignore"):
        out = {
            ("gamma-beta-swapped", "gamma and beta are swapped: gamma scales, beta shifts."):
                beta * (x - mu) / np.sqrt(var + eps) + gamma,
            ("no-gamma-beta", "gamma and beta are missing: the normalized values are scaled by gamma and shifted "
                              "by beta."): (x - mu) / np.sqrt(var + eps),
        }
        if bn_param.get("mode") == "train":
            out.update({
                ("unbiased-variance", "you used the unbiased variance (dividing by N - 1): batch normalization "
                                      "divides by N, as np.var does by default."):
                    gamma * (x - mu) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta,
                ("eps-missing", "eps is missing under the square root. It matters for the feature with a tiny "
                                "variance."): gamma * (x - mu) / np.sqrt(var) + beta,
                ("eps-outside-sqrt", "eps is outside the square root: it is added to the variance, before the "
                                     "root."): gamma * (x - mu) / (np.sqrt(var) + eps) + beta,
                ("divides-by-variance", "you divided by the variance, not by its square root (the standard "
                                        "deviation)."): gamma * (x - mu) / (var + eps) + beta,
                ("wrong-axis", "the statistics are taken over the wrong axis: each FEATURE (column) gets its own "
                               "mean and variance, taken over the samples (the rows)."):
                    gamma * (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + eps) + beta,
                ("running-stats-in-train", "you normalized with the running averages in train mode: training uses "
                                           "the batch's own mean and variance (and then updates the running "
                                           "averages)."): gamma * (x - run_mean) / np.sqrt(run_var + eps) + beta,
            })
        else:
            out.update({
                ("batch-stats-in-test", "test mode used the statistics of the test batch: it must use bn_param's "
                                        "running averages, so that a sample's output does not depend on the rest "
                                        "of its batch."): gamma * (x - mu) / np.sqrt(var + eps) + beta,
                ("test-divides-by-variance", "test mode divided by the running variance, not by its square root."):
                    gamma * (x - run_mean) / (run_var + eps) + beta,
            })
    return out


def running_mistakes(x, bn_param, which: str) -> dict:
    """Wrong running averages (`which` is "running_mean" or "running_var") after one train step."""
    x = np.asarray(x, dtype=float)
    D = x.shape[1]
    momentum = bn_param.get("momentum", 0.9)
    old = bn_param.get(which, np.zeros(D) if which == "running_mean" else np.ones(D))
    batch = x.mean(axis=0) if which == "running_mean" else x.var(axis=0)
    wrong = {
        ("momentum-convention", f"momentum weights the batch statistic in your {which} (PyTorch's convention, where "
                                "momentum=0.1 means '10 % new'). In this lesson, as in CS231n and Keras, momentum is "
                                "the weight of the OLD running average (0.9 by default), and 1 - momentum the "
                                "weight of the batch."): (1 - momentum) * old + momentum * batch,
        ("running-not-updated", f"{which} was not updated: in train mode store the new running average in "
                                "bn_param."): old,
        ("running-replaced", f"{which} was replaced by the batch value: it is a running AVERAGE of the batch values."):
            batch,
    }
    if which == "running_var":
        wrong[("running-var-unbiased", "the running variance must average the same (biased, divided by N) batch "
                                       "variance the layer uses.")] = \
            momentum * old + (1 - momentum) * x.var(axis=0, ddof=1)
        wrong[("running-std", "the running variance averages the batch VARIANCE, not the standard deviation.")] = \
            momentum * old + (1 - momentum) * x.std(axis=0)
    return wrong


def inv_std_mistakes(x, eps: float = 1e-5) -> dict:
    """Wrong third item of the cache (x_hat, gamma, inv_std)."""
    var = np.asarray(x, dtype=float).var(axis=0)
    return {
        ("cache-variance", "the cache holds the variance; the exercise asks for inv_std, one over the standard "
                           "deviation (eps included)."): var,
        ("cache-std", "the cache holds the standard deviation; the exercise asks for its inverse, inv_std."):
            np.sqrt(var + eps),
        ("cache-no-eps", "the cache holds 1 / sqrt(var) without eps."): 1 / np.sqrt(var),
    }


def bn_forward_case(func: Callable, x, gamma, beta, bn_param: dict) -> None:
    """Run the student's `batchnorm_forward` and the reference on copies of the same inputs and
    compare the output, the train-mode cache (x_hat, gamma, inv_std) and the running averages
    left in bn_param (updated in train mode, unchanged in test mode)."""
    __tracebackhide__ = True
    mode = bn_param["mode"]
    shown = ", ".join(f"{k!r}: {v!r}" if not isinstance(v, np.ndarray) else f"{k!r}: array" for k, v in bn_param.items())
    name = f"batchnorm_forward(x of shape {np.shape(x)}, gamma, beta, {{{shown}}})"
    student_bn = copy.deepcopy(bn_param)
    result = attempt(func, np.array(x, dtype=float), np.array(gamma, dtype=float), np.array(beta, dtype=float),
                     student_bn, name=name, hints=_BN_HINTS)
    reference_bn = copy.deepcopy(bn_param)
    ref_out, ref_cache = layers.batchnorm_forward(np.array(x, dtype=float), np.array(gamma, dtype=float),
                                                  np.array(beta, dtype=float), reference_bn)
    if result is None:
        _fail(f"{name} returned None. Did you forget to return (out, cache)?", mistake="batchnorm_forward:no-return")
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 2:
        _fail(f"{name} should return a pair (out, cache), but it returned a {type(result).__name__}.",
              mistake="batchnorm_forward:type")
    out, cache = result
    mistakes = batchnorm_out_mistakes(x, gamma, beta, bn_param)
    eps = bn_param.get("eps", 1e-5)
    if eps != 1e-5 and mode == "train":
        mu, var = np.mean(x, axis=0), np.var(x, axis=0)
        mistakes[("eps-not-read", "you used eps = 1e-5 although bn_param['eps'] is different: read eps (and "
                                  "momentum) from bn_param, using the defaults only when a key is missing.")] = \
            gamma * (x - mu) / np.sqrt(var + 1e-5) + beta
    check(out, ref_out, f"{name}: out", mistakes=mistakes,
          nan_hint="a feature whose values are (nearly) equal has variance (nearly) 0: that is what eps is for.")
    if mode == "train":
        if not isinstance(cache, tuple) or len(cache) != 3:
            _fail(f"{name}: the cache should be the tuple (x_hat, gamma, inv_std), but it is "
                  f"{'a tuple of length %d' % len(cache) if isinstance(cache, tuple) else 'a ' + type(cache).__name__}.",
                  "the exercise fixes the cache to exactly (x_hat, gamma, inv_std): Exercise 6's test passes caches "
                  "in this form.", "batchnorm_forward:cache-format")
        check(cache[0], ref_cache[0], f"{name}: cache[0] (x_hat)")
        check(np.asarray(cache[1], dtype=float), ref_cache[1], f"{name}: cache[1] (gamma)")
        check(cache[2], ref_cache[2], f"{name}: cache[2] (inv_std)", mistakes=inv_std_mistakes(x, eps))
        if "momentum" not in bn_param and "momentum" in student_bn and student_bn["momentum"] != 0.9:
            _fail(f"after {name}, bn_param['momentum'] is {student_bn['momentum']!r}; its default is 0.9.",
                  "in this lesson momentum is the weight of the old running average, 0.9 by default (PyTorch's "
                  "momentum=0.1 is the weight of the new batch, the other convention).",
                  "batchnorm_forward:momentum-convention")
        for key in ("running_mean", "running_var"):
            if key not in student_bn:
                _fail(f"after {name}, bn_param has no key {key!r}.",
                      "store the updated running average in bn_param in train mode.",
                      "batchnorm_forward:running-not-updated")
            check(np.asarray(student_bn[key], dtype=float), reference_bn[key], f"{name}: bn_param[{key!r}] afterwards",
                  mistakes=running_mistakes(x, bn_param, key))
    else:
        for key in ("running_mean", "running_var"):
            if key in bn_param and not np.array_equal(np.asarray(student_bn.get(key)), bn_param[key]):
                _fail(f"{name} changed bn_param[{key!r}] in test mode.",
                      "test mode only reads the running averages; they are updated in train mode.",
                      "batchnorm_forward:test-updates-running")


_BN_X = np.array([[1.0, 10.0, 0.50], [2.0, 14.0, 0.51], [4.0, 9.0, 0.49], [7.0, 11.0, 0.52], [6.0, 16.0, 0.50]])
_BN_GAMMA, _BN_BETA = np.array([1.5, 0.5, 2.0]), np.array([0.1, -0.2, 0.3])


def check_batchnorm_forward(ns: dict) -> None:
    """Visible test of Exercise 5."""
    __tracebackhide__ = True
    func = own(ns, "batchnorm_forward")
    bn_forward_case(func, _BN_X, _BN_GAMMA, _BN_BETA, {"mode": "train"})
    # momentum 0.8: here the two conventions of momentum (weight of the old average, or of the batch) differ
    bn_forward_case(func, _BN_X, _BN_GAMMA, _BN_BETA,
                    {"mode": "train", "momentum": 0.8, "eps": 1e-3,
                     "running_mean": np.array([1.0, 2.0, 3.0]), "running_var": np.array([2.0, 3.0, 4.0])})
    bn_forward_case(func, _BN_X, _BN_GAMMA, _BN_BETA,
                    {"mode": "test", "running_mean": np.array([3.0, 12.0, 0.5]), "running_var": np.array([4.0, 9.0, 0.01])})
    bn_forward_case(func, _BN_X[3:4], _BN_GAMMA, _BN_BETA, {"mode": "test"})
    def forward(x, gamma, beta):  # bn_param is the function's to update; x, gamma and beta are not
        return func(x, gamma, beta, {"mode": "train"})

    check_no_mutation(forward, _BN_X.copy(), _BN_GAMMA.copy(), _BN_BETA.copy(), name="batchnorm_forward")
    passed("batchnorm_forward: train mode (output, cache, running averages with momentum 0.9 and 0.8), other eps, "
           "test mode, x untouched")


def hidden_batchnorm_forward(ns: dict) -> None:
    """Hidden test of Exercise 5: other shapes, three train steps in a row, then test mode."""
    __tracebackhide__ = True
    func = own(ns, "batchnorm_forward")
    rng = np.random.default_rng(24)
    for n, d in [(2, 1), (16, 5), (100, 30), (7, 1)]:
        x = rng.normal(3.0, 4.0, size=(n, d))
        g, b = rng.normal(size=d), rng.normal(size=d)
        bn = {"mode": "train"}
        for _ in range(3):
            bn_forward_case(func, x, g, b, bn)
            layers.batchnorm_forward(x, g, b, bn)  # carry the running averages on, as the reference has them
            x = x * 1.1 + 0.5
        bn_forward_case(func, x[:1], g, b, dict(bn, mode="test"))
    bn_forward_case(func, rng.normal(size=(8, 3)) * 1e3, np.ones(3), np.zeros(3),
                    {"mode": "train", "momentum": 0.3})


def batchnorm_backward_mistakes(dout, cache) -> dict:
    """Wrong dx of plausible `batchnorm_backward` mistakes, for a cache (x_hat, gamma, inv_std)."""
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    return {
        ("only-direct-path", "you followed only the direct path from x to x_hat. The batch mean and variance depend "
                             "on every sample too: add the paths through the mean and through the variance."):
            dx_hat * inv_std,
        ("variance-path-missing", "the path through the variance is missing (you have the direct path and the path "
                                  "through the mean)."): inv_std / N * (N * dx_hat - dx_hat.sum(axis=0)),
        ("mean-path-missing", "the path through the mean is missing (you have the direct path and the path "
                              "through the variance)."):
            inv_std / N * (N * dx_hat - x_hat * (dx_hat * x_hat).sum(axis=0)),
        ("gamma-missing", "gamma is missing: the gradient reaching x_hat is dout times gamma, since the output is "
                          "gamma * x_hat + beta."):
            inv_std / N * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0)),
        ("factor-n-missing", "a factor 1/N is missing on the paths through the mean and the variance "
                             "(d mean / d x_i = 1/N)."):
            inv_std * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)),
    }


def bn_backward_case(func: Callable, dout, cache, *, name: str) -> None:
    """Compare the student's `batchnorm_backward(dout, cache)` with the reference, naming mistakes; dout and
    the cache must stay untouched, and a second call must give the same result."""
    __tracebackhide__ = True
    result = check_no_mutation(func, np.array(dout), tuple(np.array(c) for c in cache), name=name, twice=True)
    if result is None:
        _fail(f"{name} returned None. Did you forget to return (dx, dgamma, dbeta)?",
              mistake="batchnorm_backward:no-return")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        _fail(f"{name} should return three arrays (dx, dgamma, dbeta), but it returned a {type(result).__name__}"
              f"{' of length %d' % len(result) if isinstance(result, (tuple, list)) else ''}.",
              mistake="batchnorm_backward:type")
    dx, dgamma, dbeta = result
    ref_dx, ref_dgamma, ref_dbeta = layers.batchnorm_backward(dout, cache)
    x_hat = cache[0]
    check(dbeta, ref_dbeta, f"{name}: dbeta",
          mistakes={("dbeta-mean", "dbeta is the SUM of dout over the samples, not the mean."): dout.mean(axis=0)})
    check(dgamma, ref_dgamma, f"{name}: dgamma",
          mistakes={("dgamma-no-x-hat", "each gamma_j multiplies x_hat_j in the output, so its gradient sums dout "
                                        "times x_hat over the samples."): dout.sum(axis=0),
                    ("dgamma-times-gamma", "dgamma does not contain gamma itself: the output is linear in gamma."):
                        (dout * x_hat * cache[1]).sum(axis=0),
                    ("dgamma-mean", "dgamma sums over the samples, it is not a mean."): (dout * x_hat).mean(axis=0)})
    check(dx, ref_dx, f"{name}: dx", mistakes=batchnorm_backward_mistakes(dout, cache))


def _bn_cache(x, gamma):
    return layers.batchnorm_forward(np.asarray(x, dtype=float), np.asarray(gamma, dtype=float),
                                    np.zeros(np.shape(gamma)), {"mode": "train"})[1]


def check_batchnorm_backward(ns: dict) -> None:
    """Visible test of Exercise 6 (caches made by the course's forward pass, in the exercise's form)."""
    __tracebackhide__ = True
    func = own(ns, "batchnorm_backward")
    rng = np.random.default_rng(0)
    x = rng.normal(1.0, 2.0, size=(4, 3))
    dout = rng.normal(size=(4, 3))
    bn_backward_case(func, dout, _bn_cache(x, [1.5, 0.5, -2.0]), name="batchnorm_backward(dout, cache) for N = 4, D = 3")
    x = rng.normal(-2.0, 0.5, size=(6, 2))
    dout = rng.normal(size=(6, 2))
    bn_backward_case(func, dout, _bn_cache(x, [0.7, 2.0]), name="batchnorm_backward(dout, cache) for N = 6, D = 2")
    passed("batchnorm_backward: dx, dgamma, dbeta for two batches; dout and cache untouched, the same result twice")


def hidden_batchnorm_backward(ns: dict) -> None:
    """Hidden test of Exercise 6: other shapes, a batch of one and a batch of two."""
    __tracebackhide__ = True
    func = own(ns, "batchnorm_backward")
    rng = np.random.default_rng(25)
    for n, d in [(2, 1), (5, 4), (32, 10), (1, 3)]:
        x = rng.normal(2.0, 3.0, size=(n, d))
        g = rng.normal(size=d)
        dout = rng.normal(size=(n, d))
        bn_backward_case(func, dout, _bn_cache(x, g), name=f"batchnorm_backward(dout, cache) for N = {n}, D = {d}")


# ----------------------------------------------------------------------------- gradient clipping
def check_arrays(actual, expected: list, name: str, mistakes: dict | None = None) -> None:
    """Check a list (or tuple) of arrays against `expected`, naming a mistake ({(slug, explanation): list})
    when the whole list matches it."""
    __tracebackhide__ = True
    function = name.split("(")[0]
    if not isinstance(actual, (list, tuple)):
        _fail(f"{name} should be a list of arrays, one per gradient, but it is a {type(actual).__name__}.",
              mistake=f"{function}:type")
    if len(actual) != len(expected):
        _fail(f"{name} holds {len(actual)} arrays, but there are {len(expected)} gradients.", mistake=f"{function}:type")

    def close(items, targets):
        try:
            return all(np.shape(a) == np.shape(t) and np.allclose(np.asarray(a, dtype=float), t, rtol=1e-6, atol=1e-9)
                       for a, t in zip(items, targets))
        except (TypeError, ValueError):
            return False

    if not close(actual, expected):
        for (slug, explanation), wrong in (mistakes or {}).items():
            if close(actual, wrong):
                _fail(f"{name} is wrong: {explanation}", mistake=f"{function}:{slug}")
    for i, (a, e) in enumerate(zip(actual, expected)):
        check(a, e, f"{name}[{i}]")


def clip_mistakes(grads, max_norm) -> dict:
    """Wrong clipped lists of plausible `clip_by_global_norm` mistakes: {(slug, explanation): list of arrays}.

    A mistake that gives the same arrays as another on these gradients is named together with it."""
    grads = [np.asarray(g, dtype=float) for g in grads]
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    each = [g * (max_norm / max(float(np.linalg.norm(g)), max_norm)) for g in grads]
    by_value = [np.clip(g, -max_norm, max_norm) for g in grads]
    own = ("each gradient was clipped by its own norm: the global norm takes ALL entries of ALL arrays together, "
           "and every array is scaled by the same factor.")
    value = ("you clipped each entry to [-max_norm, max_norm] (clipping by value, np.clip): that changes the "
             "direction of the gradient. Clipping by the global norm multiplies every array by one factor.")
    out = {}
    if all(np.allclose(a, b) for a, b in zip(each, by_value)):
        out[("clipped-each-alone", "each gradient was clipped on its own (by its own norm, or entry by entry by "
                                   "value): the global norm takes ALL entries of ALL arrays together, and every "
                                   "array is scaled by the same factor.")] = each
    else:
        out[("clipped-by-value", value)] = by_value
        out[("clipped-by-own-norm", own)] = each
    with np.errstate(all="ignore"):
        out[("always-scaled", "the gradients were scaled although their global norm is below max_norm: below the "
                              "limit the factor is 1.")] = [g * max_norm / norm for g in grads]
    return out


def clip_case(func: Callable, grads: list, max_norm) -> None:
    """Compare the student's `clip_by_global_norm(grads, max_norm)` with the reference; grads untouched."""
    __tracebackhide__ = True
    name = f"clip_by_global_norm(grads, {max_norm!r}) for arrays of shapes {[np.shape(g) for g in grads]}"
    zero = not any(np.any(np.asarray(g) != 0) for g in grads)
    with np.errstate(all="ignore"):
        result = check_no_mutation(func, [np.array(g) for g in grads], max_norm, name=name)
    if zero and result is not None:
        name = name.replace(" for arrays", " for all-zero arrays")
    if result is None:
        _fail(f"{name} returned None. Did you forget to return (clipped, norm)?", mistake="clip_by_global_norm:no-return")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        _fail(f"{name} should return a pair (clipped list, norm), but it returned a {type(result).__name__}"
              f"{' of length %d' % len(result) if isinstance(result, (tuple, list)) else ''}.",
              mistake="clip_by_global_norm:type")
    clipped, norm = result
    if isinstance(norm, (list, tuple)) and not isinstance(clipped, (list, tuple)):
        _fail(f"{name} returned (norm, clipped): the order is (clipped list, norm).",
              mistake="clip_by_global_norm:order")
    ref_clipped, ref_norm = optim.clip_by_global_norm([np.array(g, dtype=float) for g in grads], max_norm)
    norms = [float(np.linalg.norm(np.ravel(g))) for g in grads]
    norm_mistakes = {
        ("norm-sum-of-norms", "you returned the sum of the arrays' norms; the global norm is the root of the sum "
                              "of ALL squared entries (for the worked example 13, not 5 + 12 = 17)."): float(sum(norms)),
        ("norm-squared", "you returned the squared norm: the root is missing."): ref_norm ** 2,
    }
    if not zero:
        norm_mistakes[("norm-is-factor", "you returned the scale factor; return the global norm before clipping.")] = \
            max_norm / max(ref_norm, max_norm)
    if ref_norm > max_norm:
        norm_mistakes = {("norm-after-clipping", "you returned the norm AFTER clipping (= max_norm); return the "
                                                 "global norm of the gradients as they came in."): float(max_norm),
                         **norm_mistakes}
    if isinstance(norm, np.ndarray) and norm.ndim > 0 and norm.size > 1:
        _fail(f"{name}: the norm returned has shape {norm.shape}; it should be one number, the global norm.",
              "one norm for all the arrays together: add up the squares of every entry of every array first.",
              "clip_by_global_norm:shape")
    zero_hint = ("all the gradients are 0 here, so the global norm is 0 and a factor max_norm / norm divides by "
                 "zero. Below the limit the factor is 1: compute the factor in a way that never divides by 0.")
    check(norm, ref_norm, f"{name}: the norm returned", mistakes=norm_mistakes, nan_hint=zero_hint if zero else None)
    if zero:
        for i, g in enumerate(clipped if isinstance(clipped, (list, tuple)) else []):
            if not np.all(np.isfinite(np.asarray(g, dtype=float))):
                _fail(f"{name} returned nan or inf in clipped[{i}].", zero_hint, "clip_by_global_norm:zero-norm")
    check_arrays(clipped, ref_clipped, f"{name}: the clipped gradients", mistakes=clip_mistakes(grads, max_norm))


_ZERO_HINTS = {ZeroDivisionError: "all the gradients are 0 here, so the global norm is 0 and dividing max_norm by it "
                                  "fails. Below the limit the factor is 1: compute it so that it never divides by 0."}


def check_clip_by_global_norm(ns: dict) -> None:
    """Visible test of Exercise 7."""
    __tracebackhide__ = True
    func = own(ns, "clip_by_global_norm")
    grads = [np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([12.0, 0.0, 0.0])]
    three = [np.array([[1.0, -2.0], [2.0, 0.5]]), np.array([-4.0]), np.array([[0.5], [3.0]])]
    clip_case(func, three, 2)          # global norm about 5.8 > 2, with an integer max_norm
    clip_case(func, grads, 5.0)        # the worked example: global norm 13 > 5, every array times 5/13
    clip_case(func, grads, 20.0)       # 13 < 20: nothing changes
    _zero_case(func, 1.0)
    passed("clip_by_global_norm: the worked example, below the limit, three arrays with an integer max_norm, "
           "all-zero gradients, grads untouched")


def _zero_case(func: Callable, max_norm: float) -> None:
    __tracebackhide__ = True
    grads = [np.zeros(3), np.zeros((2, 2))]
    name = f"clip_by_global_norm(grads, {max_norm!r}) for all-zero arrays of shapes [(3,), (2, 2)]"
    with np.errstate(all="ignore"):
        attempt(func, [g.copy() for g in grads], max_norm, name=name, hints=_ZERO_HINTS)
    clip_case(func, grads, max_norm)


def hidden_clip_by_global_norm(ns: dict) -> None:
    """Hidden test of Exercise 7: random shapes and scales, a norm exactly at the limit, zero gradients."""
    __tracebackhide__ = True
    func = own(ns, "clip_by_global_norm")
    rng = np.random.default_rng(26)
    for shapes in [[(3,)], [(2, 3), (4,), (1,)], [(2, 2, 2), (5, 1)], [(10, 10), (10,)]]:
        for scale in (0.01, 1.0, 100.0):
            grads = [rng.normal(size=s) * scale for s in shapes]
            clip_case(func, grads, float(rng.uniform(0.5, 5.0)))
    clip_case(func, [np.array([3.0, 4.0])], 5.0)
    _zero_case(func, 2.5)
