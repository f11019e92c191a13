"""Run an autograder test cell in the grader's own process, against proxies of student objects.

The cell's free names are looked up in the student's kernel first: modules of the
scientific stack are imported here afresh (the student's ``np`` is not trusted, NumPy is),
every other object becomes a :class:`~course.grading.sandbox.grader.remote.RemoteObject`. Names the test
cells themselves defined earlier persist between cells. Output follows the notebook format,
so nbgrader scores the cell exactly as if the kernel had run it.
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import io
import signal
import threading
import traceback
import math
import warnings
from typing import Any

import numpy as np

from nbformat.v4 import new_output

from . import batching
from .cell_streams import capture_cell_output
from .channel import Channel

# Modules a test cell may use under the student's alias; anything else stays remote.
LOCAL_MODULES = ("numpy", "scipy", "sympy", "math", "cmath", "statistics", "fractions", "decimal",
                 "itertools", "functools", "collections", "re", "string", "json", "random", "operator")
MAX_STREAM = 100_000


class CellTimeout(Exception):
    """The test cell ran past its time limit."""


class TrustedCells:
    """Executes one notebook's test cells; keeps the names they define between cells."""

    def __init__(self, channel: Channel):
        self.channel = channel
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins,
                                          batching.HELPER: batching.make_helper(self._real_modules)}

    def run(self, source: str, timeout: float, execution_count: int | None) -> list:
        """The cell's outputs. A failure of the channel itself (not of the student's code) ends
        them with a ``SandboxError`` output even if a check caught it: a grading error."""
        try:
            outputs = self._run(source, timeout, execution_count)
        finally:
            self.channel.close()
        failure = self.channel.take_failure()
        if failure is not None and not any(o.get("ename") == "SandboxError" for o in outputs):
            outputs.append(new_output("error", ename="SandboxError", evalue=failure,
                                      traceback=[f"SandboxError: {failure}"]))
        return outputs

    def _run(self, source: str, timeout: float, execution_count: int | None) -> list:
        stdout, stderr = io.StringIO(), io.StringIO()
        outputs = []
        try:
            with _alarm(timeout), capture_cell_output(stdout, stderr), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename="<test cell>")
                self._bind_student_names(tree)
                result = self._execute(tree)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes the cell's error output
            if isinstance(exc, (SystemExit, KeyboardInterrupt)) and not isinstance(exc, CellTimeout):
                exc = RuntimeError(f"{type(exc).__name__} raised in a test cell")
            outputs += _streams(stdout, stderr)
            outputs.append(_error(exc))
            return outputs
        outputs += _streams(stdout, stderr)
        if result is not None:
            outputs.append(new_output("execute_result", data={"text/plain": _safe_repr(result)},
                                      execution_count=execution_count))
        return outputs

    def _bind_student_names(self, tree: ast.AST) -> None:
        wanted = sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
                        - set(dir(builtins)))
        if not wanted:
            return
        found = self.channel.request("resolve", names=wanted)
        if not isinstance(found, dict):
            return
        for name in wanted:
            entry = found.get(name)
            if not isinstance(entry, dict):
                continue
            module = entry.get("module")
            if isinstance(module, str) and module.split(".")[0] in LOCAL_MODULES:
                self.namespace[name] = importlib.import_module(module)
            elif "value" in entry:
                self.namespace[name] = self.channel.decode(entry["value"])

    def _real_modules(self) -> bool:
        """Whether ``np``/``numpy``/``math`` in the cell are the real modules (see batching)."""
        return all(self.namespace.get(name, module) is module
                   for name, module in (("np", np), ("numpy", np), ("math", math)))

    def _execute(self, tree: ast.Module) -> Any:
        tree = batching.rewrite(tree)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        exec(compile(body, "<test cell>", "exec"), self.namespace)  # noqa: S102 - instructor code
        if last is None:
            return None
        return eval(compile(ast.Expression(last.value), "<test cell>", "eval"), self.namespace)  # noqa: S307


@contextlib.contextmanager
def _alarm(seconds: float):
    """A wall-clock limit on the grader's own work (a hostile value must not hang it).
    Signals need the main thread; elsewhere (a Dask task thread) requests still have deadlines."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise CellTimeout(f"the test cell did not finish within {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _streams(stdout: io.StringIO, stderr: io.StringIO) -> list:
    outputs = []
    for name, buffer in (("stdout", stdout), ("stderr", stderr)):
        text = buffer.getvalue()
        if text:
            outputs.append(new_output("stream", name=name, text=text[:MAX_STREAM]))
    return outputs


def _error(exc: BaseException) -> Any:
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return new_output("error", ename=type(exc).__name__, evalue=str(exc),
                      traceback=[line.rstrip("\n") for line in lines])


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:MAX_STREAM]
    except Exception:  # noqa: BLE001
        return f"<{type(value).__name__}>"
