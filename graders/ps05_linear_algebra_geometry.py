"""Hidden checks for PCA and random-vector geometry in ps05_linear_algebra.

Oracles and tolerances are described in graders/ps05_linear_algebra.py: PCA against
np.linalg.eigh of np.cov (signs aligned per component), reconstruction against an SVD
projection, random cosines statistically against the exact Beta law of (1 + c) / 2.
"""
from __future__ import annotations

import numpy as np
from scipy.special import betainc

from .checks import (CheckFailed, as_float_array, assert_close, assert_equal, assert_inputs_unchanged,
                     call, describe, fail)
from .composites import SKIP, HelperBroken, assert_close_any, call_composite, composed, own


def _data(rng, n, d):
    q, r = np.linalg.qr(rng.normal(size=(d, d)))
    scales = np.geomspace(6.0, 0.4, d)
    return (rng.normal(size=(n, d)) * scales) @ q.T + rng.normal(scale=3.0, size=d) + 10.0


def _oracle(X, k):
    mean = X.mean(axis=0)
    w, V = np.linalg.eigh(np.cov(X, rowvar=False))
    order = np.argsort(w)[::-1]
    w, V = w[order], V[:, order]
    components = V[:, :k].T
    return (X - mean) @ components.T, components, w[:k] / w.sum()


def _run_pca(pca, X, k, label):
    __tracebackhide__ = True
    result = call(pca, X, k, label=label)
    if not isinstance(result, tuple) or len(result) != 3:
        raise CheckFailed(f"{label} returned {describe(result)}\n  expected: a tuple (Z, components, "
                          "explained_variance_ratio)\n  hint: end with return Z, components, ratio")
    Z, components, ratio = (as_float_array(part, label) for part in result)
    n, d = np.shape(X)
    for name, part, shape in [("Z", Z, (n, k)), ("components", components, (k, d)), ("ratio", ratio, (k,))]:
        if part.shape != shape:
            fail(f"{label}: {name}", f"shape {shape}", f"shape {part.shape}",
                 "components are ROWS (n_components, d); Z = (X - mean) @ components.T is (n, n_components)",
                 problem="wrong shape")
    return Z, components, ratio


def _signs(components, expected, label):
    """Per-component signs that align the student's rows with the oracle's; fails if a row is off."""
    __tracebackhide__ = True
    overlaps = np.sum(components * expected, axis=1)
    for i, overlap in enumerate(overlaps):
        if abs(overlap) < 1 - 1e-6:
            fail(f"{label}: component {i}", expected[i], components[i],
                 "centre X by its column means first, and order the directions by variance, LARGEST first "
                 "(np.linalg.eigh sorts ascending)", problem=f"not the direction of the {i + 1}. largest "
                 f"variance (|cos| = {abs(overlap):.4f}); either sign is fine")
    return np.sign(overlaps)


_CASES = [(60, 4, 2, 6601), (200, 6, 6, 6602), (9, 12, 3, 6603)]


def check_pca_components(pca):
    """Components (up to sign) and explained-variance ratios against eigh of the covariance."""
    for n, d, k, seed in _CASES:
        X = _data(np.random.default_rng(seed), n, d)
        label = f"pca(X, {k}) on random ({n}, {d}) data with non-zero column means"
        _, components, ratio = _run_pca(pca, X, k, label)
        _, expected, expected_ratio = _oracle(X, k)
        signs = _signs(components, expected, label)
        assert_close(components * signs[:, None], expected, label=label + ": components (signs aligned)",
                     rtol=0, atol=1e-8, hint="the components are orthonormal rows of length 1")
        assert_close(ratio, expected_ratio, label=label + ": explained_variance_ratio", rtol=1e-8, atol=1e-12,
                     hint="divide each component's variance by the TOTAL variance over all d directions "
                          "(np.sum of all eigenvalues, or the sum of squares of the centred data), not only "
                          "the kept ones")


