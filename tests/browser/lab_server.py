"""A JupyterLab server for one test: 127.0.0.1, a free port, a token, its own process group.

Everything Jupyter writes for the user (config, workspaces, runtime files,
IPython profile) goes to a temporary directory, never the real home; the
extensions installed in the venv (nbgrader's lab and server extensions) are
still found through the environment's own ``etc/jupyter`` and ``share/jupyter``.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BackgroundServer:
    """A server process for one test in its own session, its log in a file; use as a context manager
    so it (and everything it started) dies with the test. Subclasses say how to start it."""

    name = "server"

    def __init__(self, log: Path):
        self.log_path = Path(log)
        self.proc: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready_url(self) -> str:
        raise NotImplementedError

    def launch(self, cwd: Path, env: dict[str, str], timeout: float) -> None:
        """Start ``command()`` and wait until ``ready_url()`` answers 200."""
        self.log_file = self.log_path.open("w")
        self.proc = subprocess.Popen(self.command(), cwd=cwd, env=env, stdout=self.log_file,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.stop()
                raise RuntimeError(f"{self.name} exited {code}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.ready_url(), timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"{self.name} did not answer within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop the server and everything it started (kernels, spawned servers) by killing its process
        group and then every descendant it had."""
        if self.proc is None:
            return
        # Kernels and spawned servers run in sessions of their own: remember them before the server goes.
        children = psutil.Process(self.proc.pid).children(recursive=True) if self.proc.poll() is None else []
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        finally:
            self.proc = None
            self.log_file.close()
            _kill_survivors(children)

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        if exc_type is not None:  # pytest shows this with the failure
            print(f"--- {self.name} log ---\n{self.log()}")


class LabServer(BackgroundServer):
    """``jupyter lab`` serving ``root`` (also its working directory, where nbgrader looks for
    ``nbgrader_config.py``) on 127.0.0.1, a free port, a token."""

    name = "jupyter lab"

    def __init__(self, root: Path, user_dir: Path, log: Path, config_path: Path | None = None):
        """``config_path``: an extra Jupyter config folder (``JUPYTER_CONFIG_PATH``), as the
        Makefile's ``lab`` and ``student-lab`` pass ``jupyter/instructor`` or ``jupyter/student``."""
        super().__init__(log)
        self.root, self.user_dir = Path(root), Path(user_dir)
        self.config_path = config_path
        self.port, self.token = free_port(), secrets.token_hex(16)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def environment(self) -> dict[str, str]:
        bindir = os.path.dirname(sys.executable)
        dirs = {name: self.user_dir / name.lower() for name in
                ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        write_lab_settings(dirs["JUPYTER_CONFIG_DIR"] / "lab" / "user-settings")
        extra = {"JUPYTER_CONFIG_PATH": str(self.config_path)} if self.config_path else {}
        return dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), **extra,
                    PYTHONWARNINGS="ignore::DeprecationWarning",
                    **{name: str(path) for name, path in dirs.items()})

    def command(self) -> list[str]:
        return [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]

    def ready_url(self) -> str:
        return self.url("api/status")

    def start(self, timeout: float = 90) -> "LabServer":
        self.launch(self.root, self.environment(), timeout)
        return self

    def __enter__(self) -> "LabServer":
        return self.start()


# Lab settings for an unattended browser: no "get Jupyter news?" prompt over the page,
# and every notebook cell rendered (no windowing) so tests can reach any cell.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def write_lab_settings(folder: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def _kill_survivors(processes: list[psutil.Process]) -> None:
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(processes, timeout=5)
