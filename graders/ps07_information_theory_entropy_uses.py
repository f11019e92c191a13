"""Hidden checks of ps07_information_theory's functions built on entropy: entropy_vs_temperature
and mutual_information (tolerances in graders/ps07_information_theory.py).

One function, one blame (graders/checks.py): both are also accepted as computed with the
student's own entropy, so a wrong entropy costs points only in entropy's checks.
"""
from __future__ import annotations

import numpy as np
import scipy.special
import scipy.stats

from .checks import CheckFailed
from .composites import SKIP, assert_close_any, call_composite, composed, composite_inputs_unchanged
from .ps07_information_theory import BASES, TEMP_TOL, TOL, _scalar


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
