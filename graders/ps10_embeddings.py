"""Hidden checks for ps10_embeddings. Oracles: np.load, np.linalg.eigh (search checks: ps10_embeddings_search).

Most checks use small synthetic vocabularies (seeded, local generators, rows of
very different lengths so that "cosine" and "dot product" rank differently);
two checks read the shipped GloVe file from the working directory, where
nbgrader places it beside the notebook.

Tolerances: unit rows and cosines are compared with rtol/atol 1e-9 (float64
arithmetic agrees to ~1e-15); loaded vectors must equal the stored float16
values exactly (widening float16 is exact); PCA coordinates are compared with
atol 1e-8 times the data scale, each axis up to sign (a principal component's
sign is arbitrary).
"""
from __future__ import annotations

import os
import tempfile

import numpy as np

from course.grading.api import write_scratch_file

from .checks import CheckFailed, assert_close, assert_equal, assert_inputs_unchanged, call, describe, fail
from .figures import close, summarize
# The search checks (nearest neighbours, analogies) live in their own module; notebooks import them from here.
from .ps10_embeddings_search import (DATA_FILE, _glove, check_analogy_accuracy,  # noqa: F401
                                     check_analogy_glove, check_analogy_values,
                                     check_nearest_neighbors_contract, check_nearest_neighbors_values)

TOL = dict(rtol=1e-9, atol=1e-9)


# --- load_embeddings -----------------------------------------------------------


def _check_loaded(result, words, vectors, label):
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailed(f"{label} returned {describe(result)}\n  expected: a tuple (words, E)\n"
                          "  hint: end with return words, E")
    got_words, got_E = result
    if not isinstance(got_words, list) or not all(isinstance(w, str) for w in got_words[:100]):
        raise CheckFailed(f"{label}: words is {type(got_words).__name__}\n  expected: a list of str\n"
                          "  hint: convert the stored array with .tolist() (the other functions call words.index)")
    assert_equal(len(got_words), len(words), label=f"{label}: number of words",
                 hint="return every stored word, without skipping a first row as if it were a header")
    assert_equal(got_words, words.tolist(), label=f"{label}: the words, in file order",
                 hint="keep the stored order: row i of E belongs to words[i]")
    if not isinstance(got_E, np.ndarray) or got_E.dtype != np.float64:
        raise CheckFailed(f"{label}: E is {describe(got_E)[:80]}\n  expected: a float64 NumPy array\n"
                          "  hint: convert with .astype(np.float64) (the stored float16 is too coarse to compute with)")
    assert_equal(got_E.shape, vectors.shape, label=f"{label}: shape of E", hint="E has one row per word")
    expected = vectors.astype(np.float64)
    if not np.array_equal(got_E, expected):  # exact: widening float16 loses nothing (and is fast on 2.5M values)
        fail(f"{label}: values of E", expected, got_E, problem="values differ from the stored vectors",
             hint="return the stored vectors themselves, converted to float, without rescaling or reordering")


def check_load_embeddings_glove(load_embeddings):
    """The shipped GloVe file, compared with np.load of the same file."""
    words, vectors = _glove()
    label = f"load_embeddings({DATA_FILE!r})"
    _check_loaded(call(load_embeddings, DATA_FILE, label=label), words, vectors, label)


def check_load_embeddings_format(load_embeddings):
    """A small file in the documented format, written to a temporary folder."""
    rng = np.random.default_rng(1001)
    words = np.array(["über", "x", "naïve", "co-op", "3.14", "zebra", "a"])
    vectors = rng.normal(scale=2.0, size=(len(words), 50)).astype(np.float16)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "tiny_vectors.npz")
        np.savez_compressed(path, words=words, vectors=vectors)
        with open(path, "rb") as handle:  # under the sandbox the file must exist inside it
            path = write_scratch_file(load_embeddings, "tiny_vectors.npz", handle.read()) or path
        label = "load_embeddings(path) on a 7-word file in the same format (other folder, other name)"
        _check_loaded(call(load_embeddings, path, label=label), words, vectors, label)


# --- normalize_rows -------------------------------------------------------------


