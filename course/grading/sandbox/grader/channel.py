"""Requests from the grader to the agent in the student's kernel, over the Jupyter protocol.

Each request is one silent execute_request running ``__course_agent__.serve(...)``; the
answer is the display message of the agent's MIME type. While a call runs, the agent may
call the grader's functions back through input requests on the stdin channel. Every
request has a deadline; on expiry the kernel is interrupted and the call fails.
"""
from __future__ import annotations

import asyncio
import queue
import time
from typing import Any, Callable

import numpy as np
from jupyter_core.utils import run_sync

from course.grading.sandbox.wire import codec
from course.grading.sandbox.wire.protocol import CALLBACK_PROMPT, RESULT_MIME
from .remote import Portable, RemoteObject, SandboxError, mirror, proxy_class, rebuild_exception, reemit_warning


class Channel:
    """The grader's end of the conversation with one sandboxed kernel."""

    def __init__(self, client, deadline: Callable[[], float]):
        self.client = client          # the nbclient NotebookClient running the notebook
        self.deadline = deadline      # absolute time.monotonic() by which a request must finish
        self.callbacks: dict[int, Callable] = {}
        self.sent_arrays: set[str] = set()
        self.requests = 0

    # -- values -----------------------------------------------------------------------
    def encode(self, value: Any) -> Any:
        return codec.Encoder(self._reference, sent=self.sent_arrays).encode(value)

    def decode(self, data: Any) -> Any:
        """Decode part of the last answer (its arrays arrived as that message's frames)."""
        return codec.Decoder(self._resolve, getattr(self, "_frames", [])).decode(data)

    def _reference(self, value: Any) -> dict:
        if isinstance(value, RemoteObject):
            if value._channel is not self:
                raise codec.WireError("an object from another notebook's kernel")
            return dict(value._ref)
        if isinstance(value, Portable):
            return {"$portable": value.source, "constants": self.encode(value.constants)}
        if callable(value):
            key = len(self.callbacks) + 1
            self.callbacks[key] = value
            return {"$callback": key}
        raise codec.WireError(f"cannot pass a {type(value).__name__} to the student's code")

    def _resolve(self, ref: dict) -> Any:
        if "$handle" not in ref:
            raise codec.WireError("the sandbox sent a callback reference")
        return proxy_class(str(ref.get("type", "StudentObject")))(self, ref)

    # -- requests ---------------------------------------------------------------------
    def call(self, target: RemoteObject, args: tuple, kwargs: dict, repeat: int | None = None) -> Any:
        """Call a student function as if locally: result, exception, warnings, side effects.
        With ``repeat``, call it that many times in one request and return the list of results."""
        encoded_args = self.encode([list(args), kwargs])
        errstate = {k: v for k, v in np.geterr().items() if k in ("over", "under", "divide", "invalid")}
        answer = self.request("call", target=target._ref, args=encoded_args, errstate=errstate, repeat=repeat)
        if not isinstance(answer, dict):
            raise SandboxError("malformed call answer")
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
        return self.decode(self.request(op, **fields))

    def request(self, op: str, **fields: Any) -> Any:
        """Send one request; the agent's raw (still encoded) answer."""
        if "target" in fields:
            fields["target"] = dict(fields["target"])
        text = codec.dumps({"op": op, **fields})
        self.requests += 1
        reply = run_sync(self._roundtrip)(text)
        if "error" in reply:
            raise rebuild_exception(reply["error"])
        return reply.get("ok")

    async def _roundtrip(self, request_text: str) -> dict:
        kc = self.client.kc
        if kc is None:
            raise SandboxError("the student's kernel is not running")
        code = f"__course_agent__.serve({request_text!r})"
        msg_id = kc.execute(code, silent=False, store_history=False, allow_stdin=True)
        result_text, frames = None, []
        iopub = asyncio.ensure_future(kc.get_iopub_msg())
        stdin = asyncio.ensure_future(kc.get_stdin_msg())
        try:
            while True:
                remaining = self.deadline() - time.monotonic()
                if remaining <= 0:
                    await self._interrupt()
                    raise SandboxError("timed out: the student's code did not return within the time limit")
                done, _ = await asyncio.wait({iopub, stdin}, timeout=min(remaining, 2.0),
                                             return_when=asyncio.FIRST_COMPLETED)
                if not done:
                    if not await self.client.km.is_alive():
                        raise SandboxError("the student's kernel died")
                    continue
                if stdin in done:
                    await self._answer_input(stdin.result(), msg_id)
                    stdin = asyncio.ensure_future(kc.get_stdin_msg())
                if iopub in done:
                    msg = iopub.result()
                    iopub = asyncio.ensure_future(kc.get_iopub_msg())
                    if msg.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    kind, content = msg.get("msg_type"), msg.get("content", {})
                    if kind == "display_data" and RESULT_MIME in content.get("data", {}):
                        result_text = content["data"][RESULT_MIME]
                        frames = list(msg.get("buffers") or [])
                    elif kind == "status" and content.get("execution_state") == "idle":
                        break
        finally:
            for task in (iopub, stdin):
                task.cancel()
        await self._drain_reply(kc, msg_id)
        if not isinstance(result_text, str):
            raise SandboxError("the student's kernel sent no answer (was the grading agent removed?)")
        try:
            reply = codec.loads(result_text)
        except (ValueError, codec.WireError) as exc:
            raise SandboxError(f"unreadable answer from the sandbox: {exc}") from None
        if not isinstance(reply, dict):
            raise SandboxError("malformed answer from the sandbox")
        self._frames = frames
        return reply

    async def _drain_reply(self, kc, msg_id: str) -> None:
        """Take this request's execute_reply off the shell channel. Left unread, replies pile up
        to ZMQ's high-water mark (1000), after which the kernel drops new ones, a later
        cell's own reply included: nbclient would then wait out the cell's whole timeout."""
        deadline = time.monotonic() + 5
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                msg = await kc.get_shell_msg(timeout=remaining)
            except queue.Empty:
                return
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return

    async def _answer_input(self, msg: dict, msg_id: str) -> None:
        prompt = msg.get("content", {}).get("prompt", "")
        if msg.get("parent_header", {}).get("msg_id") != msg_id or not prompt.startswith(CALLBACK_PROMPT):
            self.client.kc.input("")
            return
        try:
            request = codec.loads(prompt[len(CALLBACK_PROMPT):])
            function = self.callbacks[int(request["callback"])]
            args, kwargs = self.decode(request["args"])
            reply = {"ok": self.encode(function(*args, **kwargs))}
        except Exception as exc:  # noqa: BLE001 - reported to the caller inside the sandbox
            reply = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
        self.client.kc.input(codec.dumps(reply))

    async def _interrupt(self) -> None:
        try:
            await self.client.km.interrupt_kernel()
        except Exception:  # noqa: BLE001 - the executor kills the jail if this fails
            pass