def check_pca_scores(pca):
    """Scores Z = (X - mean) @ components.T, sign-aligned, and their decreasing variances."""
    for n, d, k, seed in _CASES:
        X = _data(np.random.default_rng(seed), n, d)
        label = f"pca(X, {k}) on random ({n}, {d}) data with non-zero column means"
        Z, components, _ = _run_pca(pca, X, k, label)
        expected_Z, expected, _ = _oracle(X, k)
        signs = _signs(components, expected, label)
        assert_close(Z * signs, expected_Z, label=label + ": Z (signs aligned)", rtol=0, atol=1e-8,
                     hint="Z = (X - X.mean(axis=0)) @ components.T: project the CENTRED data")


def check_pca_contract(pca):
    """Ratios sum to 1 with all components, nested lists, one component, X unchanged."""
    rng = np.random.default_rng(6604)
    X = _data(rng, 30, 5)
    label = "pca(X, 5) on random (30, 5) data"
    _, _, ratio = _run_pca(pca, X, 5, label)
    assert_close(np.sum(ratio), 1.0, label=label + ": sum of explained_variance_ratio", rtol=1e-9,
                 hint="with all d components the ratios add up to 1")
    small = np.round(_data(rng, 6, 3), 2)
    label = "pca(X, 1) on a (6, 3) data set given as nested lists"
    Z, components, ratio = _run_pca(pca, small.tolist(), 1, label)
    expected_Z, expected, expected_ratio = _oracle(small, 1)
    signs = _signs(components, expected, label)
    assert_close(Z * signs, expected_Z, label=label + ": Z", rtol=0, atol=1e-8,
                 hint="convert with np.asarray(X, dtype=float)")
    assert_close(ratio, expected_ratio, label=label + ": ratio", rtol=1e-8,
                 hint="the ratio of the first component's variance to the total")
    assert_inputs_unchanged(pca, X, 2, label="pca(X, 2) on a (30, 5) array")


# --- pca_reconstruct -------------------------------------------------------------------------


def _projection(X, k):
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    V = Vt[:k]
    return (X - mean) @ V.T, V, mean, mean + (X - mean) @ V.T @ V


def check_pca_reconstruct(pca_reconstruct):
    """Full-rank round trips return X; truncated ones give the orthogonal projection."""
    cases = []
    for n, d, k, seed in [(25, 4, 4, 6701), (40, 5, 2, 6702)]:
        cases.append(_projection(_data(np.random.default_rng(seed), n, d), k))
    cases.append((np.array([[2.0]]), np.array([[0.6, 0.0, 0.8]]), np.ones(3), np.array([[2.2, 1.0, 2.6]])))
    for Z, V, mean, expected in cases:
        label = f"pca_reconstruct(Z, components, mean) with Z {Z.shape}, components {V.shape}, mean {mean.shape}"
        assert_close(call(pca_reconstruct, Z, V, mean, label=label), expected, label=label, rtol=1e-9,
                     atol=1e-9, hint="map back with Z @ components and ADD the mean back")


def check_pca_reconstruct_contract(pca_reconstruct):
    """Nested lists; inputs unchanged."""
    label = "pca_reconstruct(Z, components, mean) with nested lists"
    got = call(pca_reconstruct, [[1.0, 2.0], [0.0, -1.0]], [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [5.0, 6.0, 7.0],
               label=label)
    assert_close(got, [[6.0, 6.0, 9.0], [5.0, 6.0, 6.0]], label=label, rtol=1e-12,
                 hint="convert array-likes with np.asarray(..., dtype=float); the result is Z @ components + mean")
    Z, V, mean, _ = _projection(_data(np.random.default_rng(6704), 10, 4), 3)
    assert_inputs_unchanged(pca_reconstruct, Z, V, mean, label="pca_reconstruct(Z, components, mean), k = 3")


# --- random cosines --------------------------------------------------------------------------


def _cosines(random_cosines, d, n, seed, label):
    __tracebackhide__ = True
    c = as_float_array(call(random_cosines, d, n, seed=seed, label=label), label)
    if c.shape != (n,):
        fail(label, f"shape ({n},)", f"shape {c.shape}", "return one cosine per pair: shape (n_pairs,)",
             problem="wrong shape")
    if not np.all(np.abs(c) <= 1 + 1e-12):
        fail(label, "values in [-1, 1]", c, "divide each dot product by BOTH vectors' norms",
             problem="cosines outside [-1, 1]")
    return c


_KS_CRITICAL = float(np.sqrt(-np.log(1e-4 / 2) / (2 * 3000)))  # asymptotic KS bound, alpha = 1e-4, n = 3000


def _ks_statistic(c, d):
    """Kolmogorov-Smirnov distance of the sample c to the exact law: (1 + c) / 2 ~ Beta((d-1)/2, (d-1)/2)."""
    x = np.sort((1 + c) / 2)
    cdf = betainc((d - 1) / 2, (d - 1) / 2, np.clip(x, 0.0, 1.0))
    n = len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n)))


