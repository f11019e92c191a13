"""The grader's end of one test cell's socket to the agent (protocol: :mod:`..wire.protocol`).

The grader binds, the agent connects: the grader never follows a path in the jail's run
directory, so a socket file the student's code replaced or symlinked cannot redirect it.
The socket's name is random, and every wait has a deadline and watches the kernel: a dead
kernel or an agent that stopped serving ends the wait at once with a reason.
"""
from __future__ import annotations

import os
import queue
import secrets
import time
from typing import Callable

import zmq
from jupyter_core.utils import run_sync

from course.grading.sandbox.wire import codec, protocol

from .remote import SandboxError

WATCH_SLICE = 0.05  # seconds between CPU-limit checks: a stopped call overshoots its limit by about this


class LinkFailure(SandboxError):
    """The channel itself failed (not the student's code): the grade of this cell is the grader's error."""


class GraderLink:
    """One serving session: a bound PAIR socket and the execute_request that runs the agent's loop."""

    def __init__(self, client, deadline: Callable[[], float]):
        self.client, self.deadline = client, deadline
        kc = client.kc
        if kc is None:
            raise SandboxError("the student's kernel is not running")
        run_dir = client.km.jail.run_dir
        self.path = os.path.join(run_dir, protocol.SOCKET_PREFIX + secrets.token_hex(8))
        token = secrets.token_hex(16)
        self.socket = zmq.Context.instance().socket(zmq.PAIR)
        self.socket.linger = 0
        self.socket.setsockopt(zmq.MAXMSGSIZE, codec.MAX_BYTES)
        self.socket.bind("ipc://" + self.path)
        self.serve_id = kc.execute(f"__course_agent__.serve_socket({self.path!r}, {token!r})",
                                   silent=False, store_history=False, allow_stdin=False)
        self.serving = True
        hello_by = min(self.deadline(), time.monotonic() + protocol.HELLO_TIMEOUT)
        try:
            header, _ = self.receive(lambda: hello_by, waiting_for="to start serving")
        except SandboxError as exc:
            self.close()
            raise LinkFailure(f"the grading agent did not start: {exc}") from None
        if header.get("hello") != token:
            self.close()
            raise LinkFailure("the grading agent answered with a wrong greeting")

    def send(self, header: dict, frames: list) -> None:
        try:
            self.socket.send_multipart([codec.dumps(header).encode(), *frames], flags=zmq.NOBLOCK)
        except zmq.ZMQError as exc:
            raise LinkFailure(f"could not send to the grading agent: {exc}") from None

    def receive(self, deadline: Callable[[], float] | None = None, waiting_for: str = "to answer",
                watch=None) -> tuple[dict, list]:
        """The next message (header, frames); SandboxError on timeout, kernel death or a bad message.
        ``watch`` (a CpuWatch) is asked every WATCH_SLICE whether to interrupt the call now."""
        deadline = deadline or self.deadline
        every = protocol.POLL_SLICE if watch is None else WATCH_SLICE
        while True:
            remaining = deadline() - time.monotonic()
            if remaining <= 0:
                raise SandboxError(f"timed out: the student's code did not return within the time limit "
                                   f"(waiting for the sandbox {waiting_for})")
            if self.socket.poll(int(1000 * min(remaining, every))):
                return self._read()
            if watch is not None and watch.due():
                self.interrupt()  # the call raises KeyboardInterrupt; its answer still comes back
            if not self.kernel_alive():
                raise SandboxError("the student's kernel died")
            if self.serving and self._serve_finished(0.01):
                raise LinkFailure("the grading agent stopped serving (was it removed?)")

    def _read(self) -> tuple[dict, list]:
        try:
            parts = self.socket.recv_multipart(flags=zmq.NOBLOCK)
        except zmq.ZMQError as exc:
            raise LinkFailure(f"could not read from the grading agent: {exc}") from None
        if len(parts) > protocol.MAX_FRAMES + 1:
            raise LinkFailure("the sandbox sent too many frames")
        try:
            header = codec.loads(parts[0])
        except (ValueError, codec.WireError) as exc:
            raise LinkFailure(f"unreadable answer from the sandbox: {exc}") from None
        if not isinstance(header, dict):
            raise LinkFailure("malformed answer from the sandbox")
        return header, parts[1:]

    def interrupt(self) -> None:
        try:
            run_sync(self.client.km.interrupt_kernel)()
        except Exception:  # noqa: BLE001 - the executor kills the jail if this fails
            pass

    def kernel_alive(self) -> bool:
        process = getattr(getattr(self.client.km, "provisioner", None), "process", None)
        return process is None or process.poll() is None

    def _serve_finished(self, timeout: float) -> bool:
        """Whether the serve-loop's execute_reply arrived (other replies on the shell are stale)."""
        kc = self.client.kc
        end = time.monotonic() + timeout
        while (remaining := end - time.monotonic()) >= 0:
            try:
                msg = run_sync(kc.get_shell_msg)(timeout=max(remaining, 0.001))
            except queue.Empty:
                return False
            if msg.get("parent_header", {}).get("msg_id") == self.serve_id:
                self.serving = False
                return True
        return False

    def end(self) -> None:
        """Tell the agent's loop to return. Not waited for: the kernel runs its next request (a
        student cell, the next test cell's loop) after this one in any case, and a loop that
        does not stop shows as that request's timeout."""
        try:
            if self.serving:
                self.send({"op": protocol.END}, [])
        finally:
            self.close(linger_ms=2000)  # the end message still leaves after the socket is closed

    def close(self, linger_ms: int = 0) -> None:
        self.socket.close(linger=linger_ms)
        try:
            os.unlink(self.path)
        except OSError:
            pass

