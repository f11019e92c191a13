"""Hidden checks for project1_mini_lm, part one: vocabulary, encoding and the bigram model.

Oracles: Python's sorted/set/collections.Counter for the vocabulary and counts, the
add-alpha formula written out, np.log for the NLL, scipy.stats.chi2 for sampling.

Tolerances: probabilities and NLLs are compared with rtol 1e-9 (the formulas are a
few float operations; a log2 instead of ln, a sum instead of a mean, or N instead
of N - 1 in the mean miss by far more). Counts and ids are compared exactly.
Sampling (generate) is checked with fixed seeds: over 6,000 steps per temperature
on a 4-state chain, the transition counts must agree with the tempered
probabilities by a chi-square test with p-value >= 1e-4 (a correct sampler fails
with probability 1e-4 on a fresh seed; taking p**T instead of p**(1/T) at T = 0.5
or 2 gives p-values far below 1e-30), and a transition of probability 0 must never
be drawn.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.stats import chi2

from .checks import (CheckFailed, assert_close, assert_equal, assert_inputs_unchanged, call,
                     describe, fail)
# Part two's checks live in project1_mini_lm_model (forward pass), _training, _backward (the steps
# of the backward pass) and _loss (the loss and its gradients); notebooks import every check from here.
from .project1_mini_lm_backward import (check_attention_block_backward, check_embedding_backward,  # noqa: F401
                                        check_softmax_rows_backward)
from .project1_mini_lm_loss import check_gradients, check_loss_values  # noqa: F401
from .project1_mini_lm_model import check_forward_contract, check_forward_values  # noqa: F401
from .project1_mini_lm_training import check_trained_model, check_training  # noqa: F401

PROB_TOL = dict(rtol=1e-9, atol=1e-12)


def check_build_vocab(build_vocab):
    """Sorted unique characters; stoi is the inverse of itos."""
    texts = [("a short sentence with punctuation", "To be, or not to be: that is the question!"),
             ("two lines with capitals", "ROMEO:\nBut soft, what light\nthrough yonder window breaks?"),
             ("a text of one repeated character", "zzzzzz"),
             ("digits and symbols", "b2 a1 & c3; #!")]
    for label, text in texts:
        call_label = f"build_vocab(text) on {label}"
        got = call(build_vocab, text, label=call_label)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise CheckFailed(f"{call_label} returned {describe(got)}\n  expected: a tuple (stoi, itos)\n"
                              "  hint: return stoi, itos")
        stoi, itos = got
        expected = sorted(set(text))
        if not isinstance(itos, list):
            fail(call_label, expected, itos, "itos should be a list of characters: list(...) or sorted(...)",
                 problem=f"itos is a {type(itos).__name__}, not a list")
        assert_equal(itos, expected, label=call_label + " (itos)",
                     hint="itos is sorted(set(text)): every distinct character once, in sorted order")
        assert_equal(stoi, {ch: i for i, ch in enumerate(expected)}, label=call_label + " (stoi)",
                     hint="stoi[ch] is the index of ch in itos, starting at 0")


def _alphabet():
    alphabet = sorted(set("abcdefghij XYZ,.:;\n'"))
    return {ch: i for i, ch in enumerate(alphabet)}, list(alphabet)


def check_encode(encode):
    """Ids of a new text as an integer array; the empty string; stoi unchanged."""
    rng = np.random.default_rng(1101)
    stoi, itos = _alphabet()
    text = "".join(rng.choice(itos, size=300))
    label = "encode(text, stoi) on a random 300-character text over a 20-character vocabulary"
    ids = call(encode, text, stoi, label=label)
    if not isinstance(ids, np.ndarray) or ids.dtype.kind not in "iu":
        raise CheckFailed(f"{label} returned {describe(ids)}\n  expected: an integer NumPy array\n"
                          "  hint: np.array([...], dtype=np.int64)")
    assert_equal(ids.tolist(), [stoi[ch] for ch in text], label=label, hint="ids[t] = stoi[text[t]]")
    label = "encode('', stoi)"
    empty = call(encode, "", stoi, label=label)
    if not isinstance(empty, np.ndarray) or empty.shape != (0,) or empty.dtype.kind not in "iu":
        raise CheckFailed(f"{label} returned {describe(empty)}\n  expected: an empty integer array of shape (0,)\n"
                          "  hint: np.array([...], dtype=np.int64) works for an empty list too")
    assert_inputs_unchanged(encode, "abc", stoi, label="encode('abc', stoi)")


def check_decode(decode):
    """Round trips from arrays and lists; no ids; inputs unchanged."""
    rng = np.random.default_rng(1102)
    stoi, itos = _alphabet()
    text = "".join(rng.choice(itos, size=300))
    ids = np.array([stoi[ch] for ch in text])
    label = "decode(ids, itos) on the ids of a random 300-character text, as an array"
    assert_equal(call(decode, ids, itos, label=label), text, label=label,
                 hint="join itos[i] for every id, with no separator: ''.join(...)")
    label = "decode(ids, itos) with ids given as a list of Python ints"
    got = call(decode, [stoi[ch] for ch in "cab, hid\n"], itos, label=label)
    assert_equal(got, "cab, hid\n", label=label, hint="decode should accept any sequence of ids")
    assert_equal(call(decode, [], itos, label="decode([], itos)"), "", label="decode([], itos)",
                 hint="no ids give the empty string")
    assert_inputs_unchanged(decode, np.array([1, 2, 3]), itos, label="decode(ids, itos)")


def _counter_counts(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size))
    for (a, b), n in Counter(zip(ids[:-1], ids[1:])).items():
        counts[a, b] = n
    return counts


def check_bigram_counts(bigram_counts):
    """Counts of long random sequences with many repeats, against collections.Counter."""
    rng = np.random.default_rng(1201)
    for n, vocab_size in [(2000, 5), (777, 12), (50, 3)]:
        ids = rng.integers(0, vocab_size, size=n)
        label = f"bigram_counts(ids, {vocab_size}) on {n} random ids"
        got = call(bigram_counts, ids, vocab_size, label=label)
        assert_close(got, _counter_counts(ids.tolist(), vocab_size), label=label, rtol=0, atol=0,
                     hint="counts[i, j] = how often j directly follows i; every occurrence counts "
                          "(counts[a, b] += 1 with index arrays counts a repeated pair only once: use np.add.at)")


def check_bigram_counts_contract(bigram_counts):
    """Unused ids, a single id, list input, no mutation."""
    ids = [4, 0, 4, 0, 4]
    label = "bigram_counts([4, 0, 4, 0, 4], 7) (ids 1, 2, 3, 5, 6 unused)"
    got = call(bigram_counts, ids, 7, label=label)
    expected = np.zeros((7, 7))
    expected[4, 0], expected[0, 4] = 2, 2
    assert_close(got, expected, label=label, rtol=0, atol=0,
                 hint="the table is (vocab_size, vocab_size) even when some ids never occur")
    label = "bigram_counts([3], 4) (one id, no pairs)"
    assert_close(call(bigram_counts, [3], 4, label=label), np.zeros((4, 4)), label=label, rtol=0, atol=0,
                 hint="a single id has no next id: all counts are 0")
    ids = np.random.default_rng(1202).integers(0, 6, size=40)
    assert_inputs_unchanged(bigram_counts, ids, 6, label="bigram_counts(ids, 6) on 40 random ids")


def check_bigram_probs(bigram_probs):
    """Add-alpha probabilities against the formula; rows sum to 1; default alpha 1; no mutation."""
    rng = np.random.default_rng(1301)
    counts = rng.integers(0, 20, size=(6, 6))
    counts[2] = 0  # a character never followed by anything
    for alpha in [1.0, 0.5, 3.0]:
        label = f"bigram_probs(counts, alpha={alpha}) on random 6x6 counts with an all-zero row"
        expected = (counts + alpha) / (counts.sum(axis=1, keepdims=True) + alpha * counts.shape[1])
        got = call(bigram_probs, counts, alpha=alpha, label=label)
        assert_close(got, expected, label=label, **PROB_TOL,
                     hint="add alpha to EVERY cell, then divide each row by its own sum "
                          "(the denominator is c_i + alpha * V, not c_i + alpha)")
    label = "bigram_probs(counts) with the default alpha"
    assert_close(call(bigram_probs, counts, label=label), (counts + 1.0) / (counts.sum(1, keepdims=True) + 6),
                 label=label, **PROB_TOL, hint="alpha defaults to 1.0 (add-one smoothing)")
    counts = rng.integers(1, 9, size=(3, 5)).astype(float)
    label = "bigram_probs(counts, alpha=0.0) on float counts with no zero row"
    assert_close(call(bigram_probs, counts, alpha=0.0, label=label), counts / counts.sum(1, keepdims=True),
                 label=label, **PROB_TOL, hint="normalise each row (axis=1), not the whole table or the columns")
    assert_inputs_unchanged(bigram_probs, counts, alpha=2.0, label="bigram_probs(counts, alpha=2.0)")


def _random_probs(rng, vocab_size):
    return rng.dirichlet(np.ones(vocab_size), size=vocab_size)


def check_nll(nll):
    """Mean NLL in nats over N - 1 transitions, against a direct formula."""
    rng = np.random.default_rng(1401)
    for vocab_size, n in [(6, 50), (3, 7), (10, 2)]:
        probs = _random_probs(rng, vocab_size)
        ids = rng.integers(0, vocab_size, size=n)
        label = f"nll(probs, ids) with a random {vocab_size}x{vocab_size} model and {n} ids"
        expected = -np.mean([np.log(probs[a, b]) for a, b in zip(ids[:-1], ids[1:])])
        assert_close(call(nll, probs, ids, label=label), expected, label=label, **PROB_TOL,
                     hint="mean over the len(ids) - 1 transitions of -ln probs[ids[t], ids[t+1]] "
                          "(row = current id, column = next id; natural log)")


def check_nll_contract(nll):
    """inf for an impossible transition, list input, no mutation."""
    probs = np.array([[0.0, 1.0], [0.5, 0.5]])
    label = "nll(probs, [0, 1, 0, 0]) where the transition 0 -> 0 has probability 0"
    got = call(nll, probs, [0, 1, 0, 0], label=label)
    assert_close(got, np.inf, label=label, hint="-ln 0 is +inf: a model that gives the truth probability 0 "
                                                "has an infinite NLL (np.log(0.0) is -inf)")
    rng = np.random.default_rng(1402)
    probs = _random_probs(rng, 4)
    label = "nll(probs, ids) with probs and ids as nested lists"
    ids = [0, 3, 3, 1, 2]
    expected = -np.mean(np.log([probs[0, 3], probs[3, 3], probs[3, 1], probs[1, 2]]))
    assert_close(call(nll, probs.tolist(), ids, label=label), expected, label=label, **PROB_TOL,
                 hint="convert array-likes with np.asarray")
    assert_inputs_unchanged(nll, probs, np.array(ids), label="nll(probs, ids)")


CHAIN = np.array([[0.1, 0.2, 0.3, 0.4],
                  [0.6, 0.0, 0.3, 0.1],
                  [0.25, 0.25, 0.25, 0.25],
                  [0.05, 0.15, 0.0, 0.8]])


def _chi_square_p(ids, tempered):
    ids = np.asarray(ids)
    observed = np.zeros_like(tempered)
    np.add.at(observed, (ids[:-1], ids[1:]), 1)
    impossible = (tempered == 0) & (observed > 0)
    expected = observed.sum(axis=1, keepdims=True) * tempered
    mask = expected > 0
    stat = float((((observed - expected) ** 2)[mask] / expected[mask]).sum())
    visited = observed.sum(axis=1) > 0
    dof = int(sum((tempered[i] > 0).sum() - 1 for i in range(len(tempered)) if visited[i]))
    return float(chi2.sf(stat, dof)), bool(impossible.any()), observed


def check_generate_statistics(generate):
    """Transition frequencies against probs ** (1 / T) renormalised, for T = 1, 0.5, 2 and the default."""
    n = 6000
    for seed, temperature in [(1501, 1.0), (1502, 0.5), (1503, 2.0), (1504, None)]:
        given = {} if temperature is None else {"temperature": temperature}
        label = (f"generate(probs, 0, {n}, np.random.default_rng({seed})"
                 + ("" if temperature is None else f", temperature={temperature}")
                 + ") on a 4-state chain with two zero-probability transitions"
                 + (" (the default temperature is 1)" if temperature is None else ""))
        ids = call(generate, CHAIN, 0, n, np.random.default_rng(seed), label=label, **given)
        temperature = 1.0 if temperature is None else temperature
        if not isinstance(ids, list) or len(ids) != n + 1:
            raise CheckFailed(f"{label} returned {describe(ids)}\n  expected: a list of {n + 1} ids\n"
                              "  hint: start with [start_id] and append n sampled ids")
        tempered = CHAIN ** (1.0 / temperature)
        tempered /= tempered.sum(axis=1, keepdims=True)
        p_value, impossible, observed = _chi_square_p(ids, tempered)
        if impossible:
            raise CheckFailed(f"{label}: sampled a transition of probability 0\n"
                              "  hint: draw the next id from the row of the CURRENT id, probs[current]")
        if p_value < 1e-4:
            freq = observed / np.maximum(observed.sum(axis=1, keepdims=True), 1)
            fail(label, tempered.round(3), freq.round(3),
                 "the next id must follow probs[current] ** (1 / temperature), renormalised "
                 "(temperature < 1 sharpens; did you use p ** temperature, or forget to renormalise?)",
                 problem=f"transition frequencies do not match the tempered model (chi-square p = {p_value:.2g})")


def check_generate_contract(generate):
    """Length and start, n = 0, default temperature, determinism, rng really used, no mutation."""
    probs = CHAIN.copy()
    label = "generate(probs, 2, 0, rng)"
    got = call(generate, probs, 2, 0, np.random.default_rng(0), label=label)
    assert_equal(list(got) if isinstance(got, (list, np.ndarray)) else got, [2], label=label,
                 hint="n = 0 gives just [start_id]")
    label = "generate(probs, 3, 25, rng) (default temperature)"
    got = call(generate, probs, 3, 25, np.random.default_rng(1601), label=label)
    if not isinstance(got, list) or len(got) != 26 or got[0] != 3:
        raise CheckFailed(f"{label} returned {describe(got)}\n  expected: a list of 26 ids starting with 3\n"
                          "  hint: n + 1 ids in a Python list, the first being start_id")
    if not all(int(i) == i and 0 <= i < 4 for i in got):
        raise CheckFailed(f"{label} returned {describe(got)}\n  expected: integer ids in [0, 4)\n"
                          "  hint: append int(rng.choice(V, p=...))")
    again = call(generate, probs, 3, 25, np.random.default_rng(1601), label=label)
    assert_equal(again, got, label=label + " twice with generators of the same seed",
                 hint="draw only with the rng argument (rng.choice / rng.random), never np.random.*")
    others = [tuple(call(generate, probs, 3, 25, np.random.default_rng(s), label=label)) for s in range(1602, 1606)]
    if len(set(others + [tuple(got)])) < 3:
        raise CheckFailed(f"{label} with generators of five different seeds gave nearly always the same list\n"
                          "  hint: use the rng you are given; do not create a new generator with a fixed seed")
    label = "generate(probs, 1, 10, rng, temperature=0.7)"
    before = probs.copy()
    call(generate, probs, 1, 10, np.random.default_rng(0), temperature=0.7, label=label)
    if not np.array_equal(probs, before):
        raise CheckFailed(f"{label} modified probs in place\n"
                          "  hint: graded functions must not change their inputs; build a new tempered array")
