"""The pure parts of benchmarks/run_benchmarks.py: merging results, the report, the README splice.

Made-up figures only: nothing here runs a notebook or times anything.
"""

import copy
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("run_benchmarks", ROOT / "benchmarks" / "run_benchmarks.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

LESSONS = ["00_start_here", "01_sigmoid_node", "09_keras_mnist", "10_debugging_training"]


def run(i, command="python benchmarks/run_benchmarks.py"):
    return {"id": i, "date": f"2026-11-2{i} 10:00", "machine": f"machine {i}", "command": command}


@pytest.fixture
def results():
    one = lambda s: {"seconds": s, "setup": 1.0, "notebooks": 1, "full_marks": 1}  # noqa: E731
    return {
        "runs": [run(1), run(2, "python benchmarks/run_benchmarks.py --lessons 09_keras_mnist")],
        "lessons": {
            "00_start_here": {"run": 1, "times": [2.0, 3.0, 9.0], "graded": [1.5, 1.5, 1.5]},
            "01_sigmoid_node": {"run": 1, "error": "CellExecutionError: boom"},
            "09_keras_mnist": {"run": 2, "times": [45.0, 50.0, 55.0], "graded": [10.0, 12.0, 14.0]},
        },
        "grading": {"sandbox": "off (no bwrap)", "class_size": 10, "workers": ["1", "2"], "lessons": {
            "00_start_here": {"run": 1, "one": [one(4.0), one(6.0)], "class": {
                "1": {"seconds": 40.0, "setup": 3.0, "notebooks": 10, "full_marks": 10},
                "2": {"seconds": 20.0, "setup": 3.0, "notebooks": 10, "full_marks": 9}}},
            "09_keras_mnist": {"run": 2, "one": [one(20.0), one(30.0)], "class": {
                "1": {"error": "SystemExit: no lesson"},
                "2": {"seconds": 100.0, "setup": 15.0, "notebooks": 10, "full_marks": 10}}}}},
        "mnist": {"run": 2, "settings": {"hidden_units": [512], "epochs": 10, "batch_size": 128, "learning_rate": 1e-3,
                                         "n_train": None, "n_test": None, "net": "784-512-10"},
                  "trials": [{"numpy": {"accuracy": 0.981, "seconds_per_epoch": 4.0, "threads": 1},
                              "keras": {"accuracy": 0.984, "seconds_per_epoch": 8.0, "threads": None}, "ratio": 0.5}]},
        "regression": {"run": 1, "rows": [
            {"inputs": "standardized", "learning_rate": 0.1, "iterations": 25, "how": "counted"},
            {"inputs": "income in dollars", "learning_rate": 1e-7, "iterations": None, "how": "closed form"}]},
    }


def test_report_shows_every_section_with_medians_bars_and_runs(results):
    text = bench.render(results, LESSONS)
    assert "| 2 | 2026-11-22 10:00 | machine 2 | `python benchmarks/run_benchmarks.py --lessons 09_keras_mnist` |" in text
    assert "| 00_start_here | 3 | 3.0 | 2.0–9.0 | 1.5 | 20 | 0.15 | 1 |" in text
    assert "| 09_keras_mnist | 3 | 50.0 | 45.0–55.0 | 12.0 | 90 | 0.56 | 2 |" in text
    assert "| 01_sigmoid_node | | failed: CellExecutionError: boom |" in text
    assert "| **whole course** (2 of 4 lessons) | | **53.0** | | 13.5 | 300 | 0.18 | |" in text
    assert "Not in the sum (not measured, or failed): 01_sigmoid_node, 10_debugging_training." in text
    # one student: median of the per-run totals (4 + 20, 6 + 30); class: per lesson, per worker count
    assert "| **whole course** (2 lessons) | | **30.0** (bar about 60) |" in text
    assert "| 00_start_here | 2 | 5.0 (1.0) | 40.0 (3.0) | 3.70 | 10/10 | 20.0 (3.0) | 1.70 | 9/10 | 1 |" in text
    assert "failed: SystemExit: no lesson" in text
    assert "| **120.0** (18.0) | 5.10 | 19/20 | |" in text  # 2 workers, both lessons: (120 - 18) / 20
    assert "Speed-up of 2 workers over 1: 0.33x." in text  # 40 s (only 00) against 120 s (00 and 09)
    assert "| test accuracy | 98.10 % | 98.40 % |" in text and "| seconds per epoch | 4.00 | 8.00 | **0.50** |" in text
    assert "| standardized | 0.1 | 25 | counted | 1x |" in text
    assert "| income in dollars | 1e-07 | not reached | closed form | – |" in text


def test_report_of_nothing_says_so():
    assert bench.render({}, LESSONS).count("Not measured yet.") == 5


def _class(**over):
    one = {"seconds": 50.0, "setup": 30.0, "notebooks": 4, "full_marks": 4, "cached": 0, "short": []}
    return {"run": 4, "sandbox": "on (bubblewrap)", "workers": 2, "class_size": 3, "lessons": LESSONS,
            "one_cold": one, "one": {**one, "seconds": 25.0, "setup": 5.0, "cached": 4},
            "class": {"seconds": 35.0, "setup": 5.0, "notebooks": 12, "full_marks": 11, "cached": 4,
                      "short": ["09_keras_mnist s001: 5.0/8.0 timeout: cell 12 ran longer than its budget"]}, **over}


def test_class_section_shows_setup_per_notebook_and_share_against_the_goals():
    results = {"runs": [run(4, "python benchmarks/run_benchmarks.py --all --class-size 3")], "class": _class()}
    text = bench.render(results, LESSONS)
    assert "`dlcourse autograde --all --workers 2` in a scratch course with 4 lessons, sandbox on (bubblewrap) (run 4)" in text
    assert "| set-up of the whole course, empty cache (one student) | 30.0 | ≤ 30 |" in text
    assert "| set-up of the whole course, cached | 5.0 | ≤ 30 |" in text
    assert "| one complete submission after set-up (one student alone) | 20.0 | ≤ 30 |" in text
    assert "| class of 3 x 4 lessons, whole command | 35.0 |  |" in text
    assert "| per notebook after set-up, 2 workers | 2.50 | ≤ 1.5 |" in text  # (35 - 5) / 12
    assert "| student's share of the whole course (per notebook x lessons) | 10.0 | ≤ 30 |" in text
    assert "| full marks | 11/12 | all |" in text
    assert "- 09_keras_mnist s001: 5.0/8.0 timeout: cell 12 ran longer than its budget" in text
    failed = bench.render({"runs": [run(4)], "class": _class(**{"class": {"error": "exit 1: boom"}})}, LESSONS)
    assert "| per notebook after set-up, 2 workers | failed | ≤ 1.5 |" in failed and "class of 3: failed: exit 1: boom" in failed
    summary = bench.summary(results)
    assert "class of 3 x 4 lessons, 2 workers | 35 s (2.50 s per notebook after set-up, student's share 10 s)" in summary
    merged = bench.merge(results, {"runs": [run(5)], "class": {**_class(), "run": 5}})
    assert [r["id"] for r in merged["runs"]] == [5]  # the class section is replaced whole


def test_merge_keeps_sections_not_run_and_lessons_one_by_one(results):
    new = {"runs": [run(3)], "lessons": {"00_start_here": {"run": 3, "times": [1.0], "graded": [1.0]}}}
    merged = bench.merge(copy.deepcopy(results), new)
    assert merged["lessons"]["00_start_here"]["run"] == 3
    assert merged["lessons"]["09_keras_mnist"] == results["lessons"]["09_keras_mnist"]
    assert merged["mnist"] == results["mnist"] and merged["grading"] == results["grading"]
    assert [r["id"] for r in merged["runs"]] == [1, 2, 3]
    assert bench.merge(merged, new)["runs"] == merged["runs"]  # saving a run twice adds it once


def test_merge_replaces_grading_with_other_settings_and_drops_unused_runs(results):
    grading = {"sandbox": "off (no bwrap)", "class_size": 10, "workers": ["1", "2"],
               "lessons": {"01_sigmoid_node": {"run": 3, "one": [], "class": {}}}}
    same = bench.merge(copy.deepcopy(results), {"runs": [run(3)], "grading": grading})
    assert sorted(same["grading"]["lessons"]) == ["00_start_here", "01_sigmoid_node", "09_keras_mnist"]
    other = bench.merge(copy.deepcopy(results), {"runs": [run(3)], "grading": {**grading, "class_size": 100}})
    assert sorted(other["grading"]["lessons"]) == ["01_sigmoid_node"]
    everything = {"runs": [run(3)], "lessons": {k: {**v, "run": 3} for k, v in results["lessons"].items()},
                  "grading": {**grading, "class_size": 5}, "mnist": {**results["mnist"], "run": 3},
                  "regression": {**results["regression"], "run": 3}}
    assert [r["id"] for r in bench.merge(copy.deepcopy(results), everything)["runs"]] == [3]


def test_summary_has_date_machine_and_key_figures(results):
    text = bench.summary(results)
    assert "2026-11-22 10:00 UTC, machine 2" in text
    assert "| whole course, solutions in fresh kernels (2 lessons, sum of medians) | 53 s | 300 s |" in text
    assert "| slowest lesson (09_keras_mnist) | 50.0 s | 90 s |" in text
    assert "| MNIST seconds per epoch NumPy / Keras | 4.00 / 8.00 (ratio 0.50) | ratio ≤ 0.6 |" in text
    assert "autograde a class of 10, 2 worker(s)" in text
    assert bench.summary({}).startswith("Latest figures (never UTC")


def test_splice_replaces_only_between_the_markers():
    readme = f"# Course\n\n## Benchmarks\n\nintro\n\n{bench.README_START}\nold table\n{bench.README_END}\n\n## License\n"
    once = bench.splice(readme, "new table")
    assert once == readme.replace("old table", "new table")
    assert bench.splice(once, "new table") == once
    with pytest.raises(SystemExit, match="markers"):
        bench.splice("# Course without markers\n", "new table")


def test_the_readme_has_the_markers():
    text = (ROOT / "README.md").read_text()
    assert text.index(bench.README_START) < text.index(bench.README_END)
