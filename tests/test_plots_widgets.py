"""dlcourse.plots and dlcourse.widgets draw without a display and react to their controls."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import ipywidgets  # noqa: E402
import pytest  # noqa: E402

from dlcourse import datasets, plots, reference, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_decision_regions_draws_boundary_and_points():
    X, y = datasets.logic_gate("AND")
    ax = plots.decision_regions(lambda P: 1 / (1 + np.exp(-(P @ np.array([1.0, 1.0]) - 1.5))), X, y)
    assert len(ax.collections) >= 3  # filled contour, boundary line, scatter
    plots.node_line([1.0, 1.0], -1.5, ax=ax)
    plots.node_line([1.0, 0.0], -0.5, ax=ax)  # vertical line
    plots.node_line([0.0, 0.0], 1.0, ax=ax)   # no line at all: must not fail


def test_function_curves_and_approximation():
    ax = plots.function_curves({"relu": lambda x: np.maximum(0, x), "id": lambda x: x})
    assert len(ax.lines) >= 2
    x = datasets.curve_grid(100)
    ax = plots.approximation(x, np.sin(x), np.sin(x) + 0.1)
    assert "0.100" in ax.get_title()


def test_truth_table_marks_right_and_wrong_rows():
    X, y = datasets.logic_gate("AND")
    html = plots.truth_table(X, np.array([0.1, 0.2, 0.3, 0.9]), y)
    assert html.count("✔") == 4
    html = plots.truth_table(X, np.array([0.1, 0.7, 0.3, 0.9]), y)
    assert html.count("✘") == 1


def test_node_explorer_recomputes_when_a_slider_moves():
    explorer = widgets.node_explorer(gate="AND", w=(1.0, 1.0), b=-0.5)
    assert not explorer.state["solved"]  # w=(1,1), b=-0.5 is OR, not AND
    draws = explorer.state["draws"]
    explorer.b.value = -1.5
    assert explorer.state["solved"] and explorer.state["draws"] == draws + 1
    assert np.allclose(explorer.outputs(), 1 / (1 + np.exp(-(datasets.GATE_INPUTS @ [1.0, 1.0] - 1.5))))
    explorer.gate.value = "OR"
    assert not explorer.state["solved"]
    assert "This node computes" not in explorer.verdict.value


def test_node_explorer_asks_for_the_margin_the_tests_demand():
    # w = (1, 1), b = -1.2 computes AND, but (0, 1) gets sigmoid(-0.2) = 0.45: not below 0.4
    explorer = widgets.node_explorer(gate="AND", w=(1.0, 1.0), b=-1.2)
    assert explorer.state["solved"] and not explorer.state["with_margin"]
    assert "margin" in explorer.verdict.value and "with the margin" not in explorer.verdict.value
    explorer.w1.value, explorer.w2.value, explorer.b.value = 8.0, 8.0, -10.0  # sliders stop at ±10
    assert explorer.state["with_margin"] and "with the margin the tests" in explorer.verdict.value



def test_bump_builder_error_shrinks_with_more_bumps():
    builder = widgets.bump_builder(reference.bump, target="parabola", n_bumps=4)
    coarse = builder.state["error"]
    builder.n_bumps.value = 40
    assert builder.state["ready"] and builder.state["error"] < coarse


def test_bump_builder_measures_the_interior_and_explains_what_cannot_improve():
    builder = widgets.bump_builder(reference.bump, target="sine", n_bumps=4)
    coarse = builder.state["error"]
    builder.n_bumps.value = 40
    assert builder.state["error"] < coarse / 5  # the half bumps at 0 and 1 no longer hide the gain
    assert builder.state["notes"] == []
    builder.target.value = "steps"
    assert builder.state["error"] > 0.1 and "continuous" in builder.message.value
    builder.target.value = "sine"
    builder.steepness.value = 10.0  # edges 0.4 wide, pieces 0.025
    assert any("raise it" in note for note in builder.state["notes"])


def test_bump_builder_waits_for_an_unfinished_bump():
    def stub(*args, **kwargs):
        raise NotImplementedError()

    builder = widgets.bump_builder(stub)
    assert builder.state["ready"] is False
    assert "Finish the" in builder.message.value


def test_every_widget_of_the_course_builds():
    """The gallery the Colab test also builds under Colab's ipywidgets 7.7 (tests/widget_gallery.py)."""
    from widget_gallery import build_all

    built = build_all()
    assert len(built) >= 10
    for name, widget in built.items():
        assert isinstance(widget, ipywidgets.Widget), name


