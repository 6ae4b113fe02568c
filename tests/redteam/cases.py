"""Broken and adversarial submissions of lesson 00, each with the exact score it must get and a
fragment of its line in the grading report. Used by tests/test_redteam.py.

Lesson 00 has FULL autograded points: the NumPy warm-up exercises first, then `weighted_sum`
(3 points), the exercise every submission here tampers with. A submission that loses
`weighted_sum` keeps the warm-up points (FULL - 3): they are graded in cells that run before it."""

from __future__ import annotations

import copy

import nbformat

from .course import honest

LESSON = "00_start_here"
FULL = 11          # autograded points of lesson 00
KEPT = FULL - 3    # what is left when weighted_sum (3 points) is lost
RIGHT = ("def weighted_sum(X, w):\n"
         "    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)\n")
WRONG = ("def weighted_sum(X, w):\n"
         "    return np.sum(np.asarray(X, dtype=float) * np.asarray(w, dtype=float), axis=0)\n")


def _idx(nb, gid):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def with_answer(source: str):
    nb = honest(LESSON)
    nb.cells[_idx(nb, "weighted_sum")].source = source
    return nb


def dup_graded():
    nb = with_answer(RIGHT)
    i = _idx(nb, "weighted_sum")
    nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))
    return nb


def to_markdown(gid, answer=RIGHT):
    nb = with_answer(answer)
    i = _idx(nb, gid)
    cell = nb.cells[i]
    md = nbformat.v4.new_markdown_cell(cell.source)
    md.metadata = cell.metadata
    nb.cells[i] = md
    return nb


def edited_points():
    nb = with_answer(RIGHT)
    nb.cells[_idx(nb, "test_weighted_sum")].metadata.nbgrader["points"] = 100
    return nb


def missing(*gids, answer=RIGHT):
    nb = with_answer(answer)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in gids]
    return nb


def out_of_order():
    nb = with_answer("def weighted_sum(X, w):\n    return _dot(X, w)\n")
    nb.cells.append(nbformat.v4.new_code_cell("def _dot(X, w):\n    return np.asarray(X, float) @ np.asarray(w, float)\n"))
    return nb


def colab():
    nb = with_answer(RIGHT)
    nb.metadata["colab"] = {"provenance": [], "name": "00_start_here.ipynb", "gpuType": "T4"}
    nb.metadata["accelerator"] = "GPU"
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"abc": {"model_name": "LayoutModel", "state": {}}}}
    for i, cell in enumerate(nb.cells):
        cell.metadata["id"] = f"cell{i}"
        if cell.cell_type == "code":
            cell.metadata["colab"] = {"base_uri": "https://localhost:8080/"}
            cell.metadata["outputId"] = f"5e8f-{i}"
            cell.metadata["executionInfo"] = {"status": "ok", "elapsed": 12}
    return nbformat.writes(nb)


def stripped_metadata(keep_ids: bool):
    """What some editors and notebook tools hand back: no nbgrader metadata at all (and maybe no cell ids)."""
    nb = with_answer(RIGHT)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
        if not keep_ids:
            cell.pop("id", None)
    if not keep_ids:
        nb.nbformat_minor = 4
    return nb


def wrong_lesson():
    nb = with_answer(RIGHT)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta and meta.get("grade_id") != "colab_setup":
            meta["grade_id"] = "lesson99_" + meta["grade_id"]
    return nb


def probe_source(course: str) -> str:
    """An answer that is right and also tries to escape; prints what happened."""
    return RIGHT + f'''
import os, socket, sqlite3
_course = {course!r}
for _label, _path in [("SOLUTIONS", _course + "/solutions/00_start_here/00_start_here.ipynb"),
                      ("GRADEBOOK", _course + "/gradebook.db")]:
    try:
        with open(_path, "rb") as _f:
            _f.read(10)
        print(_label, "READ: OPEN")
    except OSError as _e:
        print(_label, "READ: BLOCKED", type(_e).__name__)
for _label, _path in [("GRADEBOOK", _course + "/gradebook.db"), ("OUTSIDE", _course + "/pwned.txt"),
                      ("HOME", os.path.expanduser("~/pwned.txt"))]:
    try:
        with open(_path, "ab") as _f:
            _f.write(b"x")
        print(_label, "WRITE: ACCEPTED")  # the test checks that nothing reached the real disk
    except OSError as _e:
        print(_label, "WRITE: BLOCKED", type(_e).__name__)
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2).close()
    print("NETWORK: OPEN")
except OSError as _e:
    print("NETWORK: BLOCKED", type(_e).__name__)
'''


def cheat_if_readable(course: str, what: str) -> str:
    path = {"solutions": f"{course}/solutions/00_start_here/00_start_here.ipynb",
            "gradebook": f"{course}/gradebook.db"}[what]
    return f'''try:
    with open({path!r}, "rb") as _f:
        _leak = _f.read()
except OSError:
    _leak = b""
if b"weighted_sum" in _leak:
{RIGHT.replace(chr(10) + "    ", chr(10) + "        ").replace("def ", "    def ", 1)}else:
{WRONG.replace(chr(10) + "    ", chr(10) + "        ").replace("def ", "    def ", 1)}'''


