"""dlcourse.debugging (lesson 10's training harness), its checks, plots and dashboard: fast unit tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse import debugging, layers, plots, widgets  # noqa: E402
from dlcourse.checks import CheckFailed  # noqa: E402
from dlcourse.checks import debugging as checks  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_spiral_is_reproducible_and_balanced():
    X, y = debugging.spiral()
    X2, y2 = debugging.spiral()
    assert X.shape == (300, 2) and y.shape == (300,)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.abs(X).max() <= 1.0 + 1e-12
    Xmm, _ = debugging.load_run_data("spiral_mm")
    assert np.allclose(Xmm[:, 0], X[:, 0]) and np.allclose(Xmm[:, 1], 1000 * X[:, 1] + 2000)


def test_healthy_run_trains_and_records_everything():
    report = debugging.train_run("baseline")
    assert report.trains and not report.diverged
    assert report.losses.shape == (360,) and report.accuracy.shape == (60,)
    assert abs(report.losses[0] - np.log(3)) < 0.1  # a fresh 3-class network starts near ln 3
    assert set(report.grad_norms) == {"W1", "W2"} and set(report.dead_fraction) == {"h1"}
    assert 3e-4 < np.nanmedian(report.update_ratios["W1"]) < 3e-3
    assert report.first["activations"]["h1"].shape == (50, 64)
    assert report.last["grads"]["W2"].shape == (64, 3)


def test_training_is_deterministic_per_seed():
    a = debugging.train_run("baseline", seed=3, epochs=5)
    b = debugging.train_run("baseline", seed=3, epochs=5)
    c = debugging.train_run("baseline", seed=4, epochs=5)
    assert np.array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)


@pytest.mark.parametrize("name", list(debugging.BROKEN_RUNS) + list(debugging.MYSTERY_RUNS))
def test_every_broken_run_fails_to_train(name):
    assert not debugging.train_run(name).trains


def test_each_broken_run_shows_its_symptom():
    assert debugging.train_run("B").losses[:4].max() > 10  # loss jumps above ln 3 at once
    zero = debugging.train_run("A")
    assert zero.grad_norms["W1"][0] == 0 and zero.grad_norms["W2"][0] == 0 and zero.preact_std["h1"][0] == 0
    assert debugging.train_run("C").losses[0] > 1000
    assert abs(debugging.train_run("F").losses[0] - np.log(50)) < 0.2  # ln(batch size)
    dead = debugging.train_run("E")
    assert dead.dead_fraction["h1"][0] == 1.0 and np.all(dead.first["preactivations"]["h1"] < 0)
    deep = debugging.train_run("G")
    stds = [deep.act_std[f"h{i}"][0] for i in range(1, 7)]
    assert deep.diverged and all(b > 3 * a for a, b in zip(stds, stds[1:]))
    labels = debugging.train_run("D")
    assert abs(labels.final_loss - np.log(3)) < 0.1 and 3e-4 < np.nanmedian(labels.update_ratios["W1"]) < 3e-3


def test_nothing_the_lesson_prints_names_a_cause(capsys):
    """Run titles, the printed code and the printed report are neutral."""
    for name in debugging.RUNS:
        assert debugging.RUN_TITLES[name] in ("the healthy run", f"Run {name}", f"Mystery run {name[1:]}")
        debugging.print_report(debugging.train_run(name))
    printed = capsys.readouterr().out.lower()
    import inspect
    printed += inspect.getsource(debugging.own_shuffle).lower() + inspect.getsource(debugging.own_softmax_loss).lower()
    for word in ["bug", "broken", "wrong", "dead relu", "too high", "exploding", "zero init", "mismatch", "axis=0 is"]:
        assert word not in printed


def test_cached_runs_are_copies():
    a = debugging.train_run("B")
    a.losses[:] = 0
    assert debugging.train_run("B").losses[0] > 1


def test_reference_diagnose_names_every_lesson_run():
    for name in debugging.RUNS:
        assert debugging.reference_diagnose(debugging.run_stats(debugging.train_run(name))) == debugging._cause(name)


def test_reference_diagnose_on_new_runs_of_the_hidden_test():
    """The hidden test's new runs (its seed) are diagnosable: the course's own rules get every one right."""
    rng = np.random.default_rng(20261206)
    for cause in debugging.CAUSES:
        for _ in range(checks.NEW_RUNS_PER_CAUSE):
            config, data = debugging.make_run(cause, rng)
            report = debugging.train(config, data, seed=int(rng.integers(0, 1000)))
            assert debugging.reference_diagnose(debugging.run_stats(report)) == cause, (cause, config)


def test_run_stats_hold_no_settings():
    stats = debugging.run_stats(debugging.train_run("G"))
    assert set(stats) == {"classes", "batch_size", "inputs_mean", "inputs_std", "losses", "accuracy", "grad_norms",
                          "update_ratios", "dead_fraction", "act_std", "preact_mean", "preact_std"}
    assert len(stats["act_std"]) == 6 and stats["classes"] == 3 and stats["batch_size"] == 50


def test_recipe_checks():
    blind = debugging.train_run("baseline", {"zero_inputs": True})
    assert abs(blind.final_loss - np.log(3)) < 0.02
    assert debugging.overfit_small_batch("baseline").losses[-1] < 0.05
    assert debugging.overfit_small_batch("D").losses[-1] > 0.5
    moved = debugging.gradient_footprint()
    assert moved[0] == 1 and np.all(moved[1:] == 0)
    assert np.all(debugging.gradient_footprint(debugging.own_softmax_loss)[1:] > 0)


def test_buggy_functions_are_buggy_and_references_are_right():
    scores = np.array([[2.0, -1.0, 0.5], [0.3, 1.7, -0.4], [-1.2, 0.1, 2.4], [0.9, 0.0, -2.0]])
    y = np.array([0, 2, 1, 0])
    loss, _ = debugging.broken_softmax_loss(scores, y)
    assert not np.isclose(loss, layers.softmax_cross_entropy(scores, y)[0])
    X = np.arange(20.0).reshape(10, 2)
    labels = np.arange(10)
    Xs, ys = debugging.broken_shuffle(X, labels, np.random.default_rng(0))
    assert not np.array_equal(Xs[:, 0] / 2, ys)
    Xs, ys = debugging.reference_shuffle(X, labels, np.random.default_rng(0))
    assert np.array_equal(Xs[:, 0] / 2, ys)


def test_apply_fix_and_changed_settings():
    config = debugging.apply_fix("B", {"learning_rate": 0.1})
    assert config["learning_rate"] == 0.1 and debugging.BROKEN_RUNS["B"]["learning_rate"] == 10.0
    assert debugging.changed_settings("E", {"bias_init": -3}) == {}
    assert debugging.changed_settings("E", dict(debugging.BROKEN_RUNS["E"], bias_init=0.0)) == {"bias_init": 0.0}
    with pytest.raises(KeyError):
        debugging.train({"learning_rat": 0.1})


@pytest.mark.parametrize("name, fix", [
    ("B", {"learning_rate": 0.1}),
    ("A", {"init": "he"}),
    ("C", {"standardize": True}),
    ("E", {"bias_init": 0.0}),
    ("G", {"init": "he"}),
    ("G", {"init": "he", "clip_norm": 5.0}),
])
def test_check_fix_accepts_the_right_fixes(name, fix):
    checks.check_run_fix(name, fix)


@pytest.mark.parametrize("name, fix, phrase", [
    ("B", {"learning_rate": 1e-3}, "overshoots the other way"),
    ("B", {"learning_rate": 5.0}, "still too large"),
    ("B", {"momentum": 0.0}, "does not touch the cause"),
    ("B", {"learning_rate": 0.1, "momentum": 0.5}, "but also"),
    ("A", {"init": "constant", "init_scale": 0.1}, "symmetry"),
    ("C", {"learning_rate": 1e-4}, "does not touch the cause"),
    ("E", {"bias_init": -1.0}, "still negative"),
    ("E", {"bias_init": -0.5}, "still negative"),
    ("E", {"bias_init": -3.0}, "changes nothing"),
    ("E", {"activation": "tanh"}, "activation = 'tanh'"),
    ("E", {"activation": "leaky_relu"}, "activation = 'leaky_relu'"),
    ("G", {"clip_norm": 5.0}, "clip_norm = 5 keeps each step bounded"),
    ("G", {"init_scale": 0.7}, "init_scale = 0.7"),
    ("G", {"init_scale": 0.3}, "still grow"),
    ("G", {"init_scale": 0.3, "clip_norm": 1.0}, "clip_norm = 1 only bounds the steps"),
    ("G", {"nonsense": 1}, "not a setting"),
])
def test_check_fix_flags_wrong_fixes_with_a_message(name, fix, phrase):
    with pytest.raises(CheckFailed, match=phrase):
        checks.check_run_fix(name, fix, label=f"FIX_{name}")


def test_check_fixed_loss_and_check_shuffle():
    def fixed_softmax_loss(scores, y):
        scores = np.asarray(scores, dtype=float)
        shifted = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        n = len(y)
        loss = -np.mean(np.log(p[np.arange(n), y]))
        p[np.arange(n), y] -= 1
        return float(loss), p / n

    def shuffle_together(X, y, rng):
        order = rng.permutation(len(X))
        return X[order], y[order]

    checks.check_fixed_loss({"fixed_softmax_loss": fixed_softmax_loss})
    checks.check_shuffle({"shuffle_together": shuffle_together})
    with pytest.raises(CheckFailed, match="buggy value"):
        checks.check_fixed_loss({"fixed_softmax_loss": _copy(debugging.own_softmax_loss)})
    with pytest.raises(CheckFailed, match="no longer match"):
        checks.check_shuffle({"shuffle_together": _copy(debugging.own_shuffle)})
    with pytest.raises(CheckFailed, match="reversed"):
        checks.check_shuffle({"shuffle_together": lambda X, y, rng: (X[::-1].copy(), y[::-1].copy())})


def _copy(func):
    """A copy of a package function that looks like a student's (module __main__)."""
    import types
    copy = types.FunctionType(func.__code__, func.__globals__, func.__name__)
    copy.__module__ = "__main__"
    return copy


