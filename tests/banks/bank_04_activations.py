"""Right and wrong answers for lesson 04 · Activation functions (nbgrader round trip, visible tests).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source)
RIGHT: (answer cell grade_id, description, replacement source)
VISIBLE_MISSES: {description: reason} for wrong answers only the hidden tests catch (none here).

The answer cells `relu` and `leaky_relu` each hold two functions (each graded by its own test
cell); a replacement source replaces the whole cell, so it carries a right version of the other
function.
"""

_RELU_OK = '''
def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)
'''
_RELU_GRAD_OK = '''
def relu_grad(z):
    return (np.asarray(z) > 0).astype(float)
'''
_LEAKY_OK = '''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)
'''
_LEAKY_GRAD_OK = '''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, 1.0, float(alpha))
'''


def _relu(body: str) -> str:
    """A relu cell with this relu and the right relu_grad."""
    return "import numpy as np\n" + body + _RELU_GRAD_OK


def _relu_grad(body: str) -> str:
    """A relu cell with the right relu and this relu_grad."""
    return "import numpy as np\n" + _RELU_OK + body


def _leaky(body: str) -> str:
    return "import numpy as np\n" + body + _LEAKY_GRAD_OK


def _leaky_grad(body: str) -> str:
    return "import numpy as np\n" + _LEAKY_OK + body


