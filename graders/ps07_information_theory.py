"""Hidden checks for ps07_information_theory.

Oracles: scipy.stats.entropy (with base, and with qk for KL), scipy.special
rel_entr / xlogy / softmax, scipy.stats.gmean, and hand computations (uniform,
one-hot, independent and diagonal joints).

Tolerances: rtol 1e-9 and atol 1e-13 on every information quantity. A correct
sum of p log p agrees with SciPy to ~1e-15; the seed's "+1e-10 inside the log"
shifts a one-hot entropy by 1.4e-10 and the entropy of a distribution with
1e-9 entries by ~0.5 %, both far outside. Quantities that must be exactly 0
mathematically (KL(p || p), I(X;Y) of an independent joint) may be off by 1e-12
to allow rounding. entropy_vs_temperature allows atol 1e-11: the correct closed
form logsumexp(z) - sum(p z) loses ~|z| * 2e-16 absolute to cancellation when
z = logits / T is ~1000. Inputs are fresh seeded Dirichlet draws of sizes the notebook
never uses; every array handed to student code is a fresh copy.

One function, one blame (graders/checks.py): entropy_vs_temperature and
mutual_information are also accepted as computed with the student's own entropy.
"""
from __future__ import annotations

import numpy as np
import scipy.special
import scipy.stats

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, assert_raises, call, describe, fail

TOL = dict(rtol=1e-9, atol=1e-13)
TEMP_TOL = dict(rtol=1e-9, atol=1e-11)
BASES = {2: "base=2", np.e: "base=np.e", 10: "base=10"}


def _scalar(got, label, hint="return a single float, e.g. float(total)"):
    if np.ndim(got) != 0:
        raise CheckFailed(f"{label} returned {describe(got)}\n  expected: a single float\n  hint: {hint}")
    return got


def _pmf(rng, n, zeros=0):
    p = rng.dirichlet(np.ones(n))
    if zeros:
        p[rng.choice(n, size=zeros, replace=False)] = 0.0
        p /= p.sum()
    return p


# --- entropy -------------------------------------------------------------------


def check_entropy_values(entropy):
    """Values in bases 2, e and 10 against scipy.stats.entropy, with zeros, tiny and one-hot entries."""
    rng = np.random.default_rng(701)
    tiny = np.array([1.0 - 3e-9, 1e-9, 1e-9, 1e-9])
    one_hot = np.zeros(6)
    one_hot[4] = 1.0
    cases = [("a random 7-outcome pmf", _pmf(rng, 7), 2),
             ("a random 30-outcome pmf", _pmf(rng, 30), np.e),
             ("a random 12-outcome pmf", _pmf(rng, 12), 10),
             ("a random 9-outcome pmf with 3 zero entries", _pmf(rng, 9, zeros=3), 2),
             ("[1 - 3e-9, 1e-9, 1e-9, 1e-9]", tiny, 2),
             ("a one-hot pmf of length 6", one_hot, 2),
             ("a uniform pmf over 16 outcomes given as a list", [1 / 16] * 16, 2)]
    for description, p, base in cases:
        label = f"entropy(p, {BASES[base]}) on {description}"
        got = _scalar(call(entropy, p, base=base, label=label), label)
        assert_close(got, scipy.stats.entropy(np.asarray(p, dtype=float), base=base), label=label, **TOL,
                     hint="H = -sum p_i log(p_i) / log(base) over the entries with p_i > 0 only; no "
                          "+1e-10 inside the log (it biases the result and a one-hot pmf must give exactly 0)")
    label = "entropy(p) with the default base on a uniform pmf over 8 outcomes"
    assert_close(call(entropy, np.full(8, 0.125), label=label), 3.0, label=label, **TOL,
                 hint="the default base is 2: a fair choice among 8 outcomes is 3 bits")


def check_entropy_contract(entropy):
    """ValueError for negative entries and sums off 1; tolerance 1e-6 on the sum; p unchanged."""
    for p, why in [([0.6, 0.5, -0.1], "has a negative entry (and sums to 1)"),
                   ([0.3, 0.3, 0.3], "sums to 0.9"), ([0.5, 0.6], "sums to 1.1"),
                   ([0.25, 0.25, 0.25, 0.25 + 2e-6], "sums to 1 + 2e-6")]:
        assert_raises(ValueError, entropy, np.array(p), label=f"entropy(p) where p = {p} {why}",
                      hint="raise ValueError if any p_i < 0 or |sum(p) - 1| > 1e-6; do not silently normalise")
    p = np.array([0.25, 0.25, 0.25, 0.25 + 5e-7])
    label = "entropy(p) where p sums to 1 + 5e-7 (within the 1e-6 tolerance)"
    assert_close(call(entropy, p, label=label), 2.0, label=label, rtol=0, atol=1e-5,
                 hint="accept sums within 1e-6 of 1: compare abs(p.sum() - 1) > 1e-6, not p.sum() != 1")
    p = np.random.default_rng(702).dirichlet(np.ones(5))
    p[2] = 0.0
    p /= p.sum()
    assert_inputs_unchanged(entropy, p, label="entropy(p) on a 5-outcome pmf with a zero")


