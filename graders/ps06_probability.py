"""Hidden checks for ps06_probability.

Oracles: scipy.stats.norm (pdf, cdf), scipy.special.betainc / scipy.stats.beta
(posterior, credible interval), hand-derived conjugate updates, and the exact
softmax(logits / T) of scipy.special for sampling.

Tolerances: densities and cdfs rtol 1e-9 with atol 1e-13 (the formulas agree
with SciPy to ~1e-15). The left tail of the cdf is checked apart in relative terms,
rtol 1e-9 and atol 0 (0.5 * erfc(-z) agrees with SciPy's ndtr to ~1e-13 down to 35
standard deviations; 0.5 * (1 + erf(z)) cancels to exactly 0 below about -8.4). Posterior parameters and means
rtol 1e-12. Credible bounds: the Beta cdf at each bound must equal its tail
probability within 1e-8 (accepts any accurate quantile method, e.g. bisection).
Sampling (graders/ps06_probability_sampling.py): 4000 draws per case from a fixed-seed Generator, Pearson chi-square
test against the exact probabilities, failing only when p < 1e-6 (a correct
sampler fails with probability ~1e-6; every listed bug gives p ~ 0).
"""
from __future__ import annotations

import numpy as np
import scipy.special
import scipy.stats

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, assert_raises, call, describe, fail

DENSITY_TOL = dict(rtol=1e-9, atol=1e-13)
N_DRAWS = 4000
P_THRESHOLD = 1e-6


def _normal_cases(rng):
    yield "x = 0.7 (a single number) with the defaults", 0.7, {}
    yield "x a random (3, 4) array, mu=1.5, sigma=0.3", rng.normal(1.5, 0.5, size=(3, 4)), \
        dict(mu=1.5, sigma=0.3)
    yield "x a list of 5 numbers, mu=-2, sigma=4", [-9.0, -2.0, 0.0, 3.5, 10.0], dict(mu=-2.0, sigma=4.0)
    yield "x a random (2, 3, 2) array, sigma=250", rng.normal(0.0, 300.0, size=(2, 3, 2)), dict(sigma=250.0)
    yield "x 9 points up to 12 standard deviations out, mu=3, sigma=0.5", np.linspace(-3.0, 9.0, 9), \
        dict(mu=3.0, sigma=0.5)


def _check_normal_values(fn, name, oracle, hint):
    rng = np.random.default_rng(601)
    for label, x, kwargs in _normal_cases(rng):
        call_label = f"{name}(x, ...) on {label}"
        got = call(fn, x, label=call_label, **kwargs)
        expected = oracle(np.asarray(x, dtype=float), loc=kwargs.get("mu", 0.0), scale=kwargs.get("sigma", 1.0))
        if np.shape(got) != np.shape(expected):
            fail(call_label, expected, got, "work elementwise with NumPy (np.exp, scipy.special.erf); "
                 "math.exp / math.erf accept single numbers only", problem=f"shape {np.shape(got)}, "
                 f"expected {np.shape(expected)}")
        assert_close(got, expected, label=call_label, hint=hint, **DENSITY_TOL)


def _check_normal_contract(fn, name):
    rng = np.random.default_rng(602)
    for sigma in (0.0, -1.5):
        assert_raises(ValueError, fn, np.array([0.0, 1.0]), 0.0, sigma,
                      label=f"{name}([0, 1], mu=0, sigma={sigma})",
                      hint="sigma must be positive: raise ValueError if sigma <= 0 (zero included)")
    x = rng.normal(size=(4, 3))
    assert_inputs_unchanged(fn, x, 0.5, 2.0, label=f"{name}(x, 0.5, 2.0) on a (4, 3) array")
    label = f"{name}(x) on an integer array of shape (2, 3)"
    x_int = np.array([[-2, -1, 0], [1, 2, 3]])
    got = call(fn, x_int, label=label)
    oracle = scipy.stats.norm.pdf if name == "normal_pdf" else scipy.stats.norm.cdf
    assert_close(got, oracle(x_int.astype(float)), label=label, **DENSITY_TOL,
                 hint="convert x with np.asarray(x, dtype=float)")


