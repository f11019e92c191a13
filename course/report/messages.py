"""The one line that says why a test cell failed, taken from its outputs.

Shared by the report (failure rates grouped by message) and ``course validate``
(which test failed and why), so both speak the same language: a course check's
``CheckFailed`` message as written for the student, any other exception as
``Type: message``, never the traceback.
"""
from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
MAX_LENGTH = 200


def failure_message(cell, full: bool = False) -> str:
    """Why graded ``cell`` lost points: the first line, or all of it with ``full``."""
    if cell.get("cell_type") != "code":
        return "no response yet"
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = exception_text(output.get("ename", ""), output.get("evalue", ""))
            return text if full else first_line(text)
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = _ANSI.sub("", output.get("text", "")).strip()
            if text:
                return text if full else first_line(text)
    return "partial credit: passed some but not all of the tests"


def exception_text(ename: str, evalue: str) -> str:
    """A course check's message stands alone; other exceptions keep their type."""
    evalue = _ANSI.sub("", evalue or "").strip()
    if ename == "NotImplementedError" and not evalue:
        return "NotImplementedError: not answered yet (the stub still raises it)"
    if ename == "CheckFailed" and evalue:
        return evalue
    return f"{ename}: {evalue}" if evalue else ename


def first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= MAX_LENGTH else line[:MAX_LENGTH - 3] + "..."


UNANSWERED = "NotImplementedError"


def is_unanswered(message: str) -> bool:
    """A stub left as handed out (``raise NotImplementedError()``), not a mistake in an answer."""
    return message.startswith(UNANSWERED) or "not implemented yet" in message.lower()
