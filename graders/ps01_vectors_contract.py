"""Hidden checks of ps01_vectors' contract clauses beyond values: scale, the query, shapes NumPy accepts.

Each check names the contract clause it covers (graders/clauses/ps01_vectors.toml).
"""
from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist

from .checks import assert_close, assert_raises, call, fail
from .composites import SKIP, call_composite, composed
from .ps01_vectors import COS_TOL, _cdist_cosine, _ranking


def check_pairwise_scale(pairwise_cosine):
    """Rows of any magnitude give cosine_similarity's values (checked there at 1e150 too).

    Clause pairwise_cosine.values: result[i, j] = cosine_similarity(A[i], B[j]), which ignores
    the scale of its vectors.
    """
    rng = np.random.default_rng(211)
    for scale in (1e150, 1e-150):
        A, B = rng.normal(size=(4, 6)), rng.normal(size=(3, 6))
        label = f"pairwise_cosine(A, B) on random (4, 6) and (3, 6) matrices scaled by {scale:g}"
        assert_close(call(pairwise_cosine, A * scale, B * scale, label=label), 1.0 - cdist(A, B, "cosine"),
                     label=label, **COS_TOL,
                     hint="cosine ignores scale, but squares of 1e150 overflow and of 1e-150 underflow: "
                          "divide each row by its largest entry before taking norms")


def check_most_similar_never_returns_query(most_similar, pairwise_cosine=None):
    """The query is left out even when every other word points away from it and k asks for all of them.

    Clause most_similar.ranking: "never including `query` itself". One function, one blame: a
    ranking the student's own pairwise_cosine leads to is accepted, and where that helper breaks
    on this input the check does not grade most_similar.
    """
    rng = np.random.default_rng(311)
    query = rng.normal(size=5)
    vectors = np.vstack([query] + [-query * s + rng.normal(scale=0.1, size=5) for s in (1.0, 2.0, 3.0, 0.5)])
    words = ["q", "a", "b", "c", "d"]
    label = "most_similar('q', vocab, vectors, k=4) where every other word has a negative cosine with 'q'"
    expected = composed(lambda pairwise_cosine: _ranking(words, vectors, 0, 4, pairwise_cosine),
                        {"pairwise_cosine": _cdist_cosine}, {"pairwise_cosine": pairwise_cosine})
    got = call_composite(most_similar, "q", words, vectors, k=4, label=label, expected=expected)
    if got is SKIP:
        return
    returned = [pair[0] for pair in got] if isinstance(got, list) else got
    if expected.helper_broken or any(returned == value[0] for value in expected.values[1:]):
        return  # what the student's own pairwise_cosine leads to: its checks carry any blame
    if not isinstance(got, list) or "q" in returned or sorted(returned) != ["a", "b", "c", "d"]:
        fail(label, "the four other words", returned, problem="the query must never be returned",
             hint="give the query's own score -inf (or drop it) before ranking; a score of 0 still beats "
                  "negative cosines")


def check_linear_layer_broadcast_shapes(linear_layer):
    """ValueError for shapes the contract calls incompatible even though NumPy would broadcast them.

    Clause linear_layer.incompatible-shapes: x (d_in,) or (n, d_in), W (d_in, d_out), b (d_out,).
    """
    rng = np.random.default_rng(403)
    cases = [
        ("b of shape (1,) with W (4, 3)", rng.normal(size=(2, 4)), rng.normal(size=(4, 3)), np.ones(1),
         "b needs exactly d_out entries: check b.shape == (W.shape[1],), do not rely on broadcasting"),
        ("b of shape (3, 3) with x (3, 4) and W (4, 3)", rng.normal(size=(3, 4)), rng.normal(size=(4, 3)),
         rng.normal(size=(3, 3)), "b must be 1-D with d_out entries"),
        ("b a scalar with W (4, 3)", rng.normal(size=(2, 4)), rng.normal(size=(4, 3)), np.float64(0.5),
         "b must be 1-D with d_out entries, not a scalar"),
        ("W of shape (3, 3, 3) with x (2, 3) and b (3,)", rng.normal(size=(2, 3)), rng.normal(size=(3, 3, 3)),
         np.ones(3), "W must be a (d_in, d_out) matrix: check W.ndim == 2"),
        ("W of shape (4,) with x (4,)", rng.normal(size=4), rng.normal(size=4), np.ones(1),
         "W must be a (d_in, d_out) matrix"),
    ]
    for text, x, W, b, hint in cases:
        assert_raises(ValueError, linear_layer, x, W, b, label=f"linear_layer(x, W, b) with {text}", hint=hint)
