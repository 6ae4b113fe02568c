"""Small numerical helpers the package itself needs (never the students' graded functions)."""

import numpy as np


def logistic(z):
    """The logistic function, written without exp so it cannot overflow.

    The package uses it for its own pictures and checks; the lessons' graded `sigmoid`
    is always the student's.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