def test_check_diagnose_accepts_the_reference_rules_and_flags_a_constant():
    def diagnose(stats):
        return _copy(debugging.reference_diagnose)(stats)

    checks.check_diagnose({"diagnose": diagnose})
    checks.hidden_diagnose({"diagnose": diagnose}, seed=20261206)
    with pytest.raises(CheckFailed, match="not its cause"):
        checks.check_diagnose({"diagnose": lambda stats: "healthy"})


def test_plots_draw_every_report():
    for name in ["baseline", "A", "G", "M1"]:
        report = debugging.train_run(name)
        fig = plots.training_dashboard(report, title=name)
        assert len(fig.axes) == 6
        axes = plots.layer_histograms(report, "activations", "first")
        assert len(axes) == len(report.act_std)
        plots.layer_histograms(report, "grads", "last")
        plots.loss_curves(report)
        plots.update_ratios(report)
        plots.gradient_norm_curves(report)
    plots.debugging.gradient_footprint_bars(debugging.gradient_footprint())


def test_the_dashboard_holds_everything_inside_its_fixed_margins():
    """A notebook shows the dashboard untrimmed (`plots._layout.FixedMarginsFigure`): nothing may fall outside it."""
    for name in [*debugging.RUNS, *debugging.MYSTERY_RUNS]:
        fig = plots.training_dashboard(debugging.train_run(name), title=debugging.RUN_TITLES[name])
        fig.canvas.draw()
        box = fig.get_tightbbox(fig.canvas.get_renderer())
        width, height = fig.get_size_inches()
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, \
            f"run {name}: the dashboard draws outside its {width} x {height} in figure: {box.bounds}"
        plt.close(fig)


