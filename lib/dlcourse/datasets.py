"""Datasets of the course: small ones made on the spot, MNIST from the shipped file.

Conventions: samples in rows (`X` is `(N, D)`), labels `y` as integer arrays `(N,)`.
"""

from __future__ import annotations

import hashlib
import os
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

from . import course, paths

# --------------------------------------------------------------------------------------
# Logic gates and XOR

_GATES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
}

GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Truth table of a two-input gate.

    Returns `X` of shape (4, 2) with rows (0,0), (0,1), (1,0), (1,1) as floats, and
    `y` of shape (4,) with the gate's output for each row as integers.
    """
    key = name.upper()
    if key not in _GATES:
        raise ValueError(f"unknown gate {name!r}: choose one of {', '.join(_GATES)}")
    return GATE_INPUTS.copy(), np.array(_GATES[key], dtype=int)


def gate_names() -> list[str]:
    return list(_GATES)


def xor_points(n: int = 200, noise: float = 0.15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A cloud of XOR data: points scattered around the four corners of the unit square.

    Returns `X` of shape (n, 2) and `y` of shape (n,), where `y` is 1 for the corners
    (0, 1) and (1, 0) and 0 for the other two.
    """
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners + noise * rng.standard_normal((n, 2))
    y = (corners[:, 0] != corners[:, 1]).astype(int)
    return X, y


# --------------------------------------------------------------------------------------
# 1-D curves for the universal-approximation lesson

TARGET_CURVES = {
    "sine": lambda x: np.sin(2 * np.pi * x),
    "parabola": lambda x: 4 * (x - 0.5) ** 2,
    "bell": lambda x: np.exp(-((x - 0.5) ** 2) / 0.02),
    "steps": lambda x: np.floor(4 * x) / 4,
    "wiggle": lambda x: 0.5 * np.sin(6 * x) + 0.3 * np.cos(17 * x),
}


def target_curve(name: str):
    """A 1-D function on [0, 1] to approximate with bumps (vectorized over NumPy arrays)."""
    if name not in TARGET_CURVES:
        raise ValueError(f"unknown curve {name!r}: choose one of {', '.join(TARGET_CURVES)}")
    return TARGET_CURVES[name]


def curve_grid(n: int = 500) -> np.ndarray:
    """Evenly spaced points on [0, 1), shape (n,), for plotting and scoring approximations."""
    return np.linspace(0.0, 1.0, n, endpoint=False)


# --------------------------------------------------------------------------------------
# Depth versus width: the sawtooth of a deep, narrow ReLU network
#
# Composing the tent map t(x) = 2 relu(x) - 4 relu(x - 1/2) k times (a ReLU network with
# 2 units in each of k hidden layers) gives 2**k linear pieces on [0, 1]; a network with
# one hidden layer of m ReLU units on a 1-D input has at most m + 1 pieces.

def tent(x):
    """The tent map on [0, 1] built from two ReLU units: 2 relu(x) - 4 relu(x - 0.5)."""
    x = np.asarray(x, dtype=float)
    return 2.0 * np.maximum(x, 0.0) - 4.0 * np.maximum(x - 0.5, 0.0)


def sawtooth(x, depth: int):
    """`tent` applied `depth` times (a deep ReLU net, 2 units per layer)."""
    y = np.asarray(x, dtype=float)
    for _ in range(depth):
        y = tent(y)
    return y


def count_linear_pieces(x, y) -> int:
    """Number of linear pieces of a piecewise-linear curve sampled at x (breakpoints on grid points)."""
    slopes = np.diff(y) / np.diff(x)
    return 1 + int(np.sum(~np.isclose(slopes[1:], slopes[:-1])))


# --------------------------------------------------------------------------------------
# MNIST

MNIST_FILE = "mnist.npz"
MNIST_SHA256 = "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"
OFFLINE_ENV_VAR = "DLCOURSE_OFFLINE"


class DatasetError(RuntimeError):
    """A dataset is missing or damaged; the message says how to fix it."""


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(url: str, target: Path, timeout: float = 30.0) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
        while block := response.read(1 << 20):
            out.write(block)
    partial.replace(target)


