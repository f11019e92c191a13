"""What both sides of the sandbox agree on besides the codec: message markers and portable functions.

The grader side and the in-jail agent import these names from here, so neither side
imports the other.
"""
from __future__ import annotations

from typing import Any

import numpy as np


class WireError(ValueError):
    """The other side sent something that is not valid plain data."""


RESULT_MIME = "application/x-course-rpc+json"   # the agent's answer, as a display message
CALLBACK_PROMPT = "\x00course-callback:"         # a student-side call back into the grader


def build_portable(source: str, constants: dict) -> Any:
    """Rebuild a grader's small formula (``Portable``) from its source, on either side."""
    namespace = {"np": np, **constants}
    return eval(compile(source, "<grader function>", "eval"), namespace)  # noqa: S307 - grader source
