"""Linear regression trained by gradient descent (lesson 03, the dating survey).

Reference code for the lesson's demos, plots and widget, for its hidden tests and for the
benchmark script. Shapes: X is (N, D) with samples in rows, y is (N,), W is (D,), b a number.
The forward pass, the loss and the backward pass are `dlcourse.layers.linear_forward`,
`mse_loss` and `linear_backward`.

- `standardize(X)`, `to_original_units(W, b, mean, std)`: change of units and back.
- `gradient_descent(X, y, learning_rate, iterations)`: plain batch gradient descent from W = 0, b = 0.
- `descent_path(...)`: the same, keeping every iterate (for plots) and stopping at an overflow.
- `minibatch_sgd(...)`: mini-batch stochastic gradient descent.
- `closed_form_path(...)`: where gradient descent is after given numbers of steps, without running them.
- `least_squares(X, y)`: the exact minimizer of the mean squared error.
- `cost_grid(X, y, w1, w2)`: the mean squared error over a grid of two weights (a cost surface).
- `iterations_to_within(...)`: how many descent steps until every coefficient is within 1 %
  of a target (the least-squares fit, or the truth) (simulated); `predicted_iterations_to_within(...)`:
  the same count from the closed form of gradient descent on a quadratic, for runs too long to simulate.
  "Within 1 %" is `dlcourse.checks.within`, the course's one tolerance for it.
"""

from __future__ import annotations

import numpy as np

from .checks import WITHIN, within
from .layers import linear_backward, linear_forward, mse_loss

__all__ = ["standardize", "to_original_units", "gradient_descent", "descent_path", "closed_form_path",
           "minibatch_sgd", "least_squares", "cost_grid", "relative_errors", "steps_to_within",
           "iterations_to_within", "predicted_iterations_to_within", "hessian_eigenvalues"]


def standardize(X):
    """Centre each column on 0 and scale it to standard deviation 1.

    X : (N, D). Returns (X_standardized (N, D), mean (D,), std (D,)), with the population
    standard deviation (np.std, ddof=0). X is not modified.
    """
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    return (X - mean) / std, mean, std


def to_original_units(W, b, mean, std):
    """Turn the weights of a model trained on standardized inputs back into the original units.

    The model W . (x - mean) / std + b equals (W / std) . x + (b - sum(W * mean / std)).
    W, mean, std : (D,); b : a number. Returns (W_original (D,), b_original a float).
    """
    W = np.asarray(W, dtype=float)
    W_original = W / np.asarray(std, dtype=float)
    return W_original, float(b - np.sum(W_original * np.asarray(mean, dtype=float)))


def gradient_descent(X, y, learning_rate, iterations):
    """Batch gradient descent on the mean squared error of the linear model X @ W + b.

    Starts from W = 0 (shape (D,)) and b = 0. Each iteration computes the loss and its
    gradients at the current parameters, records the loss, then takes one step.
    Returns (W (D,), b a float, losses (iterations,): the loss before each step).
    """
    run = descent_path(X, y, learning_rate, iterations, stop_on_overflow=False)
    return run["W"], run["b"], run["losses"]


