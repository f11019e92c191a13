"""A zygote: one jailed Python per grading process that imports the kernel's libraries once and
forks every notebook's kernel from that state.

A kernel started from scratch pays 0.5-1 s of CPU to import ipykernel, NumPy, pyplot and the
rest before the student's first line; a forked one pays a few milliseconds. The zygote runs
inside a bubblewrap jail like a kernel's (read-only system, no network, no grader code), but
as root of its own user namespace so that each child can build a jail of its own:

- ``A`` (a child of the zygote) unshares PID, mount, network and IPC namespaces and forks ``B``;
  it waits for ``B`` and writes its exit status for the grader, as bubblewrap's exit status does.
- ``B`` is PID 1 of the new PID namespace. Once the grader has put it in the notebook's cgroup
  (the ``go`` request) it mounts a fresh ``/proc``, its own ``/tmp``, ``/dev/shm`` and home, binds
  its submission and run directories, hides every other kernel's files, makes the rest
  read-only, brings up loopback, sets the rlimits, enters a user namespace of its own as uid
  1000 and drops every capability. Then it forks ``C`` and reaps orphans, forwarding signals.
- ``C`` is the kernel: the same state any jailed kernel has, with the libraries already imported.

Siblings cannot see, signal or reach each other (separate PID, mount, network and IPC
namespaces); none of them can see the zygote. The protocol is JSON lines on stdin/stdout.
"""
from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import resource
import select
import signal
import sys
import traceback

from . import namespaces as ns
from .workdir import enter

HOME = "/home/student"
KERNEL_DIRS = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus")  # bubblewrap covers the same
JAIL_NOT_BUILT = 126  # the grader starts this kernel, and the next ones, with bubblewrap instead
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
FIRST = ["ipykernel.kernelapp", "course.grading.sandbox.jailed.agent"]


def main() -> None:
    # CPython's advice for a fork server: no collections in the parent (no holes in its pages),
    # everything frozen before each fork, collections on again in the child; so a kernel's
    # collector never walks, or copies, the pages of the libraries it inherited.
    gc.disable()
    requests, replies = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # a library's stray print must not corrupt the protocol
    # What ipykernel sets before any cell runs: matplotlib reads it once, when imported.
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in FIRST:
        importlib.import_module(name)
    later = list(json.loads(sys.argv[1])) if len(sys.argv) > 1 else []
    zygote = Zygote(requests, replies, _address_space())
    zygote.serve(later)


class Zygote:
    def __init__(self, requests: int, replies: int, baseline: int):
        self.requests, self.replies = requests, replies
        self.baseline = baseline           # address space with ipykernel alone, as a kernel starts
        self.go: dict[int, int] = {}       # request id -> write end of its B's go pipe
        self.spawned = 0
        self.buffer = b""

    def serve(self, preload: list[str]) -> None:
        while True:
            # From the second kernel on (a process grading one notebook never pays for them), and
            # one module at a time between requests, so that a fork never waits long.
            importing = preload and self.spawned >= 2
            ready, _, _ = select.select([self.requests], [], [], 0 if importing else 1.0)
            if not ready:
                if importing:
                    _try_import(preload.pop(0))
                self._reap()
                continue
            data = os.read(self.requests, 1 << 16)
            if not data:
                return  # the grader is gone
            self.buffer += data
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                self.handle(json.loads(line))
            self._reap()

    def handle(self, request: dict) -> None:
        op, rid = request["op"], request["id"]
        if op == "spawn":
            a, b = self.spawn(request)
            self._reply({"id": rid, "a": a, "b": b})
        elif op in ("go", "cancel") and rid in self.go:
            fd = self.go.pop(rid)
            if op == "go":
                os.write(fd, b"g")
            os.close(fd)

    def spawn(self, request: dict) -> tuple[int, int]:
        go_r, go_w = os.pipe()
        report_r, report_w = os.pipe()
        # A kernel started alone maps only what its notebook imports: the address-space limit
        # grows by what the zygote mapped beyond ipykernel, so a forked kernel never has less room.
        request["preloaded_bytes"] = max(0, _address_space() - self.baseline)
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            _exit_after(lambda: _child_a(request, go_r, report_w))
        os.close(go_r)
        os.close(report_w)
        with os.fdopen(report_r, "rb") as report:
            b = int(report.readline() or 0)
        self.go[request["id"]] = go_w
        self.spawned += 1
        return pid, b

    def _reply(self, message: dict) -> None:
        os.write(self.replies, json.dumps(message).encode() + b"\n")

    def _reap(self) -> None:
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass


