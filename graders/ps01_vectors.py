"""Hidden checks for ps01_vectors. Oracles: scipy.spatial.distance and plain NumPy.

Tolerances: cosines are compared with atol 1e-9 (a correctly normalised dot
product agrees with SciPy to ~1e-15; a float32 or unnormalised answer misses
by far more). Inputs are fresh seeded draws with shapes the notebook never uses.
"""
from __future__ import annotations


import numpy as np
from scipy.spatial.distance import cdist, cosine as cosine_distance

from .checks import (CheckFailed, assert_close, assert_equal, assert_fast, assert_inputs_unchanged, assert_raises,
                     call, describe)
from .composites import SKIP, HelperBroken, call_composite, composed, composite_inputs_unchanged, own


COS_TOL = dict(rtol=1e-9, atol=1e-9)


def _cosine_cases():
    rng = np.random.default_rng(101)
    yield "two random 7-d vectors", rng.normal(size=7), rng.normal(size=7)
    yield "two random 300-d vectors", rng.normal(size=300), rng.normal(size=300)
    yield "a 1-d pair with opposite signs", np.array([2.5]), np.array([-0.1])
    v = rng.normal(size=5)
    yield "a vector and 3.7 times itself", v, 3.7 * v
    yield "a vector and its negative", v, -v
    yield "two orthogonal vectors given as lists", [1.0, 2.0, 0.0], [-2.0, 1.0, 5.0]
    yield "two integer lists", [3, 4, 0], [4, 3, 12]


def check_cosine_values(cosine_similarity):
    """Values on new inputs against SciPy's cosine distance."""
    for label, u, v in _cosine_cases():
        call_label = f"cosine_similarity(u, v) on {label}"
        got = call(cosine_similarity, u, v, label=call_label)
        if np.ndim(got) != 0:
            raise CheckFailed(f"{call_label} returned {describe(got)}\n  expected: a single float\n"
                              "  hint: return float(...) of the cosine, not an array")
        assert_close(got, 1.0 - cosine_distance(u, v), label=call_label, **COS_TOL,
                     hint="cos = (u . v) / (|u| |v|): divide the dot product by BOTH norms")


def check_cosine_edge_cases(cosine_similarity):
    """Contract errors, no mutation, and large integer and float magnitudes."""
    rng = np.random.default_rng(102)
    assert_raises(ValueError, cosine_similarity, [1.0, 2.0, 3.0], [1.0, 2.0],
                  label="cosine_similarity(u, v) on vectors of lengths 3 and 2",
                  hint="check u and v have the same length and raise ValueError otherwise")
    assert_raises(ValueError, cosine_similarity, np.zeros(4), rng.normal(size=4),
                  label="cosine_similarity(u, v) with u all zeros",
                  hint="a zero vector has no direction: raise ValueError when a norm is 0")
    assert_raises(ValueError, cosine_similarity, rng.normal(size=3), [0, 0, 0],
                  label="cosine_similarity(u, v) with v all zeros",
                  hint="check both norms, not only the first")
    u, v = rng.normal(size=6), rng.normal(size=6)
    assert_inputs_unchanged(cosine_similarity, u, v, label="cosine_similarity(u, v) on two 6-d arrays")
    big_u = rng.integers(2_000_000_000, 4_000_000_000, size=5)
    big_v = rng.integers(2_000_000_000, 4_000_000_000, size=5)
    label = "cosine_similarity(u, v) on integer arrays with entries around 3e9"
    assert_close(call(cosine_similarity, big_u, big_v, label=label),
                 1.0 - cosine_distance(big_u.astype(float), big_v.astype(float)), label=label,
                 **COS_TOL, hint="products of large int64 entries overflow silently: convert to float first "
                                 "(np.asarray(u, dtype=float))")
    scale = 1e150
    label = "cosine_similarity(u, v) on 8-d vectors scaled by 1e150"
    x, y = rng.normal(size=8), rng.normal(size=8)
    assert_close(call(cosine_similarity, x * scale, y * scale, label=label), 1.0 - cosine_distance(x, y),
                 label=label, **COS_TOL, hint="cosine ignores scale; avoid float32 and other overflow-prone steps")


