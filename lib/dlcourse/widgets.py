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

    MARGIN = 0.1  # as dlcourse.checks.check_gate

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
        # the margin the lessons' tests ask for: above 0.6 where the gate gives 1, below 0.4 where it gives 0
        with_margin = bool(np.all(np.where(y == 1, out >= 0.5 + self.MARGIN, out <= 0.5 - self.MARGIN)))
        self.state = {"w": w.copy(), "b": b, "outputs": out, "solved": solved, "with_margin": with_margin,
                      "draws": self.state.get("draws", 0) + 1}
        self.table.value = plots.truth_table(X, out, y)
        gate = self.gate.value
        if with_margin:
            self.verdict.value = (f"<b style='color:#1b9e77'>This node computes {gate}, with the margin the tests "
                                  "ask for (outputs above 0.6 or below 0.4).</b>")
        elif solved:
            self.verdict.value = (f"<span style='color:#b35806'>Every corner is on the right side, so the node computes "
                                  f"{gate}, but some output is between 0.4 and 0.6: the tests need a margin. Multiply "
                                  "w1, w2 and b by the same factor to sharpen the outputs.</span>")
        else:
            self.verdict.value = (f"<span>Not {gate} yet: move the line so that the round points "
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

    INTERIOR = (0.05, 0.95)  # where the error is measured (see `redraw`)

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
        # At x = 0 and x = 1 the sum is only half the target (the outer bumps pass through half their
        # height at their edges), whatever n: the error is measured on the interior [0.05, 0.95].
        inside = (x >= self.INTERIOR[0]) & (x <= self.INTERIOR[1])
        error = float(np.max(np.abs(approx - f(x))[inside]))
        steepness = self.steepness.value
        notes = []
        if self.target.value == "steps":
            notes.append("The target jumps by 0.25 at x = 0.25, 0.5 and 0.75. A sum of smooth bumps cannot jump: "
                         "at each jump it passes through the middle, so the largest error stays near half a jump, "
                         "0.125, however many bumps you add. The theorem promises this only for continuous targets.")
        if steepness < 4 * n:
            notes.append(f"Each edge is about 4/steepness = {4 / steepness:.3f} wide, wider than a piece "
                         f"(1/{n} = {1 / n:.3f}): neighbouring bumps smear into each other. A lower steepness "
                         "smooths the staircase only while the edges stay narrower than a piece, so raise it "
                         "as you add bumps.")
        self.state = {"error": error, "ready": True, "n_bumps": n, "notes": notes,
                      "draws": self.state.get("draws", 0) + 1}
        self.message.value = (f"{n} bumps, steepness {steepness:.0f}: largest error {error:.3f} on "
                              f"[{self.INTERIOR[0]}, {self.INTERIOR[1]}] (at 0 and 1 the sum is only half "
                              "the target: half bumps)" + "".join(f"<br>{note}" for note in notes))
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


# --------------------------------------------------------------------------------------
# Lesson 06 (classification): one sample's scores and three losses


class LossExplorer(widgets.VBox):
    """Move the scores of one sample over C classes and watch three losses respond.

    `softmax_cross_entropy(scores, y)` and `hinge_loss(scores, y)` are called with scores of
    shape (1, C) and y of shape (1,) and must return (loss, dscores) (lesson 06's exercises);
    the squared error is computed here: sum over classes of (softmax - one_hot)**2.
    Left panel: the scores, the true class in green, the classes that violate the hinge
    margin (score above s_y - 1) in orange. Right panel: each loss as the true class's score
    moves with the other scores fixed; the dot marks the current value.
    """

    def __init__(self, softmax_cross_entropy: Callable, hinge_loss: Callable,
                 scores=(8.0, 14.0, 9.5, 10.0), true_class: int = 3):
        self.softmax_cross_entropy = softmax_cross_entropy
        self.hinge_loss = hinge_loss
        slider = dict(min=-5.0, max=20.0, step=0.5, continuous_update=False, layout=widgets.Layout(width="300px"))
        self.sliders = [widgets.FloatSlider(value=float(v), description=f"score {k + 1}", **slider)
                        for k, v in enumerate(scores)]
        self.true_class = widgets.Dropdown(options=[(f"class {k + 1}", k) for k in range(len(scores))],
                                           value=int(true_class), description="true class")
        self.readout = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="300px"))
        self.state: dict = {}
        for control in (*self.sliders, self.true_class):
            control.observe(lambda _change: self.redraw(), names="value")
        controls = widgets.VBox([self.true_class, *self.sliders, self.readout])
        super().__init__([widgets.HBox([controls, self.plot])])
        self.redraw()

    def losses(self, scores: np.ndarray, true_class: int) -> tuple[float, float, float]:
        """(cross-entropy, hinge, squared error) of one sample with scores of shape (C,)."""
        s = np.asarray(scores, dtype=float)[None, :]
        y = np.array([true_class])
        ce = float(self.softmax_cross_entropy(s, y)[0])
        hinge = float(self.hinge_loss(s, y)[0])
        e = np.exp(s[0] - s[0].max())
        p = e / e.sum()
        target = np.zeros_like(p)
        target[true_class] = 1.0
        return ce, hinge, float(np.sum((p - target) ** 2))

    def redraw(self) -> None:
        scores = np.array([s.value for s in self.sliders])
        k = self.true_class.value
        try:
            ce, hinge, mse = self.losses(scores, k)
            sweep = np.linspace(-5.0, 25.0, 121)
            curves = np.array([self.losses(np.where(np.arange(len(scores)) == k, v, scores), k) for v in sweep])
        except NotImplementedError:
            self.readout.value = ("<i>Finish <code>softmax_cross_entropy</code> and <code>hinge_loss</code> "
                                  "(Exercises 6 and 7), then run this cell again.</i>")
            self.state = {"ready": False}
            return
        except Exception as error:  # noqa: BLE001 (show the student's error instead of a traceback)
            self.readout.value = f"<i>Your loss functions raised {type(error).__name__}: {error}</i>"
            self.state = {"ready": False}
            return
        e = np.exp(scores - scores.max())
        probs = e / e.sum()
        violators = [j for j in range(len(scores)) if j != k and scores[j] > scores[k] - 1.0]
        self.state = {"ready": True, "cross_entropy": ce, "hinge": hinge, "squared_error": mse, "probs": probs,
                      "violators": violators, "draws": self.state.get("draws", 0) + 1}
        self.readout.value = (
            "softmax: " + ", ".join(f"{p:.3f}" for p in probs) +
            f"<br>cross-entropy <b>{ce:.3f}</b> · hinge <b>{hinge:.3f}</b> · squared error <b>{mse:.3f}</b>"
            f"<br>predicted: class {int(np.argmax(scores)) + 1}")
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, (ax_s, ax_l) = plt.subplots(1, 2, figsize=(9.5, 3.4))
            colors = ["#1b9e77" if j == k else "#d95f02" if j in violators else "0.6" for j in range(len(scores))]
            ax_s.bar(np.arange(1, len(scores) + 1), scores, color=colors, edgecolor="k")
            ax_s.axhline(scores[k] - 1.0, color="k", ls="--", lw=1, label="$s_y - 1$")
            ax_s.set(xlabel="class", ylabel="score", title="scores (green: true, orange: violate margin)",
                     xticks=np.arange(1, len(scores) + 1))
            ax_s.legend(fontsize="small")
            for column, (label, value) in enumerate([("cross-entropy", ce), ("hinge", hinge),
                                                      ("squared error", mse)]):
                line, = ax_l.plot(sweep, curves[:, column], lw=2, label=label)
                ax_l.plot([scores[k]], [value], "o", color=line.get_color())
            ax_l.set(xlabel=f"score of the true class (class {k + 1})", ylabel="loss", ylim=(-0.2, 12),
                     title="losses as the true score moves")
            ax_l.grid(alpha=0.3)
            ax_l.legend(fontsize="small")
            fig.tight_layout()
            display(fig)
            plt.close(fig)


