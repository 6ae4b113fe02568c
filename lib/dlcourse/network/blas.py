"""How many threads NumPy's OpenBLAS uses for the MNIST network's matrix products.

On a busy machine (more runnable processes than cores) OpenBLAS's threads wait for each other
and a product with 2 threads can take ten times as long as with 1: `best_blas_threads` times
both, `blas_threads(n)` runs a block with n threads.
"""

from __future__ import annotations

import contextlib
import time

import numpy as np


def _openblas():
    """NumPy's OpenBLAS as (get_num_threads, set_num_threads), or None where it cannot be found."""
    import ctypes  # noqa: PLC0415

    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    return get, put
    return None


@contextlib.contextmanager
def blas_threads(n: int | None):
    """Run the block with NumPy's OpenBLAS limited to `n` threads (None: leave it alone).

    On a busy machine (more runnable processes than cores) OpenBLAS's threads wait for each
    other and a matrix product with 2 threads can take ten times as long as with 1; see
    `best_blas_threads`. Does nothing where NumPy uses another BLAS.
    """
    blas = _openblas() if n else None
    if blas is None:
        yield
        return
    get, put = blas
    before = get()
    put(int(n))
    try:
        yield
    finally:
        put(before)


def best_blas_threads(n_in: int = 784, n_out: int = 512, batch_size: int = 128) -> int | None:
    """The number of BLAS threads (1 or all) that multiplies a (batch_size, n_in) batch by an
    (n_in, n_out) matrix faster right now, timed over a few products (about 0.1 s)."""
    blas = _openblas()
    if blas is None:
        return None
    rng = np.random.default_rng(0)
    a = rng.random((batch_size, n_in), dtype=np.float32)
    b = rng.random((n_in, n_out), dtype=np.float32)
    timings = {}
    for n in sorted({1, blas[0]()}):
        with blas_threads(n):
            a @ b
            start = time.perf_counter()
            for _ in range(15):
                a @ b
            timings[n] = time.perf_counter() - start
    return min(timings, key=timings.get)
