"""The kernel that runs a submission while it is graded: `python -m dlcourse.instructor.kernel -f CONN`.

It is an ordinary IPython kernel with two additions, installed before any student code runs:

* resource limits (`DLCOURSE_KERNEL_MEMORY_MB`: address space, so a memory blow-up dies fast
  and is reported as a dead kernel instead of swapping the machine);
* the working folder last on `sys.path`: a file handed in next to the notebook cannot shadow an
  installed module that the checks import later;
* the *guard*: a snapshot of the checking machinery (numpy and numpy.testing, `dlcourse.checks`, `sys.path`,
  builtins, `sys.displayhook`/`excepthook`, the IPython shell's input and AST transformers,
  custom exception handlers, and the methods of the shell and kernel classes). Before every
  execute request, whatever a previous cell changed there is put back, so a test cell always
  runs against the real checks. Each restoration is appended to `DLCOURSE_GUARD_LOG`, which the
  grader reads after the run and turns into report lines.

The guard is the second line of defence; the first is the pre-grading scan of the student's
cells (`sanitize.py`), which removes tampering statements before the notebook runs.

With `DLCOURSE_FIGURES=0` (the default of `dlcourse autograde`) figures are not drawn: matplotlib
uses its Agg backend, `%matplotlib inline` does nothing and every figure is closed after its cell.
Figures are never graded, and drawing them costs about a tenth of a second each.
"""

from __future__ import annotations

import inspect
import os
import resource
import sys

GUARDED_MODULES = ("builtins", "numpy", "numpy.testing", "numpy.linalg", "dlcourse", "dlcourse.checks", "math")
SYS_ATTRS = ("displayhook", "excepthook", "breakpointhook", "unraisablehook")
SHELL_INSTANCE_ATTRS = ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "showtraceback",
                        "_showtraceback", "showsyntaxerror", "showindentationerror", "transform_cell",
                        "transform_ast", "should_run_async", "CustomTB", "custom_exceptions",
                        "displayhook", "display_pub", "excepthook", "get_exception_only", "_get_exc_info")


