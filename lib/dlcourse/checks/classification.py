"""Checks of lesson 06 (classification): one visible check and one hidden check per exercise.

- ``check_<exercise>(ns)`` is the visible test: it finds the student's function in the notebook's
  namespace `ns`, makes sure it is the student's own (`check_own`, first), calls it only through
  `attempt` and `check_no_mutation`, compares with values worked out by hand, names the known
  mistakes (stable ids ``function:slug``) and prints a ✔ line that says what was checked.
- ``hidden_<exercise>(ns)`` is what grading adds: random inputs against the reference, more shapes.
- The exercises that may use an earlier one (`logistic_regression_fit` its `binary_cross_entropy`,
  `kl_divergence` its `entropy`, `softmax_cross_entropy` its `one_hot`) are checked, visible and hidden
  alike, with the student's own functions first and only if that fails again with the reference of the
  earlier exercise in its place (`best_of`), so that one mistake costs its points once. When both fail
  and the earlier function is wrong, the message blames it by name.

The `*_mistakes` functions compute what a known mistake returns for given inputs, keyed by
(slug, the sentence that tells the student what went wrong); `check(..., mistakes=...)` names a
mistake only when the returned value is exactly that one. `as_number` lets a demo cell say what to
fix when a function returns something else than a number.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from . import CheckFailed, _describe, _fail, attempt, best_of, check, check_defined, check_no_mutation, check_own, own, \
    check_that, passed
from .backprop import _own_stub, as_number
from .. import classification as _cls
from .. import layers as _layers
from ..gradcheck import AGREE, numerical_gradient, relative_error

__all__ = ["check_binary_cross_entropy", "hidden_binary_cross_entropy", "check_logistic_regression_fit",
           "hidden_logistic_regression_fit", "check_entropy", "hidden_entropy", "check_kl_divergence",
           "hidden_kl_divergence", "check_one_hot", "hidden_one_hot", "check_softmax_cross_entropy",
           "hidden_softmax_cross_entropy", "check_hinge_loss", "hidden_hinge_loss", "as_number", "bce_mistakes",
           "fit_variant", "entropy_mistakes", "kl_mistakes", "one_hot_mistakes", "softmax_ce_mistakes",
           "hinge_mistakes"]

_HINTS = {
    IndexError: "an index is out of range: check which axis holds the samples (rows) and which the classes "
                "(columns), and that labels index columns.",
    ValueError: "two arrays do not fit together: print the shapes of what you combine (e.g. X.shape, w.shape).",
    TypeError: "a function got an argument of a type it does not take: use NumPy functions (np.log, np.exp, "
               "np.sum ...) on whole arrays, not the math module.",
}


def _call(func: Callable, *args: Any, name: str) -> Any:
    __tracebackhide__ = True
    return attempt(func, *args, name=name, hints=_HINTS)


def _loss_pair(result: Any, name: str, shape: tuple) -> tuple[Any, Any]:
    """`result` as a pair (loss, dscores) with dscores of `shape`."""
    __tracebackhide__ = True
    function = name.split("(")[0]
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        length = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        _fail(f"{name} should return a pair (loss, dscores), but it returned {_describe(result)}{length}.",
              "end the function with `return loss, dscores`.", f"{function}:type")
    loss, dscores = result
    if isinstance(loss, np.ndarray) and loss.shape == tuple(shape):
        _fail(f"{name} returned (dscores, loss) in the wrong order, or an array as the loss.",
              "return the loss (a number) first, then dscores.", f"{function}:order")
    if not isinstance(dscores, np.ndarray):
        _fail(f"{name}'s dscores should be a NumPy array of shape {tuple(shape)}, but it is {_describe(dscores)}.",
              mistake=f"{function}:type")
    if dscores.shape != tuple(shape):
        _fail(f"{name}'s dscores has shape {dscores.shape}; it must have the shape of scores, {tuple(shape)}.",
              "the gradient holds one number per score: same rows (samples) and columns (classes).",
              f"{function}:shape")
    return loss, dscores


def _builds_on(ns: dict, function: str, earlier: str, probe: Callable[[Callable], None],
               test: Callable[[], None]) -> None:
    """Run `test` of `function`, which may use the student's `earlier` function: the student's own first, then
    (if that fails) with the reference of `earlier` in its place (`best_of`). If both fail and the student's
    `earlier` is wrong (`probe` raises), blame it by name."""
    __tracebackhide__ = True
    try:
        best_of(test, ns, **{earlier: getattr(_cls if hasattr(_cls, earlier) else _layers, earlier)})
    except CheckFailed as failure:
        if (failure.mistake or "").endswith(":reference") or earlier not in ns or _own_stub(ns[function]):
            raise
        try:
            probe(ns[earlier])
        except CheckFailed as wrong:
            _fail(f"{function} uses your {earlier}, which does not pass its check yet: "
                  f"{wrong.message.splitlines()[0].rstrip('.')}.\n"
                  f"  Fix {earlier} first (its test above says how), run its cell, then run this test again. "
                  f"What {function} gave: {failure.message.splitlines()[0]}", mistake=f"{earlier}:fix-first")
        raise


# ---------------------------------------------------------------------------------- binary cross-entropy

def bce_mistakes(y_hat, y) -> dict:
    """Wrong values of binary_cross_entropy(y_hat, y) for probabilities strictly inside (0, 1)."""
    p = np.asarray(y_hat, dtype=float)
    t = np.asarray(y, dtype=float)
    right = _layers.binary_cross_entropy(p, t)
    n = p.size
    return {
        ("sign", "the minus sign is missing: log of a probability is negative, so the loss "
         "-[y log y_hat + (1 - y) log(1 - y_hat)] is positive."): -right,
        ("summed", "you summed over the samples; the loss is the MEAN over samples."): right * n,
        ("log2", "you used log base 2; cross-entropy for training uses the natural log, np.log."): right / np.log(2),
        ("log10", "you used log base 10; cross-entropy for training uses the natural log, np.log."):
            right / np.log(10),
        ("labels-swapped", "y and 1 - y are swapped: the term y * log(y_hat) rewards a high y_hat where the label "
         "is 1."): float(-np.mean((1 - t) * np.log(p) + t * np.log(1 - p))),
        ("only-positive-term", "only the y = 1 term is there: add the term of the samples with label 0, "
         "(1 - y) * log(1 - y_hat)."): float(-np.mean(t * np.log(p))),
        ("second-term-sign", "the (1 - y) * log(1 - y_hat) term has the wrong sign: both terms are subtracted."):
            float(-np.mean(t * np.log(p) - (1 - t) * np.log(1 - p))),
    }


def check_binary_cross_entropy(ns: Mapping[str, Any]) -> None:
    """Visible test of Exercise 1."""
    __tracebackhide__ = True
    f = own(ns, "binary_cross_entropy")
    y_hat, y = np.array([0.9, 0.2, 0.6]), np.array([1, 0, 1])
    name = "binary_cross_entropy(np.array([0.9, 0.2, 0.6]), np.array([1, 0, 1]))"
    check(_call(f, y_hat, y, name=name), 0.279776563579, name + " (the worked example)",
          mistakes=bce_mistakes(y_hat, y))
    y_hat, y = np.array([0.3, 0.75, 0.5, 0.05, 0.99]), np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    name = "binary_cross_entropy(np.array([0.3, 0.75, 0.5, 0.05, 0.99]), np.array([0., 1., 1., 0., 1.]))"
    check(_call(f, y_hat, y, name=name), 0.279769565438, name + " (labels as floats)", mistakes=bce_mistakes(y_hat, y))
    name = "binary_cross_entropy(np.array([0.25]), np.array([1]))"
    check(_call(f, np.array([0.25]), np.array([1]), name=name), 1.38629436112, name + " (one sample: ln 4)")
    with np.errstate(all="ignore"):  # NumPy's warnings are not counted; the values are
        name = "binary_cross_entropy(np.array([1., 0., 0., 1.]), np.array([1, 0, 1, 0]))"
        check(_call(f, np.array([1.0, 0.0, 0.0, 1.0]), np.array([1, 0, 1, 0]), name=name), 13.8155160885,
              name + ": two perfect and two confidently wrong answers", rtol=1e-4,
              nan_hint="np.log(0) is -inf, and 0 * (-inf) is nan: clip y_hat into [1e-12, 1 - 1e-12] first.",
              hint="clip y_hat into [1e-12, 1 - 1e-12], exactly this eps (another eps gives another number): each "
                   "confidently wrong answer then costs -ln(1e-12) = 27.63, so the mean is 13.8155.")
        check_no_mutation(f, np.array([0.0, 0.5, 1.0]), np.array([0, 1, 1]), name="binary_cross_entropy")
    passed("binary_cross_entropy: the worked example, float labels, one sample, y_hat of exactly 0 and 1, "
           "inputs untouched")


def hidden_binary_cross_entropy(ns: Mapping[str, Any]) -> None:
    """Hidden test of Exercise 1: random sizes against the reference, exact 0 and 1, float32."""
    __tracebackhide__ = True
    f = ns["binary_cross_entropy"]
    check_own(f, "binary_cross_entropy")
    rng = np.random.default_rng(601)
    with np.errstate(all="ignore"):
        for n in (1, 2, 9, 400):
            p = rng.uniform(0.001, 0.999, size=n)
            t = rng.integers(0, 2, size=n)
            for labels in (t, t.astype(float)):
                out = check_no_mutation(f, p, labels, name=f"binary_cross_entropy of {n} samples")
                check(out, _layers.binary_cross_entropy(p, labels), f"binary_cross_entropy of {n} samples",
                      rtol=1e-9)
        p = rng.uniform(0.0, 1.0, size=30)
        p[::3], p[1::3] = 0.0, 1.0
        t = rng.integers(0, 2, size=30)
        check(_call(f, p.copy(), t, name="binary_cross_entropy"), _layers.binary_cross_entropy(p, t),
              "binary_cross_entropy with y_hat of exactly 0 and 1", rtol=1e-4)
        p32 = rng.uniform(0.01, 0.99, size=20).astype(np.float32)
        t = rng.integers(0, 2, size=20)
        check(float(as_number(_call(f, p32, t, name="binary_cross_entropy of float32"), "binary_cross_entropy",
                              "Exercise 1")), _layers.binary_cross_entropy(p32.astype(float), t),
              "binary_cross_entropy of float32 probabilities", rtol=1e-5)
        check(_call(f, np.array([1.0, 0.0]), np.array([1, 0]), name="binary_cross_entropy"), 0.0,
              "binary_cross_entropy of two perfect answers", atol=1e-9)


# ---------------------------------------------------------------------------------- logistic regression

def fit_variant(X, y, learning_rate, iterations, *, bias=True, sign=1.0, mean=True, record="before"):
    """Logistic regression by gradient descent with one deliberate change, for diagnoses.

    bias=False keeps b at 0; sign=-1 climbs the loss; mean=False drops the 1/N of the gradient;
    record="after" stores the loss after each step instead of before it.
    Returns (w (D,), b float, losses list).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w, b, losses = np.zeros(d), 0.0, []
    scale = 1.0 / n if mean else 1.0
    with np.errstate(all="ignore"):
        for _ in range(int(iterations)):
            a = _layers.sigmoid(X @ w + b)
            if record == "before":
                losses.append(_layers.binary_cross_entropy(a, y))
            dz = (a - y) * scale
            w = w - sign * learning_rate * (X.T @ dz)
            if bias:
                b = b - sign * learning_rate * float(np.sum(dz))
            if record == "after":
                losses.append(_layers.binary_cross_entropy(_layers.sigmoid(X @ w + b), y))
    return w, float(b), losses


