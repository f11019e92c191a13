"""Execute on an existing Dask distributed cluster (``--scheduler tcp://host:port``).

Tasks carry the sanitized notebook and the contents of its companion files;
results (executed notebook JSON) come back to the coordinator, which alone
stores them and writes the gradebook. Dask reschedules the task of a worker
that dies; ``retries`` covers errors raised on a worker.
"""
from __future__ import annotations

from pathlib import Path

from .cache import ExecutedCache
from .plan import ExecTask
from .worker import execute_remote


class DaskPool:
    def __init__(self, address: str, cache_root: Path):
        from distributed import Client
        self.client = Client(address, timeout=30)
        self.cache = ExecutedCache(cache_root)
        self.stopped = False

    @property
    def size(self) -> int:
        return max(1, sum(w["nthreads"] for w in self.client.scheduler_info()["workers"].values()))

    def run(self, tasks: list[ExecTask], events) -> None:
        from distributed import as_completed
        by_key = {t.key: t for t in tasks}
        futures = [self.client.submit(execute_remote, t.with_contents(), key=f"execute-{t.key}",
                                      pure=False, retries=2) for t in tasks]
        for future in as_completed(futures):
            if self.stopped:
                break
            task = by_key[future.key.removeprefix("execute-")]
            try:
                notebook_json, added = future.result()
            except Exception as exc:  # noqa: BLE001 - reported; the pipeline then executes it itself
                events("error", task, f"{type(exc).__name__}: {exc}")
                continue
            self.cache.store(task.key, notebook_json, added)
            events("done", task, "")
        for future in futures:
            future.cancel()

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.client.close()
