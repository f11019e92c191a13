"""The agent's end of a test cell's socket: answer the grader until it says ``end``.

Runs on the kernel's main thread inside the one execute_request the grader sent for the
cell (see ``wire/protocol.py``), so student code is called exactly where a cell would call
it. A grader function the student's code calls (a callback) is a message to the grader;
while its answer is pending, requests the grader makes from inside that function are
served here too. An interrupt (the grader's timeout) never stops the loop by itself.
"""
from __future__ import annotations

from typing import Any

import zmq

from course.grading.sandbox.wire import codec, protocol


class SessionEnded(BaseException):
    """The grader ended the cell while the student's code waited for one of its functions."""


class AgentLink:
    def __init__(self, agent, path: str, token: str):
        self.agent = agent
        self.ended = False
        self._callbacks = 0
        self.socket = zmq.Context.instance().socket(zmq.PAIR)
        self.socket.linger = 0
        self.socket.connect("ipc://" + path)
        self._send({"hello": token}, [])

    def serve(self) -> None:
        try:
            self._serve_until(None)
        finally:
            self.socket.close(linger=0)

    def call_back(self, function_key: int, args: tuple, kwargs: dict) -> Any:
        """Call the grader's function ``function_key`` and return its (decoded) answer."""
        self._callbacks += 1
        key = self._callbacks
        frames: list = []
        encoded = codec.Encoder(self.agent.handle, frames).encode([list(args), kwargs])
        self._send({"callback": key, "fn": function_key, "args": encoded}, frames)
        header, reply_frames = self._serve_until(key)
        if "error" in header:
            raise RuntimeError(f"the grader's function raised {header['error']}")
        return self.agent.decode(header.get("ok"), reply_frames)

    def _serve_until(self, callback_key: int | None) -> tuple[dict, list]:
        while not self.ended:
            header, frames = self._receive()
            if header.get("op") == protocol.END:
                self.ended = True
            elif "seq" in header and "op" in header:
                answer, answer_frames = self.agent.answer(header, frames)
                self._send({"seq": header["seq"], **answer}, answer_frames)
            elif callback_key is not None and header.get("reply_to") == callback_key:
                return header, frames
        if callback_key is not None:
            raise SessionEnded("the grader stopped waiting for this call")
        return {}, []

    def _receive(self) -> tuple[dict, list]:
        while True:
            try:
                parts = self.socket.recv_multipart()
            except KeyboardInterrupt:
                continue  # an interrupt meant for a call that has already returned
            try:
                header = codec.loads(parts[0])
            except (ValueError, codec.WireError):
                continue
            if isinstance(header, dict):
                return header, parts[1:protocol.MAX_FRAMES + 1]

    def _send(self, header: dict, frames: list) -> None:
        try:
            text = codec.dumps(header)
        except (TypeError, ValueError) as exc:
            text, frames = codec.dumps({k: header[k] for k in ("seq",) if k in header} |
                                       {"error": {"type": "WireError", "chain": ["ValueError"],
                                                  "message": str(exc)[:2000]}}), []
        try:
            self.socket.send_multipart([text.encode(), *frames], flags=zmq.NOBLOCK)
        except zmq.ZMQError:
            pass  # the grader has gone: it reports the missing answer itself