def check_pairwise_values(pairwise_cosine):
    """Values and shapes against scipy.spatial.distance.cdist(A, B, 'cosine')."""
    rng = np.random.default_rng(201)
    for n, m, d in [(1, 4, 3), (7, 2, 5), (30, 40, 64)]:
        A, B = rng.normal(size=(n, d)), rng.normal(size=(m, d))
        label = f"pairwise_cosine(A, B) on random A ({n}, {d}) and B ({m}, {d})"
        assert_close(call(pairwise_cosine, A, B, label=label), 1.0 - cdist(A, B, "cosine"), label=label,
                     **COS_TOL, hint="normalise every row of A and of B to unit length, then A_unit @ B_unit.T "
                                     "gives an (n, m) result")
    A = rng.normal(size=(3, 4)).round(2)
    label = "pairwise_cosine(A, A) on a 3x4 matrix given as nested lists"
    assert_close(call(pairwise_cosine, A.tolist(), A.tolist(), label=label), 1.0 - cdist(A, A, "cosine"),
                 label=label, **COS_TOL, hint="convert array-likes with np.asarray(A, dtype=float)")


def check_pairwise_contract(pairwise_cosine):
    """Errors, no mutation, and speed at the contract's size (n, m ~ 2000)."""
    rng = np.random.default_rng(202)
    assert_raises(ValueError, pairwise_cosine, rng.normal(size=(3, 4)), rng.normal(size=(2, 5)),
                  label="pairwise_cosine(A, B) with widths 4 and 5",
                  hint="A and B need the same number of columns")
    with_zero = rng.normal(size=(4, 3))
    with_zero[2] = 0.0
    assert_raises(ValueError, pairwise_cosine, with_zero, rng.normal(size=(2, 3)),
                  label="pairwise_cosine(A, B) where row 2 of A is all zeros",
                  hint="check every row norm of A and of B; raise ValueError for a zero row")
    assert_raises(ValueError, pairwise_cosine, rng.normal(size=(2, 3)), with_zero,
                  label="pairwise_cosine(A, B) where row 2 of B is all zeros",
                  hint="check the rows of B as well as A")
    A, B = rng.normal(size=(5, 3)), rng.normal(size=(6, 3))
    assert_inputs_unchanged(pairwise_cosine, A, B, label="pairwise_cosine(A, B) on (5, 3) and (6, 3) arrays")
    A, B = rng.normal(size=(2000, 50)), rng.normal(size=(2000, 50))
    label = "pairwise_cosine(A, B) on two (2000, 50) matrices"
    got = assert_fast(pairwise_cosine, A, B, label=label, limit=5.0,
                      expected="well under 5 s (a vectorised version takes ~0.1 s)",
                      hint="replace Python loops over rows by one matrix product")
    assert_close(got, 1.0 - cdist(A, B, "cosine"), label=label, **COS_TOL,
                 hint="normalise rows, then one matrix product")


def _vocabulary(rng, n, d):
    words = [f"w{i:02d}" for i in range(n)]
    return words, rng.normal(size=(n, d))


def _cdist_cosine(A, B):
    return 1.0 - cdist(A, B, "cosine")


def _ranking(words, vectors, q, k, pairwise_cosine):
    scores = np.array(np.asarray(pairwise_cosine(vectors[q:q + 1].copy(), vectors.copy()), dtype=float)[0])
    if scores.shape != (len(words),):
        raise ValueError("pairwise_cosine gave the wrong shape")
    scores[q] = -np.inf
    top = np.argsort(-scores, kind="stable")[:k]
    return [words[i] for i in top], [float(scores[i]) for i in top]


def check_most_similar(most_similar, pairwise_cosine=None):
    """Ranking, scores and k against a cdist oracle (or the student's own pairwise_cosine);
    the query is never returned."""
    rng = np.random.default_rng(301)
    words, vectors = _vocabulary(rng, 40, 8)
    vectors[17] = 2.0 * vectors[5]  # a word pointing the same way as the query
    for query, k in [("w05", 3), ("w31", 5), ("w00", 1)]:
        label = f"most_similar({query!r}, vocab, vectors, k={k}) on a random 40-word, 8-d vocabulary"
        q = words.index(query)
        expected = composed(lambda pairwise_cosine: _ranking(words, vectors, q, k, pairwise_cosine),
                            {"pairwise_cosine": _cdist_cosine}, {"pairwise_cosine": pairwise_cosine})
        got = call_composite(most_similar, query, words, vectors.copy(), k=k, label=label, expected=expected)
        if got is SKIP:
            continue
        if not isinstance(got, list) or not all(isinstance(p, tuple) and len(p) == 2 for p in got):
            raise CheckFailed(f"{label} returned {describe(got)}\n  expected: a list of (word, cosine) tuples\n"
                              "  hint: build [(vocab[i], float(score)), ...]")
        words_got, scores_got = [w for w, _ in got], [s for _, s in got]
        if any(words_got == w and np.allclose(scores_got, s, **COS_TOL) for w, s in expected.values[1:]) \
                or expected.helper_broken:
            continue
        expected_words, expected_scores = expected.values[0]
        assert_equal(words_got, expected_words, label=label,
                     hint="sort by cosine, highest first, and skip the query word itself")
        assert_close(scores_got, expected_scores, label=label, **COS_TOL,
                     hint="the second element of each pair is the cosine similarity")
    label = "most_similar('w05', vocab, vectors) with the default k"
    expected = composed(lambda pairwise_cosine: _ranking(words, vectors, 5, 3, pairwise_cosine),
                        {"pairwise_cosine": _cdist_cosine}, {"pairwise_cosine": pairwise_cosine})
    got = call_composite(most_similar, "w05", words, vectors.copy(), label=label, expected=expected)
    if got is not SKIP:
        assert_equal(len(got), 3, label=label, hint="k defaults to 3")


