"""Right and wrong answers for lesson 05 · Backpropagation (nbgrader round trip, visible tests).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source
        [, a phrase the visible test's message must contain])
RIGHT: (answer cell grade_id, description, replacement source)
VISIBLE_MISSES: {description: reason} for wrong answers only the hidden tests catch (none).

A replacement source replaces the whole answer cell, so the pairs (affine, relu, sigmoid) carry both
functions, one of them wrong. The entries after "added with the checks of issue 12" name, in their
description, what the tests before them did ("silent before": ✔ and full points; "hidden only before":
✔, then 0 points). The first RIGHT entries use their own cache formats across exercises (an own ReLU
that caches the mask and a net that reads the mask itself; an own sigmoid that caches x and an XOR
trainer that reads x from it): each was graded 0 before, when the hidden tests put the reference layers
in first.
"""

_AFFINE_BACKWARD = '''
def affine_backward(dout, cache):
    x, W, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ W.T).reshape(x.shape), x_flat.T @ dout, dout.sum(axis=0)
'''

_AFFINE_FORWARD = '''
def affine_forward(x, W, b):
    return x.reshape(x.shape[0], -1) @ W + b, (x, W, b)
'''

_RELU_FORWARD = '''
def relu_forward(x):
    return np.maximum(x, 0), x
'''

_RELU_BACKWARD = '''
def relu_backward(dout, cache):
    return dout * (cache > 0)
'''

_SIGMOID_FORWARD = '''
def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return s, s
'''

_SIGMOID_BACKWARD = '''
def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)
'''

_NET_HEAD = '''
def two_layer_net(X, params, y=None):
    h, c1 = affine_forward(X, params["W1"], params["b1"])
    a, cr = relu_forward(h)
    scores, c2 = affine_forward(a, params["W2"], params["b2"])
    if y is None:
        return scores
    N = X.shape[0]
'''

_NET_TAIL = '''
    da, dW2, db2 = affine_backward(dscores, c2)
    dh = relu_backward(da, cr)
    _, dW1, db1 = affine_backward(dh, c1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''

_STABLE_LOSS = '''
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
'''


def _xor(loss_line="losses.append(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))",
         dz3="dz = (a - y) / N", update="v[k] = 0.9 * v[k] - 0.5 * grads[k]", rng="rng = np.random.default_rng(seed)",
         iterations=2000, db="grads[f'b{k}'] = dz.sum(axis=0)", draw="rng.normal(0.0, 1.0, size=(sizes[k - 1], sizes[k]))",
         after_update=""):
    return f'''
def train_xor(seed=0):
    X, y = datasets.xor_diagonals()
    y = y.reshape(-1, 1).astype(float)
    N = len(X)
    {rng}
    sizes = [2, 3, 3, 1]
    params = {{}}
    for k in range(1, 4):
        params[f"W{{k}}"] = {draw}
        params[f"b{{k}}"] = np.zeros(sizes[k])
    v = {{k: np.zeros_like(p) for k, p in params.items()}}
    losses = []
    for it in range({iterations}):
        acts = [X]
        for k in range(1, 4):
            z = acts[-1] @ params[f"W{{k}}"] + params[f"b{{k}}"]
            acts.append(1 / (1 + np.exp(-z)))
        a = acts[-1]
        p = np.clip(a, 1e-12, 1 - 1e-12)
        {loss_line}
        grads = {{}}
        {dz3}
        for k in range(3, 0, -1):
            grads[f"W{{k}}"] = acts[k - 1].T @ dz
            {db}
            if k > 1:
                da = dz @ params[f"W{{k}}"].T
                dz = da * acts[k - 1] * (1 - acts[k - 1])
        for k in params:
            {update}
            params[k] = params[k] + v[k]
        {after_update}
    return params, losses
'''


WRONG = [
    # ---- relative_error
    ("relative_error", "test_relative_error", "largest difference over largest sum", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-8)
''', "entry by entry"),
    ("relative_error", "test_relative_error", "no floor: nan where both are zero", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / (np.abs(a) + np.abs(b)))
''', "0/0"),
    ("relative_error", "test_relative_error", "mean instead of max", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8))
''', "averaged"),
    ("relative_error", "test_relative_error", "no abs in the denominator", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.maximum(a + b, 1e-8))
''', "abs()"),
    ("relative_error", "test_relative_error", "1e-8 added instead of a floor", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8))
''', "added 1e-8"),
    ("relative_error", "test_relative_error", "returns the array of ratios", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)
