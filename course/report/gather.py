"""What happened to every (student, assignment) in a course, read from nbgrader's files.

Status convention shared with the grading sandbox:

* ``missing``  - nothing submitted;
* ``ungraded`` - submitted, but no autograded record (autograde failed or was not run);
* ``error``    - graded, but grading hit an error: an answer cell carries a
  ``"Grading error: "`` comment in the gradebook, or the autograded notebook's
  ``metadata["course_grading"]["status"]`` is ``"error"``;
* ``graded``   - otherwise.

An error or an ungraded submission is never reported as a plain zero.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from course.report.scores import gradebook_url, read_results
from course.grading.status import STATUSES, Status, notebook_errors, reasons_in_comment  # noqa: F401 - STATUSES re-exported

from .messages import failure_message



@dataclass
class Submission:
    student: str
    status: Status
    score: float | None = None  # gradebook total (autograded + manual grades so far)
    reasons: list[str] = field(default_factory=list)  # why error / ungraded
    needs_manual: list[str] = field(default_factory=list)  # grade ids waiting for a manual grade
    failed_tests: dict[str, str] = field(default_factory=dict)  # graded only: test grade id -> message


@dataclass
class AssignmentReport:
    name: str
    max_score: float
    tests: list[tuple[str, float]]  # autograded test cells (grade id, points), notebook order
    submissions: dict[str, Submission]

    roster: bool = False  # the gradebook has a class list (names or emails), not just ids
    names: dict[str, str] = field(default_factory=dict)  # student id -> "Last, First" from the roster

    def who(self, student: str) -> str:
        """The roster's name with the id in brackets, or the id alone when the roster has no name."""
        name = self.names.get(student, student)
        return student if name == student else f"{name} ({student})"

    def with_status(self, *statuses: str) -> list[Submission]:
        return [s for s in self.submissions.values() if s.status in statuses]

    @property
    def scored(self) -> list[Submission]:
        """Submissions with a score in the gradebook (graded, or graded with an error)."""
        return self.with_status(Status.GRADED, Status.ERROR)


@dataclass
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        """"Last, First" from the roster, else the id."""
        full = ", ".join(part for part in (self.last_name, self.first_name) if part)
        return full or self.id


def gather_course(course: Path, assignments: list[str] | None = None
                  ) -> tuple[list[Student], list[AssignmentReport]]:
    """The class list and one report per assignment (default: every assignment in the gradebook)."""
    course = Path(course)
    if not (course / "gradebook.db").exists():
        raise FileNotFoundError(f"no gradebook.db in {course}: run nbgrader autograde there first")
    with Gradebook(gradebook_url(course)) as gb:
        return gather_gradebook(gb, course, assignments)


def gather_gradebook(gb: Gradebook, course: Path, assignments: list[str] | None = None
                     ) -> tuple[list[Student], list[AssignmentReport]]:
    """As :func:`gather_course`, from a gradebook already open (an nbgrader export plugin's)."""
    course = Path(course)
    names = assignments or [a.name for a in gb.assignments]
    students = {s.id: Student(s.id, s.first_name or "", s.last_name or "", s.email or "")
                for s in gb.students}
    for folder in ("submitted", "autograded"):
        for path in sorted((course / folder).glob("*/")):
            students.setdefault(path.name, Student(path.name))
    reports = [_gather_assignment(gb, course, name, sorted(students)) for name in names]
    roster = any(s.first_name or s.last_name or s.email for s in students.values())
    for report in reports:
        report.roster = roster
        report.names = {s.id: s.name for s in students.values()}
    return [students[s] for s in sorted(students)], reports


def _gather_assignment(gb: Gradebook, course: Path, assignment: str, students: list[str]) -> AssignmentReport:
    try:
        spec = gb.find_assignment(assignment)
    except MissingEntry:
        raise KeyError(f"assignment {assignment!r} is not in the gradebook "
                       "(run nbgrader generate_assignment --force for it)") from None
    notebooks = [nb.name for nb in spec.notebooks]
    graded_by_hand = {c.name for nb in spec.notebooks for c in (*nb.solution_cells, *nb.task_cells)}
    tests = [(c.name, c.max_score) for nb in spec.notebooks for c in nb.grade_cells
             if c.name not in graded_by_hand]
    autograded = read_results(course, assignment)
    in_gradebook = {s.student_id: s for s in gb.assignment_submissions(assignment)}
    submissions = {}
    for student in students:
        record = in_gradebook.get(student)
        submitted = (course / "submitted" / student / assignment).is_dir()
        if record is None and not submitted:
            submissions[student] = Submission(student, Status.MISSING)
            continue
        submission = _classify(course, student, assignment, notebooks, record)
        if submission.status == Status.GRADED and student in autograded:
            lost = autograded[student].lost
            submission.failed_tests = _failure_messages(course, student, assignment, notebooks, lost)
        submissions[student] = submission
    return AssignmentReport(assignment, spec.max_score, tests, submissions)


def _classify(course: Path, student: str, assignment: str, notebooks: list[str], record) -> Submission:
    folder = course / "autograded" / student / assignment
    graded_notebooks = {nb: _read(folder / f"{nb}.ipynb") for nb in notebooks}
    reasons = []
    for nb in graded_notebooks.values():
        reasons += notebook_errors(nb)
    affected = []
    for nb in record.notebooks if record is not None else []:
        for comment in nb.comments:
            in_comment = reasons_in_comment(comment.auto_comment)
            if in_comment is not None:
                affected.append(comment.name)
                reasons += [part for part in in_comment if part not in reasons]
    if affected:
        reasons.append(f"answers affected: {', '.join(_unique(affected))}")
    if reasons:
        return Submission(student, Status.ERROR, record.score if record is not None else None,
                          reasons=_unique(reasons), needs_manual=_manual(record))
    missing_graded = [nb for nb, content in graded_notebooks.items() if content is None]
    if record is None or missing_graded:
        return Submission(student, Status.UNGRADED,
                          reasons=_why_ungraded(course, student, assignment, missing_graded or notebooks))
    return Submission(student, Status.GRADED, record.score, needs_manual=_manual(record))


def _why_ungraded(course: Path, student: str, assignment: str, notebooks: list[str]) -> list[str]:
    """Point at the submitted file when it is the cause (unreadable, not a notebook, absent)."""
    reasons = []
    for nb in notebooks:
        path = course / "submitted" / student / assignment / f"{nb}.ipynb"
        if not path.exists():
            reasons.append(f"{nb}.ipynb: not in the submission")
            continue
        try:
            nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any reason a notebook cannot be read is the answer
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            reasons.append(f"{nb}.ipynb: not a readable notebook ({type(exc).__name__}: {first})"[:300])
        else:
            reasons.append(f"{nb}.ipynb: no autograded notebook (autograde failed or has not run)")
    return reasons


def _failure_messages(course: Path, student: str, assignment: str, notebooks: list[str],
                      lost: list[str]) -> dict[str, str]:
    """grade id -> first line of the failure message, for each test cell that lost points."""
    messages = {grade_id: "lost points (no error recorded)" for grade_id in lost}
    for name in notebooks:
        nb = _read(course / "autograded" / student / assignment / f"{name}.ipynb")
        for cell in nb.cells if nb is not None else []:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in messages:
                messages[grade_id] = failure_message(cell)
    return messages


def _manual(record) -> list[str]:
    if record is None:
        return []
    return [g.name for nb in record.notebooks for g in nb.grades if g.needs_manual_grade]


def _read(path: Path) -> nbformat.NotebookNode | None:
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable autograded notebook counts as not graded
        return None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
