"""The jail a student's kernel runs in: bubblewrap namespaces, rlimits and a cgroup.

The kernel sees a read-only Python environment, the sandbox's in-jail code (``jailed/`` and
``wire/``; no other tooling, no graders, no solutions, no course files), a size-capped writable home holding a copy of its own
submission, and a run directory for its Jupyter sockets. It has no network (its own empty
network namespace, loopback included), its own PID namespace (every process it starts dies
with it), no capabilities, and limits on memory, CPU time, file size, open files and, where
a cgroup is available, the number of processes and total memory.
"""
from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from course.grading.sandbox import jailed, wire

from . import cgroups

SANDBOX_HOME = "/home/student"
JAIL_PYTHONPATH = "/opt/course-sandbox"     # where the jailed packages are mounted inside
JAILED_PARENT = jailed.__name__.rpartition(".")[0]   # their parent packages, empty inside the jail


class SandboxUnavailable(RuntimeError):
    """This machine cannot run the jail; grading refuses to go on without it unless told to."""


@dataclasses.dataclass
class Limits:
    memory_bytes: int = 3 * 2**30
    cpu_seconds: int = 900
    max_processes: int = 64
    file_bytes: int = 256 * 2**20
    home_bytes: int = 512 * 2**20
    tmp_bytes: int = 256 * 2**20
    open_files: int = 256


def probe() -> str | None:
    """None when bubblewrap can build the jail here, else the reason it cannot."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` (make sandbox-deps)"
    try:
        run = subprocess.run([bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if run.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {run.stderr.strip()[:300]}"
    return None


class Jail:
    """One notebook's jail: its run directory, cgroup and the command that starts its kernel."""

    def __init__(self, submission_dir: str | None, limits: Limits, submitted_dir: str | None = None,
                 zygote=None):
        """``submission_dir`` None makes a jail for a kernel started ahead of its notebook
        (a warm kernel): :meth:`stage` gives it the files later, before any cell runs.
        With a ``zygote`` (:class:`~.zygote.Zygote`) the kernel is forked from it instead of
        started by its own bubblewrap, and the jail's files live where the zygote sees them."""
        self.limits = limits
        self.zygote = zygote
        self._parent = tempfile.mkdtemp(prefix="k-" if zygote else "course-sandbox-",
                                        dir=zygote.root if zygote else None)
        self.run_dir = os.path.join(self._parent, "run")
        os.mkdir(self.run_dir)
        os.chmod(self.run_dir, 0o777)  # the jailed user creates its sockets here; the parent stays 0700
        self.submission_dir = os.path.join(self._parent, "submission")
        os.mkdir(self.submission_dir)  # bound read-only in the jail; staged files appear there
        self.work_dir: str | None = None
        self.skipped: list[str] = []
        if submission_dir is not None:
            self.stage(submission_dir, submitted_dir)
        self.cgroups = cgroups.make_cgroups(limits)

    def stage(self, submission_dir: str, submitted_dir: str | None = None) -> str:
        """Copy the notebook's folder in (see :func:`_stage`); the kernel's working directory."""
        self.skipped = _stage(os.path.abspath(submission_dir), self.submission_dir, submitted_dir)
        self.work_dir = f"{SANDBOX_HOME}/{os.path.basename(os.path.abspath(submission_dir)) or 'work'}"
        return self.work_dir

    def command(self, kernel_argv: list[str]) -> list[str]:
        """Wrap ``kernel_argv`` (run inside the jail) in cgroup entry, rlimits and bwrap."""
        rlimits = ["prlimit"] + [f"--{name.lower()[7:]}={soft}:{hard}" for name, (soft, hard) in self.rlimits().items()]
        # If the grader itself dies (killed worker, crash), the jail goes with it.
        deathsig = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
        argv = deathsig + rlimits + ["--"] + self._bwrap() + ["--"] + kernel_argv
        if self.cgroups:
            enter = " && ".join(f"echo $$ > {cg}/cgroup.procs" for cg in self.cgroups)
            argv = ["/bin/sh", "-c", f'{enter} && exec "$@"', "course-sandbox"] + argv
        return argv

    def rlimits(self) -> dict[str, tuple[int, int]]:
        """The kernel's rlimits by ``resource`` name: (soft, hard)."""
        limits = self.limits
        found = {"RLIMIT_AS": (limits.memory_bytes, limits.memory_bytes),
                 "RLIMIT_CPU": (limits.cpu_seconds, limits.cpu_seconds + 5),
                 "RLIMIT_FSIZE": (limits.file_bytes, limits.file_bytes),
                 "RLIMIT_NOFILE": (limits.open_files, limits.open_files), "RLIMIT_CORE": (0, 0)}
        if not self.cgroups and os.geteuid() != 0:
            nproc = limits.max_processes + cgroups.user_process_count()
            found["RLIMIT_NPROC"] = (nproc, nproc)
        return found

    def _bwrap(self) -> list[str]:
        args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--hostname", "sandbox", "--uid", "1000", "--gid", "1000",
                "--proc", "/proc", "--dev", "/dev",
                "--size", str(self.limits.tmp_bytes), "--tmpfs", "/tmp",
                "--size", str(self.limits.home_bytes), "--tmpfs", SANDBOX_HOME]
        args += system_mounts()
        args += jailed_packages(self._parent)
        args += ["--ro-bind", self.submission_dir, f"{SANDBOX_HOME}/.submission",
                 "--bind", self.run_dir, self.run_dir]
        font_cache = _matplotlib_font_cache()
        if font_cache:
            args += ["--ro-bind", font_cache, f"/tmp/matplotlib/{os.path.basename(font_cache)}"]
        args += ["--chdir", SANDBOX_HOME, "--clearenv"]
        for key, value in self.environment().items():
            args += ["--setenv", key, value]
        return args

    def environment(self) -> dict[str, str]:
        return jail_environment()

    def kill_all(self) -> None:
        """SIGKILL every process the notebook started (the PID namespace does the rest)."""
        for cg in self.cgroups:
            for pid in cgroups.pids(cg):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def memory_killed(self) -> bool:
        return any(cgroups.memory_killed(cg) for cg in self.cgroups)

    def close(self) -> None:
        self.kill_all()
        for cg in self.cgroups:
            for _ in range(50):
                try:
                    os.rmdir(cg)
                    break
                except FileNotFoundError:
                    break  # closed before
                except OSError:
                    self.kill_all()
                    import time
                    time.sleep(0.05)
        shutil.rmtree(self._parent, ignore_errors=True)