'''),
    # ---- affine
    ("affine", "test_affine", "forward without flattening: fails on images", '''
def affine_forward(x, W, b):
    return x @ W + b, (x, W, b)
''' + _AFFINE_BACKWARD, "flatten"),
    ("affine", "test_affine", "dW = x.T @ dout without reshape", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return (dout @ W.T).reshape(x.shape), x.T @ dout, dout.sum(axis=0)
''', "not flattened"),
    ("affine", "test_affine", "db summed over axis 1", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return (dout @ W.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.sum(axis=1)
''', "axis 1"),
    ("affine", "test_affine", "dx not reshaped to x's shape", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, x.reshape(len(x), -1).T @ dout, dout.sum(axis=0)
''', "shape of x"),
    ("affine", "test_affine", "flattened x cached: dx comes back flat", '''
def affine_forward(x, W, b):
    x = x.reshape(x.shape[0], -1)
    return x @ W + b, (x, W, b)

def affine_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)
''', "shape of x"),
    ("affine", "test_affine", "dx = dout @ W (no transpose)", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return (dout @ W).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.sum(axis=0)
'''),
    ("affine", "test_affine", "dW transposed (dout.T @ x)", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return (dout @ W.T).reshape(x.shape), dout.T @ x.reshape(len(x), -1), dout.sum(axis=0)
''', "transpose"),
    ("affine", "test_affine", "db as the mean over samples", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return (dout @ W.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, dout.mean(axis=0)
''', "MEAN"),
    ("affine", "test_affine", "forward forgets the bias", '''
def affine_forward(x, W, b):
    return x.reshape(x.shape[0], -1) @ W, (x, W, b)
''' + _AFFINE_BACKWARD, "bias is missing"),
    ("affine", "test_affine", "db = np.sum(dout), a number", _AFFINE_FORWARD + '''
def affine_backward(dout, cache):
    x, W, b = cache
    return (dout @ W.T).reshape(x.shape), x.reshape(len(x), -1).T @ dout, np.sum(dout)
''', "axis=0"),
    # ---- relu
    ("relu", "test_relu", "seed's relu_backward: writes into dout", _RELU_FORWARD + '''
def relu_backward(dout, cache):
    dh = dout
    dh[cache < 0] = 0
    return dh
''', "wrote into dout"),
    ("relu", "test_relu", "in place on a copy of the mask but still dout", _RELU_FORWARD + '''
def relu_backward(dout, cache):
    dout[cache <= 0] = 0
    return dout
''', "wrote into dout"),
    ("relu", "test_relu", "mask from dout > 0", _RELU_FORWARD + '''
def relu_backward(dout, cache):
    return dout * (dout > 0)
''', "mask comes from dout"),
    ("relu", "test_relu", "mask x >= 0: gradient passes at 0", _RELU_FORWARD + '''
def relu_backward(dout, cache):
    return np.where(cache >= 0, dout, 0.0)
''', "x = 0"),
    ("relu", "test_relu", "returns the mask without dout", _RELU_FORWARD + '''
def relu_backward(dout, cache):
    return (cache > 0).astype(float)
''', "mask (x > 0) itself"),
    ("relu", "test_relu", "forward zeroes x in place", '''
def relu_forward(x):
    x[x < 0] = 0
    return x, x
''' + _RELU_BACKWARD, "in place"),
    ("relu", "test_relu", "backward assigns into the cached x", _RELU_FORWARD + '''
def relu_backward(dout, cache):
    mask = cache
    mask[mask <= 0] = 0
    mask[mask > 0] = 1
    return dout * mask
''', "cache"),
    # ---- sigmoid
    ("sigmoid", "test_sigmoid", "backward without dout", _SIGMOID_FORWARD + '''
def sigmoid_backward(dout, cache):
    return cache * (1 - cache)
''', "dout is missing"),
    ("sigmoid", "test_sigmoid", "cache holds s, backward applies the sigmoid again", _SIGMOID_FORWARD + '''
def sigmoid_backward(dout, cache):
    s = 1 / (1 + np.exp(-cache))
    return dout * s * (1 - s)
''', "twice"),
    ("sigmoid", "test_sigmoid", "cache holds x, backward uses it as s", '''
def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)), x
''' + _SIGMOID_BACKWARD, "x where s"),
    ("sigmoid", "test_sigmoid", "unstable forward exp(x)/(1+exp(x)): nan at 1000", '''
def sigmoid_forward(x):
    s = np.exp(x) / (1 + np.exp(x))
    return s, s
''' + _SIGMOID_BACKWARD, "nan"),
    ("sigmoid", "test_sigmoid", "backward multiplies dout in place", _SIGMOID_FORWARD + '''
def sigmoid_backward(dout, cache):
    dout *= cache * (1 - cache)
    return dout
''', "in place"),
    ("sigmoid", "test_sigmoid", "s*(1+s)", _SIGMOID_FORWARD + '''
def sigmoid_backward(dout, cache):
    return dout * cache * (1 + cache)
''', "(1 + s)"),
    # ---- two_layer_net
    ("two_layer_net", "test_two_layer_net", "sum instead of mean: no 1/N", _NET_HEAD + '''
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
''' + _NET_TAIL, "MEAN"),
    ("two_layer_net", "test_two_layer_net", "mean loss but dscores without 1/N", _NET_HEAD + _STABLE_LOSS + '''
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
''' + _NET_TAIL, "1/N"),
    ("two_layer_net", "test_two_layer_net", "no max subtraction: nan for large scores", _NET_HEAD + '''
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
''' + _NET_TAIL, "largest score"),
    ("two_layer_net", "test_two_layer_net", "grads of W2 transposed", _NET_HEAD + _STABLE_LOSS + '''
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    da, dW2, db2 = affine_backward(dscores, c2)
    dh = relu_backward(da, cr)
    _, dW1, db1 = affine_backward(dh, c1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2.T, "b2": db2}
''', "transpose"),
    ("two_layer_net", "test_two_layer_net", "returns probabilities instead of logits", '''
def two_layer_net(X, params, y=None):
    h, c1 = affine_forward(X, params["W1"], params["b1"])
    a, cr = relu_forward(h)
    scores, c2 = affine_forward(a, params["W2"], params["b2"])
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    if y is None:
        return probs
    N = X.shape[0]
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
''' + _NET_TAIL, "logits"),
    ("two_layer_net", "test_two_layer_net", "forgets the -1 at the true class", _NET_HEAD + _STABLE_LOSS + '''
    dscores = probs / N
''' + _NET_TAIL, "-1 at the true class"),
    ("two_layer_net", "test_two_layer_net", "grads as a list", _NET_HEAD + _STABLE_LOSS + '''
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    da, dW2, db2 = affine_backward(dscores, c2)
    dh = relu_backward(da, cr)
    _, dW1, db1 = affine_backward(dh, c1)
    return loss, [dW1, db1, dW2, db2]
''', "dict"),
    ("two_layer_net", "test_two_layer_net", "no ReLU in the hidden layer", '''
def two_layer_net(X, params, y=None):
    h, c1 = affine_forward(X, params["W1"], params["b1"])
    scores, c2 = affine_forward(h, params["W2"], params["b2"])
    if y is None:
        return scores
    N = X.shape[0]
''' + _STABLE_LOSS + '''
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    dh, dW2, db2 = affine_backward(dscores, c2)
    _, dW1, db1 = affine_backward(dh, c1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
''', "ReLU is missing"),
    # ---- train_xor
    ("train_xor", "test_train_xor", "gradient ascent: += lr * grad", _xor(update="v[k] = 0.9 * v[k] + 0.5 * grads[k]"),
     "uphill"),
    ("train_xor", "test_train_xor", "no momentum: stuck below 100 % after 2000 iterations",
     _xor(update="v[k] = -0.5 * grads[k]"), "no momentum"),
    ("train_xor", "test_train_xor", "seed's bias gradient not summed over the samples",
     _xor(db="grads[f'b{k}'] = dz"), "summed over the samples"),
    ("train_xor", "test_train_xor", "losses hold the squared error", _xor(loss_line="losses.append(np.mean((a - y) ** 2))"),
     "MEAN binary cross-entropy"),
    # no phrase: an unseeded start may also miss 100 %, and then that message comes first (both are right)
    ("train_xor", "test_train_xor", "unseeded generator", _xor(rng="rng = np.random.default_rng()")),
    ("train_xor", "test_train_xor", "summed cross-entropy without 1/N in gradient and loss",
     _xor(loss_line="losses.append(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))", dz3="dz = a - y")),
    ("train_xor", "test_train_xor", "output sigmoid slope applied twice (dz3 = (p - y) p (1 - p) / N), 200 iterations",
     _xor(dz3="dz = (a - y) * a * (1 - a) / N", iterations=200)),
    # ---- added with the checks of issue 12: each passed the visible test before (most also the hidden one)
    ("relative_error", "test_relative_error", "divides by |a + b|: wrong where signs differ (hidden only before)", '''
def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b) / np.maximum(np.abs(a + b), 1e-8))
''', "opposite signs"),
    ("affine", "test_affine", "backward flattens x inside its list cache (silent before)", '''
