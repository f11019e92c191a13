"""Execute on an existing Dask distributed cluster (``--scheduler tcp://host:port``).

Tasks carry the sanitized notebook and the contents of its companion files;
results (executed notebook JSON) come back to the coordinator, which alone
stores them and writes the gradebook. Dask reschedules the task of a worker
that dies; ``retries`` covers errors raised on a worker.
"""
from __future__ import annotations

import threading
from pathlib import Path

from .cache import ExecutedCache
from .messages import ExecKind
from .plan import ExecTask
from .child import execute_remote


class DaskPool:
    """Tasks are submitted as the coordinator plans them; results arrive in Dask callbacks."""

    def __init__(self, address: str, cache_root: Path, events):
        from distributed import Client
        self.client = Client(address, timeout=30)
        self.cache = ExecutedCache(cache_root)
        self.events = events
        self.futures = []
        self.lock = threading.Lock()
        self.outstanding = 0
        self.input_closed = False
        self.idle = threading.Condition(self.lock)
        self.stopped = False

    def submit(self, task: ExecTask) -> None:
        future = self.client.submit(execute_remote, task.with_contents(), key=f"execute-{task.key}",
                                    pure=False, retries=2)
        with self.lock:
            self.outstanding += 1
            self.futures.append(future)
        future.add_done_callback(lambda f: self._finished(f, task))

    def _finished(self, future, task: ExecTask) -> None:
        try:
            if not self.stopped:
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - reported; the pipeline then executes it itself
                    self.events(ExecKind.ERROR, task, f"{type(exc).__name__}: {exc}")
                else:
                    self.cache.store(task.key, result)
                    self.events(ExecKind.DONE, task, "")
        finally:
            with self.lock:
                self.outstanding -= 1
                self.idle.notify_all()

    def close_input(self) -> None:
        with self.lock:
            self.input_closed = True
            self.idle.notify_all()

    def run(self) -> None:
        with self.lock:
            while not self.stopped and not (self.input_closed and self.outstanding == 0):
                self.idle.wait(0.5)

    def stop(self) -> None:
        self.stopped = True
        for future in list(self.futures):
            future.cancel()

    def warm_up(self, execute_class: str | None, config: dict) -> None:
        """Dask workers boot their next kernel after each task (course.grading.batch.child)."""

    def close(self) -> None:
        self.client.close()
