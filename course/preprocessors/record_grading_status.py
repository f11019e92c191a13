"""Write the sandbox's grading errors into the gradebook, next to the cells they affected.

Runs after nbgrader's SaveAutoGrades. For a notebook whose grading hit an error (kernel
death, a time/memory/output limit, an unreadable file), every answer cell from the point of
failure on gets an auto comment ``"Grading error: <reason>"``: formgrader shows it to the
grader, and reports and exports use it to tell an error apart from a real zero.
"""
from __future__ import annotations

from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from course.sandbox.status import KEY

PREFIX = "Grading error: "


class RecordGradingStatus(NbGraderPreprocessor):

    def preprocess(self, nb, resources):
        status = resources.get(KEY) or {}
        reasons = [r for r in status.get("reasons", []) if isinstance(r, str)]
        if status.get("status") != "error" or not reasons:
            return nb, resources
        nb.metadata[KEY] = status
        info = resources["nbgrader"]
        cells = self._affected(nb, status.get("first_cell_id"))
        text = PREFIX + "; ".join(reasons)
        with Gradebook(info["db_url"]) as gb:
            for cell in cells:
                comment = gb.find_comment(cell.metadata["nbgrader"]["grade_id"], info["notebook"],
                                          info["assignment"], info["student"])
                comment.auto_comment = text if not comment.auto_comment else f"{text}\n{comment.auto_comment}"
            gb.db.commit()
        return nb, resources

    @staticmethod
    def _affected(nb, first_cell_id):
        answers = [(i, c) for i, c in enumerate(nb.cells) if utils.is_solution(c) or utils.is_task(c)]
        start = next((i for i, c in enumerate(nb.cells) if c.get("id") == first_cell_id), 0)
        after = [c for i, c in answers if i >= start]
        if after:
            return after
        before = [c for i, c in answers if i < start]
        return before[-1:] if before else []
