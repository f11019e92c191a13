"""SandboxedExecute: nbgrader's Execute step with student cells jailed and test cells trusted.

Configured in ``nbgrader_config.py`` in place of ``Execute`` in
``Autograde.autograde_preprocessors``, so instructors keep running stock
``nbgrader autograde``. Per notebook (a :class:`~course.grading.sandbox.grader.run.NotebookRun`):
a fresh kernel in a :class:`~course.grading.sandbox.grader.jail.Jail` runs the student's cells;
autograder test cells run here (:mod:`course.grading.sandbox.grader.trusted`); limits on time,
output and resources turn into error outputs with a reason, recorded in the grading status
(:mod:`course.grading.status`). Nothing the submission does can stop the batch.
"""
from __future__ import annotations

import contextlib
import copy
import os
import threading
import time

from jupyter_core.utils import run_sync
from jupyter_client.kernelspec import NoSuchKernel
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Float, Integer

from course.grading.sandbox.grader.channel import Channel, request_once
from course.grading.sandbox.grader.copy_back import copy_back
from course.grading.sandbox.grader.jail import Jail, Limits, SandboxUnavailable, probe
from course.grading.sandbox.grader.jail_cpu import jail_cpu_clock
from course.grading.sandbox.grader.kernel import SandboxKernelManager
from course.grading.sandbox.grader.kernel_client import GraderKernelClient
from course.grading.sandbox.grader.run import NotebookRun, death_reason, kill_everything, launcher
from course.grading.sandbox.grader.settings import JailSettings, kernel_signature, start_warm_kernel
from course.grading.sandbox.grader.trusted import TrustedCells

_PROBED: dict[str, str | None] = {}


