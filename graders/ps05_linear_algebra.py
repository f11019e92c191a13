"""Hidden checks for ps05_linear_algebra.

Oracles: scipy.linalg.eigvalsh / np.linalg.eigh (eigenvalues, PCA via the covariance
matrix), np.linalg.svd (reconstruction), exact constructions with known eigenvectors,
and scipy.special.betainc for the distribution of random cosines ((1 + c) / 2 ~ Beta((d-1)/2, (d-1)/2)).

Tolerances and ambiguities:
- eigenvalues: rtol 1e-9; eigenvectors are judged by unit norms, the residual
  ||A v - lambda v|| (atol 1e-9 scaled by ||A||) and linear independence (smallest singular
  value > 1e-6), so any sign and any basis of a repeated eigenspace is accepted.
- power_iteration: eigenvalue rtol 1e-7, eigenvector |<v, u>| >= 1 - 1e-8 (any sign);
  the contract's tol = 1e-10 gives far better than that on the well-separated test matrices.
- PCA: each component's sign is aligned to the oracle's before comparing components and
  scores (atol 1e-8); the test data have well-separated variances.
- random cosines are checked statistically on fixed seeds: std * sqrt(d) within 7% of 1
  (about 5 standard errors at n = 3000), |mean| within 5 standard errors, and a
  Kolmogorov-Smirnov distance against the exact distribution below its
  alpha = 1e-4 critical value.
"""
from __future__ import annotations

import numpy as np
from scipy import linalg

from .checks import (CheckFailed, as_float_array, assert_close, assert_equal, assert_inputs_unchanged,
                     call, describe, fail)
from .ps05_linear_algebra_geometry import (check_cosine_spread, check_pca_components,  # noqa: F401 - re-exported
                                           check_pca_contract, check_pca_reconstruct,
                                           check_pca_reconstruct_contract, check_pca_scores,
                                           check_random_cosines_contract, check_random_cosines_stats)


def _rotation(rng, n):
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def _symmetric(rng, eigenvalues):
    Q = _rotation(rng, len(eigenvalues))
    return Q @ np.diag(eigenvalues) @ Q.T


def _pair(result, label, n):
    __tracebackhide__ = True
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailed(f"{label} returned {describe(result)}\n  expected: a tuple (eigenvalues, eigenvectors)"
                          "\n  hint: end with return values, vectors")
    return as_float_array(result[0], label), as_float_array(result[1], label)


# --- sorted_eig ------------------------------------------------------------------------


def _check_eig(sorted_eig, A, label):
    __tracebackhide__ = True
    n = np.shape(A)[0]
    values, vectors = _pair(call(sorted_eig, A, label=label), label, n)
    expected = linalg.eigvalsh(np.asarray(A, dtype=float))[::-1]
    assert_close(values, expected, label=label + ": eigenvalues", rtol=1e-9, atol=1e-9,
                 hint="sort the eigenvalues in DESCENDING order (np.linalg.eigh returns them ascending)")
    if vectors.shape != (n, n):
        fail(label + ": eigenvectors", f"shape {(n, n)}", vectors, "return an (n, n) matrix of column eigenvectors",
             problem="wrong shape")
    scale = max(1.0, float(np.max(np.abs(expected))))
    assert_close(np.linalg.norm(vectors, axis=0), np.ones(n), label=label + ": column norms of eigenvectors",
                 rtol=0, atol=1e-9, hint="every eigenvector column must have length 1")
    A = np.asarray(A, dtype=float)
    assert_close(A @ vectors, vectors * values, label=label + ": A @ eigenvectors vs eigenvectors * eigenvalues",
                 rtol=0, atol=1e-9 * scale,
                 hint="eigenvectors are the COLUMNS, reordered together with the eigenvalues "
                      "(vectors[:, order], not vectors[order] or vectors.T)")
    smallest = float(np.linalg.svd(vectors, compute_uv=False)[-1])
    if smallest < 1e-6:
        fail(label + ": eigenvectors", "n linearly independent columns (a basis)", vectors,
             "for a repeated eigenvalue return independent eigenvectors (np.linalg.eigh gives an orthonormal "
             "set), not the same vector twice", problem=f"the columns are dependent (smallest singular value "
             f"{smallest:.2g})")