def loss_explorer(softmax_cross_entropy: Callable, hinge_loss: Callable, scores=(8.0, 14.0, 9.5, 10.0),
                  true_class: int = 3) -> LossExplorer:
    """An explorer of cross-entropy, hinge and squared error for one sample (see `LossExplorer`).

    The two loss functions take (scores (N, C), y (N,)) and return (loss, dscores)."""
    return LossExplorer(softmax_cross_entropy, hinge_loss, scores=scores, true_class=true_class)


# --------------------------------------------------------------------------------------
# Lesson 07 (training deep networks): update rules racing on one loss surface

def optimizer_rules() -> dict:
    """The six update rules of lesson 07 with a learning rate that suits each on
    `datasets.valley_loss`: {name: (rule, learning rate)} (rules from `dlcourse.optim`)."""
    from . import optim

    return {
        "SGD": (optim.sgd, 0.01),
        "momentum": (optim.sgd_momentum, 0.003),
        "Nesterov": (optim.nesterov, 0.003),
        "Adagrad": (optim.adagrad, 0.5),
        "RMSprop": (optim.rmsprop, 0.02),
        "Adam": (optim.adam, 0.1),
    }


class OptimizerRace(widgets.VBox):
    """Update rules racing from the same start on the curved valley `datasets.valley_loss`.

    A checkbox per rule chooses which ones run; the "lr ×" slider multiplies every rule's own
    learning rate (the rates differ by a factor 100 between rules, so one shared value would
    suit none); the "steps" slider sets how many updates each rule makes. Left: the paths on
    the contours of the loss; right: the loss after every step; below: a table of learning
    rates, final losses and the first step with a loss below 0.01.
    """

    def __init__(self, rules: dict | None = None, steps: int = 150, scale: float = 1.0,
                 show=("SGD", "momentum", "Adam")):
        self.rules = dict(rules or optimizer_rules())
        self.boxes = {name: widgets.Checkbox(value=name in show, description=name, indent=False,
                                             layout=widgets.Layout(width="110px"))
                      for name in self.rules}
        self.scale = widgets.FloatLogSlider(value=scale, base=10, min=-1, max=1, step=0.05,
                                            description="lr ×", continuous_update=False)
        self.steps = widgets.IntSlider(value=steps, min=10, max=500, step=10, description="steps",
                                       continuous_update=False)
        self.table = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="380px"))
        self.state: dict = {}
        for control in (*self.boxes.values(), self.scale, self.steps):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox(list(self.boxes.values())), widgets.HBox([self.scale, self.steps]),
                          self.table, self.plot])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def paths(self) -> dict:
        """{name: path array (K + 1, 2)} for every checked rule, with the current settings."""
        from . import datasets, optim

        out = {}
        for name, box in self.boxes.items():
            if box.value:
                rule, lr = self.rules[name]
                out[name] = optim.run_optimizer(rule, datasets.valley_grad, datasets.VALLEY_START, self.steps.value,
                                                {"learning_rate": lr * self.scale.value})
        return out

    def redraw(self) -> None:
        from . import datasets

        paths = self.paths()
        rows, finals, curves = [], {}, {}
        for name, path in paths.items():
            losses = np.maximum(datasets.valley_loss(path), 1e-16)
            curves[name] = losses
            diverged = len(path) < self.steps.value + 1
            below = np.flatnonzero(losses < 1e-2)
            finals[name] = float("nan") if diverged else float(losses[-1])
            rows.append(f"<tr><td>{name}</td><td>{self.rules[name][1] * self.scale.value:.3g}</td>"
                        f"<td>{'diverged at step %d' % len(path) if diverged else f'{losses[-1]:.3g}'}</td>"
                        f"<td>{below[0] if below.size else '—'}</td></tr>")
        self.table.value = ("<table><tr><th>rule</th><th>learning rate</th><th>final loss</th>"
                            "<th>first step with loss &lt; 0.01</th></tr>" + "".join(rows) + "</table>")
        self.state = {"final_loss": finals, "lengths": {k: len(v) for k, v in paths.items()},
                      "draws": self.state.get("draws", 0) + 1}
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, (ax_paths, ax_loss) = plt.subplots(1, 2, figsize=(11, 4.3))
            plots.optimizer_paths(datasets.valley_loss, paths, ax=ax_paths, minimum=datasets.VALLEY_MINIMUM,
                                  title="paths on the valley f = (1 - x)² + 10 (y - x²)²")
            if curves:
                plots.loss_curves(curves, ax=ax_loss, title="loss after each step")
            plt.tight_layout()
            display(fig)
            plt.close(fig)


