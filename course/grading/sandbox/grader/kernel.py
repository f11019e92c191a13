"""A Jupyter kernel manager that starts the kernel inside a Jail, talking over Unix sockets.

TCP would need a network the jail does not have; IPC sockets live in the jail's run
directory, the one path both sides share.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import zmq
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any, DottedObjectName, Type

from .jail_cpu import descendants
from .kernel_client import CLIENT_CLASS, GraderKernelClient
from .zygote import JAIL_NOT_BUILT, KernelProcess, ZygoteFailed, give_up

BOOT_MODULE = "course.grading.sandbox.jailed.boot"


class SandboxKernelManager(AsyncKernelManager):
    jail = Any(None)
    # Both: jupyter_client builds clients with ``client_factory``, whose default in
    # AsyncKernelManager is fixed, and which follows ``client_class`` only when that is changed.
    client_class = DottedObjectName(CLIENT_CLASS)
    client_factory = Type(GraderKernelClient)

    async def _async_pre_start_kernel(self, **kw):
        self.transport = "ipc"
        self.cache_ports = False
        self.ip = os.path.join(self.jail.run_dir, "kernel")
        self.connection_file = os.path.join(self.jail.run_dir, "kernel.json")
        kw.pop("cwd", None)
        # The kernel's own stdout/stderr never reach the grader's terminal (or disk).
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        # bwrap's own PID 1 keeps the environment it was started with, readable in the jail
        # as /proc/1/environ: start the whole chain with nothing of the grader's environment.
        kw["env"] = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        return cmd, kw

    def format_kernel_cmd(self, extra_arguments=None):
        inner = [sys.executable, "-m", BOOT_MODULE, self.jail.work_dir or "-", *self._ipython_argv()]
        return self.jail.command(inner)

    def _ipython_argv(self) -> list[str]:
        return ["-f", self.connection_file, "--HistoryManager.hist_file=:memory:"]

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        """Connect only once the kernel's sockets exist, and never reconnect: a socket path the
        jailed kernel replaced by a symlink must not lead the grader to another host socket."""
        forked = self._launch_from_zygote()
        if not forked:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        await self._wait_for_sockets()
        process = self.provisioner.process
        if forked and process.poll() == JAIL_NOT_BUILT and process.error:  # this machine refuses the zygote's mounts
            self.log.warning("course sandbox: kernels start without the zygote from now on: %s", process.error)
            give_up(self.jail.zygote)
            await super()._async_launch_kernel(kernel_cmd, **kw)
            await self._wait_for_sockets()
        self.context.setsockopt(zmq.RECONNECT_IVL, -1)

    async def _wait_for_sockets(self) -> None:
        ports = (self.shell_port, self.iopub_port, self.stdin_port, self.control_port, self.hb_port)
        paths = [f"{self.ip}-{port}" for port in ports]
        deadline = time.monotonic() + 60
        while not all(os.path.exists(p) for p in paths) and time.monotonic() < deadline:
            if self.provisioner is not None and await self.provisioner.poll() is not None:
                break
            await asyncio.sleep(0.02)

    def _launch_from_zygote(self) -> bool:
        """Fork the kernel from the jail's zygote; False (start it with bubblewrap) without one."""
        zygote = self.jail.zygote
        if zygote is None:
            return False
        try:
            process = zygote.spawn(self.jail, self._ipython_argv(), self.jail.work_dir)
        except ZygoteFailed as exc:
            self.log.warning("course sandbox: kernels start without the zygote from now on: %s", exc)
            give_up(zygote)
            return False
        self.provisioner.process, self.provisioner.pid, self.provisioner.pgid = process, process.pid, None
        self._reconcile_connection_info(self.provisioner.connection_info)
        return True

    async def _async_interrupt_kernel(self) -> None:
        """SIGINT the jailed kernel itself: bwrap does not forward signals into its namespace.
        The kernel is the process *running* the boot module: the bwrap processes above it name
        that module in their arguments too, and a SIGINT sent to one of them interrupts nothing."""
        process = getattr(self.provisioner, "process", None)
        if process is None:
            return
        if isinstance(process, KernelProcess):
            process.send_signal(signal.SIGINT)  # its namespace's init passes it on to the kernel
            return
        for pid in descendants(process.pid):
            if is_kernel_process(pid):
                try:
                    os.kill(pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
                return

    interrupt_kernel = _async_interrupt_kernel



def is_kernel_process(pid: int) -> bool:
    """Whether ``pid`` is this Python running ``-m`` :data:`BOOT_MODULE` (not a launcher naming it)."""
    return _argv(pid) == [sys.executable, "-m", BOOT_MODULE]


def _argv(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return [a.decode(errors="replace") for a in handle.read().split(b"\0")[:3]]
    except OSError:
        return []
