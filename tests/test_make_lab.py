"""`make lab` serves this course in JupyterLab with nbgrader's extensions, as root (CI,
containers: Jupyter refuses root without --allow-root) and as an ordinary user (who must not
be handed --allow-root). The server is the Makefile's own command, reached over HTTP."""
from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
import urllib.request
from pathlib import Path

import pytest

from course import ROOT
from tests.browser.lab_server import BackgroundServer, free_port

pytestmark = pytest.mark.pipeline

NOBODY = 65534


class MakeLab(BackgroundServer):
    """``make lab`` on a free port with a token, run as ``uid`` (None: as this process)."""

    name = "make lab"

    def __init__(self, home: Path, uid: int | None):
        super().__init__(home / "lab.log")
        self.home, self.uid = home, uid
        self.port, self.token = free_port(), secrets.token_hex(16)

    def command(self) -> list[str]:
        args = (f"LAB_ARGS=--ServerApp.ip=127.0.0.1 --ServerApp.port={self.port} --ServerApp.port_retries=0 "
                f"--IdentityProvider.token={self.token} --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
        as_user = [] if self.uid is None else ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups"]
        return [*as_user, "make", "--no-print-directory", "lab", args]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def ready_url(self) -> str:
        return self.url("api/status")

    def __enter__(self) -> "MakeLab":
        return self.start()

    def start(self) -> "MakeLab":
        dirs = {name: self.home / name.lower() for name in
                ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
        for path in [self.home, *dirs.values()]:
            path.mkdir(parents=True, exist_ok=True)
            if self.uid is not None:
                os.chown(path, self.uid, self.uid)
        env = dict(os.environ, HOME=str(self.home), **{name: str(path) for name, path in dirs.items()})
        self.launch(ROOT, env, timeout=120)
        return self

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            return response.read().decode("utf-8", errors="replace")


def _readable_by_others(path: Path) -> bool:
    """Every folder above ``path`` can be entered, and ``path`` read, by any user."""
    path = Path(os.path.realpath(path))
    for folder in path.parents:
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return False
    return bool(os.stat(path).st_mode & stat.S_IROTH)


LAUNCH = "jupyter lab --no-browser"  # the Makefile's command, as make echoes it in the log


def test_make_lab_serves_lab_with_nbgrader_as_root(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("runs as root only (as CI and containers do)")
    with MakeLab(tmp_path / "root", None) as lab:
        assert "@jupyter/nbgrader" in lab.get("lab")  # the page lists the lab extensions it loads
    assert f"{LAUNCH} --allow-root" in lab.log()


def test_make_lab_serves_lab_with_nbgrader_as_an_ordinary_user():
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to another user")
    python = Path(os.path.realpath(ROOT / ".venv" / "bin" / "python"))
    if not (_readable_by_others(ROOT / "Makefile") and _readable_by_others(python)):
        pytest.skip(f"another user cannot reach this clone or its Python ({python})")
    home = Path(tempfile.mkdtemp(prefix="course-lab-user-"))  # pytest's own folders are root's alone
    try:
        with MakeLab(home, NOBODY) as lab:
            assert "@jupyter/nbgrader" in lab.get("lab")  # the page lists the lab extensions it loads
        assert LAUNCH in lab.log() and "--allow-root" not in lab.log()
    finally:
        shutil.rmtree(home, ignore_errors=True)
