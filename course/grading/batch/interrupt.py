"""Ctrl-C stops a batch and exits 130, whichever code the main thread was running when it came.

Python raises KeyboardInterrupt wherever the main thread is, and drops it (printing "Exception
ignored") when that is a finalizer, a ``__del__`` or a weakref callback: the batch would then run
to its end and exit 0. The handler also remembers the signal; the coordinator checks it after
every event and once more at the end.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Interrupts:
    """Whether SIGINT came during the batch."""

    def __init__(self) -> None:
        self.received = False

    def check(self) -> None:
        if self.received:
            raise KeyboardInterrupt

    def handle(self, signum, frame) -> None:
        self.received = True
        raise KeyboardInterrupt


@contextmanager
def catching_interrupts() -> Iterator[Interrupts]:
    """Installs the handler in the main thread (a batch started elsewhere cannot get SIGINT), unless
    SIGINT is ignored there (a background job): it stays ignored."""
    interrupts = Interrupts()
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield interrupts
        return
    previous = signal.signal(signal.SIGINT, interrupts.handle)
    try:
        yield interrupts
    finally:
        signal.signal(signal.SIGINT, previous)
