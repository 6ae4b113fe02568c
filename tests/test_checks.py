"""dlcourse.checks: each failure is reported with the right kind of message."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.checks import (CheckFailed, attempt, check, check_defined, check_gate, check_no_mutation, check_own,
                             check_that, passed, substitute)


def _message(func, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        func(*args, **kwargs)
    return str(info.value)


def test_correct_values_pass_silently():
    check(np.array([0.5, 0.25]), np.array([0.5, 0.25]), "f(x)")
    check(0.5, 0.5, "f(0)")
    check(np.float64(0.5), 0.5, "f(0)")
    check(np.array(0.5), 0.5, "f(0)")
    check((np.array([1.0]), 2.0), (np.array([1.0]), 2.0), "pair")


def test_check_failed_is_an_assertion_error():
    assert issubclass(CheckFailed, AssertionError)


def test_none_is_reported_as_a_missing_return():
    assert "forget the `return`" in _message(check, None, 1.0, "f(x)")


def test_type_is_reported_before_shape_and_values():
    msg = _message(check, [0.5, 0.25], np.array([0.5, 0.25]), "f(x)")
    assert "should be a NumPy array" in msg and "list" in msg


def test_size_one_array_where_a_number_is_expected():
    assert "single number" in _message(check, np.array([0.5]), 0.5, "f(0)")


@pytest.mark.parametrize("shape, phrase", [((3, 1), "2-D column"), ((3, 3), "shape (3, 3)")])
def test_shape_mismatch_names_both_shapes(shape, phrase):
    msg = _message(check, np.zeros(shape), np.zeros(3), "f(x)")
    assert "(3,)" in msg and phrase in msg


def test_transposed_shape_hint():
    assert "transposed" in _message(check, np.zeros((3, 2)), np.zeros((2, 3)), "f(x)")


def test_integer_dtype_is_reported():
    assert "dtype int" in _message(check, np.array([1, 2]), np.array([1.0, 2.0]), "f(x)")


def test_nan_is_reported_with_the_hint_given():
    msg = _message(check, np.array([np.nan, 1.0]), np.array([0.0, 1.0]), "sigmoid(z)", nan_hint="avoid exp(1000)")
    assert "nan" in msg and "index (0,)" in msg and "avoid exp(1000)" in msg


def test_known_mistake_is_named():
    z = np.array([0.0, 2.0])
    wrong = 1 / (1 + np.exp(z))
    msg = _message(check, wrong, 1 / (1 + np.exp(-z)), "sigmoid(z)", mistakes={"the sign is flipped": wrong})
    assert "the sign is flipped" in msg


def test_generic_value_mismatch_points_at_the_first_wrong_entry():
    msg = _message(check, np.array([1.0, 2.0, 9.0]), np.array([1.0, 2.0, 3.0]), "f(x)", hint="look at the last term")
    assert "1 of 3 entries" in msg and "index (2,)" in msg and "look at the last term" in msg


def test_tuple_structure():
    assert "tuple of 2 items" in _message(check, (1.0,), (1.0, 2.0), "params")
    assert "params[1]" in _message(check, (1.0, 3.0), (1.0, 2.0), "params")


def test_check_that():
    check_that(True, "never shown")
    assert "property broken" in _message(check_that, False, "property broken", "fix it")


def test_check_no_mutation_catches_in_place_changes():
    def scale_in_place(x):
        x *= 2
        return x

    assert "in place" in _message(check_no_mutation, scale_in_place, np.ones(3))
    assert np.array_equal(check_no_mutation(lambda x: x * 2, np.ones(3)), 2 * np.ones(3))


@pytest.mark.parametrize("gate, params", [
    ("AND", (np.array([1.0, 1.0]), -1.5)),
    ("AND", ([20, 20], -30)),
    ("OR", (np.array([2.0, 2.0]), -1.0)),
    ("NAND", (np.array([-1.0, -1.0]), 1.5)),
    ("NAND", (np.array([-2.0, -2.0]), np.array([3.0]))),   # a one-element bias counts as a number
])
def test_check_gate_accepts_any_params_with_a_margin(gate, params):
    check_gate(params, gate)


@pytest.mark.parametrize("params, phrase", [
    ((np.array([1.0, 1.0]), -0.5), "computes OR, not AND"),       # the diagnosis names the gate it computes
    ((np.array([1.0, 1.0]), -1.2), "too close to 0.5"),          # AND, but (0, 1) gives 0.45
    ((np.array([1.0, 1.0]), -2.5), "AND of that input is 1"),    # fires nowhere: (1, 1) gives 0.38
    ((np.array([[1.0], [1.0]]), -1.5), "shape (2, 1)"),           # one format, the same as the hidden tests
    ((np.array([1.0, 1.0]), np.array([-1.5, 0.0])), "single number"),
    ((np.array([1.0, 1.0, 1.0]), -1.5), "shape (3,)"),
    ([1.0, 1.0, -1.5], "tuple (w, b)"),
])
def test_check_gate_rejects_wrong_params(params, phrase):
    assert phrase in _message(check_gate, params, "AND")


def test_check_gate_adds_the_lesson_hint_for_the_gate_computed_instead():
    message = _message(check_gate, (np.array([1.0, 1.0]), -0.5), "AND", hints={"OR": "make b more negative"})
    assert "computes OR" in message and "make b more negative" in message


def test_a_known_mistake_is_named_even_when_it_changes_the_shape():
    x, w = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert "did not add" in _message(check, x * w, 11.0, "f(x)", mistakes={"you did not add the products": x * w})


def test_a_known_mistake_of_a_pair_is_named():
    right, wrong = (1.0, np.array([1.0, 2.0])), (2.0, np.array([1.0, 2.0]))
    assert "you forgot the mean" in _message(check, wrong, right, "f", mistakes={"you forgot the mean": wrong})


def test_shape_hint_replaces_the_generic_advice():
    assert "out[..., 0]" in _message(check, np.float64(1.0), np.array([1.0]), "f", shape_hint="use out[..., 0]")


def test_values_are_shown_with_enough_digits_to_differ():
    message = _message(check, 0.3543, 0.35434369377, "f")
    assert "0.3543436938" in message and "0.3543," in message


def test_attempt_turns_a_crash_into_advice_and_lets_stubs_through():
    def crashes(x):
        return x[:, 0]

    message = _message(attempt, crashes, np.ones(2), name="f(one pair)", hints={IndexError: "use x[..., 0]"})
    assert "f(one pair) raised IndexError" in message and "use x[..., 0]" in message

    def stub(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as info:
        attempt(stub, 1, name="stub(1)")
    assert "stub is not written yet" in info.value.message and info.value.mistake == "stub:not-done"


def test_check_own_refuses_the_package_reference():
    from dlcourse.layers import relu

    assert "reference" in _message(check_own, relu, "relu")
    assert "should be a function" in _message(check_own, None, "relu")
    check_own(lambda z: z, "relu")


def test_library_frames_are_hidden_from_ipython_tracebacks():
    import dlcourse.checks as checks

    for func in (checks._fail, checks.check, checks.check_that, checks.check_gate, checks.attempt, checks.check_own):
        assert "__tracebackhide__" in func.__code__.co_varnames, func.__name__


def test_passed_prints_to_stdout(capsys):
    passed("sigmoid")
    out, err = capsys.readouterr()
    assert "sigmoid" in out and err == ""


def test_substitute_outside_ipython_rebinds_names():
    namespace = {"sigmoid": "student's"}
    substitute(namespace, sigmoid="reference")
    assert namespace["sigmoid"] == "reference"


def test_check_defined_points_at_the_exercise_cell():
    check_defined({"AND_PARAMS": 1}, "AND_PARAMS")
    msg = _message(check_defined, {}, "AND_PARAMS")
    assert "AND_PARAMS is not defined yet" in msg and "exercise cell above" in msg
