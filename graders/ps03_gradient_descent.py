"""Hidden checks for ps03_gradient_descent (gradient descent, sweeps, plot); optimizer checks re-exported.

Oracles are hand-derived closed forms. On f(w) = a (w - c)^2 the gradient step
is w - c <- (1 - 2 a lr)(w - c), so w_t = c + (w0 - c)(1 - 2 a lr)^t and
f(w_t) = a (w0 - c)^2 (1 - 2 a lr)^(2t); on f(w) = 1/2 (w - c)^T H (w - c),
w_t = c + (I - lr H)^t (w0 - c). Figures are read through graders.figures.summarize.

Tolerances: trajectories and losses use rtol 1e-9, atol 1e-12 (the closed
forms and the iteration agree to ~1e-14 over these few steps; an off-by-one,
a sign error or a wrong rate misses by orders of magnitude). Plotted data is
compared with the same tolerance. Inputs are fresh and seeded.
"""
from __future__ import annotations

import copy
import re

import numpy as np

from .checks import (CheckFailed, as_float_array, assert_close, assert_equal, assert_inputs_unchanged, call,
                     describe, fail)
from .composites import SKIP, Composed, assert_close_any, call_composite, composed, composite_inputs_unchanged
from .figures import close, summarize
# The optimizer checks live in their own module; notebooks import every check from here.
from .ps03_optimizers import (check_adam_contract, check_adam_values, check_momentum_contract,  # noqa: F401
                              check_momentum_values, check_sgd_contract, check_sgd_values)

TOL = dict(rtol=1e-9, atol=1e-12)


def _quadratic(a, c):
    """loss, grad and closed-form trajectory of f(w) = sum a (w - c)^2 (elementwise a, c)."""
    def loss(w):
        return float(np.sum(a * (np.asarray(w) - c) ** 2))

    def grad(w):
        return 2 * a * (np.asarray(w) - c)

    def trajectory(w0, lr, n_steps):
        t = np.arange(n_steps + 1).reshape((-1,) + (1,) * np.ndim(w0))
        return c + (np.asarray(w0, dtype=float) - c) * (1 - 2 * a * lr) ** t
    return loss, grad, trajectory


def check_gd_values(gradient_descent):
    """Trajectories against closed forms for scalar, vector, matrix and coupled quadratics."""
    rng = np.random.default_rng(3101)
    loss, grad, closed = _quadratic(1.5, -0.7)
    for lr, n in [(0.1, 12), (0.45, 9)]:
        label = f"gradient_descent(grad, 2.0, {lr}, {n}) on f(w) = 1.5 (w + 0.7)^2"
        assert_close(call(gradient_descent, grad, 2.0, lr, n, label=label), closed(2.0, lr, n), label=label,
                     **TOL, hint="row 0 is w0 and row t+1 = row t - learning_rate * grad(row t): "
                                 f"{n} steps give {n + 1} rows; subtract the gradient (do not add it)")
    a, c = rng.uniform(0.2, 2.0, size=4), rng.normal(size=4)
    _, grad, closed = _quadratic(a, c)
    w0 = rng.normal(size=4)
    label = "gradient_descent(grad, w0, 0.2, 7) on a separable quadratic in 4 dimensions"
    assert_close(call(gradient_descent, grad, w0, 0.2, 7, label=label), closed(w0, 0.2, 7), label=label,
                 **TOL, hint="the result has shape (n_steps + 1,) + w0.shape; store a copy of w at each step")
    a, c = rng.uniform(0.2, 2.0, size=(2, 3)), rng.normal(size=(2, 3))
    _, grad, closed = _quadratic(a, c)
    w0 = rng.normal(size=(2, 3))
    label = "gradient_descent(grad, W0, 0.3, 5) with a (2, 3) matrix W0"
    assert_close(call(gradient_descent, grad, w0, 0.3, 5, label=label), closed(w0, 0.3, 5), label=label,
                 **TOL, hint="w0 may have any shape; the trajectory has shape (n_steps + 1, 2, 3)")
    Q = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    H = Q @ np.diag([0.5, 2.0, 4.0]) @ Q.T
    c = rng.normal(size=3)
    w0 = rng.normal(size=3)
    steps = np.linalg.matrix_power
    expected = np.array([c + steps(np.eye(3) - 0.2 * H, t) @ (w0 - c) for t in range(11)])
    label = "gradient_descent(grad, w0, 0.2, 10) on a coupled quadratic 1/2 (w-c)^T H (w-c) in 3-D"
    got = call(gradient_descent, lambda w: H @ (np.asarray(w) - c), w0, 0.2, 10, label=label)
    assert_close(got, expected, label=label, **TOL,
                 hint="evaluate the gradient at the CURRENT point w_t at every step")
    _, grad, closed = _quadratic(1.0, 1.0)
    label = "gradient_descent(grad, 3, 0.25, 6) with the int 3 as w0 on f(w) = (w - 1)^2"
    assert_close(call(gradient_descent, grad, 3, 0.25, 6, label=label), closed(3.0, 0.25, 6), label=label,
                 **TOL, hint="convert w0 to a float array first: np.array(w0, dtype=float)")


