"""Right and wrong answers for lesson 01 · A single sigmoid node (nbgrader round trip).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, replacement source)
RIGHT: (answer cell grade_id, description, replacement source)

With one WRONG entry substituted into the solution notebook, only the named test cell may
fail; with one RIGHT entry, every test cell passes.
"""

WRONG = [
    # ---- sigmoid
    ("sigmoid", "test_sigmoid", "sign of the exponent flipped: 1/(1+exp(z))", '''\
import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(z))
'''),
    ("sigmoid", "test_sigmoid", "unstable exp(z)/(1+exp(z)): nan at z = 1000", '''\
import numpy as np
def sigmoid(z):
    return np.exp(z) / (1 + np.exp(z))
'''),
    ("sigmoid", "test_sigmoid", "returns a Python list", '''\
import numpy as np
def sigmoid(z):
    return [1 / (1 + np.exp(-v)) for v in np.ravel(z)]
'''),
    ("sigmoid", "test_sigmoid", "operator precedence: 1/1 + exp(-z)", '''\
import numpy as np
def sigmoid(z):
    return 1/1 + np.exp(-z)
'''),
    ("sigmoid", "test_sigmoid", "math.exp: works for numbers only", '''\
import math
def sigmoid(z):
    return 1 / (1 + math.exp(-z))
'''),
    ("sigmoid", "test_sigmoid", "clips z to [-10, 10] against overflow: sigmoid(-1000) is 4.5e-5, not 0", '''\
import numpy as np
def sigmoid(z):
    z = np.clip(z, -10, 10)
    return 1 / (1 + np.exp(-z))
'''),
    ("sigmoid", "test_sigmoid", "negates its input in place", '''\
import numpy as np
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    z *= -1
    return 1 / (1 + np.exp(z))
'''),
    ("sigmoid", "test_sigmoid", "stable form with the branches swapped", '''\
import numpy as np
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
'''),
    # ---- sigmoid_grad
    ("sigmoid_grad", "test_sigmoid_grad", "s*(1 + s) instead of s*(1 - s)", '''\
def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 + s)
'''),
    ("sigmoid_grad", "test_sigmoid_grad", "z*(1 - z): the formula applied to z instead of sigmoid(z)", '''\
def sigmoid_grad(z):
    return z * (1 - z)
'''),
    ("sigmoid_grad", "test_sigmoid_grad", "exp(-z)/(1+exp(-z))**2: nan at z = -1000", '''\
import numpy as np
def sigmoid_grad(z):
    e = np.exp(-np.asarray(z, dtype=float))
    return e / (1 + e) ** 2
'''),
    ("sigmoid_grad", "test_sigmoid_grad", "returns sigmoid(z) itself", '''\
def sigmoid_grad(z):
    return sigmoid(z)
'''),
    ("sigmoid_grad", "test_sigmoid_grad", "sign flipped: -s*(1 - s)", '''\
def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (s - 1)
'''),
    # ---- node_output
    ("node_output", "test_node_output", "forgets the bias", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(x @ w)
'''),
    ("node_output", "test_node_output", "elementwise x * w, never summed", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(x * w + b)
'''),
    ("node_output", "test_node_output", "bias added to every product before the sum", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(np.sum(x * w + b, axis=-1))
'''),
    ("node_output", "test_node_output", "returns z, no sigmoid", '''\
import numpy as np
def node_output(x, w, b):
    return x @ w + b
'''),
    ("node_output", "test_node_output", "sums over axis 0 (the samples) instead of the inputs", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(np.sum(x * w, axis=0) + b)
'''),
    ("node_output", "test_node_output", "bias subtracted", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(x @ w - b)
'''),
    # ---- gates
    ("and_params", "test_and_params", "AND with OR's bias: computes OR", '''\
import numpy as np
AND_PARAMS = (np.array([20.0, 20.0]), -10.0)
'''),
    ("and_params", "test_and_params", "AND on the right side but without margin", '''\
import numpy as np
AND_PARAMS = (np.array([1.0, 1.0]), -1.1)
'''),
    ("and_params", "test_and_params", "bias packed into w: w of shape (3,)", '''\
import numpy as np
AND_PARAMS = (np.array([20.0, 20.0, -30.0]), 0.0)
'''),
    ("and_params", "test_and_params", "AND with NAND's parameters", '''\
import numpy as np
AND_PARAMS = (np.array([-20.0, -20.0]), 30.0)
'''),
    ("or_params", "test_or_params", "OR with AND's parameters", '''\
import numpy as np
OR_PARAMS = (np.array([20.0, 20.0]), -30.0)
'''),
    ("or_params", "test_or_params", "OR with bias 0: output 0.5 at (0, 0)", '''\
import numpy as np
OR_PARAMS = (np.array([5.0, 5.0]), 0.0)
'''),
    ("or_params", "test_or_params", "(b, w) in the wrong order", '''\
import numpy as np
OR_PARAMS = (-10.0, np.array([20.0, 20.0]))
'''),
    ("nand_params", "test_nand_params", "NAND with AND's parameters", '''\
import numpy as np
NAND_PARAMS = (np.array([20.0, 20.0]), -30.0)
'''),
    ("nand_params", "test_nand_params", "NAND with too small a bias: computes NOR", '''\
import numpy as np
NAND_PARAMS = (np.array([-20.0, -20.0]), 10.0)
'''),
    ("nand_params", "test_nand_params", "NAND with only the weights negated: computes nothing useful", '''\
import numpy as np
NAND_PARAMS = (np.array([-20.0, -20.0]), -30.0)
'''),
    # issue "a ✔ must mean the points": crashes that ended in a bare exception, mistakes named wrongly
    ("node_output", "test_node_output", "np.sum(x * w, axis=1): fails for one sample (AxisError)", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(np.sum(x * w, axis=1) + b)
''', "sums over the last axis"),
    ("node_output", "test_node_output", "np.dot(w, x): fails for a batch (ValueError)", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(np.dot(w, x) + b)
''', "X @ w with X of shape (N, D)"),
    ("sigmoid_grad", "test_sigmoid_grad", "the square forgotten: exp(-z)/(1+exp(-z)) = 1 - sigmoid(z)", '''\
import numpy as np
def sigmoid_grad(z):
    e = np.exp(-np.asarray(z, dtype=float))
    return e / (1 + e)
''', "square in the denominator"),
    ("sigmoid_grad", "test_sigmoid_grad", "s*(1 - z): one factor uses z", '''\
def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - z)
''', "both factors"),
]

RIGHT = [
    # ---- gates: a bias as a one-element array counts as that number, in the visible and hidden tests alike
    ("and_params", "bias as a one-element array np.array([-15.])", '''\
import numpy as np
AND_PARAMS = (np.array([10.0, 10.0]), np.array([-15.0]))
'''),
    ("or_params", "weights as a list, bias as a NumPy scalar", '''\
import numpy as np
OR_PARAMS = ([10.0, 10.0], np.float64(-5.0))
'''),
    # ---- sigmoid
    ("sigmoid", "textbook form 1/(1+exp(-z)) (right values, NumPy warns at -1000)", '''\
import numpy as np
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z)))
'''),
    ("sigmoid", "np.where-guarded exp (both branches evaluated)", '''\