def check_sorted_eig_values(sorted_eig):
    """Random symmetric matrices with mixed-sign eigenvalues, against scipy.linalg.eigvalsh."""
    rng = np.random.default_rng(5501)
    _check_eig(sorted_eig, _symmetric(rng, [-6.0, 3.5, 1.0, -0.5, 2.0]),
               "sorted_eig(A) on a random symmetric 5x5 matrix with eigenvalues of both signs")
    M = rng.normal(size=(8, 8))
    _check_eig(sorted_eig, M + M.T, "sorted_eig(A) on a random symmetric 8x8 matrix")
    _check_eig(sorted_eig, np.array([[-2.5]]), "sorted_eig(A) on the 1x1 matrix [[-2.5]]")
    _check_eig(sorted_eig, np.diag([1.0, 4.0, -9.0, 2.0]), "sorted_eig(A) on diag(1, 4, -9, 2)")


def check_sorted_eig_contract(sorted_eig):
    """A repeated eigenvalue, nested lists, inputs unchanged."""
    rng = np.random.default_rng(5502)
    _check_eig(sorted_eig, _symmetric(rng, [3.0, 3.0, -1.0, 0.0]),
               "sorted_eig(A) on a symmetric 4x4 matrix with eigenvalues 3, 3, -1, 0")
    _check_eig(sorted_eig, [[2, 1], [1, 2]], "sorted_eig(A) on [[2, 1], [1, 2]] given as nested lists")
    assert_inputs_unchanged(sorted_eig, _symmetric(rng, [5.0, 1.0, 2.0]), label="sorted_eig(A) on a 3x3 matrix")


# --- power_iteration -----------------------------------------------------------------------


def _check_power(power_iteration, A, value, vector, label, hint, **kwargs):
    __tracebackhide__ = True
    result = call(power_iteration, A, label=label, **kwargs)
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailed(f"{label} returned {describe(result)}\n  expected: a tuple (eigenvalue, vector)\n"
                          "  hint: end with return eigenvalue, v")
    got_value, v = result
    if np.ndim(got_value) != 0:
        fail(label, value, got_value, "return the eigenvalue as a single float", problem="not a number")
    assert_close(got_value, value, label=label + ": eigenvalue", rtol=1e-7, atol=1e-9, hint=hint)
    v = as_float_array(v, label)
    if v.shape != (np.shape(A)[0],):
        fail(label + ": eigenvector", vector, v, "return the vector as a 1-D array of shape (n,)",
             problem=f"shape {v.shape}")
    assert_close(np.linalg.norm(v), 1.0, label=label + ": norm of the eigenvector", rtol=0, atol=1e-9,
                 hint="normalise v to unit length (v / np.linalg.norm(v)) after every multiplication")
    if vector is None:  # every unit vector is an eigenvector
        return
    overlap = abs(float(v @ vector)) / np.linalg.norm(vector)
    if overlap < 1 - 1e-8:
        fail(label + ": eigenvector", vector / np.linalg.norm(vector), v, hint,
             problem=f"not parallel to the dominant eigenvector (|cos| = {overlap:.6f}); either sign is fine")


def check_power_values(power_iteration):
    """Positive and negative dominant eigenvalues, a non-symmetric matrix, against constructions."""
    rng = np.random.default_rng(5503)
    Q = _rotation(rng, 5)
    A = Q @ np.diag([8.0, 3.0, -2.0, 1.0, 0.5]) @ Q.T
    _check_power(power_iteration, A, 8.0, Q[:, 0], "power_iteration(A) on a symmetric 5x5 matrix with "
                 "eigenvalues 8, 3, -2, 1, 0.5", hint="repeat v <- A v / ||A v||; the eigenvalue is v @ A @ v")
    Q = _rotation(rng, 4)
    A = Q @ np.diag([-7.0, 5.0, 2.0, 1.0]) @ Q.T
    _check_power(power_iteration, A, -7.0, Q[:, 0], "power_iteration(A) on a symmetric 4x4 matrix with "
                 "eigenvalues -7, 5, 2, 1", hint="the dominant eigenvalue is the largest in ABSOLUTE value and "
                 "keeps its sign: use the Rayleigh quotient v @ A @ v, not ||A v||")
    S = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    A = S @ np.diag([6.0, 2.0, -1.0]) @ np.linalg.inv(S)
    _check_power(power_iteration, A, 6.0, S[:, 0], "power_iteration(A) on a non-symmetric 3x3 matrix with "
                 "eigenvalues 6, 2, -1", hint="repeat v <- A v / ||A v|| until v stops changing")
    _check_power(power_iteration, np.diag([2.0, -30.0, 10.0]), -30.0, np.array([0.0, 1.0, 0.0]),
                 "power_iteration(A) on diag(2, -30, 10)",
                 hint="without normalising v each step its entries overflow; keep v a unit vector")
    hint = ("A v can be the zero vector (v in the null space): then the eigenvalue is 0 and v is already an "
            "eigenvector; stop instead of dividing by ||A v|| = 0")
    _check_power(power_iteration, np.array([[0.0, 2.0], [0.0, 0.0]]), 0.0, np.array([1.0, 0.0]),
                 "power_iteration(A) on [[0, 2], [0, 0]] (both eigenvalues 0, eigenvector [1, 0])", hint=hint)
    _check_power(power_iteration, np.zeros((3, 3)), 0.0, None, "power_iteration(A) on the 3x3 zero matrix "
                 "(every unit vector is an eigenvector for 0)", hint=hint)


