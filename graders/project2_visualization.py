"""Hidden checks for project2_visualization. Figures are read only as data, through
graders.figures.summarize (lines, bars, labels, titles, legends, contour sets).

Oracles: the gradient-descent trajectory recomputed here with a plain loop (on
losses with hand-derived gradients), scipy.special.softmax for the bar heights.

Tolerances: path coordinates and bar heights rtol 1e-9 / atol 1e-12 (the same
arithmetic; an off-by-one step or a wrong sign is off by far more). Text checks
look for the number formatted with :g, as the docstrings say. The contour grid must
reach strictly beyond every finite point of the path on both axes ("with some
margin"); paths far from the origin, in negative coordinates, starting on an axis or
of one point (n_steps = 0) tell a grid built around the path from one that is not.
"""
from __future__ import annotations

import numpy as np
from scipy.special import softmax

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, assert_raises, call, fail
from course.grading.api import Portable

from .figures import close, summarize

TOL = dict(rtol=1e-9, atol=1e-12)


def _quadratic(a, b, c):
    """L(w) = a w1^2 + b w1 w2 + c w2^2 + w1 - w2 and its gradient (derived by hand)."""
    # Portable: the student's plot evaluates the loss on a whole grid inside the sandbox.
    loss = Portable("lambda w: a * w[0] ** 2 + b * w[0] * w[1] + c * w[1] ** 2 + w[0] - w[1]", a=a, b=b, c=c)
    grad = Portable("lambda w: np.array([2 * a * w[0] + b * w[1] + 1.0, b * w[0] + 2 * c * w[1] - 1.0])",
                    a=a, b=b, c=c)
    return loss, grad


def _trajectory(grad, w0, learning_rate, n_steps):
    w = np.array(w0, dtype=float)
    out = [w.copy()]
    for _ in range(n_steps):
        w = w - learning_rate * grad(w)
        out.append(w.copy())
    return np.array(out)


def _gd_figure(plot_gd_path, loss, grad, w0, lr, n, label):
    fig = call(plot_gd_path, loss, grad, w0, lr, n, label=label)
    try:
        summary = summarize(fig, label)   # once: each summary walks every artist and lays out the ticks
    finally:
        close(fig)
    if len(summary["axes"]) != 1:
        raise CheckFailed(f"{label}: the figure has {len(summary['axes'])} Axes (colorbars not counted)\n"
                          "  expected: exactly one\n  hint: fig, ax = plt.subplots() and draw everything on ax")
    return summary["axes"][0], summary["axes"][0]["contours"]


def _shifted_bowl(a, b, centre):
    """L(w) = a (w1 - c1)^2 + b (w2 - c2)^2 and its gradient: paths anywhere in the plane."""
    loss = Portable("lambda w: a * (w[0] - c1) ** 2 + b * (w[1] - c2) ** 2", a=a, b=b, c1=centre[0], c2=centre[1])
    grad = Portable("lambda w: np.array([2 * a * (w[0] - c1), 2 * b * (w[1] - c2)])",
                    a=a, b=b, c1=centre[0], c2=centre[1])
    return loss, grad


def _grid_covers(sets, path, label):
    """The contour grid reaches beyond every finite point of the path, on both axes."""
    finite = path[np.all(np.isfinite(path), axis=1)]
    low, high = finite.min(axis=0), finite.max(axis=0)
    for s in sets:
        x0, x1, y0, y1 = s["extent"]
        if not (x0 < low[0] and x1 > high[0] and y0 < low[1] and y1 > high[1]):
            fail(label, f"a grid reaching beyond the path, x in [{low[0]:.4g}, {high[0]:.4g}] and "
                        f"y in [{low[1]:.4g}, {high[1]:.4g}], with some margin",
                 f"a grid over x in [{x0:.4g}, {x1:.4g}] and y in [{y0:.4g}, {y1:.4g}]",
                 "build the grid from the path: from path.min(axis=0) - margin to path.max(axis=0) + margin "
                 "for each coordinate, with a margin > 0 even when the path does not move",
                 problem="the contour grid does not cover the path")


def _path_line(ax, expected, label):
    candidates = [l for l in ax["lines"] if len(l["x"]) == len(expected)]
    for line in candidates:
        if np.allclose(line["x"], expected[:, 0], **TOL) and np.allclose(line["y"], expected[:, 1], **TOL):
            return line
    lengths = sorted({len(l["x"]) for l in ax["lines"]})
    got = candidates[0] if candidates else (ax["lines"][0] if ax["lines"] else None)
    fail(label, expected[:, 0] if got is None else expected,
         None if got is None else np.column_stack([got["x"], got["y"]]),
         "plot ONE line through all n_steps + 1 points: ax.plot(path[:, 0], path[:, 1], 'o-'), where "
         "path[0] = w0 and path[t+1] = path[t] - learning_rate * grad(path[t])",
         problem=f"no line follows the gradient-descent path (line lengths found: {lengths}, "
                 f"expected {len(expected)} points)")


