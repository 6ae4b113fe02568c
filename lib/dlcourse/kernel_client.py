"""Reading kernel replies without the lost-wake-up stall.

nbclient waits for a cell's `execute_reply` with a single `get_msg(timeout=<cell timeout>)` on
the kernel's shell channel (and for its outputs with `get_msg(timeout=None)` on IOPub). pyzmq's
asyncio polling is edge-triggered, and now and then it is not woken when a message arrives (the
class of bug in pyzmq issue #1203): the reply then sits in the socket until the poll times out.
On the course's 2-core machine about one graded notebook in 30 had a cell that finished in
0.2 s reported after the full cell timeout (120 s when grading, 300 s in the tests), with its
correct result: always a cell that opens many widget comms at once.

`QuickKernelClient` reads its shell and IOPub channels in short polls, so a missed wake-up
costs at most `POLL_SLICE` seconds. Every notebook the course runs uses it:
* nbgrader (`nbgrader autograde`, `validate`, the Validate button, `dlcourse autograde`):
  `c.AsyncKernelManager.client_class` in `nbgrader_config.py`;
* the tests and benchmarks: `CourseNotebookClient`, which also shuts each kernel down at once
  when its notebook is done (nothing is left to save in it).

`environment(...)` sets environment variables for the kernels started in a block.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from queue import Empty
from time import monotonic

from jupyter_client.asynchronous import AsyncKernelClient
try:
    from jupyter_client.channels import AsyncZMQSocketChannel
except ImportError:  # jupyter_client 7 (Colab's): its ZMQSocketChannel is the asyncio one
    from jupyter_client.channels import ZMQSocketChannel as AsyncZMQSocketChannel
from nbclient import NotebookClient
from traitlets import Type

POLL_SLICE = 0.5  # seconds
CLIENT_CLASS = "dlcourse.kernel_client.QuickKernelClient"


class QuickChannel(AsyncZMQSocketChannel):
    async def get_msg(self, timeout=None):
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            step = POLL_SLICE if deadline is None else min(POLL_SLICE, max(0.0, deadline - monotonic()))
            try:
                return await super().get_msg(timeout=step)
            except Empty:
                if deadline is not None and monotonic() >= deadline:
                    raise


class QuickKernelClient(AsyncKernelClient):
    shell_channel_class = Type(QuickChannel)
    iopub_channel_class = Type(QuickChannel)


class CourseNotebookClient(NotebookClient):
    """The notebook client the course's tests and benchmarks run lessons with."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(*args, **kwargs)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.client_class = CLIENT_CLASS
        return km


@contextmanager
def environment(**values: str):
    """Set environment variables for the kernels started inside the block, then put the old
    values back (kernels inherit the environment of the process that starts them)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