def optimizer_race(rules: dict | None = None, steps: int = 150, scale: float = 1.0,
                   show=("SGD", "momentum", "Adam")) -> OptimizerRace:
    """An explorer of update rules on one loss surface (see `OptimizerRace`).

    rules : {name: (rule, learning rate)}; by default `optimizer_rules()` (the references in
    `dlcourse.optim`); pass your own functions to race them.
    """
    return OptimizerRace(rules=rules, steps=steps, scale=scale, show=show)


# --------------------------------------------------------------------------------------
# Lesson 04: an activation function, its slope, and where it saturates

def _activation_table(alpha: float) -> dict:
    """name -> (f, f', formula) for the explorer; every callable maps an array (N,) to (N,)."""
    from ._math import logistic as _sig

    return {
        "sigmoid": (_sig, lambda z: _sig(z) * (1 - _sig(z)), r"$\sigma(z) = 1/(1+e^{-z})$"),
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2, r"$\tanh(z)$"),
        "ReLU": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float), r"$\max(z, 0)$"),
        "leaky ReLU": (lambda z: np.where(z > 0, z, alpha * z), lambda z: np.where(z > 0, 1.0, alpha),
                       rf"$z$ if $z>0$, else ${alpha:g}\,z$"),
        "linear (identity)": (lambda z: np.asarray(z, dtype=float), lambda z: np.ones_like(z, dtype=float), r"$z$"),
    }


class ActivationExplorer(widgets.VBox):
    """Pick an activation: see it, its slope, and the zones where it saturates.

    A zone is saturated where |f'(z)| < threshold * max |f'| (default 1 %): a unit whose z sits
    there passes back almost no gradient. For leaky ReLU a slider sets alpha; another sets the
    range of z shown. `.state` keeps what was drawn last (name, alpha, the saturated intervals,
    the share of the range they cover, whether the slope is exactly zero somewhere).
    """

    NAMES = ("sigmoid", "tanh", "ReLU", "leaky ReLU", "linear (identity)")

    def __init__(self, name: str = "sigmoid", alpha: float = 0.01, z_max: float = 8.0, threshold: float = 0.01):
        self.threshold = threshold
        self.name = widgets.Dropdown(options=list(self.NAMES), value=name, description="activation")
        self.alpha = widgets.FloatLogSlider(value=alpha, base=10, min=-3, max=-0.3, step=0.1,
                                            description="alpha", continuous_update=False)
        self.z_max = widgets.FloatSlider(value=z_max, min=2.0, max=20.0, step=1.0, description="z range ±",
                                         continuous_update=False)
        self.message = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="300px"))
        self.state: dict = {}
        for control in (self.name, self.alpha, self.z_max):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.name, self.alpha, self.z_max]), self.message, self.plot])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def redraw(self) -> None:
        name, alpha = self.name.value, float(self.alpha.value)
        self.alpha.layout.visibility = "visible" if name == "leaky ReLU" else "hidden"
        f, df, formula = _activation_table(alpha)[name]
        z = np.linspace(-self.z_max.value, self.z_max.value, 1201)
        intervals = plots.saturation_intervals(df, z, self.threshold)
        slope = np.broadcast_to(np.abs(df(z)), z.shape)
        covered = float(np.mean(slope < self.threshold * slope.max()))
        zero = bool(np.any(slope == 0))
        self.state = {"name": name, "alpha": alpha, "intervals": intervals, "saturated_share": covered,
                      "zero_slope": zero, "max_slope": float(slope.max()), "draws": self.state.get("draws", 0) + 1}
        if not intervals:
            verdict = "no saturated zone in this range: the slope stays at least 1 % of its largest value."
        else:
            zones = ", ".join(f"[{a:.2f}, {b:.2f}]" for a, b in intervals)
            kind = ("the slope is exactly 0 there: a unit stuck in that zone gets no gradient at all (dead)"
                    if zero else "the slope is small there but never 0: learning slows down but does not stop")
            verdict = f"saturated for z in {zones} ({100 * covered:.0f} % of the range shown); {kind}."
        self.message.value = (f"<b>{name}</b>: {formula}, largest slope {slope.max():.3g}. {verdict}")
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, axes = plt.subplots(1, 2, figsize=(10, 3.3))
            plots.activation_and_slope(f, df, z=z, axes=axes, name=name, threshold=self.threshold)
            fig.tight_layout()
            display(fig)
            plt.close(fig)


