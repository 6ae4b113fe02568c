"""Diagnoses for the visible tests of lesson 07 (training deep networks).

Each `*_mistakes` function returns ``{explanation: wrong value}`` for `check(..., mistakes=...)`:
the value a known mistake would give on the same inputs, so that the message can name it.
`call` runs a student's function and turns an exception into a message the student can act on.
Nothing here modifies its arguments.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from . import CheckFailed, _fail, check
from .. import layers, optim

__all__ = ["call", "check_rule_output", "he_init_mistakes", "check_batchnorm_forward", "check_batchnorm_backward",
           "check_clip", "check_step", "check_defaults", "check_steps", "check_arrays",
           "check_untouched", "check_rng_used", "momentum_mistakes", "rmsprop_mistakes",
           "adam_mistakes", "batchnorm_out_mistakes", "running_mistakes", "inv_std_mistakes",
           "batchnorm_backward_mistakes", "clip_mistakes"]

_CONFIG_HINT = ("config may be None or lack keys: start with `if config is None: config = {}` and fill in each "
                "missing key with its default, e.g. `config.setdefault('learning_rate', 1e-2)`; state such as "
                "the velocity starts as zeros shaped like w.")


def call(func: Callable, *args: Any, name: str, copy_args: bool = True) -> Any:
    """Call `func(*args)` (on deep copies of the arguments unless `copy_args` is False) and turn
    an exception into `CheckFailed`.

    `name` says how the call looks in messages, e.g. ``"sgd_momentum(w, dw, None)"``.
    """
    __tracebackhide__ = True
    if copy_args:
        args = copy.deepcopy(args)
    try:
        return func(*args)
    except CheckFailed:
        raise
    except NotImplementedError:
        _fail(f"{name} raised NotImplementedError: the exercise is not done yet.",
              "replace `raise NotImplementedError()` in the exercise cell with your code and run that cell.")
    except KeyError as error:
        _fail(f"{name} raised KeyError {error}: a key your function reads is missing from its dict.",
              _CONFIG_HINT if "config" in name or "None" in name else
              "fill in missing keys with their defaults (`bn_param.setdefault('eps', 1e-5)` ...) before reading them.")
    except Exception as error:  # noqa: BLE001 -- any other error becomes a message
        if "NoneType" in str(error) and ("config" in name or "None" in name):
            _fail(f"{name} raised {type(error).__name__}: {error}.", _CONFIG_HINT)
        if isinstance(error, TypeError):
            _fail(f"{name} raised TypeError: {error}.",
                  "check the number and order of the arguments and that you work with NumPy arrays.")
        _fail(f"{name} raised {type(error).__name__}: {error}.",
              "run the call yourself in a new cell to see the line that fails.")


def check_rule_output(result: Any, w: np.ndarray, name: str) -> tuple[np.ndarray, dict]:
    """Check that an update rule returned ``(next_w, config)`` with next_w an array shaped like w."""
    __tracebackhide__ = True
    if result is None:
        _fail(f"{name} returned None. Did you forget `return next_w, config`?")
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 2:
        _fail(f"{name} should return a pair (next_w, config), but it returned "
              f"{type(result).__name__}{f' of length {len(result)}' if isinstance(result, (tuple, list)) else ''}.",
              "end with `return next_w, config`: the caller passes config back on the next step.")
    next_w, config = result
    if not isinstance(next_w, np.ndarray):
        _fail(f"{name}: next_w should be a NumPy array, but it is a {type(next_w).__name__}.")
    if next_w.shape != w.shape:
        _fail(f"{name}: next_w has shape {next_w.shape}, but w has shape {w.shape}.")
    if not isinstance(config, dict):
        _fail(f"{name}: the second item returned should be the config dict, but it is a {type(config).__name__}.",
              "return the dict that holds the hyperparameters and the state, so the next step can use it.")
    return next_w, config


def check_rng_used(func: Callable, *args: Any, name: str) -> None:
    """Check that `func(*args, rng)` draws its numbers from the generator it is given.

    Two generators with the same seed must give the same array, two different seeds
    different arrays, and the generator must have advanced.
    """
    __tracebackhide__ = True
    first = call(func, *args, np.random.default_rng(7), name=name)
    again = call(func, *args, np.random.default_rng(7), name=name)
    other = call(func, *args, np.random.default_rng(8), name=name)
    first, again, other = (np.asarray(a, dtype=float) for a in (first, again, other))
    if not np.array_equal(first, again):
        _fail(f"{name} gave different numbers for two generators with the same seed: it does not draw from `rng`.",
              "use the generator passed in: `rng.normal(...)` or `rng.standard_normal(...)`, not `np.random.randn`.")
    if np.array_equal(first, other):
        _fail(f"{name} gave the same numbers for generators with different seeds: it ignores `rng`.",
              "draw the weights from the `rng` argument, not from a generator you create inside the function.")


# ----------------------------------------------------------------------------- initialization
def he_init_mistakes(fan_in: int, fan_out: int) -> dict:
    """Standard deviations that plausible `he_init` mistakes give: {explanation: std}."""
    return {
        "the standard deviation is 1/sqrt(fan_in), Xavier's choice for tanh. ReLU zeroes half of its inputs, "
        "so He's weights are sqrt(2) times larger: sqrt(2 / fan_in).": float(np.sqrt(1 / fan_in)),
        "you divided by fan_out: what matters is the variance of each unit's sum over its fan_in inputs, "
        "so the standard deviation is sqrt(2 / fan_in).": float(np.sqrt(2 / fan_out)),
        "that is Glorot's sqrt(2 / (fan_in + fan_out)); He's scale for ReLU is sqrt(2 / fan_in).":
            float(np.sqrt(2 / (fan_in + fan_out))),
        "you used 2 / fan_in as the standard deviation, but it is the VARIANCE: the standard deviation is "
        "sqrt(2 / fan_in).": 2 / fan_in,
        "the weights have standard deviation 1: multiply them by sqrt(2 / fan_in).": 1.0,
        "every weight is the same (standard deviation 0). If you wrote 2 // fan_in, that is integer division "
        "and gives 0: use 2 / fan_in. Weights must be random to break the symmetry.": 0.0,
    }


# ----------------------------------------------------------------------------- optimizers
def check_step(rule: Callable, reference: Callable, w, dw, config, *, name: str, mistakes: dict | None = None,
               state: tuple = ()) -> tuple[np.ndarray, dict]:
    """One step of the student's `rule` and of the `reference` rule from copies of the same inputs.

    Checks the returned pair, next_w (naming `mistakes`) and each config key listed in `state`
    against the reference. Returns the student's (next_w, config).
    """
    __tracebackhide__ = True
    next_w, new_config = check_rule_output(call(rule, w, dw, config, name=name), w, name)
    ref_w, ref_config = reference(np.array(w, dtype=float), np.array(dw, dtype=float), copy.deepcopy(config))
    check(next_w, ref_w, f"next_w of {name}", mistakes=mistakes)
    for key in state:
        if key not in new_config:
            _fail(f"after {name} the returned config has no key {key!r}.",
                  f"store the new {key} in config (config[{key!r}] = ...), so the next step can use it.")
        expected = ref_config[key]
        actual = new_config[key]
        if isinstance(expected, np.ndarray):
            check(np.asarray(actual) if isinstance(actual, (list, tuple)) else actual, expected,
                  f"config[{key!r}] after {name}")
        else:
            check(actual, float(expected), f"config[{key!r}] after {name}")
    return next_w, new_config


def check_defaults(rule: Callable, reference: Callable, w, dw, defaults: dict, *, name: str,
                   mistakes: dict | None = None) -> None:
    """With config None and with an empty dict, the rule must fill in `defaults` ({key: value
    expected in the returned config}) and take the same step as the reference (naming `mistakes`)."""
    __tracebackhide__ = True
    for config, label in ((None, "None"), ({}, "{}")):
        call_name = f"{name}(w, dw, {label})"
        next_w, new_config = check_rule_output(call(rule, w, dw, config, name=call_name), w, call_name)
        for key, value in defaults.items():
            if key not in new_config:
                _fail(f"after {call_name} the returned config has no key {key!r}.",
                      f"fill in every missing default, e.g. config.setdefault({key!r}, {value!r}).")
            got = new_config[key]
            if not (isinstance(got, (int, float, np.number)) and np.isclose(float(got), value, rtol=1e-12, atol=0)):
                _fail(f"after {call_name}, config[{key!r}] is {got!r}, but its default is {value!r}.",
                      "use the defaults of the exercise text (CS231n's).")
        ref_w, _ = reference(np.array(w, dtype=float), np.array(dw, dtype=float), None)
        check(next_w, ref_w, f"next_w of {call_name} (the defaults, state starting at zeros)", mistakes=mistakes,
              nan_hint="a division by zero? With t = 0, 1 - beta**t is 0: increase t before the bias correction. "
                       "Otherwise look for a square root or a division of a state that starts at zero.")


def check_steps(rule: Callable, reference: Callable, w, grads, *, name: str, config: dict | None = None) -> None:
    """Several steps in a row, each passing the returned config back in: every next_w must
    match the reference's (the rule's state must be stored in config and read back)."""
    __tracebackhide__ = True
    w_student = np.array(w, dtype=float)
    w_ref = np.array(w, dtype=float)
    c_student = copy.deepcopy(config)
    c_ref = copy.deepcopy(config)
    for k, dw in enumerate(grads, start=1):
        call_name = f"step {k} of {name}"
        w_student, c_student = check_rule_output(call(rule, w_student, dw, c_student, name=call_name),
                                                 w_student, call_name)
        w_ref, c_ref = reference(w_ref, np.array(dw, dtype=float), c_ref)
        if k > 1 and not np.allclose(w_student, w_ref, rtol=1e-6, atol=1e-8):
            _fail(f"step 1 of {name} was right, but step {k} was not (got {np.array2string(w_student, precision=5)}, "
                  f"expected {np.array2string(w_ref, precision=5)}).",
                  "the rule's state (velocity, cache, m, v, t) must be stored in the config you return and read "
                  "back from the config passed in on the next step.")
        check(w_student, w_ref, f"next_w after {call_name}")
        w_ref = np.array(w_student, dtype=float)  # continue both from the same point


def check_arrays(actual, expected: list, name: str, mistakes: dict | None = None) -> None:
    """Check a list (or tuple) of arrays against `expected`, naming a mistake ({explanation: list})
    when the whole list matches it."""
    __tracebackhide__ = True
    if not isinstance(actual, (list, tuple)):
        _fail(f"{name} should be a list of arrays, one per gradient, but it is a {type(actual).__name__}.")
    if len(actual) != len(expected):
        _fail(f"{name} holds {len(actual)} arrays, but there are {len(expected)} gradients.")

    def close(items, targets):
        try:
            return all(np.shape(a) == np.shape(t) and np.allclose(np.asarray(a, dtype=float), t, rtol=1e-6, atol=1e-9)
                       for a, t in zip(items, targets))
        except (TypeError, ValueError):
            return False

    if close(actual, expected):
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(a, e, f"{name}[{i}]")
        return
    for explanation, wrong in (mistakes or {}).items():
        if close(actual, wrong):
            _fail(f"{name} is wrong: {explanation}")
    for i, (a, e) in enumerate(zip(actual, expected)):
        check(a, e, f"{name}[{i}]")


def check_untouched(func: Callable, *args: Any, name: str) -> None:
    """Call `func(*args)` and fail if it changed any array inside its arguments (also arrays
    inside lists, tuples and dicts) in place."""
    __tracebackhide__ = True
    before = copy.deepcopy(args)
    call(func, *args, name=name, copy_args=False)

    def arrays(obj, path):
        if isinstance(obj, np.ndarray):
            yield path, obj
        elif isinstance(obj, (list, tuple)):
            for i, item in enumerate(obj):
                yield from arrays(item, f"{path}[{i}]")
        elif isinstance(obj, dict):
            for key, item in obj.items():
                yield from arrays(item, f"{path}[{key!r}]")

    for position, (old, new) in enumerate(zip(before, args), start=1):
        for (where, a), (_, b) in zip(arrays(old, f"argument {position}"), arrays(new, f"argument {position}")):
            if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
                _fail(f"{name} changed {where} in place.",
                      "build new arrays (x = x * s, or x.copy()) instead of changing the inputs (x *= s, x[...] = ...).")


def momentum_mistakes(w, dw, config) -> dict:
    """Wrong next_w of plausible `sgd_momentum` mistakes, for one step from `config`."""
    lr = config.get("learning_rate", 1e-2)
    mu = config.get("momentum", 0.9)
    v = config.get("velocity")
    v = np.zeros_like(w) if v is None else v
    return {
        "the sign is flipped: with v = momentum * v + learning_rate * dw and w + v, the weights move uphill. "
        "The velocity is v = momentum * v - learning_rate * dw, and next_w = w + v.": w + (mu * v + lr * dw),
        "you ignored the velocity stored in config: next_w is w - learning_rate * dw, plain SGD. "
        "Read config['velocity'] and use v = momentum * v - learning_rate * dw.": w - lr * dw,
        "you used the other convention, v = momentum * v + dw and w - learning_rate * v. "
        "This lesson's velocity (the one stored in config['velocity']) is v = momentum * v - learning_rate * dw, "
        "and next_w = w + v.": w - lr * (mu * v + dw),
        "you subtracted a velocity with the opposite sign (v = momentum * v + learning_rate * dw, next_w = w - v). "
        "config['velocity'] holds v = momentum * v - learning_rate * dw, which is added: next_w = w + v.":
            w - (mu * v + lr * dw),
        "that is Nesterov's update, not plain momentum: next_w = w + v with v = momentum * v - learning_rate * dw.":
            w + mu * (mu * v - lr * dw) - lr * dw,
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
            "the square root is missing: divide by sqrt(cache) + epsilon, not by cache + epsilon.":
                w - lr * dw / (new + eps),
            "epsilon is inside the square root: this lesson divides by np.sqrt(cache) + epsilon "
            "(it matters when gradients are tiny, as for some entries here).": w - lr * dw / np.sqrt(new + eps),
            "the cache must average the SQUARED gradient: cache = decay_rate * cache + (1 - decay_rate) * dw**2.":
                w - lr * dw / (np.sqrt(np.abs(rho * cache + (1 - rho) * dw)) + eps),
            "decay_rate and 1 - decay_rate are swapped: the old cache keeps the weight decay_rate (0.99), "
            "the new dw**2 gets 1 - decay_rate.": w - lr * dw / (np.sqrt((1 - rho) * cache + rho * dw * dw) + eps),
            "that is Adagrad: the cache must forget, cache = decay_rate * cache + (1 - decay_rate) * dw**2, "
            "not cache + dw**2.": w - lr * dw / (np.sqrt(cache + dw * dw) + eps),
            "you divided by the OLD cache: update config's cache first, then use it in the step.":
                w - lr * dw / (np.sqrt(cache) + eps),
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
            "the bias correction is missing: divide m by (1 - beta1**t) and v by (1 - beta2**t) before the step.":
                w - lr * m1 / (np.sqrt(v1) + eps),
            "only m is bias-corrected: v needs its own correction, v_hat = v / (1 - beta2**t).":
                w - lr * (m1 / (1 - b1 ** t)) / (np.sqrt(v1) + eps),
            "the correction used the old step count: increase config['t'] by 1 BEFORE the bias correction, "
            "so the first step uses t = 1.":
                w - lr * (m1 / (1 - b1 ** (t - 1))) / (np.sqrt(v1 / (1 - b2 ** (t - 1))) + eps),
            "the correction used t + 1: increase config['t'] by 1 once per step, before the correction.":
                w - lr * (m1 / (1 - b1 ** (t + 1))) / (np.sqrt(v1 / (1 - b2 ** (t + 1))) + eps),
            "beta1 and beta2 are swapped: m (the mean of dw) uses beta1 = 0.9, v (the mean of dw**2) beta2 = 0.999.":
                w - lr * ((b2 * m + (1 - b2) * dw) / (1 - b2 ** t))
                / (np.sqrt((b1 * v + (1 - b1) * dw * dw) / (1 - b1 ** t)) + eps),
            "v must average the SQUARED gradient: v = beta2 * v + (1 - beta2) * dw**2.":
                w - lr * (m1 / (1 - b1 ** t)) / (np.sqrt(np.abs((b2 * v + (1 - b2) * dw) / (1 - b2 ** t))) + eps),
            "epsilon is inside the square root: this lesson divides by np.sqrt(v_hat) + epsilon.":
                w - lr * (m1 / (1 - b1 ** t)) / np.sqrt(v1 / (1 - b2 ** t) + eps),
        }


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
            "gamma and beta are swapped: out = gamma * x_hat + beta (gamma scales, beta shifts).":
                beta * (x - mu) / np.sqrt(var + eps) + gamma,
            "gamma and beta are missing: out = gamma * x_hat + beta.": (x - mu) / np.sqrt(var + eps),
        }
        if bn_param.get("mode") == "train":
            out.update({
                "you used the unbiased variance (ddof=1, dividing by N - 1): batch normalization divides by N, "
                "as np.var(x, axis=0) does by default.": gamma * (x - mu) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta,
                "eps is missing: divide by np.sqrt(var + eps). It matters for the feature with a tiny variance.":
                    gamma * (x - mu) / np.sqrt(var) + beta,
                "eps is outside the square root: divide by np.sqrt(var + eps), not np.sqrt(var) + eps.":
                    gamma * (x - mu) / (np.sqrt(var) + eps) + beta,
                "you divided by the variance, not by its square root: x_hat = (x - mean) / np.sqrt(var + eps).":
                    gamma * (x - mu) / (var + eps) + beta,
                "the statistics are taken over the wrong axis: each FEATURE (column) gets its own mean and variance, "
                "taken over the samples, axis=0.":
                    gamma * (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + eps) + beta,
                "you normalized with the running averages in train mode: training uses the batch's own mean and "
                "variance (and then updates the running averages).":
                    gamma * (x - run_mean) / np.sqrt(run_var + eps) + beta,
            })
        else:
            out.update({
                "test mode used the statistics of the test batch: it must use bn_param's running_mean and "
                "running_var, so that a sample's output does not depend on the rest of its batch.":
                    gamma * (x - mu) / np.sqrt(var + eps) + beta,
                "test mode divided by the running variance, not its square root: np.sqrt(running_var + eps).":
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
        f"momentum and 1 - momentum are swapped: {which} = momentum * {which} + (1 - momentum) * batch value, "
        "so the old value keeps the larger weight (0.9).": (1 - momentum) * old + momentum * batch,
        f"{which} was not updated: in train mode store momentum * {which} + (1 - momentum) * batch value "
        "in bn_param.": old,
        f"{which} was replaced by the batch value: it is an average, momentum * {which} + (1 - momentum) * batch.":
            batch,
    }
    if which == "running_var":
        wrong["the running variance must average the same (biased, ddof=0) batch variance the layer uses."] = \
            momentum * old + (1 - momentum) * x.var(axis=0, ddof=1)
        wrong["the running variance averages the batch VARIANCE, not the standard deviation."] = \
            momentum * old + (1 - momentum) * x.std(axis=0)
    return wrong


def inv_std_mistakes(x, eps: float = 1e-5) -> dict:
    """Wrong third item of the cache (x_hat, gamma, inv_std)."""
    var = np.asarray(x, dtype=float).var(axis=0)
    return {
        "the cache holds the variance; store inv_std = 1 / np.sqrt(var + eps) instead.": var,
        "the cache holds the standard deviation np.sqrt(var + eps); store its inverse, 1 / np.sqrt(var + eps).":
            np.sqrt(var + eps),
        "the cache holds 1 / np.sqrt(var) without eps: store 1 / np.sqrt(var + eps).": 1 / np.sqrt(var),
    }


def batchnorm_backward_mistakes(dout, cache) -> dict:
    """Wrong dx of plausible `batchnorm_backward` mistakes, for a cache (x_hat, gamma, inv_std)."""
    x_hat, gamma, inv_std = cache
    N = dout.shape[0]
    dx_hat = dout * gamma
    return {
        "the two mean terms are missing: the batch mean and variance depend on every sample, so "
        "dx = inv_std / N * (N * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat)), sums over axis 0.":
            dx_hat * inv_std,
        "the term from the variance is missing: subtract x_hat * sum(dx_hat * x_hat, axis=0) too.":
            inv_std / N * (N * dx_hat - dx_hat.sum(axis=0)),
        "the term from the mean is missing: subtract sum(dx_hat, axis=0) too.":
            inv_std / N * (N * dx_hat - x_hat * (dx_hat * x_hat).sum(axis=0)),
        "gamma is missing: dx_hat = dout * gamma, since out = gamma * x_hat + beta.":
            inv_std / N * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0)),
        "the factor 1/N is missing in front of the bracket: "
        "dx = inv_std / N * (N * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat)).":
            inv_std * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)),
    }


# ----------------------------------------------------------------------------- gradient clipping
def clip_mistakes(grads, max_norm) -> dict:
    """Wrong (clipped list) of plausible `clip_by_global_norm` mistakes: {explanation: list of arrays}."""
    grads = [np.asarray(g, dtype=float) for g in grads]
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    each = [g * (max_norm / max(float(np.linalg.norm(g)), max_norm)) for g in grads]
    return {
        "each gradient was clipped by its own norm: the global norm is the norm of ALL entries of ALL arrays "
        "together, sqrt(sum of squares), and every array is scaled by the same factor.": each,
        "the gradients were scaled although their global norm is below max_norm: scale only when "
        "norm > max_norm (the factor is max_norm / max(norm, max_norm)).": [g * max_norm / norm for g in grads],
    }


# ----------------------------------------------------------------------------- whole checks of lesson 07
def check_batchnorm_forward(func: Callable, x, gamma, beta, bn_param: dict) -> None:
    """Run the student's `batchnorm_forward` and the reference on copies of the same inputs and
    compare the output, the train-mode cache (x_hat, gamma, inv_std) and the running averages
    left in bn_param (updated in train mode, unchanged in test mode)."""
    __tracebackhide__ = True
    mode = bn_param["mode"]
    shown = ", ".join(f"{k!r}: {v!r}" if not isinstance(v, np.ndarray) else f"{k!r}: array" for k, v in bn_param.items())
    name = f"batchnorm_forward(x of shape {np.shape(x)}, gamma, beta, {{{shown}}})"
    student_bn = copy.deepcopy(bn_param)
    result = call(func, np.array(x, dtype=float), np.array(gamma, dtype=float), np.array(beta, dtype=float),
                  student_bn, name=name, copy_args=False)
    reference_bn = copy.deepcopy(bn_param)
    ref_out, ref_cache = layers.batchnorm_forward(np.array(x, dtype=float), np.array(gamma, dtype=float),
                                                  np.array(beta, dtype=float), reference_bn)
    if result is None:
        _fail(f"{name} returned None. Did you forget `return out, cache`?")
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 2:
        _fail(f"{name} should return a pair (out, cache), but it returned a {type(result).__name__}.",
              "end with `return out, cache`.")
    out, cache = result
    mistakes = batchnorm_out_mistakes(x, gamma, beta, bn_param)
    eps = bn_param.get("eps", 1e-5)
    if eps != 1e-5 and mode == "train":
        mu, var = np.mean(x, axis=0), np.var(x, axis=0)
        mistakes["you used eps = 1e-5 although bn_param['eps'] is different: read eps (and momentum) from bn_param, "
                 "using 1e-5 only when the key is missing."] = gamma * (x - mu) / np.sqrt(var + 1e-5) + beta
    check(out, ref_out, f"out of {name}", mistakes=mistakes,
          nan_hint="a feature whose values are (nearly) equal has variance (nearly) 0: divide by np.sqrt(var + eps).")
    if mode == "train":
        if not isinstance(cache, tuple) or len(cache) != 3:
            _fail(f"the cache of {name} should be the tuple (x_hat, gamma, inv_std), but it is "
                  f"{'a tuple of length %d' % len(cache) if isinstance(cache, tuple) else 'a ' + type(cache).__name__}.",
                  "return cache = (x_hat, gamma, inv_std) exactly: Exercise 6's test passes caches in this form.")
        check(cache[0], ref_cache[0], f"cache[0] (x_hat) of {name}")
        check(np.asarray(cache[1], dtype=float), ref_cache[1], f"cache[1] (gamma) of {name}")
        check(cache[2], ref_cache[2], f"cache[2] (inv_std) of {name}", mistakes=inv_std_mistakes(x, eps))
        for key in ("running_mean", "running_var"):
            if key not in student_bn:
                _fail(f"after {name}, bn_param has no key {key!r}.",
                      f"store the updated running average in bn_param[{key!r}] in train mode.")
            check(np.asarray(student_bn[key], dtype=float), reference_bn[key], f"bn_param[{key!r}] after {name}",
                  mistakes=running_mistakes(x, bn_param, key))
    else:
        for key in ("running_mean", "running_var"):
            if key in bn_param and not np.array_equal(np.asarray(student_bn.get(key)), bn_param[key]):
                _fail(f"{name} changed bn_param[{key!r}] in test mode.",
                      "test mode only reads the running averages; they are updated in train mode.")


def check_batchnorm_backward(func: Callable, dout, cache, *, name: str) -> None:
    """Compare the student's `batchnorm_backward(dout, cache)` with the reference, naming mistakes."""
    __tracebackhide__ = True
    result = call(func, dout, cache, name=name)
    if result is None:
        _fail(f"{name} returned None. Did you forget `return dx, dgamma, dbeta`?")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        _fail(f"{name} should return three arrays (dx, dgamma, dbeta), but it returned a {type(result).__name__}"
              f"{' of length %d' % len(result) if isinstance(result, (tuple, list)) else ''}.")
    dx, dgamma, dbeta = result
    ref_dx, ref_dgamma, ref_dbeta = layers.batchnorm_backward(dout, cache)
    x_hat = cache[0]
    check(dbeta, ref_dbeta, f"dbeta of {name}",
          mistakes={"dbeta is the SUM of dout over the samples (axis 0), not the mean.": dout.mean(axis=0)})
    check(dgamma, ref_dgamma, f"dgamma of {name}",
          mistakes={"dgamma is sum(dout * x_hat, axis=0): out = gamma * x_hat + beta, so each gamma_j is "
                    "multiplied by x_hat.": dout.sum(axis=0),
                    "dgamma is sum(dout * x_hat, axis=0), without gamma.": (dout * x_hat * cache[1]).sum(axis=0),
                    "dgamma sums over the samples (axis 0), it is not a mean.": (dout * x_hat).mean(axis=0)})
    check(dx, ref_dx, f"dx of {name}", mistakes=batchnorm_backward_mistakes(dout, cache))


