"""ps05_linear_algebra: eigen-decomposition, PCA and the geometry of high dimensions."""
import warnings

import numpy as np


def sorted_eig(A):
    """Eigenvalues and eigenvectors of a symmetric matrix A, largest eigenvalue first.

    A is a symmetric (n, n) array-like. Returns (eigenvalues, eigenvectors):
    eigenvalues has shape (n,), sorted in DESCENDING order; eigenvectors has
    shape (n, n) and its COLUMN i is a unit-norm eigenvector for eigenvalues[i],
    so A @ eigenvectors[:, i] == eigenvalues[i] * eigenvectors[:, i], and the
    columns form a basis (for a repeated eigenvalue, independent eigenvectors).
    The sign of each eigenvector is arbitrary.
    """
    A = np.asarray(A, dtype=float)
    values, vectors = np.linalg.eigh(A)  # ascending
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order]


def power_iteration(A, n_iter=1000, tol=1e-10, seed=0):
    """The dominant eigenvalue (largest |lambda|) of a square matrix A and a unit eigenvector.

    Starts from a random unit vector drawn with np.random.default_rng(seed) and
    repeats v <- A v / ||A v||, at most n_iter times, stopping early once v
    changes by less than tol (up to sign: a negative eigenvalue flips v each
    step). Returns (eigenvalue, v): the eigenvalue as a float, with its sign,
    from the Rayleigh quotient v^T A v, and v a unit vector of shape (n,).
    If v has not settled after n_iter steps (no single eigenvalue dominates,
    e.g. 3 and -3 tie in magnitude) it warns with a RuntimeWarning: the result
    is then not an eigenpair.
    """
    A = np.asarray(A, dtype=float)
    rng = np.random.default_rng(seed)
    v = rng.normal(size=A.shape[0])
    v /= np.linalg.norm(v)
    for _ in range(n_iter):
        w = A @ v
        norm = np.linalg.norm(w)
        if norm == 0:  # v is in the null space: the eigenvalue is 0
            break
        w /= norm
        change = min(np.linalg.norm(w - v), np.linalg.norm(w + v))
        v = w
        if change < tol:
            break
    else:
        warnings.warn(f"power_iteration did not converge in {n_iter} steps: no eigenvalue dominates "
                      "(tied in magnitude?), the result is not an eigenpair", RuntimeWarning, stacklevel=2)
    return float(v @ A @ v), v


def pca(X, n_components):
    """Principal component analysis of the rows of X (n samples, d features).

    Centres X by its column means, then finds the n_components orthonormal
    directions of largest variance. Returns (Z, components, explained_variance_ratio):
      components  (n_components, d): orthonormal ROWS, by variance, descending;
      Z           (n, n_components): the scores (X - mean) @ components.T;
      explained_variance_ratio (n_components,): each component's variance
                  divided by the TOTAL variance of X (all d directions).
    The sign of each component is arbitrary (flipping one flips its column of Z).
    """
    X = np.asarray(X, dtype=float)
    centred = X - X.mean(axis=0)
    _, singular_values, Vt = np.linalg.svd(centred, full_matrices=False)
    variances = singular_values ** 2  # proportional to the variance along each direction
    components = Vt[:n_components]
    Z = centred @ components.T
    ratio = variances[:n_components] / np.sum(centred ** 2)
    return Z, components, ratio


def pca_reconstruct(Z, components, mean):
    """Map PCA scores back to the original space.

    Z is (n, k), components (k, d) with orthonormal rows, mean (d,) the column
    means that pca subtracted. Returns the (n, d) array Z @ components + mean,
    the closest points to the data within the k-dimensional principal subspace.
    """
    Z = np.asarray(Z, dtype=float)
    components = np.asarray(components, dtype=float)
    return Z @ components + np.asarray(mean, dtype=float)


def random_cosines(d, n_pairs, seed=0):
    """Cosine similarities of n_pairs pairs of independent random vectors in d dimensions.

    Draws 2 * n_pairs vectors with independent standard normal entries (so their
    directions are uniform on the sphere), using np.random.default_rng(seed), and
    returns an array of shape (n_pairs,) with the cosine similarity of each pair.
    The same seed gives the same result.
    """
    rng = np.random.default_rng(seed)
    U = rng.normal(size=(n_pairs, d))
    V = rng.normal(size=(n_pairs, d))
    dots = np.sum(U * V, axis=1)
    return dots / (np.linalg.norm(U, axis=1) * np.linalg.norm(V, axis=1))


def cosine_spread(dims, n_pairs=2000, seed=0):
    """The spread (standard deviation) of random cosine similarities for each dimension in dims.

    dims is a list of positive ints. Returns an array of shape (len(dims),)
    whose entry i is the standard deviation of random_cosines(dims[i], n_pairs, seed).
    """
    return np.array([np.std(random_cosines(d, n_pairs, seed)) for d in dims])