def activation_explorer(name: str = "sigmoid", alpha: float = 0.01, z_max: float = 8.0) -> ActivationExplorer:
    """An explorer of the activations of lesson 04 (see `ActivationExplorer`)."""
    return ActivationExplorer(name=name, alpha=alpha, z_max=z_max)


# --------------------------------------------------------------------------------------
# Lesson 03: gradient descent on the dating survey

class DescentExplorer(widgets.VBox):
    """Learning rate, number of iterations and the units of the inputs, driving gradient descent
    on a linear model with two inputs: its path on the cost surface and its loss curve.

    X : (N, 2) in its original units (education in years, income in dollars); y : (N,).
    The scalings are "dollars" (X as it is), "thousands" (second column / 1000) and
    "standardized" (every column centred and scaled to standard deviation 1). The path starts
    at W = 0, b = 0. With `descent` (the student's `gradient_descent(X, y, learning_rate, iterations)`)
    the explorer runs that function: the loss curve and the last parameters come from one run, the
    path from runs stopped after 0, 1, 2, ... steps; without it, the reference
    `dlcourse.regression.descent_path` computes both. The learning rates on the slider include the
    ones the lesson asks about (2.9e-8 and 3.2e-8 around the limit in dollars, 0.5 and 0.9 standardized). The contours
    are the cost over the two weights with the bias at its value after the last step (a slice
    of the three-dimensional bowl); the star marks the true weights (the least-squares weights
    when no truth is given).
    `.state` holds what was last drawn (final loss, W and b in original units, overflow).
    """

    SCALINGS = ("dollars", "thousands", "standardized")
    RATES = tuple(sorted({round(m * 10.0 ** e, 14) for e in range(-10, 0) for m in (1, 2, 3, 5)}
                         | {2.9e-8, 3.2e-8, 4e-3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0}))

    def __init__(self, X, y, scaling: str = "dollars", learning_rate: float = 1e-8, iterations: int = 200,
                 truth=None, descent=None):
        from . import regression

        self._regression = regression
        self.descent = descent
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.truth = truth
        self.scaling = widgets.Dropdown(options=list(self.SCALINGS), value=scaling, description="income in")
        rates = sorted(set(self.RATES) | {float(learning_rate)})
        self.learning_rate = widgets.SelectionSlider(options=[(f"{r:.1e}", r) for r in rates], value=float(learning_rate),
                                                     description="learning rate", continuous_update=False,
                                                     layout=widgets.Layout(width="420px"))
        self.iterations = widgets.IntSlider(value=iterations, min=1, max=3000, step=1, description="iterations",
                                            continuous_update=False, layout=widgets.Layout(width="420px"))
        self.message = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="380px"))
        self.state: dict = {}
        for control in (self.scaling, self.learning_rate, self.iterations):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.scaling, self.learning_rate]), self.iterations, self.message,
                          self.plot])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def inputs(self):
        """The inputs in the chosen units and a function mapping (W, b) back to original units."""
        R = self._regression
        if self.scaling.value == "dollars":
            return self.X, lambda W, b: (np.asarray(W, dtype=float), float(b))
        if self.scaling.value == "thousands":
            scale = np.array([1.0, 1000.0])
            return self.X / scale, lambda W, b: (np.asarray(W, dtype=float) / scale, float(b))
        Xs, mean, std = R.standardize(self.X)
        return Xs, lambda W, b: R.to_original_units(W, b, mean, std)

    def run(self, Xd, lr: float, n: int) -> dict:
        """One descent of n steps: W, b, losses, path (rows (W..., b) after 0, 1, ... steps; with `descent`,
        after a selection of step counts), diverged_at (the first non-finite loss, or None)."""
        if self.descent is None:
            return self._regression.descent_path(Xd, self.y, lr, n)
        with np.errstate(all="ignore"):
            W, b, losses = self.descent(Xd, self.y, lr, n)
            losses = np.asarray(losses, dtype=float)
            bad = np.flatnonzero(~np.isfinite(losses))
            steps = sorted(set(range(min(n, 12) + 1)) | {int(k) for k in np.geomspace(13, max(n, 13), 10) if k <= n}
                           | {n})   # every early step (the zig-zag), then ten points to the end: about n extra steps
            path = []
            for k in steps:
                Wk, bk = (W, b) if k == n else self.descent(Xd, self.y, lr, k)[:2]
                path.append(np.append(np.asarray(Wk, dtype=float), float(bk)))
        diverged_at = int(bad[0]) if bad.size else None
        return {"W": np.asarray(W, dtype=float), "b": float(b), "losses": losses[:diverged_at],
                "path": np.array(path), "diverged_at": diverged_at}

    def redraw(self) -> None:
        R = self._regression
        Xd, back = self.inputs()
        lr, n = float(self.learning_rate.value), int(self.iterations.value)
        try:
            run = self.run(Xd, lr, n)
        except Exception as error:  # the student's function may be unfinished: say so instead of a traceback
            text = ("is not written yet (Exercise 5)" if isinstance(error, NotImplementedError)
                    else f"raised {type(error).__name__}: {error}")
            self.message.value = f"<b style='color:#d95f02'>The explorer runs your gradient_descent, which {text}.</b>"
            self.state = {"error": str(error) or type(error).__name__, "draws": self.state.get("draws", 0) + 1}
            return
        W_best, _ = R.least_squares(Xd, self.y)
        limit = 2.0 / float(R.hessian_eigenvalues(Xd)[-1])
        W, b = back(run["W"], run["b"])
        diverged = run["diverged_at"] is not None or not np.all(np.isfinite(run["path"][-1]))
        final = float(run["losses"][-1]) if len(run["losses"]) else float("nan")
        self.state = {"scaling": self.scaling.value, "learning_rate": lr, "iterations": n, "loss": final,
                      "W": W, "b": b, "diverged": diverged, "diverged_at": run["diverged_at"],
                      "stable_below": limit, "draws": self.state.get("draws", 0) + 1}
        if diverged:
            self.message.value = (f"<b style='color:#d95f02'>Overflow at iteration {run['diverged_at']}</b>: "
                                  f"the learning rate {lr:.1e} is above the stable limit {limit:.2e} "
                                  "(2 / the steepest curvature) for these units.")
        elif len(run["losses"]) > 1 and run["losses"][-1] > run["losses"][0]:
            self.message.value = (f"<b style='color:#d95f02'>The loss is growing</b> ({run['losses'][0]:.3g} → "
                                  f"{final:.3g}): the learning rate {lr:.1e} is above the stable limit {limit:.2e} "
                                  "for these units; more iterations will overflow.")
        else:
            fit = R.least_squares(self.X, self.y)   # the best any optimizer can reach, in the original units
            rel = R.relative_errors(W, b, *fit)
            truth = (f"; largest relative distance to the least-squares fit {100 * rel.max():.2f} % "
                     + ("✔ within 1 %" if rel.max() <= 0.01 else ""))
            self.message.value = (f"loss {final:.4g} after {n} iterations; in dollars: W = ({W[0]:.4g}, {W[1]:.4g}), "
                                  f"b = {b:.4g}{truth}. Stable below learning rate {limit:.2e}.")
        spans = [max(abs(v), 1e-12) for v in W_best]
        finite = run["path"][np.all(np.isfinite(run["path"]), axis=1)]
        ranges = []
        for d in range(2):  # the start, the fit and the path, but not the far reaches of a blow-up
            lo = min(0.0, W_best[d], float(finite[:, d].min())) if len(finite) else min(0.0, W_best[d])
            hi = max(0.0, W_best[d], float(finite[:, d].max())) if len(finite) else max(0.0, W_best[d])
            lo, hi = max(lo, W_best[d] - 3 * spans[d]), min(hi, W_best[d] + 3 * spans[d])
            ranges.append((lo - 0.15 * (hi - lo) - 0.2 * spans[d], hi + 0.15 * (hi - lo) + 0.2 * spans[d]))
        w1_range, w2_range = ranges
        star = W_best
        if self.truth is not None:  # the true weights, written in the units descent runs in
            Xs_std = self.X.std(axis=0)
            factor = {"dollars": np.ones(2), "thousands": np.array([1.0, 1000.0]), "standardized": Xs_std}
            star = np.asarray(self.truth[0], dtype=float) * factor[self.scaling.value]
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.0))
            b_now = float(run["path"][-1, -1])
            plots.cost_surface(Xd, self.y, {f"lr {lr:.1e}": run["path"]}, w1_range=w1_range, w2_range=w2_range,
                               b=None if diverged or not np.isfinite(b_now) else b_now, ax=ax1, truth=star,
                               labels=("$W_1$ (education)", f"$W_2$ (income, {self.scaling.value})"),
                               title="cost over the weights (best b at each point)" if diverged
                               else f"cost over the weights at the current b = {b_now:.3g}")
            plots.loss_curves({f"lr {lr:.1e}": run["losses"] if len(run["losses"]) else [np.nan]}, ax=ax2,
                              xlabel="iteration", ylabel="mean squared error", title="loss")
            fig.tight_layout()
            display(fig)
            plt.close(fig)