_NOTEBOOK_DISPLAY = """
import base64, json, struct
import matplotlib.pyplot as plt
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.enable_gui = lambda gui=None: None      # no event loop to hook: inline figures need none
shell.run_line_magic("matplotlib", "inline")
from dlcourse import debugging, plots

def png_width(fig):
    data = shell.display_formatter.format(fig)[0]["image/png"]
    data = base64.b64decode(data) if isinstance(data, str) else data
    return struct.unpack(">I", data[16:20])[0]

board = plots.training_dashboard(debugging.train_run("A"), title="run A")
plain, _ = plt.subplots(figsize=(14, 6.6))
plain.gca().set_title("an ordinary figure")
out = {"dpi": board.dpi, "board": png_width(board), "plain": png_width(plain)}
shell.run_line_magic("config", "InlineBackend.figure_formats = ['svg']")
out["svg"] = sorted(shell.display_formatter.format(board)[0])
print(json.dumps(out))
"""


def test_a_notebook_shows_the_dashboard_untrimmed_in_the_format_it_chose():
    """IPython trims every figure (bbox_inches="tight", a second layout pass); the dashboard is shown at its own
    size, in whatever format the notebook chose, and any other figure is trimmed as before."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _NOTEBOOK_DISPLAY], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["board"] == round(14 * out["dpi"]), out      # the figure's own width, untrimmed
    assert out["plain"] < round(14 * out["dpi"]), out       # an ordinary figure: trimmed, as IPython does
    assert "image/svg+xml" in out["svg"] and "image/png" not in out["svg"], out


def test_run_dashboard_switches_runs_and_shows_fixes():
    board = widgets.run_dashboard("baseline", fixes={"B": {"learning_rate": 0.1}, "A": None})
    assert board.state["trains"] and board.state["run"] == "baseline"
    assert len(board.run.options) == len(debugging.RUNS) + 1
    board.run.value = ("B", None)
    assert not board.state["trains"] and board.settings.value == ""  # a run's settings are what is diagnosed
    board.run.value = ("B", "fix")
    assert board.state["trains"] and board.state["variant"] == "fix" and "learning_rate = 0.1" in board.settings.value
    draws = board.state["draws"]
    board.seed.value = 1
    assert board.state["seed"] == 1 and board.state["draws"] == draws + 1


def test_a_fix_that_gives_the_healthy_settings_reuses_the_healthy_run():
    healthy = debugging.train_run("baseline", seed=1)
    fixed = debugging.train_run("A", {"init": "he"}, seed=1)
    assert np.array_equal(healthy.losses, fixed.losses) and fixed is not healthy
    key_count = len(debugging._RUN_CACHE)
    debugging.train_run("E", {"bias_init": 0}, seed=1)   # the same settings (0 and 0.0 alike): no new training
    assert len(debugging._RUN_CACHE) == key_count


def test_runs_with_a_student_function_are_not_cached():
    calls = []

    def my_shuffle(X, y, rng):
        calls.append(1)
        order = rng.permutation(len(X))
        return X[order], y[order]

    debugging.train_run("D", {"shuffle": my_shuffle}, epochs=1)
    debugging.train_run("D", {"shuffle": my_shuffle}, epochs=1)
    assert len(calls) == 2


def test_the_hidden_fix_test_reuses_the_visible_tests_runs_of_the_same_function():
    from dlcourse.checks import debugging as checks

    calls = []

    def shuffle_together(X, y, rng):
        calls.append(1)
        order = rng.permutation(len(X))
        return X[order], y[order]

    checks._train_with(shuffle_together, "shuffle", "D", "shuffle_together", checks.VISIBLE_SEEDS, None)
    trained = len(calls)
    checks._train_with(shuffle_together, "shuffle", "D", "shuffle_together", checks.HIDDEN_SEEDS, None, visible=False)
    assert checks.HIDDEN_SEEDS == checks.VISIBLE_SEEDS and len(calls) == trained   # nothing trained again
    checks._train_with(shuffle_together, "shuffle", "D", "shuffle_together", checks.VISIBLE_SEEDS, None)
    assert len(calls) == 2 * trained   # a visible test trains afresh
