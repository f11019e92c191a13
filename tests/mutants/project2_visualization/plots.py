"""Variants of the project2_visualization answers: gradient-descent paths and softmax bars (the edits
change one spot of the reference answer)."""
import matplotlib.pyplot as plt
import numpy as np

from harness.mutants import correct, wrong, wrong_edit

# --- plot_gd_path ------------------------------------------------------------


wrong_edit("plot_gd_path", "stops one step early (n_steps points)",
           "for _ in range(n_steps):", "for _ in range(n_steps - 1):")
wrong_edit("plot_gd_path", "steps up the gradient", "w = w - learning_rate", "w = w + learning_rate")
wrong_edit("plot_gd_path", "updates w0 in place",
           """    w = np.array(w0, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"w0 must be a point of shape (2,), got shape {w.shape}")
    path = [w]
    for _ in range(n_steps):
        w = w - learning_rate * np.asarray(grad(w), dtype=float)
        path.append(w)""",
           """    w = np.asarray(w0, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"w0 must be a point of shape (2,), got shape {w.shape}")
    path = [w.copy()]
    for _ in range(n_steps):
        w -= learning_rate * np.asarray(grad(w), dtype=float)
        path.append(w.copy())""")
wrong_edit("plot_gd_path", "plots the path without a contour map",
           '    contour = ax.contour(X, Y, Z, levels=15, cmap="viridis")\n    ax.clabel(contour, fontsize=7)\n', "")
wrong_edit("plot_gd_path", "draws the two coordinates against the step instead of against each other",
           'ax.plot(path[:, 0], path[:, 1], "o-", color="crimson", markersize=3, label="gradient descent")',
           'ax.plot(path[:, 0], "o-", label="gradient descent")\n    ax.plot(path[:, 1], "o-", label="w2")')


@correct("plot_gd_path", "filled contours over a fixed-size grid, path as a list of tuples")
def plot_gd_path(loss, grad, w0, learning_rate, n_steps):
    if np.shape(w0) != (2,):
        raise ValueError("w0 must be a 2-D point")
    points = [tuple(float(c) for c in w0)]
    for _ in range(n_steps):
        g = grad(np.array(points[-1]))
        points.append((points[-1][0] - learning_rate * g[0], points[-1][1] - learning_rate * g[1]))
    xs_path, ys_path = zip(*points)
    span = max(np.ptp(xs_path), np.ptp(ys_path), 1.0)
    xs = np.linspace(min(xs_path) - span / 4, max(xs_path) + span / 4, 40)
    ys = np.linspace(min(ys_path) - span / 4, max(ys_path) + span / 4, 40)
    Z = np.array([[loss(np.array([x, y])) for x in xs] for y in ys])
    fig = plt.figure()
    ax = fig.add_subplot()
    filled = ax.contourf(xs, ys, Z, levels=12, cmap="Blues")
    fig.colorbar(filled, ax=ax, label="loss")
    ax.plot(xs_path, ys_path, marker=".", color="k", label="gradient descent")
    ax.set(xlabel="first weight", ylabel="second weight", title=f"eta = {learning_rate:g}")
    ax.legend(loc="upper right")
    return fig


# --- plot_softmax_temperatures -----------------------------------------------


wrong_edit("plot_softmax_temperatures", "multiplies the logits by the temperature", "scaled = z / t", "scaled = z * t")
wrong_edit("plot_softmax_temperatures", "exponentiates without subtracting the maximum",
           "p = np.exp(scaled - scaled.max())", "p = np.exp(scaled)")
wrong_edit("plot_softmax_temperatures", "sorts the probabilities",
           'ax.bar(np.arange(len(p)), p, color="steelblue")',
           'ax.bar(np.arange(len(p)), np.sort(p)[::-1], color="steelblue")')
wrong_edit("plot_softmax_temperatures", "does not reject a zero temperature",
           '    if any(t <= 0 for t in temperatures):\n        raise ValueError("every temperature must be > 0")\n', "")


@wrong("plot_softmax_temperatures", "draws all temperatures as grouped bars in one Axes")
def plot_softmax_temperatures(logits, temperatures):
    z = np.asarray(logits, dtype=float)
    if any(t <= 0 for t in temperatures):
        raise ValueError("temperature must be > 0")
    fig, ax = plt.subplots()
    width = 0.8 / len(temperatures)
    for i, t in enumerate(temperatures):
        s = z / t
        p = np.exp(s - s.max())
        ax.bar(np.arange(len(z)) + i * width, p / p.sum(), width, label=f"T = {t:g}")
    ax.set_ylabel("probability")
    ax.legend()
    return fig


@correct("plot_softmax_temperatures", "scipy-free log-sum-exp and fig.add_subplot per temperature")
def plot_softmax_temperatures(logits, temperatures):
    z = np.array(logits, dtype=float)
    temps = [float(t) for t in temperatures]
    if min(temps) <= 0:
        raise ValueError("temperatures must be positive")
    fig = plt.figure(figsize=(10, 3))
    for i, t in enumerate(temps):
        ax = fig.add_subplot(1, len(temps), i + 1)
        s = z / t
        log_p = s - (s.max() + np.log(np.sum(np.exp(s - s.max()))))
        ax.bar([str(j) for j in range(len(z))], np.exp(log_p))
        ax.set_ylim(0.0, 1.0)
        ax.set_title(f"temperature: T = {t:g}")
        if i == 0:
            ax.set_ylabel("p(token)")
    return fig
