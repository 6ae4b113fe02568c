"""The grading sandbox: every kernel that runs student code is started inside bubblewrap.

`nbgrader autograde` starts the kernel named in the notebook (`python3`). During a `dlcourse
autograde` run, JUPYTER_PATH points at a folder whose `kernels/python3/kernel.json` runs

    python -m dlcourse.instructor.sandbox -f CONNECTION_FILE ...

which execs `bwrap` (unless the sandbox is off) around `python -m dlcourse.instructor.kernel`:

* the whole file system is mounted read-only; the course folder, /tmp, the home folder and
  every path in DLCOURSE_SANDBOX_HIDE (the gradebook's folder, the grader's state) are
  replaced by empty in-memory folders (what is written there vanishes with the kernel); only the Python environment, `lib/` and `data/` of the course
  are mounted back (read-only);
* the kernel's working folder (the student's `autograded/<student>/<lesson>/`) is the only
  writable place besides a private, empty /tmp;
* no network: `--unshare-net` (only a loopback of its own). The kernel talks to nbgrader over
  ZMQ's `ipc` transport, i.e. Unix sockets in the run's private runtime folder, which is
  mounted in;
* separate PID/IPC/UTS namespaces, killed with its parent.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

KERNEL_NAME = "python3"


class SandboxUnavailable(RuntimeError):
    pass


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def check_available() -> str:
    """Return the bwrap path, or raise SandboxUnavailable with what to do."""
    path = bwrap_path()
    if not path:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so student code cannot be sandboxed.\n"
            "  Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`), or grade without the\n"
            "  sandbox with `--no-sandbox` (student code then runs as you and can read solutions/\n"
            "  and the gradebook; see docs/grading.md).")
    import subprocess
    probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-net", "--dev", "/dev", "--proc", "/proc",
                            "--", sys.executable, "-c", "pass"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot create a sandbox here: {probe.stderr.strip()}\n"
            "  (unprivileged user namespaces may be disabled: sysctl kernel.unprivileged_userns_clone=1),\n"
            "  or grade with `--no-sandbox` (see docs/grading.md).")
    return path


def write_kernelspec(folder: Path) -> Path:
    """Write the grading kernelspec into `folder/kernels/python3`; return `folder` (for JUPYTER_PATH)."""
    spec_dir = Path(folder) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "dlcourse.instructor.sandbox", "-f", "{connection_file}"],
        "display_name": "Python 3 (dlcourse grading)",
        "language": "python",
        # bwrap does not forward signals: interrupt through the control channel
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return Path(folder)


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    import dlcourse
    roots.add(str(Path(dlcourse.__file__).resolve().parents[1]))  # lib/ of an editable install
    return sorted(roots)


def _font_caches() -> list[str]:
    """matplotlib's font lists (`fontlist-v*.json`) in this user's matplotlib cache folder, if any."""
    import glob

    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    return sorted(p for p in glob.glob(os.path.join(folder, "fontlist-v*.json")) if os.path.isfile(p))


def bwrap_argv(inner: list[str], workdir: str, connection_file: str | None, writable: tuple[str, ...] = (),
               env=None, extra: tuple[str, ...] = ()) -> list[str]:
    """bubblewrap's arguments around `inner`: `workdir` (its working folder) and `writable` are the only
    folders it can write besides a private /tmp; `connection_file` is mounted read-only."""
    env = os.environ if env is None else env
    bwrap = bwrap_path() or "bwrap"
    hide = [p for p in env.get("DLCOURSE_SANDBOX_HIDE", "").split(os.pathsep) if p]
    hide += ["/tmp", os.path.expanduser("~")]
    args = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--die-with-parent", "--new-session",
            # no capability inside, even when the grader runs as root (it could otherwise undo the mounts)
            "--cap-drop", "ALL", *extra]
    for path in sorted({os.path.realpath(p) for p in hide if os.path.isdir(p)}, key=len):
        args += ["--tmpfs", path]
    data = env.get("DLCOURSE_DATA_DIR")
    keep = _python_roots() + ([data] if data else [])
    for path in sorted({os.path.realpath(p) for p in keep if os.path.exists(p)}, key=len):
        args += ["--ro-bind", path, path]
    # the connection file (read-only) and the folder of the ipc sockets (JUPYTER_RUNTIME_DIR)
    if connection_file:
        conn = os.path.realpath(connection_file)
        args += ["--ro-bind", conn, conn]
    runtime = env.get("JUPYTER_RUNTIME_DIR")
    for path in ([os.path.realpath(runtime)] if runtime else []) + [os.path.realpath(p) for p in (*writable, workdir)]:
        args += ["--bind", path, path]
    # matplotlib's list of the machine's fonts, read-only: without it every kernel scans the fonts again
    # (about 0.3 s of each notebook's grading)
    for path in _font_caches():
        args += ["--ro-bind", path, f"/tmp/.mpl/{os.path.basename(path)}"]
    args += ["--chdir", os.path.realpath(workdir),
             "--setenv", "HOME", "/tmp", "--setenv", "MPLCONFIGDIR", "/tmp/.mpl",
             "--setenv", "IPYTHONDIR", "/tmp/.ipython", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
             # in a PID namespace the kernel's parent is bwrap (pid 1): ipykernel's parent poller
             # would take that for "parent exited"; --die-with-parent does its job instead
             "--unsetenv", "JPY_PARENT_PID"]
    if data:
        args += ["--setenv", "DLCOURSE_DATA", os.path.realpath(data)]
    args += ["--"]
    return args + inner


def _workdir() -> str:
    """The student's own autograded folder (set per student by autograde.py); never one holding hidden paths."""
    workdir = os.environ.get("DLCOURSE_SANDBOX_WORKDIR") or os.getcwd()
    hidden = [os.path.realpath(p) for p in os.environ.get("DLCOURSE_SANDBOX_HIDE", "").split(os.pathsep) if p]
    real = os.path.realpath(workdir)
    if any(h == real or h.startswith(real + os.sep) for h in hidden):
        raise SystemExit(f"dlcourse sandbox: refusing to expose {workdir}, it contains hidden paths")
    os.makedirs(workdir, exist_ok=True)
    return workdir


