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
from .composites import SKIP, assert_close_any, call_composite, composed, composite_inputs_unchanged

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


# --- entropy_vs_temperature -------------------------------------------------------


def _scipy_entropy(p, base=2):
    return scipy.stats.entropy(p, base=base)


def _entropy_at(logits, temperatures, base, entropy=_scipy_entropy):
    return np.array([float(entropy(scipy.special.softmax(np.asarray(logits, dtype=float) / t), base=base))
                     for t in temperatures])


def _at(logits, temperatures, base, entropy):
    """The accepted entropies: with SciPy's entropy and with the student's own."""
    return composed(lambda entropy: _entropy_at(logits, temperatures, base, entropy),
                    {"entropy": _scipy_entropy}, {"entropy": entropy})


def check_entropy_vs_temperature_values(entropy_vs_temperature, entropy=None):
    """Values against scipy.special.softmax + scipy.stats.entropy, for several temperatures and bases."""
    rng = np.random.default_rng(731)
    logits = rng.normal(scale=2.0, size=7)
    temps = [0.05, 0.3, 1.0, 2.5, 40.0]
    for base in (2, np.e):
        label = f"entropy_vs_temperature(logits, {temps}, {BASES[base]}) on 7 random logits"
        expected = _at(logits, temps, base, entropy)
        got = call_composite(entropy_vs_temperature, logits.copy(), list(temps), base=base, label=label,
                             expected=expected)
        assert_close_any(got, expected, label=label, **TEMP_TOL,
                     hint="for each T: p = softmax(logits / T) (divide by T), then entropy(p, base)")
    logits = [1.0, 2.0, 3.0]
    temps = np.array([1e-3, 1e6])
    label = "entropy_vs_temperature([1, 2, 3], [1e-3, 1e6]) (default base)"
    expected = _at(logits, temps, 2, entropy)
    expected.values[0] = np.array([0.0, np.log2(3.0)])
    assert_close_any(call_composite(entropy_vs_temperature, logits, temps.copy(), label=label, expected=expected),
                     expected, label=label, rtol=0, atol=1e-6, hint="as T -> 0 the softmax becomes one-hot (entropy 0); as T -> infinity it "
                                         "becomes uniform (entropy log2(3) bits); the default base is 2")


def check_entropy_vs_temperature_contract(entropy_vs_temperature, entropy=None):
    """An ndarray of one entropy per temperature; stable for logits ~500 at small T; inputs unchanged."""
    logits = np.array([500.0, 510.0, 520.0, 480.0])
    temps = np.array([0.5, 5.0, 50.0])
    label = "entropy_vs_temperature(logits, [0.5, 5, 50]) on logits [500, 510, 520, 480]"
    expected = _at(logits, temps, 2, entropy)
    got = call_composite(entropy_vs_temperature, logits, temps, label=label, expected=expected)
    if got is SKIP:
        pass
    elif not isinstance(got, np.ndarray):
        raise CheckFailed(f"{label} returned a {type(got).__name__}\n  expected: a NumPy array\n"
                          "  hint: return np.array(results)")
    assert_close_any(got, expected, label=label, **TEMP_TOL,
                     hint="exp(1040) overflows: subtract the largest scaled logit before np.exp")
    label = "entropy_vs_temperature(logits, [0.8]) with a single temperature"
    expected = _at([0.0, 1.0], [0.8], 2, entropy)
    got = call_composite(entropy_vs_temperature, [0.0, 1.0], [0.8], label=label, expected=expected)
    assert_close_any(got, expected, label=label, **TEMP_TOL,
                 hint="return an array of shape (1,) for one temperature")
    rng = np.random.default_rng(732)
    logits = rng.normal(size=5)
    composite_inputs_unchanged(entropy_vs_temperature, logits, np.array([0.5, 2.0]),
                               expected=_at(logits, [0.5, 2.0], 2, entropy), label="entropy_vs_temperature(logits, temperatures) on 5 logits and 2 temperatures")


# --- mutual_information -------------------------------------------------------------


