"""Requests from the grader to the agent in the student's kernel, over a socket of their own.

A test cell's first request opens a serving session (:class:`GraderLink`: one execute_request
runs the agent's loop on the kernel's main thread, see ``wire/protocol.py``); every later
request of that cell is one message each way on that socket -- tens of microseconds, not an
execute_request round trip. While a call runs, the agent may call the grader's functions back
on the same socket (and those may call student code again). :meth:`Channel.close` ends the
session when the cell is done. Every wait has the cell's deadline; on expiry the kernel is
interrupted and the call fails. Failures of the channel itself are kept in :attr:`failure`
so that the cell is reported as a grading error even if a check caught the exception.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from course.grading.sandbox.wire import codec
from course.grading.sandbox.wire.value_cache import HeldValues, SentValues

from .link import GraderLink, LinkFailure
from .remote import (CpuLimitReached, Portable, RemoteObject, SandboxError, mirror, proxy_class, rebuild_exception,
                     reemit_warning)

_ERRSTATE_KEYS = ("over", "under", "divide", "invalid")


@dataclass
class CpuWatch:
    """A call's CPU limit, checked against the jail's clock while the grader waits for its answer."""
    clock: Callable[[], float | None]
    before: float
    limit: float
    used_when_stopped: float | None = None

    def due(self) -> bool:
        """True once, when the call has used its limit: the waiter then interrupts the kernel."""
        if self.used_when_stopped is not None:
            return False
        now = self.clock()
        if now is None or now - self.before <= self.limit:
            return False
        self.used_when_stopped = now - self.before
        return True


class Channel:
    """The grader's end of the conversation with one sandboxed kernel."""

    def __init__(self, client, deadline: Callable[[], float], cpu_clock: Callable[[], float | None] | None = None):
        self.client = client          # the nbclient NotebookClient running the notebook
        self.deadline = deadline      # absolute time.monotonic() by which a request must finish
        self.cpu_clock = cpu_clock    # the jail's CPU seconds, read from outside it (jail_cpu)
        self.callbacks: dict[int, Callable] = {}
        self.callback_keys: dict[int, int] = {}  # id(function) -> key, so a function is registered once
        self.sent = SentValues()    # large values the agent keeps for later requests
        self.held = HeldValues()    # large values the agent sent earlier, kept here
        self.requests = 0
        self.failure: str | None = None  # what went wrong with the channel during this cell
        self.grader_fault: str | None = None  # the first failure of the channel itself (LinkFailure), any cell
        self.last_cpu_seconds: float | None = None  # CPU time the kernel spent in the last student call
        self._link: GraderLink | None = None
        self._frames: list = []
        self._seq = 0
        self._epoch = 0  # failed requests so far: an answer lost may have held values the other side counts on

    # -- values -----------------------------------------------------------------------
    def encode(self, value: Any, frames: list | None = None) -> Any:
        return codec.Encoder(self._reference, buffers=frames, sent=self.sent).encode(value)

    def decode(self, data: Any, frames: list | None = None) -> Any:
        """Decode part of an answer (by default the last one, whose arrays arrived as its frames)."""
        return codec.Decoder(self._resolve, self._frames if frames is None else frames,
                             cache=self.held).decode(data)

    def _call_cpu(self, reported: Any, before: float | None) -> float | None:
        """The call's CPU time: the jail's, as the host accounts it, when it can be read (the
        request's own decoding and encoding included, a few milliseconds); otherwise what the
        kernel reported."""
        after = self.cpu_clock() if self.cpu_clock else None
        if before is not None and after is not None:
            return max(after - before, 0.0)
        return float(reported) if type(reported) is float and 0.0 <= reported < 1e9 else None

    def _reference(self, value: Any) -> dict:
        if isinstance(value, RemoteObject):
            if value._channel is not self:
                raise codec.WireError("an object from another notebook's kernel")
            return dict(value._ref)
        if isinstance(value, Portable):
            return {"$portable": value.source, "constants": self.encode(value.constants)}
        if callable(value):
            key = self.callback_keys.get(id(value))
            if key is None or self.callbacks.get(key) is not value:
                key = len(self.callbacks) + 1
                self.callbacks[key] = value
                self.callback_keys[id(value)] = key
            return {"$callback": key}
        raise codec.WireError(f"cannot pass a {type(value).__name__} to the student's code")

    def _resolve(self, ref: dict) -> Any:
        if "$handle" not in ref:
            raise codec.WireError("the sandbox sent a callback reference")
        return proxy_class(str(ref.get("type", "StudentObject")))(self, ref)

    # -- requests ---------------------------------------------------------------------
    def call(self, target: RemoteObject, args: tuple, kwargs: dict, repeat: int | None = None,
             fresh: list[bool] | None = None, cpu_limit: float | None = None) -> Any:
        """Call a student function as if locally: result, exception, warnings, side effects.
        With ``repeat``, call it that many times in one request and return the list of results;
        arguments marked in ``fresh`` (positional, then keyword) are rebuilt for every call.
        With ``cpu_limit``, the call is interrupted once the jail has used that many CPU seconds
        on it, and :class:`CpuLimitReached` is raised."""
        frames: list = []
        encoded_args = self.encode([list(args), kwargs], frames)
        errstate = {k: v for k, v in np.geterr().items() if k in _ERRSTATE_KEYS}
        cpu_before = self.cpu_clock() if self.cpu_clock else None
        watch = CpuWatch(self.cpu_clock, cpu_before, cpu_limit) \
            if cpu_limit is not None and cpu_before is not None and self.cpu_clock else None
        try:
            answer = self.request("call", frames, watch=watch, target=target._ref, args=encoded_args,
                                  errstate=errstate, repeat=repeat, fresh=fresh)
        except Exception:
            if watch is not None and watch.used_when_stopped is not None:
                raise CpuLimitReached(watch.used_when_stopped) from None
            raise
        if not isinstance(answer, dict):
            raise SandboxError("malformed call answer")
        self.last_cpu_seconds = self._call_cpu(answer.get("cpu_seconds"), cpu_before)
        if watch is not None and watch.used_when_stopped is not None:
            raise CpuLimitReached(max(watch.used_when_stopped, self.last_cpu_seconds or 0.0))
        if answer.get("global_rng_changed") is True:
            np.random.random()  # mirror: the student's call drew from NumPy's global generator
        after = self.decode(answer.get("args_after"))
        if isinstance(after, list) and len(after) == 2:
            mirror(list(args), after[0])
            mirror(kwargs, after[1])
        for warning in (answer.get("warnings") or [])[:20]:
            reemit_warning(warning)
        if "error" in answer:
            raise rebuild_exception(answer["error"])
        return self.decode(answer.get("result"))

    def value(self, op: str, **fields: Any) -> Any:
        """A request whose answer is one encoded value."""
        return self.decode(self.request(op, None, **fields))

    def request(self, op: str, frames: list | None = None, watch: CpuWatch | None = None, **fields: Any) -> Any:
        """Send one request; the agent's raw (still encoded) answer, its frames kept for :meth:`decode`."""
        if "target" in fields:
            fields["target"] = dict(fields["target"])
        self.requests += 1
        try:
            link = self._open()
            self._seq += 1
            seq = self._seq
            link.send({"seq": seq, "op": op, "epoch": self._epoch, **fields}, frames or [])
            while True:
                header, answer_frames = link.receive(watch=watch)
                if header.get("seq") == seq:
                    break
                if "callback" in header:
                    self._answer_callback(link, header, answer_frames)
                # anything else answers a request that already failed: dropped
        except SandboxError as exc:
            self._failed(exc)
            raise
        self._frames = answer_frames
        if "error" in header:
            raise rebuild_exception(header["error"])
        return header.get("ok")

    def close(self) -> None:
        """End this cell's serving session (the kernel is then free for the next cell)."""
        link, self._link = self._link, None
        if link is not None:
            try:
                link.end()
            except SandboxError:
                pass  # a kernel gone by now: the next cell reports it

    def take_failure(self) -> str | None:
        failure, self.failure = self.failure, None
        return failure

    def _open(self) -> GraderLink:
        if self._link is None:
            self._link = GraderLink(self.client, self.deadline)
        return self._link

    def _failed(self, exc: SandboxError) -> None:
        if str(exc).startswith("timed out") and self._link is not None:
            self._link.interrupt()
        if self.failure is None:
            self.failure = str(exc)
        self._epoch += 1
        self.sent, self.held = SentValues(), HeldValues()
        if isinstance(exc, LinkFailure):
            self.grader_fault = self.grader_fault or str(exc)
            if self._link is not None:
                self._link.close()
                self._link = None

    def _answer_callback(self, link: GraderLink, header: dict, frames: list) -> None:
        reply_frames: list = []
        try:
            function = self.callbacks[int(header["fn"])]
            args, kwargs = self.decode(header["args"], frames)
            reply = {"ok": self.encode(function(*args, **kwargs), reply_frames)}
        except SandboxError:
            raise  # a nested request failed: the whole call has
        except Exception as exc:  # noqa: BLE001 - reported to the caller inside the sandbox
            reply, reply_frames = {"error": f"{type(exc).__name__}: {exc}"[:2000]}, []
        link.send({"reply_to": header.get("callback"), **reply}, reply_frames)


def request_once(client, op: str, timeout: float, **fields: Any) -> Any:
    """One request in a session of its own (a warm kernel's ``enter``)."""
    import time
    until = time.monotonic() + timeout
    channel = Channel(client, lambda: until)
    try:
        return channel.request(op, **fields)
    finally:
        channel.close()
