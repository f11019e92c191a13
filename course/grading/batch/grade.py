"""Coordinate a batch: plan, execute on workers, write through nbgrader's pipeline, track progress.

Everything overlaps: workers start (and pay their imports) while the
coordinator loads the config; each notebook goes to a worker as soon as it is
planned; the pipeline subprocess starts at once and grades each assignment as
soon as its planning is done, in nbgrader's order, waiting for a worker's
result when it gets ahead of them. Only the pipeline subprocess writes the
gradebook and ``autograded/``; this thread records progress and resumption state.
"""
from __future__ import annotations

import os
import queue
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import CACHE_ENV, COORDINATOR_ENV, ExecutedCache, cache_dir
from .interrupt import Interrupts, catching_interrupts
from .lock import exclusive
from .messages import (AssignmentFinished, ExecKind, Execution, Failed, GradeAssignment, Graded, PipelineEnded,
                       SetContext, Written)
from .progress import Progress

if TYPE_CHECKING:
    from .pool import Pool

# Only light imports up here: the workers start (and boot their kernels) before the
# coordinator pays for nbgrader's imports in grade().


@dataclass
class Summary:
    graded: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    executed_by_workers: int = 0
    worker_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def submitted_assignments(course: Path) -> list[str]:
    return sorted({p.name for p in (course / "submitted").glob("*/*") if p.is_dir()})


def grade(course: Path, assignments: list[str] | None = None, workers: int | None = None,
          scheduler: str | None = None, force: bool = False, stream=sys.stderr) -> Summary:
    """Grade ``course``; :class:`~.lock.CourseBusy` if another run is grading it."""
    course = Path(course).resolve()
    with exclusive(cache_dir(course)), catching_interrupts() as interrupts:
        summary = _grade(course, assignments, workers, scheduler, force, stream, interrupts)
        interrupts.check()
        return summary


def _grade(course: Path, assignments, workers, scheduler, force, stream, interrupts: Interrupts) -> Summary:
    root = cache_dir(course)
    cache = ExecutedCache(root)
    cache.clear_all_pending()
    events: queue.Queue = queue.Queue()

    def on_execution(kind, task, detail):
        if kind in (ExecKind.DONE, ExecKind.ERROR):
            cache.clear_pending(task.key)
        events.put(Execution(ExecKind(kind), task, detail))

    pool = _make_pool(scheduler, workers, root, on_execution)
    from .warm import config_file_settings
    pool.warm_up(None, config_file_settings(course))  # kernels from the config file alone, at once
    pool_thread = threading.Thread(target=_run_pool, args=(pool, events), daemon=True)
    pool_thread.start()
    writer = None
    try:
        writer = _PipelineRunner(course, root, events)
        writer.start()
        from .keys import checks_digest, context_digest
        from .nbconfig import load_course_config
        from .nbgrader_reuse import reuse_nbgrader_setup
        from .plan import State
        reuse_nbgrader_setup()  # the coordinator reads every submission; after the workers started
        cfg = load_course_config(course)
        config = cfg.portable_config()
        pool.warm_up(cfg.execute_class_path, config)
        context = context_digest(cfg.execute_class_path, config, checks_digest())
        writer.send(SetContext(context))
        summary, plan, users = _plan_and_dispatch(cfg, course, assignments, context, config, force,
                                                  State(root), cache, pool, writer)
        total = sum(len(v) for v in plan.values())
        print(f"course grade: {total} submission(s) to grade, {summary.skipped} unchanged, "
              f"{len(users)} distinct notebook(s)", file=stream, flush=True)
        if total:
            _consume(events, plan, State(root), cache, Progress(total, stream), summary, users, interrupts)
        return summary
    except KeyboardInterrupt:
        print("\ncourse grade: interrupted; finished work is kept, run again to resume", file=stream)
        raise
    finally:
        pool.stop()
        if writer is not None:
            writer.stop()
        pool_thread.join(10)
        cache.clear_all_pending()
        pool.close()


def _plan_and_dispatch(cfg, course, assignments, context, config, force, state, cache, pool, writer):
    """Decide what to grade, send each notebook to the workers as soon as it is known, and
    hand each assignment to the pipeline once its notebooks are all dispatched."""
    from .plan import build_tasks, find_submissions, gradebook_notebooks, is_current
    summary = Summary()
    plan: dict[str, list] = {}  # assignment -> the plan's Submissions
    users: dict[str, int] = {}  # execution key -> submissions still to write that use it
    assignments = list(assignments or submitted_assignments(course))
    try:
        for assignment in assignments:
            notebooks = gradebook_notebooks(cfg, assignment)
            subs = find_submissions(cfg, assignment, context)
            todo = [s for s in subs if force or not is_current(cfg, state, s, notebooks)]
            summary.skipped += len(subs) - len(todo)
            for sub in todo:
                shutil.rmtree(cfg.app.coursedir.format_path(cfg.app.coursedir.autograded_directory,
                                                            sub.student, assignment), ignore_errors=True)
                sub.tasks = build_tasks(cfg, sub, notebooks, context, config)
                for task in sub.tasks:
                    users[task.key] = users.get(task.key, 0) + 1
                    if users[task.key] > 1:
                        continue  # an identical notebook (e.g. two untouched releases): executed once
                    if force:
                        cache.discard(task.key)
                    if not cache.has(task.key):
                        cache.mark_pending(task.key)
                        pool.submit(task)
            if assignment == assignments[-1]:
                # At once, before telling the writer: a worker given the last notebook while the
                # input still looks open boots a kernel for a next one that never comes.
                pool.close_input()
            if todo:
                plan[assignment] = todo
                writer.grade(assignment, {s.student for s in todo})
    finally:
        pool.close_input()
        writer.close_input()
    return summary, plan, users