def descent_explorer(X, y, scaling: str = "dollars", learning_rate: float = 1e-8, iterations: int = 200,
                     truth=None, descent=None) -> DescentExplorer:
    """An explorer of gradient descent on the dating survey (see `DescentExplorer`).

    X : (N, 2) education and income in dollars; y : (N,); truth : optional (W (2,), b) in dollars;
    descent : optional gradient_descent(X, y, learning_rate, iterations) to run (the student's own).
    """
    return DescentExplorer(X, y, scaling=scaling, learning_rate=learning_rate, iterations=iterations, truth=truth,
                           descent=descent)


# --------------------------------------------------------------------------------------
# Lesson 05 (backpropagation)


class VanishingGradientExplorer(widgets.VBox):
    """Gradient norm per layer of a deep net: choose the depth, the activation and the initialization.

    The norms come from `dlcourse.network.layer_gradient_norms` (random inputs, 64 units per
    hidden layer, softmax output); the plot shows one line per activation on a log scale, and
    the text the ratio between the last and the first layer. `.state` keeps the last norms.
    `layers` ({"affine": (forward, backward), "sigmoid": ..., "relu": ...}) are the layer pairs to
    measure with (lesson 05 passes the student's own); the others come from the package. The
    initializations: LeCun 1/sqrt(n_in), Glorot sqrt(2/(n_in + n_out)), He sqrt(2/n_in), std 1.
    """

    CHOICES = {"sigmoid vs ReLU": ("sigmoid", "relu"), "sigmoid": ("sigmoid",), "tanh": ("tanh",),
               "ReLU": ("relu",), "all three": ("sigmoid", "tanh", "relu")}

    def __init__(self, depth: int = 10, activations: str = "sigmoid vs ReLU", init: str = "lecun",
                 layers: dict | None = None):
        self.layers = dict(layers or {})
        self.depth = widgets.IntSlider(value=depth, min=1, max=30, description="hidden layers",
                                       continuous_update=False, style={"description_width": "initial"})
        self.activations = widgets.Dropdown(options=list(self.CHOICES), value=activations, description="activation")
        self.init = widgets.Dropdown(options=[("1/sqrt(n_in) (LeCun)", "lecun"),
                                              ("sqrt(2/(n_in+n_out)) (Glorot)", "glorot"),
                                              ("sqrt(2/n_in) (He)", "he"), ("std 1", "normal")],
                                     value="glorot" if init == "xavier" else init, description="init")
        self.plot = widgets.Output(layout=widgets.Layout(min_height="330px"))
        self.text = widgets.HTML()
        self.state: dict = {}
        for control in (self.depth, self.activations, self.init):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.depth, self.activations, self.init]), self.plot, self.text])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def redraw(self) -> None:
        from .network import layer_gradient_norms

        try:
            norms = {name: layer_gradient_norms(name, depth=self.depth.value, init=self.init.value, layers=self.layers)
                     for name in self.CHOICES[self.activations.value]}
        except NotImplementedError:
            self.text.value = ("<i>Finish your layers (Exercises 2, 3 and 4: affine, ReLU and sigmoid), then run "
                               "this cell again.</i>")
            self.state = {"ready": False, "draws": self.state.get("draws", 0)}
            return
        except Exception as error:  # noqa: BLE001 (show the student's error instead of a traceback)
            self.text.value = f"<i>Your layers raised {type(error).__name__}: {error}</i>"
            self.state = {"ready": False, "draws": self.state.get("draws", 0)}
            return
        self.state = {"norms": norms, "draws": self.state.get("draws", 0) + 1}
        lines = []
        for name, values in norms.items():
            ratio = values[0] / values[-1] if values[-1] > 0 else float("nan")
            lines.append(f"{name}: layer 1 gets {ratio:.2g} times the gradient norm of the output layer")
        self.text.value = "<br>".join(lines)
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(6.4, 3.6))
            plots.gradient_norms_by_layer(norms, ax=ax, title=f"{self.depth.value} hidden layers, init {self.init.value}")
            display(fig)
            plt.close(fig)


