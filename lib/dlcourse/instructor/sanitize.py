"""Pre-grading repair and tamper scan of one submitted notebook.

`prepare(path, release_nb, lesson)` reads a submission the way a forgiving human would and
returns the notebook nbgrader should grade plus what was done to it (each item becomes a line
of the grading report). It never changes the submitted file.

Repairs (reported as `repaired: ...`):
* Colab/VS Code extras dropped (`colab`, `accelerator`, widget state, `outputId`, `executionInfo`);
* a graded cell whose grade_id appears twice: the first keeps it, later copies become plain cells;
* a graded cell of the student version that is missing: put back from the student version
  (a missing answer comes back as the stub and scores 0, a missing test cell runs as usual);
* a graded cell whose type, points, lock or other nbgrader metadata were changed: restored;
* graded cells whose nbgrader metadata an editor stripped: matched to the student version by
  cell id, identical source or place, and given their metadata back.

Fatal problems (the submission scores 0, reported as `unreadable: ...`): an empty file, broken
JSON, not a notebook, or a notebook of another lesson (none of this lesson's graded cells).

Tamper scan (reported as `tamper: ...`): every cell the student could edit (answer cells and
cells they added) is parsed; a statement that changes the checking machinery is replaced by
`pass` before grading, so what the grade measures is the student's honest code. See
docs/grading.md for the rules.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

COLAB_NB_KEYS = ("colab", "accelerator", "widgets", "gpuClass", "vscode", "toc", "varInspector")
COLAB_CELL_KEYS = ("colab", "outputId", "executionInfo", "id", "pycharm", "vscode", "collapsed", "scrolled")

FORBIDDEN_CALLS = {
    "exec": "runs code built at run time", "eval": "runs code built at run time",
    "compile": "compiles code at run time", "__import__": "imports by name at run time",
    "setattr": "sets attributes by name", "delattr": "deletes attributes by name",
    "globals": "edits the global namespace", "vars": "edits a namespace", "locals": "edits a namespace",
    "get_ipython": "reaches into the IPython shell", "breakpoint": "starts a debugger",
}
FORBIDDEN_MODULES = {"ctypes", "gc", "importlib", "builtins", "IPython", "ipykernel", "inspect",
                     "unittest", "traceback", "atexit", "signal", "threading", "_thread", "sysconfig",
                     "runpy", "code", "codeop", "pdb", "bdb", "types", "faulthandler"}
FORBIDDEN_ATTRS = {"__dict__", "__code__", "__globals__", "__builtins__", "__closure__", "__subclasses__",
                   "__defaults__", "__kwdefaults__", "__bases__", "__mro__", "__getattribute__",
                   "f_globals", "f_locals", "f_back", "f_builtins", "tb_frame", "gi_frame", "cr_frame",
                   "_getframe", "modules", "displayhook", "excepthook", "settrace", "setprofile",
                   "meta_path", "path_hooks", "__setattr__", "__class__"}
ALLOWED_MAGIC_PREFIXES = ("%", "!")


@dataclass
class Prepared:
    nb: nbformat.NotebookNode | None
    events: list[str] = field(default_factory=list)
    fatal: str | None = None


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _label(nb, index) -> str:
    gid = _grade_id(nb.cells[index])
    return f"cell {index}" + (f" [{gid}]" if gid else "")


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str | None]:
    raw = Path(path).read_bytes()
    if not raw.strip():
        return None, "empty file"
    try:
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON ({exc.msg} at line {exc.lineno})"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, "not a Jupyter notebook (no cell list)"
    data.setdefault("nbformat", 4)
    data.setdefault("nbformat_minor", 5)
    data.setdefault("metadata", {})
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any reader failure makes it unreadable
        return None, f"not a readable notebook ({type(exc).__name__}: {exc})"
    return nb, None


_AST_LOCK = threading.Lock()


def prepare(path: Path, release_nb, lesson: str) -> Prepared:
    """The submission at `path` read, repaired and scanned (see the module's docstring). Safe to call from
    several grading threads at once: CPython 3.11's `ast` is not (two threads parsing at once can fail with
    "SystemError: AST constructor recursion depth mismatch", seen once in a class run), so one at a time."""
    with _AST_LOCK:
        return _prepare(path, release_nb, lesson)


def _prepare(path: Path, release_nb, lesson: str) -> Prepared:
    nb, problem = read_notebook(path)
    if nb is None:
        return Prepared(None, [], problem)
    events: list[str] = []
    release_ids = {_grade_id(c): i for i, c in enumerate(release_nb.cells) if _grade_id(c)}
    specific = set(release_ids) - {"colab_setup"}
    restored = restore_stripped_metadata(nb, release_nb)
    if restored:
        events.append(f"repaired: nbgrader metadata of {restored} graded cell{'s' if restored > 1 else ''} was "
                      "missing (stripped by an editor); restored by matching the cells to the student version")
    present = {_grade_id(c) for c in nb.cells if _grade_id(c)}
    if specific and not (present & specific):
        other = sorted(present - set(release_ids))
        return Prepared(None, [], "wrong notebook: none of this lesson's graded cells"
                        + (f" (it has {', '.join(other[:3])})" if other else ""))

    # Colab and editor extras
    dropped = [k for k in COLAB_NB_KEYS if k in nb.metadata]
    for k in dropped:
        del nb.metadata[k]
    cell_extras = 0
    for cell in nb.cells:
        for k in COLAB_CELL_KEYS:
            if k in cell.get("metadata", {}):
                del cell.metadata[k]
                cell_extras += 1
        cell.pop("id", None)
        for out in cell.get("outputs", []) or []:
            if isinstance(out, dict) and "metadata" in out and isinstance(out["metadata"], dict):
                out["metadata"].pop("colab", None)
    nb.nbformat_minor = 4  # no cell ids needed; nbgrader adds none
    if dropped or cell_extras:
        events.append("repaired: dropped editor/Colab metadata"
                      + (f" ({', '.join(dropped)})" if dropped else ""))
    nb.metadata["kernelspec"] = copy.deepcopy(release_nb.metadata.get("kernelspec", {}))

    # duplicated grade ids
    seen = set()
    for i, cell in enumerate(nb.cells):
        gid = _grade_id(cell)
        if gid is None:
            continue
        if gid in seen:
            del cell.metadata["nbgrader"]
            events.append(f"repaired: cell {i} duplicates graded cell {gid}; the copy is graded as a plain cell")
        seen.add(gid)

    # changed type / metadata of graded cells
    for i, cell in enumerate(nb.cells):
        gid = _grade_id(cell)
        if gid not in release_ids:
            if gid is not None:
                del cell.metadata["nbgrader"]
                events.append(f"repaired: cell {i} has unknown grade_id {gid}; graded as a plain cell")
            continue
        ref = release_nb.cells[release_ids[gid]]
        if cell.cell_type != ref.cell_type:
            events.append(f"repaired: graded cell {gid} was turned into {cell.cell_type}; restored to {ref.cell_type}")
            new = (nbformat.v4.new_code_cell if ref.cell_type == "code" else nbformat.v4.new_markdown_cell)(cell.source)
            new.metadata = cell.metadata
            nb.cells[i] = cell = new
        mine, theirs = cell.metadata.get("nbgrader", {}), ref.metadata.get("nbgrader", {})
        changed = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
        if changed:
            detail = ", ".join(f"{k} {mine.get(k)!r}->{theirs.get(k)!r}" for k in changed)
            events.append(f"repaired: metadata of {gid} restored ({detail})")
            cell.metadata["nbgrader"] = copy.deepcopy(theirs)

    # missing graded cells
    present = {_grade_id(c): i for i, c in enumerate(nb.cells) if _grade_id(c)}
    for gid, ri in sorted(release_ids.items(), key=lambda kv: kv[1]):
        if gid in present:
            continue
        # insert after the nearest earlier graded cell that is present
        pos = 0
        for prev in range(ri - 1, -1, -1):  # after the nearest earlier cell of the student version that is here
            pcell = release_nb.cells[prev]
            pgid = _grade_id(pcell)
            if pgid in present:
                pos = present[pgid] + 1
                break
            same = [i for i, c in enumerate(nb.cells) if not _grade_id(c) and c.cell_type == pcell.cell_type
                    and c.source.strip() == pcell.source.strip()]
            if pgid is None and same:
                pos = same[0] + 1
                break
        nb.cells.insert(pos, copy.deepcopy(release_nb.cells[ri]))
        events.append(f"repaired: graded cell {gid} was missing; restored from the student version")
        present = {_grade_id(c): i for i, c in enumerate(nb.cells) if _grade_id(c)}

    events += scan_and_neutralize(nb, release_nb)
    return Prepared(nb, events, None)


_DEFINES = re.compile(r"^(?:def|class)\s+(\w+)|^(\w+)\s*(?:,\s*\w+\s*)*=(?!=)", re.MULTILINE)


def _defined_names(source: str) -> set[str]:
    """Names a cell defines at its top level (functions, classes, assigned names), by a forgiving regex."""
    return {a or b for a, b in _DEFINES.findall(source)}


def restore_stripped_metadata(nb, release_nb) -> int:
    """Give graded cells whose nbgrader metadata an editor stripped their metadata back.

    Each cell of the student version is matched to one submitted cell, in order: first by cell
    id (nbformat 4.5 ids survive most editors), then by identical source (locked cells, text,
    untouched stubs), and an answer cell the student rewrote by its place, as the only cell
    of its type between the matched neighbours that came before and after it in the student
    version (or, where the student added cells there, the only one that defines the names the
    stub defines). A submitted cell without nbgrader metadata that matches a graded cell gets that
    cell's metadata. Returns how many cells were given their metadata back.
    """
    sub, rel = nb.cells, release_nb.cells
    match: dict[int, int] = {}  # release index -> submission index
    used: set[int] = set()
    by_id = {c.get("id"): i for i, c in enumerate(sub) if c.get("id")}
    for r, cell in enumerate(rel):
        i = by_id.get(cell.get("id"))
        if i is not None and i not in used and sub[i].cell_type == cell.cell_type:
            match[r] = i
            used.add(i)
    sources: dict[str, list[int]] = {}
    for r, cell in enumerate(rel):
        sources.setdefault(cell.source.strip(), []).append(r)
    last = -1
    for r, cell in enumerate(rel):  # identical sources, in order
        if r in match:
            last = match[r]
            continue
        if len(sources[cell.source.strip()]) != 1 or not cell.source.strip():
            continue
        i = next((i for i in range(last + 1, len(sub)) if i not in used and sub[i].cell_type == cell.cell_type
                  and sub[i].source.strip() == cell.source.strip()), None)
        if i is not None:
            match[r] = i
            used.add(i)
            last = i
    for r, cell in enumerate(rel):  # rewritten answers: the one cell of their type between matched neighbours
        if r in match or not _grade_id(cell):
            continue
        before = max((match[k] for k in match if k < r), default=-1)
        after = min((match[k] for k in match if k > r), default=len(sub))
        between = [i for i in range(before + 1, after) if i not in used and sub[i].cell_type == cell.cell_type]
        if len(between) > 1:  # the student added cells here too: keep the one that defines what the stub defines
            names = _defined_names(cell.source)
            between = [i for i in between if names and names <= _defined_names(sub[i].source)]
        if len(between) == 1:
            match[r] = between[0]
            used.add(between[0])
    restored = 0
    for r, i in match.items():
        if _grade_id(rel[r]) and not sub[i].get("metadata", {}).get("nbgrader"):
            sub[i].setdefault("metadata", {})["nbgrader"] = copy.deepcopy(rel[r].metadata["nbgrader"])
            restored += 1
    return restored


# ----------------------------------------------------------------------------- tamper scan

def _python_source(source: str) -> tuple[str, set[int]]:
    """Source with IPython syntax translated; the set of line numbers that were magics."""
    from IPython.core.inputtransformer2 import TransformerManager

    magic_lines = {i + 1 for i, line in enumerate(source.splitlines())
                   if line.lstrip().startswith(ALLOWED_MAGIC_PREFIXES)}
    try:
        return TransformerManager().transform_cell(source), magic_lines
    except Exception:  # noqa: BLE001
        return source, magic_lines


def _bound_names(tree) -> tuple[set[str], set[str]]:
    """(names loaded, names assigned) anywhere in a tree."""
    loaded, stored = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                stored.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
    return loaded, stored


def _imports(tree) -> dict[str, str]:
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out[(a.asname or a.name).split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _parse(source: str):
    try:
        return ast.parse(_python_source(source)[0])
    except SyntaxError:
        return None


def _root_name(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def scan_and_neutralize(nb, release_nb) -> list[str]:
    release_sources = {c.source.strip() for c in release_nb.cells if c.cell_type == "code"}
    instructor_imports: dict[str, str] = {}
    instructor_bound: set[str] = set()
    test_loaded, test_stored = set(), set()
    for cell in release_nb.cells:
        if cell.cell_type != "code":
            continue
        tree = _parse(cell.source)
        if tree is None:
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            continue  # the student's (stubbed in the student version)
        if meta.get("grade"):
            loaded, stored = _bound_names(tree)
            test_loaded |= loaded
            test_stored |= stored
        else:
            instructor_imports.update(_imports(tree))
            instructor_bound |= _bound_names(tree)[1]
    import builtins
    # names the tests use without defining them, which instructor cells provide (the student's
    # graded names are the ones nobody but the student defines)
    protected = set(instructor_imports) | ((test_loaded - test_stored) & instructor_bound)
    protected |= {n for n in ("isinstance", "len", "float", "int", "abs", "all", "any", "bool", "print",
                              "AssertionError", "Exception", "range", "zip", "type", "tuple", "list",
                              "round", "repr", "str", "hasattr", "getattr") if hasattr(builtins, n)}

    events = []
    module_aliases = set(instructor_imports)
    for cell in nb.cells:  # names bound to modules anywhere in the notebook
        if cell.cell_type == "code":
            tree = _parse(cell.source)
            if tree is not None:
                module_aliases |= set(_imports(tree))
    module_aliases |= {"sys", "os", "np", "numpy", "dlcourse", "builtins", "IPython", "math"}

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            continue  # test cells are restored from the gradebook by nbgrader
        if not meta.get("solution") and cell.source.strip() in release_sources:
            continue  # an unchanged instructor cell
        python, magic_lines = _python_source(cell.source)
        try:
            tree = ast.parse(python)
        except SyntaxError:
            continue  # it will fail when run, honestly
        findings: dict[int, tuple[int, str]] = {}  # statement start line -> (end line, reason)

        def flag(stmt, reason):
            if stmt.lineno not in findings:
                findings[stmt.lineno] = (stmt.end_lineno or stmt.lineno, reason)

        def visit(node, stmt, top_level):
            if isinstance(node, ast.stmt):
                stmt = node
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mod = (node.module or "") if isinstance(node, ast.ImportFrom) else None
                for a in node.names:
                    base = (mod if mod is not None else a.name).split(".")[0]
                    if base in FORBIDDEN_MODULES or (mod or a.name).startswith("numpy.testing._private"):
                        flag(stmt, f"imports {mod or a.name}")
                    bound = a.asname or a.name.split(".")[0] if mod is None else a.asname or a.name
                    full = (a.name if a.asname else a.name.split(".")[0]) if mod is None else f"{mod}.{a.name}"
                    if top_level and bound in protected and instructor_imports.get(bound) != full:
                        flag(stmt, f"rebinds `{bound}`, which the tests use")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                if not (node.func.id == "get_ipython" and stmt.lineno in magic_lines):
                    flag(stmt, f"calls {node.func.id}() ({FORBIDDEN_CALLS[node.func.id]})")
            elif isinstance(node, ast.Name) and node.id in ("__builtins__", "get_ipython") and stmt.lineno not in magic_lines:
                flag(stmt, f"uses {node.id}")
            elif isinstance(node, ast.Attribute):
                if node.attr in FORBIDDEN_ATTRS and not (node.attr == "modules" and _root_name(node) not in ("sys",)):
                    if node.attr != "__class__" or isinstance(node.ctx, (ast.Store, ast.Del)):
                        flag(stmt, f"touches .{node.attr}")
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    root = _root_name(node)
                    if root in module_aliases or root in protected:
                        flag(stmt, f"changes {ast.unparse(node)} (a module or checking function)")
            elif isinstance(node, (ast.Subscript,)) and isinstance(node.ctx, (ast.Store, ast.Del)):
                root = _root_name(node)
                if root in module_aliases:
                    flag(stmt, f"changes {ast.unparse(node)}")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and top_level \
                    and node.id in protected:
                flag(stmt, f"rebinds `{node.id}`, which the tests use")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and top_level \
                    and node.name in protected:
                flag(stmt, f"rebinds `{node.name}`, which the tests use")
            elif isinstance(node, ast.Global):
                for name in node.names:
                    if name in protected:
                        flag(stmt, f"declares `{name}` global to rebind it")
            inner_top = top_level and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                           ast.ClassDef, ast.Lambda))
            for child in ast.iter_child_nodes(node):
                visit(child, stmt, inner_top)

        for stmt in tree.body:
            visit(stmt, stmt, True)
        if not findings:
            continue
        lines = cell.source.splitlines()
        outer = {s: v for s, v in findings.items()
                 if not any(o < s <= oe for o, (oe, _r) in findings.items() if o != s)}
        for start, (end, reason) in sorted(outer.items(), reverse=True):
            if start - 1 >= len(lines):
                continue
            indent = lines[start - 1][: len(lines[start - 1]) - len(lines[start - 1].lstrip())]
            lines[start - 1:end] = [f"{indent}pass  # removed by the grader: {reason}"]
            events.append(f"tamper: {_label(nb, index)} line {start}: {reason}; statement removed before grading")
        cell.source = "\n".join(lines)
    return events