def check_gd_path_data(plot_gd_path):
    """The path line equals the trajectory; contour lines of the loss are drawn."""
    cases = [((1.0, 0.5, 3.0), [2.0, -1.5], 0.1, 12), ((0.5, 0.0, 5.0), [-3.0, 2.0], 0.18, 25),
             ((2.0, -1.0, 1.0), [0.5, 0.5], 0.05, 1)]
    for (a, b, c), w0, lr, n in cases:
        loss, grad = _quadratic(a, b, c)
        label = (f"plot_gd_path(loss, grad, w0={w0}, learning_rate={lr}, n_steps={n}) on the quadratic "
                 f"{a} w1^2 + {b} w1 w2 + {c} w2^2 + w1 - w2")
        ax, sets = _gd_figure(plot_gd_path, loss, grad, w0, lr, n, label)
        line = _path_line(ax, _trajectory(grad, w0, lr, n), label)
        if not sets and not ax["meshes"]:
            raise CheckFailed(f"{label}: no contour plot of the loss\n  expected: ax.contour(X, Y, Z) or "
                              "ax.contourf(...) with Z[i, j] = loss(np.array([X[i, j], Y[i, j]]))\n"
                              "  hint: build the grid with np.meshgrid around the path and draw its contours")
        if sets and max(len(s["levels"]) for s in sets) < 5:
            raise CheckFailed(f"{label}: the contour plot has fewer than 5 levels\n"
                              "  hint: ax.contour(X, Y, Z, levels=15)")
        if line["label"] != "gradient descent":
            fail(label, "gradient descent", line["label"], "label the path line: ax.plot(..., label='gradient descent')",
                 problem="the path line's label")
        _grid_covers(sets, _trajectory(grad, w0, lr, n), label)
    loss, grad = _quadratic(1.0, 0.0, 1.0)
    label = "plot_gd_path(loss, grad, w0=[1.0, -1.0], learning_rate=0.3, n_steps=0)"
    ax, sets = _gd_figure(plot_gd_path, loss, grad, [1.0, -1.0], 0.3, 0, label)
    _path_line(ax, np.array([[1.0, -1.0]]), label)
    _grid_covers(sets, np.array([[1.0, -1.0]]), label + " (a path of one point)")
    _grids_far_from_the_origin(plot_gd_path)


def _grids_far_from_the_origin(plot_gd_path):
    """The contour grid covers paths far from the origin: in negative x, or starting on the y axis."""
    for centre, w0, lr, n in [((-1.2, 9.0), [-4.3, 2.0], 0.3, 8), ((3.0, -6.5), [0.0, -2.0], 0.2, 6)]:
        loss, grad = _shifted_bowl(0.5, 0.5, centre)
        label = (f"plot_gd_path(loss, grad, w0={w0}, learning_rate={lr}, n_steps={n}) on the bowl "
                 f"0.5 (w1 - {centre[0]})^2 + 0.5 (w2 - {centre[1]})^2")
        ax, sets = _gd_figure(plot_gd_path, loss, grad, w0, lr, n, label)
        path = _trajectory(grad, w0, lr, n)
        _path_line(ax, path, label)
        _grid_covers(sets, path, label)


def check_gd_path_contract(plot_gd_path):
    """Title, labels, legend, a diverging rate, ValueError for bad w0, w0 unchanged."""
    loss, grad = _quadratic(0.5, 0.0, 5.0)
    for lr in [0.07, 0.25]:
        label = f"plot_gd_path(loss, grad, w0=[1.5, 1.0], learning_rate={lr}, n_steps=15)"
        ax, _ = _gd_figure(plot_gd_path, loss, grad, [1.5, 1.0], lr, 15, label)
        if f"{lr:g}" not in ax["title"]:
            fail(label, f"a title containing {lr:g}", ax["title"],
                 "put the learning rate in the title: f'... learning rate {learning_rate:g}'",
                 problem="the title does not show the learning rate")
        if not ax["xlabel"].strip() or not ax["ylabel"].strip():
            fail(label, "non-empty x and y labels", (ax["xlabel"], ax["ylabel"]),
                 "name the coordinates: ax.set_xlabel('$w_1$'), ax.set_ylabel('$w_2$')", problem="missing axis labels")
        if not ax["legend"] or "gradient descent" not in ax["legend"]:
            fail(label, "a legend with 'gradient descent'", ax["legend"], "call ax.legend() after plotting the "
                 "labelled path", problem="no legend entry for the path")
        _path_line(ax, _trajectory(grad, [1.5, 1.0], lr, 15), label + (" (this rate diverges)" if lr > 0.2 else ""))
    for bad in ([1.0, 2.0, 3.0], [[1.0, 2.0]], [[1.0], [2.0]], 4.0):
        assert_raises(ValueError, plot_gd_path, loss, grad, bad, 0.1, 3,
                      label=f"plot_gd_path(loss, grad, w0={bad!r}, 0.1, 3)",
                      hint="check np.shape(w0) == (2,) and raise ValueError otherwise")
    w0 = np.array([0.3, -0.7])
    fig = assert_inputs_unchanged(plot_gd_path, loss, grad, w0, 0.1, 5,
                                  label="plot_gd_path(loss, grad, w0, 0.1, 5)")
    close(fig)


