"""Whether a call drew from NumPy's global generator, in microseconds instead of two get_state().

``np.random.get_state()`` costs ~0.15 ms (it builds the 624-word key as a new array); a check
that calls a sampler thousands of times paid that twice per call. The MT19937 key and
position are read straight from the bit generator's memory instead. The legacy Gaussian
cache (``has_gauss``) is not in that memory: it is read exactly only when it could matter,
i.e. when the last exact reading found a cached value and the key has not moved since.
"""
from __future__ import annotations

import ctypes

import numpy as np

_MT_BYTES = 624 * 4 + 4  # mt19937_state: uint32 key[624]; int pos


class GlobalRngWatch:
    def __init__(self):
        self._known: bytes | None = None   # MT bytes at the last exact reading
        self._has_gauss = 1

    def before(self) -> bytes:
        raw = _mt_bytes()
        if raw != self._known:
            self._has_gauss = int(np.random.get_state()[3])
            self._known = raw
        return raw

    def changed(self, before: bytes) -> bool:
        """Whether the global generator moved since ``before`` (from :meth:`before`)."""
        if _mt_bytes() != before:
            self._known = None
            return True
        if not self._has_gauss:
            return False  # a cached Gaussian appears only with a draw, which moves the key
        has_gauss = int(np.random.get_state()[3])
        changed = has_gauss != self._has_gauss
        self._has_gauss = has_gauss
        return changed


def _mt_bytes() -> bytes:
    try:
        return ctypes.string_at(np.random.mtrand._rand._bit_generator.ctypes.state_address, _MT_BYTES)
    except Exception:  # noqa: BLE001 - a replaced or unusual global generator: read it the slow way
        state = np.random.get_state()
        return state[1].tobytes() + repr(state[2:]).encode()