def test_widget_gallery_holds_every_widget_a_lesson_shows():
    """The Colab test shows the gallery in the classic notebook: it must hold each lesson's widgets."""
    import re

    from nbtools import ROOT
    from widget_gallery import GALLERY

    for notebook in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        lesson = notebook.parent.name
        shown = set(re.findall(r"widgets\.([a-z_]+)\(", notebook.read_text()))
        shown = {name for name in shown if isinstance(getattr(widgets, name, None), type(widgets.node_explorer))}
        missing = {name for name in shown if lesson not in GALLERY.get(name, ((), ""))[0]}
        assert not missing, f"{lesson} shows {sorted(missing)}: add them to tests/widget_gallery.py's GALLERY"


def test_log_axes_are_labelled_in_plain_text_not_mathtext():
    """Typesetting matplotlib's mathtext log labels was most of a training dashboard's drawing time."""
    from dlcourse.plots.common import log_scale

    fig, ax = plt.subplots()
    log_scale(ax, "y")
    ax.plot([1, 2, 3], [1e-4, 1e-3, 3e-3])
    ax.set_ylim(1e-4, 3e-3)
    log_scale(ax.twinx(), "y", kind="symlog", linthresh=1e-2)
    fig.canvas.draw()
    major = [t.get_text() for t in ax.get_yticklabels()]
    minor = [t.get_text() for t in ax.get_yticklabels(minor=True) if t.get_text()]
    assert {"10⁻⁴", "10⁻³"} <= set(major) and "2×10⁻⁴" in minor
    assert not any("$" in label for label in major + minor)
    from dlcourse import debugging

    report = debugging.train_run("baseline")
    dash = plots.training_dashboard(report, title="baseline")
    dash.canvas.draw()
    labels = [t.get_text() for a in dash.axes for t in a.get_yticklabels() + a.get_xticklabels()]
    assert labels and not any("$" in label for label in labels)
    plt.close("all")


@pytest.mark.parametrize("env, laid_out", [({"NBGRADER_EXECUTION": "autograde", "DLCOURSE_FIGURES": "0"}, False),
                                           ({"NBGRADER_EXECUTION": "autograde", "DLCOURSE_FIGURES": "1"}, True),
                                           ({"DLCOURSE_FIGURES": "0"}, True), ({}, True)])
def test_figures_are_laid_out_unless_graded_with_figures_off(monkeypatch, env, laid_out):
    """Graded with figures off, nobody sees a figure: tight_layout (a third of a second a row) is skipped."""
    for name in ("NBGRADER_EXECUTION", "DLCOURSE_FIGURES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for layout in (lambda fig: fig.tight_layout(), lambda fig: plt.tight_layout()):
        fig, axes = plt.subplots(1, 2)
        axes[0].set_ylabel("a long label on the left")
        before = (fig.subplotpars.left, fig.subplotpars.wspace)
        layout(fig)
        assert ((fig.subplotpars.left, fig.subplotpars.wspace) != before) is laid_out
        plt.close(fig)


def test_augmentation_grid_draws_its_panels_unless_graded_with_figures_off(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("DLCOURSE_FIGURES", "0")
    assert len(plots.augmentation_grid(np.zeros((2, 8, 8)), np.zeros((2, 3, 8, 8))).axes) == 8
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert len(plots.augmentation_grid(np.zeros((2, 8, 8)), np.zeros((2, 3, 8, 8))).axes) == 0


def test_decision_regions_shade_the_plane_unless_graded_with_figures_off(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("DLCOURSE_FIGURES", "0")
    ax = plots.decision_regions(lambda P: P[:, 0], datasets.GATE_INPUTS, np.array([0, 1, 1, 0]))
    assert ax.collections and len(ax.figure.axes) == 2      # the shading, the points, the colour bar
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    ax = plots.decision_regions(lambda P: P[:, 0], datasets.GATE_INPUTS, np.array([0, 1, 1, 0]))
    assert not ax.collections and len(ax.figure.axes) == 1
