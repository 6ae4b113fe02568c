"""Right and wrong answers for lesson 02 (Hidden layers and XOR), for the nbgrader round-trip test.

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, full answer cell source)
RIGHT: (answer cell grade_id, description, full answer cell source); every test cell must still pass.
With a WRONG entry substituted, only the named test cell may fail.

A replacement source replaces the whole answer cell, so an entry of `xor_network` or `approximate_with_bumps`
may carry its own `dense_forward` or `bump`. The entries of issue 12 (a ✔ means the points) come last in
each list: RIGHT answers that use the student's own choices across exercises (a `dense_forward` with a
default activation, called without one; an activation or a height passed by a keyword of the student's
own naming), three of which lost their points when graded before, because the hidden tests put the
course's `dense_forward` or `bump` in first; and WRONG answers of `dense_forward` and `bump` that must
cost their own points only, the functions built on them being checked with the course's version in
their place (visibly too, with a note that names the function at fault).
"""

# ----------------------------------------------------------------------------- dense_forward

_DENSE_DOC = '''    """Output of a dense layer: activation(x @ W + b); x (N, D) or (D,), W (D, K), b (K,)."""
'''


def _dense(body):
    return "import numpy as np\n\ndef dense_forward(x, W, b, activation):\n" + _DENSE_DOC + body


# ----------------------------------------------------------------------------- xor_network

def _xor(body):
    return ("import numpy as np\n\ndef xor_network(x):\n"
            '    """A 2-2-1 sigmoid XOR network; x (N, 2) -> (N,), x (2,) -> a number."""\n' + body)


_XOR_SEED_WEIGHTS = """\
    W1 = np.array([[20.0, -20.0], [20.0, -20.0]])
    b1 = np.array([-10.0, 30.0])
    W2 = np.array([[20.0], [20.0]])
    b2 = np.array([-30.0])
"""

# ----------------------------------------------------------------------------- bump


def _bump(body):
    return ("import numpy as np\n\ndef bump(x, left, right, height, steepness=1000.0):\n"
            '    """height * (sigmoid(s (x - left)) - sigmoid(s (x - right))), same shape as x."""\n' + body)


# ----------------------------------------------------------------------------- approximate_with_bumps


def _approx(body):
    return ("import numpy as np\n\ndef approximate_with_bumps(f, x, n_bumps):\n"
            '    """Sum of n_bumps equal-width bumps of height f(midpoint) on [x.min(), x.max()]."""\n' + body)


WRONG = [
    # dense_forward
    ("dense_forward", "test_dense_forward", "forgets the bias b",
     _dense("    return activation(np.asarray(x, dtype=float) @ W)\n")),
    ("dense_forward", "test_dense_forward", "applies the activation to x before the weights",
     _dense("    return activation(np.asarray(x, dtype=float)) @ W + b\n")),
    ("dense_forward", "test_dense_forward", "applies the activation before adding the bias",
     _dense("    return activation(np.asarray(x, dtype=float) @ W) + b\n")),
    ("dense_forward", "test_dense_forward", "multiplies by W.T (weights of a node taken as a row)",
     _dense("    return activation(np.asarray(x, dtype=float) @ W.T + b)\n")),
    ("dense_forward", "test_dense_forward", "forgets the activation",
     _dense("    return np.asarray(x, dtype=float) @ W + b\n")),
    # xor_network
    ("xor_network", "test_xor_network", "hidden weights written one node per row (W1 transposed: one row wrong)",
     _xor("""\
    W1 = np.array([[20.0, 20.0], [-20.0, -20.0]])
    b1 = np.array([-10.0, 30.0])
    W2 = np.array([[20.0], [20.0]])
    b2 = np.array([-30.0])
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid)[..., 0]
""")),
    ("xor_network", "test_xor_network", "second row of W1 with the wrong signs",
     _xor("""\
    W1 = np.array([[20.0, -20.0], [-20.0, 20.0]])
    b1 = np.array([-10.0, 30.0])
    W2 = np.array([[20.0], [20.0]])
    b2 = np.array([-30.0])
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid)[..., 0]
""")),
    ("xor_network", "test_xor_network", "output node is an OR (bias -10) instead of an AND",
     _xor(_XOR_SEED_WEIGHTS.replace("b2 = np.array([-30.0])", "b2 = np.array([-10.0])") + """\
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid)[..., 0]
""")),
    ("xor_network", "test_xor_network", "returns an (N, 1) column instead of (N,)",
     _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid)
""")),
    ("xor_network", "test_xor_network", "single pair returns an array of shape (1,) (ravel)",
     _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid).ravel()
""")),
    ("xor_network", "test_xor_network", "no sigmoid on the output node",
     _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, identity)[..., 0]
