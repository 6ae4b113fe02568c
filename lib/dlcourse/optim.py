"""The course's reference update rules, in the style of CS231n's `optim.py`.

Every rule has the signature ``next_w, config = rule(w, dw, config)``:

- ``w`` : the current weights (an array of any shape), ``dw`` : the gradient of the loss
  with respect to ``w`` (same shape);
- ``config`` : a dict of hyperparameters and of the rule's state (velocity, caches, moments).
  It may be ``None`` or lack keys: the rule fills in its defaults and returns the dict, which
  the caller passes back on the next step.

No rule changes ``w`` or ``dw`` in place. Defaults as in CS231n.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adam", "clip_by_global_norm"]


def sgd(w, dw, config=None):
    """Plain stochastic gradient descent: w - learning_rate * dw. Keys: learning_rate (1e-2)."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    """SGD with momentum: v = momentum * v - learning_rate * dw; w + v.

    Keys: learning_rate (1e-2), momentum (0.9), velocity (zeros like w).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity")
    v = np.zeros_like(w) if v is None else v
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def nesterov(w, dw, config=None):
    """Nesterov momentum in the form that needs only the gradient at w (CS231n's notes):
    v_new = momentum * v - learning_rate * dw;  w + momentum * v_new - learning_rate * dw.

    Keys as `sgd_momentum`.
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity")
    v = np.zeros_like(w) if v is None else v
    v_new = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v_new
    return w + config["momentum"] * v_new - config["learning_rate"] * dw, config


def adagrad(w, dw, config=None):
    """Adagrad: cache += dw^2;  w - learning_rate * dw / (sqrt(cache) + epsilon).

    Keys: learning_rate (1e-2), epsilon (1e-8), cache (zeros like w).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache")
    cache = (np.zeros_like(w) if cache is None else cache) + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def rmsprop(w, dw, config=None):
    """RMSprop: cache = decay_rate * cache + (1 - decay_rate) * dw^2;
    w - learning_rate * dw / (sqrt(cache) + epsilon).

    Keys: learning_rate (1e-2), decay_rate (0.99), epsilon (1e-8), cache (zeros like w).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache")
    cache = np.zeros_like(w) if cache is None else cache
    cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam(w, dw, config=None):
    """Adam with bias correction.

    t += 1;  m = beta1 m + (1 - beta1) dw;  v = beta2 v + (1 - beta2) dw^2;
    m_hat = m / (1 - beta1^t);  v_hat = v / (1 - beta2^t);
    w - learning_rate * m_hat / (sqrt(v_hat) + epsilon).
    Keys: learning_rate (1e-3), beta1 (0.9), beta2 (0.999), epsilon (1e-8), m, v (zeros like w),
    t (0; the first step uses t = 1).
    """
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("t", 0)
    m = config.get("m")
    v = config.get("v")
    m = np.zeros_like(w) if m is None else m
    v = np.zeros_like(w) if v is None else v
    t = config["t"] + 1
    m = config["beta1"] * m + (1 - config["beta1"]) * dw
    v = config["beta2"] * v + (1 - config["beta2"]) * dw * dw
    m_hat = m / (1 - config["beta1"] ** t)
    v_hat = v / (1 - config["beta2"] ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def clip_by_global_norm(grads, max_norm):
    """Scale a list of gradients so that their global norm is at most `max_norm`.

    grads : list of arrays;  global norm = sqrt(sum of squares of every entry of every array).
    Returns (clipped list, global norm before clipping). Below the limit the arrays come back
    unchanged (as copies); above it each is multiplied by max_norm / norm.
    """
    norm = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [np.asarray(g) * scale for g in grads], norm


# --------------------------------------------------------------------------- lesson 07: running a rule
def run_optimizer(rule, grad, start, steps, config=None, *, schedule=None, noise=0.0, seed=0, limit=1e6):
    """Apply an update rule `steps` times and return the path it takes.

    rule : ``next_w, config = rule(w, dw, config)`` (any rule of this module, or a student's)
    grad : callable mapping a point, array (D,), to the gradient there, array (D,)
    start : the first point, shape (D,);  config : the first config (copied; None for defaults)
    schedule : optional callable ``step -> learning rate`` (step = 0, 1, ...), written into the
        config before every step (learning-rate decay)
    noise : standard deviation of Gaussian noise added to every gradient (a stand-in for the
        noise of mini-batches), drawn from ``np.random.default_rng(seed)``
    Returns the path, an array (k + 1, D) with the start in row 0. It has k = steps rows after
    the start unless the rule diverges: the path stops at the first point that is not finite
    or lies farther than `limit` from the origin (that point is not included).
    """
    import copy

    rng = np.random.default_rng(seed)
    config = {} if config is None else copy.deepcopy(config)
    w = np.array(start, dtype=float)
    path = [w.copy()]
    for step in range(steps):
        if schedule is not None:
            config["learning_rate"] = float(schedule(step))
        dw = np.asarray(grad(w), dtype=float)
        if noise:
            dw = dw + noise * rng.standard_normal(dw.shape)
        with np.errstate(all="ignore"):
            w, config = rule(w, dw, config)
        w = np.asarray(w, dtype=float)
        if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > limit:
            break
        path.append(w.copy())
    return np.array(path)


def race_rules(sgd_momentum=None, rmsprop=None, adam=None) -> dict:
    """The rules of lesson 07's race with a learning rate that suits each on `datasets.valley_loss`.

    {name: (rule, learning rate)}: the course's SGD, Nesterov and Adagrad beside the student's own
    momentum, RMSprop and Adam (pass them in). A rule that is missing or not written yet (it still
    raises NotImplementedError) is left out of the race, with a printed line that says so.
    """
    rules = {"SGD": (sgd, 0.01), "momentum": (sgd_momentum, 0.003), "Nesterov": (nesterov, 0.003),
             "Adagrad": (adagrad, 0.5), "RMSprop": (rmsprop, 0.02), "Adam": (adam, 0.1)}
    exercise = {"momentum": ("sgd_momentum", 2), "RMSprop": ("rmsprop", 3), "Adam": ("adam", 4)}
    for name, (function, exercise_number) in exercise.items():
        rule = rules[name][0]
        try:
            if rule is None:
                raise NotImplementedError
            rule(np.zeros(2), np.ones(2), None)
        except NotImplementedError:
            print(f"{function} is not written yet (Exercise {exercise_number}): the race runs without {name}.")
            del rules[name]
    return rules
