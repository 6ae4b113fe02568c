"""The environment self-check, the Colab detection and the repository-address tooling."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from dlcourse import colab, course, envcheck
from dlcourse.instructor import cli
from dlcourse.instructor.repo import set_repository
from nbtools import ROOT


def test_envcheck_passes_here(capsys):
    assert envcheck.report() is True
    assert "Everything the course needs is here." in capsys.readouterr().out


def test_envcheck_reports_missing_package_with_a_fix():
    check = envcheck.check_package("surely-not-installed-package", "1.0", "nothing")
    assert not check.ok and "not installed" in check.detail and "make lab" in check.fix


def test_envcheck_reports_old_version():
    check = envcheck.check_package("numpy", "999.0", "everything")
    assert not check.ok and "need 999.0" in check.detail


def test_envcheck_reports_missing_data(tmp_path, monkeypatch):
    from dlcourse import paths

    monkeypatch.setattr(paths, "repo_root", lambda: None)
    monkeypatch.delenv(paths.DATA_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    check = envcheck.check_data()
    assert not check.ok and "MNIST not found" in check.detail


def test_not_on_colab_here():
    assert colab.on_colab() is False


def test_colab_cell_names_the_course_repository():
    source = colab.cell_source()
    assert f"{course.REPOSITORY}.git" in source and course.BRANCH in source
    compile(source, "colab_cell", "exec")


def test_set_repo_rewrites_cells_and_badges(tmp_path):
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    fork = "https://github.com/someone/fork-of-course"
    changed = set_repository(tmp_path, fork)
    assert tmp_path / "README.md" in changed
    for path in (tmp_path / "solutions").glob("*/*.ipynb"):
        assert nbformat.read(path, as_version=4).cells[0].source == colab.cell_source(fork)
    readme = (tmp_path / "README.md").read_text()
    assert course.colab_url("00_start_here", fork) in readme
    assert "https://mybinder.org/v2/gh/someone/fork-of-course/main?" in readme
    assert set_repository(tmp_path, fork) == []  # idempotent


def test_cli_rejects_a_folder_that_is_not_a_course(tmp_path):
    with pytest.raises(SystemExit, match="not a course folder"):
        cli.main(["--course", str(tmp_path), "release"])


def test_envcheck_does_not_require_nbgrader_on_colab(monkeypatch):
    from dlcourse import colab as colab_module

    monkeypatch.setattr(colab_module, "on_colab", lambda: True)
    monkeypatch.setattr(envcheck, "check_package",
                        lambda name, minimum, why: envcheck.Check(name, name != "nbgrader", "missing"))
    checks = {c.item: c for c in envcheck.run_checks()}
    assert checks["nbgrader"].ok and checks["nbgrader"].detail == "not needed on Colab"


def test_fast_nbgrader_entry_point_still_validates_notebooks():
    """The grader's nbgrader entry point skips jsonschema's slow "iri" checker, and nothing else:
    it is still nbgrader, and a broken notebook is still rejected."""
    probe = (
        "import runpy, sys; sys.argv = ['nbgrader', '--version'];"
        "runpy.run_module('dlcourse.instructor.nbgrader_main', run_name='__main__')\n"
    )
    check = (
        "import sys, dlcourse.instructor.nbgrader_main, nbformat\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        f"nbformat.validate(nbformat.read({str(ROOT / 'lessons/01_sigmoid_node/01_sigmoid_node.ipynb')!r}, as_version=4))\n"
        "bad = nbformat.v4.new_notebook(); bad.cells.append({'cell_type': 'code', 'source': 'x'})\n"
        "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('rejected')\n"
    )
    version = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert "nbgrader version 0.9" in version.stdout + version.stderr
    validated = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.strip() == "rejected"