def check_normalize_rows_values(normalize_rows):
    """Unit rows in the right directions for new shapes, lists and integers."""
    rng = np.random.default_rng(1101)
    for n, d in [(1, 3), (9, 4), (200, 50)]:
        E = rng.normal(size=(n, d)) * np.exp(rng.uniform(-5, 5, size=(n, 1)))
        label = f"normalize_rows(E) on a random ({n}, {d}) array with row lengths from 0.007 to 150"
        expected = E / np.sqrt(np.einsum("ij,ij->i", E, E))[:, None]
        assert_close(call(normalize_rows, E, label=label), expected, label=label, **TOL,
                     hint="divide each ROW by its own L2 norm: np.linalg.norm(E, axis=1, keepdims=True)")
    label = "normalize_rows(E) on [[3, 4], [0, -2], [5, 12]] given as nested lists of ints"
    assert_close(call(normalize_rows, [[3, 4], [0, -2], [5, 12]], label=label),
                 [[0.6, 0.8], [0.0, -1.0], [5 / 13, 12 / 13]], label=label, **TOL,
                 hint="convert with np.asarray(E, dtype=float); the L2 norm is the square root of the sum of squares")


def check_normalize_rows_edge_cases(normalize_rows):
    """Zero rows stay zero without NaN, tiny rows still become unit, no mutation."""
    rng = np.random.default_rng(1102)
    E = rng.normal(size=(6, 5))
    E[[1, 4]] = 0.0
    label = "normalize_rows(E) on a (6, 5) array whose rows 1 and 4 are all zero"
    got = call(normalize_rows, E, label=label)
    expected = E / np.where(E.any(axis=1), np.linalg.norm(E, axis=1), 1.0)[:, None]
    assert_close(got, expected, label=label, **TOL,
                 hint="0/0 gives NaN: divide only rows with a positive norm (np.divide(..., where=...)) "
                      "and leave zero rows at zero")
    E = rng.normal(size=(4, 3))
    E[2] *= 1e-9
    label = "normalize_rows(E) where row 2 has length about 1e-9"
    assert_close(np.linalg.norm(as_rows(call(normalize_rows, E, label=label), label), axis=1), np.ones(4),
                 label=f"{label}: row lengths", rtol=1e-9, atol=1e-9,
                 hint="adding a small epsilon to the norm spoils short rows; test for norm > 0 instead")
    E = rng.normal(size=(5, 4))
    assert_inputs_unchanged(normalize_rows, E, label="normalize_rows(E) on a random (5, 4) array")


def as_rows(value, label):
    array = np.asarray(value, dtype=float)
    if array.ndim != 2:
        fail(label, "a 2-D array", value, "return an array with the same shape as E")
    return array


# --- plot_words_2d ---------------------------------------------------------------


def check_plot_words_2d(plot_words_2d):
    """Scatter points equal to the PCA projection (each axis up to sign) and one label per word."""
    rng = np.random.default_rng(1501)
    words = [f"tok{i:03d}" for i in range(30)]
    basis, _ = np.linalg.qr(rng.normal(size=(12, 12)))
    E = (rng.normal(size=(30, 12)) * np.array([9.0, 4.0, 1.0] + [0.3] * 9)) @ basis.T + 5.0
    selected = ["tok021", "tok003", "tok017", "tok008", "tok029", "tok000", "tok012", "tok025", "tok014", "tok006"]
    X = E[[words.index(w) for w in selected]]
    X = X - X.mean(axis=0)
    values, vectors = np.linalg.eigh(X.T @ X)
    expected = X @ vectors[:, np.argsort(values)[::-1][:2]]
    label = "plot_words_2d(selected, words, E) for 10 of 30 random 12-d words"
    fig = call(plot_words_2d, selected, words, E, label=label)
    summary = summarize(fig, label)
    close(fig)
    axes = [ax for ax in summary["axes"] if ax["scatter"]]
    if not axes:
        raise CheckFailed(f"{label}: the figure has no scatter points\n  expected: one point per selected word\n"
                          "  hint: draw the points with ax.scatter(Z[:, 0], Z[:, 1])")
    points = np.concatenate([s.reshape(-1, 2) for s in axes[0]["scatter"]])
    assert_equal(points.shape, expected.shape, label=f"{label}: shape of the scatter points",
                 hint="draw exactly one point per selected word (and no others)")
    scale = np.abs(expected).max()
    for j, name in enumerate(["x (principal component 1)", "y (principal component 2)"]):
        if not (np.allclose(points[:, j], expected[:, j], atol=1e-8 * scale, rtol=0)
                or np.allclose(points[:, j], -expected[:, j], atol=1e-8 * scale, rtol=0)):
            fail(f"{label}: {name} coordinates", expected[:, j], points[:, j],
                 "centre the selected words' vectors by their mean, then project onto the two directions "
                 "of LARGEST variance (np.linalg.eigh sorts eigenvalues ascending); keep the words' order")
    texts = sorted(t.strip() for t in axes[0]["texts"])
    assert_equal(texts, sorted(selected), label=f"{label}: the text labels",
                 hint="add one ax.text(x, y, word) (or ax.annotate) per selected word")
