"""The project's metadata agrees with itself: dependencies, lessons, points, Colab cells."""

from __future__ import annotations

import re
import tomllib

import nbformat
import pytest
import yaml

from dlcourse import colab, course
from nbtools import ROOT, SOLUTIONS, lesson_ids, nbgrader_meta, notebook_path


def _split(requirement: str) -> tuple[str, str]:
    """(name, version range) of a requirement; pip extras such as [binary] have no conda twin and are dropped."""
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(map(_split, project["dependencies"]))
    for extra in ("course", "dev"):
        wanted.update(map(_split, project["optional-dependencies"][extra]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next((d["pip"] for d in env["dependencies"] if isinstance(d, dict)), [])
    named = dict(_split(d) for d in conda + [p for p in pip if not p.startswith("-")])
    named.pop("python", None)
    named.pop("pip", None)
    assert named == wanted, f"environment.yml differs from pyproject.toml: {set(named.items()) ^ set(wanted.items())}"


def test_every_lesson_is_listed_in_the_course_table():
    assert lesson_ids() == list(course.LESSONS), "dlcourse.course.LESSONS and solutions/ disagree"


@pytest.mark.parametrize("lesson", lesson_ids())
def test_first_cell_is_the_colab_setup_for_the_course_repository(lesson):
    nb = nbformat.read(notebook_path(SOLUTIONS, lesson), as_version=4)
    first = nb.cells[0]
    assert nbgrader_meta(first).get("grade_id") == colab.CELL_ID
    assert nbgrader_meta(first).get("locked") is True
    assert first.source == colab.cell_source(), (
        f"{lesson}: the Colab cell differs from dlcourse.colab.cell_source(); run `dlcourse set-repo`")


@pytest.mark.parametrize("lesson", lesson_ids())
def test_points_stated_at_the_top_match_the_cells(lesson):
    nb = nbformat.read(notebook_path(SOLUTIONS, lesson), as_version=4)
    total = sum(nbgrader_meta(c).get("points", 0) for c in nb.cells if nbgrader_meta(c).get("grade"))
    title = next(c for c in nb.cells if c.cell_type == "markdown")
    m = re.search(r"\*\*Points:\*\*\s*(\d+(?:\.\d+)?) in total", title.source)
    assert m, f"{lesson}: the first markdown cell must state '**Points:** N in total'"
    assert float(m.group(1)) == total, f"{lesson}: states {m.group(1)} points, cells add up to {total}"
    ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), f"{lesson}: duplicate nbgrader grade_id"


def test_readme_has_a_colab_badge_for_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for lesson in lesson_ids():
        assert course.colab_url(lesson) in readme, f"README lacks the Colab badge of {lesson}"
