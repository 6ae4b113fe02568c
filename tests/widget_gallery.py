"""Every widget of the course, built with small sample inputs.

`build_all()` is used by the widget unit tests (with the ipywidgets the course installs) and by
the Colab test, which runs it inside an environment holding Colab's own ipywidgets 7.7: every
explorer a lesson shows must at least construct and draw there. Add a line when a lesson gets a
new widget.
"""

from __future__ import annotations

import numpy as np


def build_all() -> dict:
    """{name: widget} for every explorer in `dlcourse.widgets`."""
    import matplotlib

    matplotlib.use("Agg")
    from dlcourse import datasets, layers, reference, widgets
    from dlcourse.regularization import polynomial_features, ridge_fit

    X, y = datasets.dating_survey(n=200)
    x = np.linspace(-1.0, 1.0, 20)
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
        "run_dashboard": widgets.run_dashboard(),
    }
    return built
