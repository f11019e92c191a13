"""``make demo``: a small class graded end to end with stock nbgrader, then a score table.

Four students per assignment in the scratch course ``demo/`` (never the
instructor's own gradebook): ``ada`` submits the reference answers, ``blank``
the untouched release, ``bo`` and ``cy`` the reference with realistic mistakes
taken from the mutant catalogue. Grading, feedback and export are the stock
nbgrader commands (the LMS files through the course's export plugins); a second
run reuses everything already graded. The similarity pages flag ada, bo and cy
against each other: they all start from the same reference answers.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from nbgrader.api import Gradebook

from course import ROOT
from course.assignments import all_assignments
from course.nbgrader_run import make_scratch_course, nbgrader
from course.report.scores import Result, gradebook_url

from .classroom import grade_class
from .fabricate import reference_answers
from .mutants import variants

DEMO = ROOT / "demo"
LMS_EXPORTS = {"grades_lms.csv": "StatusCsvExport", "grades_canvas.csv": "CanvasExport",
               "grades_moodle.csv": "MoodleExport"}  # file -> course.export plugin
# The class list formgrader and the report show: nbgrader's own `db student import` format.
ROSTER = """id,first_name,last_name,email
ada,Ada,Lovelace,ada@example.org
blank,Blank,Page,blank@example.org
bo,Bo,Diddley,bo@example.org
cy,Cy,Young,cy@example.org
"""
FIRST_DUE = datetime(2030, 1, 14, 17, 0, tzinfo=timezone.utc)  # then one assignment a week, in curriculum order


def load_roster(course) -> None:
    """``nbgrader db student import`` the roster, once: formgrader then shows names, not "None"."""
    roster = course / "roster.csv"
    if roster.exists() and roster.read_text(encoding="utf-8") == ROSTER:
        return
    roster.write_text(ROSTER, encoding="utf-8")
    nbgrader(course, "db", "student", "import", str(roster))


def due_date(assignment: str) -> datetime:
    """A weekly schedule in curriculum order; nbgrader lists assignments by due date, so
    formgrader and the report show them in that order too."""
    order = all_assignments()
    return FIRST_DUE + timedelta(weeks=order.index(assignment) if assignment in order else len(order))


def add_due_date(course, assignment: str) -> None:
    """``nbgrader db assignment add --duedate``: formgrader shows the due date, not "None"."""
    due = due_date(assignment)
    if (course / "gradebook.db").exists():
        with Gradebook(gradebook_url(course)) as gb:
            # the gradebook keeps due dates as naive UTC
            if any(a.name == assignment and a.duedate == due.replace(tzinfo=None) for a in gb.assignments):
                return
    nbgrader(course, "db", "assignment", "add", assignment, f"--duedate={due:%Y-%m-%d %H:%M:%S} UTC")


def demo_students(assignment: str) -> dict[str, dict[str, str]]:
    reference = reference_answers(assignment)
    by_id: dict[str, list] = {}
    for variant in variants(assignment):
        if not variant.correct:
            by_id.setdefault(variant.grade_id, []).append(variant)
    ids = sorted(by_id)
    bo = {g: by_id[g][0].source for g in ids[0::2]}
    cy = {g: by_id[g][-1].source for g in ids[1::2]}
    return {"ada": reference, "blank": {}, "bo": {**reference, **bo}, "cy": {**reference, **cy}}


def run_demo(assignments: list[str]) -> int:
    table: dict[str, dict[str, Result]] = {}
    course = make_scratch_course(DEMO / "course")
    load_roster(course)
    for assignment in assignments:
        print(f"grading {assignment} ...", flush=True)
        add_due_date(course, assignment)
        graded = grade_class(DEMO / "course", assignment, demo_students(assignment), grader="nbgrader")
        for student, result in graded.results.items():
            table.setdefault(student, {})[assignment] = result
    export_grades(DEMO / "course", DEMO / "grades.csv")
    for name, exporter in LMS_EXPORTS.items():
        export_grades(DEMO / "course", DEMO / name, exporter)
    from course.report.write import write_report
    from course.similarity.cli import write_similarity
    written = write_report(DEMO / "course", DEMO / "report", assignments)
    similarity = [write_similarity(DEMO / "course", a, DEMO / "report")[0] for a in assignments]
    print(format_table(table, assignments))
    print(f"\nfeedback: {DEMO / 'course' / 'feedback'}\ngrades:   {DEMO / 'grades.csv'}  "
          "(nbgrader export)\n* = manually graded answers still to grade in formgrader")
    print(f"report:   {written.index}\nLMS CSV:  {written.csv}")
    print("LMS imports (nbgrader export --exporter course.export.<format>): "
          + ", ".join(str(DEMO / name) for name in LMS_EXPORTS))
    print(f"similarity: {similarity[0].parent}/<assignment>_similarity.html (evidence to read, not a grade)")
    return 0


def export_grades(course, target, exporter: str | None = None) -> None:
    """``nbgrader export`` (with one of course.export's plugins if named), skipped when the
    gradebook has not changed since the last export."""
    gradebook = course / "gradebook.db"
    if target.exists() and target.stat().st_mtime >= gradebook.stat().st_mtime:
        return
    plugin = ["--exporter", f"course.export.{exporter}"] if exporter else []
    nbgrader(course, "export", "--to", str(target), *plugin)


def format_table(table: dict[str, dict[str, Result]], assignments: list[str]) -> str:
    short = [a.split("_")[0] for a in assignments]
    width = max(9, *(len(s) for s in short))
    lines = ["autograded score / max" + "".join(f"{s:>{width}}" for s in short) + f"{'total':>12}"]
    for student in sorted(table):
        row, got, top = "", 0.0, 0.0
        for assignment in assignments:
            result = table[student].get(assignment)
            if result is None:
                row += f"{'-':>{width}}"
                continue
            mark = "*" if result.needs_manual else " "
            row += f"{result.auto_score:>{width - 6}g}/{result.max_auto:<4g}{mark}"
            got, top = got + result.auto_score, top + result.max_auto
        lines.append(f"{student:<22}{row}{got:>7g}/{top:<4g}")
    return "\n".join(lines)
