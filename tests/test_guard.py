"""The reference guard and the checks core: no route from student code to a reference, one message.

Student code is simulated by compiling it under a notebook cell's file name, as IPython does.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from dlcourse import layers, optim
from dlcourse.checks import (CheckFailed, attempt, best_of, check, check_no_mutation, check_own, guard, mistake_id,
                             substitute, within)

_cells = iter(range(1, 10_000))


def _cell(source: str, namespace: dict | None = None) -> dict:
    """Run `source` as a notebook cell of the student's (IPython's cell file name)."""
    namespace = {"np": np, "layers": layers, "optim": optim, "functools": functools} if namespace is None else namespace
    exec(compile(source, f"/tmp/ipykernel_4242/{next(_cells)}.py", "exec"), namespace)
    return namespace


@pytest.fixture(autouse=True)
def _fresh_guard():
    guard.deactivate()
    yield
    guard.deactivate()


ROUTES = {
    "a wrapper": "def softmax(z):\n    return layers.softmax(z)\n",
    "an import inside": "def softmax(z):\n    from dlcourse.layers import softmax as s\n    return s(z)\n",
    "an import under another name": "import dlcourse.layers as L\ndef softmax(z):\n    return L.softmax(z)\n",
    "a name bound before the guard": "from dlcourse.layers import softmax as _s\ndef softmax(z):\n    return _s(z)\n",
    "a lambda": "softmax = lambda z: layers.softmax(z)\n",
    "a helper": "def _inner(z):\n    return layers.softmax(z)\ndef softmax(z):\n    return _inner(z)\n",
    "a package function in between": "def softmax(z):\n    return np.apply_along_axis(layers.softmax, -1, z)\n",
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_to_the_reference_fails_with_a_message(route):
    ns = _cell(ROUTES[route])
    check_own(ns["softmax"], "softmax")  # the student's own function object: accepted, guard active
    with pytest.raises(CheckFailed) as info:
        attempt(ns["softmax"], np.zeros((2, 3)), name="softmax(z)")
    assert "uses the course's reference `dlcourse.layers.softmax`; write your own" in info.value.message
    assert info.value.mistake.endswith(":reference")


@pytest.mark.parametrize("answer", ["alias", "partial", "wraps"])
def test_a_reference_given_as_the_answer_is_refused_by_check_own(answer):
    ns = _cell({"alias": "softmax = layers.softmax\n",
                "partial": "softmax = functools.partial(layers.softmax)\n",
                "wraps": "@functools.wraps(layers.softmax)\ndef softmax(z):\n    return z\n"}[answer])
    with pytest.raises(CheckFailed) as info:
        check_own(ns["softmax"], "softmax")
    assert "course's reference" in info.value.message and info.value.mistake == "softmax:reference"


def test_only_the_lesson_at_hand_is_guarded_and_tests_may_still_use_references():
    ns = _cell("def softmax(z):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True)\n"
               "def adam_step(w, dw):\n    return optim.adam(w, dw, None)\n")
    check_own(ns["softmax"], "softmax")                       # lesson 04's guard
    np.testing.assert_allclose(layers.softmax(np.zeros(2)), [0.5, 0.5])   # a test's own call: allowed
    attempt(ns["softmax"], np.zeros(3), name="softmax(z)")    # the student's own code: fine
    ns["adam_step"](np.ones(2), np.ones(2))                   # lesson 07's function: not guarded here
    check_own(ns["adam_step"], "adam")                        # now lesson 07 is guarded too
    with pytest.raises(CheckFailed):
        ns["adam_step"](np.ones(2), np.ones(2))


def test_substitute_and_best_of_hand_student_code_unguarded_references():
    ns = _cell("def relu_forward(x):\n    return np.maximum(x, 0), x > 0\n"          # an own cache: the mask
               "def relu_backward(dout, mask):\n    return dout * mask\n"
               "def layer(x):\n    out, cache = relu_forward(x)\n    return relu_backward(np.ones_like(out), cache)\n")
    check_own(ns["relu_forward"], "relu_forward")
    calls = []

    def test():
        calls.append(1)
        assert np.array_equal(ns["layer"](np.array([-1.0, 2.0])), [0.0, 1.0])

    best_of(test, ns, relu_forward=layers.relu_forward, relu_backward=layers.relu_backward)
    assert len(calls) == 1, "the student's own version passed: the references are not tried"

    ns["relu_backward"] = _cell("def relu_backward(dout, mask):\n    return dout\n", dict(ns))["relu_backward"]  # wrong
    best_of(test, ns, relu_backward=layers.relu_backward)     # the reference stands in: one mistake costs once
    assert ns["relu_backward"] is not layers.relu_backward     # restored afterwards
    with pytest.raises(AssertionError):                        # both fail: the student's own failure is raised
        best_of(test, ns, relu_forward=lambda x: (x, x))
    substitute(ns, relu_forward=layers.relu_forward)           # outside IPython: bound, and callable by student code
    assert ns["relu_forward"] is not layers.relu_forward
    ns["relu_forward"](np.ones(2))


def test_no_mutation_looks_into_caches_and_calls_twice():
    def changes_cache(dout, cache):
        x, = cache
        x *= 2
        return dout * x

    with pytest.raises(CheckFailed) as info:
        check_no_mutation(changes_cache, np.ones(2), (np.ones(2),), name="f(dout, cache)")
    assert "changed its cache" in info.value.message and info.value.mistake == "f:mutates-input"
    state = {"n": 0}

    def remembers(x):
        state["n"] += 1
        return x * state["n"]

    with pytest.raises(CheckFailed, match="second time"):
        check_no_mutation(remembers, np.ones(2), name="g(x)", twice=True)
    assert check_no_mutation(lambda x: x + 1, np.ones(2), name="h", twice=True).tolist() == [2.0, 2.0]


def test_mistake_ids_are_stable_and_named():
    with pytest.raises(CheckFailed) as info:
        check(np.array([2.0]), np.array([1.0]), "sigmoid(z)", mistakes={"the sign is flipped": np.array([2.0])})
    assert info.value.mistake == "sigmoid:the-sign-is-flipped" and str(info.value).endswith("[mistake: sigmoid:the-sign-is-flipped]")
    with pytest.raises(CheckFailed) as info:
        check(np.array([2.0]), np.array([1.0]), "f(x)", mistakes={("sign", "the sign is flipped"): np.array([2.0])})
    assert info.value.mistake == "f:sign"
    with pytest.raises(CheckFailed) as info:
        check(np.zeros(3), np.zeros(2), "relu(z)")
    assert info.value.mistake == "relu:shape" == mistake_id("relu(z)", "shape")


def test_within_is_one_percent_relative():
    assert within(1.009, 1.0) and not within(1.011, 1.0) and within(-99.5, -100.0)


def test_a_failed_check_shows_only_the_course_message_in_a_kernel():
    """The error output of a failed check: the message first, no traceback, no package path; still an error."""
    import nbformat
    from dlcourse.kernel_client import CourseNotebookClient

    cells = ["from dlcourse.checks import attempt\n"
             "def he_init(fan_in, fan_out, rng):\n    raise NotImplementedError()",
             "attempt(he_init, 800, 200, None, name='he_init(800, 200, rng)')",
             "def crash(x):\n    return x[:, 0]\nattempt(crash, 1.0, name='crash(1.0)')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    CourseNotebookClient(nb, allow_errors=True, kernel_name="python3", timeout=120).execute()
    for cell, first in [(nb.cells[1], "he_init is not written yet"), (nb.cells[2], "crash(1.0) raised TypeError")]:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1 and errors[0].ename == "CheckFailed"
        shown = "\n".join(errors[0].traceback)
        assert first in shown.splitlines()[0], f"the message is not on the first line:\n{shown}"
        for noise in ("Traceback", "During handling", "lib/dlcourse", "site-packages", "[mistake:"):
            assert noise not in shown, f"{noise!r} shown to the student:\n{shown}"
    assert "in crash, line 2: return x[:, 0]" in "\n".join(nb.cells[2].outputs[0].traceback)


def test_a_cells_top_level_under_ipython_7_is_not_student_code():
    """IPython 7.34 on Python 3.11+ (Colab) names a cell's top-level code '<cell line: N>', not '<module>'."""
    ns = _cell("def softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n")
    check_own(ns["softmax"], "softmax")
    top = compile("out = layers.softmax(np.zeros(2))\n_f = lambda z: layers.softmax(z)\nlam = _f(np.zeros(2))\n",
                  "<ipython-input-7-0123456789ab>", "exec")
    top = top.replace(co_name="<cell line: 0>")
    space = {"np": np, "layers": layers}
    exec(top, space)   # the running cell's own code and its own lambda: allowed
    assert np.allclose(space["out"], 0.5) and np.allclose(space["lam"], 0.5)
