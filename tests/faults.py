"""Faults of the grading machinery itself, injected into the real execute step for tests.

Configured by class path like any execute step (``ExecTask.execute_class``), so the rest of the
pipeline -- jail, kernel, agent, trusted cells -- runs for real around the fault.
"""
from __future__ import annotations

import time

from traitlets import Float

from course.grading.sandbox.grader.channel import Channel
from course.grading.sandbox.grader.trusted import TrustedCells
from course.grading.steps.sandboxed_execute import SandboxedExecute


class SocketBreaksOnce(SandboxedExecute):
    """The grader's socket to the agent closes under the first test cell this process grades,
    as a transient fault of the grader would (the student's code is not involved)."""

    broken = False  # per process: the regrade that follows must find a working channel

    def _run_trusted(self, cell):
        if not SocketBreaksOnce.broken:
            SocketBreaksOnce.broken = True
            run = self.run
            if run.trusted is None:
                run.trusted = TrustedCells(Channel(self, self._cell_deadline))
            run.trusted.channel._open().socket.close()
        return super()._run_trusted(cell)


WAIT = 3.0  # seconds GraderWaits waits, past its note threshold of 2 s


class GraderWaits(SandboxedExecute):
    """The grader itself waits around a student cell marked ``# grader waits <where>``: before
    sending it, after its reply, or between it and the cell before, as a missed message or an
    overloaded grading machine would make it wait."""

    wait_note_seconds = Float(2.0).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if "# grader waits between" in cell.source:
            time.sleep(WAIT)
        return super().preprocess_cell(cell, resources, index)

    def execute_cell(self, cell, cell_index, *args, **kwargs):
        if "# grader waits before" in cell.source:
            time.sleep(WAIT)
        result = super().execute_cell(cell, cell_index, *args, **kwargs)
        if "# grader waits after" in cell.source:
            time.sleep(WAIT)
        return result


class ClientProbe(SandboxedExecute):
    """Not a fault: notes which kernel client, and which channels, the real step waits on."""

    def start_new_kernel_client(self):
        kc = super().start_new_kernel_client()
        self.run.status.note(f"client {type(kc).__name__}, shell {type(kc.shell_channel).__name__}, "
                             f"iopub {type(kc.iopub_channel).__name__}")
        return kc