def _probe_bce(f: Callable) -> None:
    __tracebackhide__ = True
    y_hat, y = np.array([0.9, 0.2, 0.6]), np.array([1, 0, 1])
    check(_call(f, y_hat, y, name="binary_cross_entropy"), 0.279776563579, "binary_cross_entropy of the worked example",
          mistakes=bce_mistakes(y_hat, y))


def _fit_checks(ns: Mapping[str, Any]) -> None:
    __tracebackhide__ = True
    from ..datasets import two_clusters

    fit = ns["logistic_regression_fit"]
    X = np.array([[0.5, 1.0], [2.0, -1.0], [-1.0, 0.5], [1.5, 2.0], [-0.5, -1.5]])
    y = np.array([1, 1, 0, 1, 0])
    name = "logistic_regression_fit(X, y, 0.5, 3) on 5 samples with 2 features"
    result = check_no_mutation(fit, X, y, 0.5, 3, name=name)
    check_that(isinstance(result, (tuple, list)) and len(result) == 3,
               f"{name} should return a tuple (w, b, losses), but it returned {_describe(result)}.",
               "end the function with `return w, b, losses`.", "logistic_regression_fit:type")
    w, b, losses = result
    losses = _call(lambda v: np.asarray(v, dtype=float), losses, name="logistic_regression_fit: np.asarray(losses)")
    check_that(losses.ndim == 1 and losses.shape[0] == 3,
               f"logistic_regression_fit's losses should hold 3 numbers, one per iteration, but np.asarray(losses) "
               f"has shape {losses.shape}.", "record one number (the mean loss) per iteration, before its update; "
               "no extra one after the loop.", "logistic_regression_fit:iterations")
    after = fit_variant(X, y, 0.5, 3, record="after")[2]
    check(losses[0], 0.69314718056, "logistic_regression_fit's losses[0]",
          mistakes={("loss-after-update", "each loss was recorded AFTER its step: record the loss of the current "
                     "parameters before updating them, so that losses[0] = ln 2 (with w = 0 and b = 0 every output "
                     "is 0.5)."): after[0]},
          hint="with w = 0 and b = 0 every output is 0.5 and the first loss is ln 2 = 0.6931: record the mean "
               "binary cross-entropy of the current parameters before the first step.")
    check_that(isinstance(w, np.ndarray) and w.shape == (2,),
               f"logistic_regression_fit's w should be a NumPy array of shape (D,) = (2,), but it is {_describe(w)}.",
               "start from w = np.zeros(D). A w of shape (D, 1) makes X @ w a column (N, 1), and a column minus y "
               "of shape (N,) broadcasts to (N, N) (section 3.2).", "logistic_regression_fit:shape")
    check(w, np.array([0.661752108674, 0.336881150912]), "logistic_regression_fit's w after 3 iterations",
          mistakes={("uphill", "the gradient step goes uphill: w moves AGAINST the gradient X.T @ (a - y) / N "
                     "(prediction minus label)."): fit_variant(X, y, 0.5, 3, sign=-1.0)[0],
                    ("no-1-over-n", "the gradient lacks the 1/N: it is the gradient of the MEAN loss."):
                        fit_variant(X, y, 0.5, 3, mean=False)[0],
                    ("bias-not-updated", "w is almost right but not quite: is the bias updated? Without it, w "
                     "compensates."): fit_variant(X, y, 0.5, 3, bias=False)[0]},
          hint="print the shapes inside your loop: X @ w + b and a - y should have shape (N,) = (5,), the gradient "
               "of w shape (D,) = (2,). A column (N, 1) anywhere broadcasts against y (N,) to (N, N) (section 3.2).")
    check_that(np.ndim(b) == 0, f"logistic_regression_fit's b should be a single number, but it has shape "
               f"{np.shape(b)}.", "keep b a number: start with b = 0.0 and subtract a number from it.",
               "logistic_regression_fit:shape")
    check(b, 0.0827378806787, "logistic_regression_fit's b after 3 iterations",
          mistakes={("bias-not-updated", "b is still 0: update the bias too."): 0.0,
                    ("bias-uphill", "the step for b goes uphill: b moves against the mean of a - y."):
                        fit_variant(X, y, 0.5, 3, sign=-1.0)[1],
                    ("bias-no-1-over-n", "the gradient of b lacks the 1/N: the MEAN of a - y, not the sum."):
                        fit_variant(X, y, 0.5, 3, mean=False)[1]})
    check(losses, np.array([0.69314718056, 0.516941397565, 0.413894595537]), "logistic_regression_fit's losses",
          mistakes={("loss-after-update", "each loss was recorded AFTER its step: record the loss of the current "
                     "parameters before updating them."): np.array(after)},
          hint="w and b are right, so the steps are right; check how each loss is computed: the mean binary "
               "cross-entropy of the current outputs, before the step, with your binary_cross_entropy.")
    Xc, yc = two_clusters()
    name = "logistic_regression_fit(X, y, 0.5, 200) on datasets.two_clusters()"
    w, b, losses = _call(fit, Xc, yc, 0.5, 200, name=name)
    check(w, np.array([2.53818991248, -2.53168134641]), f"logistic_regression_fit's w on two_clusters()", rtol=1e-5)
    check(b, 0.401224520018, "logistic_regression_fit's b on two_clusters()", rtol=1e-5)
    check(np.asarray(losses, dtype=float)[[0, 9, 199]], np.array([0.69314718056, 0.214286085791, 0.113156095449]),
          "logistic_regression_fit's losses[[0, 9, 199]] on two_clusters()", rtol=1e-5)


