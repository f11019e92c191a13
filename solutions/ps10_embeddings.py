"""ps10_embeddings: pre-trained word embeddings, nearest neighbours and analogies."""
import matplotlib.pyplot as plt
import numpy as np


def load_embeddings(path):
    """Read the shipped GloVe subset from the .npz file at `path`.

    The file holds two arrays: `words` (strings, shape (n,)) and `vectors`
    (float16, shape (n, 50)); row i of `vectors` belongs to `words[i]`.
    Returns (words, E): words as a Python list of str, E as an (n, 50)
    float64 array.
    """
    with np.load(path) as data:
        words = [str(w) for w in data["words"]]
        E = np.asarray(data["vectors"], dtype=np.float64)
    return words, E


def normalize_rows(E):
    """Each row of the (n, d) array-like E scaled to unit L2 norm.

    Returns a new float64 (n, d) array; an all-zero row stays all zero (no NaN,
    no warning). E is left unchanged.
    """
    E = np.asarray(E, dtype=np.float64)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)


def nearest_neighbors(word, words, E, k=5, exclude=()):
    """The k words whose rows of E have the highest cosine similarity with `word`'s row.

    words is a list of n strings, E an (n, d) array whose row i belongs to
    words[i]. Returns a list of k words, most similar first, never containing
    `word` itself nor any word in `exclude`. Raises KeyError if `word` is not
    in words.
    """
    if word not in words:
        raise KeyError(word)
    N = normalize_rows(E)
    scores = N @ N[words.index(word)]
    banned = set(exclude) | {word}
    order = np.argsort(-scores, kind="stable")
    return [words[i] for i in order if words[i] not in banned][:k]


def analogy(a, b, c, words, E, k=1):
    """Solve a : b :: c : ? with 3CosAdd.

    With unit rows n(w) of E, the target is n(b) - n(a) + n(c); returns the k
    words whose unit vectors have the highest cosine with the target, best
    first, never a, b or c. Example: analogy("man", "king", "woman", ...)
    gives ["queen"]. Raises KeyError if a, b or c is not in words.
    """
    N = normalize_rows(E)
    rows = [words.index(w) if w in words else None for w in (a, b, c)]
    for w, i in zip((a, b, c), rows):
        if i is None:
            raise KeyError(w)
    target = N[rows[1]] - N[rows[0]] + N[rows[2]]
    scores = N @ target
    scores[rows] = -np.inf
    k = min(k, len(words) - 3)
    top = np.argpartition(-scores, k - 1)[:k]  # the k best, unordered: faster than a full sort
    return [words[i] for i in top[np.argsort(-scores[top], kind="stable")]]


def analogy_accuracy(questions, words, E):
    """The fraction of (a, b, c, d) questions with analogy(a, b, c, words, E)[0] == d.

    Questions with any word (a, b, c or d) missing from words are skipped and
    do not count (analogy's KeyError says that a, b or c is unknown). Returns a
    float in [0, 1] (nan if every question is skipped).
    """
    known = set(words)
    N = normalize_rows(E)  # normalising once up front gives the same answers, faster
    results = []
    for a, b, c, d in questions:
        if d not in known:
            continue
        try:
            results.append(analogy(a, b, c, words, N)[0] == d)
        except KeyError:  # a, b or c is not in words
            continue
    return float(np.mean(results)) if results else float("nan")


def plot_words_2d(selected, words, E):
    """Scatter plot of the selected words after PCA to two dimensions.

    The rows of E for the selected words are centred by their own mean and
    projected onto their first two principal components (PC 1 on x, PC 2 on y).
    Draws one scatter point per selected word, in the order given, and one text
    label (the word) beside each point. Returns the matplotlib Figure.
    """
    X = np.asarray(E, dtype=np.float64)[[words.index(w) for w in selected]]
    X = X - X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    Z = X @ Vt[:2].T
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.scatter(Z[:, 0], Z[:, 1])
    for w, (x, y) in zip(selected, Z):
        ax.text(x, y, w, fontsize=10)
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    ax.set_title("Words projected onto their first two principal components")
    return fig
