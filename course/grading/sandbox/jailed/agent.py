"""The sandbox side of grading: serves the trusted grader's requests inside the student's kernel.

The grader sends one request per execute_request (``__course_agent__.serve(...)``) and reads
the answer from a display message of type :data:`RESULT_MIME`. Student objects that are
not plain data stay here as numbered handles; the grader's own callables are called back
through the kernel's stdin channel. Everything in this process is the student's to change,
so nothing it answers is trusted: the grader only ever reads data from it.
"""
from __future__ import annotations

import builtins
import types
import warnings
from typing import Any

import numpy as np

from course.grading.sandbox.wire import codec
from course.grading.sandbox.wire.figure_summary import summarize_figure
from course.grading.sandbox.wire.protocol import CALLBACK_PROMPT, RESULT_MIME, build_portable

MAX_ITER = 100_000


class Agent:
    """Answers resolve / call / getattr / getitem / len / iter / text / array / summary requests."""

    def __init__(self):
        self.handles: dict[int, Any] = {}
        self._buffers: list = []
        self._arrays: dict[str, bytes] = {}  # large arrays the grader sent, by digest
        self._ids: dict[int, int] = {}

    # -- protocol -----------------------------------------------------------------
    def serve(self, request_text: str) -> None:
        self._buffers = []
        try:
            request = codec.loads(request_text)
            answer = {"ok": getattr(self, "op_" + request["op"])(request)}
        except BaseException as exc:  # noqa: BLE001 - report every failure as data
            answer = {"error": _describe_exception(exc)}
        try:
            text = codec.dumps(answer)
        except Exception as exc:  # noqa: BLE001
            text, self._buffers = codec.dumps({"error": _describe_exception(exc)}), []
        _publish(text, self._buffers)

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
                found[name] = {"module": str(value.__name__), "value": self._handle(value)}
            else:
                found[name] = {"value": self._encode(value)}
        return found

    def op_call(self, request: dict) -> dict:
        """One call, or ``repeat`` calls with the same argument objects (statistical checks)."""
        target = self._decode(request["target"])
        args, kwargs = self._decode(request["args"])
        repeat = request.get("repeat")
        rng_before = np.random.get_state()
        with warnings.catch_warnings(record=True) as caught, np.errstate(**request.get("errstate", {})):
            warnings.simplefilter("always")
            results, error = [], None
            for _ in range(min(int(repeat or 1), MAX_ITER)):
                try:
                    results.append(target(*args, **kwargs))
                except BaseException as exc:  # noqa: BLE001 - the student's exception is data
                    error = _describe_exception(exc)
                    break
            result = results if repeat else (results[0] if results else None)
        rng_after = np.random.get_state()
        answer = {
            "warnings": [{"category": _class_chain(w.category), "message": str(w.message)[:2000]}
                         for w in caught[:20]],
            "global_rng_changed": not (np.array_equal(rng_before[1], rng_after[1]) and rng_before[2:] == rng_after[2:]),
            "args_after": self._encode([list(args), kwargs]),
        }
        if error is not None:
            answer["error"] = error
        else:
            answer["result"] = self._encode(result)
        return answer

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
        return codec.Encoder(self._handle, self._buffers).encode(value)

    def _decode(self, data: Any) -> Any:
        return codec.Decoder(self._resolve, cache=self._arrays).decode(data)

    def _handle(self, obj: Any) -> dict:
        key = self._ids.get(id(obj))
        if key is None or self.handles.get(key) is not obj:
            key = len(self.handles) + 1
            self.handles[key] = obj
            self._ids[id(obj)] = key
        kind = type(obj)
        return {"$handle": key, "type": kind.__name__[:200], "module": str(kind.__module__)[:200],
                "callable": callable(obj)}

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
    """A grader function, called back through the kernel's stdin channel."""

    def __init__(self, key: int, agent: Agent):
        self.key, self.agent = key, agent

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from IPython import get_ipython
        encoded = codec.Encoder(self.agent._handle).encode([list(args), kwargs])  # inline, no frames
        request = codec.dumps({"callback": self.key, "args": encoded})
        reply = codec.loads(get_ipython().kernel.raw_input(CALLBACK_PROMPT + request))
        if "error" in reply:
            raise RuntimeError(f"the grader's function raised {reply['error']}")
        return self.agent._decode(reply["ok"])

    def __repr__(self) -> str:
        return f"<grader function {self.key}>"


def _publish(text: str, buffers: list) -> None:
    """A display message carrying the answer, with arrays as raw binary frames."""
    from IPython import get_ipython
    pub = get_ipython().display_pub
    msg = pub.session.msg("display_data", {"data": {RESULT_MIME: text}, "metadata": {}, "transient": {}},
                          parent=pub.parent_header)
    pub.session.send(pub.pub_socket, msg, ident=pub.topic, buffers=buffers)


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
