"""Numerical gradients for checking backward passes (reference versions used by the tests).

- `numerical_gradient(f, x)`: f maps an array to a number; the gradient of f at x.
- `numerical_gradient_array(f, x, dout)`: f maps an array to an array; the gradient of
  sum(f(x) * dout) at x, which is what a backward pass given `dout` must return.
- `relative_error(a, b)`: how far apart two gradients are, scale-free.

All use centred differences (error of order h^2) and leave x unchanged afterwards.

The course's one rule for reading a relative error between an analytic and a numerical gradient
(float64, h = 1e-5): below `AGREE` = 1e-6 they agree; above `WRONG` = 1e-3 one of them is wrong;
in between, look again (a kink such as ReLU's at 0 near an input, or a loss that is almost flat).
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "numerical_gradient_array", "relative_error", "AGREE", "WRONG"]

AGREE = 1e-6  # below: the two gradients agree
WRONG = 1e-3  # above: one of them is wrong (in between: look again)


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of a scalar function.

    f : callable taking an array shaped like x and returning a number
    x : float array of any shape (perturbed one entry at a time, then restored)
    Returns an array shaped like x: (f(x + h e_i) - f(x - h e_i)) / (2 h) at every index i.
    """
    grad = np.zeros(np.shape(x), dtype=float)
    for index in np.ndindex(*np.shape(x)):
        old = x[index]
        x[index] = old + h
        plus = float(f(x))
        x[index] = old - h
        minus = float(f(x))
        x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Centred-difference gradient of sum(f(x) * dout) with respect to x.

    f : callable taking an array shaped like x and returning an array shaped like dout
    Returns an array shaped like x.
    """
    return numerical_gradient(lambda v: np.sum(f(v) * dout), x, h)


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, 1e-8), taken over every entry; a number.

    Read it with the module's rule: below `AGREE` (1e-6) two gradients agree, above `WRONG` (1e-3)
    one of them is wrong.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))
