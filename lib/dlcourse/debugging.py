"""A small, fast training harness for lesson 10 (debugging training), with runs broken on purpose.

A *run* is a dataset plus a *configuration* (a dict of settings). `train(config, data)` trains a
NumPy multi-layer perceptron built from `dlcourse.layers` and `dlcourse.optim` and returns a
`TrainingReport` that records what the course's tools look at:

- the loss at every step (and the accuracy on the training set after every epoch);
- per layer and per step: the norm of the weight gradient, the update-to-weight ratio
  ||w_new - w_old|| / ||w_old||, the fraction of dead hidden units (ReLU output 0 for every
  sample of the batch), the standard deviation of the hidden activations and the mean and
  standard deviation of the pre-activations;
- snapshots of every layer's activations and weight gradients at the first and the last step,
  for histograms.

The lesson's runs have neutral names ("A" ... "G" broken, "M1" and "M2" mysteries): nothing a
student prints in the lesson names their cause. `run_stats(report)` gives the numbers of a
report without its settings (what a student's `diagnose` reads), `CAUSES` the causes to choose
from, and `make_run(cause, rng)` a new run with a given cause, drawn with other sizes, seeds and
severities (the hidden tests of `diagnose`). `apply_fix(name, fix)` applies a student's fix (a
dict of settings to change). Everything is deterministic for a given `seed`; each run takes a
fraction of a second. The recipe's checks: `overfit_small_batch` (can the run drive the loss of
a dozen samples to about 0?) and `gradient_footprint` (which samples' gradients move when one
sample's input does: backprop charts what each sample's loss depends on). An input-independent
baseline is the setting `zero_inputs=True`.

Shapes: inputs `X` (N, D), integer labels `y` (N,), weights `W` (fan_in, fan_out), biases (fan_out,).
"""

from __future__ import annotations

import copy
import math
import numbers
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from . import layers, optim

__all__ = [
    "spiral", "load_run_data", "DEFAULTS", "BASELINE", "BROKEN_RUNS", "MYSTERY_RUNS", "RUNS", "RUN_TITLES",
    "RUN_DATA", "FIXABLE", "CAUSES",
    "TrainingReport", "train", "train_run", "apply_fix", "changed_settings",
    "own_softmax_loss", "own_shuffle", "broken_softmax_loss", "broken_shuffle", "reference_shuffle",
    "reference_diagnose", "summarize", "print_report", "run_stats", "make_run", "overfit_small_batch", "gradient_footprint",
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
    """The data of a run: `(X (N, 2), y (N,))`.

    kind "spiral": the spiral above (300 points, 3 classes). kind "spiral_mm": the same points,
    but the second coordinate is recorded in millimetres (times 1000) with an offset of 2000 mm,
    as a sensor might log it: the two features then differ in scale by a factor of about 1000.
    kind "spiral4": four arms of 100 points each (400 points, 4 classes).
    """
    if kind == "spiral4":
        return spiral(classes=4, seed=seed)
    X, y = spiral(seed=seed)
    if kind == "spiral":
        return X, y
    if kind == "spiral_mm":
        X = X.copy()
        X[:, 1] = 1000.0 * X[:, 1] + 2000.0
        return X, y
    raise ValueError(f"unknown data {kind!r}: use 'spiral', 'spiral_mm' or 'spiral4'")


# --------------------------------------------------------------------------------------- code that a run can use
# The lesson prints these two as the code of runs F and D: their names and docstrings say what
# they are meant to do, not what is wrong with them (`broken_softmax_loss` and `broken_shuffle`
# are the same functions under the names the package's tests use).
def own_softmax_loss(scores, y):
    """Softmax cross-entropy averaged over the samples of a batch.

    scores : (N, C) class scores;  y : (N,) integer labels.
    Returns (loss, dscores (N, C)), the loss and its gradient with respect to the scores.
    """
    scores = np.asarray(scores, dtype=float)
    N = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0
    return float(loss), dscores / N


def own_shuffle(X, y, rng):
    """Shuffle the training data at the start of an epoch.

    X : (N, D);  y : (N,);  rng : np.random.Generator. Returns (X_shuffled, y_shuffled), new arrays.
    """
    X_shuffled = X[rng.permutation(len(X))]
    y_shuffled = y[rng.permutation(len(y))]
    return X_shuffled, y_shuffled


broken_softmax_loss = own_softmax_loss  # the softmax normalizes each column (over the samples), not each row
broken_shuffle = own_shuffle            # inputs and labels get two different random orders


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
    "init": "he",               # "he", "lecun", "xavier" (Glorot), "normal" (std init_scale), "constant" or "zeros"
    "init_scale": 0.01,         # std of "normal", value of "constant"
    "bias_init": 0.0,           # starting value of every hidden bias
    "optimizer": "sgd_momentum",  # "sgd", "sgd_momentum" or "adam"
    "learning_rate": 0.1,
    "momentum": 0.9,
    "epochs": 60,
    "batch_size": 50,
    "clip_norm": None,          # clip the gradients to this global norm (None: no clipping)
    "standardize": False,       # standardize each input column with the training data's mean and std
    "zero_inputs": False,       # feed zeros instead of the inputs (an input-independent baseline)
    "loss": None,               # function (scores, y) -> (loss, dscores); None: layers.softmax_cross_entropy
    "shuffle": None,            # function (X, y, rng) -> (X, y) shuffled each epoch; None: reference_shuffle
}

