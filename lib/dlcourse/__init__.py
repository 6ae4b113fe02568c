"""dlcourse: the helper package of the deep-learning foundations course.

Infrastructure, not answers. The lessons import what they need from one module per
concern:

- `dlcourse.datasets`  logic-gate truth tables, XOR points, 1-D target curves, MNIST
- `dlcourse.plots`     decision regions, function curves, bump approximations
- `dlcourse.widgets`   ipywidgets explorers (a single node, a curve built from bumps, depth vs width)
- `dlcourse.checks`    the feedback checks used by the visible tests
- `dlcourse.colab`     the Colab set-up and its detection
- `dlcourse.envcheck`  the environment self-check of lesson 00
- `dlcourse.course`    the lesson list and the repository address (set in one place)
- `dlcourse.instructor` release, collect, autograde, feedback and export (CLI `dlcourse`)

Submodules are imported lazily so that `import dlcourse` stays cheap.
"""

from importlib import import_module

__version__ = "0.1.0"

_SUBMODULES = ("datasets", "plots", "widgets", "checks", "colab", "envcheck", "course", "paths", "instructor")


def __getattr__(name):
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlcourse' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
