"""The course's JupyterHub deployment (deploy/hub) for a test: set up, started on 127.0.0.1, torn down.

`make hub` with the test's own account names builds the deployment; the hub runs the deployed
configuration with two test-only changes: loopback ports, and one shared password for every account
(jupyterhub's SharedPasswordAuthenticator) instead of PAM.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from course import ROOT
from tests.browser.lab_server import BackgroundServer, free_port, write_lab_settings

PREFIX = Path("/opt/math-genai")
EXCHANGE = Path("/srv/nbgrader/exchange")
COURSE_ID = "math-genai"
VENV_BIN = PREFIX / "venv" / "bin"


def missing(in_ci: bool) -> str | None:
    """Why the hub cannot be deployed here, or None. In CI a missing npm is no reason: `make hub`
    installs Debian's."""
    if os.geteuid() != 0:
        return "the JupyterHub test creates system accounts: run it as root"
    if shutil.which("npm") is None and not in_ci:
        return "npm not found (the hub's proxy comes from npm): `sudo make hub` or apt-get install npm"
    return None


def already_deployed(accounts: list[str]) -> str | None:
    """A deployment or accounts the test would tear down that it did not make."""
    if (PREFIX / "etc" / "hub.json").exists():
        return f"a hub is already deployed in {PREFIX}; the test would remove it (make hub-teardown first)"
    taken = [name for name in accounts if _exists(name)]
    return f"accounts already exist: {', '.join(taken)}" if taken else None


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


def _make(target: str, instructor: str, students: list[str], log: Path) -> None:
    settings = [f"INSTRUCTOR={instructor}", f"STUDENTS={' '.join(students)}"]
    with log.open("a") as out:
        proc = subprocess.run(["make", "--no-print-directory", target, *settings], cwd=ROOT,
                              stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"make {target} exited {proc.returncode}:\n{log.read_text()[-6000:]}")


def deploy(instructor: str, students: list[str], log: Path) -> None:
    _make("hub", instructor, students, log)


def teardown(instructor: str, students: list[str], log: Path) -> None:
    _make("hub-teardown", instructor, students, log)


def home(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir)


def give(path: Path, user: str) -> None:
    """Hand a file the test wrote as root to ``user`` (and its new folders up to their home)."""
    entry = pwd.getpwnam(user)
    for part in [path, *path.parents]:
        if part == Path(entry.pw_dir):
            break
        os.chown(part, entry.pw_uid, entry.pw_gid)


def unattended_lab(user: str) -> None:
    """No news prompt over the page, every cell rendered: the user's own JupyterLab settings."""
    folder = home(user) / ".jupyter" / "lab" / "user-settings"
    write_lab_settings(folder)
    for path in folder.rglob("*"):
        give(path, user)


def run_as(user: str, *command: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``command`` as ``user`` with the environment the hub gives their server."""
    env = {"HOME": str(home(user)), "USER": user, "LANG": "C.UTF-8",
           "PATH": os.pathsep.join([str(VENV_BIN), "/usr/local/bin", "/usr/bin", "/bin"])}
    return subprocess.run(["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()),
                           *command], cwd=cwd or home(user), capture_output=True, text=True)


TEST_CONFIG = '''\
# The deployed hub, on loopback ports, with one shared password (tests only).
c = get_config()  # noqa: F821
load_subconfig({deployed!r})  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
'''


class Hub(BackgroundServer):
    """The deployed JupyterHub, run as root from the deployment's environment."""

    name = "jupyterhub"

    def __init__(self, folder: Path):
        super().__init__(folder / "jupyterhub.log")
        self.folder, self.port, self.password = folder, free_port(), secrets.token_hex(12)
        self.config = folder / "jupyterhub_config.py"
        self.config.write_text(TEST_CONFIG.format(
            deployed=str(PREFIX / "etc" / "jupyterhub_config.py"), port=self.port, hub_port=free_port(),
            proxy_api_port=free_port(), password=self.password), encoding="utf-8")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [str(VENV_BIN / "jupyterhub"), "-f", str(self.config)]

    def ready_url(self) -> str:
        return f"{self.base}/hub/api"

    def __enter__(self) -> "Hub":
        env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "HOME": "/root"}
        self.launch(self.folder, env, timeout=120)
        return self


def log_in(page, hub: Hub, user: str) -> str:
    """The hub's login form; returns the user's server URL once JupyterLab is up (the hub spawns it)."""
    from playwright.sync_api import expect

    page.goto(f"{hub.base}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    server = f"{hub.base}/user/{user}"
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=240_000)  # spawned: JupyterLab
    return server
