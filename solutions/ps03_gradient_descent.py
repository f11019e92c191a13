"""ps03_gradient_descent: gradient descent, learning-rate sweeps and optimizers."""
import matplotlib.pyplot as plt
import numpy as np


def gradient_descent(grad, w0, learning_rate, n_steps):
    """Run n_steps of gradient descent w_{t+1} = w_t - learning_rate * grad(w_t).

    grad is a function returning the gradient at w (same shape as w); w0 is the
    starting point, a number or an array-like of any shape. Returns the whole
    trajectory as a float array of shape (n_steps + 1,) + shape(w0): row 0 is
    w0 and row t is the point after t steps. w0 is left unchanged.
    """
    w = np.array(w0, dtype=float)
    trajectory = [w.copy()]
    for _ in range(n_steps):
        w = w - learning_rate * np.asarray(grad(w.copy()), dtype=float)
        trajectory.append(w.copy())
    return np.array(trajectory)


def learning_rate_sweep(loss, grad, w0, learning_rates, n_steps):
    """Run gradient_descent from w0 once per learning rate and record the losses.

    Returns a dict that maps each learning rate (the very objects given in
    learning_rates, used as keys) to a float array of length n_steps + 1:
    loss(w_0), loss(w_1), ..., loss(w_{n_steps}) along that rate's trajectory.
    A diverging rate may produce inf or nan losses; that is expected.
    """
    sweep = {}
    for lr in learning_rates:
        trajectory = gradient_descent(grad, w0, lr, n_steps)
        sweep[lr] = np.array([loss(w) for w in trajectory], dtype=float)
    return sweep


def diverged(losses):
    """True iff the run diverged: the last loss is not finite, or is greater than the first.

    losses is a 1-D array-like of losses along a trajectory (first = at w0).
    Returns a Python bool.
    """
    losses = np.asarray(losses, dtype=float)
    return bool(not np.isfinite(losses[-1]) or losses[-1] > losses[0])


def plot_learning_rate_sweep(sweep):
    """Plot the loss curves of a learning_rate_sweep result and return the Figure.

    One Axes; one line per learning rate with x = step (0, 1, ..., n_steps) and
    y = loss, labelled with its learning rate (e.g. "lr = 0.1"); a legend; a
    logarithmic y axis; non-empty x label, y label and title.
    """
    fig, ax = plt.subplots(figsize=(7, 4))
    for lr, losses in sweep.items():
        ax.plot(np.arange(len(losses)), losses, marker=".", label=f"lr = {lr}")
    ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel("loss f(w_t)")
    ax.set_title("Gradient descent: loss per step for each learning rate")
    ax.legend()
    return fig


class SGD:
    """Plain stochastic gradient descent: p <- p - learning_rate * g for every parameter."""

    def __init__(self, learning_rate):
        """Store the learning rate (SGD keeps no other state)."""
        self.learning_rate = learning_rate

    def step(self, params, grads):
        """One update. params and grads are lists of arrays with matching shapes.

        Returns a NEW list of NEW arrays (the updated parameters); the arrays in
        params and grads are left unchanged.
        """
        return [np.asarray(p, dtype=float) - self.learning_rate * np.asarray(g, dtype=float)
                for p, g in zip(params, grads)]


class Momentum:
    """Gradient descent with momentum (heavy ball), one velocity per parameter.

    On each step, for every parameter p with gradient g and velocity v
    (v starts at 0):  v <- momentum * v + g;  p <- p - learning_rate * v.
    """

    def __init__(self, learning_rate, momentum=0.9):
        """Store the hyper-parameters; the velocities are created on the first step."""
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocities = None

    def step(self, params, grads):
        """One update; returns a new list of new arrays and keeps the velocities for the next call.

        The arrays in params and grads are left unchanged.
        """
        if self.velocities is None:
            self.velocities = [np.zeros(np.shape(p)) for p in params]
        new_params = []
        for i, (p, g) in enumerate(zip(params, grads)):
            self.velocities[i] = self.momentum * self.velocities[i] + np.asarray(g, dtype=float)
            new_params.append(np.asarray(p, dtype=float) - self.learning_rate * self.velocities[i])
        return new_params


class Adam:
    """Adam: per-parameter step sizes from running averages of g and g**2.

    State: a step counter t (starts at 0) and, per parameter, m and v (start at 0).
    On each step: t <- t + 1, then for every parameter p with gradient g:
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t),  v_hat = v / (1 - beta2**t)
        p <- p - learning_rate * m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        """Store the hyper-parameters; t = 0, and m, v are created on the first step."""
        self.learning_rate = learning_rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.t = 0
        self.m = None
        self.v = None

    def step(self, params, grads):
        """One update; returns a new list of new arrays and keeps t, m and v for the next call.

        The arrays in params and grads are left unchanged.
        """
        if self.m is None:
            self.m = [np.zeros(np.shape(p)) for p in params]
            self.v = [np.zeros(np.shape(p)) for p in params]
        self.t += 1
        new_params = []
        for i, (p, g) in enumerate(zip(params, grads)):
            g = np.asarray(g, dtype=float)
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g ** 2
            m_hat = self.m[i] / (1 - self.beta1 ** self.t)
            v_hat = self.v[i] / (1 - self.beta2 ** self.t)
            new_params.append(np.asarray(p, dtype=float) - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps))
        return new_params