def cases(course: str) -> list[tuple[str, object, float, str]]:
    """(student id, submission (notebook, text or (notebook, file name)), expected score, report fragment)."""
    return [
        ("honest_right", with_answer(RIGHT), FULL, "ok"),
        ("honest_wrong", with_answer(WRONG), KEPT, "ok"),
        ("dup_graded_cell", dup_graded(), FULL, "duplicates graded cell weighted_sum"),
        ("stderr_warning", with_answer("import warnings, sys\n" + RIGHT.replace(
            "    return", "    warnings.warn('np.float is deprecated', DeprecationWarning)\n"
            "    print('library notice', file=sys.stderr)\n    return")), FULL, "ok"),
        ("browser_renamed", (with_answer(RIGHT), "00_start_here (1).ipynb"), FULL, "graded as 00_start_here.ipynb"),
        ("os_exit", with_answer(RIGHT + "import os\nos._exit(1)\n"), KEPT, "kernel died in cell"),
        ("memory_blowup", with_answer("_hog = [bytearray(10**8) for _ in range(100)]\n" + RIGHT), KEPT,
         "ran out of memory"),
        ("patch_allclose", with_answer("np.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)\n" + WRONG),
         KEPT, "changes np.allclose"),
        ("patch_np_testing", with_answer("import numpy.testing as npt\nnpt.assert_allclose = lambda *a, **k: None\n" + WRONG),
         KEPT, "changes npt.assert_allclose"),
        ("patch_setattr", with_answer("setattr(np, 'all' + 'close', lambda *a, **k: True)\n" + WRONG), KEPT, "calls setattr()"),
        ("patch_alias_runtime", with_answer("_m = np\n_m.allclose = lambda *a, **k: True\n_m.isclose = lambda a, b, **k: True\n" + WRONG),
         KEPT, "restored numpy.allclose"),
        ("input_transformer", with_answer("get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n" + WRONG),
         KEPT, "calls get_ipython()"),
        ("ast_transformer", with_answer("import ast\nclass _Drop(ast.NodeTransformer):\n    def visit_Assert(self, node):\n        return None\n"
                                        "    def visit_Call(self, node):\n        return ast.Constant(None)\n"
                                        "get_ipython().ast_transformers.append(_Drop())\n" + WRONG), KEPT, "calls get_ipython()"),
        ("displayhook", with_answer("import sys\nsys.displayhook = lambda value: None\nsys.excepthook = lambda *a: None\n" + WRONG),
         KEPT, "touches .displayhook"),
        ("showtraceback", with_answer("_ip = get_ipython()\n_ip.showtraceback = lambda *a, **k: None\n" + WRONG), KEPT, "calls get_ipython()"),
        ("patch_checks_module", with_answer("import dlcourse.checks\ndlcourse.checks.check = lambda *a, **k: None\n" + WRONG),
         KEPT, "changes dlcourse.checks.check"),
        ("shadow_check", with_answer("def check(*args, **kwargs):\n    pass\n\ndef passed(what):\n    print('ok')\n\n" + WRONG),
         KEPT, "rebinds `check`"),
        ("read_solutions", with_answer(cheat_if_readable(course, "solutions")), KEPT, "ok"),
        ("read_gradebook", with_answer(cheat_if_readable(course, "gradebook")), KEPT, "ok"),
        ("probe_escape", with_answer(probe_source(course)), FULL, "ok"),
        ("infinite_loop", with_answer("while True:\n    pass\n" + RIGHT), KEPT, "timeout: cell"),
        # a function that never returns: its test cell stops at the cell's budget (5 x the solution's time, at
        # least 10 s, never more than the class's --timeout), not at the course's 120 s cell timeout
        ("loop_in_function", with_answer("def weighted_sum(X, w):\n    while True:\n        pass\n"), KEPT,
         "ran longer than its budget"),
        ("huge_output", with_answer("for _i in range(200000):\n    print('spam' * 10)\n" + RIGHT), FULL, "ok"),
        ("input_call", with_answer("_name = input('your name? ')\n" + RIGHT), KEPT, "raised StdinNotImplementedError"),
        ("sys_exit", with_answer("import sys\nsys.exit(0)\n" + RIGHT), KEPT, "raised SystemExit"),
        ("answer_to_markdown", to_markdown("weighted_sum"), FULL, "was turned into markdown"),
        ("test_to_markdown", to_markdown("test_weighted_sum"), FULL, "was turned into markdown"),
        ("edited_points", edited_points(), FULL, "points 100"),
        ("hardcoded_visible", with_answer("def weighted_sum(X, w):\n    X = np.asarray(X)\n"
                                          "    return 4.5 if X.ndim == 1 else np.array([4.5, -1.0])\n"), KEPT, "ok"),
        ("mutates_input", with_answer("def weighted_sum(X, w):\n    w *= 2\n    return (np.asarray(X, float) @ w) / 2\n"), KEPT, "ok"),
        ("out_of_order", out_of_order(), KEPT, "ok"),
        ("malformed_json", nbformat.writes(with_answer(RIGHT))[:-200], 0, "malformed JSON"),
        ("missing_test_cells", missing("test_weighted_sum"), FULL, "test_weighted_sum was missing"),
        ("missing_answer_cell", missing("weighted_sum"), KEPT, "weighted_sum was missing"),
        ("colab_saved", colab(), FULL, "Colab metadata"),
        ("metadata_stripped", stripped_metadata(keep_ids=True), FULL, "stripped by an editor"),
        ("metadata_and_ids_stripped", stripped_metadata(keep_ids=False), FULL, "stripped by an editor"),
        ("empty_file", "", 0, "empty file"),
        ("wrong_lesson", wrong_lesson(), 0, "wrong notebook"),
    ]
