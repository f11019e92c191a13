"""Feedback step: maths rendered as MathML when feedback is generated, so it reads the same offline.

nbconvert's page loads MathJax from a CDN to typeset ``$...$``; a student
reading feedback offline sees raw LaTeX. Browsers render MathML natively, so
this step converts the maths of markdown cells (and ``text/latex`` outputs,
e.g. SymPy's) with latex2mathml, and the course's feedback template loads no
script. LaTeX that cannot be converted is left as it was.
"""
from __future__ import annotations

import re

from latex2mathml.converter import convert
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode

from .display_priority import FeedbackStep

# Code (fenced blocks, inline code) first, so dollars inside code are kept as they are.
_PIECES = re.compile(r"(?P<fence>```.*?```|~~~.*?~~~)|(?P<code>`[^`\n]+`)"
                     r"|\$\$(?P<block>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$(?!\$)", re.S)


def to_mathml(latex: str, block: bool) -> str | None:
    try:
        return convert(latex.strip(), display="block" if block else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many types for unsupported input
        return None


def render_markdown_maths(text: str) -> str:
    def replace(match: re.Match) -> str:
        if match["fence"] or match["code"]:
            return match[0]
        block = match["block"] is not None
        mathml = to_mathml(match["block"] if block else match["inline"], block)
        return match[0] if mathml is None else mathml
    return _PIECES.sub(replace, text)


class RenderMaths(FeedbackStep):
    """``$...$`` and ``$$...$$`` in markdown, and ``text/latex`` outputs, become MathML."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "markdown":
            cell.source = render_markdown_maths(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/latex" in data and "text/html" not in data:
                latex = data["text/latex"].strip()
                block = latex.startswith("$$")
                mathml = to_mathml(latex.strip("$"), block) if latex.startswith("$") else None
                if mathml is not None:
                    data["text/html"] = mathml
        return cell, resources
