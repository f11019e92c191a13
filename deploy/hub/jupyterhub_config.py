"""JupyterHub for the course on one machine: system accounts, the course's environment, nbgrader's exchange.

deploy/hub/setup.sh installs this file as <PREFIX>/etc/jupyterhub_config.py beside hub.json (paths and
accounts); start the hub as root with <PREFIX>/venv/bin/jupyterhub -f <PREFIX>/etc/jupyterhub_config.py.
"""
import json
import os

c = get_config()  # noqa: F821
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "hub.json"), encoding="utf-8") as settings_file:
    settings = json.load(settings_file)
prefix = settings["prefix"]
venv_bin = os.path.join(prefix, "venv", "bin")
state = os.path.join(prefix, "state")

# Port 8000 on every interface: put TLS in front (c.JupyterHub.ssl_key / ssl_cert, or a reverse proxy).
c.JupyterHub.bind_url = "http://:8000"
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [os.path.join(prefix, "proxy", "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "jupyterhub-proxy.pid")

# The system accounts setup.sh made log in with their own passwords (PAM; set them with passwd).
# Nobody is a hub admin: an admin could open any student's server.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {settings["instructor"], *settings["students"]}

# Each user's JupyterLab runs as that user, from the course's environment, in their home
# (where nbgrader finds ~/.jupyter/nbgrader_config.py).
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(venv_bin, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.env_keep = ["LANG", "LC_ALL"]  # nothing else of the hub's (root's) environment
c.Spawner.environment = {"PATH": os.pathsep.join([venv_bin, "/usr/local/bin", "/usr/bin", "/bin"])}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
