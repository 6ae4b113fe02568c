"""Checks for the tests of lesson 09 (Keras on MNIST).

- `check_preprocess(func, seed=None)`: shapes, float32, the scale 1/255, one-hot labels with
  ten columns, inputs untouched; each classic mistake named;
- `check_count(func, layer_sizes, expected=None)`: the parameter count of a Dense stack;
- `check_build(func, hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False)`: the layers,
  their sizes, activations, L2 penalties, dropout and batch-normalization layers, and the
  compilation (RMSprop, categorical cross-entropy, accuracy);
- `check_short_run(train_mlp)`: the graded training check, the same in the student's
  notebook and under nbgrader: `train_mlp` trains for 2 epochs on the first 10,000 training
  images (reference preprocessing, seed 0) and must reach `SHORT_RUN_THRESHOLD` on the test set;
- `check_full_model(model)`: the model trained in the lesson reaches `FULL_THRESHOLD`.

The reference versions of the graded functions (`preprocess_mnist`, `build_mlp`,
`count_dense_params`) live here for the hidden tests and for `substitute`.
TensorFlow is imported only when a Keras check runs.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable, Sequence

import numpy as np

from . import CheckFailed, _fail, _show, check, check_that

__all__ = ["preprocess_mnist", "build_mlp", "count_dense_params", "check_preprocess", "check_count",
           "check_build", "check_short_run", "check_full_model", "SHORT_RUN", "SHORT_RUN_THRESHOLD",
           "FULL_THRESHOLD", "call"]

FULL_THRESHOLD = 0.98          # the model trained in the lesson, on the 10,000 test images
SHORT_RUN = dict(n_train=10_000, epochs=2, seed=0)
SHORT_RUN_THRESHOLD = 0.85     # the short run, graded: a net that learns gets about 0.92


# --------------------------------------------------------------------------- reference versions
def preprocess_mnist(x, y):
    """Reference: x (N, 28, 28) uint8 -> (N, 784) float32 / 255; y (N,) -> one-hot (N, 10) float32."""
    x = np.asarray(x)
    y = np.asarray(y).astype(int).ravel()
    x_out = x.reshape(len(x), -1).astype(np.float32) / np.float32(255)
    y_out = np.zeros((len(y), 10), dtype=np.float32)
    y_out[np.arange(len(y)), y] = 1.0
    return x_out, y_out


def count_dense_params(layer_sizes):
    """Reference: sum over consecutive sizes (n_in, n_out) of n_in * n_out + n_out."""
    sizes = [int(s) for s in layer_sizes]
    return int(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))


def build_mlp(hidden_units=(512,), l2=0.0, dropout=0.0, batchnorm=False):
    """Reference: Input(784) -> [Dense(h, relu) -> BatchNorm? -> Dropout?] per h -> Dense(10, softmax),
    L2(l2) on every kernel, compiled with RMSprop, categorical cross-entropy and accuracy."""
    import keras  # noqa: PLC0415

    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential([keras.Input(shape=(784,))])
    for units in hidden_units:
        model.add(keras.layers.Dense(units, activation="relu", kernel_regularizer=reg))
        if batchnorm:
            model.add(keras.layers.BatchNormalization())
        if dropout:
            model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(10, activation="softmax", kernel_regularizer=reg))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


# --------------------------------------------------------------------------- helpers
def call(func: Callable, *args: Any, name: str, hint: str | None = None, **kwargs: Any) -> Any:
    """`func(*args, **kwargs)`; an exception (other than the stub's NotImplementedError)
    becomes a `CheckFailed` that names the call."""
    __tracebackhide__ = True
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise
    except CheckFailed:
        raise
    except Exception as error:  # noqa: BLE001 - any error of the student's code becomes a message
        text = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
        _fail(f"{name} raised {type(error).__name__}: {text}", hint)


def _digits(n: int = 6, seed: int | None = None):
    """A batch of n fake digits (uint8 pixels, all below 200, so that dividing by the batch's
    maximum differs from dividing by 255) and labels. seed None: the visible batch, labels
    3 0 7 1 5 8 (no 9, so a one-hot encoding sized by the largest label has 9 columns)."""
    rng = np.random.default_rng(12 if seed is None else seed)
    x = rng.integers(0, 200, size=(n, 28, 28)).astype(np.uint8)
    x[0, 0, :4] = (0, 51, 102, 153)
    if seed is None:
        y = np.resize(np.array([3, 0, 7, 1, 5, 8], dtype=np.uint8), n)
    else:
        y = rng.integers(0, 10, size=n).astype(np.uint8)
    return x, y


# --------------------------------------------------------------------------- preprocess_mnist
def check_preprocess(func: Callable, *, seed: int | None = None, n: int = 6) -> None:
    """Check `func(x, y)` against the reference on a batch of n fake digits (seed None: the
    visible batch, whose brightest pixel is below 255 and whose labels hold 0..9)."""
    __tracebackhide__ = True
    x, y = _digits(n, seed)
    x_before, y_before = x.copy(), y.copy()
    name = "preprocess_mnist(x, y)"
    result = call(func, x, y, name=name)
    check_that(result is not None, f"{name} returned None. Did you forget the `return` statement?")
    check_that(isinstance(result, (tuple, list)) and len(result) == 2,
               f"{name} should return a tuple (x, y) of two arrays, not "
               + (f"a {type(result).__name__} of length {len(result)}." if isinstance(result, (tuple, list))
                  else f"a {type(result).__name__}."))
    check_that(np.array_equal(x, x_before) and np.array_equal(y, y_before),
               f"{name} changed its input arrays in place.",
               "build new arrays (`x.reshape(...).astype('float32') / 255`) instead of assigning into x or y.")
    xs, ys = result
    want_x, want_y = preprocess_mnist(x, y)
    check_that(isinstance(xs, np.ndarray), f"the x that {name} returned should be a NumPy array, not a {type(xs).__name__}.")
    if xs.shape == (n, 28, 28):
        _fail(f"the x that {name} returned still has shape {xs.shape}: each image must become one row of 784 pixels.",
              "use x.reshape(len(x), 28 * 28) (or x.reshape(-1, 784)); a Dense layer takes flat vectors.")
    check_that(xs.shape == (n, 784), f"the x that {name} returned has shape {xs.shape}; expected ({n}, 784) for {n} images.",
               "one row per image: x.reshape(len(x), 784).")
    if not np.issubdtype(xs.dtype, np.floating):
        _fail(f"the x that {name} returned has dtype {xs.dtype}; it should hold float32 numbers in [0, 1].",
              "convert with .astype('float32') before dividing, or integer pixels stay integers.")
    if float(np.max(xs)) > 1.0 + 1e-6:
        _fail(f"the pixels of x go up to {float(np.max(xs)):g}: they should lie in [0, 1].",
              "divide the 0..255 pixel values by 255.")
    if float(np.min(xs)) < -1e-6:
        _fail(f"x has negative values (down to {float(np.min(xs)):.3g}): the lesson scales pixels to [0, 1], "
              "it does not standardize them.", "divide the 0..255 pixel values by 255, nothing else.")
    by_max = x.reshape(n, -1).astype(np.float64) / float(x.max())
    if not np.allclose(xs, want_x, atol=1e-6) and np.allclose(xs, by_max, atol=1e-6):
        _fail("x was divided by the brightest pixel of this batch, not by 255.",
              "every batch must be scaled the same way: divide by 255, the largest possible pixel value.")
    check(xs.astype(np.float64), want_x.astype(np.float64), f"the x of {name}", rtol=1e-6, atol=1e-7)
    check_that(xs.dtype == np.float32, f"the x that {name} returned has dtype {xs.dtype}; expected float32.",
               "use .astype('float32'): Keras computes in float32, and float64 doubles the memory for nothing.")

    check_that(isinstance(ys, np.ndarray), f"the y that {name} returned should be a NumPy array, not a {type(ys).__name__}.")
    if ys.shape == (n,) or ys.shape == (n, 1):
        _fail(f"the y that {name} returned has shape {ys.shape}: the labels must be one-hot encoded, shape ({n}, 10).",
              "one row per label with a 1 in the label's column: keras.utils.to_categorical(y, 10) or np.eye(10)[y].")
    if ys.ndim == 2 and ys.shape[0] == n and ys.shape[1] != 10:
        _fail(f"the y that {name} returned has {ys.shape[1]} columns; one-hot MNIST labels need 10, one per digit.",
              "give the number of classes explicitly (to_categorical(y, num_classes=10)); a batch without "
              "a 9 would otherwise get only 9 columns.")
    check_that(ys.shape == (n, 10), f"the y that {name} returned has shape {ys.shape}; expected ({n}, 10).")
    check_that(np.issubdtype(ys.dtype, np.number), f"the y of {name} should hold numbers, not {ys.dtype}.")
    labels = np.argmax(ys, axis=1)
    if np.array_equal(np.sort(ys, axis=1)[:, -1], np.ones(n)) and np.allclose(ys.sum(axis=1), 1):
        check_that(np.array_equal(labels, y.astype(int)),
                   f"the one-hot rows of y put the 1 in the wrong column: label {int(y[0])} has its 1 in column "
                   f"{int(labels[0])}." if labels[0] != y[0] else
                   "the one-hot rows of y put the 1 in the wrong column for some labels.",
                   "the 1 of label k goes in column k (columns 0 to 9).")
    check(ys.astype(np.float64), want_y.astype(np.float64), f"the y of {name}",
          hint="each row: zeros, with a single 1 in the column of the label.")


# --------------------------------------------------------------------------- count_dense_params
def count_mistakes(layer_sizes: Sequence[int]) -> dict[str, int]:
    """{explanation: wrong count} for the classic mistakes of `count_dense_params`."""
    s = [int(v) for v in layer_sizes]
    pairs = list(zip(s[:-1], s[1:]))
    right = count_dense_params(s)
    return {
        "the biases are missing: each layer also has one bias per output unit (n_out of them).":
            sum(a * b for a, b in pairs),
        "you counted biases for the input layer too: the inputs are data, not units; only the "
        "Dense layers (every size but the first) have biases.": right + s[0],
        "the biases belong to the layer's outputs, not its inputs: a Dense layer has n_in * n_out "
        "weights and n_out biases.": sum(a * b + a for a, b in pairs),
        "you counted (n_in + 1) * (n_out + 1): the bias is one extra input, not an extra output.":
            sum((a + 1) * (b + 1) for a, b in pairs),
        "only the first layer is counted: sum over every pair of consecutive sizes.": s[0] * s[1] + s[1],
        "you added the layer sizes instead of multiplying them for the weights.": sum(a + b + b for a, b in pairs),
    }


def check_count(func: Callable, layer_sizes: Sequence[int], expected: int | None = None) -> None:
    """Check `func(layer_sizes)` (a list of sizes) against the right count, naming a mistake."""
    __tracebackhide__ = True
    sizes = list(layer_sizes)
    name = f"count_dense_params({sizes})"
    result = call(func, copy.copy(sizes), name=name)
    check_that(result is not None, f"{name} returned None. Did you forget the `return` statement?")
    check_that(isinstance(result, (int, np.integer)) and not isinstance(result, bool),
               f"{name} should return an int, not {type(result).__name__} ({result!r}).",
               "count with integers (no division), or convert at the end with int(...).")
    want = count_dense_params(sizes) if expected is None else expected
    if int(result) != want:
        mistakes = {k: v for k, v in count_mistakes(sizes).items() if v != want}
        for explanation, wrong in mistakes.items():
            if int(result) == wrong:
                _fail(f"{name} returned {int(result):,}, expected {want:,}: {explanation}")
        _fail(f"{name} returned {int(result):,}, but it should be {want:,}.",
              "a Dense layer from n_in to n_out units has n_in * n_out weights and n_out biases; add this "
              "up over every pair of consecutive sizes.")


# --------------------------------------------------------------------------- build_mlp
def _keras():
    from ..network import quiet_tensorflow  # noqa: PLC0415

    return quiet_tensorflow()[1]


def _describe_layers(model) -> str:
    parts = []
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            parts.append(f"Dense({layer.units}, {getattr(layer.activation, '__name__', layer.activation)})")
        elif kind == "Dropout":
            parts.append(f"Dropout({layer.rate:g})")
        else:
            parts.append(kind)
    return " -> ".join(parts) if parts else "no layers"


def _loss_value(loss, keras) -> float | None:
    """The model's loss on one one-hot example (true class 1, predicted 0.7); None if it fails."""
    y_true = np.array([[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    y_pred = np.array([[0.1, 0.7, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01]], dtype=np.float32)
    try:
        fn = keras.losses.get(loss) if isinstance(loss, str) else loss
        return float(np.mean(np.asarray(fn(y_true, y_pred))))
    except Exception:  # noqa: BLE001
        return None


def check_compiled(model, name: str) -> None:
    """Compiled with RMSprop, categorical cross-entropy on probabilities, and accuracy."""
    __tracebackhide__ = True
    keras = _keras()
    check_that(bool(getattr(model, "compiled", False)) and getattr(model, "optimizer", None) is not None,
               f"the model of {name} is not compiled.",
               "finish build_mlp with model.compile(optimizer='rmsprop', loss='categorical_crossentropy', "
               "metrics=['accuracy']) and return the model.")
    check_that(isinstance(model.optimizer, keras.optimizers.RMSprop),
               f"the model of {name} is compiled with {type(model.optimizer).__name__}; this exercise asks for RMSprop.",
               "optimizer='rmsprop' (or keras.optimizers.RMSprop()).")
    value = _loss_value(model.loss, keras)
    right = -np.log(0.7)
    if value is None or not np.isclose(value, right, rtol=1e-3):
        loss_name = model.loss if isinstance(model.loss, str) else (
            getattr(model.loss, "__name__", None) or type(model.loss).__name__)
        if "sparse" in str(loss_name).lower():
            hint = "the labels are one-hot rows (Exercise 1), so the loss is 'categorical_crossentropy', not the sparse one."
        elif value is not None and np.isclose(value, _logit_ce(), rtol=1e-3):
            hint = "the output layer already applies softmax: use from_logits=False (the default)."
        else:
            hint = "use loss='categorical_crossentropy': the cross-entropy of a softmax output against one-hot labels."
        _fail(f"the model of {name} is compiled with the loss {loss_name!r}, not categorical cross-entropy.", hint)
    metrics = model.get_compile_config().get("metrics") or []
    names = []
    for metric in metrics if isinstance(metrics, (list, tuple)) else [metrics]:
        names.append(metric if isinstance(metric, str) else (metric.get("class_name", "") if isinstance(metric, dict)
                                                            else type(metric).__name__))
    ok = any(m in ("accuracy", "acc", "categorical_accuracy", "CategoricalAccuracy") for m in names)
    check_that(ok, f"the model of {name} does not report accuracy (its metrics: {names or 'none'}).",
               "compile with metrics=['accuracy'] (keras.metrics.Accuracy() compares the probabilities "
               "themselves with the labels, which is not what you want).")


def _logit_ce() -> float:
    y_pred = np.array([0.1, 0.7, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01])
    return float(np.log(np.sum(np.exp(y_pred))) - y_pred[1])


def check_build(func: Callable, hidden_units: Sequence[int] = (512,), l2: float = 0.0, dropout: float = 0.0,
                batchnorm: bool = False) -> Any:
    """Check one call of `build_mlp` (structure, penalties, compilation); return the model."""
    __tracebackhide__ = True
    keras = _keras()
    args = {"hidden_units": tuple(hidden_units), "l2": l2, "dropout": dropout, "batchnorm": batchnorm}
    shown = ", ".join(f"{k}={v!r}" for k, v in args.items() if v != {"hidden_units": (512,), "l2": 0.0,
                                                                    "dropout": 0.0, "batchnorm": False}[k])
    name = f"build_mlp({shown})"
    model = call(func, **args, name=name)
    check_that(model is not None, f"{name} returned None. Did you forget `return model`?")
    check_that(isinstance(model, keras.Model),
               f"{name} should return a Keras model, not {type(model).__name__}.",
               "build a keras.Sequential([...]) and return it.")
    try:
        input_shape = tuple(model.input_shape)
    except (AttributeError, ValueError):
        _fail(f"the model of {name} does not know the size of its input yet.",
              "start the Sequential model with keras.Input(shape=(784,)).")
    check_that(input_shape == (None, 784), f"the model of {name} takes inputs of shape {input_shape}; "
               "it should take (None, 784): a batch of flat 784-pixel images.",
               "keras.Input(shape=(784,)) as the first element of the Sequential model.")
    layers = list(model.layers)
    dense = [k for k, layer in enumerate(layers) if isinstance(layer, keras.layers.Dense)]
    units = [layers[k].units for k in dense]
    want_units = [*hidden_units, 10]
    check_that(units == want_units,
               f"the model of {name} has Dense layers of {units} units; expected {want_units} "
               f"(one per entry of hidden_units={tuple(hidden_units)}, then 10 outputs). Its layers: {_describe_layers(model)}.",
               "loop over hidden_units and add Dense(h, activation='relu') for each h, then Dense(10, activation='softmax').")
    out_act = getattr(layers[dense[-1]].activation, "__name__", "")
    if out_act != "softmax":
        hint = ("a sigmoid gives ten independent numbers in (0, 1) that do not sum to 1; softmax turns the "
                "ten scores into probabilities of one class." if out_act == "sigmoid" else
                "Dense(10, activation='softmax') as the last layer.")
        _fail(f"the output layer of {name} uses the {out_act or 'no'} activation; it should use softmax.", hint)
    for k in dense[:-1]:
        act = getattr(layers[k].activation, "__name__", "")
        check_that(act == "relu", f"the hidden Dense layer of {layers[k].units} units in {name} uses the {act} "
                   "activation; this exercise asks for relu.", "Dense(h, activation='relu').")
    check_that(dense[-1] == len(layers) - 1,
               f"the model of {name} has layers after its output layer: {_describe_layers(model)}.",
               "dropout and batch normalization go after hidden layers only; the softmax layer comes last.")
    # what sits between consecutive Dense layers
    for position, (start, stop) in enumerate(zip(dense[:-1], dense[1:])):
        between = layers[start + 1:stop]
        drops = [layer for layer in between if isinstance(layer, keras.layers.Dropout)]
        norms = [layer for layer in between if isinstance(layer, keras.layers.BatchNormalization)]
        others = [layer for layer in between if layer not in drops and layer not in norms]
        where = f"after the hidden layer of {layers[start].units} units"
        check_that(not others, f"{name} has unexpected layers {where}: {_describe_layers(model)}.")
        if dropout:
            check_that(len(drops) == 1, f"{name} should have one Dropout layer {where}; it has {len(drops)}. "
                       f"Its layers: {_describe_layers(model)}.",
                       "when dropout > 0, add keras.layers.Dropout(dropout) after each hidden Dense layer.")
            check_that(np.isclose(float(drops[0].rate), dropout),
                       f"the Dropout layer {where} in {name} drops a fraction {float(drops[0].rate):g}; "
                       f"it should drop {dropout:g}.", "keras.layers.Dropout(dropout): its rate is the fraction dropped.")
        else:
            check_that(not drops, f"{name} has a Dropout layer {where}, but dropout is 0.",
                       "add Dropout layers only when dropout > 0.")
        if batchnorm:
            check_that(len(norms) == 1, f"{name} should have one BatchNormalization layer {where}; it has "
                       f"{len(norms)}. Its layers: {_describe_layers(model)}.",
                       "when batchnorm is True, add keras.layers.BatchNormalization() after each hidden Dense layer.")
        else:
            check_that(not norms, f"{name} has a BatchNormalization layer {where}, but batchnorm is False.")
    # L2 on every kernel, nothing on biases
    for k in dense:
        layer = layers[k]
        reg = layer.kernel_regularizer
        label = f"the Dense layer of {layer.units} units in {name}"
        if l2:
            check_that(reg is not None, f"{label} has no L2 penalty; with l2={l2:g} every Dense layer (the output "
                       "layer too) should have one.", "Dense(..., kernel_regularizer=keras.regularizers.L2(l2)).")
            kernel = np.asarray(layer.kernel.numpy(), dtype=np.float64)
            value = float(reg(layer.kernel))
            want = l2 * float(np.sum(kernel ** 2))
            if not np.isclose(value, want, rtol=1e-3):
                factor = value / want if want else float("nan")
                _fail(f"{label} adds a penalty of {value:.4g} for its weights; L2({l2:g}) gives {want:.4g} "
                      f"(l2 times the sum of the squared weights){f', you have {factor:.3g} times that' if want else ''}.",
                      "kernel_regularizer=keras.regularizers.L2(l2), with l2 as given (no extra factor).")
        else:
            value = float(reg(layer.kernel)) if reg is not None else 0.0
            check_that(value == 0.0, f"{label} has an L2 penalty although l2 is 0.")
        bias_reg = getattr(layer, "bias_regularizer", None)
        check_that(bias_reg is None or float(bias_reg(layer.bias)) == 0.0,
                   f"{label} penalizes its biases; the exercise puts the L2 penalty on the weights (kernel) only.")
    want_count = count_dense_params([784, *hidden_units, 10]) + (4 * sum(hidden_units) if batchnorm else 0)
    check_that(model.count_params() == want_count,
               f"the model of {name} has {model.count_params():,} parameters; expected {want_count:,}.")
    check_compiled(model, name)
    return model


# --------------------------------------------------------------------------- training
@functools.lru_cache(maxsize=1)
def _short_data():
    from ..datasets import load_mnist  # noqa: PLC0415

    (xtr, ytr), (xte, yte) = load_mnist()
    n = SHORT_RUN["n_train"]
    x, y = preprocess_mnist(xtr[:n], ytr[:n])
    x_test, _ = preprocess_mnist(xte, yte)
    return x, y, x_test, yte.astype(int)


def test_accuracy(model, x_test=None, y_test=None) -> float:
    """Accuracy of a Keras model on the MNIST test set (reference preprocessing)."""
    if x_test is None:
        _, _, x_test, y_test = _short_data()
    probabilities = np.asarray(model.predict(x_test, batch_size=2000, verbose=0))
    return float(np.mean(np.argmax(probabilities, axis=1) == np.asarray(y_test)))


def check_short_run(train_mlp: Callable, threshold: float = SHORT_RUN_THRESHOLD) -> float:
    """The graded training check: `train_mlp(x, y, 2)` on the first 10,000 training images,
    after `keras.utils.set_random_seed(0)`; returns the test accuracy it reached."""
    __tracebackhide__ = True
    keras = _keras()
    x, y, x_test, y_test = _short_data()
    epochs = SHORT_RUN["epochs"]
    keras.utils.set_random_seed(SHORT_RUN["seed"])
    name = f"train_mlp(x, y, {epochs}) on the first {len(x):,} training images"
    result = call(train_mlp, x.copy(), y.copy(), epochs, name=name)
    check_that(result is not None, f"{name} returned None. Did you forget `return model, history`?")
    check_that(isinstance(result, (tuple, list)) and len(result) == 2,
               f"{name} should return a tuple (model, history), not "
               + (f"a {type(result).__name__} of length {len(result)}." if isinstance(result, (tuple, list))
                  else f"a {type(result).__name__}."),
               "return model, history  (history is what model.fit returns).")
    model, history = result
    check_that(isinstance(model, keras.Model), f"the first item {name} returned should be the Keras model, "
               f"not {type(model).__name__}.", "return model, history  (in this order).")
    logs = getattr(history, "history", history)
    check_that(isinstance(logs, dict) and "loss" in logs,
               f"the second item {name} returned should be the History of model.fit, not {type(history).__name__}.",
               "history = model.fit(...); return model, history.")
    ran = len(logs["loss"])
    check_that(ran == epochs, f"{name} trained for {ran} epoch(s); it should train for the {epochs} it was given.",
               "pass epochs=epochs to model.fit (and no early stopping inside train_mlp).")
    check_that(bool(np.all(np.isfinite(np.asarray(logs["loss"], dtype=float)))),
               f"the training loss of {name} became nan or inf: {logs['loss']}.",
               "the learning rate is far too large, or the loss does not match the softmax output.")
    accuracy = test_accuracy(model, x_test, y_test)
    check_that(accuracy >= threshold,
               f"after {name} the model classifies {accuracy:.1%} of the test images correctly; a network that "
               f"learns reaches at least {threshold:.0%} in this short run (the lesson's solution: about 92%).",
               "check the learning rate (RMSprop's default 1e-3 works), that the model is fitted on (x, y), "
               "and that the loss is categorical cross-entropy.")
    return accuracy


def check_full_model(model, threshold: float = FULL_THRESHOLD) -> float:
    """The model trained in the lesson reaches `threshold` accuracy on the 10,000 test images."""
    __tracebackhide__ = True
    keras = _keras()
    check_that(isinstance(model, keras.Model), f"`model` should be the Keras model your train_mlp returned, "
               f"not {type(model).__name__}.", "run the training cell above once more.")
    accuracy = call(test_accuracy, model, name="the model's predictions on the test images",
                    hint="the model must take (N, 784) inputs and give (N, 10) probabilities.")
    check_that(accuracy >= threshold,
               f"your trained model classifies {accuracy:.2%} of the test images correctly; the goal is at least "
               f"{threshold:.0%}.",
               "train longer (more epochs), lower the learning rate for the last epoch or two, or add a little "
               "dropout; if Exercises 1-3 do not pass yet, fix them first.")
    return accuracy
