"""Where a cell's time went besides the kernel's own work: a long wait of the grader is noted.

nbclient records when the kernel began a cell and when it replied (``metadata.execution``,
stamped by the kernel on the machine's clock); the grader knows when it began the cell and
when it was done with it. Time between those, or between two cells, is the grading machinery's
(a missed message, an overloaded machine), never the student's: it is noted in the grading
status, the grade stands, and ``course report`` and the suite's checks on its classes see it.
The kernel's stamps come from inside the jail, so a note may be forged or hidden, never a grade.
"""
from __future__ import annotations

import dataclasses
import datetime

NOTE_MARK = " s passed "  # in every note made here, after the seconds


@dataclasses.dataclass
class CellWaits:
    threshold: float                 # seconds of waiting worth a note
    last_done: float | None = None   # when the grader was done with the previous cell (time.time())

    def cell_done(self, cell, label: str, begun: float, done: float, kernel_ran: bool) -> list[str]:
        """Notes for one cell the grader began at ``begun`` and finished at ``done`` (time.time());
        ``kernel_ran``: the kernel executed it (a student cell), so its stamps are read."""
        notes = []
        if self.last_done is not None and begun - self.last_done > self.threshold:
            notes.append(f"{begun - self.last_done:.0f} s passed in the grader between the previous cell and {label}")
        self.last_done = done
        if not kernel_ran:
            return notes
        execution = cell.get("metadata", {}).get("execution", {})
        started, replied = _stamp(execution.get("iopub.execute_input")), _stamp(execution.get("shell.execute_reply"))
        if started is not None and started - begun > self.threshold:
            notes.append(f"{started - begun:.0f} s passed between the grader beginning {label} and the kernel running it")
        if replied is not None and done - replied > self.threshold:
            notes.append(f"{done - replied:.0f} s passed between the kernel's reply to {label} and the grader "
                         "finishing it")
        return notes


def _stamp(text) -> float | None:
    """A kernel message's ISO time as seconds since the epoch (None when absent or malformed)."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
