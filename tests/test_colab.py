"""The Colab set-up cell, run as Colab would run it, without a network.

A fake `google.colab` module makes the cell believe it is on Colab; the repository is
cloned from a `file://` URL; pip may not reach any index. The cell must install the
package into the (fresh) environment and make the data findable. Outside Colab the same
cell must do nothing. Against an environment holding Colab's own versions of numpy,
matplotlib, ipywidgets (7.7), tqdm and TensorFlow (tests/colab/colab_packages.txt), the cell
must change none of them, and every widget of the course must work there.
"""

from __future__ import annotations

import os
import shutil
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


# ----------------------------------------------------------------------------- Colab's own packages
PINS = ROOT / "tests" / "colab" / "colab_packages.txt"

WIDGETS_PROBE = """
import ipywidgets, tqdm
from tqdm.notebook import tqdm as notebook_tqdm
import dlcourse
from widget_gallery import build_all
built = build_all()
bar = notebook_tqdm(range(3), desc="training")
for _ in bar:
    pass
print("IPYWIDGETS", ipywidgets.__version__)
print("WIDGETS", len(built), ", ".join(sorted(built)))
"""


def _colab_env(tmp_path: Path) -> Path:
    """A virtual environment holding exactly Colab's versions of the packages the course touches.

    Built once per pin list and kept in the user's cache (it holds TensorFlow: about 2 GB, a minute
    or two to install). Needs the package index; skipped where it cannot be reached."""
    import hashlib

    key = hashlib.sha1(PINS.read_bytes()).hexdigest()[:12]
    venv = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dlcourse" / f"colab-env-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").is_file():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "-r", str(PINS)], capture_output=True, text=True, timeout=1200)
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            text = done.stderr + done.stdout
            if any(s in text for s in ("No matching distribution", "Could not find a version", "NewConnectionError",
                                       "Temporary failure in name resolution", "Network is unreachable")):
                pytest.skip(f"cannot install Colab's package versions here (no package index?): {text[-300:]}")
            raise AssertionError(f"installing Colab's package versions failed:\n{text[-3000:]}")
        (venv / ".complete").write_text("ok\n")
    # work on a copy: the cell installs the course into it
    work = tmp_path / "colab-env"
    subprocess.run(["cp", "-a", str(venv), str(work)], check=True)
    for script in (work / "bin").iterdir():  # venv scripts name their interpreter by absolute path
        if script.is_file() and not script.is_symlink():
            try:
                text = script.read_text()
            except UnicodeDecodeError:
                continue
            if str(venv) in text:
                script.write_text(text.replace(str(venv), str(work)))
    (work / "pyvenv.cfg").write_text((venv / "pyvenv.cfg").read_text().replace(str(venv), str(work)))
    return work


def _freeze(python: Path) -> set[str]:
    out = subprocess.run([str(python), "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True).stdout
    return {line for line in out.splitlines() if line.strip()}


def test_cell_changes_none_of_colabs_packages_and_every_widget_works_there(tmp_path, fake_colab):
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("the course folder is not a git checkout with a commit to clone")
    env_dir = _colab_env(tmp_path)
    python = env_dir / "bin" / "python"
    before = _freeze(python)
    work = tmp_path / "content"
    work.mkdir()
    clone = work / "dlcourse"
    env = _isolated_env(tmp_path, PYTHONPATH=str(fake_colab), DLCOURSE_REPO=f"file://{ROOT}", DLCOURSE_COLAB_DIR=str(clone))
    result = _run(python, colab.cell_source(), env, work)  # offline: PIP_NO_INDEX=1
    assert result.returncode == 0, f"the Colab cell failed against Colab's packages:\n{result.stderr[-3000:]}"
    after = _freeze(python)
    changed = {line for line in before ^ after if not line.lower().startswith("dlcourse")}
    assert not changed, f"the Colab cell changed Colab's packages: {sorted(changed)}"
    assert any(line.lower().startswith("dlcourse") for line in after - before), "the course package was not installed"

    env["PYTHONPATH"] = os.pathsep.join([str(fake_colab), str(ROOT / "tests")])
    probe = _run(python, WIDGETS_PROBE, env, work)
    assert probe.returncode == 0, f"a widget fails with Colab's ipywidgets:\n{probe.stderr[-3000:]}"
    assert "IPYWIDGETS 7.7.1" in probe.stdout, probe.stdout