BASELINE: dict[str, Any] = dict(DEFAULTS)

# The causes a run of this lesson can have (a student's `diagnose` names one of them).
CAUSES: dict[str, str] = {
    "healthy": "nothing is wrong: the run trains",
    "learning_rate": "the learning rate is too high",
    "zero_init": "every weight starts at zero",
    "input_scale": "the input features are on very different scales",
    "loss_axis": "the loss normalizes over the wrong axis (over the samples of a batch, not the classes)",
    "dead_relu": "the hidden ReLU units start dead",
    "weight_scale": "the initial weights are too large for the depth (activations grow layer by layer)",
    "label_mismatch": "inputs and labels no longer match",
}

# The runs broken on purpose: neutral name -> (cause, the settings that differ from DEFAULTS, data).
# The lesson never prints the cause; the letters are not in the order of CAUSES.
_RUN_SPECS: dict[str, tuple[str, dict[str, Any], str]] = {
    "A": ("zero_init", {"init": "zeros"}, "spiral"),
    "B": ("learning_rate", {"learning_rate": 10.0}, "spiral"),
    "C": ("input_scale", {}, "spiral_mm"),
    "D": ("label_mismatch", {"shuffle": own_shuffle}, "spiral"),
    "E": ("dead_relu", {"bias_init": -3.0}, "spiral"),
    "F": ("loss_axis", {"loss": own_softmax_loss}, "spiral"),
    "G": ("weight_scale", {"hidden": (64, 64, 64, 64, 64, 64), "init": "normal", "init_scale": 1.0,
                           "learning_rate": 0.01, "epochs": 40}, "spiral"),
    # two runs the lesson leaves unlabelled: other sizes and severities, made as `make_run` makes them
    "M1": ("weight_scale", {"hidden": (128, 128, 128, 128), "init": "normal", "init_scale": 0.6,
                            "learning_rate": 0.01, "epochs": 40}, "spiral4"),
    "M2": ("label_mismatch", {"hidden": (32, 32), "shuffle": broken_shuffle, "batch_size": 25}, "spiral4"),
}
_CAUSE_OF: dict[str, str] = {name: spec[0] for name, spec in _RUN_SPECS.items()}
_CAUSE_OF["baseline"] = "healthy"

BROKEN_RUNS: dict[str, dict[str, Any]] = {name: {**DEFAULTS, **changes} for name, (_, changes, _) in _RUN_SPECS.items()
                                          if not name.startswith("M")}
