"""Run the stock nbgrader command line against a course directory.

Everything that claims grading works goes through here: the real
``nbgrader`` apps in a subprocess, reading the course's own config.
"""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course import ROOT

SCRATCH_CONFIG = '''\
# A scratch course (demo or test run): the course's real config, rooted here.
import os
c = get_config()  # noqa: F821
load_subconfig({root_config!r})  # noqa: F821
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.Exchange.root = os.path.join(c.CourseDirectory.root, "exchange")
'''


class NbgraderError(RuntimeError):
    """An nbgrader command exited non-zero; the message holds its output."""


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` with ``course`` as working directory."""
    # nbgrader shells out to `alembic` (gradebook migrations): put this environment's
    # scripts first on PATH even when the venv is not activated.
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
               PYTHONWARNINGS="ignore::DeprecationWarning")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} exited {proc.returncode} in {course}\n"
                            f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc


def make_scratch_course(path: Path) -> Path:
    """A course directory that shares ``source/`` and the config but has its own state."""
    path.mkdir(parents=True, exist_ok=True)
    link = path / "source"
    if not link.exists():
        link.symlink_to(ROOT / "source", target_is_directory=True)
    config = SCRATCH_CONFIG.format(root_config=str(ROOT / "nbgrader_config.py"))
    (path / "nbgrader_config.py").write_text(config, encoding="utf-8")
    gradebook = path / "gradebook.db"
    if not gradebook.exists():
        shutil.copyfile(_empty_gradebook(), gradebook)
    return path


@functools.cache
def _empty_gradebook() -> str:
    """An empty gradebook made by nbgrader itself, once per process, for every scratch course.

    A new gradebook makes nbgrader run ``alembic heads`` in a subprocess (about 1.2 s of CPU) to
    stamp a version that is the same every time; a copy of this one is what that would make."""
    from nbgrader.api import Gradebook
    folder = tempfile.mkdtemp(prefix="course-gradebook-")
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "gradebook.db")
    saved = os.environ.get("PATH", "")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + saved  # nbgrader calls `alembic`
    try:
        Gradebook(f"sqlite:///{path}").close()
    finally:
        os.environ["PATH"] = saved
    return path
