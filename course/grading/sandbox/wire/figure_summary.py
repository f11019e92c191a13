"""A Matplotlib figure as plain data: what checks read of a plot, on either side of the sandbox.

The student's figures live in the sandboxed kernel; this summary (lines, labels, scales, axis
limits, legends, images and their colour limits, scatter points, texts, bars, contours and the
extent of their grids, colorbars) is what crosses to the grader. ``graders.figures`` wraps it
with check-style failure messages.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def summarize_figure(fig: Any) -> dict:
    """Plain-data summary of a Figure; TypeError for anything else."""
    from matplotlib.figure import Figure
    if not isinstance(fig, Figure):
        raise TypeError(f"expected a matplotlib Figure, got {type(fig).__name__}")
    colorbar_axes = {id(ax) for ax in fig.axes if _is_colorbar(ax)}
    return {
        "axes": [_axes(ax) for ax in fig.axes if id(ax) not in colorbar_axes],
        "n_colorbars": len(colorbar_axes),
        "suptitle": fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else "",
    }


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
        "xlim": [float(v) for v in ax.get_xlim()],
        "ylim": [float(v) for v in ax.get_ylim()],
        "lines": [{"label": str(line.get_label()),
                   "x": np.asarray(line.get_xdata(), dtype=float),
                   "y": np.asarray(line.get_ydata(), dtype=float)}
                  for line in ax.get_lines()],
        "legend": [t.get_text() for t in legend.get_texts()] if legend is not None else None,
        "images": [np.asarray(im.get_array(), dtype=float) for im in ax.get_images()],
        "image_limits": [[_limit(v) for v in im.get_clim()] for im in ax.get_images()],
        "meshes": [np.asarray(c.get_array(), dtype=float) for c in ax.collections
                   if type(c).__name__ == "QuadMesh"],
        "scatter": [np.asarray(c.get_offsets(), dtype=float) for c in ax.collections
                    if type(c).__name__ == "PathCollection"],
        "texts": [t.get_text() for t in ax.texts],
        "xticklabels": [t.get_text() for t in ax.get_xticklabels()],
        "yticklabels": [t.get_text() for t in ax.get_yticklabels()],
        "bars": [float(p.get_height()) for p in ax.patches if type(p).__name__ == "Rectangle"],
        "contours": [{"levels": np.asarray(c.levels, dtype=float), "filled": bool(getattr(c, "filled", False)),
                      "extent": _grid_extent(c, ax)}
                     for c in ax.collections if type(c).__name__.endswith("ContourSet")],
    }


def _grid_extent(contour_set, ax) -> list[float]:
    """[xmin, xmax, ymin, ymax] of the grid a contour set was computed on (NaN where the grid is)."""
    mins, maxs = getattr(contour_set, "_mins", None), getattr(contour_set, "_maxs", None)
    if mins is None or maxs is None:  # another Matplotlib: the drawn lines' extent, inside the grid
        box = contour_set.get_datalim(ax.transData)
        mins, maxs = (box.x0, box.y0), (box.x1, box.y1)
    return [float(mins[0]), float(maxs[0]), float(mins[1]), float(maxs[1])]


def _limit(value: Any) -> float:
    """A colour limit as a float (NaN while the image has not been scaled yet)."""
    return float("nan") if value is None else float(value)
