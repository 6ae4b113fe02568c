"""Grading kernels forked from one process that has imported everything ahead (the *zygote*).

A grading kernel started the plain way (`sandbox.py` execs bubblewrap around a new Python) spends
about 1.5 s before the student's first cell runs: Python and ipykernel start, then the lesson's
first cell imports numpy, matplotlib and the course package (lesson 09 adds 5 s of TensorFlow). A
class of 100 pays that 1,100 times. `dlcourse autograde` therefore starts one zygote for the
whole run:

* the zygote runs inside a bubblewrap sandbox of its own (`sandbox.bwrap_argv`: the whole file
  system read-only, the course folder, the grader's state and the gradebook hidden, no network),
  imports the course's modules once and then only forks; it never runs student code;
* each kernel is a fork of it, which first closes itself off further, as bubblewrap would have
  done for it alone (`_enter_sandbox`): new user, mount, PID, IPC and UTS namespaces; every mount
  read-only; a private `/tmp` and `/dev/shm`; the class's graded folders and kernel sockets
  covered, only this student's lesson folder (writable) and this kernel's socket folder put back;
  no capability left. It is PID 1's only child in a PID namespace of its own, so nothing it starts
  outlives it, and it can signal no other kernel nor the zygote; none of those is dumpable, so it
  cannot read or write their memory either;
* a kernel that needs more (lesson 09: TensorFlow and Keras) is forked from a second zygote,
  itself forked from the first, which imports those once (`preload`);
* the launcher (`sandbox.py`, the process nbgrader's kernel manager starts and watches) hands its
  stdin/stdout/stderr to the zygote over a Unix socket, waits, and exits with the kernel's exit
  status; when the launcher dies (nbgrader killed it, or its worker was killed), the kernel is
  killed too. When the zygote cannot start a kernel, the launcher starts one the plain way.

The protocol on the socket, one request per connection: the launcher sends one JSON object
{"argv", "env", "cwd", "runtime", "connection", "sandbox", "preload", "hide"} with its file descriptors 0, 1, 2 attached
(SCM_RIGHTS); the answer is one JSON line {"started": pid} or {"error": why}, then, when the
kernel ends, {"exit": status}.
"""

from __future__ import annotations

import array
import ctypes
import errno
import json
import os
import select
import signal
import socket
import sys
import time

# what every lesson's kernel imports (its first cell, the checks, the kernel itself)
BASE_MODULES = ("numpy", "numpy.testing", "matplotlib", "matplotlib.pyplot", "ipykernel.kernelapp",
                "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython.core.completer", "ipywidgets",
                "matplotlib_inline.backend_inline",
                "dlcourse", "dlcourse.checks", "dlcourse.checks.guard", "dlcourse.widgets", "dlcourse.plots",
                "dlcourse.datasets", "dlcourse.layers", "dlcourse.network", "dlcourse.optim",
                "dlcourse.instructor.kernel")
# extra modules by name of a preload set (a lesson's kernel asks for one with DLCOURSE_KERNEL_PRELOAD)
PRELOADS = {"keras": ("tensorflow", "keras", "dlcourse.network.keras_mnist", "dlcourse.checks.keras_mnist")}

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID = 0x10000000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 16384, 1 << 18, 1 << 21, 1 << 24
_MOUNT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}
MAX_FDS = 4
_INHERITED: set[int] = set()  # the zygote's own sockets: closed in every fork that serves a kernel


class ZygoteError(RuntimeError):
    """The zygote could not start a kernel (the launcher then starts one the plain way)."""