def check_clip(func: Callable, grads: list, max_norm) -> None:
    """Compare the student's `clip_by_global_norm(grads, max_norm)` with the reference."""
    __tracebackhide__ = True
    name = f"clip_by_global_norm(grads, {max_norm!r}) for arrays of shapes {[np.shape(g) for g in grads]}"
    result = call(func, grads, max_norm, name=name)
    if result is None:
        _fail(f"{name} returned None. Did you forget `return clipped, norm`?")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        _fail(f"{name} should return a pair (clipped list, norm), but it returned a {type(result).__name__}"
              f"{' of length %d' % len(result) if isinstance(result, (tuple, list)) else ''}.")
    clipped, norm = result
    if isinstance(norm, (list, tuple)) and not isinstance(clipped, (list, tuple)):
        _fail(f"{name} returned (norm, clipped): the order is (clipped list, norm).")
    ref_clipped, ref_norm = optim.clip_by_global_norm([np.array(g, dtype=float) for g in grads], max_norm)
    norms = [float(np.linalg.norm(np.ravel(g))) for g in grads]
    norm_mistakes = {
        "you returned the sum of the arrays' norms; the global norm is sqrt of the sum of ALL squared entries "
        "(for the worked example sqrt(9 + 16 + 144) = 13, not 5 + 12 = 17).": float(sum(norms)),
        "you returned the squared norm: take the square root of the sum of squares.": ref_norm ** 2,
        "you returned the scale factor; return the global norm before clipping.": max_norm / max(ref_norm, max_norm),
    }
    if ref_norm > max_norm:
        norm_mistakes = {"you returned the norm AFTER clipping (= max_norm); return the global norm of the "
                         "gradients as they came in.": float(max_norm), **norm_mistakes}
    if isinstance(norm, np.ndarray) and norm.ndim > 0 and norm.size > 1:
        _fail(f"the norm returned by {name} has shape {norm.shape}; it should be one number, the global norm.",
              "add up the squares of the entries of every array, then take one square root.")
    check(norm, ref_norm, f"the norm returned by {name}", mistakes=norm_mistakes)
    check_arrays(clipped, ref_clipped, f"the clipped gradients of {name}", mistakes=clip_mistakes(grads, max_norm))
