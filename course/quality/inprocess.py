"""Grade many one-answer changes of a notebook in-process, fast: no kernel, no nbgrader.

The source notebook's code cells run in one namespace with the reference answers
(the reference student). Just before an answer cell runs, the process forks once per
submission that changes that answer: the child runs the changed answer and every
later cell and reports the graded test cells that raised, so the cells before it run
once for all of them. Verdicts here are a fast estimate; nbgrader's are the real ones
(the tests confirm them).

Two things keep a notebook with a slow cell (project1's training) affordable. NumPy is
imported long before the notebook's own ``OPENBLAS_NUM_THREADS=1``, so BLAS is held to
one thread here, as it is in the notebook's kernel. And a change that may stop early
(a generated mutant: only whether it loses points matters) stops before the first
expensive cell (one the reference spends over a second and over a fifth of its run
in) once a test cell worth points has failed: its verdict is already known. Variants
always run every cell, since their blame needs every failure.
"""
from __future__ import annotations

import contextlib
import enum
import io
import json
import os
import select
import signal
import time
import warnings
from dataclasses import dataclass, field

import nbformat

from ..assignments import source_notebook
from ..authoring.solution_regions import strip_markers

TIMEOUT = 60.0  # seconds for one changed notebook at least; a hung mutant counts as failing
SLOWDOWN = 5.0  # ... or this many times the reference's own run time, whichever is longer
EXPENSIVE = (1.0, 0.2)  # seconds, share of the reference's run: a cell above both is expensive


class CellKind(enum.Enum):
    CODE = "code"      # provided code, ungraded
    ANSWER = "answer"  # an autograded answer the student writes
    TEST = "test"      # an autograded test cell (points)
    MANUAL = "manual"  # graded by hand (answer or task): never run for points here


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    source: str
    grade_id: str | None = None
    points: float = 0.0
    hidden: bool = False  # a test cell with a hidden region


@dataclass(frozen=True)
class Change:
    """One submission: the reference with one answer cell's text replaced."""
    grade_id: str
    source: str
    stop_when_failing: bool = False  # skip the expensive cells once a test cell worth points has failed


@dataclass
class Outcome:
    failures: dict[str, str] = field(default_factory=dict)  # test cell -> first line of its error
    timed_out: bool = False
    stopped_before: str | None = None  # the expensive cell a failing change did not run (nor any after it)

    @property
    def loses_points(self) -> bool:
        return self.timed_out or bool(self.failures)


def notebook_cells(assignment: str) -> list[Cell]:
    """The source notebook's code cells, each with its role and points."""
    nb = nbformat.read(source_notebook(assignment), as_version=4)
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" and not meta.get("grade"):
            continue
        grade_id, points = meta.get("grade_id"), float(meta.get("points", 0) or 0)
        if meta.get("solution") and not meta.get("grade"):
            cells.append(Cell(CellKind.ANSWER, strip_markers(cell.source), grade_id))
        elif meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            cells.append(Cell(CellKind.TEST, cell.source, grade_id, points, "BEGIN HIDDEN TESTS" in cell.source))
        elif meta.get("grade"):
            cells.append(Cell(CellKind.MANUAL, cell.source, grade_id, points))
        else:
            cells.append(Cell(CellKind.CODE, cell.source, grade_id))
    return cells


def answered_by(cells: list[Cell]) -> dict[str, tuple[str, ...]]:
    """Test cell -> the answer cells it grades: the run of answer cells above it.

    The blame rule of harness.fabricate.checked_answers: answer cells with only provided
    code between them form one run (relu and relu_grad), which the next test cells check.
    """
    owner: dict[str, tuple[str, ...]] = {}
    current: list[str] = []
    closed = True
    for cell in cells:
        if cell.kind is CellKind.ANSWER:
            if closed:
                current, closed = [], False
            current.append(cell.grade_id)
        elif cell.kind is CellKind.TEST:
            closed = True
            if current:
                owner[cell.grade_id] = tuple(current)
    return owner


def grade_changes(assignment: str, changes: list[Change], jobs: int = 1,
                  timeout: float = TIMEOUT, progress=None) -> tuple[Outcome, list[Outcome]]:
    """The reference's outcome and one outcome per change, in order."""
    import matplotlib
    from threadpoolctl import threadpool_limits
    matplotlib.use("Agg")
    cells = notebook_cells(assignment)
    by_cell: dict[str, list[int]] = {}
    for i, change in enumerate(changes):
        by_cell.setdefault(change.grade_id, []).append(i)
    unknown = set(by_cell) - {c.grade_id for c in cells if c.kind is CellKind.ANSWER}
    if unknown:
        raise KeyError(f"{assignment} has no answer cells named {sorted(unknown)}")
    outcomes: list[Outcome | None] = [None] * len(changes)
    reference = Outcome()
    namespace: dict = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(source_notebook(assignment).parent)  # data files sit beside the notebook
    limits = threadpool_limits(limits=1, user_api="blas")
    try:
        seconds = reference_seconds(cells) if changes else []
        expensive = {i for i, s in enumerate(seconds) if s > max(EXPENSIVE[0], EXPENSIVE[1] * sum(seconds))}
        timeout = max(timeout, SLOWDOWN * sum(seconds))
        for index, cell in enumerate(cells):
            if cell.kind is CellKind.ANSWER and cell.grade_id in by_cell:
                todo = [(i, changes[i]) for i in by_cell[cell.grade_id]]
                rest = [(cell, j in expensive) for j, cell in enumerate(cells) if j > index]
                for i, outcome in _forked(todo, rest, namespace, jobs, timeout):
                    outcomes[i] = outcome
                    if progress:
                        progress()
            _run_cell(cell, cell.source, namespace, reference)
    finally:
        limits.restore_original_limits()
        os.chdir(cwd)
    return reference, outcomes  # type: ignore[return-value]


