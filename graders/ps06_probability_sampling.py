"""Hidden checks of ps06_probability's sample_next_token (tolerances: graders/ps06_probability.py).

Oracle: the exact probabilities softmax(logits / T) of scipy.special, restricted to the top k.
4000 draws per case from a fixed-seed Generator, Pearson chi-square test against those
probabilities, failing only when p < 1e-6 (a correct sampler fails with probability ~1e-6; every
listed bug gives p ~ 0).
"""
from __future__ import annotations

import numpy as np
import scipy.special
import scipy.stats

from .checks import CheckFailed, assert_equal, call, call_repeatedly, describe, fail
from .ps06_probability import N_DRAWS, P_THRESHOLD


# --- sample_next_token ---------------------------------------------------------


def _exact_probs(logits, temperature, top_k):
    logits = np.asarray(logits, dtype=float)
    keep = np.argsort(-logits)[:top_k] if top_k is not None else np.arange(logits.size)
    probs = np.zeros(logits.size)
    probs[keep] = scipy.special.softmax(logits[keep] / temperature)
    return probs


def _draw(sample_next_token, logits, seed, n, label, **kwargs):
    rng = np.random.default_rng(seed)
    draws = []
    for token in call_repeatedly(sample_next_token, n, logits, rng, label=label, **kwargs):
        if isinstance(token, (bool, np.bool_)) or not isinstance(token, (int, np.integer)):
            raise CheckFailed(f"{label} returned {describe(token)} of type {type(token).__name__}\n"
                              "  expected: an int token index\n  hint: return int(index)")
        draws.append(int(token))
    return np.array(draws)


def _check_frequencies(sample_next_token, logits, temperature, top_k, seed, description, n=N_DRAWS):
    kwargs = {"temperature": temperature, "top_k": top_k}
    label = f"sample_next_token(logits, rng, temperature={temperature}, top_k={top_k}) on {description}"
    size = len(logits)
    probs = _exact_probs(logits, temperature, top_k)
    given = list(logits) if isinstance(logits, list) else np.array(logits, dtype=float)  # a fresh copy
    draws = _draw(sample_next_token, given, seed, n, label, **kwargs)
    if draws.min() < 0 or draws.max() >= size:
        raise CheckFailed(f"{label} returned index {draws.min() if draws.min() < 0 else draws.max()}, "
                          f"outside 0..{size - 1}\n  hint: return a position in logits")
    counts = np.bincount(draws, minlength=size)
    outside = np.flatnonzero((probs == 0) & (counts > 0))
    if outside.size:
        fail(label, f"tokens {np.flatnonzero(probs > 0).tolist()} only", f"token(s) {outside.tolist()} drawn "
             f"{counts[outside].tolist()} times", "only the top_k tokens with the LARGEST logits may be drawn "
             "(np.argsort(logits)[::-1][:top_k]); check for an off-by-one in k",
             problem=f"tokens outside the top_k appeared in {n} draws")
    support = probs > 0
    expected = probs[support] * n
    p_value = scipy.stats.chisquare(counts[support], expected).pvalue
    if p_value < P_THRESHOLD:
        fail(label, np.round(probs, 4), np.round(counts / n, 4),
             "draw from softmax(logits / temperature) (divide by T, do not multiply), restricted to the top_k "
             "largest logits and renormalised", problem=f"frequencies over {n} draws do not match the exact "
             f"probabilities (chi-square p-value {p_value:.2g})")


_LOGITS = np.array([0.3, -0.5, 1.2, 0.0, 0.8, -1.0])


def check_sampling_distribution(sample_next_token):
    """Frequencies of 4000 draws match softmax(logits / T) by a chi-square test, for several T."""
    _check_frequencies(sample_next_token, _LOGITS, 1.0, None, 611, "6 logits")
    _check_frequencies(sample_next_token, _LOGITS, 0.5, None, 612, "6 logits")
    _check_frequencies(sample_next_token, (_LOGITS * 2.0).tolist(), 2.5, None, 613, "6 logits given as a list")


def check_sampling_top_k(sample_next_token):
    """Only the top_k largest logits are ever drawn, with renormalised softmax frequencies."""
    rng = np.random.default_rng(620)
    logits = rng.permutation(np.linspace(-1.5, 1.2, 10))
    _check_frequencies(sample_next_token, logits, 1.0, 3, 621, "10 distinct logits")
    _check_frequencies(sample_next_token, logits, 0.7, 5, 622, "10 distinct logits")
    _check_frequencies(sample_next_token, logits, 1.0, 10, 623, "10 logits with top_k equal to the vocabulary")
    label = "sample_next_token(logits, rng, top_k=1) on 10 distinct logits"
    draws = _draw(sample_next_token, logits, 624, 30, label, top_k=1)
    assert_equal(sorted(set(draws.tolist())), [int(np.argmax(logits))], label=label + ", 30 draws",
                 hint="top_k=1 keeps only the largest logit, so every draw is its index")


def check_sampling_contract(sample_next_token):
    """Greedy at T=0, reproducible with the given rng (and only it), stable for logits ~1e4, logits unchanged."""
    rng = np.random.default_rng(630)
    logits = rng.normal(size=50)
    for kwargs in ({"temperature": 0}, {"temperature": 0.0, "top_k": 3}):
        label = f"sample_next_token(logits, rng, {', '.join(f'{k}={v}' for k, v in kwargs.items())}) on 50 logits"
        draws = _draw(sample_next_token, logits, 631, 5, label, **kwargs)
        assert_equal(draws.tolist(), [int(np.argmax(logits))] * 5, label=label + ", 5 draws",
                     hint="temperature == 0 means greedy: return int(np.argmax(logits)) before dividing by T")
    flat = np.array([0.1, 0.0, -0.1, 0.05, -0.05])
    label = "sample_next_token(logits, rng) for 40 draws on 5 nearly equal logits"
    first = _draw(sample_next_token, flat, 632, 40, label)
    again = _draw(sample_next_token, flat, 632, 40, label)
    if not np.array_equal(first, again):
        raise CheckFailed(f"{label}: two Generators with the same seed gave different tokens\n"
                          f"  expected: {first[:10].tolist()}... twice\n  got:      {again[:10].tolist()}...\n"
                          "  hint: draw with the rng you are given (rng.choice / rng.random), not np.random.*")
    other = _draw(sample_next_token, flat, 633, 40, label)
    if np.array_equal(first, other):
        raise CheckFailed(f"{label}: Generators with different seeds gave exactly the same tokens\n"
                          "  hint: do not create your own Generator inside; use the rng argument")
    big = _LOGITS + 1e4
    _check_frequencies(sample_next_token, big, 1.0, None, 634, "6 logits around 1e4", n=2000)
    label = "sample_next_token(logits, rng, temperature=0) on 6 logits around 1e4"
    assert_equal(call(sample_next_token, big, np.random.default_rng(635), temperature=0, label=label),
                 int(np.argmax(big)), label=label, hint="greedy means the index of the largest logit")
    logits = rng.normal(size=8)
    before = logits.copy()
    label = "sample_next_token(logits, rng, temperature=0.5, top_k=4) on an 8-entry array"
    call(sample_next_token, logits, np.random.default_rng(636), temperature=0.5, top_k=4, label=label)
    if not np.array_equal(logits, before):
        fail(label, before, logits, "graded functions must not change their inputs: use "
             "z = np.asarray(logits, dtype=float) / temperature, not logits /= temperature",
             problem="logits were modified in place")
