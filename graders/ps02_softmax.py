"""Hidden checks for ps02_softmax. Oracles: scipy.special.softmax / log_softmax and hand values.

Tolerances: probabilities are compared with rtol 1e-9 and atol 1e-12 (any
max-shifted exp-normalise formulation agrees with SciPy to ~1e-15; a wrong
axis, temperature or normalisation misses by far more). log-probabilities get
rtol 1e-9, atol 1e-9, because logits of size 1e4 leave absolute rounding
errors near 1e-12. Probabilities of -inf logits must be exactly 0, and results
for logits up to 1e4 must be finite and come without any warning (the contract
says so). Inputs are fresh seeded draws with shapes the notebook never uses.
"""
from __future__ import annotations


import numpy as np
from scipy.special import log_softmax as scipy_log_softmax
from scipy.special import softmax as scipy_softmax

from .checks import (CheckFailed, assert_close, assert_inputs_unchanged, assert_raises, call,
                     call_without_warnings, fail)

PROB_TOL = dict(rtol=1e-9, atol=1e-12)
LOG_TOL = dict(rtol=1e-9, atol=1e-9)


def _softmax_value_cases():
    rng = np.random.default_rng(2101)
    yield "a random 6-vector", rng.normal(size=6), {}
    yield "a random (4, 5) matrix, default axis", rng.normal(size=(4, 5)) * 3, {}
    yield "a random (4, 5) matrix with axis=0", rng.normal(size=(4, 5)) * 3, {"axis": 0}
    yield "a random (2, 3, 7) array with axis=1", rng.normal(size=(2, 3, 7)), {"axis": 1}
    yield "a random (3, 2, 4) array with axis=-2", rng.normal(size=(3, 2, 4)), {"axis": -2}
    yield "a single-entry vector", np.array([4.2]), {}
    yield "the nested list [[1, 2], [3, 5], [0, 0]] (ints)", [[1, 2], [3, 5], [0, 0]], {}


def check_softmax_values(softmax):
    """Values, shapes and axes against scipy.special.softmax at temperature 1."""
    for label, x, kwargs in _softmax_value_cases():
        args = ", ".join(["x"] + [f"{k}={v}" for k, v in kwargs.items()])
        call_label = f"softmax({args}) on {label}"
        got = call(softmax, x, label=call_label, **kwargs)
        axis = kwargs.get("axis", -1)
        assert_close(got, scipy_softmax(np.asarray(x, dtype=float), axis=axis), label=call_label, **PROB_TOL,
                     hint="exponentiate, then divide by the sum along `axis` only "
                          "(np.sum(e, axis=axis, keepdims=True)), not over the whole array")


def _temperature_hint(got, x, T):
    """Name a mistake only when recomputing with it reproduces the student's result."""
    def reproduces(expected):
        try:
            return bool(np.allclose(np.asarray(got, dtype=float), expected, rtol=1e-6, atol=1e-9))
        except (TypeError, ValueError):
            return False
    if reproduces(scipy_softmax(x * T, axis=-1)):
        return "these are softmax(x * T): the temperature DIVIDES the logits, softmax(x / T)"
    if T != 1.0 and reproduces(scipy_softmax(x, axis=-1)):
        return "these are softmax(x): the temperature is ignored; compute softmax(x / T)"
    if reproduces(scipy_softmax(x / T, axis=None)):
        return "this normalises over the whole array: divide by the sum along `axis` only"
    return "expected softmax(x / T) along the last axis (a small T sharpens, a large T flattens)"


