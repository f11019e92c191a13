"""Read a Matplotlib figure as plain data, so checks never inspect it any other way.

:func:`summarize` turns a Figure into dicts, lists and arrays (lines, labels, scales,
legends, images and their colour limits, scatter points, texts, colorbars, contours); checks assert on that
summary. Under the sandbox the figure stays in the student's kernel and only this
summary crosses to the grader (``course.grading.sandbox.wire.figure_summary``).
"""
from __future__ import annotations

from typing import Any

from course.grading.api import remote_figure_summary, remote_type_name, summarize_figure

from .checks import CheckFailed


def summarize(fig: Any, label: str) -> dict:
    """A plain-data summary of ``fig``; fails the check if it is not a Figure."""
    __tracebackhide__ = True
    remote_type = remote_type_name(fig)
    try:
        if remote_type is not None:
            if remote_type != "Figure":
                raise TypeError(remote_type)
            return remote_figure_summary(fig)
        return summarize_figure(fig)
    except TypeError:
        kind = remote_type or type(fig).__name__
        raise CheckFailed(f"{label} returned {kind}\n"
                          "  expected: a matplotlib.figure.Figure\n"
                          "  hint: create it with fig, ax = plt.subplots() and end with return fig") from None


def close(fig: Any) -> None:
    """Close a checked figure so it is neither shown in the test cell nor kept in memory."""
    if remote_type_name(fig) is not None:
        return  # the sandboxed kernel closes the figures a test cell opened when the cell ends
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    if isinstance(fig, Figure):
        plt.close(fig)