""")),
    # DIFF_W1, DIFF_W2
    ("diff_weights", "test_diff_weights", "DIFF_W2 = [[-1], [1]]: computes x2 - x1",
     "import numpy as np\nDIFF_W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])\nDIFF_W2 = np.array([[-1.0], [1.0]])\n"),
    ("diff_weights", "test_diff_weights", "DIFF_W2 = [[1], [1]]: computes |x1 - x2| (the XOR net)",
     "import numpy as np\nDIFF_W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])\nDIFF_W2 = np.array([[1.0], [1.0]])\n"),
    ("diff_weights", "test_diff_weights", "both hidden nodes compute relu(x1 - x2) (rows and columns mixed up)",
     "import numpy as np\nDIFF_W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])\nDIFF_W2 = np.array([[1.0], [-1.0]])\n"),
    ("diff_weights", "test_diff_weights", "right function but weights outside {-1, 1}",
     "import numpy as np\nDIFF_W1 = np.array([[2.0, -2.0], [-2.0, 2.0]])\nDIFF_W2 = np.array([[0.5], [-0.5]])\n"),
    ("diff_weights", "test_diff_weights", "only one hidden node used (a zero weight): wrong for x1 < x2",
     "import numpy as np\nDIFF_W1 = np.array([[1.0, 0.0], [-1.0, 0.0]])\nDIFF_W2 = np.array([[1.0], [0.0]])\n"),
    # bump
    ("bump", "test_bump", "forgets the height",
     _bump("    x = np.asarray(x, dtype=float)\n"
           "    return sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right))\n")),
    ("bump", "test_bump", "a single step (forgot the second sigmoid)",
     _bump("    x = np.asarray(x, dtype=float)\n    return height * sigmoid(steepness * (x - left))\n")),
    ("bump", "test_bump", "sigmoids subtracted in the wrong order (negative bump)",
     _bump("    x = np.asarray(x, dtype=float)\n"
           "    return height * (sigmoid(steepness * (x - right)) - sigmoid(steepness * (x - left)))\n")),
    ("bump", "test_bump", "unstable sigmoid exp(z) / (1 + exp(z)): nan far to the right",
     _bump("    x = np.asarray(x, dtype=float)\n"
           "    a = np.exp(steepness * (x - left))\n"
           "    c = np.exp(steepness * (x - right))\n"
           "    return height * (a / (1 + a) - c / (1 + c))\n")),
    ("bump", "test_bump", "ignores the steepness argument (always 1000)",
     _bump("    x = np.asarray(x, dtype=float)\n"
           "    return height * (sigmoid(1000.0 * (x - left)) - sigmoid(1000.0 * (x - right)))\n")),
    # approximate_with_bumps
    ("approximate_with_bumps", "test_approximate_with_bumps", "n_bumps - 1 pieces (linspace with n_bumps points)",
     _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps)
    total = np.zeros(x.shape)
    for a, b in zip(edges[:-1], edges[1:]):
        total = total + bump(x, a, b, f((a + b) / 2))
    return total
""")),
    ("approximate_with_bumps", "test_approximate_with_bumps", "heights f(left edge) instead of f(midpoint)",
     _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    total = np.zeros(x.shape)
    for a, b in zip(edges[:-1], edges[1:]):
        total = total + bump(x, a, b, f(a))
    return total
""")),
    ("approximate_with_bumps", "test_approximate_with_bumps", "returns the list of bumps instead of their sum",
     _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    return [bump(x, a, b, f((a + b) / 2)) for a, b in zip(edges[:-1], edges[1:])]
""")),
    ("approximate_with_bumps", "test_approximate_with_bumps", "np.zeros_like(x) accumulator: fails for integer x",
     _approx("""\
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    total = np.zeros_like(x)
    for a, b in zip(edges[:-1], edges[1:]):
        total += bump(x, a, b, f((a + b) / 2))
    return total
""")),
    ("approximate_with_bumps", "test_approximate_with_bumps", "pieces over [0, 1] instead of [x.min(), x.max()]",
     _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bumps + 1)
    total = np.zeros(x.shape)
    for a, b in zip(edges[:-1], edges[1:]):
        total = total + bump(x, a, b, f((a + b) / 2))
    return total