def check_gd_contract(gradient_descent):
    """n_steps = 0, row 0 is exactly w0, rows are independent copies, w0 and lists unchanged."""
    rng = np.random.default_rng(3102)
    _, grad, _ = _quadratic(0.8, 0.3)
    w0 = rng.normal(size=(2, 2))
    label = "gradient_descent(grad, W0, 0.1, 0) with a (2, 2) W0 and zero steps"
    got = np.asarray(call(gradient_descent, grad, w0, 0.1, 0, label=label), dtype=float)
    if got.shape != (1, 2, 2):
        fail(label, "an array of shape (1, 2, 2)", got, problem=f"shape {got.shape}",
             hint="with n_steps = 0 the trajectory holds w0 only: shape (1,) + w0.shape")
    assert_close(got[0], w0, label=label, rtol=0, atol=0, hint="row 0 of the trajectory is w0 itself")
    w0 = rng.normal(size=5)
    label = "gradient_descent(grad, w0, 0.3, 4) on a 5-d w0"
    got = assert_inputs_unchanged(gradient_descent, grad, w0, 0.3, 4, label=label)
    got = np.asarray(got, dtype=float)
    assert_equal(got.shape, (5, 5), label=f"shape of {label}",
                 hint="n_steps = 4 gives 5 rows: w0 and the 4 updated points")
    assert_close(got[0], w0, label=f"row 0 of {label}", rtol=0, atol=0,
                 hint="row 0 is w0 before any update; do not update w in place (w -= ...) while storing it")
    if np.allclose(got[1:], got[-1]):
        raise CheckFailed(f"{label}: all rows after the first are identical\n"
                          f"  got:      {describe(got)}\n"
                          "  hint: append a copy of w (w.copy()) or rebind w = w - lr * g; appending the same "
                          "array and updating it in place makes every row alias the final point")
    w0 = [1.0, -2.0]
    assert_inputs_unchanged(gradient_descent, grad, w0, 0.5, 3,
                            label="gradient_descent(grad, [1.0, -2.0], 0.5, 3) with a list w0")


def _fresh_rates(*texts):
    # Floats parsed at run time: exact values a rounding or float32 detour would change.
    return [float(t) for t in texts]


def _check_keys(got, rates, label):
    __tracebackhide__ = True
    if not isinstance(got, dict):
        fail(label, "a dict {learning_rate: losses}", got, hint="build and return a dict")
    keys = list(got)
    if keys != rates or not all(type(k) is float for k in keys):
        fail(label, f"exactly the keys {rates}, in order, as the given Python floats", keys,
             problem="the keys are not the given learning-rate objects",
             hint="use each given rate itself as the key: for lr in learning_rates: sweep[lr] = ... "
                  "(looping over np.array(learning_rates) or converting/rounding creates new numbers)")


def _sweep(loss, grad, start, rates, n, gradient_descent):
    """Losses per rate along gradient_descent's trajectories, all started from the same object
    (a helper that changes w0 in place changes it for the next rate too, as in the student's loop)."""
    return [np.array([loss(w) for w in np.asarray(gradient_descent(grad, start, lr, n), dtype=float)])
            for lr in rates]


def _sweeps(loss, grad, closed, w0, rates, n, gradient_descent, untouched=False):
    """The accepted losses per rate: along the closed-form trajectories, and along the student's
    own gradient_descent; with ``untouched``, a gradient_descent that changes w0 counts as broken."""
    def oracle(gradient_descent):
        start = copy.deepcopy(w0)
        losses = _sweep(loss, grad, start, rates, n, gradient_descent)
        if untouched and not np.array_equal(np.asarray(start), np.asarray(w0)):
            raise ValueError("gradient_descent changed w0 in place")
        return losses
    return composed(oracle, {"gradient_descent": lambda grad, w0, lr, n: closed(w0, lr, n)},
                    {"gradient_descent": gradient_descent})


