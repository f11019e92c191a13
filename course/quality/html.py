"""HTML pages of the grader report (same look as ``course report``: inline CSS, no network)."""
from __future__ import annotations

from collections import Counter
from html import escape

from ..report.html import page, table
from .assess import Assessment, MutantResult

BADGE = {"killed": "graded", "equivalent": "missing", "surviving": "error", "ok": "graded", "WRONG": "error"}
CSS_EXTRA = """<style>.cell-blame { background: #fde2cf !important; font-weight: 600; }
.cell-own { background: #e3f1e5 !important; } pre { margin: 0; white-space: pre-wrap; }
td { overflow-wrap: break-word; } summary { cursor: pointer; margin: .5rem 0; }</style>"""


def _badge(text: str) -> str:
    return f'<span class="status {BADGE.get(text, "missing")}">{escape(text)}</span>'


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _cells(failures) -> str:
    return ", ".join(_code(c) for c in failures) or '<span class="muted">none</span>'


def index_page(assessments: list[Assessment]) -> str:
    rows = [[f'<a href="{escape(a.assignment)}.html">{escape(a.assignment)}</a>', str(a.generated),
             str(len(a.mutants)), str(a.count("killed")), str(a.count("equivalent")), str(a.count("surviving")),
             f"{sum(v.as_expected for v in a.variants)}/{len(a.variants)}",
             str(sum(bool(a.misplaced_blame(v)) for v in a.variants if not v.variant.correct)),
             _coverage_cell(a), f"{a.seconds:.0f} s"] for a in assessments]
    body = ["<h1>Grader quality</h1>",
            '<p class="muted">Each assignment\'s hidden checks, tested: generated mutants of the reference '
            "answers (Cosmic Ray operators), the hand-written variants of <code>tests/mutants/</code>, and the "
            "contract clauses each check covers. Verdicts are in-process estimates; the test-suite confirms "
            "them through nbgrader.</p>",
            table(["assignment", "mutants", "graded", "killed", "equivalent", "surviving", "variants as expected",
                   "wrong variants blaming other functions", "clauses mapped / uncovered", "time"],
                  rows, numeric=set(range(1, 10)))]
    return page("Grader quality", "\n".join(body) + CSS_EXTRA)


def _coverage_cell(a: Assessment) -> str:
    c = a.coverage
    if not c or not c.parts:
        return '<span class="muted">no contract section</span>'
    return f"{len(c.parts) - len(c.unmapped)}/{len(c.parts)} / {len(c.uncovered)}"


def assignment_page(a: Assessment) -> str:
    name = escape(a.assignment)
    body = ['<nav><a href="index.html">&larr; all assignments</a></nav>', f"<h1>{name}</h1>",
            f"<p>{escape(a.summary())}</p>",
            f'<p class="muted">Reference answers: {_cells(a.reference.failures) if a.reference.failures else "every test cell passes"}. '
            f"Graded in {a.seconds:.0f} s.</p>"]
    body += _variant_sections(a)
    body += _kill_matrix(a)
    body += _clause_section(a)
    body += _mutant_sections(a)
    return page(f"Grader quality: {a.assignment}", "\n".join(body) + CSS_EXTRA)


def _mutant_row(r: MutantResult) -> list[str]:
    m = r.mutant
    detail = escape(r.equivalent.why) if r.equivalent else \
        ("timed out" if r.outcome.timed_out else _cells(r.outcome.failures) +
         (f' <span class="muted">(not run from {_code(r.outcome.stopped_before)} on: already killed)</span>'
          if r.outcome.stopped_before else ""))
    return [_code(m.id), str(m.line), f"<pre>{escape(m.before)}\n&rarr; {escape(m.after)}</pre>",
            _badge(r.status), detail]


