"""Checks of lesson 02 (hidden layers and XOR): one function per exercise, called by its test cell.

Each visible test cell of `02_xor` is one call, ``check_<exercise>(globals())``: it finds the
student's function, makes sure it is their own (`own`, which also puts the package's references of
the lesson out of reach), runs the checks of the exercise and prints the ✔ line that says what was
checked. The hidden tests call ``hidden_<exercise>(globals())``: other inputs, the same checks.

`xor_network` is built on the student's `dense_forward` (and the notebook's `sigmoid`),
`approximate_with_bumps` on their `bump`. Both are checked as the student wrote them first; only if
that fails are the course's versions of the earlier functions put in their place (`best_of`), in the
visible and in the hidden test alike, so that a ✔ means the points and one mistake costs its points
once. When the course's versions were needed, a note names the student's function at fault.

Student code is called only through `attempt` and `check_no_mutation`.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any, Callable

import numpy as np

from . import (CheckFailed, attempt, best_of, check, check_defined, check_no_mutation, check_that, own, passed,
               standing_in)
from .. import datasets, layers, reference

__all__ = ["check_dense_forward", "check_xor_network", "check_diff_weights", "check_bump",
           "check_approximate_with_bumps", "hidden_dense_forward", "hidden_xor_network", "hidden_diff_weights",
           "hidden_bump", "hidden_approximate_with_bumps"]

_LESSON = "02_xor"
_FIX = {"dense_forward": "the test of Exercise 1 says how", "bump": "the test of Exercise 4 says how",
        "sigmoid": "run the cell at the top that defines sigmoid again"}


def _own(ns: dict, name: str) -> Callable:
    """The student's function `name`, checked to be their own; the lesson's references are out of reach
    from here on (also for `xor_network`, which has no reference of its own)."""
    __tracebackhide__ = True
    from . import guard
    func = own(ns, name)
    guard.activate(_LESSON)
    return func


def _identity(z):
    return np.asarray(z, dtype=float)


# ------------------------------------------------------------------ functions built on earlier exercises
def _earlier(function: str) -> dict[str, Callable]:
    """The course's versions of the earlier functions that `function` builds on."""
    if function == "xor_network":
        return {"dense_forward": reference.dense_forward, "sigmoid": layers.sigmoid}
    return {"bump": reference.bump}


def _probe(ns: dict, name: str) -> str | None:
    """None if the student's `name` gives the course's values on a small case, else what is wrong with it."""
    func = ns.get(name)
    if func is None:
        return "is not defined"
    cases = {"dense_forward": [((np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]),
                                 np.array([0.5, -1.0, 0.0]), layers.sigmoid), {}),
                               ((np.array([1.0, -2.0]), np.array([[1.0], [3.0]]), np.array([0.5]), _identity), {})],
             "sigmoid": [((np.array([-30.0, -1.0, 0.0, 2.0, 30.0]),), {})],
             "bump": [((np.array([-100.0, 0.1, 0.3, 0.5, 0.7, 100.0]), 0.2, 0.6, 2.0), {}),
                      ((np.array([0.3, 0.4]), 0.2, 0.6, 1.0), {"steepness": 10.0}),
                      ((np.array([[0.4, 2.0], [-1.0, 0.3]]), 0.0, 1.0, -3.0), {})]}[name]
    want_of = _earlier("xor_network" if name != "bump" else "approximate_with_bumps")[name]
    for args, kwargs in cases:
        try:
            with np.errstate(all="ignore"):
                got = attempt(func, *args, name=name, **kwargs)
        except CheckFailed as failure:
            mistake = failure.mistake or ""
            return ("is not written yet" if mistake.endswith(":not-done") else
                    "uses the course's reference" if mistake.endswith(":reference") else "raises an error")
        want = want_of(*args, **kwargs)
        try:
            ok = (isinstance(got, np.ndarray) and np.shape(got) == np.shape(want)
                  and np.allclose(np.asarray(got, dtype=float), want, atol=1e-6))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            return "gives wrong values"
    return None


