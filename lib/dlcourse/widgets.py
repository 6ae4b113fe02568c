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
from ._math import logistic




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
        return logistic(X @ np.array([self.w1.value, self.w2.value]) + self.b.value)

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
            plots.decision_regions(lambda P: logistic(P @ w + b), X, y, ax=ax,
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


class SawtoothExplorer(widgets.VBox):
    """A depth slider: the sawtooth of a deep, narrow ReLU net and what a shallow net would need."""

    def __init__(self, depth: int = 3, max_depth: int = 8):
        self.depth = widgets.IntSlider(value=depth, min=1, max=max_depth, description="layers",
                                       continuous_update=False)
        self.message = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="280px"))
        self.state: dict = {}
        self.depth.observe(lambda _change: self.redraw(), names="value")
        super().__init__([self.depth, self.message, self.plot])
        self.redraw()

    def redraw(self) -> None:
        k = self.depth.value
        x = np.linspace(0.0, 1.0, 2**12 + 1)  # every breakpoint j / 2**k lies on the grid
        y = datasets.sawtooth(x, k)
        pieces = datasets.count_linear_pieces(x, y)
        self.state = {"depth": k, "units_deep": 2 * k, "pieces": pieces, "units_shallow_min": pieces - 1,
                      "draws": self.state.get("draws", 0) + 1}
        self.message.value = (f"{k} hidden layers × 2 ReLU units = <b>{2 * k} units</b> make <b>{pieces}</b> "
                              f"linear pieces; one hidden layer would need at least <b>{pieces - 1}</b> units.")
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7, 2.8))
            plots.function_curves({f"tent composed {k}×": lambda t: datasets.sawtooth(t, k)}, x=x, ax=ax,
                                  title=f"{pieces} linear pieces", ylim=(-0.05, 1.1))
            display(fig)
            plt.close(fig)


def sawtooth_explorer(depth: int = 3, max_depth: int = 8) -> SawtoothExplorer:
    """An explorer of depth versus width (see `SawtoothExplorer`)."""
    return SawtoothExplorer(depth=depth, max_depth=max_depth)
