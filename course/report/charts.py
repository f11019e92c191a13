"""The score histogram of one assignment, as a PNG (matplotlib, Agg: no display needed)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)
import numpy as np  # noqa: E402

from .gather import AssignmentReport  # noqa: E402

COLOURS = {"graded": "#3b6ea8", "error": "#d9822b"}


def score_histogram(report: AssignmentReport, target: Path) -> Path:
    """Scores of every scored submission, errors stacked in their own colour so they stand out."""
    top = max(report.max_score, 1.0)
    bins = np.linspace(0, top, int(min(top, 20)) + 1)
    groups = {status: [s.score or 0.0 for s in report.with_status(status)] for status in COLOURS}
    groups = {status: scores for status, scores in groups.items() if scores}
    fig, ax = plt.subplots(figsize=(9, 3.6), dpi=100)
    if groups:
        ax.hist(list(groups.values()), bins=bins, stacked=True, color=[COLOURS[s] for s in groups],
                label=[f"{s} ({len(v)})" for s, v in groups.items()], edgecolor="white")
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the axes: covers no bar
    else:
        ax.text(0.5, 0.5, "no graded submissions yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlim(0, top)
    ax.set_xlabel(f"score (out of {top:g}; manual grades count once entered)")
    ax.set_ylabel("students")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(report.name)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, format="png")
    plt.close(fig)
    return target
