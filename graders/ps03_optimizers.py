"""Hidden checks for the optimizer classes of ps03_gradient_descent: SGD, Momentum, Adam.

Oracles: an independent re-implementation of each update rule below (written
from the contract's equations, one step function per optimizer, state passed
explicitly) and hand-derived closed forms: Momentum with a constant gradient g
gives p_t = p_0 - lr g sum_{k=1..t} (1 - mu^k) / (1 - mu); Adam's first step
is p_1 = p_0 - lr g / (|g| + eps) (m_hat = g and v_hat = g^2 after one step).

Each optimizer is driven for several steps on a list of parameters of
different shapes with fresh seeded gradients; the student's returned
parameters are fed back in, as in a training loop. Tolerance rtol 1e-10,
atol 1e-12: the updates are a handful of flops per entry, so a correct
implementation agrees to ~1e-15, while a missing bias correction, a stale
step counter or a forgotten state changes results at the 1e-3 level or more.
"""
from __future__ import annotations

import numpy as np

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, call, fail

TOL = dict(rtol=1e-10, atol=1e-12)
SHAPES = [(3,), (2, 4)]


def _params_and_grads(seed, n_steps, shapes=SHAPES):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) * rng.uniform(0.1, 3.0) for s in shapes] for _ in range(n_steps)]
    return params, grads


def _ref_sgd(lr):
    def step(params, grads, state):
        return [p - lr * g for p, g in zip(params, grads)], state
    return step, None


def _ref_momentum(lr, mu=0.9):
    def step(params, grads, state):
        velocity = [mu * v + g for v, g in zip(state, grads)]
        return [p - lr * v for p, v in zip(params, velocity)], velocity
    return step, [np.zeros(s) for s in SHAPES]


def _ref_adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-8):
    def step(params, grads, state):
        t, m, v = state
        t += 1
        m = [b1 * mi + (1 - b1) * g for mi, g in zip(m, grads)]
        v = [b2 * vi + (1 - b2) * g * g for vi, g in zip(v, grads)]
        new = [p - lr * (mi / (1 - b1 ** t)) / (np.sqrt(vi / (1 - b2 ** t)) + eps)
               for p, mi, vi in zip(params, m, v)]
        return new, (t, m, v)
    return step, (0, [np.zeros(s) for s in SHAPES], [np.zeros(s) for s in SHAPES])


def _check_result(result, params, label):
    __tracebackhide__ = True
    if not isinstance(result, list) or len(result) != len(params):
        fail(label, f"a list of {len(params)} arrays", result,
             hint="return a new list with one updated array per parameter")
    for i, (new, old) in enumerate(zip(result, params)):
        if np.shape(new) != np.shape(old):
            fail(label, f"parameter {i} with shape {np.shape(old)}", new,
                 hint="each returned array has the shape of its parameter")


def _run(optimizer, reference, n_steps, seed, name, hint):
    """Drive the student's optimizer and the reference side by side and compare every step."""
    __tracebackhide__ = True
    params, grads = _params_and_grads(seed, n_steps)
    ref_step, state = reference
    ours = [p.copy() for p in params]
    for t in range(n_steps):
        label = f"{name}.step(params, grads) at step {t + 1} of {n_steps} (params of shapes {SHAPES})"
        result = call(optimizer.step, params, grads[t], label=label)
        _check_result(result, params, label)
        ours, state = ref_step(ours, grads[t], state)
        for i, (got, expected) in enumerate(zip(result, ours)):
            assert_close(got, expected, label=f"{label}, parameter {i}", **TOL, hint=hint)
        params = [np.asarray(p, dtype=float) for p in result]


def check_sgd_values(SGD):
    """Several steps against p - lr * g, for two learning rates."""
    for lr, seed in [(0.1, 3401), (0.03, 3402)]:
        opt = call(SGD, lr, label=f"SGD({lr})")
        _run(opt, _ref_sgd(lr), 4, seed, f"SGD({lr})",
             hint="the update is p - learning_rate * g for each parameter (minus: step against the gradient)")


def check_sgd_contract(SGD):
    """params and grads unchanged, a new list is returned, instances are independent."""
    _check_contract(lambda: SGD(0.2), _ref_sgd(0.2), "SGD(0.2)", seed=3403)


