"""Interactive explorers built on ipywidgets.

Each explorer is an `ipywidgets.VBox`: display it by leaving it as the last line of a
cell. Moving a control redraws the figure in place. The explorers keep the numbers
they last drew in `.state`, so they can be tested without a browser.
"""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from . import datasets, plots


def _logistic(z):
    # The explorer's own logistic function (the graded `sigmoid` is the student's).
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


class NodeExplorer(widgets.VBox):
    """Sliders for the two weights and the bias of one sigmoid node.

    Shows the node's output over the plane, its decision line w1*x1 + w2*x2 + b = 0,
    the four corners of a chosen logic gate, and a truth table of the outputs.
    """

    def __init__(self, gate: str = "AND", w=(1.0, 1.0), b: float = -0.5, limit: float = 10.0):
        slider = dict(min=-limit, max=limit, step=0.1, continuous_update=False,
                      layout=widgets.Layout(width="320px"))
        self.w1 = widgets.FloatSlider(value=w[0], description="w1", **slider)
        self.w2 = widgets.FloatSlider(value=w[1], description="w2", **slider)
        self.b = widgets.FloatSlider(value=b, description="b", **slider)
        self.gate = widgets.Dropdown(options=datasets.gate_names(), value=gate.upper(), description="gate")
        self.plot = widgets.Output(layout=widgets.Layout(min_height="360px"))
        self.table = widgets.HTML()
        self.verdict = widgets.HTML()
        self.state: dict = {}
        for control in (self.w1, self.w2, self.b, self.gate):
            control.observe(self._changed, names="value")
        controls = widgets.VBox([self.gate, self.w1, self.w2, self.b, self.table, self.verdict])
        super().__init__([widgets.HBox([controls, self.plot])])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def outputs(self) -> np.ndarray:
        """The node's outputs on the four gate inputs, shape (4,)."""
        X, _ = datasets.logic_gate(self.gate.value)
        return _logistic(X @ np.array([self.w1.value, self.w2.value]) + self.b.value)

    def redraw(self) -> None:
        X, y = datasets.logic_gate(self.gate.value)
        w = np.array([self.w1.value, self.w2.value])
        b = self.b.value
        out = self.outputs()
        solved = bool(np.all((out > 0.5) == (y == 1)))
        self.state = {"w": w.copy(), "b": b, "outputs": out, "solved": solved, "draws": self.state.get("draws", 0) + 1}
        self.table.value = plots.truth_table(X, out, y)
        self.verdict.value = (f"<b style='color:#1b9e77'>This node computes {self.gate.value}.</b>" if solved else
                              f"<span>Not {self.gate.value} yet: move the line so that the round points "
                              "are on the arrow's side.</span>")
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(4.8, 4.0))
            plots.decision_regions(lambda P: _logistic(P @ w + b), X, y, ax=ax,
                                   title=f"z = {w[0]:.1f}·x1 + {w[1]:.1f}·x2 + {b:.1f}")
            plots.node_line(w, b, ax=ax)
            display(fig)
            plt.close(fig)


def node_explorer(gate: str = "AND", w=(1.0, 1.0), b: float = -0.5) -> NodeExplorer:
    """An explorer for one sigmoid node on a logic gate (see `NodeExplorer`)."""
    return NodeExplorer(gate=gate, w=w, b=b)


class BumpBuilder(widgets.VBox):
    """Build a curve on [0, 1] out of bumps made by *your* `bump` function.

    The interval is cut into `n` equal pieces; piece i gets one bump as high as the
    target at the piece's midpoint. Sliders set the number of bumps and their steepness.
    """

    def __init__(self, bump: Callable, target: str = "sine", n_bumps: int = 8, steepness: float = 1000.0):
        self.bump = bump
        self.target = widgets.Dropdown(options=list(datasets.TARGET_CURVES), value=target, description="target")
        self.n_bumps = widgets.IntSlider(value=n_bumps, min=1, max=60, description="bumps", continuous_update=False)
        self.steepness = widgets.FloatLogSlider(value=steepness, base=10, min=0, max=4, step=0.1,
                                                description="steepness", continuous_update=False)
        self.plot = widgets.Output(layout=widgets.Layout(min_height="300px"))
        self.message = widgets.HTML()
        self.state: dict = {}
        for control in (self.target, self.n_bumps, self.steepness):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.target, self.n_bumps, self.steepness]), self.message, self.plot])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def redraw(self) -> None:
        f = datasets.target_curve(self.target.value)
        x = datasets.curve_grid()
        n = self.n_bumps.value
        edges = np.linspace(0.0, 1.0, n + 1)
        try:
            parts = [np.asarray(self.bump(x, lo, hi, float(f(np.array([(lo + hi) / 2]))[0]), self.steepness.value),
                                dtype=float)
                     for lo, hi in zip(edges[:-1], edges[1:])]
        except NotImplementedError:
            self.message.value = "<i>Finish the <code>bump</code> exercise above, then run this cell again.</i>"
            self.state = {"error": None, "ready": False}
            return
        approx = np.sum(parts, axis=0)
        error = float(np.max(np.abs(approx - f(x))))
        self.state = {"error": error, "ready": True, "n_bumps": n, "draws": self.state.get("draws", 0) + 1}
        self.message.value = f"{n} bumps, steepness {self.steepness.value:.0f}: largest error {error:.3f}"
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7, 3.2))
            plots.approximation(x, f(x), approx, ax=ax, parts=parts if n <= 20 else ())
            display(fig)
            plt.close(fig)


def bump_builder(bump: Callable, target: str = "sine", n_bumps: int = 8, steepness: float = 1000.0) -> BumpBuilder:
    """An explorer that sums bumps made by `bump(x, left, right, height, steepness)`."""
    return BumpBuilder(bump, target=target, n_bumps=n_bumps, steepness=steepness)
