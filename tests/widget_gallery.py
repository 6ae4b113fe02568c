"""Every widget of the course, built with small sample inputs.

`build_all()` is used by the widget unit tests (with the ipywidgets the course installs) and by
the Colab test, which runs it inside an environment holding Colab's own ipywidgets 7.7 and shows
every widget in the classic notebook: every explorer a lesson shows must construct, draw, and
redraw when a slider moves there. Add a line to `GALLERY` when a lesson gets a new widget.
"""

from __future__ import annotations

import numpy as np

# widget name -> (the lessons that show it, the description of the slider the browser test moves)
GALLERY = {
    "node_explorer": (("00_start_here", "01_sigmoid_node"), "w1"),
    "bump_builder": (("02_xor",), "bumps"),
    "sawtooth_explorer": (("02_xor",), "layers"),
    "descent_explorer": (("03_dating_regression",), "iterations"),
    "activation_explorer": (("04_activations",), "z range ±"),
    "vanishing_gradient_explorer": (("05_backprop",), "hidden layers"),
    "loss_explorer": (("06_classification",), "score 1"),
    "optimizer_race": (("07_training_deep_nets",), "steps"),
    "polynomial_explorer": (("08_regularization",), "degree"),
    "mistake_browser": (("09_keras_mnist",), "mistake"),
    "run_dashboard": (("10_debugging_training",), "seed"),
}


def build_all() -> dict:
    """{name: widget} for every explorer in `dlcourse.widgets` (the names of `GALLERY`)."""
    import sys

    import matplotlib

    if "ipykernel" not in sys.modules:   # in a notebook, keep its inline figures
        matplotlib.use("Agg")
    from dlcourse import datasets, layers, reference, widgets
    from dlcourse.regularization import polynomial_features, ridge_fit

    X, y = datasets.dating_survey(n=200)
    x = np.linspace(-1.0, 1.0, 20)
    rng = np.random.default_rng(0)
    digits = rng.random((6, 28, 28))
    labels = np.array([1, 2, 3, 3, 5, 7])
    probabilities = np.eye(10)[[1, 7, 8, 3, 3, 1]] * 0.9 + 0.01   # four mistakes
    built = {
        "node_explorer": widgets.node_explorer("AND"),
        "bump_builder": widgets.bump_builder(reference.bump, n_bumps=6),
        "sawtooth_explorer": widgets.sawtooth_explorer(3),
        "descent_explorer": widgets.descent_explorer(X, y, iterations=20),
        "activation_explorer": widgets.activation_explorer("ReLU"),
        "vanishing_gradient_explorer": widgets.vanishing_gradient_explorer(depth=4),
        "loss_explorer": widgets.loss_explorer(layers.softmax_cross_entropy, layers.hinge_loss),
        "optimizer_race": widgets.optimizer_race(steps=20),
        "polynomial_explorer": widgets.polynomial_explorer(polynomial_features, ridge_fit, x[::2], x[::2],
                                                           x[1::2], x[1::2], degree=3),
        "mistake_browser": widgets.mistake_browser(digits, labels, probabilities),
        "run_dashboard": widgets.run_dashboard(),
    }
    assert set(built) == set(GALLERY), "GALLERY and build_all() must name the same widgets"
    return built