def mnist_path(allow_download: bool = True) -> Path:
    """Path of a verified copy of `mnist.npz`: the shipped file first, a download last.

    Raises `DatasetError`, saying what is missing and how to fix it, when no copy with
    the right checksum can be found or fetched.
    """
    searched = [str(d / MNIST_FILE) for d in paths.data_dirs()]
    found = paths.find_data_file(MNIST_FILE)
    if found is not None:
        actual = sha256_of(found)
        if actual != MNIST_SHA256:
            raise DatasetError(
                f"{found} is damaged: its sha256 is {actual}, expected {MNIST_SHA256}. "
                "Restore it with `git checkout -- data/mnist.npz` (or delete it to download a fresh copy)."
            )
        return found

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dlcourse" / MNIST_FILE
    if cache.is_file() and sha256_of(cache) == MNIST_SHA256:
        return cache
    offline = os.environ.get(OFFLINE_ENV_VAR, "") not in ("", "0")
    problem = "downloads are switched off" if (offline or not allow_download) else None
    if problem is None:
        url = course.raw_url(f"data/{MNIST_FILE}")
        try:
            _download(url, cache)
        except OSError as exc:  # URLError and timeouts are OSErrors
            problem = f"the download from {url} failed ({exc})"
        else:
            if sha256_of(cache) == MNIST_SHA256:
                return cache
            cache.unlink()
            problem = f"the file downloaded from {url} has the wrong checksum"
    raise DatasetError(
        f"MNIST not found: looked for {MNIST_FILE} in " + ", ".join(searched) + f", and {problem}. "
        "Fix: run the lesson from your clone of the course (its data/ folder ships the file), "
        f"or set the environment variable {paths.DATA_ENV_VAR} to the folder that holds {MNIST_FILE}."
    )


def load_mnist(allow_download: bool = True, *, n_train: int | None = None, n_test: int | None = None):
    """MNIST as `(x_train, y_train), (x_test, y_test)`, the layout of `keras.datasets.mnist`.

    Shapes and types: `x_train` (60000, 28, 28) uint8, `y_train` (60000,) uint8,
    `x_test` (10000, 28, 28) uint8, `y_test` (10000,) uint8. Reads the course's own
    verified copy; nothing is downloaded when that copy is present.

    n_train, n_test : only the first so many images (and their labels) of each part, the same
        rows as `x_train[:n_train]`; the rest of the file is never decompressed (the whole set
        takes about 0.25 s to decompress, a few hundred digits almost nothing).
    """
    path = mnist_path(allow_download=allow_download)
    if n_train is None and n_test is None:
        with np.load(path) as archive:
            return (archive["x_train"], archive["y_train"]), (archive["x_test"], archive["y_test"])
    with zipfile.ZipFile(path) as archive:
        return tuple(tuple(_leading_rows(archive, f"{name}_{part}.npy", n) for name in ("x", "y"))
                     for part, n in (("train", n_train), ("test", n_test)))


def _leading_rows(archive: zipfile.ZipFile, member: str, n: int | None) -> np.ndarray:
    """The first `n` rows (all for None) of a C-ordered array stored as `member` of an .npz archive,
    decompressing only as much of it as they take."""
    with archive.open(member) as handle:
        version = np.lib.format.read_magic(handle)
        header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = header(handle)
        if fortran_order or dtype.hasobject:
            raise DatasetError(f"{member} in {archive.filename} is not stored as the course's copy is: "
                               "restore data/mnist.npz with `git checkout -- data/mnist.npz`.")
        rows = shape[0] if n is None else min(max(int(n), 0), shape[0])
        count = rows * int(np.prod(shape[1:], dtype=np.int64))
        data = bytearray(handle.read(count * dtype.itemsize))
    return np.frombuffer(data, dtype=dtype, count=count).reshape((rows,) + tuple(shape[1:]))


# --------------------------------------------------------------------------------------
# Lesson 06 (classification): two overlapping clusters in the plane