def _run_cell(cell: Cell, source: str, namespace: dict, outcome: Outcome) -> None:
    import matplotlib.pyplot as plt
    if cell.kind is CellKind.MANUAL:
        return
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(compile(source, cell.grade_id or "cell", "exec"), namespace)
    except Exception as exc:  # noqa: BLE001 - record and go on, as nbgrader does
        if cell.kind is CellKind.TEST:
            text = str(exc).splitlines()[0] if str(exc) else ""
            outcome.failures[cell.grade_id] = f"{type(exc).__name__}: {text}"[:300]
    finally:
        plt.close("all")


def reference_seconds(cells: list[Cell]) -> list[float]:
    """How long the reference runs each cell, measured once in a forked child."""
    def run(write_fd: int) -> None:
        seconds, namespace = [], {"__name__": "__main__"}
        for cell in cells:
            start = time.monotonic()
            _run_cell(cell, cell.source, namespace, Outcome())
            seconds.append(time.monotonic() - start)
        with os.fdopen(write_fd, "w") as report:
            json.dump(seconds, report)
    report = _in_child(run)
    if report is None:
        raise RuntimeError("the reference notebook's process died")
    return report


def _in_child(run) -> object | None:
    """run(write_fd) in a forked child; what it wrote there as JSON (None if it died)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        status = 0
        try:
            run(write_fd)
        except BaseException:  # noqa: BLE001 - a child must never go back into the parent's loop
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        return json.loads(data)
    except ValueError:
        return None


def _forked(todo: list[tuple[int, Change]], rest: list[tuple[Cell, bool]], namespace: dict, jobs: int,
            timeout: float):
    """Yield (index, outcome) for each (index, change), each run in a forked child.

    rest: the cells after the changed answer, each with whether the reference finds it expensive."""
    running: dict[int, tuple[int, int, float, list[bytes]]] = {}  # fd -> (index, pid, deadline, chunks)
    queue = list(todo)
    while queue or running:
        while queue and len(running) < max(1, jobs):
            i, change = queue.pop(0)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # child
                os.close(read_fd)
                _child(change, rest, namespace, write_fd)
            os.close(write_fd)
            running[read_fd] = (i, pid, time.monotonic() + timeout, [])
        now = time.monotonic()
        ready, _, _ = select.select(list(running), [], [], max(0.0, min(d for _, _, d, _ in running.values()) - now))
        for fd in ready:
            i, pid, deadline, chunks = running[fd]
            data = os.read(fd, 65536)
            if data:
                chunks.append(data)
                continue
            del running[fd]
            os.close(fd)
            os.waitpid(pid, 0)
            try:
                yield i, Outcome(**json.loads(b"".join(chunks)))
            except ValueError:  # the child died without a report (os._exit, a crash)
                yield i, Outcome({"(process)": "the notebook's process died"})
        for fd, (i, pid, deadline, _) in list(running.items()):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(fd)
                del running[fd]
                yield i, Outcome(timed_out=True)


def _child(change: Change, rest: list[tuple[Cell, bool]], namespace: dict, write_fd: int) -> None:
    """Run the changed answer and the cells after it; report failures; never return."""
    status = 0
    try:
        outcome = Outcome()
        _run_cell(Cell(CellKind.ANSWER, change.source, "answer"), change.source, namespace, outcome)
        lost = False  # a test cell worth points has failed (a failing visible 0-point guide costs nothing)
        for cell, expensive in rest:
            if expensive and change.stop_when_failing and lost:
                outcome.stopped_before = cell.grade_id or f"code cell: {cell.source.splitlines()[0][:60]}"
                break
            _run_cell(cell, cell.source, namespace, outcome)
            lost = lost or (cell.grade_id in outcome.failures and cell.points > 0)
        with os.fdopen(write_fd, "w") as report:
            json.dump({"failures": outcome.failures, "stopped_before": outcome.stopped_before}, report)
    except BaseException:  # noqa: BLE001 - a child must never go back into the parent's loop
        status = 1
    finally:
        os._exit(status)


def cell_points(cells: list[Cell]) -> dict[str, float]:
    return {c.grade_id: c.points for c in cells if c.kind is CellKind.TEST}
