"""project2_visualization: figures (and widgets) that show the mathematics at work."""
import numpy as np
import matplotlib.pyplot as plt


def plot_gd_path(loss, grad, w0, learning_rate, n_steps):
    """Gradient descent on a 2-D loss, drawn over the loss's contour lines.

    loss(w) returns a float and grad(w) a (2,) array for a point w of shape (2,).
    Runs w_{t+1} = w_t - learning_rate * grad(w_t) from w0 for n_steps steps and
    returns a matplotlib Figure with ONE Axes holding:
      * contour lines (ax.contour or ax.contourf, at least 5 levels) of loss on a
        grid that covers every finite point of the path, with some margin;
      * the path as ONE line through the n_steps + 1 points (x = first coordinate,
        y = second), markers on the points, labelled "gradient descent";
      * a legend, axis labels naming the coordinates, and a title that contains
        the learning rate written with the format f"{learning_rate:g}".
    Raises ValueError if w0 does not have shape (2,). w0 is left unchanged.
    """
    w = np.array(w0, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"w0 must be a point of shape (2,), got shape {w.shape}")
    path = [w]
    for _ in range(n_steps):
        w = w - learning_rate * np.asarray(grad(w), dtype=float)
        path.append(w)
    path = np.array(path)

    finite = path[np.all(np.isfinite(path), axis=1)]
    low, high = finite.min(axis=0), finite.max(axis=0)
    margin = np.maximum(0.2 * (high - low), 0.5)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], 80)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], 80)
    X, Y = np.meshgrid(xs, ys)
    Z = np.array([[loss(np.array([x, y])) for x in xs] for y in ys])

    fig, ax = plt.subplots(figsize=(6, 5))
    contour = ax.contour(X, Y, Z, levels=15, cmap="viridis")
    ax.clabel(contour, fontsize=7)
    ax.plot(path[:, 0], path[:, 1], "o-", color="crimson", markersize=3, label="gradient descent")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(f"Gradient descent, learning rate {learning_rate:g}, {n_steps} steps")
    ax.legend()
    return fig


def plot_softmax_temperatures(logits, temperatures):
    """Bar charts of softmax(logits / T), one Axes per temperature T.

    logits is a 1-D array-like of n scores and temperatures a list of m numbers
    > 0. Returns a Figure with m Axes side by side (in the order of
    temperatures); Axes i shows n bars, bar j of height softmax(logits / T_i)[j]
    (in the order of logits), a y axis from 0 to 1, and a title containing
    f"T = {T_i:g}". The first Axes has a y label. The softmax must be stable
    (no overflow or NaN for logits of size 1e4). Raises ValueError if a
    temperature is <= 0. The inputs are left unchanged.
    """
    z = np.asarray(logits, dtype=float)
    temperatures = list(temperatures)
    if any(t <= 0 for t in temperatures):
        raise ValueError("every temperature must be > 0")
    fig, axes = plt.subplots(1, len(temperatures), figsize=(3 * len(temperatures), 3),
                             sharey=True, squeeze=False)
    for ax, t in zip(axes[0], temperatures):
        scaled = z / t
        p = np.exp(scaled - scaled.max())
        p = p / p.sum()
        ax.bar(np.arange(len(p)), p, color="steelblue")
        ax.set_ylim(0, 1)
        ax.set_xticks(np.arange(len(p)))
        ax.set_xlabel("token")
        ax.set_title(f"T = {t:g}")
    axes[0][0].set_ylabel("probability")
    fig.tight_layout()
    return fig


def plot_attention_heads(weights, tokens):
    """Heatmaps of the attention weights of every head, on one shared colour scale.

    weights is an array-like of shape (n_heads, n, n) (or (n, n) for one head)
    whose row i holds query i's weights over the keys; tokens is a list of the n
    tokens. Returns a Figure with n_heads Axes side by side; Axes h shows ONE
    image (ax.imshow) of weights[h] (queries as rows on the y axis, keys as
    columns on the x axis), x and y tick labels equal to the tokens, and a title
    containing f"head {h}". Every image uses the same colour limits, vmin=0 and
    vmax=1, so a colour means the same weight in every head (and across
    sentences and temperatures); the figure has one colorbar. Raises ValueError
    if the last two dimensions of weights are not (len(tokens), len(tokens)).
    weights is left unchanged.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim == 2:
        w = w[np.newaxis]
    n = len(tokens)
    if w.ndim != 3 or w.shape[1:] != (n, n):
        raise ValueError(f"weights of shape {np.shape(weights)} do not match {n} tokens")
    fig, axes = plt.subplots(1, w.shape[0], figsize=(3.4 * w.shape[0] + 1, 3.4), squeeze=False)
    for h, ax in enumerate(axes[0]):
        image = ax.imshow(w[h], cmap="viridis", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(n), labels=list(tokens), rotation=90)
        ax.set_yticks(range(n), labels=list(tokens))
        ax.set_title(f"head {h}")
    axes[0][0].set_ylabel("query")
    fig.colorbar(image, ax=list(axes[0]), label="attention weight")
    return fig
