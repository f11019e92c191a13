"""A trusted test cell's stdout and stderr: what the cell prints, and nothing of the grader's own.

Swapping ``sys.stdout``/``sys.stderr`` for the cell (``contextlib.redirect_stdout``) would also
catch whatever the grading process writes meanwhile: other threads (a kernel booting for
the next notebook), logging's last-resort handler (asyncio's "Task exception was never
retrieved" from nbclient's ``_async_poll_kernel_alive``), unraisable-exception reports of
objects collected during the cell. nbgrader scores a test cell with stderr output as failed,
so any of those would cost the student points. Here only writes made by the cell's own
thread reach the cell; the others go where they would have gone.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import threading
from typing import Iterator, TextIO


class _Router:
    """Stands in for a standard stream: the cell thread's writes to ``cell``, others to ``other``."""

    def __init__(self, cell: TextIO, other: TextIO, thread: threading.Thread):
        self._cell, self._other, self._thread = cell, other, thread

    def _target(self) -> TextIO:
        return self._cell if threading.current_thread() is self._thread else self._other

    def write(self, text: str) -> int:
        return self._target().write(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str):
        return getattr(self._other, name)


@contextlib.contextmanager
def capture_cell_output(stdout: TextIO, stderr: TextIO) -> Iterator[None]:
    real_out, real_err = sys.stdout, sys.stderr
    thread = threading.current_thread()
    last_resort, unraisable = logging.lastResort, sys.unraisablehook
    grader_log = logging.StreamHandler(real_err)
    grader_log.setLevel(logging.WARNING)
    logging.lastResort = grader_log

    def report_unraisable(info) -> None:
        with _restored(real_out, real_err):
            unraisable(info)

    sys.unraisablehook = report_unraisable
    sys.stdout, sys.stderr = _Router(stdout, real_out, thread), _Router(stderr, real_err, thread)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        logging.lastResort, sys.unraisablehook = last_resort, unraisable


@contextlib.contextmanager
def _restored(out: TextIO, err: TextIO) -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