WRONG = [
    # ---- collapse_linear
    ("collapse_linear", "test_collapse_linear", "V = U @ W: product in the wrong order", '''\
def collapse_linear(W, b, U, c):
    return U @ W, b @ U + c
'''),
    ("collapse_linear", "test_collapse_linear", "d = b + c: first bias not passed through U", '''\
def collapse_linear(W, b, U, c):
    return W @ U, b + c
'''),
    ("collapse_linear", "test_collapse_linear", "d = c: first bias forgotten", '''\
def collapse_linear(W, b, U, c):
    return W @ U, c
'''),
    ("collapse_linear", "test_collapse_linear", "d = b @ U: second bias forgotten", '''\
def collapse_linear(W, b, U, c):
    return W @ U, b @ U
'''),
    ("collapse_linear", "test_collapse_linear", "V = W * U: elementwise product", '''\
def collapse_linear(W, b, U, c):
    return W * U, b @ U + c
'''),
    ("collapse_linear", "test_collapse_linear", "d = U @ b + c: bias as a column", '''\
def collapse_linear(W, b, U, c):
    return W @ U, U @ b + c
'''),
    ("collapse_linear", "test_collapse_linear", "transposed: V = U.T @ W.T of shape (K, D)", '''\
def collapse_linear(W, b, U, c):
    return U.T @ W.T, U.T @ b + c
'''),
    ("collapse_linear", "test_collapse_linear", "d kept 2-D: shape (1, K)", '''\
def collapse_linear(W, b, U, c):
    return W @ U, b.reshape(1, -1) @ U + c
'''),
    ("collapse_linear", "test_collapse_linear", "returns only V", '''\
def collapse_linear(W, b, U, c):
    return W @ U
'''),
    ("collapse_linear", "test_collapse_linear", "adds c into b in place", '''\
def collapse_linear(W, b, U, c):
    V = W @ U
    c += b @ U
    return V, c
'''),
    # ---- tanh_grad
    ("tanh_grad", "test_tanh_grad", "1 - tanh(z): square missing", '''\
import numpy as np
def tanh_grad(z):
    return 1 - np.tanh(z)
'''),
    ("tanh_grad", "test_tanh_grad", "1 - z**2: formula applied to z", '''\
import numpy as np
def tanh_grad(z):
    return 1 - np.asarray(z, dtype=float) ** 2
'''),
    ("tanh_grad", "test_tanh_grad", "tanh(z)**2 - 1: sign flipped", '''\
import numpy as np
def tanh_grad(z):
    return np.tanh(z) ** 2 - 1
'''),
    ("tanh_grad", "test_tanh_grad", "1/cosh(z): square missing", '''\
import numpy as np
def tanh_grad(z):
    return 1 / np.cosh(z)
'''),
    ("tanh_grad", "test_tanh_grad", "tanh written with exp: nan at z = 1000", '''\
import numpy as np
def tanh_grad(z):
    z = np.asarray(z, dtype=float)
    t = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    return 1 - t ** 2
'''),
    ("tanh_grad", "test_tanh_grad", "math.tanh: numbers only", '''\
import math
def tanh_grad(z):
    return 1 - math.tanh(z) ** 2
'''),
    ("tanh_grad", "test_tanh_grad", "sigmoid's slope instead of tanh's", '''\
import numpy as np
def tanh_grad(z):
    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return s * (1 - s)
'''),
    ("tanh_grad", "test_tanh_grad", "squares z in place", '''\
import numpy as np
def tanh_grad(z):
    t = np.tanh(z)
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        np.multiply(t, t, out=z)
        return 1 - z
    return 1 - t ** 2
'''),
    # ---- relu
    ("relu", "test_relu", "np.max instead of np.maximum", _relu('''
def relu(z):
    return np.max(z, 0)
''')),
    ("relu", "test_relu", "z[z < 0] = 0 in place", _relu('''
def relu(z):
    z[z < 0] = 0
    return z
''')),
    ("relu", "test_relu", "np.maximum(z, 0) keeps integers", _relu('''
def relu(z):
    return np.maximum(z, 0)
''')),
    ("relu", "test_relu", "np.minimum: the negative part", _relu('''
def relu(z):
    return np.minimum(np.asarray(z, dtype=float), 0.0)
''')),
    ("relu", "test_relu", "np.abs(z)", _relu('''
def relu(z):
    return np.abs(np.asarray(z, dtype=float))
''')),
    ("relu", "test_relu", "Python max on one number at a time", _relu('''
def relu(z):
    return max(z, 0.0)
''')),
    ("relu", "test_relu", "list comprehension: returns a list", _relu('''
def relu(z):
    return [max(v, 0.0) for v in np.ravel(z)]
''')),
    # ---- relu_grad
    ("relu", "test_relu_grad", "returns relu(z) instead of its slope", _relu_grad('''
def relu_grad(z):
    return relu(z)
''')),
    ("relu", "test_relu_grad", "boolean array z > 0", _relu_grad('''
def relu_grad(z):
    return np.asarray(z) > 0
''')),
    ("relu", "test_relu_grad", "z >= 0: slope 1 at z = 0", _relu_grad('''
def relu_grad(z):
    return (np.asarray(z) >= 0).astype(float)
''')),
    ("relu", "test_relu_grad", "np.where(z > 0, 1, 0): integers", _relu_grad('''
def relu_grad(z):
    return np.where(np.asarray(z) > 0, 1, 0)
''')),
    ("relu", "test_relu_grad", "np.sign(z)", _relu_grad('''
def relu_grad(z):
    return np.sign(np.asarray(z, dtype=float))
''')),
    ("relu", "test_relu_grad", "sets z in place to 0/1", _relu_grad('''
def relu_grad(z):
    z = np.asarray(z, dtype=float)
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z
''')),
    ("relu", "test_relu_grad", "(z > 0).astype(float) without asarray: fails for numbers", _relu_grad('''
def relu_grad(z):
    return (z > 0).astype(float)
''')),
    # ---- leaky_relu
    ("leaky_relu", "test_leaky_relu", "ignores alpha: 0.01 hard-coded", _leaky('''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.01 * z)
''')),
    ("leaky_relu", "test_leaky_relu", "alpha * z for z > 0: branches swapped", _leaky('''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, alpha * z, z)
''')),
    ("leaky_relu", "test_leaky_relu", "alpha * z everywhere", _leaky('''
def leaky_relu(z, alpha=0.01):
    return alpha * np.asarray(z, dtype=float)
''')),
    ("leaky_relu", "test_leaky_relu", "np.maximum(z, alpha)", _leaky('''
def leaky_relu(z, alpha=0.01):
    return np.maximum(np.asarray(z, dtype=float), alpha)
''')),
    ("leaky_relu", "test_leaky_relu", "default alpha 0.1", _leaky('''
def leaky_relu(z, alpha=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)
''')),
    ("leaky_relu", "test_leaky_relu", "scales negative entries in place", _leaky('''
def leaky_relu(z, alpha=0.01):
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        z[z < 0] *= alpha
        return z
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)
''')),
    # ---- leaky_relu_grad
    ("leaky_relu", "test_leaky_relu_grad", "ignores alpha: relu's slope 0", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    return (np.asarray(z) > 0).astype(float)
''')),
    ("leaky_relu", "test_leaky_relu_grad", "alpha hard-coded 0.01", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, 1.0, 0.01)
''')),
    ("leaky_relu", "test_leaky_relu_grad", "z >= 0: slope 1 at z = 0", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z) >= 0, 1.0, alpha)
