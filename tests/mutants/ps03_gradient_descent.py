"""Variants of the ps03_gradient_descent answers, graded through real nbgrader in tests/test_mutants.py."""
import matplotlib.pyplot as plt
import numpy as np

from harness.mutants import correct, wrong


# --- gradient_descent ----------------------------------------------------------


@wrong("gradient_descent", "leaves w0 out of the trajectory")
def gradient_descent(grad, w0, learning_rate, n_steps):
    w = np.array(w0, dtype=float)
    trajectory = []
    for _ in range(n_steps):
        w = w - learning_rate * grad(w)
        trajectory.append(w)
    return np.array(trajectory)


@wrong("gradient_descent", "takes n_steps + 1 steps, giving n_steps + 2 rows")
def gradient_descent(grad, w0, learning_rate, n_steps):
    w = np.array(w0, dtype=float)
    trajectory = [w]
    for _ in range(n_steps + 1):
        w = w - learning_rate * grad(w)
        trajectory.append(w)
    return np.array(trajectory)


@wrong("gradient_descent", "adds the gradient instead of subtracting it")
def gradient_descent(grad, w0, learning_rate, n_steps):
    w = np.array(w0, dtype=float)
    trajectory = [w]
    for _ in range(n_steps):
        w = w + learning_rate * grad(w)
        trajectory.append(w)
    return np.array(trajectory)


@wrong("gradient_descent", "updates w in place so every row aliases the same array")
def gradient_descent(grad, w0, learning_rate, n_steps):
    w = np.asarray(w0, dtype=float)
    trajectory = [w]
    for _ in range(n_steps):
        w -= learning_rate * grad(w)
        trajectory.append(w)
    return np.array(trajectory)


@correct("gradient_descent", "preallocates the trajectory array")
def gradient_descent(grad, w0, learning_rate, n_steps):
    w0 = np.asarray(w0, dtype=float)
    trajectory = np.empty((n_steps + 1,) + w0.shape)
    trajectory[0] = w0
    for t in range(n_steps):
        trajectory[t + 1] = trajectory[t] - learning_rate * np.asarray(grad(trajectory[t].copy()))
    return trajectory


# --- learning_rate_sweep -------------------------------------------------------


@wrong("learning_rate_sweep", "loops over np.array(learning_rates), so keys are new numpy floats")
def learning_rate_sweep(loss, grad, w0, learning_rates, n_steps):
    sweep = {}
    for lr in np.array(learning_rates):
        sweep[lr] = np.array([loss(w) for w in gradient_descent(grad, w0, lr, n_steps)])
    return sweep


@wrong("learning_rate_sweep", "uses the rates as strings for keys")
def learning_rate_sweep(loss, grad, w0, learning_rates, n_steps):
    return {str(lr): np.array([loss(w) for w in gradient_descent(grad, w0, lr, n_steps)])
            for lr in learning_rates}


@wrong("learning_rate_sweep", "drops the loss at w0")
def learning_rate_sweep(loss, grad, w0, learning_rates, n_steps):
    return {lr: np.array([loss(w) for w in gradient_descent(grad, w0, lr, n_steps)[1:]])
            for lr in learning_rates}


@wrong("learning_rate_sweep", "starts each rate where the previous rate stopped")
def learning_rate_sweep(loss, grad, w0, learning_rates, n_steps):
    sweep = {}
    w = w0
    for lr in learning_rates:
        trajectory = gradient_descent(grad, w, lr, n_steps)
        sweep[lr] = np.array([loss(p) for p in trajectory])
        w = trajectory[-1]
    return sweep


@correct("learning_rate_sweep", "iterates inline without calling gradient_descent")
def learning_rate_sweep(loss, grad, w0, learning_rates, n_steps):
    result = {}
    for lr in learning_rates:
        w = np.array(w0, dtype=float)
        losses = [loss(w)]
        for _ in range(n_steps):
            w = w - lr * grad(w)
            losses.append(loss(w))
        result[lr] = np.array(losses, dtype=float)
    return result


# --- diverged --------------------------------------------------------------------


@wrong("diverged", "only checks whether the last loss is finite")
def diverged(losses):
    return bool(not np.isfinite(losses[-1]))


@wrong("diverged", "counts an equal last loss as diverged (>=)")
def diverged(losses):
    losses = np.asarray(losses, dtype=float)
    return bool(not np.isfinite(losses[-1]) or losses[-1] >= losses[0])


