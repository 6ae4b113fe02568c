"""A small, fast training harness for lesson 10 (debugging training), with runs broken on purpose.

A *run* is a dataset plus a *configuration* (a dict of settings). `train(config, data)` trains a
NumPy multi-layer perceptron built from `dlcourse.layers` and `dlcourse.optim` and returns a
`TrainingReport` that records what the course's tools look at:

- the loss at every step (and the accuracy on the training set after every epoch);
- per layer and per step: the norm of the weight gradient, the update-to-weight ratio
  ||w_new - w_old|| / ||w_old||, the fraction of dead hidden units (ReLU output 0 for every
  sample of the batch) and the standard deviation of the hidden activations;
- snapshots of every layer's activations and weight gradients at the first and the last step,
  for histograms.

`BROKEN_RUNS` holds the broken runs of the lesson; `apply_fix(name, fix)` applies a student's
fix (a dict of settings to change) and `check_fix(name, fix)` says, in words, whether the fixed
run trains and whether the fix is the kind the run needs (only the settings that can cure this
run may change). Everything is deterministic for a given `seed`; each run takes well under a
second.

Shapes: inputs `X` (N, D), integer labels `y` (N,), weights `W` (fan_in, fan_out), biases (fan_out,).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from . import layers, optim

__all__ = [
    "spiral", "load_run_data", "DEFAULTS", "BASELINE", "BROKEN_RUNS", "RUN_TITLES", "RUN_DATA", "FIXABLE",
    "TrainingReport", "train", "train_run", "apply_fix", "changed_settings",
    "broken_softmax_loss", "broken_shuffle", "reference_shuffle", "summarize",
    "LOSS_TARGET", "ACCURACY_TARGET",
]


# --------------------------------------------------------------------------------------- data
def spiral(n_per_class: int = 100, classes: int = 3, noise: float = 0.2, seed: int = 0):
    """Interleaved spiral arms in the plane, one arm per class (the CS231n toy set).

    Returns `X` of shape (n_per_class * classes, 2), coordinates within about [-1, 1], and
    `y` of shape (n_per_class * classes,) with integer labels 0 .. classes - 1, sorted by class.
    No straight line separates the classes: a network needs hidden units to fit it.
    """
    rng = np.random.default_rng(seed)
    X = np.zeros((n_per_class * classes, 2))
    y = np.zeros(n_per_class * classes, dtype=int)
    for k in range(classes):
        rows = slice(n_per_class * k, n_per_class * (k + 1))
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + noise * rng.standard_normal(n_per_class)
        X[rows] = np.column_stack([r * np.sin(t), r * np.cos(t)])
        y[rows] = k
    return X, y


def load_run_data(kind: str = "spiral", seed: int = 0):
    """The data of a run: `(X (300, 2), y (300,))`.

    kind "spiral": the spiral above. kind "spiral_mm": the same points, but the second
    coordinate is recorded in millimetres (times 1000) with an offset of 2000 mm, as a sensor
    might log it: the two features then differ in scale by a factor of about 1000.
    """
    X, y = spiral(seed=seed)
    if kind == "spiral":
        return X, y
    if kind == "spiral_mm":
        X = X.copy()
        X[:, 1] = 1000.0 * X[:, 1] + 2000.0
        return X, y
    raise ValueError(f"unknown data {kind!r}: use 'spiral' or 'spiral_mm'")


# --------------------------------------------------------------------------------------- code that a run can use
def broken_softmax_loss(scores, y):
    """A softmax cross-entropy with a bug: the softmax normalizes over the wrong axis.

    scores : (N, C) class scores;  y : (N,) integer labels.
    Returns (loss, dscores (N, C)) like `layers.softmax_cross_entropy`, but each *column*
    of the probabilities sums to 1 (a distribution over the samples) instead of each row.
    """
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N


def broken_shuffle(X, y, rng):
    """A shuffle with a bug: inputs and labels get two *different* random orders.

    X : (N, D);  y : (N,);  rng : np.random.Generator. Returns (X_shuffled, y_shuffled), new arrays.
    """
    X_shuffled = X[rng.permutation(len(X))]
    y_shuffled = y[rng.permutation(len(y))]
    return X_shuffled, y_shuffled


def reference_shuffle(X, y, rng):
    """Shuffle inputs and labels with ONE random order, so each row keeps its label.

    X : (N, D);  y : (N,);  rng : np.random.Generator. Returns (X[order], y[order]), new arrays.
    """
    order = rng.permutation(len(X))
    return X[order], y[order]


# --------------------------------------------------------------------------------------- configurations
DEFAULTS: dict[str, Any] = {
    "hidden": (64,),            # sizes of the hidden layers
    "activation": "relu",       # "relu", "leaky_relu" or "tanh"
    "init": "he",               # "he", "xavier", "normal" (std init_scale), "constant" (init_scale) or "zeros"
    "init_scale": 0.01,         # std of "normal", value of "constant"
    "bias_init": 0.0,           # starting value of every hidden bias
    "optimizer": "sgd_momentum",  # "sgd", "sgd_momentum" or "adam"
    "learning_rate": 0.1,
    "momentum": 0.9,
    "epochs": 60,
    "batch_size": 50,
    "clip_norm": None,          # clip the gradients to this global norm (None: no clipping)
    "standardize": False,       # standardize each input column with the training data's mean and std
    "loss": None,               # function (scores, y) -> (loss, dscores); None: layers.softmax_cross_entropy
    "shuffle": None,            # function (X, y, rng) -> (X, y) shuffled each epoch; None: reference_shuffle
}

BASELINE: dict[str, Any] = dict(DEFAULTS)

# The runs broken on purpose: name -> the settings that differ from DEFAULTS.
_BROKEN_CHANGES: dict[str, dict[str, Any]] = {
    "lr_too_high": {"learning_rate": 10.0},
    "zero_init": {"init": "zeros"},
    "unscaled_features": {},
    "softmax_axis": {"loss": broken_softmax_loss},
    "dead_relus": {"bias_init": -3.0},
    "exploding_gradients": {"hidden": (64, 64, 64, 64, 64, 64), "init": "normal", "init_scale": 1.0,
                            "learning_rate": 0.01, "epochs": 40},
    "label_bug": {"shuffle": broken_shuffle},
}
BROKEN_RUNS: dict[str, dict[str, Any]] = {name: {**DEFAULTS, **changes} for name, changes in _BROKEN_CHANGES.items()}

RUN_DATA: dict[str, str] = {name: "spiral" for name in ["baseline", *BROKEN_RUNS]}
RUN_DATA["unscaled_features"] = "spiral_mm"

RUN_TITLES: dict[str, str] = {
    "baseline": "a healthy run",
    "lr_too_high": "run 1",
    "zero_init": "run 2",
    "unscaled_features": "run 3",
    "softmax_axis": "run 4",
    "dead_relus": "run 5",
    "exploding_gradients": "run 6",
    "label_bug": "run 7",
}

# Which settings a fix of each run may change (anything else leaves the cause in place).
FIXABLE: dict[str, set[str]] = {
    "lr_too_high": {"learning_rate"},
    "zero_init": {"init", "init_scale"},
    "unscaled_features": {"standardize"},
    "softmax_axis": {"loss"},
    "dead_relus": {"bias_init"},
    "exploding_gradients": {"init", "init_scale", "clip_norm"},
    "label_bug": {"shuffle"},
}

LOSS_TARGET = 0.45       # a fixed run must end with a training loss below this (chance: ln 3 = 1.10)
ACCURACY_TARGET = 0.85   # ... and a training accuracy above this (chance: 1/3)


# --------------------------------------------------------------------------------------- the report
@dataclass
class TrainingReport:
    """What one training run recorded. Arrays over steps have one entry per update step.

    losses : (steps,) training loss of each mini-batch (nan after a blow-up)
    accuracy : (epochs,) accuracy on the whole training set after each epoch
    grad_norms, update_ratios, dead_fraction, act_std : dict layer name -> (steps,)
        (weight layers "W1" ... for the first two, hidden layers "h1" ... for the last two)
    first, last : dict with "activations" {h1: (batch, H)}, "preactivations" {h1: ...} and
        "grads" {W1: (fan_in, fan_out)} at the first and the last step
    """
    config: dict
    losses: np.ndarray
    accuracy: np.ndarray
    grad_norms: dict
    update_ratios: dict
    dead_fraction: dict
    act_std: dict
    first: dict
    last: dict
    params: dict
    diverged: bool = False
    steps_done: int = 0
    notes: list = field(default_factory=list)

    @property
    def final_loss(self) -> float:
        """Mean loss of the last epoch's steps (nan or inf if training blew up)."""
        per_epoch = max(1, len(self.losses) // max(1, len(self.accuracy)))
        tail = self.losses[-per_epoch:]
        return float(np.mean(tail)) if np.all(np.isfinite(tail)) else float("nan")

    @property
    def final_accuracy(self) -> float:
        return float(self.accuracy[-1]) if len(self.accuracy) else float("nan")

    @property
    def trains(self) -> bool:
        """True when the run reached the lesson's targets (loss and accuracy)."""
        return (not self.diverged and np.isfinite(self.final_loss) and self.final_loss < LOSS_TARGET
                and self.final_accuracy > ACCURACY_TARGET)


# --------------------------------------------------------------------------------------- the network
def _init_layers(config: dict, sizes: list[int], rng) -> dict:
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        kind = config["init"]
        if kind == "he":
            W = layers.he_init(fan_in, fan_out, rng)
        elif kind == "xavier":
            W = rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
        elif kind == "normal":
            W = rng.normal(0.0, float(config["init_scale"]), size=(fan_in, fan_out))
        elif kind == "constant":
            W = np.full((fan_in, fan_out), float(config["init_scale"]))
        elif kind == "zeros":
            W = np.zeros((fan_in, fan_out))
        else:
            raise ValueError(f"unknown init {kind!r}: use 'he', 'xavier', 'normal', 'constant' or 'zeros'")
        hidden = i < len(sizes) - 1
        params[f"W{i}"] = W
        params[f"b{i}"] = np.full(fan_out, float(config["bias_init"]) if hidden else 0.0)
    return params


_ACTIVATIONS = {
    "relu": (layers.relu, layers.relu_grad),
    "leaky_relu": (layers.leaky_relu, layers.leaky_relu_grad),
    "tanh": (layers.tanh, layers.tanh_grad),
}


def _forward_backward(params: dict, X, y, config: dict, loss_fn: Callable):
    """One forward and backward pass. Returns (loss, grads, activations, preactivations)."""
    act, act_grad = _ACTIVATIONS[config["activation"]]
    n_layers = len(params) // 2
    h = X
    caches, acts, pres = [], {}, {}
    for i in range(1, n_layers + 1):
        z, cache = layers.affine_forward(h, params[f"W{i}"], params[f"b{i}"])
        caches.append(cache)
        if i < n_layers:
            pres[f"h{i}"] = z
            h = act(z)
            acts[f"h{i}"] = h
        else:
            h = z
    loss, dout = loss_fn(h, y)
    grads = {}
    for i in range(n_layers, 0, -1):
        dout, grads[f"W{i}"], grads[f"b{i}"] = layers.affine_backward(dout, caches[i - 1])
        if i > 1:
            dout = dout * act_grad(pres[f"h{i - 1}"])
    return float(loss), grads, acts, pres


def _predict(params: dict, X, config: dict, chunk: int = 50):
    """Class scores (N, C) for inputs X (N, D), computed in chunks of rows.

    Small chunks keep every matrix product below the size at which OpenBLAS starts threads,
    which on a busy 2-core machine costs more than the product itself.
    """
    act = _ACTIVATIONS[config["activation"]][0]
    n_layers = len(params) // 2
    out = []
    for start in range(0, len(X), chunk):
        h = X[start:start + chunk]
        for i in range(1, n_layers + 1):
            h = h @ params[f"W{i}"] + params[f"b{i}"]
            if i < n_layers:
                h = act(h)
        out.append(h)
    return np.concatenate(out)


def _check_config(config: dict) -> None:
    unknown = set(config) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown setting(s) {sorted(unknown)}; the settings are {sorted(DEFAULTS)}")


def train(config: dict, data=None, *, seed: int = 0, epochs: int | None = None) -> TrainingReport:
    """Train the MLP described by `config` on `data` and record a `TrainingReport`.

    config : a dict of settings (keys of `DEFAULTS`; missing keys take the defaults)
    data : `(X (N, D), y (N,))`; default: the spiral (`load_run_data("spiral")`)
    seed : seeds the initialization and the shuffling (the data stay the same)
    epochs : overrides config["epochs"] (hidden tests train longer)
    Stops at the first non-finite loss and marks the report `diverged`.
    """
    config = {**DEFAULTS, **config}
    _check_config(config)
    X, y = load_run_data("spiral") if data is None else data
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if config["standardize"]:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    classes = int(y.max()) + 1
    rng = np.random.default_rng(seed)
    sizes = [X.shape[1], *config["hidden"], classes]
    params = _init_layers(config, sizes, rng)
    loss_fn = config["loss"] or layers.softmax_cross_entropy
    shuffle = config["shuffle"] or reference_shuffle
    rule = {"sgd": optim.sgd, "sgd_momentum": optim.sgd_momentum, "adam": optim.adam}[config["optimizer"]]
    opt_configs = {k: {"learning_rate": config["learning_rate"],
                       **({"momentum": config["momentum"]} if config["optimizer"] == "sgd_momentum" else {})}
                   for k in params}
    epochs = int(config["epochs"] if epochs is None else epochs)
    batch = int(config["batch_size"] or len(X))
    per_epoch = math.ceil(len(X) / batch)
    steps = epochs * per_epoch
    n_w = len(sizes) - 1
    w_names = [f"W{i}" for i in range(1, n_w + 1)]
    h_names = [f"h{i}" for i in range(1, n_w)]
    losses = np.full(steps, np.nan)
    grad_norms = {k: np.full(steps, np.nan) for k in w_names}
    ratios = {k: np.full(steps, np.nan) for k in w_names}
    dead = {k: np.full(steps, np.nan) for k in h_names}
    act_std = {k: np.full(steps, np.nan) for k in h_names}
    accuracy = np.full(epochs, np.nan)
    first, last = {}, {}
    diverged = False
    step = 0
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            Xs, ys = shuffle(X, y, rng)
            for start in range(0, len(X), batch):
                xb, yb = Xs[start:start + batch], ys[start:start + batch]
                loss, grads, acts, pres = _forward_backward(params, xb, yb, config, loss_fn)
                losses[step] = loss
                if config["clip_norm"] is not None:
                    keys = list(grads)
                    clipped, _ = optim.clip_by_global_norm([grads[k] for k in keys], float(config["clip_norm"]))
                    grads = dict(zip(keys, clipped))
                snapshot = {"activations": acts, "preactivations": pres, "grads": {k: grads[k] for k in w_names}}
                if step == 0:
                    first = snapshot
                last = snapshot
                for k in h_names:
                    a = acts[k]
                    dead[k][step] = float(np.mean(np.all(a <= 0, axis=0))) if config["activation"] == "relu" \
                        else float(np.mean(np.all(np.abs(a) > 0.99, axis=0))) if config["activation"] == "tanh" \
                        else float(np.mean(np.all(a <= 0, axis=0)))
                    act_std[k][step] = float(np.std(a))
                for k in list(params):
                    old = params[k]
                    params[k], opt_configs[k] = rule(old, grads[k], opt_configs[k])
                    if k in grad_norms:
                        grad_norms[k][step] = float(np.linalg.norm(grads[k]))
                        w_norm = float(np.linalg.norm(old))
                        u_norm = float(np.linalg.norm(params[k] - old))
                        ratios[k][step] = u_norm / w_norm if w_norm > 0 else (np.inf if u_norm > 0 else np.nan)
                step += 1
                if not np.isfinite(loss) or not all(np.all(np.isfinite(p)) for p in params.values()):
                    diverged = True
                    break
            if diverged:
                break
            accuracy[epoch] = float(np.mean(np.argmax(_predict(params, X, config), axis=1) == y))
    return TrainingReport(config=config, losses=losses, accuracy=accuracy, grad_norms=grad_norms,
                          update_ratios=ratios, dead_fraction=dead, act_std=act_std, first=first, last=last,
                          params=params, diverged=diverged, steps_done=step)


def train_run(name: str, fix: dict | None = None, *, seed: int = 0, epochs: int | None = None) -> TrainingReport:
    """Train a named run ("baseline" or a key of `BROKEN_RUNS`), with an optional fix applied."""
    config = BASELINE if name == "baseline" else apply_fix(name, fix or {})
    return train(config, load_run_data(RUN_DATA[name]), seed=seed, epochs=epochs)


# --------------------------------------------------------------------------------------- fixes
def _same(a, b) -> bool:
    """Whether two setting values are the same (numbers compare by value, functions by identity)."""
    if a is b:
        return True
    if callable(a) or callable(b) or a is None or b is None:
        return False
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(u, v) for u, v in zip(a, b))
    if isinstance(a, numbers.Number) and isinstance(b, numbers.Number):
        return float(a) == float(b)
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):
        return False


def changed_settings(name: str, fix: dict) -> dict:
    """The settings of `fix` whose values differ from the broken run `name` (a fix may repeat unchanged ones)."""
    broken = BROKEN_RUNS[name]
    return {k: v for k, v in fix.items() if k not in broken or not _same(v, broken[k])}


def apply_fix(name: str, fix: dict) -> dict:
    """The configuration of broken run `name` with the settings in `fix` changed (a new dict)."""
    if name not in BROKEN_RUNS:
        raise KeyError(f"no broken run named {name!r}; the runs are {list(BROKEN_RUNS)}")
    config = dict(BROKEN_RUNS[name])
    config.update(fix)
    return config


def summarize(report: TrainingReport) -> str:
    """A one-line summary: final loss, accuracy, or where it blew up."""
    if report.diverged:
        return f"the loss became {report.losses[report.steps_done - 1]} at step {report.steps_done}: training blew up"
    return f"final loss {report.final_loss:.3f}, training accuracy {report.final_accuracy:.1%}"