# --- cross_entropy ---------------------------------------------------------------


def _ce_oracle(p, q, base):
    return float(-np.sum(scipy.special.xlogy(p, q)) / np.log(base))


def check_cross_entropy_values(cross_entropy):
    """Values against H(p) + KL(p || q) from scipy.stats.entropy, in several bases, with zeros in p and q."""
    rng = np.random.default_rng(711)
    p_zero = _pmf(rng, 8, zeros=3)
    q_zero = _pmf(rng, 8)
    q_zero[p_zero == 0] = 0.0
    q_zero[np.flatnonzero(p_zero == 0)[0]] = 0.4  # one zero of p faces a positive q
    q_zero /= q_zero.sum()
    cases = [("random 6-outcome p and q", _pmf(rng, 6), _pmf(rng, 6), 2),
             ("random 25-outcome p and q", _pmf(rng, 25), _pmf(rng, 25), np.e),
             ("random 4-outcome p and q", _pmf(rng, 4), _pmf(rng, 4), 10),
             ("8-outcome p and q where p has zeros and q is 0 at two of them", p_zero, q_zero, 2)]
    for description, p, q, base in cases:
        label = f"cross_entropy(p, q, {BASES[base]}) on {description}"
        got = _scalar(call(cross_entropy, p.copy(), q.copy(), base=base, label=label), label)
        expected = (scipy.stats.entropy(p) + scipy.stats.entropy(p, q)) / np.log(base)
        assert_close(got, expected, label=label, **TOL,
                     hint="H(p, q) = -sum p_i log(q_i): p weights, q inside the log; skip terms with p_i = 0 "
                          "(0 * log 0 would give nan)")
    p = _pmf(rng, 5)
    label = "cross_entropy(p, p) on a random 5-outcome pmf (default base)"
    assert_close(call(cross_entropy, p, p.copy(), label=label), scipy.stats.entropy(p, base=2), label=label, **TOL,
                 hint="H(p, p) is the entropy of p in bits: the default base is 2")


def check_cross_entropy_edge_cases(cross_entropy):
    """+inf when q_i = 0 < p_i, no nan for p_i = q_i = 0, H(p, q) >= H(p), inputs unchanged."""
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5])
    label = "cross_entropy(p, q) with p = [0.5, 0.5, 0], q = [0, 0.5, 0.5]"
    got = _scalar(call(cross_entropy, p, q, label=label), label)
    if not (np.isinf(got) and got > 0):
        fail(label, np.inf, got, "an outcome that happens under p but has probability 0 under q is infinitely "
             "surprising: return np.inf (no +1e-10 fudge)")
    p, q = np.array([0.0, 0.25, 0.75]), np.array([0.0, 0.5, 0.5])
    label = "cross_entropy(p, q) with p = [0, 0.25, 0.75], q = [0, 0.5, 0.5]"
    assert_close(call(cross_entropy, p, q, label=label), 1.0, label=label, **TOL,
                 hint="terms with p_i = 0 contribute 0 even when q_i = 0: mask them out before taking logs")
    rng = np.random.default_rng(712)
    for _ in range(5):
        p, q = _pmf(rng, 7), _pmf(rng, 7)
        label = "cross_entropy(p, q) on random 7-outcome p and q"
        got = call(cross_entropy, p, q, label=label)
        if not got >= scipy.stats.entropy(p, base=2) - 1e-12:
            fail(label, f">= H(p) = {scipy.stats.entropy(p, base=2):.6g}", got,
                 "cross-entropy is never below the entropy of p; check which argument is inside the log")
    p, q = _pmf(rng, 6, zeros=2), _pmf(rng, 6)
    assert_inputs_unchanged(cross_entropy, p, q, base=10, label="cross_entropy(p, q, base=10) on 6-outcome pmfs")


# --- kl_divergence ---------------------------------------------------------------


def check_kl_values(kl_divergence):
    """Values against scipy.stats.entropy(p, q, base) and rel_entr, with zeros in p, asymmetric pairs."""
    rng = np.random.default_rng(721)
    p_zero = _pmf(rng, 10, zeros=4)
    cases = [("random 6-outcome p and q", _pmf(rng, 6), _pmf(rng, 6), 2),
             ("a peaked 5-outcome p and a flat q", np.array([0.8, 0.1, 0.05, 0.03, 0.02]), np.full(5, 0.2), 2),
             ("random 40-outcome p and q", _pmf(rng, 40), _pmf(rng, 40), np.e),
             ("random 3-outcome p and q", _pmf(rng, 3), _pmf(rng, 3), 10),
             ("10-outcome p with 4 zero entries and a random q", p_zero, _pmf(rng, 10), 2)]
    for description, p, q, base in cases:
        label = f"kl_divergence(p, q, {BASES[base]}) on {description}"
        got = _scalar(call(kl_divergence, p.copy(), q.copy(), base=base, label=label), label)
        expected = np.sum(scipy.special.rel_entr(p, q)) / np.log(base)
        assert_close(got, scipy.stats.entropy(p, q, base=base), label=label, **TOL,
                     hint="KL(p || q) = sum p_i log(p_i / q_i): p outside and on top (the order matters); "
                          "skip terms with p_i = 0, which would give 0 * log 0 = nan")
        assert_close(got, expected, label=label, **TOL, hint="compare with sum(scipy.special.rel_entr(p, q))")


