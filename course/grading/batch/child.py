"""A long-lived child process that executes notebooks in its main thread (for Dask workers).

Dask runs tasks in worker threads, but an execute step may need the main
thread (signals, e.g. for time limits on trusted test cells). Each Dask
worker thread therefore hands its notebooks to one child process of its own,
started once (imports paid once) and replaced if it dies; the task then fails
and Dask retries it. After each task it boots the next task's kernel (course.grading.batch.warm).
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cache import Executed

_local = threading.local()


class ChildExecutor:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "course.grading.batch.child"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, task):
        try:
            pickle.dump(task, self.proc.stdin)
            self.proc.stdin.flush()
            kind, value = pickle.load(self.proc.stdout)
        except (EOFError, BrokenPipeError, pickle.UnpicklingError) as exc:
            self.close()
            raise RuntimeError(f"the execution process died ({exc!r}); the task will be retried") from None
        if kind == "error":
            raise RuntimeError(value)
        return value

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def run_in_child(task):
    executor = getattr(_local, "executor", None)
    if executor is None or executor.proc.poll() is not None:
        executor = _local.executor = ChildExecutor()
    try:
        return executor.run(task)
    except RuntimeError:
        if executor.proc.poll() is not None:
            _local.executor = None
        raise


def _serve() -> None:
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by the execute step or kernels goes to stderr, not the protocol
    protocol_in = sys.stdin.buffer
    from course.grading.batch import warm
    from .worker import execute_task, prestart
    try:
        while True:
            try:
                task = pickle.load(protocol_in)
            except EOFError:
                return
            try:
                reply = ("ok", execute_task(task))
            except Exception as exc:  # noqa: BLE001 - sent back to the Dask task
                reply = ("error", f"{type(exc).__name__}: {exc}")
            pickle.dump(reply, protocol_out)
            protocol_out.flush()
            prestart(task.execute_class, task.config)  # the next task's kernel boots meanwhile
    finally:
        warm.discard()


def execute_remote(task) -> Executed:
    """Entry point for Dask workers: execute in a child process's main thread, log; the
    coordinator stores the result."""
    from .cache import log_execution
    result = run_in_child(task)
    log_execution(task.key, "dask")
    return result


if __name__ == "__main__":
    _serve()
