"""Read a Matplotlib figure as plain data, so checks never inspect it any other way.

:func:`summarize` turns a Figure into dicts, lists and arrays (lines, labels,
scales, legends, images, scatter points, texts, colorbars); checks assert on
that summary. Being plain data, it can later cross a process boundary.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .checks import CheckFailed


def summarize(fig: Any, label: str) -> dict:
    """A plain-data summary of ``fig``; fails the check if it is not a Figure."""
    __tracebackhide__ = True
    from matplotlib.figure import Figure
    if not isinstance(fig, Figure):
        raise CheckFailed(f"{label} returned {type(fig).__name__}\n"
                          "  expected: a matplotlib.figure.Figure\n"
                          "  hint: create it with fig, ax = plt.subplots() and end with return fig")
    colorbar_axes = {id(ax) for ax in fig.axes if _is_colorbar(ax)}
    return {
        "axes": [_axes(ax) for ax in fig.axes if id(ax) not in colorbar_axes],
        "n_colorbars": len(colorbar_axes),
        "suptitle": fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else "",
    }


def close(fig: Any) -> None:
    """Close a checked figure so it is neither shown in the test cell nor kept in memory."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    if isinstance(fig, Figure):
        plt.close(fig)


def _is_colorbar(ax) -> bool:
    return getattr(ax, "_colorbar", None) is not None or ax.get_label() == "<colorbar>"


def _axes(ax) -> dict:
    legend = ax.get_legend()
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "xscale": ax.get_xscale(),
        "yscale": ax.get_yscale(),
        "lines": [{"label": str(line.get_label()),
                   "x": np.asarray(line.get_xdata(), dtype=float),
                   "y": np.asarray(line.get_ydata(), dtype=float)}
                  for line in ax.get_lines()],
        "legend": [t.get_text() for t in legend.get_texts()] if legend is not None else None,
        "images": [np.asarray(im.get_array(), dtype=float) for im in ax.get_images()],
        "meshes": [np.asarray(c.get_array(), dtype=float) for c in ax.collections
                   if type(c).__name__ == "QuadMesh"],
        "scatter": [np.asarray(c.get_offsets(), dtype=float) for c in ax.collections
                    if type(c).__name__ == "PathCollection"],
        "texts": [t.get_text() for t in ax.texts],
        "xticklabels": [t.get_text() for t in ax.get_xticklabels()],
        "yticklabels": [t.get_text() for t in ax.get_yticklabels()],
        "bars": [float(p.get_height()) for p in ax.patches if type(p).__name__ == "Rectangle"],
        "contours": [{"levels": np.asarray(c.levels, dtype=float), "filled": bool(getattr(c, "filled", False))}
                     for c in ax.collections if type(c).__name__.endswith("ContourSet")],
    }


def contours(fig: Any, label: str) -> list[list[dict]]:
    """Per non-colorbar Axes (in the order of ``summarize``), its contour sets:
    ``{"levels": array, "filled": bool}`` for each ``contour``/``contourf`` call."""
    __tracebackhide__ = True
    return [ax["contours"] for ax in summarize(fig, label)["axes"]]