def two_clusters(n: int = 200, spread: float = 0.8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two round Gaussian clouds in the plane for binary classification (lesson 06).

    Class 0 is centred at (1, 3), class 1 at (3, 1), each with standard deviation `spread`
    in both directions; with the default spread they overlap a little, so no line separates
    them perfectly and logistic regression keeps finite weights.

    Returns `X` of shape (n, 2) (floats) and `y` of shape (n,) (integers 0 or 1): the
    classes come in random order, n // 2 of class 1 and the rest of class 0.
    The same seed always gives the same data.
    """
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2)
    centres = np.array([[1.0, 3.0], [3.0, 1.0]])
    X = centres[y] + spread * rng.standard_normal((n, 2))
    return X, y.astype(int)


# --------------------------------------------------------------------------------------
# Lesson 07 (training deep networks): a curved valley for comparing optimizers, spiral
# classes for a small training run, and correlated heights and weights for whitening.

VALLEY_START = (0.0, 2.5)     # where the optimizers of lesson 07 start
VALLEY_MINIMUM = (1.0, 1.0)   # where the valley's loss is 0


def valley_loss(p, steepness: float = 10.0):
    """A narrow, curved valley (a Rosenbrock function) in the plane:

        f(x, y) = (1 - x)^2 + steepness * (y - x^2)^2,

    zero at its minimum (1, 1), steep across the parabola y = x^2 and nearly flat along it.

    p : array of shape (2,) for one point or (..., 2) for many (e.g. a grid)
    Returns the loss, shape p.shape[:-1] (a float for one point).
    """
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    out = (1.0 - x) ** 2 + steepness * (y - x ** 2) ** 2
    return float(out) if np.ndim(out) == 0 else out


def valley_grad(p, steepness: float = 10.0) -> np.ndarray:
    """Gradient of `valley_loss`: array (..., 2) -> array (..., 2) of (df/dx, df/dy)."""
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    across = y - x ** 2
    return np.stack([-2.0 * (1.0 - x) - 4.0 * steepness * x * across, 2.0 * steepness * across], axis=-1)


def spiral(n_per_class: int = 100, classes: int = 3, noise: float = 0.2,
           seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class: a small problem no straight line solves.

    Returns `X` of shape (n_per_class * classes, 2), points within the unit disc, and `y` of
    shape (n_per_class * classes,) with integer labels 0 .. classes - 1, grouped by class.
    `noise` is the standard deviation of the angle jitter; the same seed gives the same data.
    """
    rng = np.random.default_rng(seed)
    X = np.zeros((n_per_class * classes, 2))
    y = np.repeat(np.arange(classes), n_per_class)
    radius = np.linspace(0.0, 1.0, n_per_class)
    for k in range(classes):
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), n_per_class) + noise * rng.standard_normal(n_per_class)
        X[k * n_per_class:(k + 1) * n_per_class] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, y.astype(int)


def heights_weights(n: int = 300, seed: int = 0) -> np.ndarray:
    """Made-up body measurements with strongly correlated features, for whitening.

    Returns `X` of shape (n, 2): column 0 a height in cm (mean about 170, std about 9),
    column 1 a weight in kg (about 0.9 kg more per cm of height, plus noise of std 6).
    """
    rng = np.random.default_rng(seed)
    height = 170.0 + 9.0 * rng.standard_normal(n)
    weight = 70.0 + 0.9 * (height - 170.0) + 6.0 * rng.standard_normal(n)
    return np.column_stack([height, weight])


# --------------------------------------------------------------------------------------
# Lesson 08 (regularization): noisy samples of a polynomial, and a sparse linear problem


