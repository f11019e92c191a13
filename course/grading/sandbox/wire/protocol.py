"""What both sides of the sandbox agree on besides the codec: the channel protocol and portable functions.

The grader side and the in-jail agent import these names from here, so neither side
imports the other.

For each test cell that touches student objects, the grader binds a fresh ZMQ PAIR socket at
an unguessable path in the jail's run directory and sends the kernel ONE execute_request,
``__course_agent__.serve_socket(path, token)``. The agent connects, says hello (the token),
and answers requests on the kernel's main thread -- no cell runs meanwhile, so student
objects (matplotlib, anything not thread-safe) are used exactly as a cell would use them --
until the grader sends ``end``. The grader never connects to a path: a socket file the jail
replaced or redirected by a symlink cannot lead it anywhere.

Every message is multipart: a JSON header (codec data) then raw ``.npy`` frames the header
refers to by index (``allow_pickle=False`` on both sides).

    grader -> agent   {"seq": n, "op": ..., ...}              a request
                      {"reply_to": k, "ok"|"error": ...}      the answer to callback k
                      {"op": "end"}                            stop serving, the cell is over
    agent -> grader   {"hello": token}                         ready
                      {"seq": n, "ok"|"error": ...}            the answer to request n
                      {"callback": k, "fn": key, "args": ...}  call the grader's function ``key``
"""
from __future__ import annotations

from typing import Any

import numpy as np


class WireError(ValueError):
    """The other side sent something that is not valid plain data."""


SOCKET_PREFIX = "channel-"   # socket file name in the jail's run directory
END = "end"
MAX_FRAMES = 100_000         # binary frames in one message
HELLO_TIMEOUT = 60.0         # seconds for an idle kernel to start serving
POLL_SLICE = 0.5             # seconds between liveness checks while waiting for an answer


def build_portable(source: str, constants: dict) -> Any:
    """Rebuild a grader's small formula (``Portable``) from its source, on either side."""
    namespace = {"np": np, **constants}
    return eval(compile(source, "<grader function>", "eval"), namespace)  # noqa: S307 - grader source
