"""The environment self-check of lesson 00: is everything the course needs here?

`run_checks()` returns one `Check` per item; `report()` shows them as a table and
says what to do about each one that failed. Versions are read from package metadata,
so TensorFlow is not imported (that alone takes seconds).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

from . import datasets

# package -> (minimum version, needed for)
REQUIREMENTS = {
    "numpy": ("1.26", "every lesson"),
    "matplotlib": ("3.8", "plots"),
    "ipywidgets": ("8.0", "interactive explorers"),
    "tqdm": ("4.66", "progress bars"),
    "tensorflow": ("2.16", "lesson 09 (Keras)"),
    "nbgrader": ("0.9", "checking your work the way the grader does (not needed on Colab)"),
}
FIX = "run `make lab` (or `pip install -e '.[course]'`) in the course folder"


@dataclass
class Check:
    item: str
    ok: bool
    detail: str
    fix: str = ""


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Check("Python", ok, version, "" if ok else "install Python 3.10 or newer")


def check_package(name: str, minimum: str, why: str) -> Check:
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return Check(name, False, f"not installed (needed for {why})", FIX)
    ok = _version_tuple(version) >= _version_tuple(minimum)
    return Check(name, ok, version if ok else f"{version}, need {minimum} or newer", "" if ok else FIX)


def check_course_package() -> Check:
    import dlcourse

    return Check("dlcourse", True, f"{dlcourse.__version__} from {dlcourse.__file__}")


def check_data() -> Check:
    try:
        path = datasets.mnist_path(allow_download=False)
    except datasets.DatasetError as exc:
        return Check("MNIST data", False, str(exc).split(". Fix:")[0],
                     "run the lesson from your clone of the course, or set DLCOURSE_DATA")
    return Check("MNIST data", True, f"{path} (checksum verified)")


def check_widgets() -> Check:
    try:
        import ipywidgets

        ipywidgets.IntSlider()
    except Exception as exc:  # noqa: BLE001  (report any failure to build a widget)
        return Check("widgets", False, f"cannot build a slider: {exc}", FIX)
    try:
        frontend = metadata.version("jupyterlab_widgets")
    except metadata.PackageNotFoundError:
        frontend = "front end provided by the notebook host"
    return Check("widgets", True, f"ipywidgets {ipywidgets.__version__}, {frontend}")


# Not needed on Colab: students there do not grade their own work.
NOT_NEEDED_ON_COLAB = {"nbgrader"}


def run_checks() -> list[Check]:
    from .colab import on_colab

    checks = [check_python()]
    for name, (minimum, why) in REQUIREMENTS.items():
        check = check_package(name, minimum, why)
        if not check.ok and name in NOT_NEEDED_ON_COLAB and on_colab():
            check = Check(name, True, "not needed on Colab")
        checks.append(check)
    checks += [check_course_package(), check_data(), check_widgets()]
    return checks


def report(checks: list[Check] | None = None) -> bool:
    """Print a table of the checks; return True when every one passed."""
    checks = run_checks() if checks is None else checks
    width = max(len(c.item) for c in checks)
    for c in checks:
        print(f"{'✔' if c.ok else '✘'} {c.item:<{width}}  {c.detail}")
        if not c.ok:
            print(f"  {' ' * width}  fix: {c.fix}")
    ok = all(c.ok for c in checks)
    print("\nEverything the course needs is here." if ok else "\nSome items need attention (see 'fix' above).")
    return ok
