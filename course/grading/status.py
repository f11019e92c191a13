"""The grading-status contract: why a notebook's grade is not the whole story, in one place.

Three stages meet here. The sandboxed execute step records a notebook's trouble in
``nb.metadata[KEY]`` (``{"status": "ok"|"error", "reasons": [...], "notes": [...]}``) and in
``resources[KEY]``; the gradebook step writes it next to the affected answers as an auto
comment (:func:`error_comment`); the report and exports read both back (:func:`reasons_in_comment`,
:func:`notebook_errors`) and give each submission one :class:`Status`. A submitted notebook's
own copy of ``KEY`` is never believed: it is reset when grading starts.
"""
from __future__ import annotations

import dataclasses
import enum

KEY = "course_grading"
ERROR_PREFIX = "Grading error: "
_SEPARATOR = "; "


class Status(enum.StrEnum):
    """A submission's state in reports and exports; only ``graded`` carries a score to import."""
    GRADED = "graded"        # autograded, no grading error
    ERROR = "error"          # grading hit an error: the score is incomplete
    UNGRADED = "ungraded"    # submitted, no autograded record yet
    MISSING = "missing"      # nothing submitted


STATUSES = tuple(Status)


@dataclasses.dataclass
class GradingStatus:
    reasons: list[str] = dataclasses.field(default_factory=list)   # errors: the grade is incomplete
    notes: list[str] = dataclasses.field(default_factory=list)     # limits hit that left the grade intact
    first_cell_id: str | None = None  # the grade_id / cell id where trouble began

    @classmethod
    def start(cls, nb) -> "GradingStatus":
        carried = nb.metadata.pop(KEY, None)  # set only by our own reader (unreadable files)
        status = cls()
        if isinstance(carried, dict) and carried.get("from_reader") is True:
            status.reasons = [str(r) for r in carried.get("reasons", [])][:20]
            status.notes = [str(r) for r in carried.get("notes", [])][:20]
        return status

    @classmethod
    def from_dict(cls, data: dict | None) -> "GradingStatus":
        """What a previous step recorded (``resources[KEY]`` or a graded notebook's metadata)."""
        data = data if isinstance(data, dict) else {}
        reasons = [r for r in data.get("reasons", []) if isinstance(r, str)]
        if data.get("status") == "error" and not reasons:
            reasons = ["grading error (no reason recorded)"]
        return cls(reasons, [n for n in data.get("notes", []) if isinstance(n, str)], data.get("first_cell_id"))

    @property
    def failed(self) -> bool:
        return bool(self.reasons)

    def error(self, reason: str, cell=None) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        if cell is not None and self.first_cell_id is None:
            self.first_cell_id = cell.get("id")

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 20:
            self.notes.append(text)

    def as_dict(self) -> dict:
        return {"status": "error" if self.reasons else "ok", "reasons": list(self.reasons),
                "notes": list(self.notes), "first_cell_id": self.first_cell_id}

    def save(self, nb, resources) -> None:
        nb.metadata[KEY] = self.as_dict()
        if resources is not None:
            resources[KEY] = self.as_dict()


def notebook_errors(nb) -> list[str]:
    """The grading errors an autograded notebook carries (empty when it graded cleanly)."""
    return GradingStatus.from_dict(nb.metadata.get(KEY)).reasons if nb is not None else []


def error_comment(reasons: list[str], existing: str | None = None) -> str:
    """The gradebook auto comment for an answer a grading error affected."""
    text = ERROR_PREFIX + _SEPARATOR.join(reasons)
    return f"{text}\n{existing}" if existing else text


def reasons_in_comment(text: str | None) -> list[str] | None:
    """The reasons an :func:`error_comment` holds, or None when ``text`` is not one."""
    if not text or not text.startswith(ERROR_PREFIX):
        return None
    first = text[len(ERROR_PREFIX):].splitlines()[0] if text[len(ERROR_PREFIX):] else ""
    return [part for part in first.split(_SEPARATOR) if part]
