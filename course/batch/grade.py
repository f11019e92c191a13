"""Coordinate a batch: plan, execute on workers, write through nbgrader's pipeline, track progress.

Three activities overlap: workers execute notebooks (local processes or
Dask), the pipeline subprocess grades submissions in nbgrader's order (waiting
for a worker's result when it gets ahead of them), and this thread records
progress and resumption state. Only the pipeline subprocess writes the
gradebook and ``autograded/``.
"""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .cache import CACHE_ENV, ExecutedCache, cache_dir
from .keys import CONTEXT_ENV, checks_digest, context_digest
from .nbconfig import load_course_config
from .pipeline import COORDINATOR_ENV
from .plan import State, Submission, build_tasks, find_submissions, gradebook_notebooks, is_current
from .progress import Progress


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
    course = Path(course).resolve()
    cfg = load_course_config(course)
    config = cfg.portable_config()
    context = context_digest(cfg.execute_class_path, config, checks_digest())
    root = cache_dir(course)
    cache = ExecutedCache(root)
    cache.clear_all_pending()
    state = State(root)
    summary = Summary()

    plan: dict[str, list[Submission]] = {}
    dispatch = []
    for assignment in assignments or submitted_assignments(course):
        notebooks = gradebook_notebooks(cfg, assignment)
        subs = find_submissions(cfg, assignment, context)
        todo = [s for s in subs if force or not is_current(cfg, state, s, notebooks)]
        summary.skipped += len(subs) - len(todo)
        for sub in todo:
            shutil.rmtree(cfg.app.coursedir.format_path(cfg.app.coursedir.autograded_directory,
                                                        sub.student, assignment), ignore_errors=True)
            sub.tasks = build_tasks(cfg, sub, notebooks, context, config)
            for task in sub.tasks:
                if force:
                    cache.discard(task.key)
                if not cache.has(task.key):
                    cache.mark_pending(task.key)
                    dispatch.append(task)
        if todo:
            plan[assignment] = todo
    total = sum(len(v) for v in plan.values())
    print(f"course grade: {total} submission(s) to grade, {summary.skipped} unchanged, "
          f"{len(dispatch)} notebook(s) to execute", file=stream, flush=True)
    if not total:
        return summary

    events: queue.Queue = queue.Queue()
    pool = _make_pool(scheduler, workers, root)
    progress = Progress(total, stream)

    def on_execution(kind, task, detail):
        if kind in ("done", "error"):
            cache.clear_pending(task.key)
        events.put(("exec", kind, task, detail))

    pool_thread = threading.Thread(target=_run_pool, args=(pool, dispatch, on_execution, events), daemon=True)
    writer = _PipelineRunner(course, plan, root, context, events)
    pool_thread.start()
    writer.start()
    try:
        _consume(events, plan, state, cache, progress, summary, writer)
    except KeyboardInterrupt:
        print("\ncourse grade: interrupted; finished work is kept, run again to resume", file=stream)
        raise
    finally:
        pool.stop()
        writer.stop()
        pool_thread.join(10)
        cache.clear_all_pending()
        if hasattr(pool, "close"):
            pool.close()
    return summary


def _make_pool(scheduler, workers, root):
    if scheduler:
        from .dask_pool import DaskPool
        return DaskPool(scheduler, root)
    from .local_pool import LocalPool
    return LocalPool(workers or os.cpu_count() or 1, root)


def _run_pool(pool, tasks, on_execution, events) -> None:
    try:
        if tasks:
            pool.run(tasks, on_execution)
    except Exception as exc:  # noqa: BLE001 - the pipeline still executes whatever is missing
        events.put(("exec", "pool-error", None, f"{type(exc).__name__}: {exc}"))


def _consume(events, plan, state, cache, progress, summary, writer) -> None:
    subs = {(a, s.student): s for a, todo in plan.items() for s in todo}
    while True:
        item = events.get()
        if item[0] == "exec":
            _, kind, task, detail = item
            if kind == "done":
                progress.executed += 1
                summary.executed_by_workers += 1
            elif kind in ("error", "pool-error"):
                summary.worker_errors.append(f"{task.student if task else '-'}: {detail}")
        elif item[0] == "graded":
            _, assignment, student = item
            sub = subs[(assignment, student)]
            state.put(assignment, student, sub.digest)
            for task in sub.tasks:
                cache.discard(task.key)
            summary.graded.append((assignment, student))
            progress.graded += 1
        elif item[0] == "failed":
            summary.failed.append(item[1:3])
            progress.failed += 1
        elif item[0] == "finished":
            return
        progress.update()


class _PipelineRunner(threading.Thread):
    """Runs nbgrader's autograde pipeline (``course.batch.pipeline``) per assignment, in order."""

    def __init__(self, course: Path, plan, root: Path, context: str, events):
        super().__init__(daemon=True)
        self.course, self.plan, self.root, self.context, self.events = course, plan, root, context, events
        self.proc: subprocess.Popen | None = None
        self.stopped = False

    def run(self) -> None:
        try:
            for assignment, todo in self.plan.items():
                if self.stopped:
                    return
                self._grade(assignment, {s.student for s in todo})
        finally:
            self.events.put(("finished",))

    def _grade(self, assignment: str, students: set[str]) -> None:
        bindir = os.path.dirname(sys.executable)  # nbgrader runs `alembic` from PATH
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                   PYTHONWARNINGS="ignore::DeprecationWarning",
                   **{CACHE_ENV: str(self.root), CONTEXT_ENV: self.context, COORDINATOR_ENV: str(os.getpid())})
        logs = self.root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / f"{assignment}.log", "w") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "course.batch.pipeline", assignment],
                                         cwd=self.course, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
            done = set()
            for line in self.proc.stdout:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "@batch" and parts[1] == "done" and parts[2] in students:
                    done.add(parts[2])
                    self.events.put(("graded", assignment, parts[2]))
            self.proc.wait()
        if self.stopped:
            return
        for student in sorted(students - done):
            self.events.put(("failed", assignment, student))

    def stop(self) -> None:
        self.stopped = True
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
