"""Every lesson, both versions, executed in a fresh kernel.

- solution version: no error anywhere, so every test cell (hidden tests included) passes;
- student version: errors only where an unfinished stub is involved, and every
  autograder test cell fails on the stub (a test that passes on a stub tests nothing).
"""

from __future__ import annotations

import pytest

from nbtools import (LESSONS, NEEDS_ANSWERS, NO_ANSWER_NEEDED, SOLUTIONS, errors, execute, is_test_cell,
                     label, lesson_ids, notebook_path, tags)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lesson", lesson_ids())
def test_solution_version_runs_with_every_test_passing(lesson):
    nb = execute(notebook_path(SOLUTIONS, lesson), allow_errors=True)
    failures = [f"{label(nb, i)} -> {e[0][0]}: {e[0][1][:200]}" for i, c in enumerate(nb.cells) if (e := errors(c))]
    assert not failures, f"{lesson} (solution version) has failing cells:\n" + "\n".join(failures)
    assert any(is_test_cell(c) for c in nb.cells), f"{lesson} has no autograder test cell"


@pytest.mark.parametrize("lesson", lesson_ids())
def test_student_version_fails_only_on_stubs(lesson):
    nb = execute(notebook_path(LESSONS, lesson), allow_errors=True)
    problems = []
    for i, cell in enumerate(nb.cells):
        errs = errors(cell)
        if is_test_cell(cell):
            if NO_ANSWER_NEEDED in tags(cell):
                if errs:
                    problems.append(f"{label(nb, i)} needs no answer but failed: {errs[0]}")
            elif not errs:
                problems.append(f"{label(nb, i)} passes on the unfinished stub: it tests nothing")
        elif errs and errs[0][0] != "NotImplementedError" and NEEDS_ANSWERS not in tags(cell):
            problems.append(f"{label(nb, i)} fails in the student version with {errs[0][0]}: {errs[0][1][:200]}")
    assert not problems, f"{lesson} (student version):\n" + "\n".join(problems)
