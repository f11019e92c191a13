"""ps01_vectors: vectors, matrices and similarity."""
import numpy as np


def cosine_similarity(u, v):
    """Cosine of the angle between two 1-D vectors u and v (array-likes).

    Returns a float in [-1, 1]. Raises ValueError if the lengths differ or if
    either vector has zero norm (the angle is undefined).
    """
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    if u.ndim != 1 or u.shape != v.shape:
        raise ValueError(f"need two 1-D vectors of equal length, got shapes {u.shape} and {v.shape}")
    # Scale by the largest entry first so squares of huge values cannot overflow.
    u_unit = u / np.max(np.abs(u)) if np.any(u) else u
    v_unit = v / np.max(np.abs(v)) if np.any(v) else v
    nu, nv = np.linalg.norm(u_unit), np.linalg.norm(v_unit)
    if nu == 0 or nv == 0:
        raise ValueError("cosine similarity is undefined for a zero vector")
    return float(np.clip(u_unit @ v_unit / (nu * nv), -1.0, 1.0))


def pairwise_cosine(A, B):
    """All cosine similarities between the rows of A (n, d) and the rows of B (m, d).

    Returns an (n, m) array with result[i, j] = cosine_similarity(A[i], B[j]),
    computed without Python loops. Raises ValueError if the widths differ or
    any row has zero norm.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(f"need (n, d) and (m, d) matrices, got {A.shape} and {B.shape}")
    # Scale each row by its largest entry first so squares of huge values cannot overflow.
    unit = []
    for M in (A, B):
        scale = np.max(np.abs(M), axis=1, keepdims=True)
        if np.any(scale == 0):
            raise ValueError("a row has zero norm; its cosine similarity is undefined")
        M = M / scale
        unit.append(M / np.linalg.norm(M, axis=1, keepdims=True))
    return np.clip(unit[0] @ unit[1].T, -1.0, 1.0)


def most_similar(query, vocab, vectors, k=3):
    """The k words whose vectors are most cosine-similar to the vector of `query`.

    vocab is a list of n words and vectors an (n, d) array whose row i belongs
    to vocab[i]. Returns a list of k (word, cosine) tuples, highest cosine
    first, never including `query` itself. Raises KeyError if `query` is not in vocab.
    """
    if query not in vocab:
        raise KeyError(query)
    vectors = np.asarray(vectors, dtype=float)
    q = vocab.index(query)
    scores = pairwise_cosine(vectors[q:q + 1], vectors)[0]
    scores[q] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]
    return [(vocab[i], float(scores[i])) for i in order]


def linear_layer(x, W, b):
    """A dense layer: x @ W + b.

    x has shape (d_in,) or (n, d_in), W (d_in, d_out), b (d_out,); the result
    has shape (d_out,) or (n, d_out). Raises ValueError on incompatible shapes.
    """
    x = np.asarray(x, dtype=float)
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    if x.ndim not in (1, 2) or W.ndim != 2 or b.ndim != 1:
        raise ValueError(f"need x (d_in,) or (n, d_in), W 2-D and b 1-D; got {x.shape}, {W.shape}, {b.shape}")
    if x.shape[-1] != W.shape[0] or W.shape[1] != b.shape[0]:
        raise ValueError(f"incompatible shapes x {x.shape}, W {W.shape}, b {b.shape}")
    return x @ W + b