def _make_pool(scheduler, workers, root, events) -> "Pool":
    if scheduler:
        from .dask_pool import DaskPool
        return DaskPool(scheduler, root, events)
    from .local_pool import LocalPool
    return LocalPool(workers or os.cpu_count() or 1, root, events)


def _run_pool(pool, events) -> None:
    try:
        pool.run()
    except Exception as exc:  # noqa: BLE001 - the pipeline still executes whatever is missing
        events.put(Execution(ExecKind.POOL_ERROR, None, f"{type(exc).__name__}: {exc}"))


def _consume(events, plan, state, cache, progress, summary, users, interrupts: Interrupts) -> None:
    subs = {(a, s.student): s for a, todo in plan.items() for s in todo}
    while True:
        item = events.get()
        interrupts.check()
        if isinstance(item, Execution):
            if item.kind == ExecKind.DONE:
                progress.executed += 1
                summary.executed_by_workers += 1
            elif item.kind in (ExecKind.ERROR, ExecKind.POOL_ERROR):
                summary.worker_errors.append(f"{item.task.student if item.task else '-'}: {item.detail}")
        elif isinstance(item, Graded):
            assignment, student = item.assignment, item.student
            sub = subs[(assignment, student)]
            state.put(assignment, student, sub.digest)
            for task in sub.tasks:
                users[task.key] -= 1
                if not users[task.key]:
                    cache.discard(task.key)
            summary.graded.append((assignment, student))
            progress.graded += 1
        elif isinstance(item, Failed):
            summary.failed.append((item.assignment, item.student))
            progress.failed += 1
        elif isinstance(item, PipelineEnded):
            return
        progress.update()


class _PipelineRunner(threading.Thread):
    """One ``course.grading.batch.pipeline`` process (nbgrader's autograde) for the whole batch, told
    which assignment to grade next; it reports each submission written."""

    def __init__(self, course: Path, root: Path, events):
        super().__init__(daemon=True)
        from .local_pool import forkserver
        self.events = events
        self.expected: dict[str, set[str]] = {}
        self.stopped = False
        self.input_closed = False
        bindir = os.path.dirname(sys.executable)  # nbgrader runs `alembic` from PATH
        env = {"PATH": bindir + os.pathsep + os.environ.get("PATH", ""), CACHE_ENV: str(root),
               COORDINATOR_ENV: str(os.getpid())}
        (root / "logs").mkdir(parents=True, exist_ok=True)
        ctx = forkserver()
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_pipeline_main, args=(child, str(course), env, str(root / "logs" / "pipeline.log")))
        self.proc.start()
        child.close()

    def send(self, message) -> None:
        self.conn.send(message)

    def grade(self, assignment: str, students: set[str]) -> None:
        self.expected[assignment] = set(students)
        self.send(GradeAssignment(assignment))

    def close_input(self) -> None:
        self.input_closed = True
        try:
            self.send(None)
        except OSError:
            pass

    def run(self) -> None:
        finished = set()
        try:
            while True:
                try:
                    message = self.conn.recv()
                except (EOFError, OSError):
                    break  # the process ended
                if isinstance(message, Written) and message.student in self.expected.get(message.assignment, ()):
                    self.expected[message.assignment].discard(message.student)
                    self.events.put(Graded(message.assignment, message.student))
                elif isinstance(message, AssignmentFinished):
                    finished.add(message.assignment)
                    self._fail_rest(message.assignment)
                    if self.input_closed and finished >= set(self.expected):
                        break  # all written; the process only has its own exit left
        finally:
            if not self.stopped:
                for assignment in list(self.expected):
                    self._fail_rest(assignment)
            self.events.put(PipelineEnded())

    def _fail_rest(self, assignment: str) -> None:
        for student in sorted(self.expected.get(assignment, ())):
            self.events.put(Failed(assignment, student))
        self.expected[assignment] = set()

    def stop(self) -> None:
        """Let a pipeline that has written everything exit by itself; stop one that has not."""
        self.stopped = True
        if self.proc.is_alive() and not (self.input_closed and not any(self.expected.values())):
            self.proc.terminate()


def _pipeline_main(*args) -> None:
    """Runs in the forked pipeline process (this module imports without nbgrader)."""
    from .pipeline import serve
    serve(*args)
