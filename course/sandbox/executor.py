"""SandboxedExecute: nbgrader's Execute step with student cells jailed and test cells trusted.

Configured in ``nbgrader_config.py`` in place of ``Execute`` in
``Autograde.autograde_preprocessors``, so instructors keep running stock
``nbgrader autograde``. Per notebook: a fresh kernel in a :class:`~course.sandbox.jail.Jail`
runs the student's cells; autograder test cells run here (:mod:`course.sandbox.trusted`);
limits on time, output and resources turn into error outputs with a reason, recorded in
``nb.metadata["course_grading"]`` and ``resources["course_grading"]``. Nothing the
submission does can stop the batch.
"""
from __future__ import annotations

import os
import threading
import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Enum, Integer

from .channel import Channel
from .jail import Jail, Limits, SandboxUnavailable, probe
from .kernel import SandboxKernelManager
from .settings import JailSettings, kernel_signature, start_warm_kernel
from .status import GradingStatus
from .trusted import TrustedCells

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

    def preprocess(self, nb, resources=None, km=None):
        """``km`` may be a warm kernel from :meth:`prestart_kernel`: it runs this notebook only."""
        self.status = GradingStatus.start(nb)
        self._notebook_deadline = time.monotonic() + self.notebook_timeout
        self._dead_reason = None
        self._jail = None
        self._trusted = None
        self._enter_dir = None
        self._jailed = self._sandbox_available()
        warm = km if getattr(km, "jail", None) is not None else None
        # The notebook's own folder; never the working directory, which may be the course root.
        path = self._path = (resources or {}).get("metadata", {}).get("path") or _empty_dir()
        submitted = _submitted_dir(path, (resources or {}).get("nbgrader", {}))
        if warm is not None:
            self._jail = warm.jail
            self._enter_dir = self._jail.stage(path, submitted)
        elif self._jailed:
            self._jail = Jail(path, self._limits(), submitted_dir=submitted)
            self.kernel_manager_class = SandboxKernelManager
        try:
            try:
                nb, resources = super().preprocess(nb, resources, km)
            except _WarmKernelLost:  # died before the notebook began: run it on a cold kernel
                warm = None
                self._stop_kernel()
                self._jail.close()
                self._jail, self._enter_dir = Jail(path, self._limits(), submitted_dir=submitted), None
                self.kernel_manager_class = SandboxKernelManager
                nb, resources = super().preprocess(nb, resources)
        except Exception as exc:  # noqa: BLE001 - e.g. a kernel that never started: a reason, not a crash
            self._dead_reason = self._dead_reason or (self._death_reason(str(exc)) if isinstance(exc, DeadKernelError)
                                                      else f"grading failed: {type(exc).__name__}: {str(exc)[:300]}")
            self.status.error(self._dead_reason)
            for cell in nb.cells:
                if _is_test(cell) and not cell.get("outputs"):
                    cell.outputs = [self._not_run_output()]
        finally:
            if warm is not None and self.km is not None:
                self._stop_kernel()  # nbclient leaves a kernel it was given running
            if self._jail is not None:
                self._jail.close()
        self.status.save(nb, resources)
        return nb, resources

    # -- warm kernels -------------------------------------------------------------------
    def _limits(self) -> Limits:
        return self.jail_limits()

    def kernel_signature(self, nb=None) -> tuple:
        """What a kernel started ahead of time must match to run ``nb`` as a cold one would."""
        spec = nb.metadata.get("kernelspec", {}).get("name") if nb is not None else None
        return kernel_signature(f"{type(self).__module__}.{type(self).__qualname__}",
                                self.kernel_name or spec or "python3", self._limits())

    def prestart_kernel(self):
        """A jailed kernel booted before its notebook is known (None without the sandbox).
        Pass it as ``km`` to :meth:`preprocess` with a notebook of the same :meth:`kernel_signature`."""
        if not self._sandbox_available():
            return None
        return start_warm_kernel(self._limits(), self.kernel_signature()[1], self.config)

    def start_new_kernel_client(self):
        if self._enter_dir is None:
            return super().start_new_kernel_client()
        try:  # a warm kernel: move it into this notebook's files before any cell
            kc = super().start_new_kernel_client()
            Channel(self, lambda: time.monotonic() + 60).request("enter", work_dir=self._enter_dir)
        except Exception as exc:  # noqa: BLE001
            raise _WarmKernelLost(str(exc)) from exc
        return kc

    def _stop_kernel(self) -> None:
        try:
            self._cleanup_kernel()
        except Exception:  # noqa: BLE001 - the jail is killed next in any case
            pass

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if self._jail is not None:
            km.jail = self._jail
        return km

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self._dead_reason is not None:
            cell.outputs = [self._not_run_output()] if _is_test(cell) else []
            return cell, resources
        if time.monotonic() > self._notebook_deadline:
            self._dead_reason = f"the notebook ran past its {self.notebook_timeout} s time limit"
            self.status.error(self._dead_reason, cell)
            cell.outputs = [self._not_run_output()] if _is_test(cell) else []
            return cell, resources
        self._cell_started = time.monotonic()
        if _is_test(cell) and self._jailed:
            if self._trusted is None:
                self._trusted = TrustedCells(Channel(self, self._cell_deadline))
            here = os.getcwd()
            os.chdir(self._path)  # checks read the assignment's master data files beside the notebook
            try:
                cell.outputs = self._trusted.run(cell.source, self._cell_budget(), None)
            finally:
                os.chdir(here)
            self._note_channel_failure(cell)
            return cell, resources
        self._output_bytes = 0
        watchdog = threading.Timer(self._cell_budget() + self.kill_grace, self._kill_for_time)
        watchdog.daemon = True
        watchdog.start()
        try:
            super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead_reason = self._death_reason("the kernel died")
        except CellTimeoutError:
            self._dead_reason = (f"a cell ran past its {self.timeout} s time limit and did not answer the "
                                 "interrupt; the kernel was stopped")
        except Exception as exc:  # noqa: BLE001 - no failure of one notebook may stop the batch
            self._dead_reason = f"grading failed: {type(exc).__name__}: {str(exc)[:300]}"
        finally:
            watchdog.cancel()
        if self._dead_reason is not None:
            self.status.error(self._dead_reason, cell)
            cell.outputs.append(self._not_run_output())
            self._kill_unresponsive()
        elif any(o.get("ename") == "MemoryError" for o in cell.outputs if o.get("output_type") == "error"):
            self.status.error(f"a cell ran out of memory (limit {self.memory_limit // 2**20} MiB)", cell)
        return cell, resources

    # -- limits -------------------------------------------------------------------------
    def output(self, outs, msg, display_id, cell_index):
        size = len(str(msg.get("content", "")))
        self._output_bytes = getattr(self, "_output_bytes", 0) + size
        if self._output_bytes > self.max_output_bytes:
            if not getattr(self, "_output_cut", None) == cell_index:
                self._output_cut = cell_index
                self.status.note(f"output over {self.max_output_bytes} bytes was cut in cell {cell_index}")
                outs.append(new_output("stream", name="stdout", text=(
                    f"\n[output cut: this cell printed more than {self.max_output_bytes} bytes]\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _cell_deadline(self) -> float:
        return min(self._cell_started + (self.timeout or 120), self._notebook_deadline)

    def _cell_budget(self) -> float:
        return max(self._cell_deadline() - time.monotonic(), 1.0)

    def _kill_for_time(self) -> None:
        self._killed_for_time = True
        self._kill_unresponsive()

    def _kill_unresponsive(self) -> None:
        if self._jail is not None:
            self._jail.kill_all()
        if self.km is not None and getattr(self.km, "provisioner", None) is not None:
            process = getattr(self.km.provisioner, "process", None)
            if process is not None:
                process.kill()

    def _death_reason(self, fallback: str) -> str:
        if getattr(self, "_killed_for_time", False):
            return f"the kernel was killed: a cell ran past its {self.timeout} s time limit and ignored the interrupt"
        if self._jail is not None and self._jail.memory_killed():
            return f"the kernel was killed for using more than {self.memory_limit // 2**20} MiB of memory"
        code = _exit_code(self.km)
        if code is not None and code > 128:
            code = -(code - 128)  # bwrap reports a child killed by signal N as 128 + N
        if code is not None and code < 0:
            import signal
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            hint = {"SIGXCPU": f" (CPU time limit of {self.cpu_time_limit} s)",
                    "SIGKILL": " (killed: memory or a limit)"}.get(name, "")
            return f"the kernel died from {name}{hint}"
        if code is not None:
            return f"the kernel exited with status {code} (os._exit, sys.exit in a thread, or a crash)"
        return fallback

    def _note_channel_failure(self, cell) -> None:
        for out in cell.outputs:
            if out.get("output_type") == "error" and out.get("ename") in ("SandboxError", "CellTimeout"):
                self.status.error(f"{out['evalue']} (test cell {_grade_id(cell)})", cell)
                if out.get("ename") == "SandboxError" and not self._kernel_alive():
                    self._dead_reason = self._death_reason("the kernel died")

    def _kernel_alive(self) -> bool:
        from jupyter_core.utils import run_sync
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def _not_run_output(self):
        reason = self._dead_reason or "the kernel died"
        return new_output("error", ename="GradingError", evalue=f"not run: {reason}",
                          traceback=[f"GradingError: not run: {reason}"])

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


def _grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "?")


def _empty_dir() -> str:
    import tempfile
    return tempfile.mkdtemp(prefix="course-empty-")


def _submitted_dir(path: str, info: dict) -> str | None:
    """<root>/submitted/<student>/<assignment> for <root>/autograded/<student>/<assignment>."""
    if not info.get("student") or not info.get("assignment"):
        return None
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path))))
    return os.path.join(root, "submitted", info["student"], info["assignment"])


def _exit_code(km) -> int | None:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return None if process is None else process.poll()