def _built_on(ns: dict, function: str, test: Callable[[], Any]) -> Any:
    """Run `test` of `function` as grading does: with the student's own earlier functions first; if that
    fails, with the course's versions in their place (`best_of`: the verdict). The visible and the hidden
    test both run through here, so they give the same verdict. When the course's versions were needed, a
    note names the student's earlier function at fault. When both runs fail and an earlier function is wrong
    too, the message is the one about `function` itself (with the course's versions in place) and says that
    the earlier function needs fixing as well."""
    __tracebackhide__ = True
    earlier = _earlier(function)

    def note(own_failure: AssertionError) -> None:
        wrong = [(name, state) for name in earlier if (state := _probe(ns, name)) is not None]
        for name, state in wrong:
            print(f"Note: your {name} {state}: fix it first ({_FIX[name]}). "
                  f"{function} itself is right: it was checked with the course's {name} in place of yours.")
        if not wrong:
            first = getattr(own_failure, "message", str(own_failure)).splitlines()[0]
            print(f"Note: {function} was checked with the course's {', '.join(sorted(earlier))} standing in for "
                  f"yours, which fail{'s' if len(earlier) == 1 else ''} here: {first.rstrip('.')}.")

    try:
        return best_of(test, ns, note=note, **earlier)
    except CheckFailed as failure:
        wrong = [(name, state) for name in earlier if (state := _probe(ns, name)) is not None]
        if not wrong or (failure.mistake or "").endswith(":reference"):
            raise
        try:
            with standing_in(ns, earlier), contextlib.redirect_stdout(io.StringIO()):
                test()
        except CheckFailed as itself:
            failure = itself
        name, state = wrong[0]
        raise CheckFailed(f"{failure.message}\n  (Besides, your {name}, which {function} uses, {state}: fix it too; "
                          f"{_FIX[name]}.)", failure.mistake) from None


# ------------------------------------------------------------------------------------ dense_forward
_DENSE_X = np.array([[1.0, 2.0], [0.0, -1.0]])                # N = 2 samples, D = 2 inputs
_DENSE_W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]])      # D = 2 inputs, K = 3 nodes
_DENSE_B = np.array([0.5, -1.0, 0.0])


def check_dense_forward(ns: dict) -> None:
    """Exercise 1: activation(x @ W + b) with identity, relu and sigmoid, a square W, one sample, inputs untouched."""
    __tracebackhide__ = True
    f = _own(ns, "dense_forward")
    X, W, b = _DENSE_X, _DENSE_W, _DENSE_B
    out = attempt(f, X, W, b, _identity,
                  name="dense_forward(X, W, b, identity) for X of shape (2, 2) and W of shape (2, 3)",
                  hint="a layer computes x @ W: (N, D) @ (D, K) gives (N, K). Put x first and do not transpose W.")
    check(out, np.array([[5.5, 1.0, 0.0], [-1.5, -2.0, -0.5]]), "dense_forward(X, W, b, identity)",
          mistakes={"the bias is missing: add b to x @ W.": np.array([[5.0, 2.0, 0.0], [-2.0, -1.0, -0.5]])})

    # a square W, where the transposed product runs without an error but gives other numbers
    name = "dense_forward([[1, 2]], [[1, 3], [-1, 2]], [0, 1], identity)"
    check(attempt(f, np.array([[1.0, 2.0]]), np.array([[1.0, 3.0], [-1.0, 2.0]]), np.array([0.0, 1.0]), _identity,
                  name=name),
          np.array([[-1.0, 8.0]]), name,
          mistakes={"you multiplied by W transposed (W @ x, or x @ W.T). With samples in rows the layer is x @ W, "
                    "so column k of W holds the weights of node k.": np.array([[7.0, 4.0]])})

    check(attempt(f, X, W, b, layers.relu, name="dense_forward(X, W, b, relu)"),
          np.array([[5.5, 1.0, 0.0], [0.0, 0.0, 0.0]]), "dense_forward(X, W, b, relu)",
          mistakes={"the activation was applied too early (to x, or to x @ W before adding b). "
                    "Compute z = x @ W + b first, then return activation(z).":
                        np.array([[5.5, 1.0, 0.0], [0.5, -1.0, 0.0]]),
                    "the activation was not applied: return activation(x @ W + b).":
                        np.array([[5.5, 1.0, 0.0], [-1.5, -2.0, -0.5]])})

    check(attempt(f, X, W, b, layers.sigmoid, name="dense_forward(X, W, b, sigmoid)"),
          np.array([[0.99592986, 0.73105858, 0.5], [0.18242552, 0.11920292, 0.37754067]]),
          "dense_forward(X, W, b, sigmoid)", rtol=1e-6, atol=1e-7,
          mistakes={"the activation was applied to x before the weights. Compute z = x @ W + b first, then "
                    "activation(z).": np.array([[2.99265273, -0.11920292, -0.29066004],
                                                [1.53788284, -0.73105858, -0.36552929]])})

    name = "dense_forward(np.array([1., 2.]), W, b, relu) (one sample of shape (2,))"
    check(attempt(f, np.array([1.0, 2.0]), W, b, layers.relu, name=name), np.array([5.5, 1.0, 0.0]), name)
    check_no_mutation(f, X, W, b, layers.sigmoid, name="dense_forward")
    passed("dense_forward computes activation(x @ W + b) for a batch and for a single sample.")


