"""Variants of the ps10_embeddings answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, wrong

# --- load_embeddings -----------------------------------------------------------


@wrong("load_embeddings", "keeps the float16 vectors")
def load_embeddings(path):
    data = np.load(path)
    return data["words"].tolist(), data["vectors"]


@wrong("load_embeddings", "returns the words as a NumPy array")
def load_embeddings(path):
    data = np.load(path)
    return data["words"], data["vectors"].astype(float)


@wrong("load_embeddings", "returns (E, words) in the wrong order")
def load_embeddings(path):
    data = np.load(path)
    return data["vectors"].astype(float), data["words"].tolist()


@wrong("load_embeddings", "skips the first row as if it were a header")
def load_embeddings(path):
    data = np.load(path)
    return data["words"][1:].tolist(), data["vectors"][1:].astype(float)


@wrong("load_embeddings", "opens the shipped file whatever path is given")
def load_embeddings(path):
    data = np.load("glove_6B_50d_50k.npz")
    return data["words"].tolist(), data["vectors"].astype(float)


@correct("load_embeddings", "copies the archive into a dict and uses np.array(dtype=float)")
def load_embeddings(path):
    archive = dict(np.load(path, allow_pickle=False))
    return list(map(str, archive["words"])), np.array(archive["vectors"], dtype=float)


# --- normalize_rows --------------------------------------------------------------


@wrong("normalize_rows", "divides by column norms")
def normalize_rows(E):
    E = np.asarray(E, dtype=float)
    norms = np.linalg.norm(E, axis=0, keepdims=True)
    return np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)


@wrong("normalize_rows", "plain division gives NaN for zero rows")
def normalize_rows(E):
    E = np.asarray(E, dtype=float)
    return E / np.linalg.norm(E, axis=1, keepdims=True)


@wrong("normalize_rows", "adds 1e-8 to the norm")
def normalize_rows(E):
    E = np.asarray(E, dtype=float)
    return E / (np.linalg.norm(E, axis=1, keepdims=True) + 1e-8)


@wrong("normalize_rows", "divides by the squared norm")
def normalize_rows(E):
    E = np.asarray(E, dtype=float)
    sq = np.sum(E ** 2, axis=1, keepdims=True)
    return np.divide(E, sq, out=np.zeros_like(E), where=sq > 0)


@wrong("normalize_rows", "normalises in place")
def normalize_rows(E):
    E = np.asarray(E, dtype=float)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    E /= norms
    return E


@correct("normalize_rows", "replaces zero norms by 1 before dividing")
def normalize_rows(E):
    E = np.array(E, dtype=float)
    norms = np.sqrt((E * E).sum(axis=1))
    norms[norms == 0] = 1.0
    return E / norms[:, None]


# --- nearest_neighbors -------------------------------------------------------------


@wrong("nearest_neighbors", "ranks by dot product")
def nearest_neighbors(word, words, E, k=5, exclude=()):
    if word not in words:
        raise KeyError(word)
    E = np.asarray(E, dtype=float)
    scores = E @ E[words.index(word)]
    return [words[i] for i in np.argsort(-scores) if words[i] != word and words[i] not in exclude][:k]


@wrong("nearest_neighbors", "removes excluded words after taking the top k")
def nearest_neighbors(word, words, E, k=5, exclude=()):
    if word not in words:
        raise KeyError(word)
    N = normalize_rows(E)
    scores = N @ N[words.index(word)]
    top = [words[i] for i in np.argsort(-scores) if words[i] != word][:k]
    return [w for w in top if w not in exclude]


@wrong("nearest_neighbors", "drops every word with cosine 1 instead of the query itself")
def nearest_neighbors(word, words, E, k=5, exclude=()):
    if word not in words:
        raise KeyError(word)
    N = normalize_rows(E)
    scores = N @ N[words.index(word)]
    return [words[i] for i in np.argsort(-scores) if scores[i] < 1 - 1e-9 and words[i] not in exclude][:k]


@wrong("nearest_neighbors", "returns an empty list for an unknown word")
def nearest_neighbors(word, words, E, k=5, exclude=()):
    if word not in words:
        return []
    N = normalize_rows(E)
    scores = N @ N[words.index(word)]
    return [words[i] for i in np.argsort(-scores) if words[i] != word and words[i] not in exclude][:k]


@wrong("nearest_neighbors", "returns (word, score) pairs")
def nearest_neighbors(word, words, E, k=5, exclude=()):
    if word not in words:
        raise KeyError(word)
    N = normalize_rows(E)
    scores = N @ N[words.index(word)]
    keep = [i for i in np.argsort(-scores) if words[i] != word and words[i] not in exclude][:k]
    return [(words[i], float(scores[i])) for i in keep]


@correct("nearest_neighbors", "sets banned scores to -inf and uses sorted()")
def nearest_neighbors(word, words, E, k=5, exclude=()):
    index = {w: i for i, w in enumerate(words)}
    q = index[word]
    E = np.asarray(E, dtype=float)
    cos = (E @ E[q]) / (np.linalg.norm(E, axis=1) * np.linalg.norm(E[q]))
    for w in set(exclude) | {word}:
        if w in index:
            cos[index[w]] = -np.inf
    best = sorted(range(len(words)), key=lambda i: -cos[i])[:k]
    return [words[i] for i in best]


# --- analogy ---------------------------------------------------------------------


@wrong("analogy", "does not normalise the vectors")
def analogy(a, b, c, words, E, k=1):
    E = np.asarray(E, dtype=float)
    ia, ib, ic = words.index(a), words.index(b), words.index(c)
    scores = E @ (E[ib] - E[ia] + E[ic])
    return [words[i] for i in np.argsort(-scores) if i not in (ia, ib, ic)][:k]


@wrong("analogy", "does not exclude a, b and c")
def analogy(a, b, c, words, E, k=1):
    N = normalize_rows(E)
    target = N[words.index(b)] - N[words.index(a)] + N[words.index(c)]
    return [words[i] for i in np.argsort(-(N @ target))[:k]]


@wrong("analogy", "computes a - b + c")
def analogy(a, b, c, words, E, k=1):
    N = normalize_rows(E)
    ia, ib, ic = words.index(a), words.index(b), words.index(c)
    scores = N @ (N[ia] - N[ib] + N[ic])
    return [words[i] for i in np.argsort(-scores) if i not in (ia, ib, ic)][:k]


@wrong("analogy", "normalises the target but not the candidates")
def analogy(a, b, c, words, E, k=1):
    E = np.asarray(E, dtype=float)
    N = normalize_rows(E)
    ia, ib, ic = words.index(a), words.index(b), words.index(c)
    target = N[ib] - N[ia] + N[ic]
    scores = E @ (target / np.linalg.norm(target))
    return [words[i] for i in np.argsort(-scores) if i not in (ia, ib, ic)][:k]


@wrong("analogy", "returns a plain string when k is 1")
def analogy(a, b, c, words, E, k=1):
    N = normalize_rows(E)
    ia, ib, ic = words.index(a), words.index(b), words.index(c)
    scores = N @ (N[ib] - N[ia] + N[ic])
    best = [words[i] for i in np.argsort(-scores) if i not in (ia, ib, ic)][:k]
    return best[0] if k == 1 else best


@wrong("analogy", "lets words.index raise ValueError for an unknown word")
def analogy(a, b, c, words, E, k=1):
    N = normalize_rows(E)
    ia, ib, ic = words.index(a), words.index(b), words.index(c)
    scores = N @ (N[ib] - N[ia] + N[ic])
    scores[[ia, ib, ic]] = -np.inf
    return [words[i] for i in np.argsort(-scores, kind="stable")[:k]]


@correct("analogy", "uses nearest_neighbors-style exclusion with scipy-free cosine")
def analogy(a, b, c, words, E, k=1):
    E = np.asarray(E, dtype=float)
    unit = E / np.linalg.norm(E, axis=1)[:, None]
    unknown = [w for w in (a, b, c) if w not in words]
    if unknown:
        raise KeyError(unknown[0])
    rows = {w: words.index(w) for w in (a, b, c)}
    target = unit[rows[b]] - unit[rows[a]] + unit[rows[c]]
    cos = unit @ target / np.linalg.norm(target)
    ranked = sorted(range(len(words)), key=lambda i: -cos[i])
    return [words[i] for i in ranked if words[i] not in rows][:k]


# --- analogy_accuracy --------------------------------------------------------------


@wrong("analogy_accuracy", "counts skipped questions as wrong")
def analogy_accuracy(questions, words, E):
    known = set(words)
    right = sum(analogy(a, b, c, words, E)[0] == d for a, b, c, d in questions if {a, b, c, d} <= known)
    return right / len(questions)


@wrong("analogy_accuracy", "only skips questions whose a, b or c is unknown")
def analogy_accuracy(questions, words, E):
    known = set(words)
    results = [analogy(a, b, c, words, E)[0] == d for a, b, c, d in questions if {a, b, c} <= known]
    return float(np.mean(results))


@wrong("analogy_accuracy", "returns a percentage")
def analogy_accuracy(questions, words, E):
    known = set(words)
    results = [analogy(a, b, c, words, E)[0] == d for a, b, c, d in questions if {a, b, c, d} <= known]
    return 100.0 * np.mean(results)


@wrong("analogy_accuracy", "counts an answer right when d is anywhere in the top 3")
def analogy_accuracy(questions, words, E):
    known = set(words)
    results = [d in analogy(a, b, c, words, E, k=3) for a, b, c, d in questions if {a, b, c, d} <= known]
    return float(np.mean(results))


@correct("analogy_accuracy", "filters out questions with unknown words before asking analogy")
def analogy_accuracy(questions, words, E):
    known = set(words)
    results = [analogy(a, b, c, words, E)[0] == d for a, b, c, d in questions if {a, b, c, d} <= known]
    return sum(results) / len(results) if results else float("nan")


# --- plot_words_2d -----------------------------------------------------------------


@wrong("plot_words_2d", "does not centre the vectors")
def plot_words_2d(selected, words, E):
    import matplotlib.pyplot as plt
    X = np.asarray(E, dtype=float)[[words.index(w) for w in selected]]
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    Z = X @ Vt[:2].T
    fig, ax = plt.subplots()
    ax.scatter(Z[:, 0], Z[:, 1])
    for w, (x, y) in zip(selected, Z):
        ax.text(x, y, w)
    return fig


@wrong("plot_words_2d", "takes the last two eigenvectors of eigh (smallest variance)")
def plot_words_2d(selected, words, E):
    import matplotlib.pyplot as plt
    X = np.asarray(E, dtype=float)[[words.index(w) for w in selected]]
    X = X - X.mean(axis=0)
    _, vecs = np.linalg.eigh(X.T @ X)
    Z = X @ vecs[:, :2]
    fig, ax = plt.subplots()
    ax.scatter(Z[:, 0], Z[:, 1])
    for w, (x, y) in zip(selected, Z):
        ax.text(x, y, w)
    return fig


@wrong("plot_words_2d", "plots the first two raw coordinates")
def plot_words_2d(selected, words, E):
    import matplotlib.pyplot as plt
    X = np.asarray(E, dtype=float)[[words.index(w) for w in selected]]
    Z = X[:, :2] - X[:, :2].mean(axis=0)
    fig, ax = plt.subplots()
    ax.scatter(Z[:, 0], Z[:, 1])
    for w, (x, y) in zip(selected, Z):
        ax.text(x, y, w)
    return fig


@wrong("plot_words_2d", "uses a legend instead of text labels")
def plot_words_2d(selected, words, E):
    import matplotlib.pyplot as plt
    X = np.asarray(E, dtype=float)[[words.index(w) for w in selected]]
    X = X - X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    Z = X @ Vt[:2].T
    fig, ax = plt.subplots()
    for w, (x, y) in zip(selected, Z):
        ax.scatter([x], [y], label=w)
    ax.legend()
    return fig


@correct("plot_words_2d", "eigh sorted descending, one scatter per word, annotate")
def plot_words_2d(selected, words, E):
    import matplotlib.pyplot as plt
    X = np.array([np.asarray(E[words.index(w)], dtype=float) for w in selected])
    X -= X.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(X, rowvar=False))
    Z = X @ vecs[:, np.argsort(vals)[::-1][:2]]
    fig, ax = plt.subplots()
    for w, (x, y) in zip(selected, Z):
        ax.scatter(x, y, color="C0")
        ax.annotate(w, (x, y), textcoords="offset points", xytext=(3, 3))
    return fig