def _address_space() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _try_import(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a kernel that needs it imports it (and sees the error) itself
        pass


def _exit_after(body) -> None:
    """Run a forked child's body and leave with ``os._exit``: never back into the zygote's loop."""
    code = 125
    try:
        code = body() or 0
    except BaseException:  # noqa: BLE001 - reported through the exit status
        traceback.print_exc()
    finally:
        os._exit(code)


def _child_a(request: dict, go_r: int, report_w: int) -> int:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    _close_all_but({go_r, report_w})
    status = os.open(os.path.join(request["dir"], "status"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    error_r, error_w = os.pipe()
    ns.unshare(ns.CLONE_NEWPID | ns.CLONE_NEWNS | ns.CLONE_NEWNET | ns.CLONE_NEWIPC)
    b = os.fork()
    if b == 0:
        os.close(report_w)
        os.close(status)
        os.close(error_r)
        _exit_after(lambda: _child_b(request, go_r, error_w))
    os.close(go_r)
    os.close(error_w)
    os.write(report_w, f"{b}\n".encode())
    os.close(report_w)
    _, wait_status = os.waitpid(b, 0)
    code = os.waitstatus_to_exitcode(wait_status)
    with os.fdopen(error_r, "rb") as errors:
        error = errors.read(4096).decode(errors="replace")
    os.write(status, json.dumps({"code": 128 - code if code < 0 else code, "error": error}).encode())
    return 0


def _child_b(request: dict, go_r: int, error_w: int) -> int:
    if os.read(go_r, 1) != b"g":
        return 0  # cancelled before it started
    os.close(go_r)
    try:
        _build_jail(request)
    except BaseException as exc:
        os.write(error_w, f"the jail could not be built: {exc}".encode()[:4000])
        return JAIL_NOT_BUILT
    os.close(error_w)
    c = os.fork()
    if c == 0:
        _exit_after(lambda: _kernel(request))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, lambda number, frame: _forward(c, number))
    while True:
        pid, wait_status = os.waitpid(-1, 0)
        if pid == c:
            code = os.waitstatus_to_exitcode(wait_status)
            return 128 - code if code < 0 else code


def _forward(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _build_jail(request: dict) -> None:
    limits = request["limits"]
    ns.mount(None, "/", None, ns.MS_REC | ns.MS_PRIVATE)
    run_dir = os.path.join(request["dir"], "run")
    run_fd = os.open(run_dir, os.O_PATH | os.O_DIRECTORY)
    submission_fd = os.open(os.path.join(request["dir"], "submission"), os.O_PATH | os.O_DIRECTORY)
    font = request.get("font")
    font_fd = os.open(font, os.O_PATH) if font and os.path.exists(font) else None
    ns.tmpfs("/tmp", limits["tmp"])
    if os.path.exists(request["root"]):  # not below /tmp: every kernel's files, this one's too, out of sight
        ns.tmpfs(request["root"], 1 << 20)
        os.makedirs(run_dir)
        ns.bind(f"/proc/self/fd/{run_fd}", run_dir, read_only=False)
        ns.remount_read_only(request["root"])
    else:
        os.makedirs(run_dir)
        ns.bind(f"/proc/self/fd/{run_fd}", run_dir, read_only=False)
    if font_fd is not None:
        os.makedirs(os.path.dirname(font))
        open(font, "w").close()
        ns.bind(f"/proc/self/fd/{font_fd}", font, read_only=True)
    ns.tmpfs(HOME, limits["home"])
    os.mkdir(os.path.join(HOME, ".submission"))
    ns.bind(f"/proc/self/fd/{submission_fd}", os.path.join(HOME, ".submission"), read_only=True)
    ns.tmpfs("/dev/shm", limits["tmp"], mode="1777")
    ns.mount("devpts", "/dev/pts", "devpts", ns.MS_NOSUID | ns.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")
    ns.mount("proc", "/proc", "proc", ns.MS_NOSUID | ns.MS_NODEV | ns.MS_NOEXEC)
    for path in KERNEL_DIRS:
        if os.path.exists(path):
            ns.bind(path, path, read_only=False)
            ns.remount_read_only(path, ns.MS_NOSUID | ns.MS_NODEV | ns.MS_NOEXEC)
    ns.remount_read_only("/dev")
    ns.remount_read_only("/")
    for fd in (run_fd, submission_fd, font_fd):
        if fd is not None:
            os.close(fd)
    ns.loopback_up()
    for name, (soft, hard) in limits["rlimits"].items():
        if name == "RLIMIT_AS":  # the libraries imported for it do not count against the student
            soft, hard = soft + request["preloaded_bytes"], hard + request["preloaded_bytes"]
        resource.setrlimit(getattr(resource, name), (soft, hard))
    ns.become_user(1000, 1000)
    ns.drop_capabilities()
    ns.prctl(ns.PR_SET_DUMPABLE, 0)  # the kernel below cannot ptrace its init
    ns.prctl(ns.PR_SET_PDEATHSIG, signal.SIGKILL)


def _kernel(request: dict) -> int:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    ns.prctl(ns.PR_SET_DUMPABLE, 1)
    gc.enable()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()  # forked siblings would otherwise draw the same "unseeded" numbers
    os.chdir(HOME)
    if request["work_dir"] != "-":
        enter(request["work_dir"])
    from course.grading.sandbox.jailed.agent import install
    install()
    from ipykernel import kernelapp
    sys.argv = [sys.argv[0]] + list(request["argv"])
    code = 0
    try:
        kernelapp.launch_new_instance()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        atexit._run_exitfuncs()
    finally:
        return code


def _close_all_but(keep: set[int]) -> None:
    for fd in sorted(int(name) for name in os.listdir("/proc/self/fd")):
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


if __name__ == "__main__":
    main()