MYSTERY_RUNS: dict[str, dict[str, Any]] = {name: {**DEFAULTS, **changes} for name, (_, changes, _) in _RUN_SPECS.items()
                                           if name.startswith("M")}
RUNS: dict[str, dict[str, Any]] = {"baseline": BASELINE, **BROKEN_RUNS, **MYSTERY_RUNS}

RUN_DATA: dict[str, str] = {"baseline": "spiral", **{name: spec[2] for name, spec in _RUN_SPECS.items()}}

RUN_TITLES: dict[str, str] = {"baseline": "the healthy run",
                              **{name: f"Run {name}" for name in BROKEN_RUNS},
                              **{name: f"Mystery run {name[1:]}" for name in MYSTERY_RUNS}}

# Which settings a fix of each run may change (anything else leaves the cause in place).
_FIXABLE_BY_CAUSE: dict[str, set[str]] = {
    "learning_rate": {"learning_rate"},
    "zero_init": {"init", "init_scale"},
    "input_scale": {"standardize"},
    "loss_axis": {"loss"},
    "dead_relu": {"bias_init"},
    "weight_scale": {"init", "init_scale", "clip_norm"},
    "label_mismatch": {"shuffle"},
}
FIXABLE: dict[str, set[str]] = {name: _FIXABLE_BY_CAUSE[_CAUSE_OF[name]] for name in BROKEN_RUNS}

LOSS_TARGET = 0.45       # a fixed run must end with a training loss below this (chance: ln 3 = 1.10)
ACCURACY_TARGET = 0.85   # ... and a training accuracy above this (chance: 1/3)