def check_logistic_regression_fit(ns: dict) -> None:
    """Visible test of Exercise 2."""
    __tracebackhide__ = True
    check_defined(ns, "logistic_regression_fit")
    check_own(ns["logistic_regression_fit"], "logistic_regression_fit")
    _builds_on(ns, "logistic_regression_fit", "binary_cross_entropy", _probe_bce, lambda: _fit_checks(ns))
    passed("logistic_regression_fit: 3 exact steps, the loss recorded before each step, the two clusters, "
           "inputs untouched")


def hidden_logistic_regression_fit(ns: dict) -> None:
    """Hidden test of Exercise 2: random sizes and rates against the reference."""
    __tracebackhide__ = True
    fit = own(ns, "logistic_regression_fit")

    def test():
        rng = np.random.default_rng(602)
        for n, d, lr, it in [(1, 3, 0.1, 5), (30, 1, 1.0, 40), (50, 4, 0.3, 25), (200, 2, 2.0, 60)]:
            X = 2.0 * rng.normal(size=(n, d))
            y = rng.integers(0, 2, size=n)
            label = f"logistic_regression_fit for N = {n}, D = {d}"
            w, b, losses = check_no_mutation(fit, X, y, lr, it, name=label)
            rw, rb, rl = _cls.logistic_regression_fit(X, y, lr, it)
            check(w, rw, f"{label}: w", rtol=1e-6, atol=1e-9)
            check(b, rb, f"{label}: b", rtol=1e-6, atol=1e-9)
            check(np.asarray(losses, dtype=float), np.asarray(rl), f"{label}: losses", rtol=1e-6, atol=1e-9)
        w, b, losses = _call(fit, np.array([[1.0], [2.0], [-1.0], [-2.0]]), np.array([1, 1, 0, 0]), 1.0, 100,
                             name="logistic_regression_fit on separable data")
        check_that(w[0] > 1.0 and bool(np.all(np.diff(np.asarray(losses, dtype=float)) < 0)),
                   "logistic_regression_fit on separable data: the loss must fall at every step.",
                   mistake="logistic_regression_fit:value")

    _builds_on(ns, "logistic_regression_fit", "binary_cross_entropy", _probe_bce, test)


