"""Read autograded results back out of an nbgrader gradebook."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


@dataclass
class Result:
    student: str
    assignment: str
    auto_score: float
    max_auto: float
    cells: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    needs_manual: bool = False

    @property
    def lost(self) -> list[str]:
        """Autograded cells that did not get full points."""
        return [g for g, (score, top) in self.cells.items() if score is not None and score < top]


def gradebook_url(course: Path) -> str:
    return f"sqlite:///{(course / 'gradebook.db').resolve()}"


def read_results(course: Path, assignment: str) -> dict[str, Result]:
    """student id -> autograded result for every submission of ``assignment``."""
    results = {}
    with Gradebook(gradebook_url(course)) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return {}
        for submission in submissions:
            result = Result(submission.student_id, assignment, 0.0, 0.0,
                            needs_manual=submission.needs_manual_grade)
            for nb in submission.notebooks:
                manual = {cell.name for cell in nb.notebook.solution_cells}
                manual |= {cell.name for cell in nb.notebook.task_cells}
                for grade in nb.grades:
                    if grade.name in manual:
                        continue
                    result.cells[grade.name] = (grade.auto_score, grade.max_score)
                    result.auto_score += grade.auto_score or 0.0
                    result.max_auto += grade.max_score
            results[submission.student_id] = result
    return results