# --------------------------------------------------------------------------------------- the report
@dataclass
class TrainingReport:
    """What one training run recorded. Arrays over steps have one entry per update step.

    losses : (steps,) training loss of each mini-batch (nan after a blow-up)
    accuracy : (epochs,) accuracy on the whole training set after each epoch
    grad_norms, update_ratios, dead_fraction, act_std, preact_mean, preact_std : dict layer name -> (steps,)
        (weight layers "W1" ... for the first two, hidden layers "h1" ... for the others)
    first, last : dict with "activations" {h1: (batch, H)}, "preactivations" {h1: ...} and
        "grads" {W1: (fan_in, fan_out)} at the first and the last step
    inputs_mean, inputs_std : (D,) per column of the inputs the network is fed
    classes, batch_size : the number of classes and the mini-batch size
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
    preact_mean: dict = field(default_factory=dict)
    preact_std: dict = field(default_factory=dict)
    inputs_mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    inputs_std: np.ndarray = field(default_factory=lambda: np.zeros(0))
    classes: int = 0
    batch_size: int = 0

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
        elif kind == "lecun":
            W = rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
        elif kind in ("xavier", "glorot"):
            W = rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
        elif kind == "normal":
            W = rng.normal(0.0, float(config["init_scale"]), size=(fan_in, fan_out))
        elif kind == "constant":
            W = np.full((fan_in, fan_out), float(config["init_scale"]))
        elif kind == "zeros":
            W = np.zeros((fan_in, fan_out))
        else:
            raise ValueError(f"unknown init {kind!r}: use 'he', 'lecun', 'xavier', 'normal', 'constant' or 'zeros'")
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
    """One forward and backward pass. Returns (loss, grads, activations, preactivations).

    The affine layers are `layers.affine_forward` / `layers.affine_backward` written out (the same
    products), so that the first layer skips dX, the gradient with respect to the inputs, which
    nobody uses; a ReLU's gradient is its 0/1 mask, multiplied in directly.
    """
    act, act_grad = _ACTIVATIONS[config["activation"]]
    relu = config["activation"] == "relu"
    n_layers = len(params) // 2
    h = X
    inputs, acts, pres = [], {}, {}
    for i in range(1, n_layers + 1):
        inputs.append(h)
        z = h @ params[f"W{i}"] + params[f"b{i}"]
        if i < n_layers:
            pres[f"h{i}"] = z
            h = np.maximum(z, 0.0) if relu else act(z)
            acts[f"h{i}"] = h
        else:
            h = z
    loss, dout = loss_fn(h, y)
    dout = np.asarray(dout, dtype=float)
    grads = {}
    for i in range(n_layers, 0, -1):
        grads[f"W{i}"] = inputs[i - 1].T @ dout
        grads[f"b{i}"] = dout.sum(axis=0)
        if i > 1:
            dout = dout @ params[f"W{i}"].T
            z = pres[f"h{i - 1}"]
            dout = dout * (z > 0) if relu else dout * act_grad(z)
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


def _norm(a) -> float:
    """The Euclidean norm of an array (of every entry), as a float: np.linalg.norm without its overhead."""
    flat = np.ravel(a)
    return math.sqrt(float(np.dot(flat, flat)))


def _mean_std(a) -> tuple[float, float]:
    """The mean and the standard deviation of every entry of an array: np.mean and np.std without
    their overhead (the mean is np.mean's own sum divided by the count)."""
    flat = np.ravel(a)
    mean = float(flat.sum()) / flat.size
    return mean, math.sqrt(max(float(np.dot(flat, flat)) / flat.size - mean * mean, 0.0))


def _std(a) -> float:
    """The standard deviation of every entry of an array: np.std without its overhead."""
    return _mean_std(a)[1]


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
    if config["zero_inputs"]:
        X = np.zeros_like(X)
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
    pre_mean = {k: np.full(steps, np.nan) for k in h_names}
    pre_std = {k: np.full(steps, np.nan) for k in h_names}
    accuracy = np.full(epochs, np.nan)
    first, last = {}, {}
    tanh = config["activation"] == "tanh"
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
                    dead[k][step] = np.count_nonzero(((np.abs(a) > 0.99) if tanh else (a <= 0)).all(axis=0)) / a.shape[1]
                    act_std[k][step] = _std(a)
                    pre_mean[k][step], pre_std[k][step] = _mean_std(pres[k])
                finite = np.isfinite(loss)
                for k in list(params):
                    old = params[k]
                    params[k], opt_configs[k] = rule(old, grads[k], opt_configs[k])
                    if k in grad_norms:
                        grad_norms[k][step] = _norm(grads[k])
                        w_norm = _norm(old)
                        u_norm = _norm(params[k] - old)
                        ratios[k][step] = u_norm / w_norm if w_norm > 0 else (np.inf if u_norm > 0 else np.nan)
                        finite = finite and np.isfinite(u_norm)
                    elif not np.all(np.isfinite(params[k])):
                        finite = False
                step += 1
                if not finite:
                    diverged = True
                    break
            if diverged:
                break
            accuracy[epoch] = float(np.mean(np.argmax(_predict(params, X, config), axis=1) == y))
    return TrainingReport(config=config, losses=losses, accuracy=accuracy, grad_norms=grad_norms,
                          update_ratios=ratios, dead_fraction=dead, act_std=act_std, first=first, last=last,
                          params=params, diverged=diverged, steps_done=step, preact_mean=pre_mean,
                          preact_std=pre_std, inputs_mean=X.mean(axis=0), inputs_std=X.std(axis=0),
                          classes=classes, batch_size=batch)


_RUN_CACHE: dict = {}


def train_run(name: str, fix: dict | None = None, *, seed: int = 0, epochs: int | None = None) -> TrainingReport:
    """Train a named run (a key of `RUNS`: "baseline", "A" ... or "M1" ...), with an optional fix applied.

    A run whose settings are plain values (numbers, strings, tuples, None, and the package's own
    functions of this module: no student code) is trained once per kernel for its settings, data,
    seed and epochs, and handed out as a copy: the lesson's cells and its checks do not train the same
    run twice (training is deterministic), and a fix that gives a run the healthy run's settings
    (run A with init "he", say) reuses the healthy run's training.
    """
    if name not in RUNS:
        raise KeyError(f"no run named {name!r}; the runs are {list(RUNS)}")
    config = apply_fix(name, fix or {})
    settings = _plain_key(sorted(({**DEFAULTS, **config}).items(), key=lambda item: str(item[0])))
    key = None if settings is None else (settings, RUN_DATA[name], seed, _plain_key(epochs))
    if key is None:
        return train(config, load_run_data(RUN_DATA[name]), seed=seed, epochs=epochs)
    if key not in _RUN_CACHE:
        _RUN_CACHE[key] = train(config, load_run_data(RUN_DATA[name]), seed=seed, epochs=epochs)
    return copy.deepcopy(_RUN_CACHE[key])


def _plain_key(value):
    """A cache key for a value built of numbers, strings, None, this module's own functions and sequences
    of them; None for anything else (a student's function, say)."""
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if isinstance(value, numbers.Real):
        return ("number", float(value)) if np.isfinite(float(value)) else None
    if callable(value) and getattr(value, "__module__", None) in (__name__, layers.__name__) \
            and getattr(sys.modules.get(value.__module__), getattr(value, "__name__", ""), None) is value:
        return ("function", value.__module__, value.__name__)
    if isinstance(value, (list, tuple)):
        parts = [_plain_key(v) for v in value]
        return None if any(p is None for p in parts) else (type(value).__name__, tuple(parts))
    return None


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
    broken = RUNS[name]
    return {k: v for k, v in fix.items() if k not in broken or not _same(v, broken[k])}


def apply_fix(name: str, fix: dict) -> dict:
    """The configuration of run `name` (a key of `RUNS`) with the settings in `fix` changed (a new dict)."""
    if name not in RUNS:
        raise KeyError(f"no run named {name!r}; the runs are {list(RUNS)}")
    config = dict(RUNS[name])
    config.update(fix)
    return config


def print_report(report: TrainingReport) -> None:
    """Print a run's numbers the same way for every run: losses, inputs, and each layer at the first step."""
    losses = report.losses
    print(f"first losses: {np.round(losses[:5], 4).tolist()}   ({report.classes} classes: ln {report.classes} = "
          f"{np.log(report.classes):.4f}; batches of {report.batch_size})")
    print(f"end: {summarize(report)}")
    print(f"inputs fed to the network, per column: mean {np.round(report.inputs_mean, 3).tolist()}, "
          f"std {np.round(report.inputs_std, 3).tolist()}")
    for k in report.act_std:
        print(f"  {k} at step 1: pre-activations mean {report.preact_mean[k][0]:.3g}, std {report.preact_std[k][0]:.3g};"
              f" activations std {report.act_std[k][0]:.3g}; dead units {report.dead_fraction[k][0]:.0%}")
    for k in report.grad_norms:
        ratios = report.update_ratios[k][:max(1, report.steps_done)]
        ratios = ratios[np.isfinite(ratios)]
        median = f"{np.median(ratios):.2g}" if ratios.size else "none (0/0 at every step)"
        print(f"  {k} at step 1: gradient norm {report.grad_norms[k][0]:.3g}, update/weight {report.update_ratios[k][0]:.2g}"
              f"; median update/weight over the run {median}")


def summarize(report: TrainingReport) -> str:
    """A one-line summary: final loss, accuracy, or where it blew up."""
    if report.diverged:
        return f"the loss became {report.losses[report.steps_done - 1]} at step {report.steps_done}: training blew up"
    return f"final loss {report.final_loss:.3f}, training accuracy {report.final_accuracy:.1%}"


# --------------------------------------------------------------------------------------- the numbers a diagnosis reads
def run_stats(report: TrainingReport) -> dict:
    """The numbers of a run without its settings: what the dashboard shows, as a dict of copies.

    classes, batch_size : numbers;  inputs_mean, inputs_std : (D,) per input column as the network sees it
    losses : (steps,) loss per step (nan after a blow-up);  accuracy : (epochs,) training accuracy per epoch
    grad_norms, update_ratios : {"W1": (steps,), ...} per weight matrix
    dead_fraction, act_std, preact_mean, preact_std : {"h1": (steps,), ...} per hidden layer
    """
    return copy.deepcopy({
        "classes": int(report.classes), "batch_size": int(report.batch_size),
        "inputs_mean": np.asarray(report.inputs_mean, dtype=float), "inputs_std": np.asarray(report.inputs_std, dtype=float),
        "losses": np.asarray(report.losses, dtype=float), "accuracy": np.asarray(report.accuracy, dtype=float),
        "grad_norms": report.grad_norms, "update_ratios": report.update_ratios,
        "dead_fraction": report.dead_fraction, "act_std": report.act_std,
        "preact_mean": report.preact_mean, "preact_std": report.preact_std,
    })


_NEW_RUN_STEPS = 150  # a new run trains for about this many steps (as many epochs as that takes)


def make_run(cause: str, rng) -> tuple[dict, tuple]:
    """A new run with the given cause (a key of `CAUSES`): `(config, (X, y))`, drawn from `rng`.

    Made the way the lesson's runs are made, with other sizes, seeds and severities: one or two
    hidden layers of 32, 64 or 128 units (four to seven for "weight_scale"), three or four spiral
    arms drawn with another noise seed, mini-batches of 25, 50 or 100, about 150 steps; the cause at a
    severity drawn from a range (a learning rate from 4 to 30, biases from -5 to -2.5, one input
    column 200 to 5,000 times the other, weights of standard deviation 0.6 to 1.5 ...).
    """
    if cause not in CAUSES:
        raise KeyError(f"unknown cause {cause!r}; the causes are {list(CAUSES)}")
    width = int(rng.choice([32, 64, 128]))
    classes = int(rng.choice([3, 4]))
    X, y = spiral(classes=classes, seed=int(rng.integers(1, 10_000)))
    batch = int(rng.choice([25, 50, 100]))
    config = {**DEFAULTS, "hidden": (width,) * int(rng.integers(1, 3)), "batch_size": batch,
              "epochs": math.ceil(_NEW_RUN_STEPS / math.ceil(len(X) / batch))}
    if cause == "healthy":
        config.update(learning_rate=float(rng.choice([0.05, 0.1, 0.2])), init=str(rng.choice(["he", "lecun"])))
    elif cause == "learning_rate":
        config.update(learning_rate=float(np.exp(rng.uniform(np.log(4.0), np.log(30.0)))))
    elif cause == "zero_init":
        config.update(init="zeros")
    elif cause == "input_scale":
        column = int(rng.integers(0, 2))
        scale = float(np.exp(rng.uniform(np.log(200.0), np.log(5000.0))))
        X = X.copy()
        X[:, column] = scale * X[:, column] + scale * float(rng.choice([0.0, 1.0, 2.0]))
    elif cause == "loss_axis":
        config.update(loss=broken_softmax_loss)
    elif cause == "dead_relu":
        config.update(bias_init=float(rng.uniform(-5.0, -2.5)))
    elif cause == "weight_scale":
        config.update(hidden=(width,) * int(rng.integers(4, 8)), init="normal",
                      init_scale=float(rng.uniform(0.6, 1.5)), learning_rate=0.01)
    elif cause == "label_mismatch":
        config.update(shuffle=broken_shuffle)
    return config, (X, y)


def reference_diagnose(stats: dict) -> str:
    """The course's diagnosis of a run from its numbers (`run_stats`): a key of `CAUSES`.

    Reads, in this order: gradients and pre-activations exactly 0 at the first step (zero
    init); the first hidden layer dead at the first step (dead ReLUs); input columns on
    different scales; activation spreads that grow from layer to layer (weight scale); a first
    loss nearer ln(batch size) than ln(classes) (a softmax over the batch); a loss that jumps up
    or blows up in the first steps, or a first update that moves a weight matrix by more than 30 %
    of its size (learning rate); a loss that stays near ln(classes) while
    the optimizer looks healthy (labels that do not match); otherwise healthy.
    """
    classes, batch = stats["classes"], stats["batch_size"]
    losses = np.asarray(stats["losses"], dtype=float)
    layers_ = list(stats["act_std"])
    if all(g[0] == 0 for g in stats["grad_norms"].values()) and stats["preact_std"][layers_[0]][0] == 0:
        return "zero_init"
    if stats["dead_fraction"][layers_[0]][0] >= 0.9:
        return "dead_relu"
    spread, centre = np.asarray(stats["inputs_std"]), np.abs(np.asarray(stats["inputs_mean"]))
    if spread.max() > 20 * spread.min() or centre.max() > 10 * spread.min():
        return "input_scale"
    first_std = [stats["act_std"][k][0] for k in layers_]
    if len(first_std) > 1 and first_std[-1] > 8 * first_std[0]:
        return "weight_scale"
    if abs(losses[0] - np.log(batch)) < abs(losses[0] - np.log(classes)):
        return "loss_axis"
    early = losses[:10]
    first_ratio = max(float(r[0]) for r in stats["update_ratios"].values())
    if not np.all(np.isfinite(early)) or early.max() > losses[0] + 1.0 or first_ratio > 0.3:
        return "learning_rate"
    tail = losses[-max(1, len(losses) // 10):]
    if np.mean(tail) > 0.85 * np.log(classes):
        return "label_mismatch"
    return "healthy"


def _cause(name: str) -> str:
    """The cause of a lesson run (for the checks; the lesson never prints it)."""
    return _CAUSE_OF[name]


# --------------------------------------------------------------------------------------- the recipe's checks
def overfit_small_batch(name: str, fix: dict | None = None, *, n: int = 12, epochs: int = 500,
                        seed: int = 0) -> TrainingReport:
    """Train run `name` (with `fix`) on `n` of its samples only, all in one batch, for `epochs` steps.

    A pipeline that works drives the loss of a dozen samples towards 0 (the healthy run: below 0.05) (the network can memorize
    them); one that cannot is broken before any question of generalization arises. The samples
    are spread evenly over the data set (every class is in them).
    """
    X, y = load_run_data(RUN_DATA[name])
    rows = np.linspace(0, len(X) - 1, n).round().astype(int)
    config = {**apply_fix(name, fix or {}), "batch_size": n}
    return train(config, (X[rows], y[rows]), seed=seed, epochs=epochs)


def gradient_footprint(loss: Callable | None = None, *, sample: int = 0, n: int = 8, seed: int = 0) -> np.ndarray:
    """Which samples' gradients move when one sample's input moves: an array (n,), one entry per sample.

    A small healthy network (2 -> 16 -> 3, He initialization) takes a batch of `n` spiral points;
    backprop gives the gradient of the loss with respect to every input, dX (n, 2). Then the input
    of `sample` is nudged and the gradients are computed again. Entry j is how far row j of dX
    moved (relative to the largest move). In a correct pipeline each sample's loss depends on
    that sample alone, so only entry `sample` is non-zero; a loss that mixes the samples of a
    batch moves every entry. `loss` : function (scores, y) -> (loss, dscores); default the course's.
    """
    loss = loss or layers.softmax_cross_entropy
    rng = np.random.default_rng(seed)
    X, y = spiral(seed=seed)
    rows = rng.choice(len(X), size=n, replace=False)
    X, y = X[rows], y[rows]
    W1, b1 = layers.he_init(2, 16, rng), np.zeros(16)
    W2, b2 = layers.he_init(16, 3, rng), np.zeros(3)

    def input_gradient(inputs):
        z = inputs @ W1 + b1
        h = np.maximum(z, 0.0)
        _, dscores = loss(h @ W2 + b2, y)
        dscores = np.asarray(dscores, dtype=float)
        return ((dscores @ W2.T) * (z > 0)) @ W1.T

    before = input_gradient(X)
    nudged = X.copy()
    nudged[sample] += 1e-3 * rng.standard_normal(2)
    moved = np.linalg.norm(input_gradient(nudged) - before, axis=1)
    return moved / moved.max() if moved.max() > 0 else moved
