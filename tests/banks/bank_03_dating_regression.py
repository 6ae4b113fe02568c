"""Right and wrong answers for lesson 03 · The dating regression (nbgrader round trip, visible tests).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source)
RIGHT: (answer cell grade_id, description, replacement source)
VISIBLE_MISSES: {description of a WRONG entry: why only the hidden tests catch it} (deliberate exceptions)

With one WRONG entry substituted into the solution notebook, only the named test cell may
fail; with one RIGHT entry, every test cell passes. Sources replace the whole answer cell;
the notebook's imports (numpy as np) and the perfect answers of the other exercises are there.
"""

# A gradient_descent with the lesson's functions, and a line or two inserted before the loss is recorded.
GD = '''import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
%s
        losses.append(loss)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    return W, b, losses
'''


def sgd(body: str) -> str:
    """A minibatch_sgd with the generator, the start and the return as specified, and this loop."""
    return ('''import numpy as np
def minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    N = len(y)
''' + body + '''
    return W, b, losses
''')


WRONG = [
    # ---- linear_forward
    ("linear_forward", "test_linear_forward", "elementwise X * W, never summed", '''\
def linear_forward(X, W, b):
    return X * W + b, (X, W, b)
'''),
    ("linear_forward", "test_linear_forward", "W @ X: the product the wrong way round", '''\
def linear_forward(X, W, b):
    return W @ X + b, (X, W, b)
'''),
    ("linear_forward", "test_linear_forward", "forgets the bias", '''\
def linear_forward(X, W, b):
    return X @ W, (X, W, b)
'''),
    ("linear_forward", "test_linear_forward", "returns out only, no cache", '''\
def linear_forward(X, W, b):
    return X @ W + b
'''),
    ("linear_forward", "test_linear_forward", "sums over the samples (axis 0)", '''\
import numpy as np
def linear_forward(X, W, b):
    return np.sum(X * W, axis=0) + b, (X, W, b)
'''),
    ("linear_forward", "test_linear_forward", "cache in the order (W, X, b)", '''\
def linear_forward(X, W, b):
    return X @ W + b, (W, X, b)
'''),
    ("linear_forward", "test_linear_forward", "bias inside the product: (X + b) @ W", '''\
def linear_forward(X, W, b):
    return (X + b) @ W, (X, W, b)
'''),
    ("linear_forward", "test_linear_forward", "bias subtracted", '''\
def linear_forward(X, W, b):
    return X @ W - b, (X, W, b)
'''),
    ("linear_forward", "test_linear_forward", "output array made with zeros_like(X[:, 0]): integers for integer X", '''\
import numpy as np
def linear_forward(X, W, b):
    out = np.zeros_like(X[:, 0])
    out[:] = X @ W + b
    return out, (X, W, b)
'''),
    # ---- mse_loss
    ("mse_loss", "test_mse_loss", "sum of squares, not their mean", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return np.sum(d ** 2), 2 * d / len(d)
'''),
    ("mse_loss", "test_mse_loss", "with a 1/2: half the mean, dpred = (pred - y) / N", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return 0.5 * np.mean(d ** 2), d / len(d)
'''),
    ("mse_loss", "test_mse_loss", "dpred missing the factor 2/N", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return np.mean(d ** 2), d
'''),
    ("mse_loss", "test_mse_loss", "dpred with the sign flipped", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return np.mean(d ** 2), 2 * (y - pred) / len(d)
'''),
    ("mse_loss", "test_mse_loss", "dpred missing the 1/N", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return np.mean(d ** 2), 2 * d
'''),
    ("mse_loss", "test_mse_loss", "N taken from the notebook's X (the seed's bug)", '''\
import numpy as np
def mse_loss(pred, y):
    N = X.shape[0]
    loss = np.sum(np.square(pred - y)) / N
    return loss, 2 * (pred - y) / N
'''),
    ("mse_loss", "test_mse_loss", "returns the squared errors, no mean", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return d ** 2, 2 * d / len(d)
'''),
    ("mse_loss", "test_mse_loss", "subtracts y from pred in place", '''\
import numpy as np
def mse_loss(pred, y):
    pred -= y
    return np.mean(pred ** 2), 2 * pred / len(pred)
'''),
    ("mse_loss", "test_mse_loss", "root mean squared error", '''\
import numpy as np
def mse_loss(pred, y):
    d = pred - y
    return np.sqrt(np.mean(d ** 2)), 2 * d / len(d)
'''),
    ("mse_loss", "test_mse_loss", "dpred built with zeros_like(pred): integers for integer predictions", '''\
import numpy as np
def mse_loss(pred, y):
    dpred = np.zeros_like(pred)
    dpred[:] = 2 * (pred - y) / len(pred)
    return np.mean((pred - y) ** 2), dpred
'''),
    # ---- linear_backward
    ("linear_backward", "test_linear_backward", "db = dout: the sum over samples is missing", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.outer(dout, W), X.T @ dout, dout
'''),
    ("linear_backward", "test_linear_backward", "db = mean(dout)", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.outer(dout, W), X.T @ dout, np.mean(dout)
'''),
    ("linear_backward", "test_linear_backward", "dW = X @ dout: transpose missing", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.outer(dout, W), X @ dout, np.sum(dout)
'''),
    ("linear_backward", "test_linear_backward", "dW averaged over the samples", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.outer(dout, W), X.T @ dout / len(dout), np.sum(dout)
'''),
    ("linear_backward", "test_linear_backward", "dX from X instead of W", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return dout[:, None] * X, X.T @ dout, np.sum(dout)
'''),
    ("linear_backward", "test_linear_backward", "dX left out: returns (dW, db)", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return X.T @ dout, np.sum(dout)
'''),
    ("linear_backward", "test_linear_backward", "order (dW, db, dX)", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return X.T @ dout, np.sum(dout), np.outer(dout, W)
'''),
    ("linear_backward", "test_linear_backward", "dX = outer(W, dout): transposed", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.outer(W, dout), X.T @ dout, np.sum(dout)
'''),
    ("linear_backward", "test_linear_backward", "dW by broadcasting X * dout (works only when N == D)", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.outer(dout, W), np.sum(X * dout, axis=0), np.sum(dout)
'''),
    ("linear_backward", "test_linear_backward", "scales X by dout in place", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    dX = np.outer(dout, W)
    X *= dout[:, None]
    return dX, X.sum(axis=0), np.sum(dout)
'''),
    # ---- numerical_gradient
    ("numerical_gradient", "test_numerical_gradient", "forward differences", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad
'''),
    ("numerical_gradient", "test_numerical_gradient", "divides by h instead of 2h", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / h
    return grad
'''),
    ("numerical_gradient", "test_numerical_gradient", "leaves x modified (never restores the entry)", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        grad[i] = (fp - fm) / (2 * h)
    return grad
'''),
    ("numerical_gradient", "test_numerical_gradient", "loops over range(len(x)): whole rows of a 2-D x", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad
'''),
    ("numerical_gradient", "test_numerical_gradient", "moves every entry at once", '''\
def numerical_gradient(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)
'''),
    ("numerical_gradient", "test_numerical_gradient", "sign flipped: (f(x - h) - f(x + h)) / 2h", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xm) - f(xp)) / (2 * h)
    return grad