def vanishing_gradient_explorer(depth: int = 10, activations: str = "sigmoid vs ReLU",
                                init: str = "lecun", layers: dict | None = None) -> VanishingGradientExplorer:
    """An explorer of gradient norms layer by layer (see `VanishingGradientExplorer`); `layers` are
    the layer pairs to measure with, e.g. the student's own."""
    return VanishingGradientExplorer(depth=depth, activations=activations, init=init, layers=layers)


# --------------------------------------------------------------------------------------
# Lesson 10 (debugging training): a dashboard of the broken runs

class RunDashboard(widgets.VBox):
    """Pick a training run (the healthy baseline, a broken run, or a broken run with a fix)
    and a seed; see its loss curve, accuracy, update ratios, gradient norms and activations.

    fixes : optional {run name: fix dict}; each adds an entry "<run> · with your fix".
    Reports are cached, so switching back and forth is instant. `.state` holds the last
    run's name, seed, summary, final loss and whether it trains.
    """

    def __init__(self, run: str = "baseline", fixes: dict | None = None, seed: int = 0):
        from . import debugging

        self._debugging = debugging
        self.fixes = {k: v for k, v in (fixes or {}).items() if v is not None}
        options = [(f"baseline · {debugging.RUN_TITLES['baseline']}", ("baseline", None))]
        options += [(debugging.RUN_TITLES[name], (name, None)) for name in debugging.RUNS if name != "baseline"]
        options += [(f"{debugging.RUN_TITLES[name]} · with your fix", (name, "fix")) for name in self.fixes]
        values = [v for _, v in options]
        self.run = widgets.Dropdown(options=options, value=(run, None) if (run, None) in values else values[0],
                                    description="run", layout=widgets.Layout(width="330px"))
        self.seed = widgets.IntSlider(value=seed, min=0, max=3, description="seed", continuous_update=False)
        self.summary = widgets.HTML()
        self.settings = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="480px"))
        self.state: dict = {}
        self._cache: dict = {}
        self.run.observe(lambda _change: self.redraw(), names="value")
        self.seed.observe(lambda _change: self.redraw(), names="value")
        super().__init__([widgets.HBox([self.run, self.seed]), self.summary, self.settings, self.plot])
        self.redraw()

    def report(self):
        """The TrainingReport of the selected run and seed (trained once, then cached)."""
        name, variant = self.run.value
        key = (name, variant, self.seed.value)
        if key not in self._cache:
            fix = self.fixes.get(name) if variant == "fix" else None
            self._cache[key] = self._debugging.train_run(name, fix, seed=self.seed.value)
        return self._cache[key]

    def redraw(self) -> None:
        dbg = self._debugging
        name, variant = self.run.value
        try:
            report = self.report()
        except Exception as error:  # a student's fix may not run at all: say so instead of a traceback
            self.summary.value = f"<b style='color:#d95f02'>This run raised {type(error).__name__}: {error}</b>"
            self.state = {"run": name, "variant": variant, "error": str(error)}
            return
        base = dbg.RUNS[name]
        # the settings of a run are what the student diagnoses: only the student's own fix is shown
        diff = dbg.changed_settings(name, self.fixes[name]) if variant == "fix" else {}
        shown = ", ".join(f"{k} = {getattr(v, '__name__', v) if callable(v) else repr(v)}" for k, v in diff.items())
        verdict = "trains ✔" if report.trains else "does not train ✘"
        self.summary.value = (f"<b>{dbg.RUN_TITLES[name]}{' with your fix' if variant else ''}</b>, seed "
                              f"{self.seed.value}: {dbg.summarize(report)}; first loss {report.losses[0]:.4g} "
                              f"— <b>{verdict}</b>")
        self.settings.value = f"<small>your fix changes: {shown or 'nothing'}</small>" if variant == "fix" else ""
        self.state = {"run": name, "variant": variant, "seed": self.seed.value, "summary": dbg.summarize(report),
                      "final_loss": report.final_loss, "trains": report.trains, "base": base,
                      "draws": self.state.get("draws", 0) + 1}
        with self.plot:
            self.plot.clear_output(wait=True)
            fig = plots.training_dashboard(report)
            display(fig)
            plt.close(fig)


