"""Right and wrong answers for lesson 00 · Start here (the NumPy warm-up and `weighted_sum`).

WRONG: (answer cell grade_id, test cell grade_id that must lose its points, description, source[, phrase the
        visible message must contain])
RIGHT: (answer cell grade_id, description, source)
VISIBLE_MISSES: {description: why only the hidden tests can catch it} (none here)
"""

WRONG = [
    # ---- column_means
    ("column_means", "test_column_means", "mean over axis 1 (one per sample)",
     "import numpy as np\ndef column_means(X):\n    return np.mean(X, axis=1)\n", "axis=0"),
    ("column_means", "test_column_means", "mean of the whole array",
     "import numpy as np\ndef column_means(X):\n    return np.mean(X)\n"),
    ("column_means", "test_column_means", "keepdims=True: shape (1, D)",
     "import numpy as np\ndef column_means(X):\n    return np.mean(X, axis=0, keepdims=True)\n", "keepdims"),
    ("column_means", "test_column_means", "column sums divided by the number of columns",
     "import numpy as np\ndef column_means(X):\n    X = np.asarray(X, dtype=float)\n    return X.sum(axis=0) / X.shape[1]\n",
     "number of rows"),
    # ---- scale_rows
    ("scale_rows", "test_scale_rows", "X * s: broadcasts s along the features",
     "import numpy as np\ndef scale_rows(X, s):\n    return X * s\n", "s[:, None]"),
    ("scale_rows", "test_scale_rows", "s @ X: a weighted sum of the rows",
     "import numpy as np\ndef scale_rows(X, s):\n    return s @ X\n"),
    ("scale_rows", "test_scale_rows", "scales X in place",
     "import numpy as np\ndef scale_rows(X, s):\n    X *= np.asarray(s)[:, None]\n    return X\n"),
    # ---- centered
    ("centered", "test_centered", "subtracts in place (X -= mean)",
     "import numpy as np\ndef centered(X):\n    X -= X.mean(axis=0)\n    return X\n", "in place"),
    ("centered", "test_centered", "row means instead of column means",
     "import numpy as np\ndef centered(X):\n    X = np.asarray(X, dtype=float)\n    return X - X.mean(axis=1, keepdims=True)\n",
     "ROW"),
    ("centered", "test_centered", "Y = X is a view: Y -= mean changes X",
     "import numpy as np\ndef centered(X):\n    Y = X\n    Y -= np.mean(Y, axis=0)\n    return Y\n", "in place"),
    ("centered", "test_centered", "integer input kept integer (astype of the result)",
     "import numpy as np\ndef centered(X):\n    return (X - X.mean(axis=0)).astype(np.asarray(X).dtype)\n"),
    # ---- to_unit_range
    ("to_unit_range", "test_to_unit_range", "integer division // 255",
     "import numpy as np\ndef to_unit_range(images):\n    return images // 255\n", "integer division"),
    ("to_unit_range", "test_to_unit_range", "divides by 256",
     "import numpy as np\ndef to_unit_range(images):\n    return images / 256\n", "256"),
    ("to_unit_range", "test_to_unit_range", "doubles in uint8 before scaling (wraps around)",
     "import numpy as np\ndef to_unit_range(images):\n    return (images * 2) / 510\n"),
    ("to_unit_range", "test_to_unit_range", "converts in place with images[...] = ... (stays uint8, all zeros)",
     "import numpy as np\ndef to_unit_range(images):\n    images[...] = images / 255\n    return images\n"),
    # ---- weighted_sum
    ("weighted_sum", "test_weighted_sum", "x * w, never summed",
     "import numpy as np\ndef weighted_sum(X, w):\n    return X * w\n", "did not add"),
    ("weighted_sum", "test_weighted_sum", "sums over the samples (axis 0)",
     "import numpy as np\ndef weighted_sum(X, w):\n    return np.sum(np.asarray(X) * w, axis=0)\n"),
    ("weighted_sum", "test_weighted_sum", "np.sum(X * w, axis=1): fails for one sample",
     "import numpy as np\ndef weighted_sum(X, w):\n    return np.sum(X * w, axis=1)\n", "axis=1 does not exist"),
]

RIGHT = [
    ("column_means", "sum divided by len", "import numpy as np\ndef column_means(X):\n    return np.sum(X, axis=0) / len(X)\n"),
    ("column_means", "average of the transposed rows",
     "import numpy as np\ndef column_means(X):\n    return np.array([np.average(col) for col in np.asarray(X, dtype=float).T])\n"),
    ("scale_rows", "reshape(-1, 1)", "import numpy as np\ndef scale_rows(X, s):\n    return X * np.reshape(s, (-1, 1))\n"),
    ("scale_rows", "einsum", "import numpy as np\ndef scale_rows(X, s):\n    return np.einsum('nd,n->nd', X, s)\n"),
    ("scale_rows", "diagonal matrix", "import numpy as np\ndef scale_rows(X, s):\n    return np.diag(s) @ X\n"),
    ("centered", "copy, then subtract in place",
     "import numpy as np\ndef centered(X):\n    Y = np.array(X, dtype=float)\n    Y -= Y.mean(axis=0)\n    return Y\n"),
    ("centered", "keepdims mean", "import numpy as np\ndef centered(X):\n    return X - np.mean(X, axis=0, keepdims=True)\n"),
    ("to_unit_range", "float64 true division", "def to_unit_range(images):\n    return images / 255\n"),
    ("to_unit_range", "np.divide with float32", "import numpy as np\ndef to_unit_range(images):\n    return np.divide(images, np.float32(255.0), dtype=np.float32)\n"),
    ("weighted_sum", "np.dot", "import numpy as np\ndef weighted_sum(X, w):\n    return np.dot(X, w)\n"),
    ("weighted_sum", "sum over the last axis", "import numpy as np\ndef weighted_sum(X, w):\n    return np.sum(np.asarray(X) * w, axis=-1)\n"),
]