def check_softmax_temperature(softmax):
    """exp(x / T) normalised for several T; argument order; ValueError for T <= 0."""
    rng = np.random.default_rng(2102)
    x = rng.normal(size=(3, 6)) * 2
    assert_inputs_unchanged(softmax, x.copy(), temperature=0.25,
                            label="softmax(x, temperature=0.25) on a random (3, 6) matrix")
    for T in [0.25, 1.0, 3.0, 40.0]:
        label = f"softmax(x, temperature={T}) on a random (3, 6) matrix"
        got = call(softmax, x.copy(), temperature=T, label=label)
        assert_close(got, scipy_softmax(x / T, axis=-1), label=label, **PROB_TOL, hint=_temperature_hint(got, x, T))
    label = "softmax(x, 0, 2.0) (positional axis then temperature) on a random (3, 6) matrix"
    assert_close(call(softmax, x.copy(), 0, 2.0, label=label), scipy_softmax(x / 2.0, axis=0), label=label,
                 **PROB_TOL, hint="keep the signature softmax(x, axis=-1, temperature=1.0)")
    label = "softmax(x, temperature=0.001) on the logits [1, 2, 2.5]"
    assert_close(call(softmax, [1.0, 2.0, 2.5], temperature=0.001, label=label), [0.0, 0.0, 1.0],
                 label=label, **PROB_TOL,
                 hint="as T -> 0 softmax becomes one-hot at the largest logit; x / 0.001 reaches 2500, "
                      "so subtract the maximum before exponentiating")
    for T in [0.0, -1.5]:
        assert_raises(ValueError, softmax, x.copy(), temperature=T,
                      label=f"softmax(x, temperature={T}) on a random (3, 6) matrix",
                      hint="raise ValueError when temperature <= 0 (check before dividing)")


def check_softmax_stability(softmax):
    """Logits up to 1e4 without overflow or warning; exact zeros for -inf; inputs unchanged."""
    rng = np.random.default_rng(2103)
    big = rng.uniform(-1e4, 1e4, size=(5, 4))
    big[0] = [1e4, 1e4 - 1.0, -1e4, 0.0]
    y = rng.normal(size=(2, 3)) * 50
    assert_inputs_unchanged(softmax, y, axis=0, temperature=0.7,
                            label="softmax(x, axis=0, temperature=0.7) on a random (2, 3) matrix")
    for kwargs, text in [({}, ""), ({"temperature": 0.5}, ", temperature=0.5"), ({"axis": 0}, ", axis=0")]:
        label = f"softmax(x{text}) on a (5, 4) matrix of logits between -1e4 and 1e4"
        got = call_without_warnings(softmax, big.copy(), label=label, **kwargs,
                                     hint="exp(1e4) overflows; subtract the maximum of each slice first "
                                          "(softmax(x) == softmax(x - max(x)))")
        expected = scipy_softmax(big / kwargs.get("temperature", 1.0), axis=kwargs.get("axis", -1))
        assert_close(got, expected, label=label, **PROB_TOL,
                     hint="subtract the maximum of each slice (keepdims=True) before np.exp, and do not "
                          "clip or round the logits: differences of 1 between logits of 1e4 still matter")
    x = np.array([[-np.inf, 0.0, 1.0, -np.inf], [2.0, -np.inf, 2.0, 3.0], [-np.inf, -np.inf, 5.0, 7.0]])
    for kwargs, text in [({}, ""), ({"temperature": 3.0}, ", temperature=3.0"), ({"axis": 0}, ", axis=0")]:
        label = f"softmax(x{text}) on a (3, 4) matrix where some logits are -inf"
        got = call(softmax, x.copy(), label=label, **kwargs)
        expected = scipy_softmax(x / kwargs.get("temperature", 1.0), axis=kwargs.get("axis", -1))
        assert_close(got, expected, label=label, **PROB_TOL,
                     hint="a -inf logit means 'impossible': exp(-inf - max) = 0. Shift by the max, "
                          "not by the mean (-inf - (-inf) is NaN), and do not replace -inf by a finite number")
        got = np.asarray(got, dtype=float)
        if not np.all(got[np.isneginf(x)] == 0.0):
            fail(label, 0.0, got[np.isneginf(x)], problem="-inf logits did not get probability exactly 0",
                 hint="do not clip or replace -inf logits: exp(-inf) is exactly 0")
    z = [3.0, 1.0, 2.0]
    assert_inputs_unchanged(softmax, z, label="softmax(x) on the list [3.0, 1.0, 2.0]")


def _log_softmax_value_cases():
    rng = np.random.default_rng(2201)
    yield "a random 5-vector", rng.normal(size=5), {}
    yield "a random (3, 8) matrix", rng.normal(size=(3, 8)) * 4, {}
    yield "a random (3, 8) matrix with axis=0", rng.normal(size=(3, 8)) * 4, {"axis": 0}
    yield "a random (2, 5, 3) array with axis=1", rng.normal(size=(2, 5, 3)), {"axis": 1}
    yield "the nested list [[0, 1], [2, 2]] (ints)", [[0, 1], [2, 2]], {}


