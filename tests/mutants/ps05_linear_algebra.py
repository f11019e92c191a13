"""Variants of the ps05_linear_algebra answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, wrong

# --- sorted_eig ----------------------------------------------------------------------------


@wrong("sorted_eig", "keeps eigh's ascending order")
def sorted_eig(A):
    return np.linalg.eigh(np.asarray(A, dtype=float))


@wrong("sorted_eig", "returns the eigenvectors as rows")
def sorted_eig(A):
    values, vectors = np.linalg.eigh(np.asarray(A, dtype=float))
    return values[::-1], vectors[:, ::-1].T


@wrong("sorted_eig", "sorts the eigenvalues but not the eigenvectors")
def sorted_eig(A):
    values, vectors = np.linalg.eigh(np.asarray(A, dtype=float))
    return np.sort(values)[::-1], vectors


@wrong("sorted_eig", "sorts by absolute value")
def sorted_eig(A):
    values, vectors = np.linalg.eigh(np.asarray(A, dtype=float))
    order = np.argsort(-np.abs(values))
    return values[order], vectors[:, order]


@wrong("sorted_eig", "scales each eigenvector to first entry 1 instead of unit norm")
def sorted_eig(A):
    values, vectors = np.linalg.eigh(np.asarray(A, dtype=float))
    order = np.argsort(values)[::-1]
    vectors = vectors[:, order]
    return values[order], vectors / np.where(np.abs(vectors[0]) > 1e-12, vectors[0], 1.0)


@correct("sorted_eig", "uses np.linalg.eig and sorts the real parts")
def sorted_eig(A):
    values, vectors = np.linalg.eig(np.asarray(A, dtype=float))
    values, vectors = values.real, vectors.real
    order = np.argsort(-values, kind="stable")
    vectors = vectors[:, order]
    return values[order], vectors / np.linalg.norm(vectors, axis=0)


@correct("sorted_eig", "flips the output of eigh")
def sorted_eig(A):
    values, vectors = np.linalg.eigh(np.array(A, dtype=float))
    return np.flip(values), np.flip(vectors, axis=1)


# --- power_iteration ------------------------------------------------------------------------


@wrong("power_iteration", "returns ||A v||, which loses the sign of the eigenvalue")
def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    A = np.asarray(A, dtype=float)
    v = np.random.default_rng(seed).normal(size=A.shape[0])
    v /= np.linalg.norm(v)
    for _ in range(n_iter):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(np.linalg.norm(A @ v)), v


@wrong("power_iteration", "never normalises v, so it overflows")
def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    A = np.asarray(A, dtype=float)
    v = np.random.default_rng(seed).normal(size=A.shape[0])
    for _ in range(n_iter):
        v = A @ v
    value = v @ A @ v / (v @ v)
    return float(value), v / np.linalg.norm(v)


@wrong("power_iteration", "starts from the all-ones vector")
def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    A = np.asarray(A, dtype=float)
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    for _ in range(n_iter):
        w = A @ v
        w /= np.linalg.norm(w)
        done = min(np.linalg.norm(w - v), np.linalg.norm(w + v)) < tol
        v = w
        if done:
            break
    return float(v @ A @ v), v


@wrong("power_iteration", "reseeds NumPy's global random generator")
def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    A = np.asarray(A, dtype=float)
    np.random.seed(seed)
    v = np.random.randn(A.shape[0])
    v /= np.linalg.norm(v)
    for _ in range(n_iter):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(v @ A @ v), v


@wrong("power_iteration", "returns the eigenvector unnormalised")
def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    A = np.asarray(A, dtype=float)
    v = np.random.default_rng(seed).normal(size=A.shape[0])
    v /= np.linalg.norm(v)
    for _ in range(n_iter):
        v = A @ v / np.linalg.norm(A @ v)
    return float(v @ A @ v), A @ v


@correct("power_iteration", "scales by the largest entry and runs every iteration")
def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    A = np.asarray(A, dtype=float)
    v = np.random.default_rng(seed).standard_normal(A.shape[0])
    for _ in range(n_iter):
        w = A @ v
        largest = np.max(np.abs(w))
        if largest == 0:  # v is in the null space: an eigenvector for 0
            break
        v = w / largest
    v = v / np.linalg.norm(v)
    return float(v @ (A @ v)), v


# --- pca -----------------------------------------------------------------------------------


@wrong("pca", "does not centre X")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    _, S, Vt = np.linalg.svd(X, full_matrices=False)
    components = Vt[:n_components]
    return X @ components.T, components, S[:n_components] ** 2 / np.sum(S ** 2)


@wrong("pca", "divides by the total of the KEPT variances only")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = Vt[:n_components]
    variances = S[:n_components] ** 2
    return Xc @ components.T, components, variances / variances.sum()


@wrong("pca", "takes eigh's eigenvectors in ascending order")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    w, V = np.linalg.eigh(np.cov(Xc, rowvar=False))
    components = V[:, :n_components].T
    return Xc @ components.T, components, w[:n_components] / w.sum()


@wrong("pca", "returns the components as columns (d, k)")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = Vt[:n_components].T
    return Xc @ components, components, S[:n_components] ** 2 / np.sum(S ** 2)


@wrong("pca", "centres X in place, changing the caller's data")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    X -= X.mean(axis=0)
    _, S, Vt = np.linalg.svd(X, full_matrices=False)
    components = Vt[:n_components]
    return X @ components.T, components, S[:n_components] ** 2 / np.sum(S ** 2)


@wrong("pca", "projects the uncentred X to get the scores")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    _, S, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    components = Vt[:n_components]
    return X @ components.T, components, S[:n_components] ** 2 / np.sum(S ** 2)


@correct("pca", "uses eigh of the centred X^T X without dividing by n - 1")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    values, vectors = sorted_eig(Xc.T @ Xc)
    components = vectors[:, :n_components].T
    return Xc @ components.T, components, values[:n_components] / np.trace(Xc.T @ Xc)


@correct("pca", "flips every component's sign")
def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    components = -Vt[:n_components]
    return Xc @ components.T, components, (S ** 2 / np.sum(S ** 2))[:n_components]


# --- pca_reconstruct --------------------------------------------------------------------------


@wrong("pca_reconstruct", "forgets to add the mean back")
def pca_reconstruct(Z, components, mean):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float)


@wrong("pca_reconstruct", "subtracts the mean instead of adding it")
def pca_reconstruct(Z, components, mean):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float) - np.asarray(mean, dtype=float)


@wrong("pca_reconstruct", "multiplies by the transposed components")
def pca_reconstruct(Z, components, mean):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float).T + np.asarray(mean, dtype=float)


@correct("pca_reconstruct", "uses einsum")
def pca_reconstruct(Z, components, mean):
    return np.einsum("nk,kd->nd", np.asarray(Z, dtype=float), np.asarray(components, dtype=float)) + \
        np.asarray(mean, dtype=float)


# --- random_cosines ---------------------------------------------------------------------------


@wrong("random_cosines", "draws entries uniform in [0, 1)")
def random_cosines(d, n_pairs, seed=0):
    rng = np.random.default_rng(seed)
    U, V = rng.random((n_pairs, d)), rng.random((n_pairs, d))
    return np.sum(U * V, axis=1) / (np.linalg.norm(U, axis=1) * np.linalg.norm(V, axis=1))


@wrong("random_cosines", "returns dot products without normalising")
def random_cosines(d, n_pairs, seed=0):
    rng = np.random.default_rng(seed)
    U, V = rng.normal(size=(n_pairs, d)), rng.normal(size=(n_pairs, d))
    return np.sum(U * V, axis=1)


@wrong("random_cosines", "ignores the seed")
def random_cosines(d, n_pairs, seed=0):
    rng = np.random.default_rng()
    U, V = rng.normal(size=(n_pairs, d)), rng.normal(size=(n_pairs, d))
    return np.sum(U * V, axis=1) / (np.linalg.norm(U, axis=1) * np.linalg.norm(V, axis=1))


@wrong("random_cosines", "pairs overlapping vectors (row i with row i + 1)")
def random_cosines(d, n_pairs, seed=0):
    rng = np.random.default_rng(seed)
    U = rng.normal(size=(n_pairs + 1, d))
    U = U / np.linalg.norm(U, axis=1, keepdims=True)
    W = U[1:] + U[:-1]  # a "second" vector that shares half of the first
    return np.sum(U[:-1] * W, axis=1) / np.linalg.norm(W, axis=1)


@correct("random_cosines", "normalises the rows first and draws one (n_pairs, 2, d) array")
def random_cosines(d, n_pairs, seed=0):
    P = np.random.default_rng(seed).standard_normal((n_pairs, 2, d))
    P /= np.linalg.norm(P, axis=2, keepdims=True)
    return np.einsum("nd,nd->n", P[:, 0], P[:, 1])


# --- cosine_spread ----------------------------------------------------------------------------


@wrong("cosine_spread", "returns the variance instead of the standard deviation")
def cosine_spread(dims, n_pairs=2000, seed=0):
    return np.array([np.var(random_cosines(d, n_pairs, seed)) for d in dims])


@wrong("cosine_spread", "returns the mean absolute cosine")
def cosine_spread(dims, n_pairs=2000, seed=0):
    return np.array([np.mean(np.abs(random_cosines(d, n_pairs, seed))) for d in dims])


@wrong("cosine_spread", "returns the mean cosine")
def cosine_spread(dims, n_pairs=2000, seed=0):
    return np.array([np.mean(random_cosines(d, n_pairs, seed)) for d in dims])


@correct("cosine_spread", "returns the root-mean-square cosine with a new seed per dimension")
def cosine_spread(dims, n_pairs=2000, seed=0):
    return np.array([np.sqrt(np.mean(random_cosines(d, n_pairs, seed + i) ** 2)) for i, d in enumerate(dims)])
