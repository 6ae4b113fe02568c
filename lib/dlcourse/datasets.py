"""Datasets of the course: small ones made on the spot, MNIST from the shipped file.

Conventions: samples in rows (`X` is `(N, D)`), labels `y` as integer arrays `(N,)`.
"""

from __future__ import annotations

import hashlib
import os
import urllib.request
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


def load_mnist(allow_download: bool = True):
    """MNIST as `(x_train, y_train), (x_test, y_test)`, the layout of `keras.datasets.mnist`.

    Shapes and types: `x_train` (60000, 28, 28) uint8, `y_train` (60000,) uint8,
    `x_test` (10000, 28, 28) uint8, `y_test` (10000,) uint8. Reads the course's own
    verified copy; nothing is downloaded when that copy is present.
    """
    with np.load(mnist_path(allow_download=allow_download)) as archive:
        return (archive["x_train"], archive["y_train"]), (archive["x_test"], archive["y_test"])