def check_random_cosines_stats(random_cosines):
    """Mean about 0, spread about 1/sqrt(d), and the exact distribution (Kolmogorov-Smirnov)."""
    n = 3000
    for d, seed in [(300, 5), (2, 6), (12, 7)]:
        label = f"random_cosines({d}, {n}, seed={seed})"
        c = _cosines(random_cosines, d, n, seed, label)
        bound = 5 / np.sqrt(d * n)
        if abs(c.mean()) > bound:
            fail(label, f"mean within {bound:.3g} of 0", float(c.mean()),
                 "draw entries from a distribution symmetric about 0 (rng.normal), not rng.random in [0, 1)",
                 problem="the cosines are not centred at 0")
        ratio = c.std() * np.sqrt(d)
        if not 0.93 <= ratio <= 1.07:
            fail(label, f"std about 1/sqrt({d}) = {1 / np.sqrt(d):.4g}", float(c.std()),
                 "cosines of independent random directions have spread 1/sqrt(d): normalise both vectors "
                 "of each pair, and use two INDEPENDENT vectors", problem=f"std * sqrt(d) = {ratio:.3f}")
        ks = _ks_statistic(c, d)
        if ks > _KS_CRITICAL:
            fail(label, "the distribution of the cosine of two uniform random directions", c,
                 "use standard normal entries (rng.normal): their directions are uniform on the sphere",
                 problem=f"Kolmogorov-Smirnov distance {ks:.3f} > {_KS_CRITICAL:.3f} (p < 1e-4)")
    label = f"random_cosines(1, {n}, seed=8)"
    c = _cosines(random_cosines, 1, n, 8, label)
    assert_close(np.abs(c), np.ones(n), label=label, rtol=0, atol=1e-12,
                 hint="in one dimension two non-zero numbers point the same way or opposite ways: cosine +1 or -1")
    share = float(np.mean(c > 0))
    if not 0.45 <= share <= 0.55:
        fail(label, "about half +1 and half -1", share, "use symmetric (normal) entries",
             problem="share of +1")


def check_random_cosines_contract(random_cosines):
    """The seed decides the sample; default seed 0; numpy's global random state untouched."""
    label = "random_cosines(20, 50, seed=3) called twice"
    first = _cosines(random_cosines, 20, 50, 3, label)
    assert_equal(_cosines(random_cosines, 20, 50, 3, label), first, label=label,
                 hint="the same seed must give the same cosines: rng = np.random.default_rng(seed)")
    label = "random_cosines(20, 50, seed=4) compared with seed=3"
    if np.array_equal(_cosines(random_cosines, 20, 50, 4, label), first):
        fail(label, "different cosines", "the same cosines", "use the seed argument to create the generator")
    label = "random_cosines(20, 50) with the default seed"
    got = as_float_array(call(random_cosines, 20, 50, label=label), label)
    assert_equal(got, _cosines(random_cosines, 20, 50, 0, label), label=label, hint="seed defaults to 0")
    before = np.random.get_state()
    call(random_cosines, 30, 40, seed=9, label="random_cosines(30, 40, seed=9)")
    after = np.random.get_state()
    if not (np.array_equal(before[1], after[1]) and before[2] == after[2]):
        raise CheckFailed("random_cosines(30, 40, seed=9) changed NumPy's global random state\n"
                          "  expected: the global state untouched\n"
                          "  hint: use a local generator rng = np.random.default_rng(seed)")


