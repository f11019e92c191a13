"""The grader's view of student objects: proxies that call into the sandbox and get data back.

A :class:`RemoteObject` stands for a function, class, figure or any other object living in
the student's kernel. Calling it sends the arguments as plain data and returns plain data
(or another proxy). The student's exceptions and warnings are re-raised here as fresh,
ordinary Python exceptions and warnings; in-place changes to arguments and draws from a
passed random generator are mirrored onto the grader's own objects, so the checks see a
call exactly as if it had run locally -- but no student code ever runs in this process.
"""
from __future__ import annotations

import base64
import builtins
import time
import warnings
from typing import Any

import numpy as np

from course.grading.sandbox.wire import codec
from course.grading.sandbox.wire.protocol import build_portable


class SandboxError(RuntimeError):
    """The sandbox did not answer: timeout, kernel death, or a broken reply."""


class StudentExit(RuntimeError):
    """The student's code raised SystemExit or KeyboardInterrupt during a check."""


class RemoteObject:
    """An object in the student's kernel, reached only through requests."""

    __slots__ = ("_channel", "_ref", "_callable")

    def __init__(self, channel, ref: dict):
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_ref", {"$handle": ref["$handle"]})
        object.__setattr__(self, "_callable", bool(ref.get("callable")))

    def _request(self, op: str, **fields: Any) -> Any:
        return self._channel.value(op, target=self._ref, **fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._request("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("student objects are read-only for the grader")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self._callable:
            raise TypeError(f"'{type(self).__name__}' object is not callable")
        return self._channel.call(self, args, kwargs)

    def __getitem__(self, key: Any) -> Any:
        return self._request("getitem", key=self._channel.encode(key))

    def __len__(self) -> int:
        value = self._request("len")
        if type(value) is not int or value < 0:
            raise TypeError("len() of a student object did not return a size")
        return value

    def __iter__(self):
        items = self._request("iter")
        return iter(items if isinstance(items, list) else [])

    def __array__(self, dtype=None, copy=None):
        array = self._request("array")
        array = np.asarray(array) if isinstance(array, np.ndarray) else np.asarray(array, dtype=object)
        return array.astype(dtype) if dtype is not None else array

    def _number(self, kind: str) -> Any:
        value = self._request("number", kind=kind)
        expected = {"float": float, "int": int, "bool": bool, "complex": complex}[kind]
        if type(value) is not expected:
            raise TypeError(f"student object did not convert to {kind}")
        return value

    def __float__(self) -> float:
        return self._number("float")

    def __int__(self) -> int:
        return self._number("int")

    def __index__(self) -> int:
        return self._number("int")

    def __complex__(self) -> complex:
        return self._number("complex")

    def __bool__(self) -> bool:
        return self._number("bool")

    def __repr__(self) -> str:
        text = self._request("text", repr=True)
        return text if isinstance(text, str) else f"<student {type(self).__name__}>"

    def __str__(self) -> str:
        text = self._request("text")
        return text if isinstance(text, str) else repr(self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


_CLASSES: dict[str, type] = {}


def proxy_class(type_name: str) -> type:
    """A RemoteObject subclass named like the student's type, so ``type(x).__name__`` reads right."""
    name = type_name if type_name.isidentifier() else "StudentObject"
    if name not in _CLASSES:
        _CLASSES[name] = type(name, (RemoteObject,), {"__slots__": (), "__module__": "student"})
    return _CLASSES[name]


def remote_type_name(value: Any) -> str | None:
    """The student-side type name of a proxy, None for a local value."""
    return type(value).__name__ if isinstance(value, RemoteObject) else None


def call_repeatedly(fn: Any, times: int, args: tuple, kwargs: dict) -> list:
    """``[fn(*args, **kwargs) for _ in range(times)]`` in one round trip when ``fn`` is remote."""
    if isinstance(fn, RemoteObject) and fn._callable:
        results = fn._channel.call(fn, args, kwargs, repeat=times)
        if not isinstance(results, list):
            raise TypeError("repeated call did not return a list")
        return results
    return [fn(*args, **kwargs) for _ in range(times)]


class CpuLimitReached(Exception):
    """A timed call was stopped once it had used its CPU limit (:func:`timed_call_within`)."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:.1f} s of CPU time")
        self.seconds = seconds


def timed_call(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``fn(*args, **kwargs)`` and the CPU seconds it took: the jail's CPU time during the
    request when ``fn`` is remote (read by the grader from /proc; no waiting for a busy machine
    counts), this process's CPU time when local. Speed checks use it so a grade never depends on load."""
    return timed_call_within(None, fn, *args, **kwargs)


def timed_call_within(limit: float | None, fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """:func:`timed_call`, but a remote call that uses more than ``limit`` CPU seconds raises
    :class:`CpuLimitReached`. It is interrupted as soon as the jail's clock passes
    the limit, so a far too slow function costs the grader its limit, not its whole run (a
    Python loop over 4 million pairs: 15 s). A local call cannot be stopped: it is only timed."""
    if isinstance(fn, RemoteObject) and fn._callable:
        channel = fn._channel
        channel.last_cpu_seconds = None
        try:
            result = channel.call(fn, args, kwargs, cpu_limit=limit)
        finally:
            seconds = channel.last_cpu_seconds
        if seconds is None:
            raise SandboxError("the sandbox did not report the call's CPU time")
        return result, seconds
    start = time.process_time()
    result = fn(*args, **kwargs)
    return result, time.process_time() - start


class Portable:
    """A small grader function sent as source and rebuilt inside the sandbox, for functions the
    student's code calls thousands of times (a loss evaluated on a grid): a callback per call
    would cost a round trip each. Only for the grader's own simple formulas, never secrets."""

    def __init__(self, source: str, **constants: Any):
        self.source, self.constants = source, constants
        self._local = build_portable(source, constants)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._local(*args, **kwargs)

    def __deepcopy__(self, memo: dict) -> "Portable":
        return self  # immutable: a copy taken to detect argument mutation is the same function


def write_scratch_file(fn: Any, name: str, data: bytes) -> str | None:
    """Write ``data`` to a new folder inside ``fn``'s sandbox; its path there, or None if local."""
    if isinstance(fn, RemoteObject):
        return fn._channel.value("write_file", name=name, data=base64.b64encode(data).decode("ascii"))
    return None


def remote_figure_summary(fig: RemoteObject) -> dict:
    return dict(fig._request("figure_summary"))


# -- exceptions and warnings crossing back -------------------------------------------
_EXTRA_EXCEPTIONS = {"LinAlgError": np.linalg.LinAlgError, "AxisError": np.exceptions.AxisError}
_WARNINGS = {"ComplexWarning": np.exceptions.ComplexWarning, "RankWarning": np.exceptions.RankWarning}


def rebuild_exception(info: Any) -> BaseException:
    """A fresh local exception of the nearest safe class, named and worded like the student's."""
    if not isinstance(info, dict):
        return SandboxError("the sandbox sent a malformed error")
    chain = [c for c in info.get("chain", []) if isinstance(c, str)]
    message = str(info.get("message", ""))[:4000]
    name = str(info.get("type", "Exception"))
    for candidate in chain:
        base = _EXTRA_EXCEPTIONS.get(candidate) or getattr(builtins, candidate, None)
        if isinstance(base, type) and issubclass(base, BaseException):
            if not issubclass(base, Exception):
                return StudentExit(f"{name}: {message}" if message else name)
            if name != base.__name__ and name.isidentifier():
                base = type(name, (base,), {"__module__": "student"})
            return base(message)
    return RuntimeError(f"{name}: {message}")


def reemit_warning(info: Any) -> None:
    if not isinstance(info, dict):
        return
    category = UserWarning
    for candidate in info.get("category", []):
        found = _WARNINGS.get(candidate) or getattr(builtins, str(candidate), None)
        if isinstance(found, type) and issubclass(found, Warning):
            category = found
            break
    warnings.warn(str(info.get("message", ""))[:2000], category, stacklevel=3)


def mirror(original: Any, after: Any) -> None:
    """Apply the sandbox's in-place changes to the grader's own argument objects."""
    if isinstance(original, np.random.Generator) and isinstance(after, np.random.Generator):
        original.bit_generator.state = after.bit_generator.state
    elif isinstance(original, np.ndarray) and isinstance(after, np.ndarray):
        if original.shape == after.shape and not np.array_equal(original, after, equal_nan=original.dtype.kind in "fc"):
            try:
                original[...] = after
            except (ValueError, TypeError):
                pass
    elif type(original) is list and type(after) is list:
        if len(original) == len(after):
            for i, (old, new) in enumerate(zip(original, after)):
                if _plain(old) and old != new:
                    original[i] = new
                else:
                    mirror(old, new)
        else:
            original[:] = after
    elif type(original) is dict and type(after) is dict:
        for key in list(original):
            if key not in after:
                del original[key]
        for key, new in after.items():
            old = original.get(key)
            if key not in original or (_plain(old) and old != new):
                original[key] = new
            else:
                mirror(old, new)


def _plain(value: Any) -> bool:
    return value is None or type(value) in (bool, int, float, complex, str)
