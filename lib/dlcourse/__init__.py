"""dlcourse: the helper package of the deep-learning foundations course.

Infrastructure, not answers. The lessons import what they need from one module per
concern:

- `dlcourse.datasets`   gates, XOR points, target curves, the dating survey, 2-D classes, spirals,
                        polynomial data, loss surfaces, MNIST (offline)
- `dlcourse.plots`      decision regions, cost surfaces with paths, loss curves, histograms of
                        activations and gradients, digit grids, confusion matrices ...
- `dlcourse.widgets`    ipywidgets explorers, one or more per lesson
- `dlcourse.checks`     the feedback checks of the visible tests (`checks.<topic>`: a lesson's diagnoses)
- `dlcourse.layers`     reference layers and losses, CS231n style (forward/backward pairs with caches)
- `dlcourse.optim`      reference update rules (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam, clipping)
- `dlcourse.gradcheck`  numerical gradients and the relative error
- `dlcourse.network`    the course's NumPy networks: the small nets of lesson 05 and the MNIST MLP
                        trained beside Keras in lesson 09
- `dlcourse.regression`, `classification`, `regularization`, `debugging`, `reference`: reference
                        answers and demo helpers of lessons 03, 06, 08, 10 and 01-02
- `dlcourse.colab`      the Colab set-up and its detection
- `dlcourse.envcheck`   the environment self-check of lesson 00
- `dlcourse.course`     the lesson list, the repository address, `grading()` (set in one place)
- `dlcourse.instructor` release, collect, autograde, feedback and export (CLI `dlcourse`)

Submodules are imported lazily so that `import dlcourse` stays cheap.
"""

from importlib import import_module

__version__ = "0.1.0"

_SUBMODULES = ("datasets", "plots", "widgets", "checks", "layers", "optim", "gradcheck", "network", "regression",
               "classification", "regularization", "debugging", "reference", "colab", "envcheck", "course", "paths",
               "instructor")


def __getattr__(name):
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlcourse' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
