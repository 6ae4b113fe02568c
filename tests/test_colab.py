"""The Colab set-up cell, run as Colab would run it, without a network.

A fake `google.colab` module makes the cell believe it is on Colab; the repository is
cloned from a `file://` URL; pip may not reach any index. The cell must install the
package into the (fresh) environment and make the data findable. Outside Colab the same
cell must do nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from dlcourse import colab
from nbtools import ROOT

pytestmark = pytest.mark.slow

PROBE = """
import dlcourse, dlcourse.datasets as d
print("PACKAGE", dlcourse.__file__)
print("MNIST", d.mnist_path())
(x, y), _ = d.load_mnist()
print("SHAPE", x.shape)
"""


def _run(python, code, env, cwd):
    return subprocess.run([str(python), "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=600)


def _isolated_env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DLCOURSE_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               DLCOURSE_OFFLINE="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


@pytest.fixture
def fake_colab(tmp_path):
    package = tmp_path / "fake" / "google" / "colab"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("# stands in for Colab's own module\n")
    return tmp_path / "fake"


def test_cell_installs_package_and_finds_data_on_fake_colab(tmp_path, fake_colab):
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("the course folder is not a git checkout with a commit to clone")
    # A fresh environment that sees the test environment's libraries (numpy, setuptools ...)
    # but not its editable install of dlcourse: the cell has to install the package itself.
    venv = tmp_path / "colab-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    site = Path(subprocess.check_output([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "zz_test_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "content"
    work.mkdir()
    clone = tmp_path / "content" / "dlcourse"
    env = _isolated_env(tmp_path, PYTHONPATH=str(fake_colab), DLCOURSE_REPO=f"file://{ROOT}", DLCOURSE_COLAB_DIR=str(clone))

    result = _run(venv / "bin" / "python", colab.cell_source() + "\n" + PROBE, env, work)
    assert result.returncode == 0, f"the Colab cell failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    out = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line.split(" ", 1)[0] in ("PACKAGE", "MNIST", "SHAPE"))
    assert "Course package and data are ready." in result.stdout
    assert Path(out["PACKAGE"]).is_relative_to(venv), f"dlcourse was imported from {out['PACKAGE']}, not installed by the cell"
    assert Path(out["MNIST"]) == clone / "data" / "mnist.npz"
    assert out["SHAPE"] == "(60000, 28, 28)"

    # Running the cell again (a second lesson in the same Colab session) reuses the clone.
    again = _run(venv / "bin" / "python", colab.cell_source(), env, work)
    assert again.returncode == 0, again.stderr[-2000:]


def test_cell_does_nothing_outside_colab(tmp_path):
    env = _isolated_env(tmp_path, DLCOURSE_COLAB_DIR=str(tmp_path / "clone"), DLCOURSE_REPO="file:///nonexistent")
    start = time.perf_counter()
    result = _run(sys.executable, colab.cell_source() + "\nprint('ON_COLAB', ON_COLAB)", env, tmp_path)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ON_COLAB False"
    assert not (tmp_path / "clone").exists()
    assert elapsed < 10  # generous: it is an interpreter start and a failed import
