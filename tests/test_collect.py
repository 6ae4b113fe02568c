"""`dlcourse collect`: submissions in LMS and browser names mapped to students and lessons."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from dlcourse.instructor.collect import collect, map_path

LESSONS = ["00_start_here", "01_sigmoid_node", "02_xor"]


@pytest.mark.parametrize("name, expected", [
    ("submissions/jdoe/01_sigmoid_node.ipynb", ("jdoe", "01_sigmoid_node")),
    ("jdoe/01_sigmoid_node (1).ipynb", ("jdoe", "01_sigmoid_node")),
    ("jdoe_12345_01_sigmoid_node (1).ipynb", ("jdoe", "01_sigmoid_node")),
    ("jdoe_late_12345_02_xor-1.ipynb", ("jdoe", "02_xor")),
    ("Jane Doe_1234567_assignsubmission_file_00_start_here.ipynb", ("jane_doe", "00_start_here")),
    ("asmith/02_xor.ipynb", ("asmith", "02_xor")),
])
def test_names_from_lms_and_browsers_are_mapped(name, expected):
    assert map_path(name, LESSONS, {}) == expected


def test_student_map_comes_first():
    assert map_path("12345_01_sigmoid_node.ipynb", LESSONS, {"12345": "jdoe"}) == ("jdoe", "01_sigmoid_node")


@pytest.mark.parametrize("name", ["notes.ipynb", "jdoe/homework.ipynb", "07_unknown_lesson.ipynb"])
def test_unrecognised_names_are_not_mapped(name):
    assert map_path(name, LESSONS, {}) is None


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    for lesson in LESSONS:
        (root / "solutions" / lesson).mkdir(parents=True)
        (root / "solutions" / lesson / f"{lesson}.ipynb").write_text("{}")
    return root


def test_collect_from_a_zip_reports_what_it_could_not_map(course, tmp_path):
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("jdoe_12345_01_sigmoid_node (1).ipynb", '{"cells": []}')
        z.writestr("asmith/02_xor.ipynb", '{"cells": []}')
        z.writestr("__MACOSX/._asmith", "junk")
        z.writestr("readme.txt", "not a notebook")
        z.writestr("mystery.ipynb", "{}")
        z.writestr("../escape_01_sigmoid_node.ipynb", "{}")
    lines = []
    mapped, unmapped = collect(course, archive, log=lines.append)
    assert sorted((s, l) for s, l, _ in mapped) == [("asmith", "02_xor"), ("jdoe", "01_sigmoid_node")]
    assert (course / "submitted" / "jdoe" / "01_sigmoid_node" / "01_sigmoid_node.ipynb").is_file()
    assert {rel for rel, _ in unmapped} == {"readme.txt", "mystery.ipynb"}
    assert any(line.startswith("NOT MAPPED: mystery.ipynb") for line in lines)
    assert not (tmp_path / "escape_01_sigmoid_node.ipynb").exists()


def test_collect_from_a_folder_with_a_student_map(course, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "98765_00_start_here.ipynb").write_text("{}")
    student_map = tmp_path / "map.csv"
    student_map.write_text("key,student\n98765,bwong\n")
    mapped, unmapped = collect(course, inbox, student_map, log=lambda _: None)
    assert [(s, l) for s, l, _ in mapped] == [("bwong", "00_start_here")] and unmapped == []
    shutil.rmtree(inbox)
