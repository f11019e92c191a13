"""Plain-data wire format between the trusted grader and the student's sandboxed kernel.

Values cross as JSON: numbers, strings, lists, tuples, dicts, sets, NumPy arrays and
scalars (``.npy`` bytes, ``allow_pickle=False``), random Generators (their state),
SymPy expressions (a tree of whitelisted SymPy class names) and figure summaries.
Anything else stays where it lives and crosses as a *reference* that the owning side
resolves: the sandbox's objects become handles, the grader's callables become callbacks.
Nothing is ever unpickled or evaluated, so a hostile kernel can only send data.
"""
from __future__ import annotations

import base64
import io
import json
import math
from typing import Any, Callable

import numpy as np

from .protocol import WireError  # noqa: F401 - part of the codec's interface
from .value_cache import ARRAY_OVER, HeldValues, SentValues, digest, string_list_bytes

MAX_DEPTH = 60
MAX_ITEMS = 2_000_000
MAX_BYTES = 512 * 2**20


class Encoder:
    """Turns a value into JSON-able data; ``reference(obj)`` names what cannot cross."""

    def __init__(self, reference: Callable[[Any], dict], buffers: list | None = None,
                 sent: SentValues | None = None):
        self.reference = reference
        self.buffers = buffers  # when given, arrays travel as raw binary message frames
        self.sent = sent        # when given, large values the other side keeps (see value_cache)
        self.items = 0

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise WireError("value is nested too deeply or has too many items")
        if value is None or type(value) in (bool, str):
            return value
        if type(value) is int:
            return value if abs(value) < 2**53 else {"$int": str(value)}
        if type(value) is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if type(value) is complex:
            return {"$complex": [self.encode(value.real), self.encode(value.imag)]}
        if type(value) is list:
            kept = self._strings(value)
            return kept if kept is not None else [self.encode(v, depth + 1) for v in value]
        if type(value) is tuple:
            return {"$tuple": [self.encode(v, depth + 1) for v in value]}
        if type(value) in (set, frozenset):
            return {"$set": [self.encode(v, depth + 1) for v in value], "frozen": type(value) is frozenset}
        if type(value) is dict:
            return {"$dict": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}
        if type(value) is np.ndarray and value.dtype.kind in "biufcUSmM" and not value.dtype.hasobject:
            return {"$ndarray": self._array(value)}
        if isinstance(value, np.generic) and type(value).__module__ == "numpy" and not isinstance(value, np.object_):
            if value.dtype.str in _NUMBER_DTYPES:  # the common case, kept cheap: no .npy bytes
                return {"$npnum": [value.dtype.str, self.encode(value.item())]}
            return {"$npscalar": self._array(np.asarray(value))}
        if type(value) is np.random.Generator:
            state = value.bit_generator.state
            return {"$rng": self.encode(state, depth + 1)}
        tree = _sympy_tree(value, self, depth)
        if tree is not None:
            return tree
        return self.reference(value)

    def _strings(self, items: list) -> dict | None:
        """A long list of strings the other side keeps: whole the first time, then by digest."""
        raw = string_list_bytes(items) if self.sent is not None else None
        if raw is None:
            return None
        self.items += len(items)
        key = digest(raw)
        if key in self.sent:
            return {"$strings": {"cached": key}}
        if self.sent.add(key, len(raw)):
            return {"$strings": {"items": items, "cache": key}}
        return None

    def _array(self, array: np.ndarray) -> Any:
        raw = _npy(array)
        body: dict = {}
        if self.sent is not None and len(raw) > ARRAY_OVER:
            key = digest(raw)
            if key in self.sent:
                return {"cached": key}
            if self.sent.add(key, len(raw)):
                body["cache"] = key
        if self.buffers is None:
            text = base64.b64encode(raw).decode("ascii")
            return {"b64": text, **body} if body else text
        self.buffers.append(raw)
        return {"frame": len(self.buffers) - 1, **body}