def run_dashboard(run: str = "baseline", fixes: dict | None = None, seed: int = 0) -> RunDashboard:
    """A dashboard of lesson 10's training runs (see `RunDashboard`)."""
    return RunDashboard(run=run, fixes=fixes, seed=seed)


# --------------------------------------------------------------------------------------
# Lesson 08 (regularization): a polynomial fitted by ridge regression, degree and penalty on sliders


class PolynomialExplorer(widgets.VBox):
    """Fit a polynomial by ridge regression with *your* `polynomial_features` and `ridge_fit`.

    Sliders set the degree and the penalty lam (a logarithmic slider). The left panel shows the
    fit over the training and validation points, the right one the training and validation
    errors against the degree at the current lam, with the current degree marked.
    """

    def __init__(self, features: Callable, fit: Callable, x_train, y_train, x_val, y_val, degree: int = 9,
                 lam: float = 1e-6, max_degree: int = 12):
        self.features, self.fit = features, fit
        self.data = tuple(np.asarray(a, dtype=float) for a in (x_train, y_train, x_val, y_val))
        self.degree = widgets.IntSlider(value=degree, min=0, max=max_degree, description="degree",
                                        continuous_update=False)
        self.lam = widgets.FloatLogSlider(value=lam, base=10, min=-10, max=2, step=0.25, description="λ (lam)",
                                          continuous_update=False, readout_format=".1e")
        self.plot = widgets.Output(layout=widgets.Layout(min_height="330px"))
        self.message = widgets.HTML()
        self.state: dict = {}
        for control in (self.degree, self.lam):
            control.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.degree, self.lam]), self.message, self.plot])
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def errors(self, degree: int, lam: float) -> tuple[np.ndarray, float, float]:
        """(w, training MSE, validation MSE) of the ridge fit of the given degree and penalty."""
        x_train, y_train, x_val, y_val = self.data
        w = np.asarray(self.fit(np.asarray(self.features(x_train, degree), dtype=float), y_train, lam), dtype=float)
        train = float(np.mean((np.asarray(self.features(x_train, degree)) @ w - y_train) ** 2))
        val = float(np.mean((np.asarray(self.features(x_val, degree)) @ w - y_val) ** 2))
        return w, train, val

    def redraw(self) -> None:
        x_train, y_train, x_val, y_val = self.data
        d, lam = self.degree.value, self.lam.value
        try:
            w, train, val = self.errors(d, lam)
            curve = [self.errors(k, lam)[1:] for k in range(self.degree.max + 1)]
        except NotImplementedError:
            self.message.value = ("<i>Finish Exercises 2 and 3 (<code>polynomial_features</code> and "
                                  "<code>ridge_fit</code>), then run this cell again.</i>")
            self.state = {"ready": False}
            return
        self.state = {"ready": True, "degree": d, "lam": lam, "train_mse": train, "val_mse": val,
                      "weight_norm": float(np.linalg.norm(w)), "draws": self.state.get("draws", 0) + 1}
        self.message.value = (f"degree {d}, λ = {lam:.1e}: training MSE <b>{train:.4f}</b>, validation MSE "
                              f"<b>{val:.4f}</b>, ‖w‖ = {np.linalg.norm(w):.3g}")
        with self.plot:
            self.plot.clear_output(wait=True)
            fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.6))
            plots.polynomial_fit(x_train, y_train, lambda g: np.asarray(self.features(g, d), dtype=float) @ w,
                                 x_val=x_val, y_val=y_val, truth=lambda g: g, ax=left,
                                 title=f"degree {d}, λ = {lam:.1e}")
            degrees = np.arange(self.degree.max + 1)
            plots.error_curves(degrees, [c[0] for c in curve], [c[1] for c in curve], xlabel="degree", ax=right,
                               mark=d, title=f"errors against the degree at λ = {lam:.1e}")
            fig.tight_layout()
            display(fig)
            plt.close(fig)


