"""The interface the coordinator drives both pools through (local workers, Dask)."""
from __future__ import annotations

from typing import Callable, Protocol

from .messages import ExecKind
from .plan import ExecTask

# How a pool reports each notebook: (kind, task, detail).
Report = Callable[[ExecKind, ExecTask, str], None]


class Pool(Protocol):
    def warm_up(self, execute_class: str | None, config: dict) -> None:
        """Boot kernels ahead for this execute step (a no-op where workers cannot)."""

    def submit(self, task: ExecTask) -> None:
        """Queue one notebook; its result is reported, never returned."""

    def close_input(self) -> None:
        """No more tasks will come (a second call changes nothing)."""

    def run(self) -> None:
        """Dispatch until every task is reported or :meth:`stop` is called (its own thread)."""

    def stop(self) -> None:
        """Stop dispatching; unfinished tasks are executed by the pipeline instead."""

    def close(self) -> None:
        """Release the pool's resources (processes, connections)."""
