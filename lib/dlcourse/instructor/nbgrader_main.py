"""`python -m dlcourse.instructor.nbgrader_main ARGS` does what `nbgrader ARGS` does, 1.5-2 s sooner;
`python -m dlcourse.instructor.nbgrader_main --serve` runs many nbgrader commands in one process.

nbformat validates notebooks with jsonschema, and jsonschema imports `rfc3987_syntax` eagerly
for its "iri" format checker; that module compiles about 35 Lark parsers at import time (about
1.4 s on the course's 2-core machine, more than half of nbgrader's start-up). No notebook schema
uses the "iri" format, so the import is blocked here: jsonschema then leaves out that one checker
and validates everything else as before.

`--serve` is the grading worker (`autograde.Worker`): it imports nbgrader once and then reads one
request per line on stdin, a JSON object

    {"argv": [nbgrader arguments], "env": {the whole environment of the command}}
    {"measure": "path/to/solution.ipynb", "env": {...}}        (budget.measure: the timing run)

and answers each with one JSON line on its original stdout: {"returncode": int, "log": str} or
{"returncode": 0, "timings": {...}}. Each command runs exactly as `nbgrader ARGS` would (the same
configuration files, nbgrader's own application, reset afterwards), with `os.environ` set to the
request's environment while it runs, so the kernel it starts (the sandbox) gets the student's own
settings. Anything written to the process's stdout by libraries or kernels goes to stderr, so the
answers stay readable. Student code never runs in this process: it runs in the sandboxed kernel.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules makes `import` raise ImportError

from nbgrader.apps.nbgraderapp import NbGraderApp, main  # noqa: E402

from dlcourse.instructor.nbgrader_run import use_in_process_alembic_head  # noqa: E402


def _check_each_schema_once() -> None:
    """nbgrader checks every graded cell's metadata with `jsonschema.validate(metadata, schema)`, which checks
    the (constant) schema itself again on every call: about 7 ms each, a sixth of a second per notebook. The
    same validation with the schema checked once: a validator per schema, the same first error raised."""
    import jsonschema
    from nbgrader.nbgraderformat import common

    validators: dict[int, tuple] = {}

    class CheckedOnce:
        ValidationError = jsonschema.ValidationError

        @staticmethod
        def validate(instance, schema):
            entry = validators.get(id(schema))
            if entry is None or entry[0] is not schema:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                entry = validators[id(schema)] = (schema, cls(schema))
            error = jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
            if error is not None:
                raise error

    common.jsonschema = CheckedOnce


_check_each_schema_once()
use_in_process_alembic_head()


def run_in_process(argv: list[str], env: dict) -> dict:
    """One nbgrader command in this process: {"returncode": int, "log": str}."""
    import io
    import logging
    import os
    import traceback

    from jupyter_core.application import NoStart
    from traitlets.config.application import Application

    saved_env, saved_path, saved_cwd = dict(os.environ), list(sys.path), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    log = io.StringIO()
    app = NbGraderApp.instance()
    code = 0
    try:
        app.initialize(argv)
        app.init_logging(logging.StreamHandler, [log], color=False, subapps=True)
        app.start()
    except NoStart:  # raised by the parent application after its subcommand ran
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception:  # noqa: BLE001 - the answer says what happened; the worker goes on
        code = 1
        log.write(traceback.format_exc())
    finally:
        try:
            app.reset()
        except Exception:  # noqa: BLE001
            NbGraderApp.clear_instance()
        Application.clear_instance()
        os.environ.clear()
        os.environ.update(saved_env)
        sys.path[:] = saved_path
        os.chdir(saved_cwd)
    return {"returncode": code, "log": log.getvalue()[-20000:]}


def measure_in_process(path: str, env: dict) -> dict:
    import os
    import traceback

    from . import budget

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return {"returncode": 0, "timings": budget.measure(path)}
    except Exception as exc:  # noqa: BLE001
        return {"returncode": 1, "log": f"{exc}\n{traceback.format_exc()[-4000:]}"}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def serve() -> None:
    import json
    import os

    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints (libraries, kernels' own output) go to stderr, never into the answers
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if "measure" in request:
            answer = measure_in_process(request["measure"], request.get("env", {}))
        else:
            answer = run_in_process(request["argv"], request.get("env", dict(os.environ)))
        answers.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve()
    else:
        main()
