"""JupyterLab's Validate button, answered with ``course validate``'s verdict (a server-side hook).

nbgrader's lab extension shows, for each failing cell, the cell's whole source
and then its error, so the reason sits screens down; a blank answer adds a
block each. This Jupyter server extension answers the same request
(``/assignments/validate``) with one block per failure: the check's grade id
and the one-line reason ``course validate`` prints. The lab extension is
stock nbgrader's; only its server's reply changes. Loaded before nbgrader's
own handler (server extensions load in alphabetical order), it takes the
route; a notebook it cannot validate falls back to nbgrader's reply.

The dialog's success text ("Success! Your notebook passes all the tests.") is fixed in
the lab extension, and the visible tests are all Validate runs. The extension also serves
JupyterLab's custom stylesheet (``LabApp.custom_css``, set in ``jupyter/student`` and
``jupyter/instructor``), which adds that the hidden tests run at grading below it; a
``custom/custom.css`` in the user's Jupyter config folder still applies, after it.

    jupyter lab --ServerApp.jpserver_extensions='{"course.lab_validate": True}'
"""
from __future__ import annotations

import textwrap
from html import escape
from pathlib import Path

from jupyter_server.utils import url_path_join
from tornado.web import RequestHandler
from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler

from .validate import RecordingValidator, Verdict, validate_notebook

WIDTH = 88
SUCCESS_NOTE = "Validate ran the visible tests only: the hidden tests run when your notebook is graded."
CUSTOM_CSS = (f"/* course.lab_validate: what a successful Validate covered */\n"
              f"#validation-message.validation-success::after {{ content: \"{SUCCESS_NOTE}\"; display: block; "
              f"margin-top: .6em; }}\n")


def dialog_value(verdict: Verdict) -> dict:
    """The reply nbgrader's Validate dialog renders: {} is its "Success!" message."""
    if verdict.changed:
        return {"changed": [{"source": f"{grade_id}: this test cell was edited; grading uses the "
                                       "original (undo the edit, or copy your answers into a fresh copy)"}
                            for grade_id in verdict.changed]}
    if verdict.failed:
        return {"failed": [{"source": grade_id, "error": escape(_wrap(why)),
                            "raw_error": why} for grade_id, why in verdict.failed]}
    return {}


def _wrap(text: str) -> str:
    first, *rest = text.splitlines() or [""]
    lines = textwrap.wrap(first, WIDTH, subsequent_indent="    ") + rest[:8]
    return "\n".join(lines)


class CourseValidateHandler(ValidateAssignmentHandler):
    """nbgrader's handler (same checks on the path, same config loading), course validate's verdict."""

    def validate_notebook(self, path):
        root = Path(self.root_dir).resolve()
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            return super().validate_notebook(path)  # raises nbgrader's 403
        try:
            verdict = validate_notebook(RecordingValidator(config=self.load_config()), str(target))
        except Exception:  # noqa: BLE001 - old metadata, unreadable file, dead kernel: nbgrader's messages
            return super().validate_notebook(path)
        if verdict.type_changed:
            return super().validate_notebook(path)  # nbgrader's dialog names the old and new types
        return {"success": True, "value": dialog_value(verdict)}


class CustomCssHandler(RequestHandler):
    """``/custom/custom.css``: the course's note, then the user's own custom.css if there is one."""

    def initialize(self, user_css: Path) -> None:
        self.user_css = user_css

    def get(self) -> None:
        own = self.user_css.read_text(encoding="utf-8", errors="replace") if self.user_css.is_file() else ""
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(CUSTOM_CSS + own)


def _jupyter_server_extension_points():
    return [{"module": "course.lab_validate"}]


def _load_jupyter_server_extension(serverapp) -> None:
    webapp = serverapp.web_app
    webapp.settings["root_dir"] = serverapp.root_dir
    route = url_path_join(webapp.settings["base_url"], r"/assignments/validate")
    css = url_path_join(webapp.settings["base_url"], r"/custom/custom.css")
    webapp.add_handlers(".*$", [(route, CourseValidateHandler),
                                (css, CustomCssHandler, {"user_css": Path(serverapp.config_dir) / "custom" / "custom.css"})])