@wrong("diverged", "compares the largest loss with the first")
def diverged(losses):
    losses = np.asarray(losses, dtype=float)
    return bool(not np.isfinite(losses[-1]) or losses.max() > losses[0])


@wrong("diverged", "compares the last loss with the previous one")
def diverged(losses):
    losses = np.asarray(losses, dtype=float)
    return bool(not np.isfinite(losses[-1]) or (len(losses) > 1 and losses[-1] > losses[-2]))


@wrong("diverged", "treats any non-finite loss anywhere as divergence")
def diverged(losses):
    losses = np.asarray(losses, dtype=float)
    return bool(not np.all(np.isfinite(losses)) or losses[-1] > losses[0])


@correct("diverged", "negates the converged condition")
def diverged(losses):
    first, last = float(losses[0]), float(losses[-1])
    return not (np.isfinite(last) and last <= first)


# --- plot_learning_rate_sweep ------------------------------------------------------


@wrong("plot_learning_rate_sweep", "keeps a linear y axis")
def plot_learning_rate_sweep(sweep):
    fig, ax = plt.subplots()
    for lr, losses in sweep.items():
        ax.plot(np.arange(len(losses)), losses, label=f"lr = {lr}")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("learning-rate sweep")
    ax.legend()
    return fig


@wrong("plot_learning_rate_sweep", "forgets the legend")
def plot_learning_rate_sweep(sweep):
    fig, ax = plt.subplots()
    for lr, losses in sweep.items():
        ax.plot(np.arange(len(losses)), losses, label=f"lr = {lr}")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("learning-rate sweep")
    return fig


@wrong("plot_learning_rate_sweep", "labels every line 'loss' instead of its rate")
def plot_learning_rate_sweep(sweep):
    fig, ax = plt.subplots()
    for losses in sweep.values():
        ax.plot(np.arange(len(losses)), losses, label="loss")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("learning-rate sweep")
    ax.legend()
    return fig


@wrong("plot_learning_rate_sweep", "counts steps from 1")
def plot_learning_rate_sweep(sweep):
    fig, ax = plt.subplots()
    for lr, losses in sweep.items():
        ax.plot(np.arange(1, len(losses) + 1), losses, label=f"lr = {lr}")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("learning-rate sweep")
    ax.legend()
    return fig


@correct("plot_learning_rate_sweep", "uses pyplot's semilogy and Greek-letter labels")
def plot_learning_rate_sweep(sweep):
    fig = plt.figure()
    for eta in sweep:
        plt.semilogy(range(len(sweep[eta])), sweep[eta], "o-", label=f"η = {eta:g}")
    plt.xlabel("iteration")
    plt.ylabel("f(w)")
    plt.title("Loss curves")
    plt.legend()
    return fig


# --- SGD -------------------------------------------------------------------------------


@wrong("SGD", "updates the parameters in place")
class SGD:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.learning_rate * g
        return list(params)


@wrong("SGD", "adds the gradient")
class SGD:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        return [p + self.learning_rate * g for p, g in zip(params, grads)]


@wrong("SGD", "forgets the learning rate")
class SGD:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        return [p - g for p, g in zip(params, grads)]


@correct("SGD", "loops over indices and uses np.subtract")
class SGD:
    def __init__(self, learning_rate):
        self.lr = float(learning_rate)

    def step(self, params, grads):
        new_params = []
        for i in range(len(params)):
            new_params.append(np.subtract(params[i], self.lr * np.asarray(grads[i])))
        return new_params


# --- Momentum --------------------------------------------------------------------------


@wrong("Momentum", "averages the velocity with (1 - momentum) * g")
class Momentum:
    def __init__(self, learning_rate, momentum=0.9):
        self.learning_rate, self.momentum, self.v = learning_rate, momentum, None

    def step(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p, dtype=float) for p in params]
        self.v = [self.momentum * v + (1 - self.momentum) * g for v, g in zip(self.v, grads)]
        return [p - self.learning_rate * v for p, v in zip(params, self.v)]


@wrong("Momentum", "puts the learning rate into v and again into the step")
class Momentum:
    def __init__(self, learning_rate, momentum=0.9):
        self.learning_rate, self.momentum, self.v = learning_rate, momentum, None

    def step(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p, dtype=float) for p in params]
        self.v = [self.momentum * v + self.learning_rate * g for v, g in zip(self.v, grads)]
        return [p - self.learning_rate * v for p, v in zip(params, self.v)]