def hidden_dense_forward(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "dense_forward")
    square = lambda z: np.asarray(z, dtype=float) ** 2  # noqa: E731 - one more activation, not a library one
    rng = np.random.default_rng(2024)
    for n, d, k in [(5, 3, 4), (1, 1, 1), (7, 2, 1), (3, 6, 2)]:
        x, W, b = rng.normal(size=(n, d)), rng.normal(size=(d, k)), rng.normal(size=(k,))
        for act_name, act in [("sigmoid", layers.sigmoid), ("relu", layers.relu), ("identity", _identity),
                              ("z ** 2", square)]:
            name = f"dense_forward(x, W, b, {act_name}) for x of shape {(n, d)} and W of shape {(d, k)}"
            got = check_no_mutation(f, x, W, b, act, name=name)
            check(got, reference.dense_forward(x, W, b, act), name, rtol=1e-5)
        name = f"dense_forward(x, W, b, sigmoid) for one sample of shape {(d,)} and W of shape {(d, k)}"
        check(attempt(f, x[0], W, b, layers.sigmoid, name=name), reference.dense_forward(x[0], W, b, layers.sigmoid),
              name, rtol=1e-5)
    name = "dense_forward(x, W, b, sigmoid) with integer arrays"
    xi, Wi, bi = np.array([[1, 0], [2, -3]]), np.array([[1, 2], [3, 4]]), np.array([1, -1])
    check(attempt(f, xi, Wi, bi, layers.sigmoid, name=name), layers.sigmoid(np.array([[2.0, 1.0], [-6.0, -9.0]])),
          name, rtol=1e-5)
    name = "dense_forward([[1000, -1000]], identity matrix, zeros, sigmoid)"
    check(attempt(f, np.array([[1000.0, -1000.0]]), np.eye(2), np.zeros(2), layers.sigmoid, name=name),
          np.array([[1.0, 0.0]]), name, rtol=1e-5)


# -------------------------------------------------------------------------------------- xor_network
_TARGET = np.array([0.0, 1.0, 1.0, 0.0])
_INDEX_HINT = ("for ONE pair x has shape (2,), the hidden layer has shape (2,) and the output shape (1,): there is "
               "no second axis, so out[:, 0] fails. out[..., 0] takes the last axis for a batch and for a single "
               "pair alike (section 2).")
_COLUMNS = ("only (1, 0) gives 1. Often the weights of a hidden node were written as a row of W1, but in x @ W1 "
            "each COLUMN of W1 holds one node's two weights.")