def polynomial_explorer(features: Callable, fit: Callable, x_train, y_train, x_val, y_val, degree: int = 9,
                        lam: float = 1e-6) -> PolynomialExplorer:
    """An explorer of a ridge polynomial fit: `features(x, degree)` -> (N, degree + 1),
    `fit(X, y, lam)` -> w (see `PolynomialExplorer`)."""
    return PolynomialExplorer(features, fit, x_train, y_train, x_val, y_val, degree=degree, lam=lam)


# --------------------------------------------------------------------------------------
# Lesson 09 (Keras on MNIST): browse the test digits a classifier gets wrong.


class MistakeBrowser(widgets.VBox):
    """Step through the digits a classifier gets wrong: the image, and the probability it
    gave each of the ten classes (true class green, predicted class red).

    images : (N, 28, 28) or (N, 784);  labels : (N,) true labels;  probabilities : (N, 10)
    (rows summing to 1, e.g. `model.predict(x)`). A dropdown picks the true class ("all" or
    one digit), a slider the mistake. `.state` keeps the index, the labels and the
    probabilities last drawn.
    """

    def __init__(self, images, labels, probabilities):
        self.images = np.asarray(images, dtype=float).reshape(len(images), 28, 28)
        self.labels = np.asarray(labels, dtype=int).ravel()
        self.probabilities = np.asarray(probabilities, dtype=float)
        self.predicted = np.argmax(self.probabilities, axis=1)
        self.wrong = np.flatnonzero(self.predicted != self.labels)
        self.digit = widgets.Dropdown(options=["all"] + [str(d) for d in range(10)], value="all",
                                      description="true digit")
        self.index = widgets.IntSlider(value=0, min=0, max=max(len(self.wrong) - 1, 0), description="mistake",
                                       continuous_update=False, layout=widgets.Layout(width="420px"))
        self.info = widgets.HTML()
        self.plot = widgets.Output(layout=widgets.Layout(min_height="300px"))
        self.state: dict = {}
        self.digit.observe(self._digit_changed, names="value")
        self.index.observe(self._changed, names="value")
        super().__init__([widgets.HBox([self.digit, self.index]), self.info, self.plot])
        self.redraw()

    def _selection(self) -> np.ndarray:
        if self.digit.value == "all":
            return self.wrong
        return self.wrong[self.labels[self.wrong] == int(self.digit.value)]

    def _digit_changed(self, _change) -> None:
        chosen = self._selection()
        self.index.value = 0
        self.index.max = max(len(chosen) - 1, 0)
        self.redraw()

    def _changed(self, _change) -> None:
        self.redraw()

    def redraw(self) -> None:
        chosen = self._selection()
        with self.plot:
            self.plot.clear_output(wait=True)
            if len(chosen) == 0:
                self.info.value = "No mistakes in this selection."
                self.state = {"index": None, "draws": self.state.get("draws", 0) + 1}
                return
            k = int(chosen[min(self.index.value, len(chosen) - 1)])
            p = self.probabilities[k]
            true, guess = int(self.labels[k]), int(self.predicted[k])
            self.info.value = (f"{len(chosen)} mistakes in this selection; test image {k}: true label "
                               f"<b>{true}</b>, predicted <b style='color:#d62728'>{guess}</b> "
                               f"with probability {p[guess]:.2f} (true class: {p[true]:.2f}).")
            self.state = {"index": k, "label": true, "predicted": guess, "probabilities": p.copy(),
                          "mistakes": len(chosen), "draws": self.state.get("draws", 0) + 1}
            fig, (ax_img, ax_bar) = plt.subplots(1, 2, figsize=(8, 2.8), gridspec_kw={"width_ratios": [1, 2.2]})
            ax_img.imshow(self.images[k], cmap="gray_r")
            ax_img.set(xticks=[], yticks=[], title=f"label {true}")
            colors = ["#bbbbbb"] * 10
            colors[guess] = "#d62728"
            colors[true] = "#1b9e77"
            ax_bar.bar(range(10), p, color=colors)
            ax_bar.set(xticks=range(10), ylim=(0, 1), xlabel="class", ylabel="probability")
            fig.tight_layout()
            display(fig)
            plt.close(fig)


def mistake_browser(images, labels, probabilities) -> MistakeBrowser:
    """A browser of the misclassified digits (see `MistakeBrowser`)."""
    return MistakeBrowser(images, labels, probabilities)
