"""The student's kernel as an unprivileged user, where a container cannot run bubblewrap.

Gradescope and PrairieLearn run graders as root in Docker containers whose default security
profile usually forbids the namespaces bubblewrap needs. There, `grade_one` still isolates the
student's code from the grader: the kernel starts as root through this launcher,

    python -m dlcourse.instructor.targets.unprivileged -f CONNECTION_FILE

which hands the kernel what it needs as open files (the connection file, the guard's log, both
reached through /proc/self/fd), gives it a home folder of its own and its working folder, drops
to the user `nobody` (no groups), and execs `dlcourse.instructor.kernel` (resource limits and
the guard as usual). The bundle, the scratch course folder (gradebook, hidden tests) and the
results folder are root's, mode 0700: the kernel cannot read or write them.
"""

from __future__ import annotations

import json
import os
import pwd
import sys
import tempfile
from pathlib import Path

USER = "nobody"


def ids() -> tuple[int, int]:
    try:
        entry = pwd.getpwnam(USER)
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def prepare(grader, scratch: Path, hidden: list[Path]) -> None:
    """Point the grader's kernelspec at this launcher and lock root's folders away from the kernel."""
    spec = Path(grader.state) / "jupyter" / "kernels" / "python3" / "kernel.json"
    data = json.loads(spec.read_text())
    data["argv"] = [sys.executable, "-m", "dlcourse.instructor.targets.unprivileged", "-f", "{connection_file}"]
    data["interrupt_mode"] = "signal"
    spec.write_text(json.dumps(data, indent=1))
    for path in [Path(scratch), Path(grader.state), *hidden]:
        if path.is_dir():
            path.chmod(0o700)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    uid, gid = ids()
    connection = argv[argv.index("-f") + 1]
    workdir = os.environ.get("DLCOURSE_SANDBOX_WORKDIR") or os.getcwd()
    os.makedirs(workdir, exist_ok=True)
    for folder, _dirs, files in os.walk(workdir):
        os.chown(folder, uid, gid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, gid)
    os.chdir(workdir)
    os.chown(connection, uid, gid)
    conn_fd = os.open(connection, os.O_RDONLY)
    os.set_inheritable(conn_fd, True)
    env = dict(os.environ)
    log = env.get("DLCOURSE_GUARD_LOG")
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchown(fd, uid, gid)
        os.set_inheritable(fd, True)
        env["DLCOURSE_GUARD_LOG"] = f"/proc/self/fd/{fd}"
    home = tempfile.mkdtemp(prefix="dlcourse-kernel-home-")
    os.chown(home, uid, gid)
    env.update(HOME=home, TMPDIR=home, MPLCONFIGDIR=os.path.join(home, ".mpl"), IPYTHONDIR=os.path.join(home, ".ipython"),
               PYTHONDONTWRITEBYTECODE="1", USER=USER, LOGNAME=USER)
    args = [a if a != connection else f"/proc/self/fd/{conn_fd}" for a in argv]
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    os.execve(sys.executable, [sys.executable, "-m", "dlcourse.instructor.kernel", *args], env)


if __name__ == "__main__":
    main()