def check_power_contract(power_iteration):
    """A random start from seed (not a fixed vector), determinism, the global random state untouched."""
    C = np.array([[4.0, -2.0, 1.0, -2.0], [-2.0, 4.0, -2.0, 1.0], [1.0, -2.0, 4.0, -2.0], [-2.0, 1.0, -2.0, 4.0]])
    _check_power(power_iteration, C, 9.0, np.array([1.0, -1.0, 1.0, -1.0]),
                 "power_iteration(A) on a 4x4 matrix whose all-ones vector is an eigenvector for 1 "
                 "(the dominant eigenvalue is 9)",
                 hint="start from a RANDOM vector, rng = np.random.default_rng(seed); a fixed start such as "
                      "np.ones(n) can be orthogonal to the dominant eigenvector and never find it")
    rng = np.random.default_rng(5504)
    Q = _rotation(rng, 6)
    A = Q @ np.diag([5.0, -4.0, 2.0, 1.0, 0.3, 0.1]) @ Q.T
    label = "power_iteration(A, seed=3) called twice on a 6x6 matrix"
    first = call(power_iteration, A, seed=3, label=label)
    second = call(power_iteration, A, seed=3, label=label)
    assert_equal(np.asarray(second[1], dtype=float), np.asarray(first[1], dtype=float), label=label,
                 hint="the same seed must give the same result: draw the start with np.random.default_rng(seed)")
    before = np.random.get_state()
    call(power_iteration, A, seed=11, label="power_iteration(A, seed=11)")
    after = np.random.get_state()
    if not (np.array_equal(before[1], after[1]) and before[2] == after[2]):
        raise CheckFailed("power_iteration(A, seed=11) changed NumPy's global random state\n"
                          "  expected: the global state (np.random.seed / np.random.rand) untouched\n"
                          "  hint: use a local generator rng = np.random.default_rng(seed) and rng.normal(...)")
    _check_power(power_iteration, A, 5.0, Q[:, 0], "power_iteration(A, n_iter=5000, tol=1e-12, seed=7)",
                 hint="honour the keyword arguments n_iter, tol and seed", n_iter=5000, tol=1e-12, seed=7)
    assert_inputs_unchanged(power_iteration, A, label="power_iteration(A) on a 6x6 matrix")
    _check_defaults(power_iteration)


def _check_defaults(power_iteration):
    """The defaults n_iter=1000, tol=1e-10, seed=0: the call without them returns exactly what the
    call with them returns (on a matrix that needs all 1000 steps, and one whose v flips sign)."""
    __tracebackhide__ = True
    rng = np.random.default_rng(5505)
    for eigenvalues, text in [([1.0, 0.999, 0.5], "eigenvalues 1, 0.999, 0.5 (not settled after 1000 steps)"),
                              ([-6.0, 2.0, 1.0, 0.5], "eigenvalues -6, 2, 1, 0.5")]:
        Q = _rotation(rng, len(eigenvalues))
        A = Q @ np.diag(eigenvalues) @ Q.T
        label = f"power_iteration(A) and power_iteration(A, n_iter=1000, tol=1e-10, seed=0) with {text}"
        default = call(power_iteration, A, label=label)
        explicit = call(power_iteration, A, n_iter=1000, tol=1e-10, seed=0, label=label)
        try:
            same = float(default[0]) == float(explicit[0]) and np.array_equal(
                np.asarray(default[1], dtype=float), np.asarray(explicit[1], dtype=float))
        except (TypeError, ValueError, IndexError):
            same = False
        if not same:
            fail(label, explicit, default, "keep the signature's defaults: "
                 "def power_iteration(A, n_iter=1000, tol=1e-10, seed=0)", problem="the two calls differ")