def check_normal_pdf_values(normal_pdf):
    """Values against scipy.stats.norm.pdf for scalars, lists and arrays of new shapes."""
    _check_normal_values(normal_pdf, "normal_pdf", scipy.stats.norm.pdf,
                         "pdf = exp(-(x - mu)^2 / (2 sigma^2)) / (sigma sqrt(2 pi)): check the square of "
                         "sigma in the exponent and the 1/sigma in front")


def check_normal_pdf_contract(normal_pdf):
    """ValueError for sigma <= 0; x unchanged; integer arrays."""
    _check_normal_contract(normal_pdf, "normal_pdf")


def check_normal_cdf_values(normal_cdf):
    """Values against scipy.stats.norm.cdf for scalars, lists and arrays of new shapes."""
    _check_normal_values(normal_cdf, "normal_cdf", scipy.stats.norm.cdf,
                         "cdf = (1 + erf((x - mu) / (sigma sqrt(2)))) / 2: check the sqrt(2) and the 1 + ... / 2")


def check_normal_cdf_tails(normal_cdf):
    """Left-tail values in relative terms against scipy.stats.norm.cdf (SciPy's ndtr is accurate there)."""
    cases = [("x = [-6.5, -9, -14, -22, -35] with the defaults", np.array([-6.5, -9.0, -14.0, -22.0, -35.0]), {}),
             ("x = -1.0 (a single number), mu=4, sigma=0.5", -1.0, dict(mu=4.0, sigma=0.5)),
             ("x a (2, 2) array 12 to 19 standard deviations below mu=3, sigma=2.5",
              np.array([[-30.0, -45.0], [-27.0, -38.0]]), dict(mu=3.0, sigma=2.5))]
    for label, x, kwargs in cases:
        call_label = f"normal_cdf(x, ...) on {label}"
        got = call(normal_cdf, x, label=call_label, **kwargs)
        mu, sigma = kwargs.get("mu", 0.0), kwargs.get("sigma", 1.0)
        expected = scipy.stats.norm.cdf(np.asarray(x, dtype=float), loc=mu, scale=sigma)
        cancelled = 0.5 * (1.0 + scipy.special.erf((np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2.0))))
        try:
            got_array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            got_array = None
        if got_array is not None and got_array.shape == expected.shape and np.array_equal(got_array, cancelled):
            hint = ("these are the values of 0.5 * (1 + erf(z)): erf(z) rounds to -1 in the tail and the sum "
                    "cancels to 0; use 0.5 * erfc(-z), which keeps the relative accuracy")
        else:
            hint = "F(x) = 0.5 * erfc(-(x - mu) / (sigma sqrt(2))) is accurate in relative terms in the left tail"
        assert_close(got, expected, label=call_label, hint=hint, rtol=1e-9, atol=0.0)


def check_normal_cdf_contract(normal_cdf):
    """ValueError for sigma <= 0; x unchanged; integer arrays."""
    _check_normal_contract(normal_cdf, "normal_cdf")


def _pair_of_floats(got, label, hint):
    if not isinstance(got, (tuple, list)) or len(got) != 2 or \
            not all(isinstance(v, (int, float, np.integer, np.floating)) for v in got):
        raise CheckFailed(f"{label} returned {describe(got)}\n  expected: a tuple of two floats\n  hint: {hint}")


def check_beta_binomial_posterior(beta_binomial_posterior):
    """Conjugate update Beta(alpha + heads, beta + tails) on new counts and priors, and the defaults."""
    cases = [((7, 3), {}, (8.0, 4.0)), ((0, 12), {}, (1.0, 13.0)),
             ((5, 2), dict(alpha=0.5, beta=0.5), (5.5, 2.5)),
             ((40, 17), dict(alpha=20.0, beta=3.0), (60.0, 20.0)),
             ((0, 0), dict(alpha=2.5, beta=7.0), (2.5, 7.0))]
    for (heads, tails), kwargs, expected in cases:
        extra = "".join(f", {k}={v}" for k, v in kwargs.items())
        label = f"beta_binomial_posterior({heads}, {tails}{extra})"
        got = call(beta_binomial_posterior, heads, tails, label=label, **kwargs)
        _pair_of_floats(got, label, "return (alpha + heads, beta + tails) as a tuple")
        assert_close(got, expected, label=label, rtol=1e-12, atol=0.0,
                     hint="each head adds 1 to alpha and each tail adds 1 to beta; keep the prior's "
                          "alpha and beta (defaults 1.0)")