def descent_path(X, y, learning_rate, iterations, W0=None, b0=0.0, *, stop_on_overflow=True):
    """Gradient descent that keeps every iterate, for plots and widgets.

    X : (N, D); y : (N,); W0 : (D,) start (zeros by default); b0 : a number.
    Returns a dict with
      W (D,), b : the parameters after the last step taken;
      losses (k,) : the loss before each step taken (k = iterations unless the run overflowed);
      path (k + 1, D + 1) : the parameters (W..., b) before the first step and after each step;
      gradients (k, D + 1) : (dW..., db) at each step;
      diverged_at : the first iteration whose loss is not finite (inf or nan), or None.
    With `stop_on_overflow`, the run stops at that iteration, so the path holds finite numbers.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W = np.zeros(X.shape[1]) if W0 is None else np.array(W0, dtype=float)
    b = float(b0)
    losses, path, grads = [], [np.append(W, b)], []
    diverged_at = None
    with np.errstate(all="ignore"):
        for i in range(int(iterations)):
            out, cache = linear_forward(X, W, b)
            loss, dout = mse_loss(out, y)
            _, dW, db = linear_backward(dout, cache)
            if not np.isfinite(loss) and diverged_at is None:
                diverged_at = i
                if stop_on_overflow:
                    break
            losses.append(loss)
            grads.append(np.append(dW, db))
            W = W - learning_rate * dW
            b = b - learning_rate * db
            path.append(np.append(W, b))
    return {"W": W, "b": float(b), "losses": np.array(losses), "path": np.array(path),
            "gradients": np.array(grads).reshape(len(grads), X.shape[1] + 1), "diverged_at": diverged_at}


def closed_form_path(X, y, learning_rate, steps, W0=None, b0=0.0):
    """The parameters of batch gradient descent after each number of steps in `steps`, from the
    closed form theta_k = theta* + (I - learning_rate H)^k (theta_0 - theta*) of descent on a quadratic
    (H the constant Hessian, theta* the least-squares fit): billions of steps cost nothing.

    X : (N, D); y : (N,); steps : a sequence of K step counts (integers >= 0).
    Returns an array (K, D + 1): (W..., b) after each count, the same numbers (up to rounding) as
    `descent_path(...)["path"][k]`.
    """
    X = np.asarray(X, dtype=float)
    A = np.column_stack([X, np.ones(len(X))])
    theta_star = np.linalg.lstsq(A, np.asarray(y, dtype=float), rcond=None)[0]
    lam, Q = np.linalg.eigh(2.0 * A.T @ A / len(X))
    start = np.append(np.zeros(X.shape[1]) if W0 is None else np.asarray(W0, dtype=float), float(b0))
    coeff = Q.T @ (start - theta_star)
    factor = 1.0 - learning_rate * lam
    with np.errstate(all="ignore"):
        return np.array([theta_star + Q @ (coeff * factor ** float(k)) for k in steps])


def minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=0, W0=None, b0=0.0):
    """Mini-batch stochastic gradient descent: each epoch shuffles the samples and takes one
    step per batch of `batch_size` rows (the last batch may be smaller).

    X : (N, D); y : (N,). Returns a dict with W (D,), b, batch_losses (steps,): the loss of
    each batch before its step; epoch_losses (epochs + 1,): the loss on all of X before the
    first epoch and after each one; path (steps + 1, D + 1): (W..., b) after each step.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    W = np.zeros(X.shape[1]) if W0 is None else np.array(W0, dtype=float)
    b = float(b0)
    batch_losses, path = [], [np.append(W, b)]
    epoch_losses = [mse_loss(linear_forward(X, W, b)[0], y)[0]]
    with np.errstate(all="ignore"):
        for _ in range(int(epochs)):
            order = rng.permutation(len(y))
            for start in range(0, len(y), batch_size):
                rows = order[start:start + batch_size]
                out, cache = linear_forward(X[rows], W, b)
                loss, dout = mse_loss(out, y[rows])
                _, dW, db = linear_backward(dout, cache)
                batch_losses.append(loss)
                W = W - learning_rate * dW
                b = b - learning_rate * db
                path.append(np.append(W, b))
            epoch_losses.append(mse_loss(linear_forward(X, W, b)[0], y)[0])
    return {"W": W, "b": float(b), "batch_losses": np.array(batch_losses),
            "epoch_losses": np.array(epoch_losses), "path": np.array(path)}


def least_squares(X, y):
    """The W (D,) and b (a float) with the smallest mean squared error on (X (N, D), y (N,))."""
    X = np.asarray(X, dtype=float)
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.lstsq(A, np.asarray(y, dtype=float), rcond=None)[0]
    return theta[:-1], float(theta[-1])


def hessian_eigenvalues(X):
    """Eigenvalues, smallest first, of the (constant) Hessian of the mean squared error with
    respect to (W..., b): 2 A^T A / N with A = [X, 1]. Shape (D + 1,).

    Gradient descent is stable only for learning_rate < 2 / largest eigenvalue, and the
    ratio largest / smallest (the condition number) says how slowly it crawls."""
    X = np.asarray(X, dtype=float)
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.eigvalsh(2.0 * A.T @ A / len(X))


def cost_grid(X, y, w1, w2, b=None):
    """The mean squared error of X @ (W1, W2) + b over a grid of the two weights.

    X : (N, 2); y : (N,); w1 : (G1,) values of the first weight; w2 : (G2,) of the second.
    b : a number, or None for the best bias at each grid point (the lowest cost the two
        weights can reach; exact for the path of descent on centred inputs).
    Returns J of shape (G2, G1), J[j, i] the cost at (w1[i], w2[j]) (the layout of meshgrid).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    G1, G2 = np.meshgrid(np.asarray(w1, dtype=float), np.asarray(w2, dtype=float))
    S = X.T @ X / len(y)                 # (2, 2) second moments of the inputs
    m = X.mean(axis=0)                   # (2,)
    c = X.T @ y / len(y)                 # (2,)
    quad = S[0, 0] * G1**2 + 2 * S[0, 1] * G1 * G2 + S[1, 1] * G2**2
    lin = c[0] * G1 + c[1] * G2
    mw = m[0] * G1 + m[1] * G2
    if b is None:
        bb = y.mean() - mw               # the best bias for each (w1, w2)
    else:
        bb = float(b)
    return quad + 2 * bb * mw + bb**2 - 2 * lin - 2 * bb * y.mean() + np.mean(y**2)


def _all_within(estimate, target, tol) -> bool:
    """Every coefficient of `estimate` within `tol` (relative) of `target` (`dlcourse.checks.within`)."""
    return all(within(e, t, tol) for e, t in zip(estimate, target))


def relative_errors(W, b, true_W, true_b):
    """|estimate - truth| / |truth| for each coefficient: an array of shape (D + 1,), the bias last."""
    est = np.append(np.asarray(W, dtype=float), float(b))
    true = np.append(np.asarray(true_W, dtype=float), float(true_b))
    return np.abs(est - true) / np.abs(true)


def steps_to_within(path, true_W, true_b, *, mean=None, std=None, tol=WITHIN):
    """The first row k of a descent path (rows (W..., b), e.g. `descent_path(...)["path"]`, row k being
    the parameters after k steps) at which every coefficient is within `tol` (relative) of the truth,
    or None if no row is. With `mean` and `std` (D,), the path was run on standardized inputs and is
    converted back with `to_original_units` first; true_W (D,) and true_b are in the original units.
    """
    path = np.asarray(path, dtype=float)
    W, b = path[:, :-1], path[:, -1]
    if mean is not None:
        W = W / np.asarray(std, dtype=float)
        b = b - W @ np.asarray(mean, dtype=float)
    true = np.append(np.asarray(true_W, dtype=float), float(true_b))
    with np.errstate(invalid="ignore"):
        for k, row in enumerate(np.column_stack([W, b])):
            if np.all(np.isfinite(row)) and _all_within(row, true, tol):
                return k
    return None


def _units(X, standardized):
    """The inputs descent runs on, and a function turning (W, b) back into X's units."""
    X = np.asarray(X, dtype=float)
    if not standardized:
        return X, lambda W, b: (W, b)
    Xs, mean, std = standardize(X)
    return Xs, lambda W, b: to_original_units(W, b, mean, std)


