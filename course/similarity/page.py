"""The similarity page: a table of the most similar pairs, then their matched answers side by side."""
from __future__ import annotations

from html import escape

import numpy as np
from copydetect.utils import highlight_overlap

from ..report.html import page, table
from .answers import ClassAnswers
from .compare import MIN_TOKENS, NOISE, THRESHOLD, AnswerMatch, PairResult

CSS = """
.side { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .6rem; margin-bottom: 1.2rem; }
.side pre { margin: 0; padding: .5rem; background: #f7f8fa; border: 1px solid #ddd; overflow-x: auto;
            font-size: .82rem; } mark { background: #ffd9a8; } .flag { color: #b3541e; font-weight: 600; }
"""
SHOWN_PAIRS = 25  # rows of the pair table
SHOWN_DETAILS = 10  # pairs whose answers are shown side by side


def similarity_page(assignment: str, answers: ClassAnswers, pairs: list[PairResult]) -> str:
    flagged = [p for p in pairs if p.flagged()]
    body = [f"<h1>Similarity check — {escape(assignment)}</h1>",
            f"<p>{len(answers.by_student)} submissions, {len(pairs)} pairs compared answer by answer; "
            f'<span class="flag">{len(flagged)} pairs with an answer at or above {THRESHOLD:.0%}</span>.</p>',
            "<p><strong>A flag is evidence for a person to read, never a grade change.</strong> Short answers "
            "and answers that follow the same standard recipe can match without any copying; read the "
            "matched lines before drawing a conclusion.</p>",
            f'<p class="muted">Method: copydetect winnowing fingerprints (as MOSS) over each code answer '
            f"cell with the released stub removed; variable, function and string names are normalised, "
            f"comments ignored. Score: the share of one answer's fingerprinted code found in the other "
            f"({NOISE}-character k-grams of the normalised code; answers under {MIN_TOKENS} normalised "
            f"characters are not compared).</p>",
            "<h2>Most similar pairs</h2>", _pair_table(pairs[:SHOWN_PAIRS])]
    if answers.unreadable:
        body += ["<h2>Not compared</h2>", table(["student", "why"], [
            [escape(s), escape(why)] for s, why in sorted(answers.unreadable.items())])]
    body.append("<h2>Matched lines</h2>")
    shown = flagged[:SHOWN_DETAILS] or pairs[:1]
    for pair in shown:
        for match in pair.flagged() or pair.matches[:1]:
            body.append(_side_by_side(pair, match))
    if not shown:
        body.append('<p class="muted">No pair of submissions had answers to compare.</p>')
    return page(f"{assignment} — similarity", "\n".join(body), CSS)


def _pair_table(pairs: list[PairResult]) -> str:
    if not pairs:
        return '<p class="muted">No pairs to compare.</p>'
    rows = []
    for pair in pairs:
        over = ", ".join(f"{m.grade_id} ({m.score:.0%})" for m in pair.flagged())
        rows.append([escape(pair.left), escape(pair.right), f"{pair.score:.0%}",
                     f"<code>{escape(pair.matches[0].grade_id)}</code>",
                     f'<span class="flag">{escape(over)}</span>' if over else ""])
    return table(["student", "student", "highest answer score", "in answer", "answers flagged"],
                 rows, numeric={2})


def _side_by_side(pair: PairResult, match: AnswerMatch) -> str:
    heading = (f"<h3>{escape(pair.left)} and {escape(pair.right)}: <code>{escape(match.grade_id)}</code> "
               f"({match.score:.0%})</h3>")
    left, right = _highlighted(match.left, match.left_spans), _highlighted(match.right, match.right_spans)
    return (f'{heading}\n<div class="side"><div><p>{escape(pair.left)}</p><pre>{left}</pre></div>'
            f"<div><p>{escape(pair.right)}</p><pre>{right}</pre></div></div>")


def _highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    if not spans:
        return escape(text)
    slices = np.array([[s for s, _ in spans], [e for _, e in spans]])
    marked, _ = highlight_overlap(text, slices, "<mark>", "</mark>", escape_html=True)
    return marked
