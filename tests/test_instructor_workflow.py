"""A term in miniature through the `dlcourse` command: release --zip, collect a zip,
autograde --all (without the sandbox, which the red-team suite covers; the class report and the
misconception report), feedback (mistakes named, hidden tests never shown), export."""

from __future__ import annotations

import csv
import re
import zipfile

import nbformat
import pytest

from dlcourse.instructor import cli
from redteam.course import honest, make_course

pytestmark = pytest.mark.slow
LESSON = "00_start_here"
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "default_rng(7)", "integer inputs")  # text only hidden tests contain


def test_release_collect_autograde_feedback_export(tmp_path, capsys):
    root = make_course(tmp_path / "course", [LESSON])
    course = ["--course", str(root)]

    assert cli.main([*course, "release", LESSON, "--zip", str(tmp_path / "lessons.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "lessons.zip") as z:
        assert f"{LESSON}/{LESSON}.ipynb" in z.namelist()
        released = z.read(f"{LESSON}/{LESSON}.ipynb").decode()
    assert "BEGIN SOLUTION" not in released and "BEGIN HIDDEN TESTS" not in released

    right = honest(LESSON)
    wrong = honest(LESSON)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "weighted_sum":
            cell.source = "def weighted_sum(X, w):\n    return X * w\n"
    downloads = tmp_path / "downloads.zip"
    with zipfile.ZipFile(downloads, "w") as z:
        z.writestr(f"alice_1001_{LESSON} (1).ipynb", nbformat.writes(right))
        z.writestr(f"bob_1002_{LESSON}.ipynb", nbformat.writes(wrong))
    assert cli.main([*course, "collect", str(downloads)]) == 0
    assert (root / "submitted" / "alice" / LESSON / f"{LESSON}.ipynb").is_file()

    assert cli.main([*course, "autograde", "--all", "--workers", "2", "--timeout", "60", "--no-sandbox"]) == 0
    report = list(csv.DictReader(open(root / "reports" / LESSON / "grading_report.csv")))
    scores = {r["student"]: (float(r["score"]), float(r["max_score"])) for r in report}
    assert scores == {"alice": (11.0, 11.0), "bob": (8.0, 11.0)}  # bob loses weighted_sum (3), keeps the warm-up
    assert list(csv.DictReader(open(root / "reports" / "course" / "grading_report.csv"))) == report  # one lesson
    assert re.search(r"^bob +8 / 11 +\(1 of 1 lessons\)", (root / "reports" / "course" / "grading_report.txt").read_text(), re.M)
    assert list((root / ".dlcourse-cache" / "budgets").glob(f"{LESSON}-*.json"))  # the timing run is cached
    wrong = [r for r in csv.DictReader(open(root / "reports" / LESSON / "misconceptions.csv"))
             if r["exercise"] == "test_weighted_sum" and r["outcome"] != "passed"]
    assert [(r["students"], r["of"]) for r in wrong] == [("1", "2")], wrong  # bob's one failure, however named
    assert (root / "reports" / LESSON / "misconceptions.png").is_file()

    assert cli.main([*course, "feedback", LESSON]) == 0
    for student in ("alice", "bob"):
        html = (root / "feedback" / student / LESSON / f"{LESSON}.html").read_text()
        assert "weighted_sum: visible checks" in html or student == "bob"
        leaked = [m for m in HIDDEN_MARKERS + ("[mistake:",) if m in html]
        assert not leaked, f"feedback of {student} shows hidden tests or mistake ids: {leaked}"
        named = wrong[0]["outcome"] == "mistake"
        assert ("Your mistakes in this lesson" in html) == (student == "bob" and named), student
        assert student != "bob" or not named or wrong[0]["message"].split(":")[0] in html

    assert cli.main([*course, "export", "--output", str(tmp_path / "grades.csv")]) == 0
    grades = {r["student_id"]: r for r in csv.DictReader(open(tmp_path / "grades.csv"))}
    assert float(grades["alice"]["score"]) == 11.0 and float(grades["bob"]["score"]) == 8.0
    assert float(grades["alice"]["max_score"]) == 12.0  # 11 autograded + 1 by hand