def _rate(expected, i):
    return Composed([values[i] for values in expected.values], expected.helper_broken)


def check_sweep_values(learning_rate_sweep, gradient_descent=None):
    """Keys are the given float objects; losses against closed forms (scalar and vector w), or
    along the student's own gradient_descent."""
    rng = np.random.default_rng(3201)
    loss, grad, closed = _quadratic(2.0, 0.5)
    cases = [(loss, grad, closed, -1.0, _fresh_rates("0.02", "0.15", "0.4"), 8, "f(w) = 2 (w - 0.5)^2")]
    a, c = rng.uniform(0.5, 1.5, size=3), rng.normal(size=3)
    w0 = rng.normal(size=3)
    cases.append((*_quadratic(a, c), w0, _fresh_rates("0.05", "0.3"), 6, "a 3-D separable quadratic"))
    for loss, grad, closed, w0, rates, n, where in cases:
        label = f"learning_rate_sweep(loss, grad, {'w0' if np.ndim(w0) else w0}, {rates}, {n}) on {where}"
        expected = _sweeps(loss, grad, closed, w0, rates, n, gradient_descent)
        got = call_composite(learning_rate_sweep, loss, grad, copy.deepcopy(w0), rates, n, label=label,
                             expected=expected)
        if got is SKIP:
            continue
        _check_keys(got, rates, label)
        for i, lr in enumerate(rates):
            assert_close_any(got[lr], _rate(expected, i), label=f"{label}, losses for rate {lr}", **TOL,
                             hint="run gradient_descent(grad, w0, lr, n_steps) and record loss(w_t) for every "
                                  "row of the trajectory, loss(w0) first: n_steps + 1 values")


def check_sweep_contract(learning_rate_sweep, gradient_descent=None):
    """Inputs unchanged, a single rate, and a rate that overflows (non-finite last loss, right length)."""
    rng = np.random.default_rng(3202)
    loss, grad, closed = _quadratic(1.0, 2.0)
    rates, w0 = _fresh_rates("0.1", "0.7"), rng.normal(size=2)
    composite_inputs_unchanged(learning_rate_sweep, loss, grad, w0, rates, 3,
                               expected=_sweeps(loss, grad, closed, w0, rates, 3, gradient_descent, untouched=True),
                               label="learning_rate_sweep(loss, grad, w0, [0.1, 0.7], 3) with a 2-d w0")
    rates = _fresh_rates("0.25")
    label = "learning_rate_sweep(loss, grad, 0.0, [0.25], 0) on f(w) = (w - 2)^2"
    expected = _sweeps(loss, grad, closed, 0.0, rates, 0, gradient_descent)
    got = call_composite(learning_rate_sweep, loss, grad, 0.0, rates, 0, label=label, expected=expected)
    if got is not SKIP:
        _check_keys(got, rates, label)
        assert_close_any(got[rates[0]], _rate(expected, 0), label=label, **TOL,
                         hint="with n_steps = 0 the losses are [loss(w0)]")
    rates, n = _fresh_rates("0.3", "6.0"), 400
    label = f"learning_rate_sweep(loss, grad, 0.0, {rates}, {n}) on f(w) = (w - 2)^2"
    expected = _sweeps(loss, grad, closed, 0.0, rates, n, gradient_descent)
    got = call_composite(learning_rate_sweep, loss, grad, 0.0, rates, n, label=label, expected=expected)
    if got is SKIP:
        return
    _check_keys(got, rates, label)
    bad = as_float_array(got[rates[1]], f"{label}, losses for rate 6.0")
    own_gd = [np.asarray(values[1], dtype=float) for values in expected.values[1:]]
    if not any(v.shape == bad.shape and np.array_equal(v, bad, equal_nan=True) for v in own_gd) \
            and not expected.helper_broken and (bad.shape != (n + 1,) or np.isfinite(bad[-1])):
        fail(f"{label}, losses for rate 6.0", f"{n + 1} losses ending in inf or nan", bad,
             hint="a diverging run overflows: keep iterating and recording, do not stop early or clip")
    last = Composed([values[0][-1:] for values in expected.values], expected.helper_broken)
    assert_close_any(as_float_array(got[rates[0]], label)[-1:], last, label=f"{label}, last loss for rate 0.3", rtol=0, atol=1e-12,
                     hint="a converging rate should reach the minimum loss 0")


