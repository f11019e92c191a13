"""HTML pages of the report: plain tables and headings, inline CSS, no external resources."""
from __future__ import annotations

import statistics
from collections import Counter
from html import escape

import os
from pathlib import Path

from .gather import STATUSES, AssignmentReport, Student
from .messages import is_unanswered

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 70rem; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
     border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; font-size: .92rem; }
th, td { border: 1px solid #ddd; padding: .3rem .55rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } tr:nth-child(even) td { background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .88rem; }
.bar { display: inline-block; height: .7rem; background: #c0392b; vertical-align: middle;
       margin-right: .4rem; } .muted { color: #777; } nav { font-size: .9rem; }
.status { padding: .05rem .45rem; border-radius: .6rem; font-size: .82rem; white-space: nowrap; }
.graded { background: #e3f1e5; } .error { background: #fde2cf; }
.ungraded { background: #fff3c4; } .missing { background: #eceff3; }
ul.messages { margin: 0; padding-left: 1.1rem; } img { max-width: 100%; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .5rem .7rem; border-radius: .3rem; }
.wide { overflow-x: auto; } .wide table { width: auto; min-width: 100%; }
.wide td:first-child, .wide th:first-child { position: sticky; left: 0; background: #fff; z-index: 1; }
.wide th:first-child { background: #f3f5f8; } .wide tr:nth-child(even) td:first-child { background: #fafbfc; }
"""


def page(title: str, body: str, css: str = "") -> str:
    """A whole page; ``css`` adds rules for this page to the shared ones."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def status_badge(status: str) -> str:
    return f'<span class="status {status}">{status}</span>'


def table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """A table of already-escaped cells; columns in ``numeric`` are right-aligned."""
    def cls(i):
        return ' class="num"' if i in numeric else ""
    head = "".join(f"<th{cls(i)}>{h}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>\n"
                   for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def summary_line(report: AssignmentReport) -> str:
    counts = Counter(s.status for s in report.submissions.values())
    parts = [f"{status_badge(s)} {counts.get(s, 0)}" for s in STATUSES]
    scores = [s.score or 0.0 for s in report.with_status("graded")]
    if scores:
        parts.append(f"mean {statistics.mean(scores):.1f} / median {statistics.median(scores):g} "
                     f"of {report.max_score:g} (graded only)")
    return " &nbsp; ".join(parts)


def assignment_page(report: AssignmentReport, histogram: str) -> str:
    a = escape(report.name)
    body = [f'<nav><a href="index.html">&larr; all assignments</a></nav>',
            f"<h1>{a}</h1>", f"<p>{summary_line(report)}</p>",
            "<h2>Score distribution</h2>",
            f'<img src="{escape(histogram)}" alt="histogram of {a} scores">',
            "<h2>Not graded: errors, ungraded and missing submissions</h2>", _problem_table(report),
            "<h2>Waiting for manual grading</h2>",
            f'<p>Model answers: <a href="{a}_rubric.html">rubric for grading by hand</a>.</p>',
            _manual_table(report),
            "<h2>Checks students fail most</h2>", _failure_table(report)]
    return page(f"{report.name} — grade report", "\n".join(body))


def _failure_table(report: AssignmentReport) -> str:
    scored = report.with_status("graded")  # errored runs are listed apart: their failures are noise
    if not scored:
        return '<p class="muted">No autograded submissions yet.</p>'
    rows, passed_by_all = [], 0
    stats = []
    for order, (grade_id, points) in enumerate(report.tests):
        got = [s.failed_tests[grade_id] for s in scored if grade_id in s.failed_tests]
        messages = Counter(m for m in got if not is_unanswered(m))  # real mistakes
        unanswered = len(got) - sum(messages.values())  # stubs left as handed out
        if not got:
            passed_by_all += 1
            continue
        failed = sum(messages.values())
        stats.append((-failed / len(scored), -unanswered, order, grade_id, points, failed, unanswered, messages))
    for _, _, _, grade_id, points, failed, unanswered, messages in sorted(stats):
        rate = failed / len(scored)
        items = "".join(f"<li>{n}&times; <code>{escape(m)}</code></li>" for m, n in messages.most_common())
        rows.append([f"<code>{escape(grade_id)}</code>", f"{points:g}", f"{failed} / {len(scored)}",
                     f'<span class="bar" style="width:{rate * 5:.2f}rem"></span>{rate:.0%}',
                     str(unanswered), f'<ul class="messages">{items}</ul>'])
    note = (f'<p class="muted">{passed_by_all} of {len(report.tests)} autograded checks were passed '
            f"by every graded submission.</p>")
    if not rows:
        return note
    note += ('<p class="muted"><em>not answered</em>: the function still raises the stub\'s '
             "NotImplementedError; those are counted apart from the mistakes.</p>")
    return table(["check", "points", "failed (mistakes)", "rate", "not answered",
                  "messages (first line), most common first"], rows, numeric={1, 2, 3, 4}) + note


def _manual_table(report: AssignmentReport) -> str:
    """One row per cell to grade by hand, with the students whose answer waits for it."""
    waiting: dict[str, list[str]] = {}
    for submission in sorted(report.scored, key=lambda s: s.student):
        for grade_id in submission.needs_manual:
            waiting.setdefault(grade_id, []).append(report.who(submission.student))
    if not waiting:
        return '<p class="muted">Nothing waiting for a manual grade.</p>'
    rows = [[f"<code>{escape(grade_id)}</code>", str(len(students)), escape(", ".join(students))]
            for grade_id, students in waiting.items()]
    return table(["cell to grade in formgrader", "students", "who"], rows, numeric={1})


def _problem_table(report: AssignmentReport) -> str:
    problems = sorted(report.with_status("error", "ungraded"), key=lambda s: (s.status, s.student))
    missing = sorted(report.who(s.student) for s in report.with_status("missing"))
    everyone = ("Everyone on the roster submitted." if report.roster else
                "Everyone with a submission folder was graded (no roster in the gradebook: "
                "<code>nbgrader db student import</code> loads one, so missing students show).")
    text = (f"<p>No submission (<em>missing</em>) from: {escape(', '.join(missing))}</p>" if missing
            else f"<p>{everyone}</p>")
    if not problems:
        return '<p class="muted">Every submission was graded without errors.</p>' + text
    rows = [[escape(report.who(s.student)), status_badge(s.status),
             "" if s.score is None else f"{s.score:g}",
             "<br>".join(escape(r) for r in s.reasons)] for s in problems]
    return table(["student", "status", "score so far", "reasons"], rows, numeric={2}) + text


def student_table(students: list[Student], reports: list[AssignmentReport], links: "Links") -> str:
    """One row per student: score and status per assignment, with links to feedback and formgrader."""
    rows = []
    for student in students:
        row = [escape(student.name) + (f' <span class="muted">({escape(student.id)})</span>'
                                       if student.name != student.id else "")]
        total = 0.0
        for report in reports:
            sub = report.submissions.get(student.id)
            if sub is None:
                row.append("")
                continue
            score = "" if sub.score is None or sub.status not in ("graded", "error") else f"{sub.score:g} "
            total += (sub.score or 0.0) if sub.status == "graded" else 0.0
            cell = f"{score}{status_badge(sub.status)}"
            feedback = links.feedback(student.id, report)
            if feedback:
                cell += f' <a class="feedback" href="{escape(feedback)}">feedback</a>'
            if sub.status != "missing":
                cell += (f' <a class="formgrader" href="{escape(links.formgrader(student.id, report.name))}">'
                         "formgrader</a>")
            row.append(cell)
        row.append(f"{total:g}")
        rows.append(row)
    # A term's worth of assignments is wider than the page: the table scrolls sideways in its
    # own box, the students' names staying in view.
    return ('<div class="wide">' + table(["student", *(f"{escape(r.name)} (of {r.max_score:g})" for r in reports),
                                           "total (graded)"], rows, numeric={len(reports) + 1}) + "</div>")


class Links:
    """Where a student's feedback file and formgrader page are, seen from the report folder."""

    def __init__(self, course: Path, out: Path, formgrader: str):
        self.course, self.out, self.formgrader_url = Path(course), Path(out), formgrader.rstrip("/")

    def feedback(self, student: str, report: AssignmentReport) -> str | None:
        folder = self.course / "feedback" / student / report.name
        pages = sorted(folder.glob("*.html")) if folder.is_dir() else []
        return Path(os.path.relpath(pages[0], self.out)).as_posix() if pages else None

    def formgrader(self, student: str, assignment: str) -> str:
        return f"{self.formgrader_url}/manage_students/{student}/{assignment}"


def index_page(reports: list[AssignmentReport], pages: dict[str, str], csv_name: str,
               title: str = "Grade report", students_html: str = "") -> str:
    rows = []
    for report in reports:
        counts = Counter(s.status for s in report.submissions.values())
        scores = [s.score or 0.0 for s in report.with_status("graded")]
        manual = sum(1 for s in report.scored if s.needs_manual)
        rows.append([f'<a href="{escape(pages[report.name])}">{escape(report.name)}</a>',
                     *(str(counts.get(s, 0)) for s in STATUSES),
                     f"{statistics.mean(scores):.1f}" if scores else "", f"{report.max_score:g}", str(manual)])
    body = [f"<h1>{escape(title)}</h1>",
            f'<p>LMS export: <a href="{escape(csv_name)}">{escape(csv_name)}</a> (one row per student; '
            "an empty score with status <em>error</em>, <em>ungraded</em> or <em>missing</em> "
            "is not a zero).</p>",
            table(["assignment", *STATUSES, "mean (graded)", "max", "manual grading to do"], rows,
                  numeric={1, 2, 3, 4, 5, 6, 7})]
    if students_html:
        body += ["<h2>Students</h2>", '<p class="muted">Score so far (autograded plus manual grades '
                 "entered) and status per assignment; <em>feedback</em> opens the student's feedback "
                 "page, <em>formgrader</em> their submission in formgrader.</p>", students_html]
    return page(title, "\n".join(body))