def _mutant_sections(a: Assessment) -> list[str]:
    out = ["<h2>Generated mutants</h2>"]
    if a.stale_equivalents:
        out.append("<p>Stale equivalence records (no such mutant any more, or a check now kills it): " +
                   ", ".join(_code(s) for s in a.stale_equivalents) + "</p>")
    headers = ["mutant (cell:operator:occurrence)", "line", "change", "verdict", "failing checks / why equivalent"]
    open_rows = [_mutant_row(r) for r in a.mutants if r.status == "surviving"] + \
        [_mutant_row(r) for r in a.mutants if r.status == "equivalent"]
    killed = [_mutant_row(r) for r in a.mutants if r.status == "killed"]
    out.append(table(headers, open_rows, numeric={1}) if open_rows else
               '<p class="muted">no surviving or equivalent mutant</p>')
    if killed:
        out.append(f"<details><summary>{len(killed)} killed mutants</summary>\n"
                   f"{table(headers, killed, numeric={1})}\n</details>")
    return out


def _variant_sections(a: Assessment) -> list[str]:
    answers = [c.grade_id for c in a.cells if c.kind.value == "answer"]
    rows, blame_rows = [], []
    for r in a.variants:
        v = r.variant
        rows.append([_code(v.grade_id), escape(v.why), "correct" if v.correct else "wrong",
                     _badge("ok" if r.as_expected else "WRONG"), _cells(r.outcome.failures)])
        if not v.correct:
            lost = a.blame(r)
            cells = []
            for answer in answers:
                points = lost.get(answer, 0.0)
                cls = "cell-own" if answer == v.grade_id and points else "cell-blame" if points else ""
                cells.append(f'<span class="{cls}">{points:g}</span>' if points else '<span class="muted">0</span>')
            blame_rows.append([escape(f"{v.grade_id}: {v.why}")] + cells)
    out = ["<h2>Blame matrix</h2>",
           '<p class="muted">Points each wrong variant of <code>tests/mutants/</code> loses, by the answer whose '
           "checks take them. One function, one blame: every loss should sit in the variant's own column.</p>"]
    if blame_rows:
        out.append(table(["wrong variant"] + [_code(x) for x in answers], blame_rows,
                         numeric=set(range(1, len(answers) + 1))))
    out += ["<h2>Hand-written variants (tests/mutants/)</h2>",
            table(["answer", "variant", "kind", "verdict", "failing checks"], rows) if rows else
            '<p class="muted">no variants registered</p>']
    return out


def _kill_matrix(a: Assessment) -> list[str]:
    mutants = Counter(c for r in a.mutants for c in r.outcome.failures)
    alone = Counter(next(iter(r.outcome.failures)) for r in a.mutants
                    if len(r.outcome.failures) == 1 and not r.outcome.stopped_before)
    wrong = Counter(c for r in a.variants if not r.variant.correct for c in r.outcome.failures)
    owners = a.owners
    rows = [[_code(c.grade_id), _code(", ".join(owners.get(c.grade_id, ()))), "hidden" if c.hidden else "visible",
             f"{c.points:g}", str(mutants[c.grade_id]), str(alone[c.grade_id]), str(wrong[c.grade_id])]
            for c in a.cells if c.kind.value == "test"]
    return ["<h2>Which check kills what</h2>",
            '<p class="muted">A killed mutant skips the expensive cells (a training run) after its first '
            "failure, so the checks in and after them count only the mutants that reach them.</p>",
            table(["test cell", "answer", "kind", "points", "mutants killed", "killed by it alone",
                   "wrong variants caught"], rows, numeric={3, 4, 5, 6})]


def _clause_section(a: Assessment) -> list[str]:
    c = a.coverage
    if not c or not c.parts:
        return ["<h2>Contract clauses</h2>", '<p class="muted">No contract section for this assignment '
                "(set COURSE_CONTRACT to the contract file).</p>"]
    checks = {cl.id: cl.checks for cl in c.clauses}
    rows = []
    for part in c.parts:
        ids = c.mapped.get(part, [])
        rows.append([escape(part), "<br>".join(_code(i) for i in ids) or _badge("surviving").replace(
            "surviving", "unmapped"), "<br>".join(", ".join(_code(x) for x in checks[i]) or "none" for i in ids)])
    out = ["<h2>Contract clauses</h2>",
           table(["contract", "clauses", "checks"], rows)]
    for title, items in (("Clauses without a check", c.uncovered), ("Clauses quoting text not in the contract", c.stale)):
        if items:
            out.append(f"<p>{title}: " + ", ".join(_code(i) for i in items) + "</p>")
    return out