def _xor_corners(f: Callable) -> None:
    __tracebackhide__ = True
    X, _ = datasets.logic_gate("XOR")      # rows (0,0), (0,1), (1,0), (1,1)
    out = attempt(f, X, name="xor_network(X) on the four corners", hints={IndexError: _INDEX_HINT})
    check(out, _TARGET, "xor_network(X) on the corners (0,0), (0,1), (1,0), (1,1)", rtol=0.0, atol=0.1,
          mistakes={_COLUMNS: np.array([0.0, 0.0, 1.0, 0.0]),
                    _COLUMNS.replace("(1, 0)", "(0, 1)"): np.array([0.0, 1.0, 0.0, 0.0]),
                    "every output is 1: the output node acts like an OR of the hidden nodes. It should be an AND "
                    "(on only when both hidden nodes are on), e.g. a more negative bias.":
                        np.array([1.0, 1.0, 1.0, 1.0]),
                    "you built NOT XOR: flip the signs of the output node's weights and bias.":
                        np.array([1.0, 0.0, 0.0, 1.0])},
          hint="print the hidden layer, dense_forward(X, W1, b1, sigmoid), and check that its columns are the gates "
               "you intended (e.g. OR and NAND); then check the output node on those four hidden points.")


def _xor_single(f: Callable, pair: np.ndarray, want: float) -> None:
    __tracebackhide__ = True
    name = f"xor_network(np.array([{pair[0]:g}., {pair[1]:g}.])) (a single pair)"
    check(attempt(f, pair, name=name, hints={IndexError: _INDEX_HINT}), want, name, rtol=0.0, atol=0.1)


def _xor_bounded(f: Callable, seed: int) -> None:
    """A sigmoid output lies in [0, 1] everywhere, not only on the corners (a ReLU or linear output does not)."""
    __tracebackhide__ = True
    cloud = np.random.default_rng(seed).uniform(-2.0, 3.0, size=(50, 2))  # 50 points off the corners
    off = np.asarray(attempt(f, cloud, name="xor_network(X) on 50 points between -2 and 3"), dtype=float)
    check_that(np.shape(off) == (50,), f"xor_network(X) for 50 points returned shape {np.shape(off)}; expected (50,).",
               mistake="xor_network:shape")
    worst = int(np.argmax(np.abs(off - 0.5)))
    check_that(bool(np.all((off >= 0.0) & (off <= 1.0))),
               f"xor_network gives {float(off[worst]):.4g} at x = ({cloud[worst, 0]:.2f}, {cloud[worst, 1]:.2f}): "
               "a network with sigmoid activations in both layers, as the exercise asks, gives a number between 0 "
               "and 1 for every input, not only on the four corners.",
               "is the output node a ReLU or linear (identity) node? Such a network can be right on the corners and "
               "grow without bound between them; put the sigmoid on both layers.", mistake="xor_network:not-sigmoid")


def check_xor_network(ns: dict) -> None:
    """Exercise 2: XOR on the four corners, one pair, a batch of one row, and within [0, 1] off the corners."""
    __tracebackhide__ = True
    f = _own(ns, "xor_network")

    def test():
        _xor_corners(f)
        _xor_single(f, np.array([0.0, 1.0]), 1.0)
        name = "xor_network(np.array([[1., 0.]])) (a batch of one row)"
        check(attempt(f, np.array([[1.0, 0.0]]), name=name, hints={IndexError: _INDEX_HINT}), np.array([1.0]),
              "xor_network(np.array([[1., 0.]])) (a batch of one row, shape (1, 2))", rtol=0.0, atol=0.1,
              shape_hint="a batch of N rows gives N outputs, shape (N,), also for N = 1: take the output column with "
                         "out[..., 0] instead of squeezing every axis away.")
        _xor_bounded(f, seed=7)

    _built_on(ns, "xor_network", test)
    passed("xor_network computes XOR on all four corners, for a batch (also of one row) and for a single pair, "
           "and stays between 0 and 1 off the corners (sigmoid layers).")


def hidden_xor_network(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "xor_network")
    X, _ = datasets.logic_gate("XOR")

    def test():
        _xor_corners(f)
        for order in ([0, 1, 2, 3], [3, 2, 1, 0], [1, 1, 0, 3, 2, 2]):
            name = f"xor_network(X) on the corners in the order {order}"
            check(check_no_mutation(f, X[order].copy(), name=name), _TARGET[order], name, rtol=0.0, atol=0.1)
        for i in range(4):
            _xor_single(f, X[i].astype(float), float(_TARGET[i]))
        name = "xor_network(X) on the four corners given as integers"
        check(attempt(f, X.astype(int), name=name), _TARGET, name, rtol=0.0, atol=0.1)
        _xor_bounded(f, seed=7)

    _built_on(ns, "xor_network", test)


