"""Large values cross once per kernel: each side remembers, by digest, what the other already holds.

A check passes the same 50,000-word vocabulary and 50,000 x 50 matrix to many calls, and every
test cell that names them fetches them from the kernel again. The sender keeps the digests of
what it sent to be kept (:class:`SentValues`); the receiver keeps the values (:class:`HeldValues`)
and rebuilds a fresh copy from them each time, so a call that changes its argument in place
never changes what a later call receives. Both are bounded by :data:`LIMIT` bytes: past it the
sender sends values whole again, and a receiver refuses to keep more (only a hostile sender
asks it to). Digests are checked on receipt, so a held value is always exactly what was sent.
"""
from __future__ import annotations

import hashlib
import json

from .protocol import WireError

LIMIT = 128 * 2**20         # bytes of large values each side keeps per kernel
ARRAY_OVER = 64 * 2**10     # arrays larger than this (in .npy bytes) are kept
LIST_OVER = 2_000           # lists of more strings than this are kept


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def string_list_bytes(items: list) -> bytes | None:
    """The canonical bytes of a long list of strings (what its digest is taken over), else None."""
    if len(items) <= LIST_OVER or not all(type(item) is str for item in items):
        return None
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


class SentValues:
    """Digests of the values the other side was asked to keep, and their total size."""

    def __init__(self, limit: int = LIMIT):
        self.digests: set[str] = set()
        self.size, self.limit = 0, limit

    def __contains__(self, key: str) -> bool:
        return key in self.digests

    def add(self, key: str, size: int) -> bool:
        """Whether the other side can keep this value too (False: send it whole, not kept)."""
        if self.size + size > self.limit:
            return False
        self.digests.add(key)
        self.size += size
        return True


class HeldValues:
    """The canonical bytes of values received to be kept, by digest."""

    def __init__(self, limit: int = LIMIT):
        self.values: dict[str, bytes] = {}
        self.size, self.limit = 0, limit

    def keep(self, key: str, raw: bytes) -> None:
        if key in self.values:
            return  # the value itself is decoded from this message, so it is exactly what was sent
        if digest(raw) != key:
            raise WireError("a value to keep does not match its digest")
        if self.size + len(raw) > self.limit:
            raise WireError(f"more than {self.limit} bytes of values to keep")
        self.values[key] = raw
        self.size += len(raw)

    def get(self, key: object) -> bytes:
        raw = self.values.get(key) if isinstance(key, str) else None
        if raw is None:
            raise WireError("unknown kept value")
        return raw
