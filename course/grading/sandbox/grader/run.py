"""One notebook's grading run: every piece of per-notebook state of the sandboxed execute step.

``SandboxedExecute`` is configured once and grades many notebooks; what belongs to one
notebook (its deadline, jail, trusted cells, output count, why its kernel died) lives here
and is made afresh by :meth:`NotebookRun.begin`, the one place it is reset (the role of
nbclient's ``reset_execution_trackers``).
"""
from __future__ import annotations

import dataclasses
import os
import signal
import tempfile
import time

from nbformat.v4 import new_output

from course.grading.status import GradingStatus

from .jail import Jail
from .waits import CellWaits


@dataclasses.dataclass
class NotebookRun:
    status: GradingStatus
    path: str                       # the notebook's own folder (checks read master data files there)
    submitted: str | None           # the student's submitted folder, for files the reader left out
    deadline: float                 # monotonic time the whole notebook must end by
    jailed: bool                    # False only where the instructor allowed grading unsandboxed
    jail: Jail | None = None
    enter_dir: str | None = None    # a warm kernel moves here before the first cell
    trusted: object | None = None   # TrustedCells, made on the first test cell
    dead_reason: str | None = None  # set once: every later cell is "not run" with this reason
    cell_started: float = 0.0
    output_bytes: int = 0
    output_cut_cell: int | None = None
    killed_for_time: bool = False
    waits: CellWaits = dataclasses.field(default_factory=lambda: CellWaits(10.0))

    @classmethod
    def begin(cls, nb, resources: dict | None, notebook_timeout: float, jailed: bool,
              wait_note_seconds: float = 10.0) -> "NotebookRun":
        resources = resources or {}
        # The notebook's own folder; never the working directory, which may be the course root.
        path = resources.get("metadata", {}).get("path") or tempfile.mkdtemp(prefix="course-empty-")
        return cls(GradingStatus.start(nb), path, _submitted_dir(path, resources.get("nbgrader", {})),
                   time.monotonic() + notebook_timeout, jailed, waits=CellWaits(wait_note_seconds))

    def fail(self, reason: str, cell=None) -> None:
        """The kernel is gone or the notebook is over time: record why, once."""
        self.dead_reason = self.dead_reason or reason
        self.status.error(self.dead_reason, cell)

    def not_run_output(self):
        reason = self.dead_reason or "the kernel died"
        return new_output("error", ename="GradingError", evalue=f"not run: {reason}",
                          traceback=[f"GradingError: not run: {reason}"])

    def grader_fault(self) -> str | None:
        """Why the grader's channel to the kernel failed in some test cell, if it did."""
        return None if self.trusted is None else self.trusted.channel.grader_fault

    def count_output(self, size: int) -> None:
        self.output_bytes += size

    def close(self) -> None:
        if self.jail is not None:
            self.jail.close()


def death_reason(run: NotebookRun, km, fallback: str, *, timeout, memory_limit: int, cpu_time_limit: int) -> str:
    """Why a jailed kernel died, from what the run, the jail and the exit status show."""
    if run.killed_for_time:
        return f"the kernel was killed: a cell ran past its {timeout} s time limit and ignored the interrupt"
    if run.jail is not None and run.jail.memory_killed():
        return f"the kernel was killed for using more than {memory_limit // 2**20} MiB of memory"
    code = exit_code(km)
    if code is not None and code > 128:
        code = -(code - 128)  # bwrap reports a child killed by signal N as 128 + N
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        hint = {"SIGXCPU": f" (CPU time limit of {cpu_time_limit} s)",
                "SIGKILL": " (killed: memory or a limit)"}.get(name, "")
        return f"the kernel died from {name}{hint}"
    if code is not None:
        return f"the kernel exited with status {code} (os._exit, sys.exit in a thread, or a crash)"
    return fallback


def exit_code(km) -> int | None:
    process = launcher(km)
    return None if process is None else process.poll()


def kill_everything(run: NotebookRun, km) -> None:
    """Kill the jail's processes and the kernel's own process (one that ignores interrupts)."""
    if run.jail is not None:
        run.jail.kill_all()
    process = launcher(km)
    if process is not None:
        process.kill()


def launcher(km):
    """The kernel's launcher process (jupyter_client's local provisioner), if it started."""
    provisioner = km.provisioner if km is not None else None
    return provisioner.process if provisioner is not None else None


def _submitted_dir(path: str, info: dict) -> str | None:
    """<root>/submitted/<student>/<assignment> for <root>/autograded/<student>/<assignment>."""
    if not info.get("student") or not info.get("assignment"):
        return None
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path))))
    return os.path.join(root, "submitted", info["student"], info["assignment"])