# ------------------------------------------------------------------------------- DIFF_W1, DIFF_W2
def _diff_weights(ns: dict) -> tuple[np.ndarray, np.ndarray]:
    __tracebackhide__ = True
    check_defined(ns, "DIFF_W1", "DIFF_W2")
    try:
        W1, W2 = np.asarray(ns["DIFF_W1"], dtype=float), np.asarray(ns["DIFF_W2"], dtype=float)
    except (TypeError, ValueError):
        check_that(False, "DIFF_W1 and DIFF_W2 should be arrays of numbers.",
                   "write them as np.array([[...], [...]]).", "diff_weights:type")
    check_that(W1.shape == (2, 2), f"DIFF_W1 has shape {W1.shape}; it should be (2, 2): 2 inputs, 2 hidden nodes.")
    check_that(W2.shape in ((2,), (2, 1)),
               f"DIFF_W2 has shape {W2.shape}; it should be (2, 1) (or (2,)): 2 hidden nodes, 1 output.")
    check_that(bool(np.all(np.isin(W1, [-1.0, 1.0])) and np.all(np.isin(W2, [-1.0, 1.0]))),
               f"every weight must be -1 or 1, but DIFF_W1 = {W1.tolist()} and DIFF_W2 = {W2.ravel().tolist()}.",
               "use t = relu(t) - relu(-t): no zeros and no other numbers are needed.")
    return W1, W2.reshape(2)


def check_diff_weights(ns: dict) -> None:
    """Exercise 3: shapes, weights in {-1, 1}, and x1 - x2 on eight pairs."""
    __tracebackhide__ = True
    W1, W2 = _diff_weights(ns)
    pairs = np.array([(2, 1), (1, 1), (1, 2), (0, 0), (2, -1), (-1, -1), (-2, 1), (-1, -2)], dtype=float)
    wanted = np.array([1.0, 0.0, -1.0, 0.0, 3.0, 0.0, -3.0, 1.0])          # x1 - x2, by hand
    net = np.maximum(pairs @ W1, 0.0) @ W2                                   # the network of the exercise
    check(net, wanted, "relu(x @ DIFF_W1) @ DIFF_W2 on the pairs (2,1), (1,1), (1,2), (0,0), (2,-1), (-1,-1), "
                       "(-2,1), (-1,-2)",
          mistakes={"the network computes x2 - x1: the signs are swapped. Flip both entries of DIFF_W2 "
                    "(or swap the two columns of DIFF_W1).": -wanted,
                    "the network computes |x1 - x2|: that is XOR's network (next section). For x1 - x2 the two hidden "
                    "nodes must enter the output with opposite signs.": np.abs(wanted)},
          hint="write down what each hidden node computes (column k of DIFF_W1 gives node k), e.g. relu(x1 - x2).")
    passed("relu(x @ DIFF_W1) @ DIFF_W2 computes x1 - x2 with weights in {-1, 1}.")


def hidden_diff_weights(ns: dict) -> None:
    __tracebackhide__ = True
    W1, W2 = _diff_weights(ns)
    rng = np.random.default_rng(11)
    for label, x in [("200 random pairs between -3 and 3", rng.uniform(-3.0, 3.0, size=(200, 2))),
                     ("50 random pairs of size about 100", rng.normal(scale=100.0, size=(50, 2)))]:
        check(np.maximum(x @ W1, 0.0) @ W2, x[:, 0] - x[:, 1], f"relu(x @ DIFF_W1) @ DIFF_W2 on {label}", rtol=1e-5)


# --------------------------------------------------------------------------------------------- bump
_NAN_HINT = ("exp of a large number overflows to inf, and inf/inf is nan: use the stable `sigmoid` from the top of "
             "the notebook instead of writing exp(z) / (1 + exp(z)).")


def _bump_call(f: Callable, name: str, *args: Any, **kwargs: Any) -> Any:
    __tracebackhide__ = True
    with np.errstate(all="ignore"):
        return attempt(f, *args, name=name, **kwargs)