def set_limits() -> None:
    mb = os.environ.get("DLCOURSE_KERNEL_MEMORY_MB")
    if mb:
        limit = int(float(mb) * 2**20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class Guard:
    def __init__(self, kernel):
        import importlib

        self.kernel = kernel
        self.shell = kernel.shell
        self.log_path = os.environ.get("DLCOURSE_GUARD_LOG")
        self.modules = {}
        for name in GUARDED_MODULES:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            self.modules[name] = (module, dict(module.__dict__))
        self.sys_attrs = {a: getattr(sys, a) for a in SYS_ATTRS if hasattr(sys, a)}
        self.lists = {a: list(getattr(self.shell, a)) for a in
                      ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")}
        self.itm_lists = {a: list(getattr(self.shell.input_transformer_manager, a, []))
                          for a in ("cleanup_transforms", "line_transforms", "token_transformers")}
        self.shell_dict = {a: self.shell.__dict__[a] for a in SHELL_INSTANCE_ATTRS if a in self.shell.__dict__}
        self.classes = {}
        for obj in (self.shell, kernel, self.shell.input_transformer_manager, self.shell.events):
            for cls in type(obj).__mro__:
                if cls.__module__.split(".")[0] in ("IPython", "ipykernel"):
                    self.classes[cls] = dict(cls.__dict__)
        self.handler = kernel.shell_handlers["execute_request"]
        self.sys_path = list(sys.path)

    def log(self, what: str) -> None:
        if self.log_path:
            try:
                with open(self.log_path, "a") as f:
                    f.write(what + "\n")
            except OSError:
                pass

    def restore(self) -> None:
        changed = []
        for name, (module, snap) in self.modules.items():
            current = module.__dict__
            for key, value in snap.items():
                if key in _IGNORED:
                    continue
                if current.get(key, _MISSING) is not value:
                    try:
                        current[key] = value
                    except TypeError:
                        setattr(module, key, value)
                    changed.append(f"{name}.{key}")
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed.append(f"sys.modules[{name!r}]")
        for key, value in self.sys_attrs.items():
            if getattr(sys, key) is not value:
                setattr(sys, key, value)
                changed.append(f"sys.{key}")
        if sys.path != self.sys_path:  # put back quietly: adding a folder is no attack, importing from it is
            sys.path[:] = self.sys_path
        if sys.gettrace() is not None:
            sys.settrace(None)
            changed.append("sys.settrace")
        if sys.getprofile() is not None:
            sys.setprofile(None)
            changed.append("sys.setprofile")
        for key, value in self.lists.items():
            lst = getattr(self.shell, key)
            if not isinstance(lst, list) or lst != value:
                setattr(self.shell, key, list(value))
                changed.append(f"shell.{key}")
        itm = self.shell.input_transformer_manager
        for key, value in self.itm_lists.items():
            if list(getattr(itm, key, [])) != value:
                setattr(itm, key, list(value))
                changed.append(f"input_transformer_manager.{key}")
        for key in SHELL_INSTANCE_ATTRS:
            if key in self.shell_dict:
                if self.shell.__dict__.get(key, _MISSING) is not self.shell_dict[key]:
                    self.shell.__dict__[key] = self.shell_dict[key]
                    changed.append(f"shell.{key}")
            elif key in self.shell.__dict__:
                del self.shell.__dict__[key]
                changed.append(f"shell.{key}")
        if "custom_exceptions" not in self.shell_dict and self.shell.custom_exceptions:
            # the course's own display of a failed check (dlcourse.checks, imported above) is in the snapshot
            self.shell.custom_exceptions = ()
            changed.append("shell.custom_exceptions")
        for cls, snap in self.classes.items():
            for key, value in snap.items():
                if cls.__dict__.get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                        changed.append(f"{cls.__name__}.{key}")
                    except (AttributeError, TypeError):
                        pass
        if self.kernel.shell_handlers.get("execute_request") is not self.wrapped:
            self.kernel.shell_handlers["execute_request"] = self.wrapped
            changed.append("kernel.shell_handlers")
        if changed:
            self.log("restored " + ", ".join(sorted(set(changed))))

    def install(self) -> None:
        original = self.handler
        guard = self

        async def execute_request(*args, **kwargs):
            guard.restore()
            result = original(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

        self.wrapped = execute_request
        self.kernel.shell_handlers["execute_request"] = execute_request


_MISSING = object()
_IGNORED = {"_", "__", "___", "__builtins__", "_ih", "_oh", "_dh", "In", "Out"}


def figures_off(shell) -> None:
    """No figure is drawn in this kernel: Agg backend, `%matplotlib` ignored, figures closed after each cell."""
    os.environ["MPLBACKEND"] = "agg"
    shell.register_magic_function(lambda line="": None, magic_kind="line", magic_name="matplotlib")

    def close_figures(*_args):
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            try:
                pyplot.close("all")
            except Exception:  # noqa: BLE001 - a student's broken pyplot is not the grader's concern
                pass

    shell.events.register("post_run_cell", close_figures)


def main() -> None:
    set_limits()
    if os.environ.get("DLCOURSE_FIGURES") == "0":
        os.environ["MPLBACKEND"] = "agg"  # before ipykernel picks its inline backend
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    # the working folder is searched last: a file handed in next to the notebook (or written by it) can
    # still be a student's own module, but cannot shadow an installed one that the checks import later
    # (a `keras.py` beside lesson 09)
    here = os.path.realpath(os.getcwd())
    local = [p for p in sys.path if p in ("", ".") or os.path.realpath(p) == here]
    sys.path[:] = [p for p in sys.path if p not in local] + local[:1]
    if os.environ.get("DLCOURSE_FIGURES") == "0":
        figures_off(app.shell)
    if os.environ.get("DLCOURSE_GUARD", "1") != "0":
        Guard(app.kernel).install()
    app.start()


if __name__ == "__main__":
    main()