# ---------------------------------------------------------------------------------------------- system calls
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise ZygoteError(f"{what}: {os.strerror(err)} (errno {errno.errorcode.get(err, err)})")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(_libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {source or fstype} on {target}")


def _unshare(flags: int) -> None:
    _check(_libc().unshare(ctypes.c_int(flags)), "unshare")


def _not_dumpable() -> None:
    """No process of another user namespace may read or write this one's memory (/proc/PID/mem, ptrace),
    even with the same user id; inherited by every fork."""
    PR_SET_DUMPABLE = 4
    _check(_libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def _set_parent_death_signal(sig: int = signal.SIGKILL) -> None:
    PR_SET_PDEATHSIG = 1
    _libc().prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def _mounts() -> list[tuple[str, set[str]]]:
    """(mount point, per-mount options) of this mount namespace, in mount order."""
    out = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split(" - ")[0].split()
            point = fields[4].encode().decode("unicode_escape")  # \040 for a space
            out.append((point, set(fields[5].split(","))))
    return out


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# ---------------------------------------------------------------------------------------------- the sandbox
def _enter_sandbox(workdir: str, runtime: str, covered: list[str]) -> None:
    """Close this process off as `sandbox.bwrap_argv` would for one kernel (see the module's docstring).

    Called in the forked supervisor, before the kernel's PID 1 is forked: the namespaces apply to it.
    `covered`: folders the zygote could write or read that one kernel must not see (the class's graded
    folders, every kernel's sockets); `workdir` and `runtime` (inside them) are put back, writable.
    """
    uid, gid = os.getuid(), os.getgid()
    _unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    keep = [os.path.realpath(workdir), os.path.realpath(runtime)]
    covered = [os.path.realpath(c) for c in covered]
    before = _mounts()
    # the mounts below /tmp (the Python environment of a course kept under /tmp, the font cache) come back
    # on the private /tmp, read-only; those inside covered folders do not
    under_tmp = [p for p, _ in before if _inside(p, "/tmp") and p != "/tmp"
                 and not any(_inside(p, c) for c in covered)]
    # each with what is mounted below it (a mount's locked submounts cannot be left behind); what comes back
    # inside a covered folder is covered again in step 3
    under_tmp = [p for p in dict.fromkeys(under_tmp) if not any(_inside(p, q) and p != q for q in under_tmp)]
    fds = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in keep + under_tmp}
    # 1. everything read-only (per-mount flags kept: a user namespace may not drop nosuid/nodev/noexec); the
    #    topmost mount at each path only (mountinfo also lists mounts covered by later ones); /proc as bubblewrap
    #    left it (see `_init`), device nodes as they are (nothing can be written into them)
    top = dict(before)
    for point, options in top.items():
        if "rw" not in options or _inside(point, "/proc") or (_inside(point, "/dev") and not os.path.isdir(point)):
            continue
        if point in ("/dev/pts", "/dev/shm"):
            continue  # replaced below
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for name, bit in _MOUNT_FLAGS.items():
            if name in options:
                flags |= bit
        try:
            _mount(None, point, None, flags)
        except ZygoteError as exc:  # EINVAL: no longer a mount point there (covered by a later mount)
            if "EINVAL" not in str(exc):
                raise
    # 2. a private, writable /tmp (with what was mounted below it) and /dev/shm
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    for point in under_tmp:
        _bind(fds[point], point, readonly=True)
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    if os.path.isdir("/dev/pts"):
        _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")
    # 3. the covered folders empty; this kernel's own folders in them, writable
    for folder in sorted(set(covered), key=len):
        if os.path.isdir(folder):
            _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755")
    for path in keep:
        _bind(fds[path], path, readonly=False)
    for fd in fds.values():
        os.close(fd)


def _drop_capabilities() -> None:
    """No capability left, none to regain: the kernel cannot undo its mounts (a mount namespace's owner could)."""
    libc = _libc()
    PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # fails quietly beyond the last capability
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: empty (two 32-bit words each)
    _check(libc.capset(header, data), "capset")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _bind(fd: int, target: str, *, readonly: bool) -> None:
    if os.path.isdir(f"/proc/self/fd/{fd}"):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "w").close()
    _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (MS_RDONLY if readonly else 0)
    _mount(None, target, None, flags)


# ---------------------------------------------------------------------------------------------- one kernel
def _run_kernel(request: dict, stdio: list[int]) -> None:
    """In the forked kernel process: become the kernel the launcher asked for; never returns."""
    code = 1
    try:
        for target, fd in enumerate(stdio):
            os.dup2(fd, target)
        for fd in set(stdio) - {0, 1, 2}:
            os.close(fd)
        env = dict(request["env"])
        if request.get("sandbox"):
            env.update({"HOME": "/tmp", "MPLCONFIGDIR": "/tmp/.mpl", "IPYTHONDIR": "/tmp/.ipython",
                        "PYTHONDONTWRITEBYTECODE": "1"})
            env.pop("JPY_PARENT_PID", None)
            if env.get("DLCOURSE_DATA_DIR"):
                env["DLCOURSE_DATA"] = os.path.realpath(env["DLCOURSE_DATA_DIR"])
        os.environ.clear()
        os.environ.update(env)
        sys.dont_write_bytecode = True
        os.chdir(request["cwd"])
        os.setsid()
        if request.get("sandbox"):
            _drop_capabilities()
        import numpy

        numpy.random.seed()  # a fresh stream for each kernel, as a new process would have
        from . import kernel

        connection = request.get("connection")
        if connection and not os.path.exists(connection["path"]):  # its copy, in the kernel's private /tmp
            os.makedirs(os.path.dirname(connection["path"]), exist_ok=True)
            with open(connection["path"], "w") as f:
                f.write(connection["text"])
        sys.argv = [kernel.__file__, *request["argv"]]
        kernel.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - reported on the kernel's stderr, like a crashing kernel
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _init(request: dict, stdio: list[int]) -> None:
    """PID 1 of the kernel's PID namespace: forks the kernel, reaps orphans, exits with it (and so ends them all).

    /proc stays the zygote's (Linux refuses a new one under bubblewrap's covered /proc): a kernel sees the
    zygote's processes there, but cannot signal them (not in its PID namespace) nor read or write their
    memory (none of them is dumpable, and the kernel has no capability in their user namespace)."""
    code = 1
    try:
        for target, fd in enumerate(stdio):  # its own errors go where the kernel's go
            os.dup2(fd, target)
        kernel = os.fork()
        if kernel == 0:
            _run_kernel(request, stdio)
        for fd in stdio:
            os.close(fd)
        while True:
            pid, status = os.waitpid(-1, 0)
            if pid == kernel:
                code = os.waitstatus_to_exitcode(status)
                break
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code & 0xFF if code >= 0 else 128 - code)