import numpy as np
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
'''),
    ("sigmoid", "scipy.special.expit", '''\
from scipy.special import expit
def sigmoid(z):
    return expit(z)
'''),
    ("sigmoid", "tanh form 0.5*(1 + tanh(z/2))", '''\
import numpy as np
def sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z) / 2))
'''),
    ("sigmoid", "exp(-logaddexp(0, -z))", '''\
import numpy as np
def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
'''),
    ("sigmoid", "boolean masks on a copy, float for numbers", '''\
import numpy as np
def sigmoid(z):
    z = np.array(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return float(out) if out.ndim == 0 else out
'''),
    # ---- sigmoid_grad
    ("sigmoid_grad", "sigmoid(z) * (1 - sigmoid(z)), two calls", '''\
def sigmoid_grad(z):
    return sigmoid(z) * (1 - sigmoid(z))
'''),
    ("sigmoid_grad", "sigmoid(z) * sigmoid(-z)", '''\
import numpy as np
def sigmoid_grad(z):
    z = np.asarray(z)
    return sigmoid(z) * sigmoid(-z)
'''),
    ("sigmoid_grad", "via tanh: (1 - tanh(z/2)**2) / 4", '''\
import numpy as np
def sigmoid_grad(z):
    return 0.25 * (1 - np.tanh(np.asarray(z) / 2) ** 2)
'''),
    # ---- node_output
    ("node_output", "np.dot", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(np.dot(x, w) + b)
'''),
    ("node_output", "explicit sum over the last axis", '''\
import numpy as np
def node_output(x, w, b):
    return sigmoid(np.sum(np.asarray(x) * np.asarray(w), axis=-1) + b)
'''),
    ("node_output", "einsum, own logistic instead of sigmoid", '''\
import numpy as np
def node_output(x, w, b):
    z = np.einsum("...d,d->...", np.asarray(x, dtype=float), np.asarray(w, dtype=float)) + b
    return 0.5 * (1 + np.tanh(z / 2))
'''),
    # ---- gates
    ("and_params", "AND at a smaller scale", '''\
import numpy as np
AND_PARAMS = (np.array([1.0, 1.0]), -1.5)
'''),
    ("and_params", "AND with unequal weights", '''\
import numpy as np
AND_PARAMS = (np.array([3.0, 2.0]), -4.0)
'''),
    ("or_params", "OR at a smaller scale", '''\
import numpy as np
OR_PARAMS = (np.array([2.0, 2.0]), -1.0)
'''),
    ("or_params", "OR with integer weights and an integer bias", '''\
import numpy as np
OR_PARAMS = (np.array([6, 6]), -3)
'''),
    ("nand_params", "NAND at another scale", '''\
import numpy as np
NAND_PARAMS = (np.array([-5.0, -5.0]), 7.5)
'''),
    ("nand_params", "NAND with unequal weights", '''\
import numpy as np
NAND_PARAMS = (np.array([-2.0, -3.0]), 4.0)
'''),
]
