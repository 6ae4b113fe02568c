"""dlcourse.datasets and dlcourse.paths: small data, MNIST found offline, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import datasets, paths


@pytest.mark.parametrize("gate, outputs", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]),
                                           ("NAND", [1, 1, 1, 0]), ("XOR", [0, 1, 1, 0]), ("nor", [1, 0, 0, 0])])
def test_logic_gates(gate, outputs):
    X, y = datasets.logic_gate(gate)
    assert X.shape == (4, 2) and X.dtype == float
    assert y.tolist() == outputs
    assert y.tolist() == [int(eval_gate(gate.upper(), *row)) for row in X.astype(int)]


def eval_gate(name, a, b):
    return {"AND": a & b, "OR": a | b, "NAND": 1 - (a & b), "XOR": a ^ b, "NOR": 1 - (a | b)}[name]


def test_unknown_gate():
    with pytest.raises(ValueError, match="choose one of"):
        datasets.logic_gate("IMPLIES")


def test_gate_tables_are_copies():
    X, _ = datasets.logic_gate("AND")
    X[0, 0] = 9
    assert datasets.logic_gate("AND")[0][0, 0] == 0


def test_xor_points_are_labelled_by_their_corner():
    X, y = datasets.xor_points(n=400, noise=0.05, seed=1)
    assert X.shape == (400, 2) and y.shape == (400,)
    corners = np.round(X).astype(int)
    assert np.array_equal(y, corners[:, 0] ^ corners[:, 1])
    assert np.array_equal(X, datasets.xor_points(n=400, noise=0.05, seed=1)[0])


@pytest.mark.parametrize("name", list(datasets.TARGET_CURVES))
def test_target_curves_are_vectorized(name):
    x = datasets.curve_grid(50)
    assert datasets.target_curve(name)(x).shape == (50,)
    assert x.min() == 0.0 and x.max() < 1.0


def test_mnist_loads_from_the_shipped_file_without_download(monkeypatch):
    monkeypatch.setattr(datasets, "_download", lambda *a, **k: pytest.fail("tried to download"))
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.mark.parametrize("n_train, n_test", [(0, 2000), (500, 2000), (None, 7), (300, None), (70_000, 0)])
def test_mnist_first_rows_are_the_same_rows_as_the_whole_set(n_train, n_test):
    """Reading only the first images (lessons 04 and 08) gives exactly the rows of the full load."""
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    (a, b), (c, d) = datasets.load_mnist(n_train=n_train, n_test=n_test)
    for part, whole, n in [(a, x_train, n_train), (b, y_train, n_train), (c, x_test, n_test), (d, y_test, n_test)]:
        assert part.dtype == whole.dtype and part.flags.writeable and part.flags.c_contiguous
        assert np.array_equal(part, whole[:n])


@pytest.fixture
def no_data_anywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(paths.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(paths, "repo_root", lambda: None)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_missing_mnist_says_what_is_missing_and_how_to_fix_it(no_data_anywhere, monkeypatch):
    monkeypatch.setenv(datasets.OFFLINE_ENV_VAR, "1")
    with pytest.raises(datasets.DatasetError) as info:
        datasets.load_mnist()
    message = str(info.value)
    assert "mnist.npz" in message and "downloads are switched off" in message
    assert "DLCOURSE_DATA" in message and str(no_data_anywhere / "data" / "mnist.npz") in message


def test_failed_download_is_reported(no_data_anywhere, monkeypatch):
    monkeypatch.delenv(datasets.OFFLINE_ENV_VAR, raising=False)

    def unreachable(url, target, timeout=30.0):
        raise OSError("network is unreachable")

    monkeypatch.setattr(datasets, "_download", unreachable)
    with pytest.raises(datasets.DatasetError, match="network is unreachable"):
        datasets.mnist_path()


def test_damaged_file_is_rejected(tmp_path, monkeypatch):
    (tmp_path / "mnist.npz").write_bytes(b"not mnist")
    monkeypatch.setenv(paths.DATA_ENV_VAR, str(tmp_path))
    with pytest.raises(datasets.DatasetError, match="damaged"):
        datasets.mnist_path()


def test_data_env_var_comes_first(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV_VAR, str(tmp_path))
    assert paths.data_dirs()[0] == tmp_path


def test_shipped_checksum_matches_the_data_readme():
    root = paths.repo_root()
    assert datasets.MNIST_SHA256 in (root / "data" / "README.md").read_text()
    assert datasets.sha256_of(root / "data" / "mnist.npz") == datasets.MNIST_SHA256
