"""Why a notebook's grade is not the whole story: the grading status carried with the notebook.

Kept in ``nb.metadata["course_grading"]`` (``{"status": "ok"|"error", "reasons": [...], "notes": [...]}``)
and in ``resources["course_grading"]`` for the gradebook step. A submitted notebook's own
copy of this key is never believed: it is reset when grading starts.
"""
from __future__ import annotations

import dataclasses

KEY = "course_grading"


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