def iterations_to_within(X, y, true_W, true_b, learning_rate, max_iterations, *, standardized=False, tol=WITHIN):
    """Steps of batch gradient descent (from W = 0, b = 0) until every coefficient is within
    `tol` (relative) of a target, counted by running the descent.

    X : (N, D) in its original units; y : (N,); true_W : (D,) and true_b, the target in the units of X
        (the least-squares fit `least_squares(X, y)`, the best any optimizer can reach, or the truth).
    standardized : run descent on standardize(X) and convert each iterate back with
        `to_original_units` before comparing (the truth stays in X's units).
    Returns the smallest k such that the parameters after k steps are all within tol, or
    None when the run has not got there after `max_iterations` steps (or overflowed).
    Uses dlcourse.layers.linear_forward / mse_loss / linear_backward.
    """
    Xd, back = _units(X, standardized)
    y = np.asarray(y, dtype=float)
    true = np.append(np.asarray(true_W, dtype=float), float(true_b))
    W = np.zeros(Xd.shape[1])
    b = 0.0
    with np.errstate(all="ignore"):
        for k in range(int(max_iterations) + 1):
            Wo, bo = back(W, b)
            if _all_within(np.append(Wo, bo), true, tol):
                return k
            if k == max_iterations:
                break
            out, cache = linear_forward(Xd, W, b)
            loss, dout = mse_loss(out, y)
            if not np.isfinite(loss):
                return None
            _, dW, db = linear_backward(dout, cache)
            W = W - learning_rate * dW
            b = b - learning_rate * db
    return None


def predicted_iterations_to_within(X, y, true_W, true_b, learning_rate, *, standardized=False, tol=WITHIN,
                                   max_iterations=10**13):
    """The count of `iterations_to_within`, from the closed form of gradient descent on a quadratic.

    The mean squared error has a constant Hessian H, so after k steps from theta_0 = 0 the
    parameters are theta* + (I - learning_rate H)^k (theta_0 - theta*), theta* the least-squares
    fit; no simulation is needed, and counts of billions of steps cost nothing. The first k
    that meets the tolerance is found on a fine logarithmic grid and then refined step by step
    over the last stretch (by bisection when it is longer than 2,000 steps). Same arguments
    and units as `iterations_to_within`; returns None when the tolerance is not met by `max_iterations`
    (or the learning rate makes descent diverge).
    """
    Xd, back = _units(X, standardized)
    y = np.asarray(y, dtype=float)
    true = np.append(np.asarray(true_W, dtype=float), float(true_b))
    A = np.column_stack([Xd, np.ones(len(y))])
    theta_star = np.linalg.lstsq(A, y, rcond=None)[0]
    lam, Q = np.linalg.eigh(2.0 * A.T @ A / len(y))
    factor = 1.0 - learning_rate * lam
    if np.any(np.abs(factor) >= 1.0):
        return None
    coeff = Q.T @ (-theta_star)

    def ok(k):
        theta = theta_star + Q @ (coeff * factor ** float(k))
        Wo, bo = back(theta[:-1], theta[-1])
        return _all_within(np.append(Wo, bo), true, tol)

    if ok(0):
        return 0
    grid = np.unique(np.round(np.logspace(0, np.log10(max_iterations), 2500)).astype(np.int64))
    hits = [int(k) for k in grid if ok(k)]
    if not hits:
        return None
    high = hits[0]
    low = int(grid[np.searchsorted(grid, high) - 1]) if high > 1 else 0
    if high - low <= 2000:
        for k in range(low + 1, high + 1):
            if ok(k):
                return k
    while high - low > 1:  # a long stretch: bisect (the slowest direction dominates there, so ok is monotone)
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle
    return high