""")),
    # issue "a ✔ must mean the points": each of these passed a visible test (or crashed it) before
    ("xor_network", "test_xor_network", "out[:, 0]: fails for a single pair (the pitfall the text warns about)",
     _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1, sigmoid)
    out = dense_forward(h, W2, b2, sigmoid)
    return out[:, 0]
"""), "out[..., 0]"),
    ("xor_network", "test_xor_network", "squeezes every axis: a batch of one row gives a number, not shape (1,)",
     _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1, sigmoid)
    return np.squeeze(dense_forward(h, W2, b2, sigmoid))
"""), "also for N = 1"),
    # issue 12 §1: ReLU layers are right on the four corners and passed every visible test before;
    # the hidden test's check that a sigmoid output stays in [0, 1] took the points
    ("xor_network", "test_xor_network", "ReLU hidden layer and a linear output node: |x1 - x2| (section 3's net)",
     _xor("""\
    W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])
    h = dense_forward(x, W1, np.zeros(2), relu)
    return dense_forward(h, np.array([[1.0], [1.0]]), np.zeros(1), identity)[..., 0]
"""), "sigmoid activations in both layers"),
    ("xor_network", "test_xor_network", "ReLU in both layers: relu(relu(x1 - x2) + relu(x2 - x1))",
     _xor("""\
    h = dense_forward(x, np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2), relu)
    out = dense_forward(h, np.array([[1.0], [1.0]]), np.zeros(1), relu)
    return out[..., 0]
"""), "between 0 and 1"),
    ("approximate_with_bumps", "test_approximate_with_bumps",
     "height = average of f at the two ends of a piece (equals f(midpoint) only on a straight line)",
     _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    total = np.zeros(x.shape)
    for left, right in zip(edges[:-1], edges[1:]):
        total = total + bump(x, left, right, (f(left) + f(right)) / 2)
    return total
"""), "AVERAGE"),
    # one mistake costs its points once: xor_network and approximate_with_bumps keep theirs while the function
    # they build on is unfinished (checked with the course's version in its place, visibly and when graded)
    ("dense_forward", "test_dense_forward", "left as the stub (xor_network, which uses it, keeps its points)",
     _dense("    raise NotImplementedError()\n"), "not written yet"),
    ("dense_forward", "test_dense_forward", "returns x @ W + b as a list of rows (xor_network keeps its points)",
     _dense("    return [list(activation(np.asarray(row, dtype=float) @ W + b)) for row in np.atleast_2d(x)]\n")),
    ("bump", "test_bump", "left as the stub (approximate_with_bumps, which uses it, keeps its points)",
     _bump("    raise NotImplementedError()\n"), "not written yet"),
    ("bump", "test_bump", "abs(height): a negative height gives a bump, not a dip (approximate_with_bumps keeps its points)",
     _bump("    x = np.asarray(x, dtype=float)\n"
           "    return abs(height) * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))\n"), "dip"),
    # the package's reference of a function graded here is out of reach, by any route; only the exercise at
    # fault loses its points (the exercises built on it are checked with the course's version in its place)
    ("dense_forward", "test_dense_forward", "a wrapper around the package's dense_forward",
     "from dlcourse import reference\n\ndef dense_forward(x, W, b, activation):\n"
     "    return reference.dense_forward(x, W, b, activation)\n", "uses the course's reference"),
    ("xor_network", "test_xor_network", "the package's dense_forward, imported inside the function",
     _xor("    from dlcourse.reference import dense_forward as layer\n" + _XOR_SEED_WEIGHTS + """\
    h = layer(x, W1, b1, sigmoid)
    return layer(h, W2, b2, sigmoid)[..., 0]
"""), "uses the course's reference"),
    ("bump", "test_bump", "an alias of the package's bump", "from dlcourse.reference import bump\n",
     "uses the course's reference"),
    ("approximate_with_bumps", "test_approximate_with_bumps", "functools.partial of the package's version",
     "import functools\nfrom dlcourse import reference as course\n\n"
     "approximate_with_bumps = functools.partial(course.approximate_with_bumps)\n", "uses the course's reference"),
]