def system_mounts() -> list[str]:
    """The read-only system every jail sees: the OS's libraries and the Python environment."""
    args: list[str] = []
    for top in ("/bin", "/lib", "/lib32", "/lib64", "/sbin"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--ro-bind", "/usr", "/usr"]
    for path in ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives"):
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    for path in _python_roots():
        args += ["--ro-bind", path, path]
    return args


def jailed_packages(parent: str) -> list[str]:
    """Mount only the code that runs inside (``jailed/`` and ``wire/``), under empty parent packages.

    The folders bound are those of the modules this grader imported, and the kernel imports
    them from ``PYTHONPATH`` ahead of any installed copy: both sides run the same files even when
    the course directory holds another copy of ``course/`` than the one installed."""
    skeleton = os.path.join(parent, "packages")
    inner = os.path.join(skeleton, *JAILED_PARENT.split("."))
    args = ["--ro-bind", skeleton, JAIL_PYTHONPATH]
    for package in (jailed, wire):
        name = package.__name__.rpartition(".")[2]
        os.makedirs(os.path.join(inner, name), exist_ok=True)
        args += ["--ro-bind", os.path.dirname(os.path.abspath(package.__file__)),
                 os.path.join(JAIL_PYTHONPATH, *JAILED_PARENT.split("."), name)]
    path = skeleton
    for part in JAILED_PARENT.split("."):
        path = os.path.join(path, part)
        Path(path, "__init__.py").touch()
    return args


def jail_environment() -> dict[str, str]:
    return {
        "PYTHONPATH": JAIL_PYTHONPATH,
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
        "HOME": SANDBOX_HOME,
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "PYTHONNOUSERSITE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": "autograde",
        "COURSE_SANDBOX": "1",
    }


def _stage(source: str, target: str, submitted: str | None) -> list[str]:
    """Copy the notebook's directory for the jail, leaving out what the student submitted as a
    symlink (nbgrader copies the link's target, which may be any file the grader can read)."""
    skipped = []
    for root, dirs, files in os.walk(source):
        rel_root = os.path.relpath(root, source)
        os.makedirs(os.path.join(target, rel_root), exist_ok=True)
        for name in files:
            rel = os.path.normpath(os.path.join(rel_root, name))
            origin = os.path.join(submitted, rel) if submitted else None
            if name.endswith(".ipynb"):
                continue  # the graded notebook holds the restored hidden tests
            if os.path.islink(os.path.join(root, name)) or (origin and _through_link(submitted, rel)):
                skipped.append(rel)
                continue
            shutil.copyfile(os.path.join(root, name), os.path.join(target, rel))
    return skipped


def _through_link(base: str, rel: str) -> bool:
    path = base
    for part in rel.split(os.sep):
        path = os.path.join(path, part)
        if os.path.islink(path):
            return True
    return False


def _python_roots() -> list[str]:
    roots = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), os.path.realpath(sys.exec_prefix)}
    return sorted(r for r in roots if r not in ("/usr", "/") and not r.startswith("/usr/"))


def _matplotlib_font_cache() -> str | None:
    # Where matplotlib keeps it unless configured otherwise: found there without importing
    # matplotlib (a quarter of a second before every first kernel of a worker).
    default = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    found = sorted(glob.glob(os.path.join(default, "fontlist-*.json")))
    if found:
        return found[-1]
    try:
        import matplotlib
        import matplotlib.font_manager  # noqa: F401 - builds the cache once, here, if missing
        found = sorted(glob.glob(os.path.join(matplotlib.get_cachedir(), "fontlist-*.json")))
        return found[-1] if found else None
    except Exception:  # noqa: BLE001 - without a cache the kernel builds its own, slower
        return None