def _spreads(dims, n_pairs, seed, random_cosines):
    """The accepted spreads: 1/sqrt(d), and the standard deviation of the student's own
    random_cosines(d, n_pairs, seed) for each d."""
    def oracle(random_cosines):
        if random_cosines is None:
            return 1 / np.sqrt(dims)
        return np.array([np.std(np.asarray(random_cosines(d, n_pairs, seed), dtype=float)) for d in dims])
    return composed(oracle, {"random_cosines": None}, {"random_cosines": random_cosines})


def _spread_hint(got, dims, n_pairs, seed, random_cosines):
    """Names a statistic only when recomputing it from the student's own cosines gives their result."""
    try:
        samples = [np.asarray(own(random_cosines)(d, n_pairs, seed), dtype=float) for d in dims]
    except (HelperBroken, TypeError, ValueError):
        samples = []
    for name, statistic in [("the variance (np.var)", np.var), ("the mean", np.mean),
                            ("the mean absolute cosine", lambda c: np.mean(np.abs(c)))]:
        if samples and np.allclose(got, [statistic(c) for c in samples], rtol=1e-9, atol=1e-12):
            return f"this is {name} of random_cosines(d, n_pairs, seed); return the standard deviation (np.std)"
    return "return the standard deviation (np.std) of random_cosines(d, n_pairs, seed) for each d"


def check_cosine_spread(cosine_spread, random_cosines=None):
    """Empirical spreads against 1/sqrt(d) within 7% (about 5 standard errors), or against the
    spread of the student's own random_cosines."""
    for dims, n_pairs, seed, kwargs, where in [([1, 2, 10, 300, 1000], 3000, 1, dict(n_pairs=3000, seed=1), ""),
                                               ([4, 64], 2000, 0, {}, " with the default n_pairs and seed")]:
        label = f"cosine_spread({dims}{''.join(f', {k}={v}' for k, v in kwargs.items())}){where}"
        expected = _spreads(dims, n_pairs, seed, random_cosines)
        got = call_composite(cosine_spread, dims, label=label, expected=expected, **kwargs)
        if got is SKIP:
            continue
        got = as_float_array(got, label)
        hint = "n_pairs defaults to 2000 and seed to 0" if where else \
            _spread_hint(got, dims, n_pairs, seed, random_cosines) if got.shape == (len(dims),) else \
            "return one standard deviation per dimension: shape (len(dims),)"
        assert_close_any(got, expected, label=label, rtol=0.07, atol=0, hint=hint)
    _check_spread_defaults(cosine_spread, random_cosines)


def _check_spread_defaults(cosine_spread, random_cosines=None):
    """cosine_spread(dims) returns exactly cosine_spread(dims, n_pairs=2000, seed=0): the defaults.
    Not graded when the student's own random_cosines gives two results for one seed (its checks
    carry that blame)."""
    __tracebackhide__ = True
    if random_cosines is not None:
        try:
            first, second = (np.asarray(own(random_cosines)(8, 50, 0), dtype=float) for _ in range(2))
            if not np.array_equal(first, second):
                return
        except (HelperBroken, TypeError, ValueError):
            return
    dims = [3, 50]
    label = f"cosine_spread({dims}) and cosine_spread({dims}, n_pairs=2000, seed=0)"
    default = as_float_array(call(cosine_spread, dims, label=label), label)
    explicit = as_float_array(call(cosine_spread, dims, n_pairs=2000, seed=0, label=label), label)
    if not np.array_equal(default, explicit):
        fail(label, explicit, default, "keep the signature's defaults: def cosine_spread(dims, n_pairs=2000, "
             "seed=0)", problem="the two calls differ")
