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

from course.grading.status import KEY, GradingStatus, error_comment


class RecordGradingStatus(NbGraderPreprocessor):

    def preprocess(self, nb, resources):
        status = GradingStatus.from_dict(resources.get(KEY))
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            missing = self._score_missing_cells(gb, nb, info)
        if missing:
            status.error(missing)
        if not status.failed:
            return nb, resources
        nb.metadata[KEY] = status.as_dict()
        cells = self._affected(nb, status.first_cell_id)
        with Gradebook(info["db_url"]) as gb:
            for cell in cells:
                comment = gb.find_comment(cell.metadata["nbgrader"]["grade_id"], info["notebook"],
                                          info["assignment"], info["student"])
                comment.auto_comment = error_comment(status.reasons, comment.auto_comment)
            gb.db.commit()
        return nb, resources

    @staticmethod
    def _score_missing_cells(gb, nb, info) -> str | None:
        """Test cells nbgrader found no output for score 0 (not "ungraded"); say what was missing."""
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        submitted = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
        answers = {c.name for c in submitted.notebook.solution_cells}
        unscored = []
        for grade in submitted.grades:
            if grade.name not in answers and grade.auto_score is None and grade.manual_score is None:
                grade.auto_score, grade.needs_manual_grade = 0.0, False
                unscored.append(grade.name)
        deleted = sorted(name for name in answers if name not in present)
        gb.db.commit()
        parts = []
        if unscored:
            parts.append("test cells missing or altered in the submission, scored 0: " + ", ".join(sorted(unscored)))
        if deleted:
            parts.append("answer cells deleted from the submission: " + ", ".join(deleted))
        return "; ".join(parts) or None

    @staticmethod
    def _affected(nb, first_cell_id):
        answers = [(i, c) for i, c in enumerate(nb.cells) if utils.is_solution(c) or utils.is_task(c)]
        start = next((i for i, c in enumerate(nb.cells) if c.get("id") == first_cell_id), 0)
        after = [c for i, c in answers if i >= start]
        if after:
            return after
        before = [c for i, c in answers if i < start]
        return before[-1:] if before else []