def _through_zygote(path: str, argv: list[str], sandboxed: bool) -> int | None:
    """Have the zygote (zygote.py) fork this kernel: its exit status, or None when it could not start one."""
    import json
    import socket

    from . import zygote

    zygote._set_parent_death_signal()  # nbgrader's worker killed: this launcher dies, and its kernel with it
    request = {"argv": argv, "env": dict(os.environ), "cwd": os.path.realpath(_workdir() if sandboxed else os.getcwd()),
               "runtime": os.path.realpath(os.environ.get("JUPYTER_RUNTIME_DIR") or os.getcwd()),
               "sandbox": sandboxed, "preload": os.environ.get("DLCOURSE_KERNEL_PRELOAD", ""),
               "hide": [p for p in os.environ.get("DLCOURSE_ZYGOTE_COVER", "").split(os.pathsep) if p]}
    if "-f" in argv:  # the connection file (jupyter_client writes it to a temporary file): the kernel gets a copy
        connection_file = os.path.realpath(argv[argv.index("-f") + 1])
        with open(connection_file) as f:
            request["connection"] = {"path": connection_file, "text": f.read()}
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        zygote.send_request(sock, request, [0, 1, 2])
        answers = sock.makefile("r")
        first = json.loads(answers.readline() or '{"error": "the zygote closed the connection"}')
    except (OSError, ValueError) as exc:
        first = {"error": f"{type(exc).__name__}: {exc}"}
    if "error" in first:
        print(f"dlcourse sandbox: the zygote could not start the kernel ({first['error']}); starting it the plain way",
              file=sys.stderr)
        return None
    last = answers.readline()
    return json.loads(last)["exit"] if last else 1


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    sandboxed = os.environ.get("DLCOURSE_SANDBOX", "1") != "0"
    if os.environ.get("DLCOURSE_ZYGOTE", "") not in ("", "0"):
        status = _through_zygote(os.environ["DLCOURSE_ZYGOTE"], argv, sandboxed)
        if status is not None:
            sys.stdout.flush()
            os._exit(status & 0xFF if status >= 0 else 128 - status)
    inner = [sys.executable, "-m", "dlcourse.instructor.kernel", *argv]
    if not sandboxed:
        os.execv(sys.executable, inner)
    connection_file = argv[argv.index("-f") + 1] if "-f" in argv else None
    if connection_file is None:
        raise SystemExit("dlcourse sandbox: no connection file (-f)")
    workdir = _workdir()
    args = bwrap_argv(inner, workdir, connection_file)
    if os.environ.get("DLCOURSE_SANDBOX_DEBUG"):
        print("dlcourse sandbox:", " ".join(args), file=sys.stderr)
    os.execv(args[0], args)


if __name__ == "__main__":
    main()