def _diverged_cases():
    yield "losses [4.0, 2.0, 1.0] (decreasing)", [4.0, 2.0, 1.0], False
    yield "losses [1.0, 2.0, 3.5] (increasing)", [1.0, 2.0, 3.5], True
    yield "an array of 50 losses ending in inf", np.r_[np.linspace(3.0, 1e300, 49), np.inf], True
    yield "losses [2.0, 7.0, nan]", [2.0, 7.0, np.nan], True
    yield "losses [1.0, 5.0, 0.5] (up, then below the start)", [1.0, 5.0, 0.5], False
    yield "losses [3.0, 1.0, 2.0, 4.0] (down, then above the start)", [3.0, 1.0, 2.0, 4.0], True
    yield "losses [1.0, 0.25, 1.0] (back exactly at the start)", [1.0, 0.25, 1.0], False
    yield "losses [2.0, inf, 1.5] (non-finite only in the middle)", [2.0, np.inf, 1.5], False
    yield "a single loss [3.0]", [3.0], False


def check_diverged(diverged):
    """Every clause of the definition: last loss non-finite, or greater than the first."""
    for label, losses, expected in _diverged_cases():
        call_label = f"diverged({label})"
        got = call(diverged, np.asarray(losses), label=call_label)
        if not isinstance(got, (bool, np.bool_)):
            fail(call_label, expected, got, problem="not a bool", hint="return True or False (bool(...))")
        assert_equal(bool(got), expected, label=call_label,
                     hint="diverged means: the LAST loss is inf/nan, or the last loss is strictly greater "
                          "than the FIRST; nothing else (not the maximum, not the previous step)")
    losses = [5.0, 4.0, 6.0]
    label = "diverged([5.0, 4.0, 6.0]) given as a list"
    assert_equal(bool(assert_inputs_unchanged(diverged, losses, label=label)), True, label=label,
                 hint="accept lists as well as arrays (np.asarray)")


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _labelled_rate(label, rates):
    numbers = []
    for token in _NUMBER.findall(label):
        try:
            numbers.append(float(token))
        except ValueError:
            pass
    return [lr for lr in rates if any(np.isclose(x, lr, rtol=1e-9, atol=0) for x in numbers)]


def check_plot(plot_learning_rate_sweep):
    """One Axes, one line per rate with its data and a label naming the rate, legend, log y, labels, title."""
    rng = np.random.default_rng(3301)
    for n_steps, rates in [(10, [0.03, 0.2, 0.9]), (5, [0.004, 1.25])]:
        sweep = {}
        for lr in rates:
            sweep[lr] = np.exp(rng.normal(size=n_steps + 1).cumsum())
        sweep[rates[-1]][-1] = np.inf
        label = f"plot_learning_rate_sweep(sweep) on a sweep of rates {rates} with {n_steps} steps"
        fig = call(plot_learning_rate_sweep, sweep, label=label)
        try:
            summary = summarize(fig, label)
        finally:
            close(fig)
        if len(summary["axes"]) != 1:
            fail(label, "1 Axes", f"{len(summary['axes'])} Axes",
                 hint="draw every learning rate on the same Axes: fig, ax = plt.subplots() once")
        ax = summary["axes"][0]
        if len(ax["lines"]) != len(rates):
            fail(label, f"{len(rates)} lines", f"{len(ax['lines'])} lines",
                 hint="exactly one ax.plot(...) call per learning rate")
        for lr in rates:
            lines = [line for line in ax["lines"] if _labelled_rate(line["label"], [lr])]
            if len(lines) != 1:
                fail(label, f"one line whose label shows the rate {lr}", [line["label"] for line in ax["lines"]],
                     hint="label each line with its rate, e.g. ax.plot(..., label=f'lr = {lr}')")
            assert_close(lines[0]["x"], np.arange(n_steps + 1), label=f"{label}: x data of the line for rate {lr}",
                         **TOL, hint="x is the step number 0, 1, ..., n_steps (np.arange(len(losses)))")
            assert_close(lines[0]["y"], sweep[lr], label=f"{label}: y data of the line for rate {lr}",
                         **TOL, hint="y is the list of losses of that rate, unchanged")
        if not ax["legend"] or len(ax["legend"]) != len(rates):
            fail(label, f"a legend with {len(rates)} entries", ax["legend"], hint="call ax.legend() after plotting")
        if ax["yscale"] != "log":
            fail(label, "y scale 'log'", ax["yscale"],
                 hint="losses span many orders of magnitude: ax.set_yscale('log')")
        for part in ("xlabel", "ylabel", "title"):
            if not ax[part].strip():
                fail(label, f"a non-empty {part}", ax[part],
                     hint="set ax.set_xlabel(...), ax.set_ylabel(...) and ax.set_title(...)")