def check_momentum_values(Momentum):
    """Constant-gradient closed form, then several steps against the update equations (two momenta)."""
    g = np.array([1.0, -2.0, 0.5])
    p0 = np.array([0.3, 0.0, -1.0])
    opt = call(Momentum, 0.1, momentum=0.5, label="Momentum(0.1, momentum=0.5)")
    p = p0
    for t in range(1, 5):
        label = f"Momentum(0.1, momentum=0.5).step([p], [g]) at step {t} with the same gradient every step"
        result = call(opt.step, [p], [g], label=label)
        _check_result(result, [p], label)
        expected = p0 - 0.1 * g * sum((1 - 0.5 ** k) / (1 - 0.5) for k in range(1, t + 1))
        assert_close(result[0], expected, label=label, **TOL,
                     hint="v <- momentum * v + g (no learning rate and no (1 - momentum) inside v), "
                          "then p <- p - learning_rate * v; keep v in self between calls")
        p = np.asarray(result[0], dtype=float)
    for lr, mu, seed in [(0.05, 0.9, 3501), (0.2, 0.3, 3502)]:
        opt = call(Momentum, lr, momentum=mu, label=f"Momentum({lr}, momentum={mu})")
        _run(opt, _ref_momentum(lr, mu), 5, seed, f"Momentum({lr}, momentum={mu})",
             hint="one velocity per parameter, starting at 0: v <- momentum * v + g; p <- p - learning_rate * v")
    opt = call(Momentum, 0.05, label="Momentum(0.05)")
    _run(opt, _ref_momentum(0.05), 3, 3503, "Momentum(0.05) (default momentum)",
         hint="the default momentum is 0.9")


def check_momentum_contract(Momentum):
    """params and grads unchanged, a new list is returned, instances are independent."""
    _check_contract(lambda: Momentum(0.1, momentum=0.8), _ref_momentum(0.1, 0.8),
                    "Momentum(0.1, momentum=0.8)", seed=3504)


def check_adam_values(Adam):
    """First step by hand, then several steps against the update equations, defaults included."""
    g = np.array([4.0, -0.01, 1e-3])
    p0 = np.array([1.0, 2.0, 3.0])
    opt = call(Adam, 0.1, label="Adam(0.1)")
    label = "Adam(0.1).step([p], [g]) on its first step"
    result = call(opt.step, [p0], [g], label=label)
    _check_result(result, [p0], label)
    assert_close(result[0], p0 - 0.1 * g / (np.abs(g) + 1e-8), label=label, **TOL,
                 hint="after one step the bias corrections give m_hat = g and v_hat = g^2, so every entry "
                      "moves by about learning_rate: check t <- t + 1 BEFORE computing 1 - beta**t")
    for kwargs, seed in [(dict(learning_rate=0.01), 3601),
                         (dict(learning_rate=0.2, beta1=0.5, beta2=0.9, eps=1e-3), 3602)]:
        text = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        opt = call(Adam, label=f"Adam({text})", **kwargs)
        reference = _ref_adam(kwargs["learning_rate"], kwargs.get("beta1", 0.9), kwargs.get("beta2", 0.999),
                              kwargs.get("eps", 1e-8))
        _run(opt, reference, 6, seed, f"Adam({text})",
             hint="t <- t + 1 once per step (not per parameter); m, v per parameter; divide by "
                  "(1 - beta1**t) and (1 - beta2**t); eps is added AFTER the square root")
    opt = call(Adam, label="Adam()")
    _run(opt, _ref_adam(), 3, 3603, "Adam() (defaults)",
         hint="defaults: learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8")


def check_adam_contract(Adam):
    """params and grads unchanged, a new list is returned, instances are independent."""
    _check_contract(lambda: Adam(0.05), _ref_adam(0.05), "Adam(0.05)", seed=3604)


def _check_contract(make, reference, name, seed):
    __tracebackhide__ = True
    params, grads = _params_and_grads(seed, 3)
    opt = call(make, label=name)
    label = f"{name}.step(params, grads) with params of shapes {SHAPES}"
    result = assert_inputs_unchanged(opt.step, params, grads[0], label=label)
    _check_result(result, params, label)
    if result is params or any(new is old for new, old in zip(result, params)):
        raise CheckFailed(f"{label} returned the input list or its arrays\n"
                          "  expected: a new list of new arrays\n"
                          "  hint: build new arrays (p - ...) instead of updating p in place")
    # Two optimizers stepped alternately must not share state.
    other_params, other_grads = _params_and_grads(seed + 50, 3)
    first, second = call(make, label=name), call(make, label=name)
    ref_step, state_a = reference
    state_b = state_a
    ours_a, ours_b = [p.copy() for p in params], [p.copy() for p in other_params]
    p_a, p_b = params, other_params
    for t in range(3):
        label = f"two {name} optimizers stepped alternately, step {t + 1}"
        p_a = call(first.step, p_a, grads[t], label=label)
        p_b = call(second.step, p_b, other_grads[t], label=label)
        _check_result(p_a, params, label)
        _check_result(p_b, params, label)
        ours_a, state_a = ref_step(ours_a, grads[t], state_a)
        ours_b, state_b = ref_step(ours_b, other_grads[t], state_b)
        for got, expected in zip(list(p_a) + list(p_b), ours_a + ours_b):
            assert_close(got, expected, label=label, **TOL,
                         hint="keep the state in the instance (self.... set in __init__ or on the first step), "
                              "not in a class attribute or a global shared by all optimizers")