def check_log_softmax_values(log_softmax):
    """Values, shapes and axes against scipy.special.log_softmax."""
    for label, x, kwargs in _log_softmax_value_cases():
        args = ", ".join(["x"] + [f"{k}={v}" for k, v in kwargs.items()])
        call_label = f"log_softmax({args}) on {label}"
        assert_close(call(log_softmax, x, label=call_label, **kwargs),
                     scipy_log_softmax(np.asarray(x, dtype=float), axis=kwargs.get("axis", -1)),
                     label=call_label, **LOG_TOL,
                     hint="log softmax(x) = x - max - log(sum(exp(x - max))), with max and sum taken "
                          "along `axis` (keepdims=True)")


def check_log_softmax_stability(log_softmax):
    """[0, 1000] -> [-1000, 0]; logits of 1e4; -inf entries; no warning; inputs unchanged."""
    label = "log_softmax([0, 1000])"
    got = call_without_warnings(log_softmax, [0.0, 1000.0], label=label,
                                 hint="np.log(softmax(x)) takes the log of exp(-1000) == 0.0; use "
                                      "x - max - log(sum(exp(x - max))) instead")
    assert_close(got, [-1000.0, 0.0], label=label, **LOG_TOL,
                 hint="log(softmax(x)) underflows to log(0) = -inf: use the log-sum-exp form "
                      "x - max - log(sum(exp(x - max)))")
    rng = np.random.default_rng(2202)
    y = rng.normal(size=(3, 2)) * 30
    assert_inputs_unchanged(log_softmax, y, axis=0, label="log_softmax(x, axis=0) on a random (3, 2) matrix")
    big = rng.uniform(-1e4, 1e4, size=(4, 6))
    for kwargs, text in [({}, ""), ({"axis": 0}, ", axis=0")]:
        label = f"log_softmax(x{text}) on a (4, 6) matrix of logits between -1e4 and 1e4"
        got = call_without_warnings(log_softmax, big.copy(), label=label, **kwargs,
                                     hint="subtract the maximum before exponentiating, and never take log of 0")
        assert_close(got, scipy_log_softmax(big, axis=kwargs.get("axis", -1)), label=label, **LOG_TOL,
                     hint="x - max - log(sum(exp(x - max))) along `axis`; very negative log-probabilities "
                          "are finite numbers like -2e4, not -inf")
    x = np.array([[-np.inf, 0.0, 1.0], [3.0, 3.0, -np.inf]])
    label = "log_softmax(x) on a (2, 3) matrix where some logits are -inf"
    assert_close(call(log_softmax, x, label=label), scipy_log_softmax(x, axis=-1), label=label, **LOG_TOL,
                 hint="a -inf logit has log-probability -inf; shift by the max of each row, not by the mean")


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


def check_doubling_answers(equivalent_temperature, doubling_makes_sharper):
    """Multiplying the logits [1, 2, 3] by 2 equals temperature 0.5 and sharpens the distribution."""
    label = "equivalent_temperature"
    if _is_bool(equivalent_temperature) or not isinstance(equivalent_temperature, (int, float, np.number)):
        fail(label, 0.5, equivalent_temperature, problem="not a number",
             hint="set equivalent_temperature to a number, e.g. equivalent_temperature = 1.0")
    if not np.isclose(float(equivalent_temperature), 0.5, rtol=0, atol=1e-12):
        fail(label, 0.5, equivalent_temperature,
             hint="softmax divides by T: softmax(2 z) = softmax(z / T) needs 1 / T = 2")
    label = "doubling_makes_sharper"
    if not _is_bool(doubling_makes_sharper):
        fail(label, True, doubling_makes_sharper, problem="not True or False",
             hint="answer with a boolean: True or False")
    if not doubling_makes_sharper:
        fail(label, True, doubling_makes_sharper,
             hint="compare softmax([1, 2, 3]) with softmax([2, 4, 6]): which puts more mass on the largest logit?")


def check_shift_answer(probabilities_change_when_adding_1):
    """Adding 1 to every logit leaves softmax unchanged."""
    label = "probabilities_change_when_adding_1"
    value = probabilities_change_when_adding_1
    if not _is_bool(value):
        fail(label, False, value, problem="not True or False", hint="answer with a boolean: True or False")
    if value:
        fail(label, False, value,
             hint="exp(z + 1) = e * exp(z): the factor e appears in every term and in the sum, so it cancels")