def affine_forward(x, W, b):
    return x.reshape(x.shape[0], -1) @ W + b, [x, W, b]

def affine_backward(dout, cache):
    x, W, b = cache
    cache[0] = x.reshape(x.shape[0], -1)
    return (dout @ W.T).reshape(x.shape), cache[0].T @ dout, dout.sum(axis=0)
''', "cache"),
    ("relu", "test_relu", "backward turns a copied cache into dx (hidden only before)", '''
def relu_forward(x):
    return np.maximum(x, 0), x.copy()

def relu_backward(dout, cache):
    dx = cache
    dx[dx > 0] = 1
    dx[dx <= 0] = 0
    dx *= dout
    return dx
''', "changed its cache"),
    ("sigmoid", "test_sigmoid", "backward multiplies its cache, the forward output, in place (silent before)",
     _SIGMOID_FORWARD + '''
def sigmoid_backward(dout, cache):
    s = cache
    s *= 1 - s
    return dout * s
''', "in place"),
    ("two_layer_net", "test_two_layer_net", "softmax shifted by the largest score of the whole batch (silent before)",
     _NET_HEAD + '''
    shifted = scores - scores.max()
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
''' + _NET_TAIL, "whole batch"),
    ("two_layer_net", "test_two_layer_net", "stable loss, gradient from an unshifted exp (silent before)",
     _NET_HEAD + _STABLE_LOSS + '''
    dscores = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    dscores[np.arange(N), y] -= 1
    dscores /= N
