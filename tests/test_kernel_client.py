"""The notebook client waits for kernel messages in short polls (see dlcourse.kernel_client)."""

from __future__ import annotations

import asyncio
import time
from queue import Empty

import nbformat
import pytest

from dlcourse import kernel_client
from dlcourse.kernel_client import CourseNotebookClient


class FakeChannel:
    """get_msg answers on the `answer_on`-th call; records the timeouts it was asked for."""

    def __init__(self, answer_on=None):
        self.asked = []
        self.answer_on = answer_on

    async def get_msg(self, timeout=None):
        self.asked.append(timeout)
        if self.answer_on is not None and len(self.asked) >= self.answer_on:
            return {"msg_type": "execute_reply"}
        await asyncio.sleep(timeout or 0)
        raise Empty


def test_a_long_wait_becomes_short_polls(monkeypatch):
    monkeypatch.setattr(kernel_client, "POLL_SLICE", 0.05)
    channel = FakeChannel(answer_on=4)
    msg = asyncio.run(kernel_client._in_slices(channel.get_msg)(timeout=120))
    assert msg == {"msg_type": "execute_reply"}
    assert len(channel.asked) == 4 and max(channel.asked) <= 0.05


def test_the_overall_timeout_still_holds(monkeypatch):
    monkeypatch.setattr(kernel_client, "POLL_SLICE", 0.05)
    channel = FakeChannel()
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(kernel_client._in_slices(channel.get_msg)(timeout=0.3))
    assert 0.3 <= time.monotonic() - start < 2
    assert len(channel.asked) >= 5


def test_no_timeout_means_waiting_in_slices_until_a_message(monkeypatch):
    monkeypatch.setattr(kernel_client, "POLL_SLICE", 0.01)
    channel = FakeChannel(answer_on=10)
    assert asyncio.run(kernel_client._in_slices(channel.get_msg)(timeout=None))["msg_type"] == "execute_reply"
    assert set(channel.asked) == {0.01}


def test_course_client_runs_a_notebook_with_sliced_waits():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)"), nbformat.v4.new_code_cell("1 / 0")]
    client = CourseNotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True)
    seen = {}
    client.on_cell_executed = lambda **_: seen.update(
        shell=getattr(client.kc.shell_channel.get_msg, "polls_in_slices", False),
        iopub=getattr(client.kc.iopub_channel.get_msg, "polls_in_slices", False))
    client.execute()
    assert seen == {"shell": True, "iopub": True}
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert nb.cells[1].outputs[0]["ename"] == "ZeroDivisionError"
    assert client.shutdown_kernel == "immediate"
