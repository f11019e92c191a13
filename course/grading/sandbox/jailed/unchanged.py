"""Which arguments a call changed, so that only those travel back to the grader to be mirrored.

The grader mirrors in-place changes the student's code makes to its arguments
(``remote.mirror``: lists, dicts, NumPy arrays, random Generators, and the plain values in
them). Sending every argument back after every call cost more than the call itself for
large ones (a 50 000-word vocabulary and its embedding matrix, per call). A snapshot taken
before the call, compared after it, tells exactly which arguments the mirror would touch.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_PLAIN = (type(None), bool, int, float, complex, str)


class _Opaque:
    """Anything the mirror does not look into: never reported as changed."""


_OPAQUE = _Opaque()


def snapshot(value: Any) -> Any:
    if type(value) is list:
        return [snapshot(v) for v in value]
    if type(value) is dict:
        return {k: snapshot(v) for k, v in value.items()}
    if type(value) is np.ndarray:
        return value.copy()
    if type(value) is np.random.Generator:
        return ("rng", value.bit_generator.state)
    if type(value) in _PLAIN:
        return value
    return _OPAQUE


def same(before: Any, after: Any) -> bool:
    """Whether mirroring ``after`` onto an object that looked like ``before`` would change nothing."""
    try:
        if before is _OPAQUE:
            return True
        if type(before) in _PLAIN:
            return not (before != after)
        if type(before) is list:
            return type(after) is list and len(before) == len(after) and all(map(same, before, after))
        if type(before) is dict:
            return type(after) is dict and before.keys() == after.keys() and all(same(v, after[k]) for k, v in before.items())
        if type(before) is np.ndarray:
            return (type(after) is np.ndarray and before.shape == after.shape and before.dtype == after.dtype
                    and bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc")))
        if type(before) is tuple and before[0] == "rng":
            return type(after) is np.random.Generator and after.bit_generator.state == before[1]
    except Exception:  # noqa: BLE001 - a hostile __eq__ or __ne__: send it back, the grader decides
        return False
    return False