# ---------------------------------------------------------------------------------- entropy and KL

def _plogq(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0)


def entropy_mistakes(p, base=2) -> dict:
    """Wrong values of entropy(p, base) (p without zeros, so that each mistake has one value)."""
    nats = -np.sum(_plogq(p, p), axis=-1)
    right = nats / np.log(base)
    return {
        ("base-ignored", "you used the natural log and ignored `base`: change the base (log_b x = ln x / ln b), so "
         "that base=2 gives bits."): nats,
        ("base-multiplied", "you multiplied by ln(base) instead of dividing: log_b(x) = ln(x) / ln(b)."):
            nats * np.log(base),
        ("sign", "the minus sign is missing: -sum p log p is never negative, since log p <= 0."): -right,
        ("always-log10", "you used log base 10 whatever `base` is."): nats / np.log(10),
        ("always-log2", "you used np.log2 whatever `base` is."): nats / np.log(2),
    }


_ZERO_HINT = ("0 * np.log(0) is 0 * (-inf) = nan in NumPy. The limit of p log p as p -> 0 is 0: leave those "
              "terms out (np.where keeps the shape; selecting p[p > 0] flattens a 2-D array).")


def check_entropy(ns: Mapping[str, Any]) -> None:
    """Visible test of Exercise 3."""
    __tracebackhide__ = True
    f = own(ns, "entropy")
    p = np.array([0.25, 0.25, 0.5])
    name = "entropy(np.array([0.25, 0.25, 0.5]))"
    check(_call(f, p, name=name), 1.5, name + " (the a, b, c example, in bits)", mistakes=entropy_mistakes(p, 2))
    p = np.array([0.1, 0.2, 0.3, 0.4])
    name = "entropy(np.array([0.1, 0.2, 0.3, 0.4]), base=10)"
    check(_call(f, p, 10, name=name), 0.55583362792, name, mistakes=entropy_mistakes(p, 10))
    name = "entropy(np.array([0.1, 0.2, 0.3, 0.4]), base=np.e)"
    check(_call(f, p, np.e, name=name), 1.27985422583, name + " (in nats)", mistakes=entropy_mistakes(p, np.e))
    with np.errstate(all="ignore"):  # NumPy's warnings are not counted; the values are
        name = "entropy(np.array([0.5, 0.0, 0.5, 0.0]))"
        check(_call(f, np.array([0.5, 0.0, 0.5, 0.0]), name=name), 1.0, name + " (zeros count 0)", nan_hint=_ZERO_HINT)
        name = "entropy(np.array([0.0, 1.0, 0.0]))"
        check(_call(f, np.array([0.0, 1.0, 0.0]), name=name), 0.0, name + " (a certain outcome)", nan_hint=_ZERO_HINT)
        P = np.array([[0.25, 0.25, 0.5], [0.5, 0.0, 0.5], [1 / 3, 1 / 3, 1 / 3]])
        name = "entropy(P) for P of shape (3, 3), one distribution per row, a zero in row 2"
        out = _call(f, P, name=name)
        check_that(np.shape(out) == (3,), f"{name} should return 3 entropies, shape (3,), but it returned shape "
                   f"{np.shape(out)}.", "sum over the last axis only. Selecting p[p > 0] flattens the array; "
                   "np.where keeps the rows.", "entropy:shape")
        check(out, np.array([1.5, 1.0, 1.58496250072]), name, nan_hint=_ZERO_HINT,
              hint="each row is one distribution: sum over the last axis, not over axis 0.")
        check_no_mutation(f, np.array([0.5, 0.0, 0.5]), name="entropy")
    passed("entropy: 1.5 bits, bases 10 and e, zeros, one distribution per row, input untouched")


def hidden_entropy(ns: Mapping[str, Any]) -> None:
    """Hidden test of Exercise 3: random distributions with zeros, every base, uniform and one-hot rows."""
    __tracebackhide__ = True
    f = ns["entropy"]
    check_own(f, "entropy")
    rng = np.random.default_rng(603)
    with np.errstate(all="ignore"):
        for shape in [(5,), (1,), (1, 4), (6, 3), (40, 10)]:
            P = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]) if len(shape) > 1 else rng.dirichlet(np.ones(shape[0]))
            if shape[-1] > 2:
                P[..., 0] = 0.0
                P = P / P.sum(axis=-1, keepdims=True)
            for base in (2, np.e, 10):
                out = check_no_mutation(f, P, base, name=f"entropy of shape {shape}")
                check(np.asarray(out, dtype=float), np.asarray(_cls.entropy(P, base)),
                      f"entropy of distributions of shape {shape}, base {base:.3g}", rtol=1e-9, atol=1e-12,
                      nan_hint=_ZERO_HINT)
        for k in (2, 5, 16):
            check(_call(f, np.full(k, 1.0 / k), name="entropy"), np.log2(k), f"entropy of {k} equal probabilities",
                  rtol=1e-9)
        check(np.asarray(_call(f, np.eye(4), name="entropy(np.eye(4))"), dtype=float), np.zeros(4),
              "entropy of one-hot rows", atol=1e-12, nan_hint=_ZERO_HINT)