''' + _NET_TAIL, "overflows"),
    ("train_xor", "test_train_xor", "loss recorded after the update (silent before)",
     _xor(loss_line="pass", after_update='''a2 = X
        for k in range(1, 4):
            a2 = 1 / (1 + np.exp(-(a2 @ params[f"W{k}"] + params[f"b{k}"])))
        p2 = np.clip(a2, 1e-12, 1 - 1e-12)
        losses.append(-np.mean(y * np.log(p2) + (1 - y) * np.log(1 - p2)))'''), "AFTER"),
    ("train_xor", "test_train_xor", "mean loss, gradient without the 1/N", _xor(dz3="dz = a - y"), "1/N"),
    # ---- the course's reference instead of an own answer: flagged visibly, no points
    ("relative_error", "test_relative_error", "reference imported under another name", '''
import dlcourse.gradcheck as gc

def relative_error(a, b):
    return gc.relative_error(a, b)
''', "uses the course's reference"),
    ("affine", "test_affine", "reference forward as an alias", '''
import dlcourse.layers
affine_forward = dlcourse.layers.affine_forward
''' + _AFFINE_BACKWARD, "uses the course's reference"),
    ("relu", "test_relu", "a wrapper around the reference backward", _RELU_FORWARD + '''
from dlcourse import layers

def relu_backward(dout, cache):
    return layers.relu_backward(dout, cache)
''', "uses the course's reference"),
    ("sigmoid", "test_sigmoid", "functools.partial of the reference backward", _SIGMOID_FORWARD + '''
import functools
import dlcourse.layers
sigmoid_backward = functools.partial(dlcourse.layers.sigmoid_backward)
''', "uses the course's reference"),
    ("two_layer_net", "test_two_layer_net", "the reference imported inside the function", '''
def two_layer_net(X, params, y=None):
    from dlcourse.network import two_layer_net as net
    return net(X, params, y)
''', "uses the course's reference"),
    ("train_xor", "test_train_xor", "a wrapper around the package's trainer", '''
def train_xor(seed=0):
    return network.train_xor(seed)
''', "uses the course's reference"),
]

RIGHT = [
    # own cache formats across exercises (graded 0 before: the hidden tests put the reference layers in)
    ("relu", "cache is the mask itself", '''
def relu_forward(x):
    mask = x > 0
    return x * mask, mask

def relu_backward(dout, cache):
    return dout * cache
'''),
    ("two_layer_net", "own ReLU caching the mask, used directly in the net (graded 0 before)", '''
def relu_forward(x):
    mask = x > 0
    return x * mask, mask

def relu_backward(dout, cache):
    return dout * cache