class SandboxedExecute(Execute, JailSettings):
    """Execute with the student's code in a jail and the verdicts computed outside it.
    The jail's own settings (memory, CPU, processes, home size) come from JailSettings."""

    notebook_timeout = Integer(900, help="Wall-clock seconds for a whole notebook.").tag(config=True)
    max_output_bytes = Integer(1_000_000, help="Bytes of output kept per cell; the rest is cut.").tag(config=True)
    kill_grace = Integer(10, help="Seconds past a cell's timeout before a kernel that ignores "
                                  "interrupts is killed.").tag(config=True)
    # The jail and everything in it is destroyed after the last cell: nothing the kernel could
    # do on a graceful exit (atexit hooks of student code) matters, and waiting costs ~0.5 s.
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                           help="How the kernel is stopped after the last cell.").tag(config=True)
    wait_note_seconds = Float(10.0, help="Seconds of the grader's own waiting around a cell (outside the "
                              "kernel's work) worth a note in the grading status.").tag(config=True)
    regrade_after_channel_failure = Bool(True, help="Grade a notebook once more, from scratch, when the "
                                         "grader's channel to its kernel failed (not the student's "
                                         "code): a grade must not depend on a transient fault.").tag(config=True)

    # print() writes its text and its newline separately, and the kernel sends them in one or two
    # stream messages depending on timing: merged, a notebook's outputs are the same in every run.
    coalesce_streams = Bool(True, help="Merge a cell's stream outputs of one name into one output.").tag(config=True)

    run: NotebookRun | None = None
    _retry_left = False  # a failed channel ends this attempt at once: the notebook is graded again

    def preprocess(self, nb, resources=None, km=None):
        """``km`` may be a warm kernel from :meth:`prestart_kernel`: it runs this notebook only."""
        pristine = copy.deepcopy(nb) if self.regrade_after_channel_failure else None
        self._retry_left = pristine is not None
        nb, resources = self._grade(nb, resources, km)
        fault = self.run.grader_fault()
        if pristine is None or fault is None:
            return nb, resources
        self.log.warning("The grading channel failed (%s); grading the notebook once more", fault)
        self._retry_left = False
        nb, resources = self._grade(pristine, resources, None)
        self.run.status.note(f"graded twice: the first attempt's channel to the kernel failed ({fault})")
        self.run.status.save(nb, resources)
        return nb, resources

    def _grade(self, nb, resources, km):
        run = self.run = NotebookRun.begin(nb, resources, self.notebook_timeout, self._sandbox_available(),
                                          self.wait_note_seconds)
        warm = km if isinstance(km, SandboxKernelManager) and km.jail is not None else None
        if warm is not None:
            run.jail = warm.jail
            run.enter_dir = run.jail.stage(run.path, run.submitted)
        elif run.jailed:
            run.jail = self.new_jail(run.path, run.submitted)
            self.kernel_manager_class = SandboxKernelManager
        try:
            try:
                nb, resources = super().preprocess(nb, resources, km)
            except _WarmKernelLost:  # died before the notebook began: run it on a cold kernel
                warm = None
                self._stop_kernel()
                run.jail.close()
                run.jail, run.enter_dir = self.new_jail(run.path, run.submitted), None
                self.kernel_manager_class = SandboxKernelManager
                nb, resources = super().preprocess(nb, resources)
        except NoSuchKernel:
            raise  # as stock nbgrader: this submission fails (no kernel of that name), the batch goes on
        except Exception as exc:  # noqa: BLE001 - e.g. a kernel that never started: a reason, not a crash
            run.fail(self._death_reason(str(exc)) if isinstance(exc, DeadKernelError)
                     else f"grading failed: {type(exc).__name__}: {str(exc)[:300]}")
            for cell in nb.cells:
                if _is_test(cell) and not cell.get("outputs"):
                    cell.outputs = [run.not_run_output()]
        finally:
            if warm is not None and self.km is not None:
                self._stop_kernel()  # nbclient leaves a kernel it was given running
            run.close()
        run.status.save(nb, resources)
        return nb, resources

    # -- warm kernels -------------------------------------------------------------------
    def kernel_signature(self, nb=None) -> tuple:
        """What a kernel started ahead of time must match to run ``nb`` as a cold one would."""
        spec = nb.metadata.get("kernelspec", {}).get("name") if nb is not None else None
        return kernel_signature(f"{type(self).__module__}.{type(self).__qualname__}",
                                self.kernel_name or spec or "python3", self.jail_limits())

    def prestart_kernel(self):
        """A jailed kernel booted before its notebook is known (None without the sandbox).
        Pass it as ``km`` to :meth:`preprocess` with a notebook of the same :meth:`kernel_signature`."""
        if not self._sandbox_available():
            return None
        return start_warm_kernel(self, self.kernel_signature()[1], self.config)

    def start_new_kernel_client(self):
        if self.run.enter_dir is None:
            return super().start_new_kernel_client()
        try:  # a warm kernel: move it into this notebook's files before any cell
            kc = super().start_new_kernel_client()
            request_once(self, "enter", 60, work_dir=self.run.enter_dir)
        except Exception as exc:  # noqa: BLE001
            raise _WarmKernelLost(str(exc)) from exc
        return kc

    def _stop_kernel(self) -> None:
        with contextlib.suppress(Exception):  # the jail is killed next in any case
            self._cleanup_kernel()

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.client_factory = GraderKernelClient  # jailed or not (client_class alone may not reach it)
        if self.run.jail is not None:
            km.jail = self.run.jail
        return km

    # -- cells ----------------------------------------------------------------------------
    def preprocess_cell(self, cell, resources, index):
        cell, resources = self._preprocess_cell(cell, resources, index)
        run = self.run
        if index == len(self.nb.cells) - 1 and run.jailed and run.dead_reason is None:
            self._copy_back()
        return cell, resources

    def _copy_back(self) -> None:
        """Files the notebook wrote beside itself go next to the graded notebook (copy_back)."""
        try:
            notes = copy_back(lambda op, **fields: request_once(self, op, 60, **fields),
                              self.run.jail.work_dir, self.run.path)
        except Exception as exc:  # noqa: BLE001 - the grade stands without them
            notes = [f"files the notebook wrote were not copied: {type(exc).__name__}: {str(exc)[:200]}"]
        for note in notes:
            self.run.status.note(note)

    def _preprocess_cell(self, cell, resources, index):
        run = self.run
        if cell.cell_type != "code":
            return cell, resources
        if run.dead_reason is None and time.monotonic() > run.deadline:
            run.fail(f"the notebook ran past its {self.notebook_timeout} s time limit", cell)
        if run.dead_reason is not None:
            cell.outputs = [run.not_run_output()] if _is_test(cell) else []
            return cell, resources
        run.cell_started, begun = time.monotonic(), time.time()
        if _is_test(cell) and run.jailed:
            cell = self._run_trusted(cell)
            self._note_waits(cell, index, begun, kernel_ran=False)
            return cell, resources
        run.output_bytes = 0
        watchdog = threading.Timer(self._cell_budget() + self.kill_grace, self._kill_for_time)
        watchdog.daemon = True
        watchdog.start()
        try:
            super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            run.dead_reason = self._death_reason("the kernel died")
        except CellTimeoutError:
            run.dead_reason = (f"a cell ran past its {self.timeout} s time limit and did not answer the "
                               "interrupt; the kernel was stopped")
        except Exception as exc:  # noqa: BLE001 - no failure of one notebook may stop the batch
            run.dead_reason = f"grading failed: {type(exc).__name__}: {str(exc)[:300]}"
        finally:
            watchdog.cancel()
        self._note_waits(cell, index, begun, kernel_ran=True)
        if run.dead_reason is not None:
            run.fail(run.dead_reason, cell)
            cell.outputs.append(run.not_run_output())
            kill_everything(run, self.km)
        elif any(o.get("ename") == "MemoryError" for o in cell.outputs if o.get("output_type") == "error"):
            run.status.error(f"a cell ran out of memory (limit {self.memory_limit // 2**20} MiB)", cell)
        return cell, resources

    def _run_trusted(self, cell):
        """A test cell runs here, in the grader; student objects are reached through the channel."""
        run = self.run
        if run.trusted is None:
            run.trusted = TrustedCells(Channel(self, self._cell_deadline, self._jail_cpu_clock()))
        here = os.getcwd()
        os.chdir(run.path)  # checks read the assignment's master data files beside the notebook
        try:
            cell.outputs = run.trusted.run(cell.source, self._cell_budget(), None)
        finally:
            os.chdir(here)
        for out in cell.outputs:
            if out.get("output_type") == "error" and out.get("ename") in ("SandboxError", "CellTimeout"):
                run.status.error(f"{out['evalue']} (test cell {_grade_id(cell)})", cell)
                if out.get("ename") == "SandboxError" and not self._kernel_alive():
                    run.dead_reason = self._death_reason("the kernel died")
        if self._retry_left and run.grader_fault() is not None and run.dead_reason is None:
            run.fail("the grading channel failed; the notebook is graded again from the start", cell)
        return cell

    def _note_waits(self, cell, index: int, begun: float, kernel_ran: bool) -> None:
        label = f"cell {_grade_id(cell, index)}"
        for note in self.run.waits.cell_done(cell, label, begun, time.time(), kernel_ran):
            self.log.warning("The grader waited: %s", note)
            self.run.status.note(note)

    # -- limits -------------------------------------------------------------------------
    async def _async_handle_timeout(self, timeout, cell=None):
        """nbclient interrupts a cell past its limit and goes on: the student reads why, and the
        grade is marked (a wall-clock limit can also be a grading machine's overload)."""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id") if cell is not None else None
        self.run.status.error(f"{f'cell {grade_id}' if grade_id else 'a cell'} ran past its {timeout} s "
                              "time limit and was interrupted", cell)
        if cell is not None:
            cell.outputs.append(new_output("stream", name="stderr", text=(
                f"[interrupted: this cell ran past its {timeout} s time limit]\n")))
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        run = self.run
        run.count_output(len(str(msg.get("content", ""))))
        if run.output_bytes > self.max_output_bytes:
            if run.output_cut_cell != cell_index:
                run.output_cut_cell = cell_index
                run.status.note(f"output over {self.max_output_bytes} bytes was cut in cell {cell_index}")
                outs.append(new_output("stream", name="stdout", text=(
                    f"\n[output cut: this cell printed more than {self.max_output_bytes} bytes]\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _cell_deadline(self) -> float:
        return min(self.run.cell_started + (self.timeout or 120), self.run.deadline)

    def _cell_budget(self) -> float:
        return max(self._cell_deadline() - time.monotonic(), 1.0)

    def _kill_for_time(self) -> None:
        self.run.killed_for_time = True
        kill_everything(self.run, self.km)

    def _death_reason(self, fallback: str) -> str:
        return death_reason(self.run, self.km, fallback, timeout=self.timeout, memory_limit=self.memory_limit,
                            cpu_time_limit=self.cpu_time_limit)

    def _jail_cpu_clock(self):
        process = launcher(self.km)
        return jail_cpu_clock(process.pid, self.run.jail.cgroups if self.run.jail else []) if process else None

    def _kernel_alive(self) -> bool:
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def _sandbox_available(self) -> bool:
        if "reason" not in _PROBED:
            _PROBED["reason"] = probe()
        reason = _PROBED["reason"]
        if reason is None:
            return True
        if self.allow_unsandboxed or os.environ.get("COURSE_ALLOW_UNSANDBOXED") == "1":
            self.log.warning("Grading WITHOUT the sandbox: %s", reason)
            return False
        raise SandboxUnavailable(f"refusing to grade without the sandbox: {reason}. Install bubblewrap "
                                 "(make sandbox-deps) or, knowing student code then runs with your rights, "
                                 "set SandboxedExecute.allow_unsandboxed = True or COURSE_ALLOW_UNSANDBOXED=1.")


class _WarmKernelLost(Exception):
    """A kernel started ahead of its notebook failed before the notebook's first cell."""


def _is_test(cell) -> bool:
    return utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"


def _grade_id(cell, default="?") -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id") or default