def kl_mistakes(p, q, base=2) -> dict:
    """Wrong values of kl_divergence(p, q, base) (p and q without zeros)."""
    lb = np.log(base)
    right = np.sum(_plogq(p, p) - _plogq(p, q), axis=-1) / lb
    return {
        ("swapped", "p and q are swapped: you computed D(q || p). The divergence weights log(p/q) by p, the first "
         "argument, and it is not symmetric."): np.sum(_plogq(q, q) - _plogq(q, p), axis=-1) / lb,
        ("base-ignored", "you used the natural log and ignored `base`."): right * lb,
        ("sign", "the sign is flipped: D(p || q) = sum p log(p / q), which is never negative."): -right,
        ("cross-entropy", "you returned the cross-entropy H(p, q) = -sum p log q; subtract the entropy H(p)."):
            -np.sum(_plogq(p, q), axis=-1) / lb,
    }


def _probe_entropy(f: Callable) -> None:
    __tracebackhide__ = True
    with np.errstate(all="ignore"):
        p = np.array([0.25, 0.25, 0.5])
        check(_call(f, p, name="entropy"), 1.5, "entropy(np.array([0.25, 0.25, 0.5]))", mistakes=entropy_mistakes(p))
        check(_call(f, np.array([0.5, 0.0, 0.5]), name="entropy"), 1.0, "entropy(np.array([0.5, 0.0, 0.5]))",
              nan_hint=_ZERO_HINT)
        check(np.asarray(_call(f, np.array([[0.5, 0.5], [1.0, 0.0]]), np.e, name="entropy"), dtype=float),
              np.array([np.log(2), 0.0]), "entropy of two rows in nats", nan_hint=_ZERO_HINT)