class Decoder:
    """Rebuilds plain data; ``resolve(ref)`` turns a reference into a local object."""

    def __init__(self, resolve: Callable[[dict], Any], buffers: list | None = None,
                 cache: HeldValues | None = None):
        self.resolve = resolve
        self.buffers = buffers or []
        self.cache = cache  # large values received earlier to be kept (see value_cache)
        if sum(len(b) for b in self.buffers) > MAX_BYTES:
            raise WireError(f"message frames over the {MAX_BYTES} byte limit")

    def decode(self, data: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("value is nested too deeply")
        if data is None or type(data) in (bool, int, float, str):
            return data
        if type(data) is list:
            return [self.decode(v, depth + 1) for v in data]
        if type(data) is not dict or len(data) == 0:
            raise WireError(f"unexpected {type(data).__name__} on the wire")
        tag = next(iter(data))
        body = data[tag]
        if tag == "$int":
            return int(_text(body, 5000))
        if tag == "$float":
            return float(_text(body, 20))
        if tag == "$complex":
            return complex(float(self.decode(body[0])), float(self.decode(body[1])))
        if tag == "$tuple":
            return tuple(self.decode(v, depth + 1) for v in _list(body))
        if tag == "$set":
            items = [self.decode(v, depth + 1) for v in _list(body)]
            return frozenset(items) if data.get("frozen") else set(items)
        if tag == "$dict":
            return {self.decode(k, depth + 1): self.decode(v, depth + 1) for k, v in _list(body)}
        if tag == "$ndarray":
            return self._array(body)
        if tag == "$strings":
            return self._strings(body)
        if tag == "$npscalar":
            return self._array(body)[()]
        if tag == "$npnum":
            return _number(_list(body), self)
        if tag == "$rng":
            return _generator(self.decode(body, depth + 1))
        if tag in ("$sympy", "$sympy_matrix"):
            from .sympy_tree import build
            return build(data, self, depth)
        if tag == "$figure":
            return FigureSummary(self.decode(body, depth + 1))
        if tag in ("$handle", "$callback", "$portable"):
            return self.resolve(data)
        raise WireError(f"unknown tag {tag!r} on the wire")

    def _held(self, key: Any) -> bytes:
        if self.cache is None:
            raise WireError("a kept value where none can be kept")
        return self.cache.get(key)

    def _strings(self, body: Any) -> list:
        if not isinstance(body, dict):
            raise WireError("bad list of strings")
        if "cached" in body:
            return json.loads(self._held(body["cached"]))  # a new list each time
        items = body.get("items")
        raw = string_list_bytes(items) if isinstance(items, list) else None
        if raw is None:
            raise WireError("bad list of strings")
        if self.cache is not None:
            self.cache.keep(_text(body.get("cache"), 64), raw)
        return items

    def _array(self, body: Any) -> np.ndarray:
        if isinstance(body, str):
            return _from_npy(base64.b64decode(_text(body, MAX_BYTES), validate=True))
        if not isinstance(body, dict):
            raise WireError("bad array")
        if "cached" in body:
            return _from_npy(self._held(body["cached"]))
        if "frame" in body:
            index = body["frame"]
            if type(index) is not int or not 0 <= index < len(self.buffers):
                raise WireError("bad array frame reference")
            raw = bytes(self.buffers[index])
        else:
            raw = base64.b64decode(_text(body.get("b64"), MAX_BYTES), validate=True)
        if "cache" in body and self.cache is not None:
            self.cache.keep(_text(body["cache"], 64), raw)
        return _from_npy(raw)


class FigureSummary(dict):
    """A figure summarised inside the sandbox (see course.grading.sandbox.wire.figure_summary)."""


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), allow_nan=False)


def loads(text: str | bytes) -> Any:
    if len(text) > MAX_BYTES:
        raise WireError(f"message of {len(text)} bytes is over the {MAX_BYTES} byte limit")
    return json.loads(text, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    raise WireError(f"non-standard JSON constant {name}")


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _from_npy(raw: bytes) -> np.ndarray:
    try:
        return np.load(io.BytesIO(raw), allow_pickle=False)
    except Exception as exc:  # noqa: BLE001 - any malformed payload is a wire error
        raise WireError(f"bad array payload: {exc}") from None


# NumPy scalar types whose value a Python bool, int or float holds exactly.
_NUMBER_DTYPES = {"|b1": bool, "|i1": int, "|u1": int, "<i2": int, "<u2": int, "<i4": int, "<u4": int,
                  "<i8": int, "<u8": int, "<f2": float, "<f4": float, "<f8": float}


def _number(body: list, decoder: "Decoder") -> np.generic:
    if len(body) != 2 or body[0] not in _NUMBER_DTYPES:
        raise WireError("bad NumPy number")
    value = decoder.decode(body[1], MAX_DEPTH)
    if type(value) is not _NUMBER_DTYPES[body[0]] and not (type(value) is int and body[0][1] == "f"):
        raise WireError("bad NumPy number")
    try:
        return np.dtype(body[0]).type(value)
    except (OverflowError, ValueError) as exc:
        raise WireError(f"bad NumPy number: {exc}") from None


def _generator(state: Any) -> np.random.Generator:
    if not isinstance(state, dict) or state.get("bit_generator") not in ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937"):
        raise WireError("bad random generator state")
    bit_generator = getattr(np.random, state["bit_generator"])()
    bit_generator.state = state
    return np.random.Generator(bit_generator)


def _sympy_tree(value: Any, encoder: Encoder, depth: int) -> dict | None:
    module = type(value).__module__ or ""
    if not module.startswith("sympy"):
        return None
    from .sympy_tree import tree
    return tree(value, encoder, depth)


def _text(body: Any, limit: int) -> str:
    if not isinstance(body, str) or len(body) > limit:
        raise WireError("expected a bounded string")
    return body


def _list(body: Any) -> list:
    if not isinstance(body, list):
        raise WireError("expected a list")
    return body