def check_bump(ns: dict) -> None:
    """Exercise 4: height inside, 0 outside and far away (no overflow), the steepness argument and its
    default, any shape of x, a dip."""
    __tracebackhide__ = True
    f = _own(ns, "bump")
    pts = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    name = "bump([0.1, 0.3, 0.5, 0.7, 0.9], 0.2, 0.6, 2.0)"
    check(_bump_call(f, name, pts, 0.2, 0.6, 2.0), np.array([0.0, 2.0, 2.0, 0.0, 0.0]), name, rtol=0.0, atol=1e-6,
          mistakes={"this is a step, not a bump: it stays up after `right`. Subtract a second sigmoid placed at "
                    "`right`.":
                    np.array([0.0, 2.0, 2.0, 2.0, 2.0]),
                    "this is a downward step that starts at `right`: add the sigmoid placed at `left` too.":
                    np.array([0.0, 0.0, 0.0, -2.0, -2.0]),
                    "this is a step that ends at `right` but never starts: subtract sigmoid(s(x - right)) from "
                    "sigmoid(s(x - left)), not from 1.": np.array([2.0, 2.0, 2.0, 0.0, 0.0]),
                    "the bump points down: compute sigmoid(s(x - left)) - sigmoid(s(x - right)), in that order.":
                    np.array([0.0, -2.0, -2.0, 0.0, 0.0]),
                    "the bump has height 1: multiply by `height`.": np.array([0.0, 1.0, 1.0, 0.0, 0.0])})
    name = "bump([-100, 100, 5], 0.2, 0.6, 2.0) (far from the bump)"
    check(_bump_call(f, name, np.array([-100.0, 100.0, 5.0]), 0.2, 0.6, 2.0), np.array([0.0, 0.0, 0.0]), name,
          rtol=0.0, atol=1e-9, nan_hint=_NAN_HINT)
    name = "bump(0.4, 0.2, 0.6, 1.0, steepness=10.0)"
    check(_bump_call(f, name, 0.4, 0.2, 0.6, 1.0, steepness=10.0), 0.7615941559557649, name,
          hint="with steepness 10 the middle of the bump is sigmoid(2) - sigmoid(-2) = 0.7616: use the `steepness` "
               "argument.")
    name = "bump(0.201, 0.2, 0.6, 1.0) (just inside the left edge)"
    check(_bump_call(f, name, 0.201, 0.2, 0.6, 1.0), 0.7310585786300049, name,
          hint="the default steepness must be 1000: sigmoid(1000 * 0.001) = sigmoid(1) = 0.7311.")
    name = "bump(2-D x, 0.0, 1.0, -3.0) (a negative height makes a dip)"
    check(_bump_call(f, name, np.array([[0.4, 2.0], [-1.0, 0.3]]), 0.0, 1.0, -3.0),
          np.array([[-3.0, 0.0], [0.0, -3.0]]), name, rtol=0.0, atol=1e-6)
    passed("bump is about `height` inside (left, right), about 0 outside, for any shape of x, without overflow.")


def hidden_bump(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "bump")
    rng = np.random.default_rng(5)
    for _ in range(5):
        left = rng.uniform(-2, 1)
        right = left + rng.uniform(0.1, 2)
        height, steepness = rng.normal(scale=3), 10 ** rng.uniform(0, 4)
        x = rng.uniform(-4, 4, size=(6, 7))
        name = f"bump(x of shape (6, 7), {left:.3g}, {right:.3g}, {height:.3g}, {steepness:.4g})"
        with np.errstate(all="ignore"):
            got = check_no_mutation(f, x, left, right, height, steepness, name=name)
        check(got, reference.bump(x, left, right, height, steepness), name, rtol=1e-5, atol=1e-9, nan_hint=_NAN_HINT)
    name = "bump(np.arange(-3, 4), -1.5, 1.5, 2) (integers, the default steepness)"
    check(_bump_call(f, name, np.arange(-3, 4), -1.5, 1.5, 2), np.array([0.0, 0.0, 2.0, 2.0, 2.0, 0.0, 0.0]), name,
          rtol=1e-5, atol=1e-9)
    name = "bump([0.2, 0.6], 0.2, 0.6, 4.0) (at the edges the bump is height / 2)"
    check(_bump_call(f, name, np.array([0.2, 0.6]), 0.2, 0.6, 4.0), np.array([2.0, 2.0]), name, rtol=1e-5, atol=1e-6)
    name = "bump([-1e6, -1e3, 1e3, 1e6], 0.0, 1.0, 1.0, 1e4) (far from the bump)"
    check(_bump_call(f, name, np.array([-1e6, -1e3, 1e3, 1e6]), 0.0, 1.0, 1.0, 1e4), np.zeros(4), name,
          rtol=1e-5, atol=1e-8, nan_hint=_NAN_HINT)
    name = "bump(0.5, 0.0, 1.0, 1.0) (a single number)"
    check(_bump_call(f, name, 0.5, 0.0, 1.0, 1.0), 1.0, name, rtol=0.0, atol=1e-9)


