"""The grader's side of the zygote (:mod:`course.grading.sandbox.jailed.zygote`): start it, ask
it for kernels, and hold each kernel as a process handle jupyter_client can poll and signal.

One zygote serves a grading process: it is started on the first kernel and imports the
libraries notebooks use while the first notebooks run, so later kernels start with them
already imported. A kernel forked from it gets the same jail as one bubblewrap starts
(:class:`~.jail.Jail`), its rlimits, and its place in the notebook's cgroup before any of its
code runs. Where the zygote cannot run, kernels start the old way, each in its own bubblewrap.
"""
from __future__ import annotations

import atexit
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from .jail import SANDBOX_HOME, _matplotlib_font_cache, jail_environment, jailed_packages, system_mounts

ZYGOTE_MODULE = "course.grading.sandbox.jailed.zygote"
PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot", "scipy.special", "scipy.stats", "sympy"]
REPLY_SECONDS = 60
JAIL_NOT_BUILT = 126  # the exit status of a fork whose jail could not be built (its error says why)


class ZygoteFailed(RuntimeError):
    """The zygote could not start or stopped answering: kernels start without it."""


class Zygote:
    def __init__(self, preload: list[str]):
        self.owner = os.getpid()  # a forked grader process must not share the zygote's pipes
        self.root = tempfile.mkdtemp(prefix="course-zygote-")
        self.font = _matplotlib_font_cache()
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.log = open(os.path.join(self.root, "zygote.log"), "wb")
        deathsig = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
        argv = deathsig + self._bwrap() + ["--", sys.executable, "-m", ZYGOTE_MODULE, json.dumps(preload)]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        self.buffer = b""

    def _bwrap(self) -> list[str]:
        args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--unshare-user", "--die-with-parent",
                "--new-session", "--uid", "0", "--gid", "0", "--cap-add", "ALL", "--hostname", "sandbox",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", SANDBOX_HOME]
        args += system_mounts() + jailed_packages(self.root)
        args += ["--bind", self.root, self.root]
        if self.font:
            args += ["--ro-bind", self.font, self._font_inside()]
        args += ["--chdir", "/", "--clearenv"]
        for key, value in jail_environment().items():
            args += ["--setenv", key, value]
        return args

    def _font_inside(self) -> str | None:
        return f"/tmp/matplotlib/{os.path.basename(self.font)}" if self.font else None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def spawn(self, jail, argv: list[str], work_dir: str | None) -> "KernelProcess":
        """Fork a kernel into ``jail`` (made with this zygote) running IPython with ``argv``."""
        rid = next(self.ids)
        request = self._request(rid, jail, argv, work_dir)
        with self.lock:
            self._send(request)
            reply = self._receive(rid)
        try:
            pid_a, pid_b = self._host_pids(reply["a"], reply["b"])
            process = KernelProcess(pid_a, pid_b, os.path.join(jail._parent, "status"))
            for cg in jail.cgroups:
                with open(os.path.join(cg, "cgroup.procs"), "w") as handle:
                    handle.write(str(pid_b))
        except BaseException as exc:
            with self.lock:
                self._send({"op": "cancel", "id": rid})
            if isinstance(exc, OSError):  # e.g. no pidfd on an older Linux: bubblewrap still works
                raise ZygoteFailed(f"a forked kernel cannot be held here: {exc}") from None
            raise
        with self.lock:
            self._send({"op": "go", "id": rid})
        return process

    def _request(self, rid: int, jail, argv: list[str], work_dir: str | None) -> dict:
        return {"op": "spawn", "id": rid, "root": self.root, "dir": jail._parent, "work_dir": work_dir or "-",
                "argv": argv, "font": self._font_inside(),
                "limits": {"tmp": jail.limits.tmp_bytes, "home": jail.limits.home_bytes, "rlimits": jail.rlimits()}}

    def _send(self, message: dict) -> None:
        try:
            self.proc.stdin.write(json.dumps(message).encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise ZygoteFailed(f"the zygote is gone: {exc}") from None

    def _receive(self, rid: int) -> dict:
        deadline = time.monotonic() + REPLY_SECONDS
        out = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([out], [], [], remaining)[0]:
                raise ZygoteFailed("the zygote did not answer")
            data = os.read(out, 1 << 16)
            if not data:
                raise ZygoteFailed("the zygote is gone")
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\n", 1)
        reply = json.loads(line)
        if reply.get("id") != rid:
            raise ZygoteFailed(f"the zygote answered {reply!r} to request {rid}")
        return reply

    def _host_pids(self, a: int, b: int) -> tuple[int, int]:
        """The host's PIDs of the zygote's children ``a`` and ``b`` (given in the zygote's namespace)."""
        from .jail_cpu import descendants
        found = {}
        for pid in descendants(self.proc.pid):
            nspid = _nspid(pid)  # [host, zygote's namespace, (the kernel's own)]
            if len(nspid) >= 2 and nspid[1] in (a, b):
                found[nspid[1]] = pid
        if a not in found or b not in found:
            raise ZygoteFailed(f"the zygote's kernel processes {a}, {b} are not to be found")
        return found[a], found[b]

    def stop(self) -> None:
        """End the zygote (its kernels end with it); the jails' folders stay for their owners to close."""
        if self.alive():
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.log):
            stream.close()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _nspid(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("NSpid:"):
                    return [int(v) for v in line.split()[1:]]
    except OSError:
        pass
    return []


class KernelProcess:
    """A forked kernel as jupyter_client's provisioner uses a ``Popen``: ``pid`` is the init of
    the kernel's PID namespace, which passes signals on to the kernel and, killed, ends every
    process of the namespace; the exit status is the kernel's (128 + N for signal N)."""

    stdin = stdout = stderr = None

    def __init__(self, pid_a: int, pid_b: int, status_path: str):
        self.pid = pid_b
        self._exited = os.pidfd_open(pid_a)     # A, which writes the status, then exits
        self._init = os.pidfd_open(pid_b)
        self._status_path = status_path
        self.returncode: int | None = None
        self.error = ""

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._exited], [], [], 0)[0]:
            self._read_status()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._exited], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired("kernel", timeout)
            self._read_status()
        return self.returncode

    def _read_status(self) -> None:
        try:
            with open(self._status_path) as handle:
                status = json.loads(handle.read() or "{}")
        except (OSError, ValueError):
            status = {}
        self.returncode = int(status.get("code", 128 + signal.SIGKILL))
        self.error = str(status.get("error", ""))
        self._close()

    def _close(self) -> None:
        for fd in (self._exited, self._init):
            try:
                os.close(fd)
            except OSError:
                pass
        self._exited = self._init = -1

    def __del__(self) -> None:
        if getattr(self, "_init", -1) >= 0:
            self._close()

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            try:
                signal.pidfd_send_signal(self._init, number)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


_zygote: Zygote | None = None
_failed = False
_lock = threading.Lock()


def shared_zygote(preload: list[str] | None = None) -> Zygote | None:
    """This process's zygote, started on first use; None where it cannot run here."""
    global _zygote, _failed
    with _lock:
        if _zygote is not None and _zygote.owner != os.getpid():
            _zygote = None  # inherited through a fork: the parent's, left alone
        if _zygote is not None and not _zygote.alive():
            _zygote.close()
            _zygote = None
        if _zygote is None and not _failed:
            try:
                _zygote = Zygote(PRELOAD if preload is None else preload)
                atexit.register(_close_if_mine, _zygote)
            except OSError:
                _failed = True
        return _zygote


def _close_if_mine(zygote: Zygote) -> None:
    if zygote.owner == os.getpid():
        zygote.close()


def give_up(zygote: Zygote) -> None:
    """The zygote failed: this process starts its kernels without one from now on."""
    global _zygote, _failed
    with _lock:
        _failed = True
        if _zygote is zygote:
            _zygote = None
    zygote.stop()  # closed at exit: the jail that asked for the kernel still holds its folder in it
