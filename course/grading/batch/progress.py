"""A plain-text progress line on stderr: graded / failed / remaining and an ETA.

On a terminal the line is redrawn in place; in a CI log (no TTY) a new line
is printed at most every few seconds and on the last submission.
"""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, stream=sys.stderr, interval: float = 5.0):
        self.total, self.graded, self.failed, self.executed = total, 0, 0, 0
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = 0.2 if self.tty else interval
        self.start = time.monotonic()
        self.last = 0.0
        self.printed = ""

    @property
    def remaining(self) -> int:
        return self.total - self.graded - self.failed

    def line(self) -> str:
        done = self.graded + self.failed
        width = 24
        filled = int(width * done / self.total) if self.total else width
        elapsed = time.monotonic() - self.start
        eta = "--:--"
        if done and self.remaining:
            eta = _clock(elapsed / done * self.remaining)
        elif not self.remaining:
            eta = "done in " + _clock(elapsed)
        return (f"[{'#' * filled}{'.' * (width - filled)}] graded {self.graded}  failed {self.failed}  "
                f"remaining {self.remaining}  (executed {self.executed})  ETA {eta}")

    def update(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.interval and self.remaining:
            return
        self.last = now
        line = self.line()
        if line == self.printed:
            return
        self.printed = line
        if self.tty:
            self.stream.write("\r" + line + ("\n" if not self.remaining else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