# --------------------------------------------------------------------------------- approximate_with_bumps
_INSIDE = [10, 35, 60, 90]                # x = 0.1, 0.35, 0.6, 0.9: well inside the four pieces of [0, 1]
_LEFT = "the heights are f at the LEFT edges of the pieces; use f at the midpoints, (left + right) / 2."
_RIGHT = "the heights are f at the RIGHT edges of the pieces; use f at the midpoints, (left + right) / 2."
_LINE = "approximate_with_bumps(2t + 1, linspace(0, 1, 101), 4)"
_PARABOLA = "approximate_with_bumps(16t², linspace(0, 1, 101), 4)"


def _approx_shape(approx: Any, like: np.ndarray, n_bumps: int) -> None:
    __tracebackhide__ = True
    check_that(isinstance(approx, np.ndarray) and approx.shape == like.shape,
               f"approximate_with_bumps(f, x, {n_bumps}) should return an array of shape {like.shape} (like x), "
               f"but it returned {type(approx).__name__} of shape {np.shape(approx)}.",
               "add the bumps up (e.g. start from np.zeros(x.shape) and add each bump) instead of collecting them in "
               "a list.")


def check_approximate_with_bumps(ns: dict) -> None:
    """Exercise 5: heights f(midpoint) on a line and on a parabola, n_bumps pieces, integer x, the sum as an array."""
    __tracebackhide__ = True
    f = _own(ns, "approximate_with_bumps")
    x_grid = np.linspace(0.0, 1.0, 101)       # 4 pieces: edges 0, 0.25, 0.5, 0.75, 1

    def test():
        approx = attempt(f, lambda t: 2 * t + 1, x_grid, 4, name=_LINE)
        _approx_shape(approx, x_grid, 4)
        check(approx[_INSIDE], np.array([1.25, 1.75, 2.25, 2.75]),
              "approximate_with_bumps(2t + 1, linspace(0, 1, 101), 4) at x = 0.1, 0.35, 0.6, 0.9",
              rtol=0.0, atol=1e-4,
              mistakes={_LEFT: np.array([1.0, 1.5, 2.0, 2.5]), _RIGHT: np.array([1.5, 2.0, 2.5, 3.0]),
                        "you made n_bumps - 1 pieces: np.linspace needs n_bumps + 1 edges for n_bumps pieces.":
                        np.array([4 / 3, 2.0, 2.0, 8 / 3])},
              hint="the pieces are [0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1] with midpoints 0.125, 0.375, 0.625, "
                   "0.875, so the heights are 1.25, 1.75, 2.25, 2.75.")
        # a curved f: on a parabola f(midpoint) and the average of f at a piece's two ends differ
        curve = attempt(f, lambda t: 16 * t ** 2, x_grid, 4, name=_PARABOLA)
        _approx_shape(curve, x_grid, 4)
        check(curve[_INSIDE], np.array([0.25, 2.25, 6.25, 12.25]),
              "approximate_with_bumps(16t², linspace(0, 1, 101), 4) at x = 0.1, 0.35, 0.6, 0.9", rtol=0.0, atol=1e-4,
              mistakes={"the heights are the AVERAGE of f at the two ends of each piece. On a straight line that "
                        "equals f(midpoint), on a curve it does not: use f((left + right) / 2).":
                            np.array([0.5, 2.5, 6.5, 12.5]),
                        _LEFT: np.array([0.0, 1.0, 4.0, 9.0]), _RIGHT: np.array([1.0, 4.0, 9.0, 16.0])})
        x_int = np.arange(0, 9)                   # integers 0..8: pieces of width 2, midpoints 1, 3, 5, 7
        approx_int = attempt(f, lambda t: 1.0 * t, x_int, 4, name="approximate_with_bumps(f, np.arange(0, 9), 4)",
                             hints={TypeError: "x holds integers here, so np.zeros_like(x) is an integer array and "
                                               "cannot take the bumps' floats: start from np.zeros(x.shape) or "
                                               "np.zeros_like(x, dtype=float)."})
        _approx_shape(approx_int, x_int, 4)
        check(approx_int[[1, 3, 5, 7]], np.array([1.0, 3.0, 5.0, 7.0]),
              "approximate_with_bumps(f(t) = t, np.arange(0, 9), 4) at the midpoints 1, 3, 5, 7", rtol=0.0, atol=1e-6,
              hint="x holds integers here; the result must still be floats. np.zeros_like(x) would be an integer "
                   "array: use np.zeros(x.shape) or np.zeros_like(x, dtype=float).")

    _built_on(ns, "approximate_with_bumps", test)
    passed("approximate_with_bumps puts one bump of height f(midpoint) on each of the n_bumps pieces and adds them up.")


