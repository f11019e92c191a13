"""The grader's kernel client reads a reply whose wake-up the client's own send took.

This is the stall nbclient hits on ipywidgets cells: the cell's ``execute_reply`` reaches
the shell socket while nbclient waits for it, and before the event loop runs, nbclient's
Output widget sends a ``comm_msg`` on that socket. ``Session.send`` sends through a plain
shadow of the asyncio socket, which consumes the socket's edge-triggered notification
without telling pyzmq's asyncio layer, so the pending wait sleeps until its timeout.
"""
import asyncio
import os
import time
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from course.grading.sandbox.grader.kernel import SandboxKernelManager
from course.grading.sandbox.grader.kernel_client import SLICE, GraderKernelClient, SlicedChannel


async def _wait_while_the_client_sends(channel_class, timeout: float) -> tuple[float, dict | None]:
    """Wait for a reply on a DEALER (the client's shell socket) that a ROUTER (the kernel) sends;
    after it arrives and before the loop runs, the client sends on its socket."""
    url = f"ipc:///tmp/course-kernel-client-{os.getpid()}"
    context = zmq.asyncio.Context()
    shell = context.socket(zmq.DEALER)
    shell.connect(url)
    kernel = zmq.Context.instance().socket(zmq.ROUTER)
    kernel.bind(url)
    session = Session(key=b"")
    try:
        session.send(shell, "kernel_info_request", {})
        identity = kernel.recv_multipart()[0]
        channel = channel_class(shell, session)
        started = time.monotonic()
        waiting = asyncio.ensure_future(channel.get_msg(timeout=timeout))
        await asyncio.sleep(0.05)  # the wait is registered with the loop
        session.send(kernel, "execute_reply", {"status": "ok"}, ident=identity)
        time.sleep(0.05)  # the reply arrives; the loop has not run since
        session.send(shell, "comm_msg", {"comm_id": "output-widget", "data": {}})
        try:
            msg = await waiting
        except Empty:
            msg = None
        return time.monotonic() - started, msg
    finally:
        shell.close(0)
        kernel.close(0)
        context.term()
        if os.path.exists(url[len("ipc://"):]):
            os.unlink(url[len("ipc://"):])


def test_a_reply_that_arrives_before_the_client_sends_is_read_at_the_next_slice():
    took, msg = asyncio.run(_wait_while_the_client_sends(SlicedChannel, timeout=10))
    assert msg is not None and msg["msg_type"] == "execute_reply"
    assert took < 0.1 + SLICE + 1.0, f"the message was read after {took:.1f} s"


def test_the_stock_channel_sleeps_through_that_reply_until_its_timeout():
    """Why the sliced client exists: if this starts failing, pyzmq or jupyter_client no longer
    lose the wake-up, and kernel_client.py can go."""
    took, _ = asyncio.run(_wait_while_the_client_sends(AsyncZMQSocketChannel, timeout=2))
    assert took >= 2  # (the poll's own timeout then finds the reply, as nbclient's did after 120 s)


@pytest.mark.pipeline
def test_the_sandboxed_execute_step_waits_with_the_sliced_client_on_both_channels():
    """Through the real step and jail: for a long time it did not (jupyter_client builds clients
    with ``client_factory``, which the kernel manager's ``client_class`` did not change), and
    project2's widget cell lost 120 s, unrecorded, in two of three suite runs."""
    from tests.faults import ClientProbe  # noqa: F401 - the class the step runs, by path
    from tests.test_sandbox_channel import STUDENT, _run
    nb = _run([STUDENT, "x = 1"], {}, execute_class="tests.faults.ClientProbe")
    assert "client GraderKernelClient, shell SlicedChannel, iopub SlicedChannel" in \
        nb.metadata["course_grading"]["notes"], nb.metadata["course_grading"]


def test_a_warm_kernel_manager_makes_the_sliced_client():
    client = SandboxKernelManager().client()
    assert isinstance(client, GraderKernelClient)
    assert isinstance(client.shell_channel, SlicedChannel) and isinstance(client.iopub_channel, SlicedChannel)


@pytest.mark.parametrize("timeout", [0.0, 0.3])
def test_a_wait_with_no_message_still_ends_at_its_timeout(timeout):
    async def wait():
        context = zmq.asyncio.Context()
        receiver = context.socket(zmq.PAIR)
        receiver.bind("inproc://nothing")  # nothing ever sends
        try:
            started = time.monotonic()
            with pytest.raises(Empty):
                await SlicedChannel(receiver, Session(key=b"")).get_msg(timeout=timeout)
            return time.monotonic() - started
        finally:
            receiver.close(0)
            context.term()
    took = asyncio.run(wait())
    assert timeout <= took < timeout + SLICE + 0.5