def polynomial_data(n: int = 200, coefficients=(0.0, 1.0), noise: float = 0.3, x_range=(-1.0, 1.0),
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Noisy samples of a polynomial, for over-fitting experiments (lesson 08).

    x is drawn uniformly from `x_range`; y = c0 + c1 x + c2 x^2 + ... (`coefficients`, lowest
    power first) plus Gaussian noise with standard deviation `noise`. The default is the line
    y = x on [-1, 1] with noise 0.3. Returns `x` (n,) and `y` (n,), floats; the same seed always
    gives the same data (x first, then the noise, from np.random.default_rng(seed)).
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(x_range[0], x_range[1], size=n)
    y = np.polynomial.polynomial.polyval(x, np.asarray(coefficients, dtype=float)) + noise * rng.standard_normal(n)
    return x, y


def sparse_linear_data(n: int = 60, d: int = 20, informative: int = 3, noise: float = 0.5,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A linear problem where only a few of many features matter (L1 and sparsity, lesson 08).

    X (n, d) has independent standard normal entries; the true weights w_true (d,) are zero except
    the first `informative` entries, which are 3, -2, 1.5, 3, -2, 1.5, ...; y = X @ w_true plus Gaussian
    noise with standard deviation `noise`. Returns (X, y, w_true); the same seed gives the same data.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = np.zeros(d)
    w_true[:informative] = np.resize([3.0, -2.0, 1.5], informative)
    y = X @ w_true + noise * rng.standard_normal(n)
    return X, y, w_true


# --------------------------------------------------------------------------------------
# Lesson 05 (backpropagation)


def xor_diagonals() -> tuple[np.ndarray, np.ndarray]:
    """XOR on the two diagonals of the unit square (the 21 points of seed 004's XOR set-up).

    Points (0.1 i, 0.1 i) for i = 0..10 have label 0 (x1 = x2: XOR is 0); points
    (0.1 i, 1 - 0.1 i) for i = 0..10 except i = 5 have label 1 (the centre (0.5, 0.5) lies on
    both diagonals and is kept once, with label 0). The four corners of the square are among them.
    Returns X (21, 2) and y (21,) integer labels: 11 zeros and 10 ones.
    """
    X, y = [], []
    for i in range(11):
        X.append((0.1 * i, 0.1 * i))
        y.append(0)
        if i != 5:
            X.append((0.1 * i, 1.0 - 0.1 * i))
            y.append(1)
    return np.array(X), np.array(y)


# --------------------------------------------------------------------------------------
# Lesson 03: Pieter's online-dating survey
#
# The world of the story: dates = 0.8 * education + 0.003 * income + 2, with education in
# years (whole numbers 0..25) and income in dollars per month (whole numbers 0..9999), and
# noise proportional to the number of dates (1 % standard deviation), as in the seed's code.

DATING_TRUE_W = (0.8, 0.003)   # dates per year of education, dates per dollar of monthly income
DATING_TRUE_B = 2.0            # dates with no education and no income
INCOME_UNITS = {"dollars": 1.0, "thousands": 1000.0}


def dating_truth(income_unit: str = "dollars") -> tuple[np.ndarray, float]:
    """The true coefficients of the dating world, written for a unit of income.

    income_unit : "dollars" (W = (0.8, 0.003)) or "thousands" (W = (0.8, 3.0)): the same
        world, since 0.003 dates per dollar are 3 dates per thousand dollars.
    Returns (W of shape (2,), b a float).
    """
    if income_unit not in INCOME_UNITS:
        raise ValueError(f"unknown income unit {income_unit!r}: choose one of {', '.join(INCOME_UNITS)}")
    W = np.array(DATING_TRUE_W, dtype=float)
    W[1] *= INCOME_UNITS[income_unit]
    return W, DATING_TRUE_B


def dating_survey(n: int = 1000, noise: float = 0.01, seed: int = 0,
                  income_unit: str = "dollars") -> tuple[np.ndarray, np.ndarray]:
    """Pieter's survey: n people, their education, monthly income and number of online dates.

    Education: whole years 0..25; income: whole dollars 0..9999 a month (divided by 1000 when
    `income_unit` is "thousands": the same people, another unit). Dates follow
    0.8 * education + 0.003 * income_in_dollars + 2, times (1 + noise * a standard normal draw).

    Returns X of shape (n, 2) (columns: education, income; floats) and y of shape (n,).
    The same seed gives the same people in either unit.
    """
    if income_unit not in INCOME_UNITS:
        raise ValueError(f"unknown income unit {income_unit!r}: choose one of {', '.join(INCOME_UNITS)}")
    rng = np.random.default_rng(seed)
    education = rng.integers(0, 26, size=n).astype(float)
    income = rng.integers(0, 10000, size=n).astype(float)
    w_edu, w_income = DATING_TRUE_W
    dates = w_edu * education + w_income * income + DATING_TRUE_B
    y = dates * (1.0 + noise * rng.standard_normal(n))
    X = np.column_stack([education, income / INCOME_UNITS[income_unit]])
    return X, y