def _kl_checks(ns: Mapping[str, Any]) -> None:
    __tracebackhide__ = True
    f = ns["kl_divergence"]
    p, q = np.array([0.25, 0.25, 0.5]), np.array([0.4, 0.4, 0.2])
    name = "kl_divergence(p, q) for p = (0.25, 0.25, 0.5), q = (0.4, 0.4, 0.2)"
    check(_call(f, p, q, name=name), 0.321928094887, name, mistakes=kl_mistakes(p, q))
    name = "kl_divergence(q, p) for the same p and q"
    check(_call(f, q, p, name=name), 0.278071905113, name + " (the other order)", mistakes=kl_mistakes(q, p))
    name = "kl_divergence(p, q, base=np.e)"
    check(_call(f, p, q, np.e, name=name), 0.223143551314, name + " (in nats)", mistakes=kl_mistakes(p, q, np.e))
    check(_call(f, p, p.copy(), name="kl_divergence(p, p)"), 0.0, "kl_divergence(p, p)",
          hint="the divergence of a distribution from itself is 0: every log(p / p) is 0.")
    zero_hint = ("a term with p_k = 0 counts 0, also where q_k = 0 too: 0 * log(0 / 0) and 0 * log(0) are nan in "
                 "NumPy, so leave those terms out (e.g. with np.where on p > 0, taking the log of a harmless 1 there).")
    with np.errstate(all="ignore"):  # NumPy's warnings are not counted; the values are
        name = "kl_divergence(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5]))"
        check(_call(f, np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5]), name=name), 1.0,
              name + " (a zero in p counts 0)", nan_hint=zero_hint)
        name = "kl_divergence(np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0]))"
        check(_call(f, np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0]), name=name), 0.207518749640,
              name + " (p and q both 0 in the last entry: it counts 0)", nan_hint=zero_hint)
        P = np.array([[0.25, 0.25, 0.5], [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
        Q = np.array([[0.4, 0.4, 0.2], [0.25, 0.25, 0.5], [0.0, 0.5, 0.5]])
        name = "kl_divergence(P, Q) for P, Q of shape (3, 3), one distribution per row"
        out = check_no_mutation(f, P, Q, name=name)
        check_that(np.shape(out) == (3,), f"{name} should return 3 divergences, shape (3,), but it returned shape "
                   f"{np.shape(out)}.", "sum over the last axis only.", "kl_divergence:shape")
        check(out, np.array([0.321928094887, 1.0, 0.0]), name, nan_hint=zero_hint,
              hint="each row is one distribution: sum over the last axis, not over axis 0.")


def check_kl_divergence(ns: dict) -> None:
    """Visible test of Exercise 4."""
    __tracebackhide__ = True
    check_defined(ns, "kl_divergence")
    check_own(ns["kl_divergence"], "kl_divergence")
    _builds_on(ns, "kl_divergence", "entropy", _probe_entropy, lambda: _kl_checks(ns))
    passed("kl_divergence: both orders, nats, D(p || p) = 0, zeros in p (also where q is 0), one pair per row, "
           "inputs untouched")


def hidden_kl_divergence(ns: dict) -> None:
    """Hidden test of Exercise 4: random distributions with zeros against the reference."""
    __tracebackhide__ = True
    f = own(ns, "kl_divergence")

    def test():
        rng = np.random.default_rng(604)
        with np.errstate(all="ignore"):
            for shape in [(4,), (1, 3), (7, 5), (50, 10)]:
                size = shape[:-1] if len(shape) > 1 else None
                P, Q = rng.dirichlet(np.ones(shape[-1]), size=size), rng.dirichlet(np.ones(shape[-1]), size=size)
                if shape[-1] > 2:
                    P[..., 1] = 0.0
                    Q[..., 2] = P[..., 2] = 0.0            # zero in both p and q
                    P, Q = P / P.sum(axis=-1, keepdims=True), Q / Q.sum(axis=-1, keepdims=True)
                for base in (2, np.e):
                    out = check_no_mutation(f, P, Q, base, name=f"kl_divergence of shape {shape}")
                    check(np.asarray(out, dtype=float), np.asarray(_cls.kl_divergence(P, Q, base)),
                          f"kl_divergence of distributions of shape {shape}, base {base:.3g}", rtol=1e-8, atol=1e-12)
            P = rng.dirichlet(np.ones(6), size=5)
            check(np.asarray(_call(f, P, P.copy(), name="kl_divergence(P, P)"), dtype=float), np.zeros(5),
                  "kl_divergence(P, P) for 5 rows", atol=1e-12)

    _builds_on(ns, "kl_divergence", "entropy", _probe_entropy, test)


# ---------------------------------------------------------------------------------- one-hot

def one_hot_mistakes(y, num_classes) -> dict:
    """Wrong (N, num_classes) values of one_hot(y, num_classes) from indexing mistakes."""
    y = np.asarray(y).astype(int)
    n = y.shape[0]
    rows = np.zeros((n, num_classes))
    rows[y[y < n]] = 1.0
    cols = np.zeros((n, num_classes))
    cols[:, y] = 1.0
    return {
        ("whole-rows", "out[y] = 1 sets whole ROWS number y[n] to 1. Set one entry per row: row n, column y[n]."):
            rows,
        ("whole-columns", "out[:, y] = 1 sets whole COLUMNS to 1 in every row. Set one entry per row: row n, column "
         "y[n]."): cols,
    }


def check_one_hot(ns: Mapping[str, Any]) -> None:
    """Visible test of Exercise 5."""
    __tracebackhide__ = True
    f = own(ns, "one_hot")
    y = np.array([2, 0, 1, 2, 0])
    name = "one_hot(np.array([2, 0, 1, 2, 0]), 4)"
    out = check_no_mutation(f, y, 4, name=name)
    check_that(isinstance(out, np.ndarray), f"{name} should return a NumPy array, but it returned {_describe(out)}.",
               "start from an array of zeros of shape (N, num_classes) and set one entry per row.", "one_hot:type")
    check_that(out.shape != (4, 5), f"{name} has shape (4, 5): one row per class. The convention is one row per "
               "SAMPLE, shape (N, num_classes) = (5, 4).", mistake="one_hot:transposed")
    check_that(out.shape != (5, 3), f"{name} has shape (5, 3): you used y.max() + 1 columns, but class 3 does not "
               "occur in y. Use num_classes columns: shape (5, 4).", mistake="one_hot:columns-from-labels")
    check_that(out.shape == (5, 4), f"{name} has shape {out.shape}; it should be (N, num_classes) = (5, 4).",
               mistake="one_hot:shape")
    check_that(np.issubdtype(out.dtype, np.floating), f"{name} has dtype {out.dtype}; one_hot returns floats (0.0 "
               "and 1.0).", "an array of zeros made by NumPy is float unless you ask for integers.", "one_hot:dtype")
    check(out, np.array([[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0],
                         [1.0, 0.0, 0.0, 0.0]]), name, mistakes=one_hot_mistakes(y, 4))
    name = "one_hot(np.array([3]), 5)"
    check(_call(f, np.array([3]), 5, name=name), np.array([[0.0, 0.0, 0.0, 1.0, 0.0]]), name + " (one sample)")
    passed("one_hot: one float row per sample, num_classes columns, one sample, labels untouched")


def hidden_one_hot(ns: Mapping[str, Any]) -> None:
    """Hidden test of Exercise 5: sizes, int32 labels, a class that never occurs."""
    __tracebackhide__ = True
    f = ns["one_hot"]
    check_own(f, "one_hot")
    rng = np.random.default_rng(605)
    for n, c in [(1, 1), (1, 10), (7, 3), (100, 10), (12, 2)]:
        for dtype in (np.int64, np.int32):
            y = rng.integers(0, c, size=n).astype(dtype)
            out = check_no_mutation(f, y, c, name=f"one_hot of {n} labels, {c} classes")
            check_that(isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.floating),
                       f"one_hot of {n} labels should return a float array, but it returned {_describe(out)}.",
                       mistake="one_hot:dtype")
            check(out, _cls.one_hot(y, c), f"one_hot of {n} {np.dtype(dtype).name} labels, {c} classes")
    check(_call(f, np.array([0, 0, 0]), 6, name="one_hot"), _cls.one_hot(np.array([0, 0, 0]), 6),
          "one_hot(np.array([0, 0, 0]), 6)")


# ---------------------------------------------------------------------------------- softmax cross-entropy

def softmax_ce_mistakes(scores, y) -> tuple[dict, dict]:
    """({(slug, explanation): wrong loss}, {(slug, explanation): wrong dscores}) for softmax_cross_entropy."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(y).astype(int)
    n = s.shape[0]
    rows = np.arange(n)
    loss, dscores = _layers.softmax_cross_entropy(s, y)
    probs = _layers.softmax(s)
    onehot = np.zeros_like(s)
    onehot[rows, y] = 1.0
    col = np.exp(s - s.max(axis=0, keepdims=True))
    col /= col.sum(axis=0, keepdims=True)  # softmax over the wrong axis (samples)
    losses = {
        ("summed", "you summed over the samples; the loss is the MEAN over the N samples."): loss * n,
        ("sign", "the minus sign is missing: the loss is -log(probability of the true class), a positive number."):
            -loss,
        ("every-class", "you added -log p over EVERY class; the cross-entropy with a one-hot target keeps only the "
         "true class: -log p[n, y[n]]."): float(-np.mean(np.sum(np.log(probs), axis=1))),
        ("wrong-axis", "the softmax normalizes over the wrong axis: each ROW (one sample's scores) must sum to 1."):
            float(-np.mean(np.log(col[rows, y]))),
        ("log2", "you used log base 2; use the natural log, np.log."): loss / np.log(2),
    }
    grads = {
        ("grad-no-1-over-n", "dscores lacks the 1/N: the loss is a mean over N samples, so each row of the "
         "gradient is divided by N."): dscores * n,
        ("grad-no-minus-one", "dscores lacks the -1 at the true class: the gradient is (softmax - one_hot) / N."):
            probs / n,
        ("grad-sign", "dscores has the wrong sign: it is (softmax - one_hot) / N, not (one_hot - softmax) / N."):
            -dscores,
        ("grad-probabilities", "dscores lacks both the -1 at the true class and the 1/N: it is (softmax - one_hot) "
         "/ N."): probs,
        ("grad-wrong-axis", "the softmax in dscores normalizes over the wrong axis: rows (samples) must sum to 1."):
            (col - onehot) / n,
    }
    return losses, grads


_OVERFLOW = ("np.exp of a score near 1000 overflows to inf, and inf / inf is nan: subtract each ROW's largest score "
             "before np.exp (the softmax does not change), for the loss and for dscores alike.")
_GLOBAL = ("shift each row by its OWN largest score (axis=1, keepdims=True): a shift by the largest score of the "
           "whole batch sends the exp of rows far below it to 0, and 0 / 0 is nan.")


def _stable(f: Callable, scores, y, expected_loss: float, expected_d, label: str, hint: str, slug: str) -> None:
    """softmax_cross_entropy at large scores: finite (else the named mistake `slug`), then right."""
    __tracebackhide__ = True
    name = f"softmax_cross_entropy(scores, y) with {label}"
    with np.errstate(all="ignore"):
        loss, dscores = _loss_pair(_call(f, scores.copy(), y, name=name), name, scores.shape)
    finite = np.all(np.isfinite(np.asarray(loss, dtype=float))) and np.all(np.isfinite(dscores))
    check_that(bool(finite), f"{name} gives nan or inf in the loss or in dscores.", hint,
               f"softmax_cross_entropy:{slug}")
    check(loss, expected_loss, f"softmax_cross_entropy's loss with {label}")
    check(dscores, expected_d, f"softmax_cross_entropy's dscores with {label}")


def _probe_one_hot(f: Callable) -> None:
    __tracebackhide__ = True
    y = np.array([2, 0, 1, 2, 0])
    check(_call(f, y, 4, name="one_hot"), _cls.one_hot(y, 4), "one_hot(np.array([2, 0, 1, 2, 0]), 4)",
          mistakes=one_hot_mistakes(y, 4))


def _softmax_checks(ns: Mapping[str, Any]) -> None:
    __tracebackhide__ = True
    f = ns["softmax_cross_entropy"]
    scores = np.array([[3.2, 0.8, 0.0, -1.0], [1.0, 2.0, 0.5, 0.3], [-0.5, 0.2, 0.1, 1.5]])
    y = np.array([0, 2, 3])
    loss_m, grad_m = softmax_ce_mistakes(scores, y)
    name = "softmax_cross_entropy(scores, y) for 3 samples and 4 classes, y = [0, 2, 3]"
    loss, dscores = _loss_pair(check_no_mutation(f, scores, y, name=name, twice=True), name, (3, 4))
    check(loss, 0.904411218615, "softmax_cross_entropy's loss for 3 samples and 4 classes", mistakes=loss_m)
    check(dscores, np.array([[-0.0425872465019, 0.0263758899243, 0.0118514512973, 0.00435990528033],
                             [0.0691362438273, 0.187931795284, -0.291400081755, 0.034332042644],
                             [0.0272666918001, 0.0549083744363, 0.0496831517535, -0.13185821799]]),
          "softmax_cross_entropy's dscores for 3 samples and 4 classes", mistakes=grad_m)
    name = "softmax_cross_entropy(np.array([[3.2, 0.8, 0.0]]), np.array([0])) (the school bus)"
    loss, dscores = _loss_pair(_call(f, np.array([[3.2, 0.8, 0.0]]), np.array([0]), name=name), name, (1, 3))
    check(loss, 0.123526649276, "softmax_cross_entropy's loss for the school bus")
    check(dscores, np.array([[-0.116201911649, 0.0801763536963, 0.036025557953]]),
          "softmax_cross_entropy's dscores for the school bus")
    big = np.array([[1000.0, 998.0, 995.0], [1001.0, 1003.0, 1002.0]])
    _stable(f, big, np.array([1, 2]), *_layers.softmax_cross_entropy(big, np.array([1, 2])),
            "scores near 1000", _OVERFLOW, "softmax-overflow")
    far = np.array([[1000.0, 998.0, 995.0], [0.0, 2.0, 1.0]])
    _stable(f, far, np.array([1, 2]), *_layers.softmax_cross_entropy(far, np.array([1, 2])),
            "rows far apart (one near 1000, one near 1)", _GLOBAL, "global-max-shift")


def check_softmax_cross_entropy(ns: dict) -> None:
    """Visible test of Exercise 6."""
    __tracebackhide__ = True
    check_defined(ns, "softmax_cross_entropy")
    check_own(ns["softmax_cross_entropy"], "softmax_cross_entropy")
    _builds_on(ns, "softmax_cross_entropy", "one_hot", _probe_one_hot, lambda: _softmax_checks(ns))
    passed("softmax_cross_entropy: loss and gradient for a batch and one sample, finite and right for scores near "
           "1000 and for rows far apart, twice on one input, inputs untouched")


def hidden_softmax_cross_entropy(ns: dict) -> None:
    """Hidden test of Exercise 6: random sizes and offsets against the reference, numerical gradient, int32."""
    __tracebackhide__ = True
    f = own(ns, "softmax_cross_entropy")

    def test():
        rng = np.random.default_rng(606)
        with np.errstate(all="ignore"):
            for n, c, offset in [(1, 2, 0.0), (1, 10, 0.0), (7, 3, 0.0), (50, 10, 0.0), (5, 4, 5000.0),
                                 (6, 3, -800.0)]:
                S = offset + 3.0 * rng.normal(size=(n, c))
                y = rng.integers(0, c, size=n)
                label = f"softmax_cross_entropy for N = {n}, C = {c}, scores around {offset:g}"
                loss, d = _loss_pair(check_no_mutation(f, S, y, name=label), label, (n, c))
                rl, rd = _layers.softmax_cross_entropy(S, y)
                check(loss, rl, f"{label}: the loss", rtol=1e-7, nan_hint=_OVERFLOW)
                check(d, rd, f"{label}: dscores", rtol=1e-6, atol=1e-10, nan_hint=_OVERFLOW)
            S = np.vstack([rng.normal(size=(3, 4)) + 900.0, rng.normal(size=(3, 4)) - 900.0])
            y = rng.integers(0, 4, size=6)
            _stable(f, S, y, *_layers.softmax_cross_entropy(S, y), "rows 1800 apart", _GLOBAL, "global-max-shift")
            S = rng.normal(size=(4, 5))
            y = rng.integers(0, 5, size=4)
            _, d = _loss_pair(_call(f, S, y, name="softmax_cross_entropy"), "softmax_cross_entropy", (4, 5))
            numeric = numerical_gradient(lambda v: float(as_number(_call(f, v, y, name="softmax_cross_entropy")[0],
                                                                   "softmax_cross_entropy", "Exercise 6")), S.copy())
            check_that(relative_error(d, numeric) < AGREE,
                       "softmax_cross_entropy's dscores is not the gradient of its loss (numerical check).",
                       mistake="softmax_cross_entropy:value")
            _, d = _loss_pair(_call(f, S, y.astype(np.int32), name="softmax_cross_entropy with int32 labels"),
                              "softmax_cross_entropy", (4, 5))
            check(d, _layers.softmax_cross_entropy(S, y)[1], "softmax_cross_entropy's dscores with int32 labels")

    _builds_on(ns, "softmax_cross_entropy", "one_hot", _probe_one_hot, test)


# ---------------------------------------------------------------------------------- hinge

def hinge_mistakes(scores, y, margin=1.0) -> tuple[dict, dict]:
    """({(slug, explanation): wrong loss}, {(slug, explanation): wrong dscores}) for hinge_loss with margin 1."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(y).astype(int)
    n = s.shape[0]
    rows = np.arange(n)
    loss, dscores = _layers.hinge_loss(s, y, margin)
    true = s[rows, y][:, None]
    positive = (np.maximum(0.0, s - true + margin) > 0).astype(float)
    positive[rows, y] = 0.0
    no_margin = np.maximum(0.0, s - true)
    no_margin[rows, y] = 0.0
    flipped = np.maximum(0.0, true - s + margin)
    flipped[rows, y] = 0.0
    losses = {
        ("true-class-counted", "the true class's own term is counted: for j = y its margin is max(0, s_y - s_y + 1) "
         "= 1, which adds 1 per sample. Skip j = y."): loss + margin,
        ("summed", "you summed over the samples; the loss is the MEAN over the N samples."): loss * n,
        ("no-margin", "the margin of 1 is missing: each term is max(0, s_j - s_y + 1)."): float(no_margin.sum() / n),
        ("scores-swapped", "the scores are subtracted the wrong way round: each term is max(0, s_j - s_y + 1), with "
         "s_y the TRUE class's score."): float(flipped.sum() / n),
    }
    grads = {
        ("no-count-at-true-class", "dscores lacks the -count at the true class: each violated margin also lowers "
         "s_y, so dscores[n, y[n]] = -(number of classes j with a positive margin) / N."): positive / n,
        ("grad-no-1-over-n", "dscores lacks the 1/N: the loss is a mean over N samples."): dscores * n,
        ("grad-sign", "dscores has the wrong sign: raising a violating score s_j raises the loss (+1/N), raising the "
         "true score lowers it."): -dscores,
    }
    return losses, grads


def check_hinge_loss(ns: Mapping[str, Any]) -> None:
    """Visible test of Exercise 7."""
    __tracebackhide__ = True
    f = own(ns, "hinge_loss")
    scores, y = np.array([[8.0, 14.0, 9.5, 10.0]]), np.array([3])
    loss_m, grad_m = hinge_mistakes(scores, y)
    name = "hinge_loss(np.array([[8., 14., 9.5, 10.]]), np.array([3]))"
    loss, dscores = _loss_pair(_call(f, scores.copy(), y, name=name), name, (1, 4))
    check(loss, 5.5, "hinge_loss's loss for the worked example", mistakes=loss_m)
    check(dscores, np.array([[0.0, 1.0, 1.0, -2.0]]), "hinge_loss's dscores for the worked example", mistakes=grad_m)
    scores = np.array([[2.0, 1.5, -1.0, 0.4], [0.0, 3.0, 2.5, 1.0], [1.0, -2.0, 3.0, 3.5]])
    y = np.array([0, 2, 3])
    loss_m, grad_m = hinge_mistakes(scores, y)
    name = "hinge_loss(scores, y) for 3 samples and 4 classes, y = [0, 2, 3]"
    loss, dscores = _loss_pair(check_no_mutation(f, scores, y, name=name, twice=True), name, (3, 4))
    check(loss, 0.833333333333, "hinge_loss's loss for 3 samples and 4 classes", mistakes=loss_m)
    check(dscores, np.array([[-1, 1, 0, 0], [0, 1, -1, 0], [0, 0, 1, -1]]) / 3.0,
          "hinge_loss's dscores for 3 samples and 4 classes", mistakes=grad_m)
    passed("hinge_loss: the 5.5 example, a batch (loss and gradient), twice on one input, inputs untouched")


def hidden_hinge_loss(ns: Mapping[str, Any]) -> None:
    """Hidden test of Exercise 7: random sizes against the reference, numerical gradient, all margins met."""
    __tracebackhide__ = True
    f = ns["hinge_loss"]
    check_own(f, "hinge_loss")
    rng = np.random.default_rng(607)
    for n, c in [(1, 2), (1, 10), (8, 3), (60, 10), (5, 5)]:
        S = 2.0 * rng.normal(size=(n, c))
        y = rng.integers(0, c, size=n)
        label = f"hinge_loss for N = {n}, C = {c}"
        loss, d = _loss_pair(check_no_mutation(f, S, y, name=label), label, (n, c))
        rl, rd = _layers.hinge_loss(S, y)
        check(loss, rl, f"{label}: the loss", rtol=1e-9)
        check(d, rd, f"{label}: dscores", atol=1e-12)
    S = rng.normal(size=(4, 6))
    y = rng.integers(0, 6, size=4)
    _, d = _loss_pair(_call(f, S, y, name="hinge_loss"), "hinge_loss", (4, 6))
    numeric = numerical_gradient(lambda v: float(as_number(_call(f, v, y, name="hinge_loss")[0], "hinge_loss",
                                                           "Exercise 7")), S.copy())
    check(d, numeric, "hinge_loss's dscores against the numerical gradient", atol=1e-6)
    loss, d = _loss_pair(_call(f, np.array([[10.0, -2.0, 1.0]]), np.array([0]), name="hinge_loss"), "hinge_loss", (1, 3))
    check(loss, 0.0, "hinge_loss when every margin is met")
    check(d, np.zeros((1, 3)), "hinge_loss's dscores when every margin is met")
    loss, _ = _loss_pair(_call(f, 1e4 + S, y.astype(np.int32), name="hinge_loss"), "hinge_loss", (4, 6))
    check(loss, _layers.hinge_loss(S, y)[0], "hinge_loss of scores shifted by 10,000 (a shift changes nothing)",
          rtol=1e-6)