def _interior(x: np.ndarray, n: int, fraction: float = 0.25) -> np.ndarray:
    """The points of x at least `fraction` of a piece's width away from every edge of the n pieces."""
    edges = np.linspace(x.min(), x.max(), n + 1)
    return np.min(np.abs(x[:, None] - edges[None, :]), axis=1) >= fraction * (edges[1] - edges[0])


def hidden_approximate_with_bumps(ns: dict) -> None:
    __tracebackhide__ = True
    f = _own(ns, "approximate_with_bumps")

    def test():
        errors = []
        xs = np.linspace(0.0, 2 * np.pi, 1000)
        for n in (10, 40, 160):
            name = f"approximate_with_bumps(np.sin, linspace(0, 2π, 1000), {n})"
            got = check_no_mutation(f, np.sin, xs, n, name=name)
            _approx_shape(got, xs, n)
            m = _interior(xs, n)
            check(got[m], reference.approximate_with_bumps(np.sin, xs, n)[m],
                  f"{name} away from the edges of the pieces", rtol=1e-5, atol=1e-3)
            errors.append(float(np.max(np.abs(got[m] - np.sin(xs[m])))))
        check_that(errors[0] > errors[1] > errors[2] and errors[2] < 0.03,
                   f"approximate_with_bumps(np.sin, ...): the largest error with 10, 40 and 160 bumps is {errors}; "
                   "it should shrink as the pieces get narrower.", mistake="approximate_with_bumps:value")
        xs = np.linspace(-3.0, 5.0, 401)      # another interval, another function
        square = lambda t: np.asarray(t, dtype=float) ** 2 - 4.0  # noqa: E731
        name = "approximate_with_bumps(t² - 4, linspace(-3, 5, 401), 8)"
        got = attempt(f, square, xs, 8, name=name)
        _approx_shape(got, xs, 8)
        m = _interior(xs, 8)
        check(got[m], reference.approximate_with_bumps(square, xs, 8)[m], f"{name} away from the edges of the pieces",
              rtol=1e-5, atol=1e-3)
        name = "approximate_with_bumps(f = 3, linspace(2, 4, 21), 1) (a single bump)"
        got = attempt(f, lambda t: 3.0 + 0 * t, np.linspace(2.0, 4.0, 21), 1, name=name)
        _approx_shape(got, np.linspace(2.0, 4.0, 21), 1)
        check(got[2:-2], np.full(17, 3.0), f"{name} away from its edges", rtol=1e-5, atol=1e-6)

    _built_on(ns, "approximate_with_bumps", test)
