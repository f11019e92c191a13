"""The scaffolding around one hostile autograde run: a scratch course with planted secrets,
listeners that must stay silent, fingerprints of files that must not change, and readers
for what grading recorded.

Everything the attacks may touch lives in the scratch course or in an ``outside`` folder
of the test's tmp directory; the repository itself is only read (and hashed).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from course import ROOT
from course.nbgrader_run import make_scratch_course, nbgrader
from harness.fixtures import unsandboxed
from course.report.scores import gradebook_url

A = "ps01_vectors"

# The suite must not wait the course's 120 s per cell for every runaway attack: a
# short per-cell timeout for the scratch course, under both the stock Execute and
# the sandbox's replacement (traitlets ignores a section no class reads).
CONFIG_OVERRIDES = '''
# Attack suite: runaway cells are cut after a few seconds, not the course's 120 s.
c.Execute.timeout = {timeout}
c.SandboxedExecute.timeout = {timeout}
c.SandboxedExecute.kill_grace = 3
'''

# ATTACKS_STOCK=1: grade with stock nbgrader's autograde steps instead of the course's
# (harness.fixtures.unsandboxed), to see which attacks the suite catches without the sandbox.

# Repository files that no grading run may change (hashed before and after): those the
# attacks aim at (only ps01's, so that editing another assignment meanwhile is no failure).
REPO_PATHS = ["nbgrader_config.py", f"source/{A}", f"release/{A}", "graders/__init__.py", "graders/checks.py",
              f"graders/{A}.py", "solutions/__init__.py", f"solutions/{A}.py"]
# Scratch-course files that no grading run may change.
COURSE_PATHS = ["nbgrader_config.py", "source", "release", "graders", "solutions"]


@dataclass
class Secrets:
    """Marker strings planted where a submission must not reach; all share one random token."""
    token: str

    def marker(self, place: str) -> str:
        return f"SECRET-{place}-{self.token}"


@dataclass
class Stage:
    """Paths and values the attacks are rendered with."""
    root: Path              # tmp root of the run
    course: Path            # the scratch course
    outside: Path           # a host folder outside the course (planted secret, escape target)
    secrets: Secrets
    tag: str                # put in argv/proc names of every process an attack starts
    port: int = 0
    unix_socket: Path | None = None

    def substitutions(self) -> dict[str, str]:
        return {"__COURSE__": str(self.course), "__REPO__": str(ROOT), "__OUTSIDE__": str(self.outside),
                "__PORT__": str(self.port), "__SOCK__": str(self.unix_socket), "__TAG__": self.tag}

    def render(self, code: str) -> str:
        for key, value in self.substitutions().items():
            code = code.replace(key, value)
        return code


def build_course(stage: Stage, timeout: int) -> None:
    """Scratch course with its own copies of source/, graders/ and solutions/, each carrying a marker."""
    course, secrets = stage.course, stage.secrets
    course.mkdir(parents=True)
    shutil.copytree(ROOT / "source" / A, course / "source" / A)
    _plant_in_source(course / "source" / A / f"{A}.ipynb", secrets.marker("source"))
    for package in ("graders", "solutions"):
        shutil.copytree(ROOT / package, course / package, ignore=shutil.ignore_patterns("__pycache__"))
        with (course / package / f"{A}.py").open("a", encoding="utf-8") as f:
            f.write(f"\n# {secrets.marker(package)}\n")
    make_scratch_course(course)  # source/ exists, so it stays a copy (never a link to the repository)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as f:
        f.write(CONFIG_OVERRIDES.format(timeout=timeout))
    if os.environ.get("ATTACKS_STOCK"):
        unsandboxed(course)
    nbgrader(course, "generate_assignment", A)
    stage.outside.mkdir(parents=True)
    (stage.outside / "host_secret.txt").write_text(secrets.marker("host") + "\n", encoding="utf-8")


def _plant_in_source(path: Path, marker: str) -> None:
    """A comment inside the first solution region: present in source/, absent from every release."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and "### BEGIN SOLUTION" in cell.source:
            cell.source = cell.source.replace("### BEGIN SOLUTION", f"### BEGIN SOLUTION\n    # {marker}", 1)
            break
    nbformat.write(nb, path)


def register_students(course: Path, students: list[str], secrets: Secrets) -> None:
    """Students exist in the gradebook before grading; the honest one's record holds a marker."""
    with Gradebook(gradebook_url(course)) as gb:
        for student in students:
            extra = {"last_name": secrets.marker("gradebook")} if student == "honest" else {}
            gb.update_or_create_student(student, **extra)


