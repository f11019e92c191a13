"""Local worker processes: one notebook at a time each, imports paid once, none lost.

Workers come from a forkserver with the sandbox's kernel launcher imported, so a
worker starts in milliseconds and boots its first kernel at once; it imports
nbgrader while that kernel boots and keeps everything for the whole batch
(course.grading.batch.warm). A worker that dies (killed, out of memory) is
replaced, the kernels it left behind are killed, and its notebook goes back
to the queue for another worker, up to ``max_attempts`` times.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

from .cache import ExecutedCache, log_execution
from .messages import ExecKind

if TYPE_CHECKING:  # nbgrader's import costs a second: the pool starts before the coordinator pays it
    from .plan import ExecTask

# Light on purpose: a worker boots its first kernel before it imports nbgrader (~1 s), and
# the pipeline pays that import while the workers run. Heavier preloads delay every fork.
PRELOAD = ["course.grading.batch", "course.grading.batch.cache", "course.grading.batch.warm", "course.grading.sandbox.grader.settings"]


def forkserver():
    """The batch's process factory, shared by the workers and the pipeline: a forkserver
    that imported the light modules once (each process would pay them again otherwise)."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _worker_main(conn, cache_root: str) -> None:
    os.setsid()  # its own process group: Ctrl-C in the coordinator's terminal does not hit it
    # Kernels inherit stderr; their chatter goes to a log, not over the progress line.
    log = os.open(os.path.join(cache_root, "logs", "workers.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from course.grading.batch import warm
    cache = ExecutedCache(Path(cache_root))
    try:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return
            if task is None:
                return
            if isinstance(task, WarmUp):
                # The config file's warm-up boots a kernel before this process imports nbgrader
                # (a second of work that then overlaps with the kernel's own boot).
                if task.execute_class is not None or not warm.prestart_from_config(task.config):
                    from .worker import prestart
                    prestart(task.execute_class, task.config)
                from . import worker  # noqa: F401 - imported now, while the kernel boots
                continue
            from .worker import execute_task
            try:
                cache.store(task.key, execute_task(task))
                log_execution(task.key, "local", "warm" if warm.last_was_warm else "cold")
                conn.send(("done", task.key, ""))
            except Exception as exc:  # noqa: BLE001 - reported; the pipeline then executes it itself
                conn.send(("error", task.key, f"{type(exc).__name__}: {exc}"))
    finally:
        warm.discard()


@dataclass
class WarmUp:
    """Boot a kernel for these execute settings now: sent to every worker once the settings are
    known, and to a worker left idle while more notebooks may still come."""
    execute_class: str
    config: dict


class _Worker:
    def __init__(self, ctx, cache_root: Path):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, str(cache_root)), daemon=True)
        self.proc.start()
        child.close()
        self.task: ExecTask | None = None
        self.descendants: list[psutil.Process] = []

    def note_descendants(self) -> None:
        try:
            self.descendants = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            pass

    def kill(self) -> None:
        """Kill the worker and every process it started (kernels run in their own sessions)."""
        for p in [*self.descendants]:
            try:
                p.kill()
            except psutil.Error:
                pass
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)


class LocalPool:
    """Tasks arrive with :meth:`submit` while the coordinator is still planning; :meth:`run`
    (in its own thread) dispatches them and reports through ``events(kind, task, detail)``."""

    def __init__(self, workers: int, cache_root: Path, events, max_attempts: int = 3):
        self.size = workers
        self.cache_root = Path(cache_root)
        self.events = events
        self.max_attempts = max_attempts
        self.ctx = forkserver()
        self.workers: list[_Worker] = []
        self.inbox: queue.Queue = queue.Queue()
        self.stopped = False
        self.pids_file = self.cache_root / "workers.pids"
        self.warm: WarmUp | None = None

    def submit(self, task: ExecTask) -> None:
        self.inbox.put(task)

    def warm_up(self, execute_class: str, config: dict) -> None:
        """Have every worker boot a kernel for these settings before its first notebook."""
        self.inbox.put(WarmUp(execute_class, config))

    def close_input(self) -> None:
        self.inbox.put(None)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.ctx, self.cache_root)
        with open(self.pids_file, "a") as f:
            f.write(f"{worker.proc.pid}\n")
        self._send_warm_up(worker)  # a replacement boots its first kernel at once too
        return worker

    def run(self) -> None:
        (self.cache_root / "logs").mkdir(parents=True, exist_ok=True)
        self.pids_file.write_text("")
        self.workers = [self._spawn() for _ in range(self.size)]  # the forkserver's imports overlap planning
        pending: deque = deque()
        attempts: dict[str, int] = {}
        open_input = True
        try:
            while (open_input or pending or any(w.task for w in self.workers)) and not self.stopped:
                open_input = self._take_new(pending, open_input)
                for i, w in enumerate(self.workers):
                    if w.task is None and pending:
                        task = pending.popleft()
                        task.boot_next = bool(pending) or open_input
                        try:
                            w.conn.send(task)
                            w.task = task
                        except OSError:  # died while idle: replace it, the task waits for the next one
                            pending.appendleft(task)
                            w.kill()
                            self.workers[i] = self._spawn()
                busy = [w for w in self.workers if w.task]
                if not busy:
                    if open_input:
                        open_input = self._wait_input(pending)
                    continue
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.5)
                for w in busy:
                    w.note_descendants()
                    if w.conn in ready or w.proc.sentinel in ready:
                        self._collect(w, pending, attempts)
                        if open_input and not pending:
                            self._send_warm_up(w)  # idle until planning finds more: boot ahead
        finally:
            self.close()

    def _take_new(self, pending: deque, open_input: bool) -> bool:
        while open_input:
            try:
                task = self.inbox.get_nowait()
            except queue.Empty:
                break
            if task is None:
                return False
            self._queue(task, pending)
        return open_input

    def _queue(self, task, pending: deque) -> None:
        if isinstance(task, WarmUp):  # straight to every worker: each boots its first kernel
            self.warm = task
            for w in self.workers:
                self._send_warm_up(w)
        else:
            pending.append(task)

    def _send_warm_up(self, w: _Worker) -> None:
        if self.warm is not None and w.task is None:
            try:
                w.conn.send(self.warm)
            except OSError:
                pass

    def _wait_input(self, pending: deque) -> bool:
        """Block briefly for the next task; False once the input is closed."""
        try:
            task = self.inbox.get(timeout=0.5)
        except queue.Empty:
            return True
        if task is None:
            return False
        self._queue(task, pending)
        return True

    def _collect(self, w: _Worker, pending: deque, attempts: dict) -> None:
        task = w.task
        try:
            kind, _, detail = w.conn.recv() if w.conn.poll() else (None, None, None)
        except (EOFError, OSError):
            kind, detail = None, None
        if kind is not None:
            w.task = None
            self.events(ExecKind(kind), task, detail)
            return
        if w.proc.is_alive():
            return
        # The worker died mid-notebook: replace it and give the notebook to another worker.
        w.kill()
        self.workers[self.workers.index(w)] = self._spawn()
        attempts[task.key] = attempts.get(task.key, 0) + 1
        if attempts[task.key] < self.max_attempts:
            pending.appendleft(task)
            self.events(ExecKind.RETRY, task, f"worker {w.proc.pid} died (exit {w.proc.exitcode})")
        else:
            self.events(ExecKind.ERROR, task, f"{attempts[task.key]} workers died on it")

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self.workers:
            w.proc.join(3 if w.task is None else 0)  # an idle worker shuts its warm kernel down
            w.kill()
        self.workers = []