'''),
    ("numerical_gradient", "test_numerical_gradient", "aliases instead of copies: both points are the same array", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp = x
        xp[i] += h
        xm = x
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad
'''),
    # ---- gradient_descent
    ("gradient_descent", "test_gradient_descent", "records the loss after the update", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        W = W - learning_rate * dW
        b = b - learning_rate * db
        losses.append(mse_loss(linear_forward(X, W, b)[0], y)[0])
    return W, b, losses
'''),
    ("gradient_descent", "test_gradient_descent", "+= gradient: walks uphill", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W + learning_rate * dW
        b = b + learning_rate * db
    return W, b, losses
'''),
    ("gradient_descent", "test_gradient_descent", "never updates b", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W - learning_rate * dW
    return W, b, losses
'''),
    ("gradient_descent", "test_gradient_descent", "one loss too many (the loss after the last step too)", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    losses.append(mse_loss(linear_forward(X, W, b)[0], y)[0])
    return W, b, losses
'''),
    ("gradient_descent", "test_gradient_descent", "starts from W = 1 instead of 0", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.ones(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    return W, b, losses
'''),
    ("gradient_descent", "test_gradient_descent", "off by one: range(1, iterations)", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(1, iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    return W, b, losses
'''),
    ("gradient_descent", "test_gradient_descent", "returns only the last loss", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b = np.zeros(X.shape[1]), 0.0
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    return W, b, loss
'''),
    ("gradient_descent", "test_gradient_descent", "steps b twice as far as W (b -= 2 lr db)", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W - learning_rate * dW
        b = b - 2 * learning_rate * db
    return W, b, losses
'''),
    # ---- standardize
    ("standardize", "test_standardize", "statistics over the rows (axis=1)", '''\
def standardize(X):
    mean = X.mean(axis=1)
    std = X.std(axis=1)
    return (X - mean) / std, mean, std
'''),
    ("standardize", "test_standardize", "rows with keepdims (axis=1, keepdims=True)", '''\
def standardize(X):
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    return (X - mean) / std, mean, std
'''),
    ("standardize", "test_standardize", "one mean and std for the whole array", '''\
import numpy as np
def standardize(X):
    mean, std = np.mean(X), np.std(X)
    return (X - mean) / std, mean, std
'''),
    ("standardize", "test_standardize", "sample standard deviation (ddof=1)", '''\
def standardize(X):
    mean, std = X.mean(axis=0), X.std(axis=0, ddof=1)
    return (X - mean) / std, mean, std
'''),
    ("standardize", "test_standardize", "divides by the variance", '''\
def standardize(X):
    mean, var = X.mean(axis=0), X.var(axis=0)
    return (X - mean) / var, mean, var ** 0.5
'''),
    ("standardize", "test_standardize", "scales without centring", '''\
def standardize(X):
    mean, std = X.mean(axis=0), X.std(axis=0)
    return X / std, mean, std
'''),
    ("standardize", "test_standardize", "centres X in place (X -= mean)", '''\
def standardize(X):
    mean, std = X.mean(axis=0), X.std(axis=0)
    X -= mean
    X /= std
    return X, mean, std
'''),
    ("standardize", "test_standardize", "returns the standardized X only", '''\
def standardize(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)
'''),
    ("standardize", "test_standardize", "min-max scaling to [0, 1]", '''\
def standardize(X):
    lo, hi = X.min(axis=0), X.max(axis=0)
    return (X - lo) / (hi - lo), X.mean(axis=0), X.std(axis=0)
'''),
    # ---- the course's reference, reached from the answer (every route must fail visibly)
    ("linear_forward", "test_linear_forward", "a wrapper around the package's linear_forward", '''\
from dlcourse import layers
def linear_forward(X, W, b):
    return layers.linear_forward(X, W, b)
''', "uses the course's reference"),
    ("mse_loss", "test_mse_loss", "an alias of the package's mse_loss", '''\
from dlcourse.layers import mse_loss
''', "uses the course's reference"),
    ("standardize", "test_standardize", "functools.partial of the package's standardize", '''\
import functools
from dlcourse import regression
standardize = functools.partial(regression.standardize)
''', "uses the course's reference"),
    ("gradient_descent", "test_gradient_descent", "an import inside gradient_descent", '''\
def gradient_descent(X, y, learning_rate, iterations):
    from dlcourse.regression import gradient_descent as descent
    return descent(X, y, learning_rate, iterations)
''', "uses the course's reference"),
    ("numerical_gradient", "test_numerical_gradient", "the package's numerical_gradient under another name", '''\
import dlcourse.gradcheck as gc
def numerical_gradient(f, x, h=1e-5):
    return gc.numerical_gradient(f, x, h)
''', "uses the course's reference"),
    ("linear_backward", "test_linear_backward", "linear_backward through a helper that calls the package", '''\
import dlcourse.layers as L
def backward_pass(dout, cache):
    return L.linear_backward(dout, cache)
def linear_backward(dout, cache):
    return backward_pass(dout, cache)
''', "uses the course's reference"),
    ("minibatch_sgd", "test_minibatch_sgd", "the package's minibatch_sgd, its dict unpacked", '''\
from dlcourse import regression
def minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=0):
    run = regression.minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=seed)
    return run["W"], run["b"], list(run["batch_losses"])
''', "uses the course's reference"),
    # ---- silent before: visible tests had D = 2 only, the default h only, runs that neither converged nor blew up
    ("linear_forward", "test_linear_forward", "two inputs written out: works only for D = 2", '''\
def linear_forward(X, W, b):
    return X[:, 0] * W[0] + X[:, 1] * W[1] + b, (X, W, b)
''', "linear_forward"),
    ("standardize", "test_standardize", "two columns written out: works only for D = 2", '''\
import numpy as np
def standardize(X):
    X = np.asarray(X, dtype=float)
    m = np.array([X[:, 0].mean(), X[:, 1].mean()])
    s = np.array([X[:, 0].std(), X[:, 1].std()])
    return (X - m) / s, m, s
''', "standardize"),
    ("numerical_gradient", "test_numerical_gradient", "ignores h: a fixed step of 1e-5", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + 1e-5
        fp = f(x)
        x[i] = old - 1e-5
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / 2e-5
    return grad
''', "use the argument h"),
    ("gradient_descent", "test_gradient_descent", "stops early once the loss stops changing", GD % '''\
        if losses and abs(losses[-1] - loss) < 1e-12:
            break''', "stopped early"),
    ("gradient_descent", "test_gradient_descent", "gives up on a diverging rate (stops when the loss grows)", GD % '''\
        if losses and loss > losses[-1]:
            break''', "stopped early"),
    ("gradient_descent", "test_gradient_descent", "skips a diverging rate: returns zeros when the loss grows", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(iterations):
        out, cache = linear_forward(X, W, b)
        loss, dpred = mse_loss(out, y)
        _, dW, db = linear_backward(dpred, cache)
        losses.append(loss)
        W = W - learning_rate * dW
        b = b - learning_rate * db
    if losses[-1] > losses[0]:
        return np.zeros(X.shape[1]), 0.0, [losses[0]] * iterations
    return W, b, losses
''', "gradient_descent"),
    # ---- minibatch_sgd
    ("minibatch_sgd", "test_minibatch_sgd", "shuffles once, before the epochs", sgd('''\
    order = rng.permutation(N)
    for _ in range(epochs):
        for start in range(0, N, batch_size):
            rows = order[start:start + batch_size]
            out, cache = linear_forward(X[rows], W, b)
            loss, dpred = mse_loss(out, y[rows])
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db'''), "same order"),
    ("minibatch_sgd", "test_minibatch_sgd", "a new generator from the seed in every epoch", sgd('''\
    for _ in range(epochs):
        order = np.random.default_rng(seed).permutation(N)
        for start in range(0, N, batch_size):
            rows = order[start:start + batch_size]
            out, cache = linear_forward(X[rows], W, b)
            loss, dpred = mse_loss(out, y[rows])
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db'''), "same order"),
    ("minibatch_sgd", "test_minibatch_sgd", "never shuffles", sgd('''\
    for _ in range(epochs):
        for start in range(0, N, batch_size):
            rows = np.arange(start, min(start + batch_size, N))
            out, cache = linear_forward(X[rows], W, b)
            loss, dpred = mse_loss(out, y[rows])
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db'''), "stored order"),
    ("minibatch_sgd", "test_minibatch_sgd", "drops the last, smaller batch", sgd('''\
    for _ in range(epochs):
        order = rng.permutation(N)
        for k in range(N // batch_size):
            rows = order[k * batch_size:(k + 1) * batch_size]
            out, cache = linear_forward(X[rows], W, b)
            loss, dpred = mse_loss(out, y[rows])
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db'''), "smaller batch"),
    ("minibatch_sgd", "test_minibatch_sgd", "NumPy's global generator instead of the seed's", sgd('''\
    for _ in range(epochs):
        order = np.random.permutation(N)
        for start in range(0, N, batch_size):
            rows = order[start:start + batch_size]
            out, cache = linear_forward(X[rows], W, b)
            loss, dpred = mse_loss(out, y[rows])
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db''')),
    ("minibatch_sgd", "test_minibatch_sgd", "one loss per epoch (the last batch's)", sgd('''\
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            rows = order[start:start + batch_size]
            out, cache = linear_forward(X[rows], W, b)
            loss, dpred = mse_loss(out, y[rows])
            _, dW, db = linear_backward(dpred, cache)
            W, b = W - learning_rate * dW, b - learning_rate * db
        losses.append(loss)'''), "one per epoch"),
    ("minibatch_sgd", "test_minibatch_sgd", "shuffles X and y in place", sgd('''\
    for _ in range(epochs):
        order = rng.permutation(N)
        X[:] = X[order]
        y[:] = y[order]
        for start in range(0, N, batch_size):
            out, cache = linear_forward(X[start:start + batch_size], W, b)
            loss, dpred = mse_loss(out, y[start:start + batch_size])
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db'''), "in place"),
    ("minibatch_sgd", "test_minibatch_sgd", "the full batch's gradient at every step", sgd('''\
    for _ in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            rows = order[start:start + batch_size]
            out, cache = linear_forward(X, W, b)
            loss, dpred = mse_loss(out, y)
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db''')),
]

