"""The sandbox side of grading: serves the trusted grader's requests inside the student's kernel.

For each test cell the grader runs ``__course_agent__.serve_socket(path, token)`` once; the
agent then answers requests on that socket (:mod:`course.grading.sandbox.jailed.link`) until
the cell is over. Student objects that are not plain data stay here as numbered handles; the
grader's own callables are called back over the same socket. Everything in this process is
the student's to change, so nothing it answers is trusted: the grader only ever reads data from it.
"""
from __future__ import annotations

import builtins
import sys
import time
import types
import warnings
from typing import Any

import numpy as np

from course.grading.sandbox.wire import codec
from course.grading.sandbox.wire.figure_summary import summarize_figure
from course.grading.sandbox.wire.protocol import build_portable
from course.grading.sandbox.wire.value_cache import HeldValues, SentValues

from .global_rng import GlobalRngWatch
from .unchanged import same, snapshot

MAX_ITER = 100_000
_cpu_clock = time.process_time  # bound before any student cell runs: rebinding time.process_time changes nothing


class Agent:
    """Answers resolve / call / getattr / getitem / len / iter / text / array / summary requests."""

    def __init__(self):
        self.handles: dict[int, Any] = {}
        self._buffers: list = []    # frames of the answer being built
        self._frames: list = []     # frames of the request being answered
        self.link = None            # the grader's socket while a test cell runs
        self._global_rng = GlobalRngWatch()
        self._held = HeldValues()   # large values the grader sent, kept for its later requests
        self._sent = SentValues()   # large values the grader keeps from earlier answers
        self._epoch = None          # the grader's count of failed requests: both sides forget on a change
        self._ids: dict[int, int] = {}

    # -- protocol -----------------------------------------------------------------
    def serve_socket(self, path: str, token: str) -> None:
        """Answer the grader's requests on its socket at ``path`` until it ends the cell."""
        from .link import AgentLink
        link = AgentLink(self, path, token)
        previous, self.link = self.link, link
        figures_before = _open_figures()
        try:
            link.serve()
        finally:
            self.link = previous
            _close_figures_except(figures_before)

    def answer(self, request: dict, frames: list) -> tuple[dict, list]:
        """One request's answer (``ok`` or ``error``) and the binary frames it refers to."""
        if request.get("epoch") != self._epoch:
            self._epoch, self._held, self._sent = request.get("epoch"), HeldValues(), SentValues()
        saved = self._buffers, self._frames  # a request served while another waits on a callback
        self._buffers, self._frames = [], frames
        try:
            try:
                answer = {"ok": getattr(self, "op_" + str(request["op"]))(request)}
            except BaseException as exc:  # noqa: BLE001 - report every failure as data
                answer = {"error": _describe_exception(exc)}
            return answer, self._buffers
        finally:
            self._buffers, self._frames = saved

    def op_enter(self, request: dict) -> None:
        """A warm kernel's first request: move into the notebook's files (see boot.enter)."""
        from .workdir import enter
        enter(str(request["work_dir"]))

    def op_resolve(self, request: dict) -> dict:
        namespace = _user_namespace()
        found = {}
        for name in request["names"]:
            if name not in namespace:
                continue
            value = namespace[name]
            if isinstance(value, types.ModuleType):
                found[name] = {"module": str(value.__name__), "value": self.handle(value)}
            else:
                found[name] = {"value": self._encode(value)}
        return found

    def op_call(self, request: dict) -> dict:
        """One call, or ``repeat`` calls with the same argument objects (statistical checks)."""
        target = self._decode(request["target"])
        args, kwargs = self._decode(request["args"])
        repeat = request.get("repeat")
        before = [snapshot(v) for v in (*args, *kwargs.values())]
        rng_before = self._global_rng.before()
        with warnings.catch_warnings(record=True) as caught, np.errstate(**request.get("errstate", {})):
            warnings.simplefilter("always")
            results, error, cpu = [], None, 0.0
            rebuild = self._fresh_arguments(request, args, kwargs)
            for i in range(min(int(repeat or 1), MAX_ITER)):
                try:
                    if i and rebuild is not None:
                        args, kwargs = rebuild()
                    start = _cpu_clock()
                    try:
                        results.append(target(*args, **kwargs))
                    finally:
                        cpu += _cpu_clock() - start
                except BaseException as exc:  # noqa: BLE001 - the student's exception is data
                    error = _describe_exception(exc)
                    break
            result = results if repeat else (results[0] if results else None)
        answer = {
            "warnings": [{"category": _class_chain(w.category), "message": str(w.message)[:2000]}
                         for w in caught[:20]],
            "global_rng_changed": self._global_rng.changed(rng_before),
            "args_after": self._arguments_after(before, list(args), kwargs),
            "cpu_seconds": float(cpu),  # the kernel's CPU time in the student's calls only: no transfer, no waiting
        }
        if error is not None:
            answer["error"] = error
        else:
            answer["result"] = self._encode(result)
        return answer

    def _arguments_after(self, before: list, args: list, kwargs: dict) -> Any:
        """The arguments after a call for the grader to mirror; None in place of each unchanged one
        (``before``: their :func:`snapshot` taken before the call)."""
        values = [*args, *kwargs.values()]
        unchanged = [same(b, v) for b, v in zip(before, values)]
        if all(unchanged):
            return None
        n = len(args)
        return self._encode([[None if unchanged[i] else a for i, a in enumerate(args)],
                             {k: None if unchanged[n + i] else v for i, (k, v) in enumerate(kwargs.items())}])

    def _fresh_arguments(self, request: dict, args: list, kwargs: dict):
        """For repeated calls whose arguments marked ``fresh`` are built anew for every call (the
        grader's ``[f(np.random.default_rng(7)) for _ in range(n)]``): a function rebuilding them."""
        fresh = request.get("fresh")
        if not isinstance(fresh, list) or True not in fresh:
            return None
        raw_args, raw_kwargs = request["args"]
        raw = [*raw_args, *(value for _, value in raw_kwargs.get("$dict", []))]
        keys, n = list(kwargs), len(args)

        def rebuild() -> tuple[list, dict]:
            new_args, new_kwargs = list(args), dict(kwargs)
            for i, (data, is_fresh) in enumerate(zip(raw, fresh)):
                if is_fresh is True and i < n:
                    new_args[i] = self._decode(data)
                elif is_fresh is True and i - n < len(keys):
                    new_kwargs[keys[i - n]] = self._decode(data)
            return new_args, new_kwargs

        return rebuild

    def op_getattr(self, request: dict) -> Any:
        return self._encode(getattr(self._decode(request["target"]), request["name"]))

    def op_getitem(self, request: dict) -> Any:
        return self._encode(self._decode(request["target"])[self._decode(request["key"])])

    def op_len(self, request: dict) -> int:
        return int(len(self._decode(request["target"])))

    def op_iter(self, request: dict) -> Any:
        items = []
        for item in self._decode(request["target"]):
            items.append(item)
            if len(items) > MAX_ITER:
                raise ValueError(f"more than {MAX_ITER} items")
        return self._encode(items)

    def op_text(self, request: dict) -> str:
        target = self._decode(request["target"])
        return str(repr(target) if request.get("repr") else target)[:100_000]

    def op_array(self, request: dict) -> Any:
        return self._encode(np.asarray(self._decode(request["target"])))

    def op_number(self, request: dict) -> Any:
        kind = {"float": float, "int": int, "bool": bool, "complex": complex}[request["kind"]]
        return self._encode(kind(self._decode(request["target"])))

    def op_figure_summary(self, request: dict) -> Any:
        return self._encode(summarize_figure(self._decode(request["target"])))

    # -- values -------------------------------------------------------------------
    def _encode(self, value: Any) -> Any:
        return codec.Encoder(self.handle, self._buffers, sent=self._sent).encode(value)

    def _decode(self, data: Any) -> Any:
        return self.decode(data, self._frames)

    def decode(self, data: Any, frames: list) -> Any:
        return codec.Decoder(self._resolve, frames, cache=self._held).decode(data)

    def handle(self, obj: Any) -> dict:
        key = self._ids.get(id(obj))
        if key is None or self.handles.get(key) is not obj:
            key = len(self.handles) + 1
            self.handles[key] = obj
            self._ids[id(obj)] = key
        kind = type(obj)
        return {"$handle": key, "type": kind.__name__[:200], "module": str(kind.__module__)[:200],
                "callable": callable(obj)}

    def op_side_files(self, request: dict) -> list:
        """Files the notebook wrote beside itself, for the grader to copy next to the graded
        notebook as stock nbgrader leaves them (:mod:`course.grading.sandbox.grader.copy_back`
        checks them again)."""
        from .workdir import side_files
        return side_files(str(request["work_dir"]), int(request["max_files"]), int(request["max_bytes"]))

    def op_write_file(self, request: dict) -> Any:
        import base64
        import os
        import tempfile
        folder = tempfile.mkdtemp(prefix="grader-")
        path = os.path.join(folder, os.path.basename(str(request["name"])))
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(request["data"]))
        return self._encode(path)

    def _resolve(self, ref: dict) -> Any:
        if "$handle" in ref:
            return self.handles[int(ref["$handle"])]
        if "$portable" in ref:
            return build_portable(str(ref["$portable"]), self._decode(ref.get("constants", {"$dict": []})))
        return _Callback(int(ref["$callback"]), self)