def check_softmax_bars(plot_softmax_temperatures):
    """One Axes per temperature; bar heights equal softmax(logits / T)."""
    rng = np.random.default_rng(3101)
    cases = [(rng.normal(size=5) * 2, [0.5, 1.0, 2.0]),
             (np.array([3.0, -1.0, 0.0, 2.5, 1.0, -2.0, 0.5]), [0.1, 10.0]),
             (rng.normal(size=3), [1.0])]
    for logits, temps in cases:
        label = f"plot_softmax_temperatures(logits, {temps}) with {len(logits)} logits"
        axes = _softmax_axes(plot_softmax_temperatures, logits, temps, label)
        for ax, t in zip(axes, temps):
            expected = softmax(logits / t)
            if len(ax["bars"]) != len(logits):
                fail(label, f"{len(logits)} bars", f"{len(ax['bars'])} bars",
                     "one bar per logit in each Axes: ax.bar(range(n), probabilities)",
                     problem=f"Axes for T = {t:g} has the wrong number of bars")
            assert_close(ax["bars"], expected, label=f"{label}: bar heights for T = {t:g}", **TOL,
                         hint="heights are softmax(logits / T) in the order of the logits (divide by T, "
                              "do not multiply; do not sort)")


def _softmax_axes(fn, logits, temps, label):
    fig = call(fn, logits, temps, label=label)
    try:
        axes = summarize(fig, label)["axes"]
    finally:
        close(fig)
    if len(axes) != len(temps):
        raise CheckFailed(f"{label}: the figure has {len(axes)} Axes\n  expected: {len(temps)}, one per temperature\n"
                          "  hint: fig, axes = plt.subplots(1, len(temperatures), squeeze=False)")
    return axes


def check_softmax_contract(plot_softmax_temperatures):
    """Titles, y label, stability for huge logits, ValueError for T <= 0, inputs unchanged."""
    logits = np.array([1000.0, 1001.5, 998.0, -1e4])
    temps = [0.25, 1.0, 4.0]
    label = "plot_softmax_temperatures([1000, 1001.5, 998, -1e4], [0.25, 1, 4])"
    axes = _softmax_axes(plot_softmax_temperatures, logits, temps, label)
    for ax, t in zip(axes, temps):
        assert_close(ax["bars"], softmax(logits / t), label=f"{label}: bar heights for T = {t:g}", **TOL,
                     hint="subtract the largest scaled logit before np.exp, so exp never overflows")
        if f"T = {t:g}" not in ax["title"]:
            fail(label, f"a title containing 'T = {t:g}'", ax["title"], "ax.set_title(f'T = {T:g}')",
                 problem="the title does not name the temperature")
    for ax, t in zip(axes, temps):
        if not np.allclose(ax["ylim"], [0.0, 1.0], rtol=0, atol=1e-12):
            fail(label, [0.0, 1.0], ax["ylim"], "fix the y axis of every Axes: ax.set_ylim(0, 1), so bars of "
                 "different temperatures compare at a glance", problem=f"the y axis of the Axes for T = {t:g}")
    if not axes[0]["ylabel"].strip():
        fail(label, "a y label on the first Axes", axes[0]["ylabel"], "axes[0].set_ylabel('probability')",
             problem="missing y label")
    for bad in ([1.0, 0.0], [-0.5]):
        assert_raises(ValueError, plot_softmax_temperatures, [1.0, 2.0], bad,
                      label=f"plot_softmax_temperatures([1.0, 2.0], {bad})",
                      hint="raise ValueError when any temperature is <= 0 (before drawing anything)")
    logits, temps = np.array([0.2, -0.4, 1.1]), [0.5, 2.0]
    fig = assert_inputs_unchanged(plot_softmax_temperatures, logits, temps,
                                  label="plot_softmax_temperatures(logits, temperatures)")
    close(fig)
