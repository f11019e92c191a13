"""Variants of the ps01_vectors answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, wrong

# --- cosine_similarity -------------------------------------------------------


@wrong("cosine_similarity", "divides by the norm of u only")
def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if len(u) != len(v) or not u.any() or not v.any():
        raise ValueError("bad input")
    return float(u @ v / np.linalg.norm(u))


@wrong("cosine_similarity", "returns the plain dot product")
def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if len(u) != len(v) or not u.any() or not v.any():
        raise ValueError("bad input")
    return float(np.dot(u, v))


@wrong("cosine_similarity", "never raises for a zero vector")
def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if len(u) != len(v):
        raise ValueError("lengths differ")
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


@wrong("cosine_similarity", "keeps integer dtype so large products overflow")
def cosine_similarity(u, v):
    u, v = np.asarray(u), np.asarray(v)
    if len(u) != len(v) or not u.any() or not v.any():
        raise ValueError("bad input")
    return float(u @ v / (np.sqrt(u @ u) * np.sqrt(v @ v)))


@correct("cosine_similarity", "loops over entries in plain Python")
def cosine_similarity(u, v):
    u, v = [float(a) for a in u], [float(b) for b in v]
    if len(u) != len(v):
        raise ValueError("lengths differ")
    dot = sum(a * b for a, b in zip(u, v))
    nu = sum(a * a for a in u) ** 0.5
    nv = sum(b * b for b in v) ** 0.5
    if nu == 0 or nv == 0:
        raise ValueError("zero vector")
    return dot / (nu * nv)


# --- pairwise_cosine ---------------------------------------------------------


@wrong("pairwise_cosine", "normalises columns instead of rows")
def pairwise_cosine(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if A.shape[1] != B.shape[1]:
        raise ValueError("widths differ")
    if not (np.linalg.norm(A, axis=1).all() and np.linalg.norm(B, axis=1).all()):
        raise ValueError("zero row")
    return (A / np.linalg.norm(A, axis=0)) @ (B / np.linalg.norm(B, axis=0)).T


@wrong("pairwise_cosine", "returns the transposed (m, n) matrix")
def pairwise_cosine(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if A.shape[1] != B.shape[1]:
        raise ValueError("widths differ")
    na, nb = np.linalg.norm(A, axis=1, keepdims=True), np.linalg.norm(B, axis=1, keepdims=True)
    if not (na.all() and nb.all()):
        raise ValueError("zero row")
    return (B / nb) @ (A / na).T


@wrong("pairwise_cosine", "divides in place and changes the caller's A")
def pairwise_cosine(A, B):
    if np.shape(A)[1] != np.shape(B)[1]:
        raise ValueError("widths differ")
    na, nb = np.linalg.norm(A, axis=1, keepdims=True), np.linalg.norm(B, axis=1, keepdims=True)
    if not (na.all() and nb.all()):
        raise ValueError("zero row")
    A /= na
    return A @ (np.asarray(B) / nb).T


@wrong("pairwise_cosine", "loops over every pair in Python")
def pairwise_cosine(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if A.shape[1] != B.shape[1]:
        raise ValueError("widths differ")
    out = np.zeros((len(A), len(B)))
    for i in range(len(A)):
        for j in range(len(B)):
            na, nb = np.linalg.norm(A[i]), np.linalg.norm(B[j])
            if na == 0 or nb == 0:
                raise ValueError("zero row")
            out[i, j] = A[i] @ B[j] / (na * nb)
    return out


@correct("pairwise_cosine", "uses einsum and explicit norms")
def pairwise_cosine(A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError("need (n, d) and (m, d)")
    na = np.sqrt(np.einsum("ij,ij->i", A, A))
    nb = np.sqrt(np.einsum("ij,ij->i", B, B))
    if np.any(na == 0) or np.any(nb == 0):
        raise ValueError("zero row")
    return np.einsum("id,jd->ij", A, B) / np.outer(na, nb)


# --- most_similar ------------------------------------------------------------


@wrong("most_similar", "includes the query word itself")
def most_similar(query, vocab, vectors, k=3):
    if query not in vocab:
        raise KeyError(query)
    scores = pairwise_cosine(np.asarray(vectors)[[vocab.index(query)]], vectors)[0]
    order = np.argsort(-scores)[:k]
    return [(vocab[i], float(scores[i])) for i in order]


@wrong("most_similar", "sorts lowest similarity first")
def most_similar(query, vocab, vectors, k=3):
    if query not in vocab:
        raise KeyError(query)
    q = vocab.index(query)
    scores = pairwise_cosine(np.asarray(vectors)[[q]], vectors)[0]
    order = [i for i in np.argsort(scores) if i != q][:k]
    return [(vocab[i], float(scores[i])) for i in order]


@wrong("most_similar", "ranks by dot product instead of cosine")
def most_similar(query, vocab, vectors, k=3):
    if query not in vocab:
        raise KeyError(query)
    vectors = np.asarray(vectors, dtype=float)
    q = vocab.index(query)
    dots = vectors @ vectors[q]
    order = [i for i in np.argsort(-dots) if i != q][:k]
    cos = pairwise_cosine(vectors[[q]], vectors)[0]
    return [(vocab[i], float(cos[i])) for i in order]


@wrong("most_similar", "returns None for an unknown word")
def most_similar(query, vocab, vectors, k=3):
    if query not in vocab:
        return None
    q = vocab.index(query)
    scores = pairwise_cosine(np.asarray(vectors)[[q]], vectors)[0]
    order = [i for i in np.argsort(-scores) if i != q][:k]
    return [(vocab[i], float(scores[i])) for i in order]


@correct("most_similar", "sorts (score, word) pairs with sorted()")
def most_similar(query, vocab, vectors, k=3):
    if query not in vocab:
        raise KeyError(query)
    q = vocab.index(query)
    pairs = [(cosine_similarity(vectors[q], vectors[i]), -i) for i in range(len(vocab)) if i != q]
    best = sorted(pairs, reverse=True)[:k]
    return [(vocab[-i], score) for score, i in best]


# --- linear_layer ------------------------------------------------------------


@wrong("linear_layer", "multiplies in the wrong order")
def linear_layer(x, W, b):
    x, W, b = np.asarray(x, dtype=float), np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    if x.shape[-1] != W.shape[0] or W.shape[1] != b.shape[0]:
        raise ValueError("shapes")
    return (W.T @ x.T).T + b if x.ndim == 2 else W.T @ x + b.sum()


@wrong("linear_layer", "forgets the bias")
def linear_layer(x, W, b):
    x, W, b = np.asarray(x, dtype=float), np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    if x.shape[-1] != W.shape[0] or W.shape[1] != b.shape[0]:
        raise ValueError("shapes")
    return x @ W


@wrong("linear_layer", "does not check the bias length")
def linear_layer(x, W, b):
    x, W, b = np.asarray(x, dtype=float), np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    if x.shape[-1] != W.shape[0]:
        raise ValueError("shapes")
    return x @ W + b[:W.shape[1]]


@correct("linear_layer", "uses np.dot and broadcasting")
def linear_layer(x, W, b):
    x = np.array(x, dtype=float)
    W = np.array(W, dtype=float)
    b = np.array(b, dtype=float).reshape(-1)
    if W.ndim != 2 or x.shape[-1] != W.shape[0] or b.shape[0] != W.shape[1]:
        raise ValueError("incompatible shapes")
    return np.dot(x, W) + b


@correct("cosine_similarity", "divides before checking norms, which warns on a zero vector")
def cosine_similarity(u, v):
    # Correct, but 0/0 on a zero vector emits "RuntimeWarning: invalid value" before
    # the ValueError: stock nbgrader would zero the visible test for that warning.
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if u.shape != v.shape:
        raise ValueError("lengths differ")
    c = (u @ v) / (np.linalg.norm(u) * np.linalg.norm(v))
    if not np.isfinite(c):
        raise ValueError("zero vector")
    return float(c)
