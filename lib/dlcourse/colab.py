"""The Colab set-up: the first cell of every lesson, and how it is kept in step.

The cell must run before `dlcourse` is installed, so it is plain, self-contained
Python (no shell magics). `cell_source()` writes it from `course.REPOSITORY`; a test
checks that every lesson's first cell equals it, and `dlcourse set-repo` rewrites them.
"""

from __future__ import annotations

from . import course

CELL_ID = "colab_setup"

_TEMPLATE = '''\
# Set-up for Google Colab. Anywhere else this cell does nothing.
import os, sys, subprocess
try:
    import google.colab  # noqa: F401  (exists only on Colab)
    ON_COLAB = True
except ImportError:
    ON_COLAB = False
if ON_COLAB:
    repo = os.environ.get("DLCOURSE_REPO", "{repository}")
    home = os.environ.get("DLCOURSE_COLAB_DIR", "/content/dlcourse")
    if not os.path.isdir(os.path.join(home, ".git")):
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", "{branch}", repo, home], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", home], check=True)
    os.environ["DLCOURSE_DATA"] = os.path.join(home, "data")
    print("Course package and data are ready.")'''


def cell_source(repository: str = course.REPOSITORY, branch: str = course.BRANCH) -> str:
    """Source of the Colab set-up cell for the given repository and branch."""
    return _TEMPLATE.format(repository=f"{repository}.git", branch=branch)


def on_colab() -> bool:
    """True inside Google Colab."""
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True