RIGHT = [
    # ---- linear_forward
    ("linear_forward", "np.dot and a separate cache variable", '''\
import numpy as np
def linear_forward(X, W, b):
    out = np.dot(X, W) + b
    cache = (X, W, b)
    return out, cache
'''),
    ("linear_forward", "explicit sum over axis 1, floats", '''\
import numpy as np
def linear_forward(X, W, b):
    out = np.sum(np.asarray(X, dtype=float) * W, axis=1) + b
    return out, (X, W, b)
'''),
    ("linear_forward", "einsum", '''\
import numpy as np
def linear_forward(X, W, b):
    return np.einsum("nd,d->n", X, W) + b, (X, W, b)
'''),
    # ---- mse_loss
    ("mse_loss", "sum / len and np.square, float loss", '''\
import numpy as np
def mse_loss(pred, y):
    N = len(pred)
    diff = pred - y
    loss = float(np.sum(np.square(diff)) / N)
    dpred = (2.0 / N) * diff
    return loss, dpred
'''),
    ("mse_loss", "dot product of the errors", '''\
import numpy as np
def mse_loss(pred, y):
    d = np.asarray(pred, dtype=float) - y
    return d @ d / d.size, 2 * d / d.size
'''),
    # ---- linear_backward
    ("linear_backward", "broadcasting and dout @ X", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, _ = cache
    dX = dout[:, None] * W[None, :]
    dW = dout @ X
    db = dout.sum()
    return dX, dW, db
'''),
    ("linear_backward", "einsum, float db", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    return np.einsum("n,d->nd", dout, W), np.einsum("nd,n->d", X, dout), float(np.sum(dout))
'''),
    ("linear_backward", "reshape dout to a column", '''\
import numpy as np
def linear_backward(dout, cache):
    X, W, b = cache
    col = dout.reshape(-1, 1)
    return col * W, np.sum(col * X, axis=0), np.sum(dout)
'''),
    # ---- numerical_gradient
    ("numerical_gradient", "copies of x, flat indices", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        xp = x.copy()
        xm = x.copy()
        xp.flat[i] += h
        xm.flat[i] -= h
        grad.flat[i] = (f(xp) - f(xm)) / (2 * h)
    return grad
'''),
    ("numerical_gradient", "np.nditer and a restore by arithmetic (x + h - 2h + h)", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
        it.iternext()
    return grad
'''),
    ("numerical_gradient", "a unit array e_i for each index", '''\
import numpy as np
def numerical_gradient(f, x, h=1e-5):
    grad = np.empty(x.shape)
    for index in np.ndindex(*x.shape):
        e = np.zeros(x.shape)
        e[index] = h
        grad[index] = (float(f(x + e)) - float(f(x - e))) / (2 * h)
    return grad
'''),
    # ---- gradient_descent
    ("gradient_descent", "everything inline, losses as an array, in-place steps on its own W", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    N, D = X.shape
    W = np.zeros(D)
    b = 0.0
    losses = np.zeros(iterations)
    for k in range(iterations):
        err = X @ W + b - y
        losses[k] = np.mean(err ** 2)
        W -= learning_rate * (2 / N) * (X.T @ err)
        b -= learning_rate * (2 / N) * err.sum()
    return W, b, losses
'''),
    ("gradient_descent", "with the lesson's functions, a while loop", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b = np.zeros(X.shape[1]), 0.0
    losses = []
    while len(losses) < iterations:
        out, cache = linear_forward(X, W, b)
        loss, dout = mse_loss(out, y)
        dX, dW, db = linear_backward(dout, cache)
        losses.append(float(loss))
        W, b = W - learning_rate * dW, b - learning_rate * db
    return W, b, losses
'''),
    # ---- standardize
    ("standardize", "np.mean / np.std, keepdims then ravel", '''\
import numpy as np
def standardize(X):
    mean = np.mean(X, axis=0, keepdims=True)
    std = np.std(X, axis=0, keepdims=True)
    return (X - mean) / std, mean.ravel(), std.ravel()
'''),
    ("standardize", "std from the definition", '''\
import numpy as np
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.sum(axis=0) / X.shape[0]
    centred = X - mean
    std = np.sqrt((centred ** 2).mean(axis=0))
    return centred / std, mean, std
'''),
    # ---- minibatch_sgd
    ("minibatch_sgd", "inline gradients, losses in an array, a while loop over the batches", '''\
import numpy as np
def minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    N, D = X.shape
    steps = epochs * ((N + batch_size - 1) // batch_size)
    W, b, losses, k = np.zeros(D), 0.0, np.empty(steps), 0
    for epoch in range(epochs):
        perm = rng.permutation(N)
        start = 0
        while start < N:
            idx = perm[start:start + batch_size]
            err = X[idx] @ W + b - y[idx]
            losses[k] = np.mean(err ** 2)
            W = W - learning_rate * 2 * X[idx].T @ err / len(idx)
            b = b - learning_rate * 2 * err.mean()
            k += 1
            start += batch_size
    return W, b, losses
'''),
    ("minibatch_sgd", "batches sliced from shuffled copies of X and y, with the lesson's functions", '''\
import numpy as np
def minibatch_sgd(X, y, learning_rate, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        Xs, ys = X[order], y[order]
        for start in range(0, len(ys), batch_size):
            out, cache = linear_forward(Xs[start:start + batch_size], W, b)
            loss, dpred = mse_loss(out, ys[start:start + batch_size])
            dX, dW, db = linear_backward(dpred, cache)
            losses.append(float(loss))
            W -= learning_rate * dW
            b -= learning_rate * db
    return W, b, losses
'''),
    ("gradient_descent", "with np.errstate, so a diverging rate runs quietly to the end", '''\
import numpy as np
def gradient_descent(X, y, learning_rate, iterations):
    W, b, losses = np.zeros(X.shape[1]), 0.0, []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(iterations):
            out, cache = linear_forward(X, W, b)
            loss, dpred = mse_loss(out, y)
            _, dW, db = linear_backward(dpred, cache)
            losses.append(loss)
            W, b = W - learning_rate * dW, b - learning_rate * db
    return W, b, np.array(losses)
'''),
    ("linear_forward", "matmul on float copies, b broadcast with np.full", '''\
import numpy as np
def linear_forward(X, W, b):
    out = np.matmul(np.asarray(X, dtype=float), W) + np.full(len(X), b)
    return out, (X, W, b)
'''),
    ("standardize", "statistics by hand for any number of columns", '''\
import numpy as np
def standardize(X):
    X = np.array(X, dtype=float)
    mean = X.sum(axis=0) / len(X)
    std = np.sqrt(((X - mean) ** 2).sum(axis=0) / len(X))
    return (X - mean) / std, mean, std
'''),
]

VISIBLE_MISSES = {}