def _supervise(conn: socket.socket, request: dict, stdio: list[int]) -> None:
    """In a fork of the zygote: set the kernel up, tell the launcher, wait for the kernel or the launcher."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        if request.get("sandbox"):
            _enter_sandbox(request["cwd"], request["runtime"], request.get("hide", []))
        child = os.fork()
    except BaseException as exc:  # noqa: BLE001 - the launcher starts the kernel the plain way instead
        _answer(conn, {"error": f"{type(exc).__name__}: {exc}"})
        return
    if child == 0:
        conn.close()
        if request.get("sandbox"):
            _init(request, stdio)
        _run_kernel(request, stdio)
    for fd in stdio:
        os.close(fd)
    _answer(conn, {"started": child})
    pidfd = os.pidfd_open(child)
    ready, _, _ = select.select([conn, pidfd], [], [])
    if pidfd not in ready:  # the launcher is gone (it never writes): so is its kernel
        os.kill(child, signal.SIGKILL)
    status = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
    _answer(conn, {"exit": status})


def _answer(conn: socket.socket, message: dict) -> None:
    try:
        conn.sendall((json.dumps(message) + "\n").encode())
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------- fds over sockets
def send_request(sock: socket.socket, request: dict, fds: list[int]) -> None:
    data = json.dumps(request).encode()
    sock.sendmsg([len(data).to_bytes(4, "big") + data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])


def recv_request(sock: socket.socket) -> tuple[dict, list[int]]:
    fds = array.array("i")
    msg, ancdata, _flags, _addr = sock.recvmsg(4, socket.CMSG_SPACE(MAX_FDS * fds.itemsize))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    if len(msg) < 4:
        raise ZygoteError("an empty request")
    size, body = int.from_bytes(msg, "big"), b""
    while len(body) < size:
        chunk = sock.recv(size - len(body))
        if not chunk:
            raise ZygoteError("a request cut short")
        body += chunk
    return json.loads(body), list(fds)


# ---------------------------------------------------------------------------------------------- the zygote
def _course_modules() -> list[str]:
    """Every module of the course package a kernel may import (not the instructor's tools, nor the notebook
    runner `kernel_client`, whose nbformat import alone takes 2.5 s)."""
    import pkgutil

    import dlcourse

    return [m.name for m in pkgutil.walk_packages(dlcourse.__path__, "dlcourse.")
            if not m.name.startswith(("dlcourse.instructor", "dlcourse.kernel_client"))]


def _import(modules) -> None:
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that cannot be imported ahead is imported by the kernel
            pass


def _reap_children() -> None:
    """Wait for every forked supervisor as it ends (so that its CPU time is counted in the grader's)."""
    def reap(*_args):
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass

    signal.signal(signal.SIGCHLD, reap)


def _fork_kernel(conn: socket.socket, request: dict, fds: list[int]) -> None:
    if os.fork() == 0:
        for fd in _INHERITED:
            os.close(fd)
        try:
            _supervise(conn, request, fds)
        finally:
            os._exit(0)
    conn.close()
    for fd in fds:
        os.close(fd)


class _Preloaded:
    """A second zygote, forked from this one, that has imported a preload set too (lesson 09's TensorFlow)."""

    def __init__(self, modules, pending: list[int]):
        self.here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.pid = os.fork()
        if self.pid == 0:
            for fd in {*_INHERITED, *pending}:  # the request being served is not its to keep open
                os.close(fd)
            _INHERITED.clear()
            _INHERITED.add(there.fileno())
            self.here.close()
            _import(modules)
            _reap_children()
            _serve_forwarded(there)
        there.close()
        _INHERITED.add(self.here.fileno())

    def forward(self, conn: socket.socket, request: dict, fds: list[int]) -> None:
        send_request(self.here, request, [conn.fileno(), *fds])
        conn.close()
        for fd in fds:
            os.close(fd)


def _serve_forwarded(channel: socket.socket) -> None:
    try:
        while True:
            request, fds = recv_request(channel)
            conn = socket.socket(fileno=fds[0])
            _fork_kernel(conn, request, fds[1:])
    except (ZygoteError, OSError):
        os._exit(0)


def serve(path: str, preload: tuple[str, ...] = ()) -> None:
    """Listen on the Unix socket `path` and fork a kernel for each request (runs until killed). `preload`: the
    second zygotes (PRELOADS) to start at once rather than at their first kernel, importing while the grader
    works on other things."""
    _set_parent_death_signal()
    _not_dumpable()
    _import(BASE_MODULES)
    _import(_course_modules())
    _reap_children()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    _INHERITED.add(listener.fileno())
    second: dict[str, _Preloaded] = {name: _Preloaded(PRELOADS[name], []) for name in preload if name in PRELOADS}
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = listener.accept()
        fds: list[int] = []
        try:
            request, fds = recv_request(conn)
            extra = request.get("preload") or ""
            if extra and extra in PRELOADS:
                if extra not in second:
                    second[extra] = _Preloaded(PRELOADS[extra], [conn.fileno(), *fds])
                second[extra].forward(conn, request, fds)
            else:
                _fork_kernel(conn, request, fds)
        except Exception as exc:  # noqa: BLE001 - one bad request never stops the zygote
            _answer(conn, {"error": f"{type(exc).__name__}: {exc}"})
            conn.close()
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass


# ---------------------------------------------------------------------------------------------- the grader's side
class Zygote:
    """One zygote for a grading run: `Zygote(run_root, autograded, env, sandbox=True)` starts it (it is ready
    about 2 s later; the first kernel that asks for TensorFlow waits 5 s more), `kernel_env()` waits until it
    is ready and is what a grading kernel's environment needs to be forked from it, `close()` stops it and
    every kernel still running.

    `run_root`: the folder under which every kernel's socket folder (JUPYTER_RUNTIME_DIR) lies;
    `autograded`: the class's graded folders, under which every kernel's working folder lies. Both are
    writable for the zygote's sandbox and covered in every kernel but for that kernel's own two folders.
    `env`: the environment the kernels share (thread counts, figures, hidden paths, the data folder).
    """

    def __init__(self, run_root, autograded, env: dict, *, sandbox: bool = True, timeout: float = 120,
                 log_path=None, preload: tuple[str, ...] = ()):
        import subprocess
        import tempfile
        import threading

        from . import sandbox as sandbox_mod

        self.run_root, self.autograded = os.path.realpath(run_root), os.path.realpath(autograded)
        os.makedirs(self.run_root, exist_ok=True)
        os.makedirs(self.autograded, exist_ok=True)
        home = tempfile.mkdtemp(prefix=".zygote-", dir=self.run_root)
        self.socket = os.path.join(home, "socket")
        self.sandbox = sandbox
        inner = [sys.executable, "-m", "dlcourse.instructor.zygote", self.socket, *preload]
        env = {**env, "MPLBACKEND": "agg" if env.get("DLCOURSE_FIGURES") == "0" else env.get("MPLBACKEND", "agg"),
               "PYDEVD_DISABLE_FILE_VALIDATION": "1"}  # ipykernel's debugger (imported ahead) quiet
        env.pop("DLCOURSE_ZYGOTE", None)
        # a user namespace of its own, whose only capability lets each kernel map its user into the next one
        # (needed for uid 0: Linux 5.12+); every kernel drops it with the rest (`_drop_capabilities`)
        extra = ("--unshare-user", "--uid", str(os.getuid()), "--gid", str(os.getgid()), "--cap-add", "CAP_SETFCAP")
        argv = (sandbox_mod.bwrap_argv(inner, self.run_root, None, writable=(self.autograded,), env=env, extra=extra)
                if sandbox else inner)
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=log, start_new_session=True, text=True)
        if log is not subprocess.DEVNULL:
            log.close()
        self.timeout = timeout
        self._ready = threading.Event()

        def wait_ready():
            if self.proc.stdout.readline() == "ready\n":
                self._ready.set()

        threading.Thread(target=wait_ready, daemon=True).start()

    def wait(self) -> None:
        """Until the zygote has imported everything and listens (it starts while the grader sets up)."""
        deadline = time.monotonic() + self.timeout
        while not self._ready.wait(0.1):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                break
        if not self._ready.is_set():
            self.close()
            raise ZygoteError("the zygote did not start (kernels are started the plain way)")

    def kernel_env(self) -> dict:
        self.wait()
        return {"DLCOURSE_ZYGOTE": self.socket,
                "DLCOURSE_ZYGOTE_COVER": os.pathsep.join([self.run_root, self.autograded])}

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


if __name__ == "__main__":
    serve(sys.argv[1], tuple(sys.argv[2:]))
