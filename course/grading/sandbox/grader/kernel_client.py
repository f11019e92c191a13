"""The grader's kernel client: waits for a message in short slices, so a missed wake-up costs 0.2 s.

nbclient waits for a cell's ``execute_reply`` with one ``shell_channel.get_msg(timeout=cell
timeout)``. When the cell shows an ipywidgets ``interact`` (an Output widget), nbclient's own
``OutputWidget`` sends comm messages on the same shell socket while that wait is pending, and
under load the asyncio poll then sometimes never wakes for the reply that arrives: the cell
takes its whole timeout (120 s), nbclient interrupts the idle kernel, finds the reply that
was waiting all along, and records nothing (jupyter/nbclient#312, jupyter/nbconvert#2029;
seen on 3 of 26 project2 notebooks in one CI run, and on 15 of 50 runs of project2 under
two CPU burners with stock nbclient). A new poll reads the socket's event state before it
waits, so polling in slices finds such a message at the next slice.
"""
from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

SLICE = 0.2  # seconds: the longest a missed wake-up can delay a message


class SlicedChannel(AsyncZMQSocketChannel):
    """A channel whose ``get_msg(timeout)`` keeps nbclient's timeout but polls in slices."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else min(SLICE, max(deadline - time.monotonic(), 0.0))
            try:
                return await super().get_msg(timeout=left)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise


class GraderKernelClient(AsyncKernelClient):
    """nbclient's async client, with sliced waits on the channels nbclient waits on."""

    shell_channel_class = Type(SlicedChannel)
    iopub_channel_class = Type(SlicedChannel)


CLIENT_CLASS = f"{__name__}.{GraderKernelClient.__name__}"