def _mutates(fn, *args):
    """Whether the student's helper changes its arguments in place (evidence that it,
    not its caller, is to blame for a caller that does)."""
    if fn is None:
        return False
    copies = [np.array(a) for a in args]
    try:
        own(fn)(*copies)
    except HelperBroken:
        return False
    return any(not np.array_equal(a, c) for a, c in zip(args, copies))


def check_most_similar_contract(most_similar, pairwise_cosine=None):
    """KeyError for an unknown query; vocab and vectors left unchanged."""
    rng = np.random.default_rng(302)
    words, vectors = _vocabulary(rng, 12, 4)
    assert_raises(KeyError, most_similar, "zebra", words, vectors,
                  label="most_similar('zebra', vocab, vectors) where 'zebra' is not in vocab",
                  hint="raise KeyError(query) when the query is unknown")
    if _mutates(pairwise_cosine, vectors[3:4], vectors):
        return  # the student's pairwise_cosine changes its inputs: its own checks carry that blame
    expected = composed(lambda pairwise_cosine: _ranking(words, vectors, 3, 4, pairwise_cosine),
                        {"pairwise_cosine": _cdist_cosine}, {"pairwise_cosine": pairwise_cosine})
    composite_inputs_unchanged(most_similar, "w03", words, vectors, k=4, expected=expected,
                               label="most_similar('w03', vocab, vectors, k=4)")


def check_linear_layer(linear_layer):
    """x @ W + b for single vectors and batches, against einsum."""
    rng = np.random.default_rng(401)
    for shape_x, d_out in [((5,), 3), ((9, 5), 2), ((1, 16), 7)]:
        x = rng.normal(size=shape_x)
        W, b = rng.normal(size=(shape_x[-1], d_out)), rng.normal(size=d_out)
        label = f"linear_layer(x, W, b) with x {shape_x}, W {W.shape}, b {b.shape}"
        assert_close(call(linear_layer, x, W, b, label=label), np.einsum("...i,ij->...j", x, W) + b,
                     label=label, rtol=1e-10, atol=1e-12,
                     hint="compute x @ W + b; the bias broadcasts over the rows of a batch")
    label = "linear_layer(x, W, b) with nested lists"
    x, W, b = [1.0, -2.0], [[0.5, 1.0, 0.0], [2.0, 0.0, -1.0]], [0.1, 0.2, 0.3]
    assert_close(call(linear_layer, x, W, b, label=label), [-3.4, 1.2, 2.3], label=label,
                 rtol=1e-10, atol=1e-12, hint="convert array-likes with np.asarray(..., dtype=float)")


def check_linear_layer_contract(linear_layer):
    """ValueError on incompatible shapes; no mutation."""
    rng = np.random.default_rng(402)
    assert_raises(ValueError, linear_layer, rng.normal(size=(4, 6)), rng.normal(size=(5, 2)), np.zeros(2),
                  label="linear_layer(x, W, b) with x (4, 6) and W (5, 2)",
                  hint="x's last dimension must equal W's first; raise ValueError otherwise")
    assert_raises(ValueError, linear_layer, rng.normal(size=5), rng.normal(size=(5, 2)), np.zeros(3),
                  label="linear_layer(x, W, b) with W (5, 2) and b (3,)",
                  hint="b needs one entry per output column of W")
    x, W, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=2)
    assert_inputs_unchanged(linear_layer, x, W, b, label="linear_layer(x, W, b) with x (3, 4)")
