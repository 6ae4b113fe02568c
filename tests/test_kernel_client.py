"""Kernel replies are read in short polls, everywhere the course runs notebooks
(see dlcourse.kernel_client)."""

from __future__ import annotations

import asyncio
import time
from queue import Empty

import nbformat
import pytest
from jupyter_client.channels import AsyncZMQSocketChannel

from dlcourse import kernel_client
from dlcourse.kernel_client import CourseNotebookClient, QuickChannel, QuickKernelClient
from nbtools import ROOT


@pytest.fixture
def fake_socket(monkeypatch):
    """The channel's socket read, replaced: it answers on the `answer_on`-th call and records
    the timeout of each call."""
    state = {"asked": [], "answer_on": None}

    async def get_msg(self, timeout=None):
        state["asked"].append(timeout)
        if state["answer_on"] is not None and len(state["asked"]) >= state["answer_on"]:
            return {"msg_type": "execute_reply"}
        await asyncio.sleep(timeout or 0)
        raise Empty

    monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", get_msg)
    monkeypatch.setattr(kernel_client, "POLL_SLICE", 0.05)
    return state


def channel():
    return QuickChannel.__new__(QuickChannel)  # no socket needed: the read is faked


def test_a_long_wait_becomes_short_polls(fake_socket):
    fake_socket["answer_on"] = 4
    assert asyncio.run(channel().get_msg(timeout=120)) == {"msg_type": "execute_reply"}
    assert len(fake_socket["asked"]) == 4 and max(fake_socket["asked"]) <= 0.05


def test_the_overall_timeout_still_holds(fake_socket):
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel().get_msg(timeout=0.3))
    assert 0.3 <= time.monotonic() - start < 2
    assert len(fake_socket["asked"]) >= 5


def test_no_timeout_means_short_polls_until_a_message(fake_socket):
    fake_socket["answer_on"] = 10
    assert asyncio.run(channel().get_msg(timeout=None))["msg_type"] == "execute_reply"
    assert set(fake_socket["asked"]) == {0.05}


def test_course_client_runs_a_notebook_through_quick_channels():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)"), nbformat.v4.new_code_cell("1 / 0")]
    client = CourseNotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True)
    seen = set()
    client.on_cell_executed = lambda **_: seen.update({type(client.kc.shell_channel), type(client.kc.iopub_channel)})
    client.execute()
    assert seen == {QuickChannel}
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert nb.cells[1].outputs[0]["ename"] == "ZeroDivisionError"
    assert client.shutdown_kernel == "immediate"


def test_nbgrader_config_uses_the_quick_client():
    """`nbgrader autograde`, `validate` and the Validate button read nbgrader_config.py."""
    from jupyter_client.manager import AsyncKernelManager
    from nbgrader.preprocessors import Execute
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert AsyncKernelManager(config=config).client_factory is QuickKernelClient
    assert Execute(config=config).shutdown_kernel == "immediate"