def _mi_oracle(joint, base):
    joint = np.asarray(joint, dtype=float)
    independent = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return scipy.stats.entropy(joint.ravel(), independent.ravel(), base=base)


def _mi(joint, base, entropy, exact=None):
    """The accepted values: KL(joint || p_x p_y) (or ``exact``), and H(X) + H(Y) - H(X,Y)
    with the student's own entropy."""
    joint = np.asarray(joint, dtype=float)

    def oracle(entropy):
        if entropy is None:
            return _mi_oracle(joint, base) if exact is None else exact
        return float(entropy(joint.sum(axis=1), base=base)) + float(entropy(joint.sum(axis=0), base=base)) \
            - float(entropy(joint.ravel(), base=base))
    return composed(oracle, {"entropy": None}, {"entropy": entropy})


def check_mutual_information_values(mutual_information, entropy=None):
    """Values against KL(joint || outer(p_x, p_y)) from scipy.stats.entropy, on non-square joints with zeros."""
    rng = np.random.default_rng(741)
    sparse = rng.dirichlet(np.ones(12)).reshape(4, 3)
    sparse[[0, 1, 3], [2, 0, 1]] = 0.0
    sparse /= sparse.sum()
    cases = [("a random 3x5 joint", rng.dirichlet(np.ones(15)).reshape(3, 5), 2),
             ("a random 4x2 joint", rng.dirichlet(np.ones(8)).reshape(4, 2), np.e),
             ("a 4x3 joint with zero cells", sparse, 2),
             ("a random 6x6 joint", rng.dirichlet(np.full(36, 0.3)).reshape(6, 6), 10)]
    for description, joint, base in cases:
        label = f"mutual_information(joint, {BASES[base]}) on {description}"
        expected = _mi(joint, base, entropy)
        got = call_composite(mutual_information, joint.copy(), base=base, label=label, expected=expected)
        if got is SKIP:
            continue
        assert_close_any(_scalar(got, label), expected, label=label, **TOL,
                     hint="I(X;Y) = H(X) + H(Y) - H(X,Y): p_x sums the joint over axis 1 (rows), p_y over "
                          "axis 0, and H(X,Y) is the entropy of all cells; zero cells contribute 0")


def check_mutual_information_edge_cases(mutual_information, entropy=None):
    """Independent joints give 0, a diagonal joint gives log2(n), I is symmetric, the joint is unchanged."""
    rng = np.random.default_rng(742)
    px, py = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(4))
    label = "mutual_information(joint) on an independent 3x4 joint outer(p_x, p_y)"
    expected = _mi(np.outer(px, py), 2, entropy, exact=0.0)
    assert_close_any(call_composite(mutual_information, np.outer(px, py), label=label, expected=expected), expected,
                     label=label, rtol=0, atol=1e-12,
                 hint="independent variables share no information; H(X) + H(Y) - H(X,Y) is 0 for them")
    label = "mutual_information(joint) on the 5x5 diagonal joint np.eye(5) / 5"
    expected = _mi(np.eye(5) / 5, 2, entropy, exact=np.log2(5.0))
    assert_close_any(call_composite(mutual_information, np.eye(5) / 5, label=label, expected=expected), expected,
                     label=label, **TOL,
                 hint="when Y determines X, I(X;Y) = H(X) = log2(5) bits; subtract H(X,Y)")
    joint = rng.dirichlet(np.ones(10)).reshape(2, 5)
    label = "mutual_information(joint.T) on a random 2x5 joint, transposed"
    expected = _mi(joint.T, 2, entropy)
    assert_close_any(call_composite(mutual_information, joint.T.copy(), label=label, expected=expected), expected,
                     label=label, **TOL,
                 hint="I(X;Y) = I(Y;X): check the axes of the two marginals")
    joint = rng.dirichlet(np.ones(6)).reshape(3, 2)
    composite_inputs_unchanged(mutual_information, joint, expected=_mi(joint, 2, entropy), label="mutual_information(joint) on a 3x2 joint")


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