def fingerprint(base: Path, paths: list[str]) -> dict[str, str]:
    """relative path -> sha256 (or link target) of every file under ``paths`` (caches excluded)."""
    prints = {}
    for rel in paths:
        top = base / rel
        files = [top] if top.is_file() or top.is_symlink() else sorted(top.rglob("*")) if top.exists() else []
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc" or path.is_dir():
                continue
            key = str(path.relative_to(base))
            prints[key] = ("link:" + os.readlink(path)) if path.is_symlink() else sha256(path.read_bytes())
        if not top.exists():
            prints[rel] = "absent"
    return prints


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Listeners:
    """A TCP listener on loopback and a unix socket outside the course; both must stay silent."""
    stage: Stage
    contacts: list[str] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> "Listeners":
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind(("127.0.0.1", 0))
        tcp.listen(16)
        self.stage.port = tcp.getsockname()[1]
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.stage.unix_socket = self.stage.outside / "listener.sock"
        unix.bind(str(self.stage.unix_socket))
        unix.listen(16)
        for sock, name in ((tcp, "tcp"), (unix, "unix")):
            sock.settimeout(0.2)
            self._sockets.append(sock)
            threading.Thread(target=self._accept, args=(sock, name), daemon=True).start()
        return self

    def _accept(self, sock: socket.socket, name: str) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
            except (TimeoutError, socket.timeout, OSError):
                continue
            conn.settimeout(1)
            try:
                data = conn.recv(200)
            except OSError:
                data = b""
            conn.close()
            self.contacts.append(f"{name}: {data[:80]!r}")

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for sock in self._sockets:
            sock.close()


@dataclass
class Run:
    seconds: float
    returncode: int | None   # None: killed by the suite's own hard limit
    log: str


def autograde(course: Path, env: dict[str, str], hard_limit: float) -> Run:
    """``nbgrader autograde`` as an instructor runs it, killed (whole session) past ``hard_limit``.

    The course's own ``graders`` copy comes first on PYTHONPATH: grading uses the snapshot
    taken for this run (the one whose files must stay unchanged), not the live repository.
    """
    bindir = os.path.dirname(sys.executable)
    full_env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                    PYTHONWARNINGS="ignore::DeprecationWarning", PYTHONPATH=str(course), **env)
    start = time.monotonic()
    log = course / "autograde.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", A], cwd=course, env=full_env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout=hard_limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = None
    return Run(time.monotonic() - start, code, log.read_text(errors="replace")[-20000:])


def processes_with(*needles: str) -> dict[int, str]:
    """pid -> command line of live processes whose argv, name or environment holds a needle."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            comm = (entry / "comm").read_text(errors="replace").strip()
            environ = (entry / "environ").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if any(n in cmdline or n in comm or n in environ for n in needles):
            found[int(entry.name)] = f"[{comm}] {cmdline[:200]}"
    return found


def kill_all(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def grading_status(course: Path, student: str) -> tuple[str, list[str]]:
    """The brief's convention: ("missing" | "ungraded" | "error" | "graded", reasons)."""
    reasons = []
    nb_path = course / "autograded" / student / A / f"{A}.ipynb"
    if nb_path.exists():
        try:
            meta = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {})
            grading = meta.get("course_grading") or {}
            if grading.get("status") == "error":
                reasons += [str(r) for r in grading.get("reasons", [])] or ["(no reason given)"]
        except (ValueError, OSError):
            pass
    with Gradebook(gradebook_url(course)) as gb:
        try:
            submission = gb.find_submission(A, student)
        except MissingEntry:
            return "missing", reasons
        graded = True
        for nb in submission.notebooks:
            for comment in nb.comments:
                if (comment.auto_comment or "").startswith("Grading error: "):
                    reasons.append(comment.auto_comment[len("Grading error: "):])
            autograded = {c.name for c in nb.notebook.grade_cells} - {c.name for c in nb.notebook.solution_cells}
            graded &= all(g.auto_score is not None for g in nb.grades if g.name in autograded)
    if reasons:
        return "error", reasons
    return ("graded" if graded else "ungraded"), reasons


def manual_scores(course: Path) -> list[str]:
    """student/cell of every grade holding a manual score: nobody graded by hand in this run."""
    found = []
    with Gradebook(gradebook_url(course)) as gb:
        for submission in gb.assignment_submissions(A):
            for nb in submission.notebooks:
                found += [f"{submission.student_id}/{g.name}={g.manual_score}" for g in nb.grades
                          if g.manual_score is not None]
    return found


def output_text(nb_path: Path) -> str:
    """Everything the cells of an autograded notebook printed or returned (sources excluded)."""
    if not nb_path.exists():
        return ""
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8", errors="replace"))
    except ValueError:
        return nb_path.read_text(encoding="utf-8", errors="replace")
    parts = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out))
    return "\n".join(parts)