@wrong("Momentum", "starts the velocity from zero on every call")
class Momentum:
    def __init__(self, learning_rate, momentum=0.9):
        self.learning_rate, self.momentum = learning_rate, momentum

    def step(self, params, grads):
        velocities = [np.zeros_like(p, dtype=float) for p in params]
        velocities = [self.momentum * v + g for v, g in zip(velocities, grads)]
        return [p - self.learning_rate * v for p, v in zip(params, velocities)]


@wrong("Momentum", "keeps the velocities in a class attribute shared by all instances")
class Momentum:
    velocities = {}

    def __init__(self, learning_rate, momentum=0.9):
        self.learning_rate, self.momentum = learning_rate, momentum

    def step(self, params, grads):
        new_params = []
        for i, (p, g) in enumerate(zip(params, grads)):
            v = self.momentum * self.velocities.get(i, 0.0) + g
            self.velocities[i] = v
            new_params.append(p - self.learning_rate * v)
        return new_params


@correct("Momentum", "stores learning_rate * v (the same updates for a fixed learning rate)")
class Momentum:
    def __init__(self, learning_rate, momentum=0.9):
        self.learning_rate, self.momentum, self.v = learning_rate, momentum, None

    def step(self, params, grads):
        if self.v is None:
            self.v = [np.zeros(np.shape(p)) for p in params]
        self.v = [self.momentum * v + self.learning_rate * np.asarray(g) for v, g in zip(self.v, grads)]
        return [np.asarray(p) - v for p, v in zip(params, self.v)]


# --- Adam ------------------------------------------------------------------------------


@wrong("Adam", "skips the bias correction")
class Adam:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = learning_rate, beta1, beta2, eps
        self.m, self.v = {}, {}

    def step(self, params, grads):
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            self.m[i] = self.b1 * self.m.get(i, 0.0) + (1 - self.b1) * g
            self.v[i] = self.b2 * self.v.get(i, 0.0) + (1 - self.b2) * g ** 2
            out.append(p - self.lr * self.m[i] / (np.sqrt(self.v[i]) + self.eps))
        return out


@wrong("Adam", "never increments t, so the bias correction stays at step 1")
class Adam:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = learning_rate, beta1, beta2, eps
        self.t, self.m, self.v = 1, {}, {}

    def step(self, params, grads):
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            self.m[i] = self.b1 * self.m.get(i, 0.0) + (1 - self.b1) * g
            self.v[i] = self.b2 * self.v.get(i, 0.0) + (1 - self.b2) * g ** 2
            m_hat = self.m[i] / (1 - self.b1 ** self.t)
            v_hat = self.v[i] / (1 - self.b2 ** self.t)
            out.append(p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps))
        return out


@wrong("Adam", "increments t once per parameter instead of once per step")
class Adam:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = learning_rate, beta1, beta2, eps
        self.t, self.m, self.v = 0, {}, {}

    def step(self, params, grads):
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            self.t += 1
            self.m[i] = self.b1 * self.m.get(i, 0.0) + (1 - self.b1) * g
            self.v[i] = self.b2 * self.v.get(i, 0.0) + (1 - self.b2) * g ** 2
            m_hat = self.m[i] / (1 - self.b1 ** self.t)
            v_hat = self.v[i] / (1 - self.b2 ** self.t)
            out.append(p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps))
        return out


@wrong("Adam", "updates the parameter arrays in place")
class Adam:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = learning_rate, beta1, beta2, eps
        self.t, self.m, self.v = 0, {}, {}

    def step(self, params, grads):
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            self.m[i] = self.b1 * self.m.get(i, 0.0) + (1 - self.b1) * g
            self.v[i] = self.b2 * self.v.get(i, 0.0) + (1 - self.b2) * g ** 2
            m_hat = self.m[i] / (1 - self.b1 ** self.t)
            v_hat = self.v[i] / (1 - self.b2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return list(params)


@correct("Adam", "folds the bias corrections into the step size (PyTorch's form)")
class Adam:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = learning_rate, beta1, beta2, eps
        self.t, self.state = 0, {}

    def step(self, params, grads):
        self.t += 1
        c1, c2 = 1 - self.b1 ** self.t, np.sqrt(1 - self.b2 ** self.t)
        out = []
        for i, (p, g) in enumerate(zip(params, grads)):
            m, v = self.state.get(i, (0.0, 0.0))
            m = self.b1 * m + (1 - self.b1) * np.asarray(g)
            v = self.b2 * v + (1 - self.b2) * np.square(g)
            self.state[i] = (m, v)
            out.append(p - (self.lr * c2 / c1) * m / (np.sqrt(v) + self.eps * c2))
        return out
