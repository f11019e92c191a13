"""One ``course grade`` per course at a time.

Two runs in one course would write the same gradebook rows at once: nbgrader's SQLite
gradebook then rejects one run's inserts and its submissions end "FAILED". The second run
is refused at once instead, naming the process that holds the course. The lock is an
``flock`` on ``.grade_cache/grade.lock``: the kernel releases it when that process ends,
however it ends, so a crashed run never leaves the course locked.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

LOCK_NAME = "grade.lock"


class CourseBusy(RuntimeError):
    """Another ``course grade`` is grading this course."""


@contextlib.contextmanager
def exclusive(cache_root: Path) -> Iterator[None]:
    cache_root.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_root / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise CourseBusy(f"another course grade (process {holder}) is grading this course; "
                             "run again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
