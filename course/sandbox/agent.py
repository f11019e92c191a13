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

from . import codec
from .figure_summary import summarize_figure

RESULT_MIME = "application/x-course-rpc+json"
CALLBACK_PROMPT = "\x00course-callback:"
MAX_ITER = 100_000


class Agent:
    """Answers resolve / call / getattr / getitem / len / iter / text / array / summary requests."""

    def __init__(self):
        self.handles: dict[int, Any] = {}
        self._ids: dict[int, int] = {}

    # -- protocol -----------------------------------------------------------------
    def serve(self, request_text: str) -> None:
        from IPython.display import publish_display_data
        try:
            request = codec.loads(request_text)
            answer = {"ok": getattr(self, "op_" + request["op"])(request)}
        except BaseException as exc:  # noqa: BLE001 - report every failure as data
            answer = {"error": _describe_exception(exc)}
        try:
            text = codec.dumps(answer)
        except Exception as exc:  # noqa: BLE001
            text = codec.dumps({"error": _describe_exception(exc)})
        publish_display_data({RESULT_MIME: text})

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
        target = self._decode(request["target"])
        args, kwargs = self._decode(request["args"])
        rng_before = np.random.get_state()
        with warnings.catch_warnings(record=True) as caught, np.errstate(**request.get("errstate", {})):
            warnings.simplefilter("always")
            try:
                result, error = target(*args, **kwargs), None
            except BaseException as exc:  # noqa: BLE001 - the student's exception is data
                result, error = None, _describe_exception(exc)
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
        return codec.Encoder(self._handle).encode(value)

    def _decode(self, data: Any) -> Any:
        return codec.Decoder(self._resolve).decode(data)

    def _handle(self, obj: Any) -> dict:
        key = self._ids.get(id(obj))
        if key is None or self.handles.get(key) is not obj:
            key = len(self.handles) + 1
            self.handles[key] = obj
            self._ids[id(obj)] = key
        kind = type(obj)
        return {"$handle": key, "type": kind.__name__[:200], "module": str(kind.__module__)[:200],
                "callable": callable(obj)}

    def _resolve(self, ref: dict) -> Any:
        if "$handle" in ref:
            return self.handles[int(ref["$handle"])]
        return _Callback(int(ref["$callback"]), self)


class _Callback:
    """A grader function, called back through the kernel's stdin channel."""

    def __init__(self, key: int, agent: Agent):
        self.key, self.agent = key, agent

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from IPython import get_ipython
        request = codec.dumps({"callback": self.key, "args": self.agent._encode([list(args), kwargs])})
        reply = codec.loads(get_ipython().kernel.raw_input(CALLBACK_PROMPT + request))
        if "error" in reply:
            raise RuntimeError(f"the grader's function raised {reply['error']}")
        return self.agent._decode(reply["ok"])

    def __repr__(self) -> str:
        return f"<grader function {self.key}>"


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