''')),
    ("leaky_relu", "test_leaky_relu_grad", "returns leaky_relu(z)", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    return leaky_relu(z, alpha)
''')),
    ("leaky_relu", "test_leaky_relu_grad", "alpha * z for negative z", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha * z)
''')),
    ("leaky_relu", "test_leaky_relu_grad", "branches swapped: alpha for z > 0", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, alpha, 1.0)
''')),
    # ---- softmax
    ("softmax", "test_softmax", "naive: exp(z) / sum(exp(z)) over the last axis, nan for large scores", '''\
import numpy as np
def softmax(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    ("softmax", "test_softmax", "normalizes over axis 0", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
'''),
    ("softmax", "test_softmax", "normalizes over the whole array (seed's version without in-place)", '''\
import numpy as np
def softmax(z):
    z = z - np.max(z)
    return np.exp(z) / np.sum(np.exp(z))
'''),
    ("softmax", "test_softmax", "seed's version: z -= np.max(z) in place", '''\
import numpy as np
def softmax(z):
    z -= np.max(z, axis=-1, keepdims=True)
    return np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)
'''),
    ("softmax", "test_softmax", "no keepdims: broadcast error on a batch", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1))
    return e / np.sum(e, axis=-1)
'''),
    ("softmax", "test_softmax", "axis=1: fails on 1-D, wrong on 3-D", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
'''),
    ("softmax", "test_softmax", "global max but row sums: nan for rows far below the max", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    ("softmax", "test_softmax", "subtracts the mean: overflow for spread-out scores", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.mean(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    ("softmax", "test_softmax", "no exp: z / sum(z)", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    return z / np.sum(z, axis=-1, keepdims=True)
'''),
    # ---- the course's reference, reached from the answer (every route must fail visibly)
    ("softmax", "test_softmax", "a wrapper around the package's softmax", '''\
from dlcourse import layers
def softmax(z):
    return layers.softmax(z)
''', "uses the course's reference"),
    ("relu", "test_relu", "an alias of the package's relu", _relu('''
from dlcourse.layers import relu
'''), "uses the course's reference"),
    ("tanh_grad", "test_tanh_grad", "functools.partial of the package's tanh_grad", '''\
import functools
from dlcourse import layers
tanh_grad = functools.partial(layers.tanh_grad)
''', "uses the course's reference"),
    ("leaky_relu", "test_leaky_relu_grad", "an import inside leaky_relu_grad", _leaky_grad('''
def leaky_relu_grad(z, alpha=0.01):
    from dlcourse.layers import leaky_relu_grad as slope
    return slope(z, alpha)
'''), "uses the course's reference"),
    ("collapse_linear", "test_collapse_linear", "the checks module's collapse, imported under another name", '''\
import dlcourse.checks.activations as helpers
def collapse_linear(W, b, U, c):
    return helpers.collapse_reference(W, b, U, c)
''', "uses the course's reference"),
    ("relu", "test_relu_grad", "relu_grad through a helper that calls the package", _relu_grad('''
import dlcourse.layers as L
def slope_of(z):
    return L.relu_grad(z)
def relu_grad(z):
    return slope_of(z)
'''), "uses the course's reference"),
    # ---- mistakes named since the checks were rebuilt
    ("leaky_relu", "test_leaky_relu", "a constant -alpha on the negative side (the seed's 'negative bias')", _leaky('''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, -alpha)
'''), "no constant"),
    ("softmax", "test_softmax", "global max with an epsilon in the denominator: zeros for rows far below", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / (e.sum(axis=-1, keepdims=True) + 1e-12)
''', "WHOLE array"),
    ("softmax", "test_softmax", "global max but row sums: nan for rows far below the max (named)", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z)
    return np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True)
''', "its own largest score"),
]

RIGHT = [
    ("collapse_linear", "np.dot, and c + ... in the other order", '''\
import numpy as np
def collapse_linear(W, b, U, c):
    return np.dot(W, U), c + np.dot(b, U)
'''),
    ("collapse_linear", "from the network itself: d = f(0), rows of V = f(e_i) - d", '''\
import numpy as np
def collapse_linear(W, b, U, c):
    f = lambda x: (x @ W + b) @ U + c
    d = f(np.zeros(W.shape[0]))
    V = f(np.eye(W.shape[0])) - d
    return V, d
'''),
    ("collapse_linear", "returns a list [V, d] with einsum", '''\
import numpy as np
def collapse_linear(W, b, U, c):
    return [np.einsum("dh,hk->dk", W, U), np.einsum("h,hk->k", b, U) + c]
'''),
    ("tanh_grad", "1 / cosh(z)**2 under errstate", '''\
import numpy as np
def tanh_grad(z):
    with np.errstate(over="ignore"):
        return 1.0 / np.cosh(np.asarray(z, dtype=float)) ** 2
'''),
    ("tanh_grad", "(1 - t)(1 + t)", '''\
import numpy as np
def tanh_grad(z):
    t = np.tanh(z)
    return (1 - t) * (1 + t)
'''),
    ("relu", "z * (z > 0) after a float conversion; np.heaviside for the slope",
     "import numpy as np\n" + '''
def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)