def check_kl_edge_cases(kl_divergence):
    """+inf when q_i = 0 < p_i; KL(p || p) = 0; KL >= 0; zeros shared by p and q; inputs unchanged."""
    p, q = np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.5, 0.0])
    label = "kl_divergence(p, q) with p = [0.2, 0.3, 0.5], q = [0.5, 0.5, 0]"
    got = _scalar(call(kl_divergence, p, q, label=label), label)
    if not (np.isinf(got) and got > 0):
        fail(label, np.inf, got, "q gives probability 0 to an outcome that p says can happen: KL is +inf "
             "(return np.inf; a +1e-10 fudge hides this)")
    p, q = np.array([0.0, 0.5, 0.5]), np.array([0.0, 0.25, 0.75])
    label = "kl_divergence(p, q) with p = [0, 0.5, 0.5], q = [0, 0.25, 0.75]"
    expected = 0.5 * np.log2(2.0) + 0.5 * np.log2(0.5 / 0.75)
    assert_close(call(kl_divergence, p, q, label=label), expected, label=label, **TOL,
                 hint="terms with p_i = 0 contribute 0 even when q_i = 0 too")
    rng = np.random.default_rng(722)
    p = _pmf(rng, 9)
    label = "kl_divergence(p, p) on a random 9-outcome pmf"
    assert_close(call(kl_divergence, p, p.copy(), label=label), 0.0, label=label, rtol=0, atol=1e-12,
                 hint="a distribution has zero divergence from itself")
    for _ in range(5):
        p = _pmf(rng, 6)
        q = p + rng.normal(scale=1e-4, size=6) * p
        q /= q.sum()
        label = "kl_divergence(p, q) on two nearly equal 6-outcome pmfs"
        got = call(kl_divergence, p, q, label=label)
        if not got >= -1e-12:
            fail(label, ">= 0", got, "KL divergence is never negative (Gibbs' inequality)")
    p, q = _pmf(rng, 5, zeros=1), _pmf(rng, 5)
    assert_inputs_unchanged(kl_divergence, p, q, base=np.e, label="kl_divergence(p, q, base=np.e) on 5-outcome pmfs")


# --- perplexity ----------------------------------------------------------------------


def check_perplexity_values(perplexity):
    """Values against 1 / scipy.stats.gmean, uniform and certain models, and 5000 tokens without underflow."""
    rng = np.random.default_rng(751)
    cases = [("40 random probabilities", rng.uniform(0.01, 1.0, size=40)),
             ("7 probabilities given as a list", [0.5, 0.25, 0.9, 0.1, 0.6, 0.33, 0.05]),
             ("a single probability 0.2", np.array([0.2])),
             ("5000 probabilities between 1e-4 and 1", rng.uniform(1e-4, 1.0, size=5000))]
    for description, probs in cases:
        label = f"perplexity(token_probs) on {description}"
        got = _scalar(call(perplexity, probs, label=label), label)
        assert_close(got, 1.0 / scipy.stats.gmean(np.asarray(probs, dtype=float)), label=label, **TOL,
                     hint="perplexity = exp(mean(-ln p)): natural log, the MEAN over tokens (not the sum), "
                          "and logs rather than a product of thousands of small numbers (which underflows to 0)")
    label = "perplexity(token_probs) of a uniform model over 50257 tokens, 30 tokens"
    assert_close(call(perplexity, np.full(30, 1 / 50257), label=label), 50257.0, label=label, **TOL,
                 hint="guessing uniformly among V tokens gives perplexity V")
    label = "perplexity(token_probs) of a model that gives every true token probability 1"
    assert_close(call(perplexity, np.ones(12), label=label), 1.0, label=label, **TOL,
                 hint="a certain and correct model has perplexity 1")


def check_perplexity_contract(perplexity):
    """Inputs unchanged; a float result; perplexity of n tokens equals the geometric-mean formula."""
    rng = np.random.default_rng(752)
    probs = rng.uniform(0.05, 1.0, size=17)
    got = assert_inputs_unchanged(perplexity, probs, label="perplexity(token_probs) on 17 probabilities")
    _scalar(got, "perplexity(token_probs) on 17 probabilities")
    halves = np.full(10, 0.5)
    label = "perplexity(token_probs) on ten probabilities 0.5"
    assert_close(call(perplexity, halves, label=label), 2.0, label=label, **TOL,
                 hint="a model that always hesitates between 2 tokens has perplexity 2: exp(mean(-ln 0.5)) = 2")