RIGHT = [
    # dense_forward
    ("dense_forward", "np.dot", _dense("    return activation(np.dot(x, W) + b)\n")),
    ("dense_forward", "np.matmul in steps, no float conversion",
     _dense("    z = np.matmul(x, W)\n    z = z + b\n    return activation(z)\n")),
    ("dense_forward", "einsum", _dense("    return activation(np.einsum('...d,dk->...k', x, W) + b)\n")),
    # xor_network
    ("xor_network", "seed weights scaled by 2 with biases -20, 60 and -60",
     _xor("""\
    W1 = np.array([[40.0, -40.0], [40.0, -40.0]])
    b1 = np.array([-20.0, 60.0])
    W2 = np.array([[40.0], [40.0]])
    b2 = np.array([-60.0])
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid)[..., 0]
""")),
    ("xor_network", "hidden OR and AND, output OR-and-not-AND; W2 of shape (2,), scalar b2",
     _xor("""\
    W1 = np.array([[20.0, 20.0], [20.0, 20.0]])
    b1 = np.array([-10.0, -30.0])
    W2 = np.array([20.0, -20.0])
    b2 = -10.0
    h = dense_forward(x, W1, b1, sigmoid)
    return dense_forward(h, W2, b2, sigmoid)
""")),
    ("xor_network", "plain NumPy without dense_forward, own stable logistic, squeeze",
     _xor("""\
    logistic = lambda z: 0.5 * (1.0 + np.tanh(0.5 * z))
    x = np.asarray(x, dtype=float)
    h = logistic(x @ np.array([[10.0, -10.0], [10.0, -10.0]]) + np.array([-5.0, 15.0]))
    out = logistic(h @ np.array([[12.0], [12.0]]) - 18.0)
    return np.squeeze(out, axis=-1)
""")),
    ("xor_network", "the package's stable sigmoid under another name (lesson 01's, not graded here)",
     "import numpy as np\nfrom dlcourse.layers import sigmoid as logistic\n\n" + _xor("""\
    h = logistic(np.asarray(x, dtype=float) @ np.array([[20.0, -20.0], [20.0, -20.0]]) + np.array([-10.0, 30.0]))
    return logistic(h @ np.array([20.0, 20.0]) - 30.0)
""")[len("import numpy as np\n\n"):]),
    # DIFF_W1, DIFF_W2
    ("diff_weights", "DIFF_W2 of shape (2,)",
     "import numpy as np\nDIFF_W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])\nDIFF_W2 = np.array([1.0, -1.0])\n"),
    ("diff_weights", "hidden nodes in the other order, integer arrays",
     "import numpy as np\nDIFF_W1 = np.array([[-1, 1], [1, -1]])\nDIFF_W2 = np.array([[-1], [1]])\n"),
    ("diff_weights", "nested lists", "DIFF_W1 = [[1, -1], [-1, 1]]\nDIFF_W2 = [[1], [-1]]\n"),
    # bump
    ("bump", "tanh form", _bump("    x = np.asarray(x, dtype=float)\n"
                                "    return 0.5 * height * (np.tanh(0.5 * steepness * (x - left))"
                                " - np.tanh(0.5 * steepness * (x - right)))\n")),
    ("bump", "scipy.special.expit",
     "import numpy as np\nfrom scipy.special import expit\n\n"
     "def bump(x, left, right, height, steepness=1000.0):\n"
     "    return height * (expit(steepness * (np.asarray(x) - left)) - expit(steepness * (np.asarray(x) - right)))\n"),
    ("bump", "logaddexp-based stable logistic, no float conversion",
     _bump("    s = lambda z: np.exp(-np.logaddexp(0.0, -z))\n"
           "    return height * (s(steepness * (x - left)) - s(steepness * (x - right)))\n")),
    # approximate_with_bumps
    ("approximate_with_bumps", "vectorized: broadcast over all pieces at once",
     _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    mids = (edges[:-1] + edges[1:]) / 2
    heights = np.array([f(m) for m in mids], dtype=float)
    return bump(x[..., None], edges[:-1], edges[1:], heights).sum(axis=-1)
""")),
    ("approximate_with_bumps", "x[0] and x[-1] as the ends (x sorted), np.sum over a list",
     _approx("""\
    width = (x[-1] - x[0]) / n_bumps
    parts = []
    for i in range(n_bumps):
        a = x[0] + i * width
        parts.append(bump(x, a, a + width, f(a + width / 2)))
    return np.sum(parts, axis=0)
""")),
    ("approximate_with_bumps", "np.zeros_like(x, dtype=float) accumulator",
     _approx("""\
    edges = np.linspace(np.min(x), np.max(x), n_bumps + 1)
    total = np.zeros_like(x, dtype=float)
    for i in range(n_bumps):
        total += bump(x, edges[i], edges[i + 1], f(0.5 * (edges[i] + edges[i + 1])))
    return total
""")),
    # the student's own choices across exercises (each lost xor_network's or approximate_with_bumps's points
    # when graded before: the hidden tests put the course's dense_forward or bump in first)
    ("dense_forward", "the activation has a default (sigmoid)",
     "import numpy as np\n\ndef dense_forward(x, W, b, activation=sigmoid):\n" + _DENSE_DOC
     + "    return activation(np.asarray(x, dtype=float) @ W + b)\n"),
    ("xor_network", "own dense_forward with a default activation, called without one (graded 0 before)",
     "import numpy as np\n\ndef dense_forward(x, W, b, activation=sigmoid):\n" + _DENSE_DOC
     + "    return activation(np.asarray(x, dtype=float) @ W + b)\n\n\n" + _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1)
    return dense_forward(h, W2, b2)[..., 0]
""")[len("import numpy as np\n\n"):]),
    ("xor_network", "own dense_forward whose activation is called `act`, passed by keyword (graded 0 before)",
     "import numpy as np\n\ndef dense_forward(x, W, b, act):\n" + _DENSE_DOC
     + "    return act(np.asarray(x, dtype=float) @ W + b)\n\n\n" + _xor(_XOR_SEED_WEIGHTS + """\
    h = dense_forward(x, W1, b1, act=sigmoid)
    return dense_forward(h, W2, b2, act=sigmoid)[..., 0]
""")[len("import numpy as np\n\n"):]),
    ("approximate_with_bumps", "own bump with its own stable sigmoid, used by the sum",
     "import numpy as np\n\n"
     "def stable_sigmoid(z):\n"
     "    z = np.asarray(z, dtype=float)\n"
     "    e = np.exp(-np.abs(z))\n"
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n\n\n"
     "def bump(x, left, right, height, steepness=1000.0):\n"
     "    x = np.asarray(x, dtype=float)\n"
     "    return height * (stable_sigmoid(steepness * (x - left)) - stable_sigmoid(steepness * (x - right)))\n\n\n"
     + _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    return sum(bump(x, a, b, f((a + b) / 2)) for a, b in zip(edges[:-1], edges[1:]))
""")[len("import numpy as np\n\n"):]),
    ("approximate_with_bumps", "own bump whose height is a keyword `h`, passed by keyword (graded 0 before)",
     "import numpy as np\n\n"
     "def bump(x, left, right, h, steepness=1000.0):\n"
     "    x = np.asarray(x, dtype=float)\n"
     "    return h * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))\n\n\n"
     + _approx("""\
    x = np.asarray(x, dtype=float)
    edges = np.linspace(x.min(), x.max(), n_bumps + 1)
    total = np.zeros(x.shape)
    for a, b in zip(edges[:-1], edges[1:]):
        total = total + bump(x, left=a, right=b, h=f((a + b) / 2))
    return total
""")[len("import numpy as np\n\n"):]),
]