def check_posterior_mean(posterior_mean):
    """Mean of Beta(alpha, beta) against scipy.stats.beta.mean, including non-integer parameters."""
    for a, b in [(8.0, 4.0), (1.0, 1.0), (0.5, 0.5), (2.5, 97.5), (300.0, 7.0), (3, 11)]:
        label = f"posterior_mean({a}, {b})"
        got = call(posterior_mean, a, b, label=label)
        if np.ndim(got) != 0:
            raise CheckFailed(f"{label} returned {describe(got)}\n  expected: a single float\n"
                              "  hint: return float(...)")
        assert_close(got, scipy.stats.beta.mean(a, b), label=label, rtol=1e-12, atol=0.0,
                     hint="the mean of Beta(alpha, beta) is alpha / (alpha + beta), not the mode "
                          "(alpha - 1) / (alpha + beta - 2)")


def check_credible_interval_values(credible_interval):
    """Equal tails: the Beta cdf at the bounds is (1 - level) / 2 and (1 + level) / 2."""
    cases = [(8.0, 4.0, None), (1.0, 1.0, None), (0.5, 0.5, 0.9), (30.0, 70.0, 0.5),
             (2.0, 15.0, 0.99), (120.0, 45.0, 0.8)]
    for a, b, level in cases:
        kwargs = {} if level is None else {"level": level}
        level = 0.95 if level is None else level
        label = f"credible_interval({a}, {b}" + (f", level={kwargs['level']})" if kwargs else ")")
        got = call(credible_interval, a, b, label=label, **kwargs)
        _pair_of_floats(got, label, "return (low, high)")
        tail = (1.0 - level) / 2.0
        expected = scipy.stats.beta.ppf([tail, 1.0 - tail], a, b)
        low, high = float(got[0]), float(got[1])
        if not (0.0 <= low <= high <= 1.0):
            fail(label, expected, np.array([low, high]),
                 "need 0 <= low <= high <= 1: low is the (1 - level)/2 quantile, high the (1 + level)/2 one",
                 problem="the bounds are out of order or outside [0, 1]")
        mass = scipy.special.betainc(a, b, np.array([low, high]))
        if not np.allclose(mass, [tail, 1.0 - tail], rtol=0.0, atol=1e-8):
            fail(label, expected, np.array([low, high]),
                 f"each tail must hold (1 - level) / 2 = {tail:g} of the probability: use the quantiles "
                 "(1 - level) / 2 and (1 + level) / 2 of Beta(alpha, beta), not level itself",
                 problem=f"the Beta cdf at your bounds is {np.round(mass, 6)}, expected "
                         f"[{tail:g}, {1 - tail:g}]")


def check_credible_interval_contract(credible_interval):
    """Default level 0.95; a higher level gives a wider interval that contains the lower one."""
    label = "credible_interval(3.0, 9.0)"
    got = call(credible_interval, 3.0, 9.0, label=label)
    _pair_of_floats(got, label, "return (low, high)")
    assert_close(got, scipy.stats.beta.ppf([0.025, 0.975], 3.0, 9.0), label=label, rtol=1e-6, atol=1e-9,
                 hint="level defaults to 0.95: tails of 0.025 on each side")
    lows, highs = [], []
    for level in (0.5, 0.9, 0.999):
        got = call(credible_interval, 6.0, 2.0, level=level, label=f"credible_interval(6.0, 2.0, level={level})")
        lows.append(float(got[0]))
        highs.append(float(got[1]))
    if not (lows[0] > lows[1] > lows[2] and highs[0] < highs[1] < highs[2]):
        raise CheckFailed("credible_interval(6.0, 2.0, level=L) for L = 0.5, 0.9, 0.999 should give nested, "
                          f"widening intervals\n  got lows {np.round(lows, 6)} and highs {np.round(highs, 6)}\n"
                          "  hint: a higher level leaves less probability in the tails, (1 - level) / 2 each")