def relu_grad(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)
'''),
    ("relu", "np.where for both, with copies", "import numpy as np\n" + '''
def relu(z):
    z = np.array(z, dtype=float)
    return np.where(z > 0, z, 0.0)

def relu_grad(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)
'''),
    ("relu", "clip and a float multiplication", "import numpy as np\n" + '''
def relu(z):
    return np.clip(z, 0.0, None)

def relu_grad(z):
    return 1.0 * (np.asarray(z) > 0)
'''),
    ("leaky_relu", "np.maximum(alpha * z, z) and an arithmetic slope", "import numpy as np\n" + '''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(alpha * z, z)

def leaky_relu_grad(z, alpha=0.01):
    positive = (np.asarray(z) > 0).astype(float)
    return positive + alpha * (1.0 - positive)
'''),
    ("leaky_relu", "positive part plus alpha times negative part", "import numpy as np\n" + '''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + alpha * np.minimum(z, 0.0)

def leaky_relu_grad(z, alpha=0.01):
    g = np.ones(np.shape(z))
    g[np.asarray(z) <= 0] = alpha
    return g if np.ndim(z) else float(g)
'''),
    ("softmax", "copy, then in-place shift on the copy", '''\
import numpy as np
def softmax(z):
    z = np.array(z, dtype=float)
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z
'''),
    ("softmax", "log-sum-exp with np.logaddexp.reduce", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z - np.logaddexp.reduce(z, axis=-1, keepdims=True))
'''),
    ("softmax", "reshape to 2-D rows, then back", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float)
    rows = z.reshape(-1, z.shape[-1])
    m = rows.max(axis=1)[:, None]
    e = np.exp(rows - m)
    return (e / e.sum(axis=1)[:, None]).reshape(z.shape)
'''),
    ("softmax", "transposes: axis 0 of z.T is the last axis of z, for any shape", '''\
import numpy as np
def softmax(z):
    z = np.asarray(z, dtype=float).T
    e = np.exp(z - z.max(axis=0))
    return (e / e.sum(axis=0)).T
'''),
    ("tanh_grad", "from lesson 01's sigmoid slope, imported from the package: tanh'(z) = 4 sigmoid'(2z)", '''\
import numpy as np
from dlcourse.layers import sigmoid_grad
def tanh_grad(z):
    return 4.0 * sigmoid_grad(2.0 * np.asarray(z, dtype=float))
'''),
    ("relu", "relu_grad built on the student's own relu", "import numpy as np\n" + '''
def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)

def relu_grad(z):
    return (relu(z) > 0).astype(float)
'''),
    ("leaky_relu", "leaky ReLU from the student's own relu: relu(z) - alpha relu(-z)", "import numpy as np\n" + '''
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return relu(z) - alpha * relu(-z)

def leaky_relu_grad(z, alpha=0.01):
    return relu_grad(z) + alpha * (1.0 - relu_grad(z))
'''),
]

VISIBLE_MISSES: dict[str, str] = {}
