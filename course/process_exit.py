"""Ending a command's process without the collector's passes over its heap.

A command that graded anything holds the objects of a second of imports (nbgrader, nbconvert,
SQLAlchemy, Jupyter). Python's finalization walks them with the garbage collector again and
again after the last line is printed: measured at 0.37 s of CPU for ``course grade`` on one
submission, a tenth of its latency, with the result already on the screen. Freezing the heap
just before the exit leaves it to the operating system; ``atexit`` handlers (multiprocessing
joining its children, logging's flush) still run.
"""
from __future__ import annotations

import gc
import sys


def leaving(code: int) -> int:
    """``code``, after flushing the standard streams and freezing the heap: call it last."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    return code
