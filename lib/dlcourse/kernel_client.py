"""Running notebooks with nbclient without the lost-wake-up stall.

nbclient waits for a cell's `execute_reply` with a single `get_msg(timeout=<cell timeout>)` on
the kernel's shell channel (and for its outputs with `get_msg(timeout=None)` on IOPub). pyzmq's
asyncio polling is edge-triggered, and now and then it is not woken when a message arrives (the
class of bug in pyzmq issue #1203): the reply then sits in the socket until the poll times out.
On the course's 2-core machine about one graded notebook in 30 had a cell that finished in
0.2 s reported after the full cell timeout (120 s when grading, 300 s in the tests), with its
correct result: always a cell that opens many widget comms at once.

`QuickReplies` makes every wait on those two channels a loop of short polls, so a missed
wake-up costs at most `POLL_SLICE` seconds, and shuts the kernel down at once when the notebook
is done (nothing is left to save in it). It is a mixin for `nbclient.NotebookClient` and its
subclasses (nbconvert's `ExecutePreprocessor`, nbgrader's `Execute`).
"""

from __future__ import annotations

import inspect
from queue import Empty
from time import monotonic

from jupyter_core.utils import run_sync
from nbclient import NotebookClient

POLL_SLICE = 0.5  # seconds


def _in_slices(get_msg):
    async def get_msg_in_slices(timeout=None, **kwargs):
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            step = POLL_SLICE if deadline is None else min(POLL_SLICE, max(0.0, deadline - monotonic()))
            try:
                return await get_msg(timeout=step, **kwargs)
            except Empty:
                if deadline is not None and monotonic() >= deadline:
                    raise

    get_msg_in_slices.polls_in_slices = True
    return get_msg_in_slices


class QuickReplies:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(*args, **kwargs)

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        for channel in (kc.shell_channel, kc.iopub_channel):
            if inspect.iscoroutinefunction(channel.get_msg) and not getattr(channel.get_msg, "polls_in_slices", False):
                channel.get_msg = _in_slices(channel.get_msg)
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)


class CourseNotebookClient(QuickReplies, NotebookClient):
    """The notebook client the course's tests and benchmarks run lessons with."""