class _Callback:
    """A grader function, called back over the grader's socket."""

    def __init__(self, key: int, agent: Agent):
        self.key, self.agent = key, agent

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.agent.link is None:
            raise RuntimeError("the grader's function can only be called while the grader's checks run")
        return self.agent.link.call_back(self.key, args, kwargs)

    def __repr__(self) -> str:
        return f"<grader function {self.key}>"


def _open_figures() -> set | None:
    """Numbers of the pyplot figures open now (None when pyplot was never imported)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    try:
        return None if pyplot is None else set(pyplot.get_fignums())
    except Exception:  # noqa: BLE001 - the student's pyplot, possibly broken
        return None


def _close_figures_except(before: set | None) -> None:
    """Close the figures the student's code opened while the grader's checks ran (as the checks'
    ``graders.figures.close`` does without a sandbox). Left open, the inline backend would draw
    each one and render it as a PNG at the end of the serving request -- into output nobody reads,
    the grader composes the test cell's output itself -- about half of project2's sandboxed CPU."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    try:
        for number in set(pyplot.get_fignums()) - (before or set()):
            pyplot.close(number)
    except Exception:  # noqa: BLE001 - the student's pyplot, possibly broken: the figures stay open
        pass


def _user_namespace() -> dict:
    from IPython import get_ipython
    return get_ipython().user_ns


def _class_chain(cls: type) -> list[str]:
    return [c.__name__ for c in cls.__mro__][:30]


def _describe_exception(exc: BaseException) -> dict:
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = "<unprintable>"
    return {"type": type(exc).__name__[:200], "chain": _class_chain(type(exc)), "message": message[:4000]}


def install() -> Agent:
    """Make the agent reachable as ``__course_agent__`` for the grader's requests."""
    agent = Agent()
    builtins.__course_agent__ = agent
    return agent
