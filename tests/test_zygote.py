"""Grading kernels forked from the zygote (dlcourse/instructor/zygote.py) keep every guarantee of a kernel
started alone in bubblewrap: its own folder only, a private /tmp, no network, no capability, nothing left
running after it, no way to reach the zygote or another kernel; and grading goes on the plain way when the
zygote is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from dlcourse.instructor import sandbox, zygote
from dlcourse.kernel_client import environment

pytestmark = pytest.mark.skipif(sandbox.bwrap_path() is None, reason="bubblewrap is not installed")


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    for student in ("alice", "bob"):
        (root / "autograded" / student / "L1").mkdir(parents=True)
    (root / "autograded" / "bob" / "L1" / "answers.txt").write_text("bob's own work")
    (root / "solutions").mkdir()
    (root / "solutions" / "key.txt").write_text("the answer key")
    state = tmp_path / "state"
    sandbox.write_kernelspec(state / "jupyter")
    run_root = tmp_path / "kernels"
    env = {**os.environ, "DLCOURSE_SANDBOX_HIDE": os.pathsep.join([str(root), str(state)]),
           "OPENBLAS_NUM_THREADS": "1", "DLCOURSE_FIGURES": "0", "PYTHONWARNINGS": "ignore"}
    zyg = zygote.Zygote(run_root, root / "autograded", env)
    yield {"root": root, "state": state, "runs": run_root, "env": env, "zygote": zyg, "kernel_env": zyg.kernel_env()}
    zyg.close()


class Kernel:
    """A grading kernel for `student`, started as nbgrader starts it (the grading kernelspec, ipc sockets)."""

    def __init__(self, course, student, **extra):
        from jupyter_client.manager import KernelManager

        run = course["runs"] / "L1" / student
        run.mkdir(parents=True, exist_ok=True)
        self.workdir = course["root"] / "autograded" / student / "L1"
        env = {**course["env"], **course["kernel_env"], "JUPYTER_PATH": str(course["state"] / "jupyter"),
               "JUPYTER_RUNTIME_DIR": str(run), "DLCOURSE_SANDBOX": "1",
               "DLCOURSE_SANDBOX_WORKDIR": str(self.workdir), **extra}
        with environment(**env):
            self.km = KernelManager(kernel_name="python3", transport="ipc", ip=str(run / "kernel-ipc"))
            self.km.start_kernel(cwd=str(self.workdir))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code: str) -> str:
        out = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        self.kc.execute_interactive(code, output_hook=hook, timeout=60)
        return "".join(out)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def _alive(marker: str) -> bool:
    return subprocess.run(["pgrep", "-f", marker], capture_output=True).returncode == 0


def test_a_forked_kernel_sees_and_writes_only_its_own_folder(course):
    alice = Kernel(course, "alice")
    try:
        # forked: the course's modules are there before any import
        assert alice.run("import sys; print('numpy' in sys.modules, 'matplotlib.pyplot' in sys.modules)").split() == ["True", "True"]
        bob_dir = course["root"] / "autograded" / "bob" / "L1"
        out = alice.run(f"import os; print(os.path.exists({str(bob_dir)!r}), "
                        f"os.path.exists({str(course['root'] / 'solutions' / 'key.txt')!r}))")
        assert out.split() == ["False", "False"]
        out = alice.run("open('mine.txt', 'w').write('x'); open('/tmp/scratch', 'w').write('x'); print('ok')")
        assert out.strip() == "ok"
        def write(path):
            return alice.run(f"try:\n    open({str(path)!r}, 'w').write('x'); print('wrote')\n"
                             f"except OSError: print('refused')").strip()

        assert write("/etc/dlcourse-probe") == "refused"
        write(course["root"] / "autograded" / "new.txt")  # at most into the kernel's private, empty cover
        assert not (course["root"] / "autograded" / "new.txt").exists()
        caps = alice.run("print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])")
        assert int(caps.strip(), 16) == 0
        out = alice.run("import socket\ntry:\n    socket.create_connection(('10.0.0.1', 80), timeout=1); print('NET')\n"
                        "except OSError: print('no network')")
        assert out.strip() == "no network"
    finally:
        alice.close()
    assert (course["root"] / "autograded" / "alice" / "L1" / "mine.txt").is_file()
    bob = Kernel(course, "bob")
    try:
        out = bob.run("import os; print(sorted(os.listdir('.')), os.path.exists('/tmp/scratch'))")
        assert out.strip() == "['answers.txt'] False"  # bob's own folder; alice's /tmp was hers alone
    finally:
        bob.close()


def test_what_a_kernel_starts_dies_with_it_and_the_zygote_is_out_of_reach(course):
    marker = "sleep 312.5"
    kernel = Kernel(course, "alice")
    try:
        kernel.run("import subprocess; subprocess.Popen(['sleep', '312.5'], start_new_session=True); print('started')")
        assert _alive(marker)
        zygote_pid = course["zygote"].proc.pid
        # the zygote's processes are listed in /proc (by their numbers outside the kernel's PID namespace, which
        # os.kill cannot name), but none can be signalled through its /proc folder, nor its memory read
        out = kernel.run(
            "import os, signal\n"
            "found, hits = 0, []\n"
            "me = int(os.readlink('/proc/self'))\n"
            "init = int(open('/proc/self/stat').read().rsplit(')', 1)[1].split()[1])\n"
            "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit() and int(p) not in (me, init)]:\n"
            "    try:\n"
            "        cmd = open(f'/proc/{pid}/cmdline').read()\n"
            "    except OSError:\n"
            "        continue\n"
            "    if 'dlcourse.instructor.zygote' in cmd:\n"
            "        found += 1\n"
            "        def signal_it():\n"
            "            fd = os.open(f'/proc/{pid}', os.O_RDONLY | os.O_DIRECTORY)\n"
            "            signal.pidfd_send_signal(fd, 0)\n"
            "        for attempt in (signal_it, lambda: open(f'/proc/{pid}/mem', 'rb').read(1)):\n"
            "            try:\n"
            "                attempt(); hits.append(pid)\n"
            "            except OSError:\n"
            "                pass\n"
            "print(found > 0, 'reached', hits, os.getpid())")
        assert out.split()[:3] == ["True", "reached", "[]"]
        assert int(out.split()[3]) <= 3  # the kernel's own PID namespace: init, the kernel, what it started
    finally:
        kernel.close()
    for _ in range(50):
        if not _alive(marker):
            break
        time.sleep(0.1)
    assert not _alive(marker), "a process started by the kernel outlived it"
    assert course["zygote"].proc.poll() is None and os.path.exists(course["zygote"].socket)
    assert zygote_pid == course["zygote"].proc.pid


def test_the_kernel_dies_with_its_launcher(course):
    kernel = Kernel(course, "alice")
    try:
        kernel.run("import subprocess; subprocess.Popen(['sleep', '313.5']); print('started')")
        assert _alive("sleep 313.5")
        os.killpg(kernel.km.provisioner.process.pid, signal.SIGKILL)  # what a timed-out worker's end does
        for _ in range(50):
            if not _alive("sleep 313.5"):
                break
            time.sleep(0.1)
        assert not _alive("sleep 313.5")
    finally:
        kernel.kc.stop_channels()
        kernel.km.cleanup_resources()


def test_kernels_start_the_plain_way_when_the_zygote_is_gone(course, capfd):
    course["zygote"].close()
    kernel = Kernel(course, "alice")
    try:
        out = kernel.run("import sys, os; print('matplotlib.pyplot' in sys.modules, os.getcwd())")
        assert out.split() == ["False", str(course["root"] / "autograded" / "alice" / "L1")]
    finally:
        kernel.close()
    assert "starting it the plain way" in capfd.readouterr().err


def test_a_lesson_that_imports_keras_gets_it_from_a_second_zygote(course):
    for student in ("alice", "bob"):  # the second kernel comes from the same second zygote
        kernel = Kernel(course, student, DLCOURSE_KERNEL_PRELOAD="keras")
        try:
            out = kernel.run("import sys, os; print('keras' in sys.modules, 'tensorflow' in sys.modules, "
                             "sorted(os.listdir('.')))")
        finally:
            kernel.close()
        assert out.split()[:2] == ["True", "True"]
        assert ("answers.txt" in out) == (student == "bob")