def two_layer_net(X, params, y=None):
    h, c1 = affine_forward(X, params["W1"], params["b1"])
    a, mask = relu_forward(h)
    scores, c2 = affine_forward(a, params["W2"], params["b2"])
    if y is None:
        return scores
    N = X.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(N), y].mean()
    dscores = np.exp(log_p)
    dscores[np.arange(N), y] -= 1
    dscores /= N
    da, dW2, db2 = affine_backward(dscores, c2)
    _, dW1, db1 = affine_backward(da * mask, c1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
'''),
    ("train_xor", "own sigmoid caching x, the cache read as x in the net (graded 0 before)", '''
def sigmoid_forward(x):
    return 0.5 * (1 + np.tanh(0.5 * x)), x

def sigmoid_backward(dout, cache):
    s = 0.5 * (1 + np.tanh(0.5 * cache))
    return dout * s * (1 - s)

def train_xor(seed=0):
    X, y = datasets.xor_diagonals()
    y = y[:, None].astype(float)
    N = len(X)
    rng = np.random.default_rng(seed)
    params = {}
    for k, (n_in, n_out) in enumerate([(2, 3), (3, 3), (3, 1)], start=1):
        params[f"W{k}"] = rng.normal(0.0, 1.0, size=(n_in, n_out))
        params[f"b{k}"] = np.zeros(n_out)
    velocity = {k: np.zeros_like(p) for k, p in params.items()}
    losses = np.empty(2000)
    for it in range(2000):
        a, caches = X, []
        for k in (1, 2, 3):
            z, affine_cache = affine_forward(a, params[f"W{k}"], params[f"b{k}"])
            a, z_cache = sigmoid_forward(z)
            caches.append((affine_cache, z_cache))
        p = np.clip(a, 1e-12, 1 - 1e-12)
        losses[it] = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        grads = {}
        dz = (a - y) / N
        for k in (3, 2, 1):
            affine_cache, z_cache = caches[k - 1]
            da, grads[f"W{k}"], grads[f"b{k}"] = affine_backward(dz, affine_cache)
            if k > 1:
                s = 0.5 * (1 + np.tanh(0.5 * caches[k - 2][1]))   # the cache holds z: the slope from it
                dz = da * s * (1 - s)
        for k in params:
            velocity[k] = 0.9 * velocity[k] - 0.5 * grads[k]
            params[k] += velocity[k]
    return params, losses
'''),
    ("relative_error", "np.fmax floor and a ravelled maximum", '''
def relative_error(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return float((np.abs(a - b) / np.fmax(np.abs(a) + np.abs(b), 1e-8)).max())
'''),
    ("relative_error", "np.divide with where, max over a flattened array", '''
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    num = np.abs(a - b).ravel()
    den = np.maximum(np.abs(a).ravel() + np.abs(b).ravel(), 1e-8)
    return np.max(num / den)
'''),
    ("affine", "np.dot, cache keeps the shape, float64 copies", '''
def affine_forward(x, W, b):
    N = x.shape[0]
    out = np.dot(x.reshape(N, -1), W) + b
    return out, (x.shape, x.reshape(N, -1).copy(), W, b)

def affine_backward(dout, cache):
    shape, x_flat, W, b = cache
    dx = np.dot(dout, W.T).reshape(shape)
    dW = np.dot(x_flat.T, dout)
    db = np.sum(dout, axis=0)
    return dx, dW, db
'''),
    ("relu", "cache is the output; copy then zero", '''
def relu_forward(x):
    out = x * (x > 0)
    return out, out

def relu_backward(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx
'''),
    ("sigmoid", "cache is x; sigmoid through tanh", '''
def sigmoid_forward(x):
    return 0.5 * (1 + np.tanh(0.5 * x)), x

def sigmoid_backward(dout, cache):
    s = 0.5 * (1 + np.tanh(0.5 * cache))
    return dout * s * (1 - s)
'''),
    ("two_layer_net", "inline NumPy with log-sum-exp and one-hot", '''
def two_layer_net(X, params, y=None):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h = X @ W1 + b1
    a = np.maximum(0, h)
    scores = a @ W2 + b2
    if y is None:
        return scores
    N, C = scores.shape
    m = scores.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(scores - m), axis=1))
    loss = np.mean(lse - scores[np.arange(N), y])
    onehot = np.eye(C)[y]
    dscores = (np.exp(scores - m) / np.exp(scores - m).sum(axis=1, keepdims=True) - onehot) / N
    dh = (dscores @ W2.T) * (h > 0)
    return loss, {"W1": X.T @ dh, "b1": dh.sum(0), "W2": a.T @ dscores, "b2": dscores.sum(0)}
'''),
    ("train_xor", "written with its own loops, losses as a list", _xor()),
]

VISIBLE_MISSES = {}
