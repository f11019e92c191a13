"""Hidden checks for the search half of ps10_embeddings: nearest neighbours, analogies, accuracy.

Oracles: scipy.spatial.distance.cdist cosines on small synthetic vocabularies (seeded,
local generators, rows of very different lengths so that "cosine" and "dot product"
rank differently), and the shipped GloVe file read with np.load.

One function, one blame (graders/composites.py): nearest_neighbors and analogy may call
the student's normalize_rows, and analogy_accuracy the student's analogy; each check also
accepts the ranking (or fraction) those helpers lead to, computed the way the reference
composes them (scores = N @ target on the helper's rows N). A helper that changes E in
place leaves the composite's no-mutation check ungraded.
"""
from __future__ import annotations

import os
import warnings

import numpy as np
from scipy.spatial.distance import cdist

from .checks import CheckFailed, assert_raises, describe, fail
from .composites import (SKIP, assert_close_any, assert_equal_any, call_composite, composed,
                         composite_inputs_unchanged)

DATA_FILE = "glove_6B_50d_50k.npz"


def _vocabulary(seed, n, d):
    """n made-up words with random directions and lengths spread over three decades."""
    rng = np.random.default_rng(seed)
    words = [f"tok{i:03d}" for i in range(n)]
    E = rng.normal(size=(n, d)) * np.exp(rng.uniform(-3.5, 3.5, size=(n, 1)))
    return words, E


def _cosines(E, target):
    return 1.0 - cdist(np.atleast_2d(target), E, "cosine")[0]


def _ranked(scores, words, banned, k):
    order = np.argsort(-scores, kind="stable")
    return [words[i] for i in order if words[i] not in banned][:k]


def _rows(E, normalize_rows, untouched=False):
    """The student's normalize_rows(E) as a float array of E's shape; with ``untouched``, a
    helper that changes E in place counts as broken."""
    given = E.copy()
    N = np.asarray(normalize_rows(given), dtype=float)
    if N.shape != E.shape or (untouched and not np.array_equal(given, E)):
        raise ValueError("normalize_rows gave no usable rows")
    return N


def _neighbors(word, words, E, k, exclude, normalize_rows=None, untouched=False):
    """Cosine ranking with cdist, or N @ N[word] on the student's normalised rows."""
    banned = set(exclude) | {word}
    if normalize_rows is None:
        return _ranked(_cosines(E, E[words.index(word)]), words, banned, k)
    N = _rows(E, normalize_rows, untouched)
    return _ranked(N @ N[words.index(word)], words, banned, k)


def _oracle_analogy(a, b, c, words, E, k=1, normalize_rows=None, untouched=False):
    """3CosAdd with exact unit rows and cdist, or on the student's normalised rows."""
    if normalize_rows is None:
        unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    else:
        unit = _rows(E, normalize_rows, untouched)
    target = unit[words.index(b)] - unit[words.index(a)] + unit[words.index(c)]
    scores = _cosines(unit, target) if normalize_rows is None else unit @ target
    return _ranked(scores, words, {a, b, c}, k)


def _with(normalize_rows, oracle):
    return composed(lambda normalize_rows: oracle(normalize_rows), {"normalize_rows": None},
                    {"normalize_rows": normalize_rows})


def _glove():
    """The shipped file's words (array) and float16 vectors, read from the working directory."""
    if not os.path.exists(DATA_FILE):
        raise CheckFailed(f"{DATA_FILE} is not in the notebook's folder\n"
                          "  hint: keep the data file beside the notebook; do not move or rename it")
    with np.load(DATA_FILE) as data:
        return data["words"], data["vectors"]


def _check_word_list(got, label):
    if got is SKIP:
        return
    if not isinstance(got, list) or not all(isinstance(w, str) for w in got):
        raise CheckFailed(f"{label} returned {describe(got)}\n  expected: a list of words (str)\n"
                          "  hint: return [words[i] for i in ...], not indices, scores or (word, score) pairs")


# --- nearest_neighbors ----------------------------------------------------------


def check_nearest_neighbors_values(nearest_neighbors, normalize_rows=None):
    """Rankings by cosine (not dot product) against cdist, several k, with exclusions."""
    words, E = _vocabulary(1201, 60, 6)
    E[17] = 0.01 * E[5]  # points exactly like tok005 but is very short
    cases = [("tok005", 5, ()), ("tok042", 3, ()), ("tok005", 4, ("tok017", "tok030")),
             ("tok011", 1, ["tok011"]), ("tok059", 7, {"tok001", "tok002", "nothing"})]
    for word, k, exclude in cases:
        label = f"nearest_neighbors({word!r}, words, E, k={k}, exclude={exclude!r}) on a random 60-word, 6-d vocabulary"
        expected = _with(normalize_rows, lambda nr: _neighbors(word, words, E, k, exclude, nr))
        got = call_composite(nearest_neighbors, word, words, E.copy(), k=k, exclude=exclude, label=label,
                             expected=expected)
        _check_word_list(got, label)
        assert_equal_any(got, expected, label=label,
                         hint="rank by COSINE (normalise the rows first; a short vector pointing the same way is "
                              "a perfect match), best first, skipping the word itself and every excluded word")
    label = "nearest_neighbors('tok020', words, E) with the default k"
    expected = _with(normalize_rows, lambda nr: len(_neighbors("tok020", words, E, 5, (), nr)))
    got = call_composite(nearest_neighbors, "tok020", words, E.copy(), label=label, expected=expected)
    assert_equal_any(got if got is SKIP else len(got), expected, label=label, hint="k defaults to 5")


def check_nearest_neighbors_contract(nearest_neighbors, normalize_rows=None):
    """KeyError for unknown words, no mutation, the real vocabulary in reasonable time."""
    words, E = _vocabulary(1202, 15, 4)
    assert_raises(KeyError, nearest_neighbors, "zebra", words, E,
                  label="nearest_neighbors('zebra', words, E) where 'zebra' is not in words",
                  hint="raise KeyError(word) for an unknown word")
    exclude = ["tok003"]
    composite_inputs_unchanged(nearest_neighbors, "tok004", words, E, k=3, exclude=exclude,
                               expected=_with(normalize_rows,
                                              lambda nr: _neighbors("tok004", words, E, 3, exclude, nr, True)),
                               label="nearest_neighbors('tok004', words, E, k=3, exclude=['tok003'])")
    words, E = _vocabulary(1203, 2000, 50)
    label = "nearest_neighbors('tok777', words, E, k=10) on a random 2000-word, 50-d vocabulary"
    expected = _with(normalize_rows, lambda nr: _neighbors("tok777", words, E, 10, (), nr))
    got = call_composite(nearest_neighbors, "tok777", words, E.copy(), k=10, label=label, expected=expected)
    assert_equal_any(got, expected, label=label, hint="rank by cosine similarity, best first")


# --- analogy -------------------------------------------------------------------


def check_analogy_values(analogy, normalize_rows=None):
    """3CosAdd answers on synthetic vocabularies, several k, a, b and c excluded."""
    words, E = _vocabulary(1301, 80, 8)
    unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    rng = np.random.default_rng(1302)
    E[50] = 0.02 * (unit[3] - unit[1] + unit[2] + 0.05 * rng.normal(size=8))  # short, but the planted answer
    cases = [("tok001", "tok003", "tok002", 1), ("tok001", "tok003", "tok002", 4), ("tok010", "tok020", "tok030", 3),
             ("tok044", "tok007", "tok061", 1), ("tok075", "tok012", "tok033", 6)]
    for a, b, c, k in cases:
        label = f"analogy({a!r}, {b!r}, {c!r}, words, E, k={k}) on a random 80-word, 8-d vocabulary"
        expected = _with(normalize_rows, lambda nr: _oracle_analogy(a, b, c, words, E, k, nr))
        got = call_composite(analogy, a, b, c, words, E.copy(), k=k, label=label, expected=expected)
        _check_word_list(got, label)
        assert_equal_any(got, expected, label=label,
                         hint="normalise every row first, target = n(b) - n(a) + n(c), rank all words by cosine "
                              "with the target and drop a, b and c")
    label = "analogy('tok004', 'tok005', 'tok006', words, E) with the default k"
    expected = _with(normalize_rows, lambda nr: _oracle_analogy("tok004", "tok005", "tok006", words, E, 1, nr))
    assert_equal_any(call_composite(analogy, "tok004", "tok005", "tok006", words, E.copy(), label=label,
                                    expected=expected), expected, label=label,
                     hint="k defaults to 1 and the result is still a list")
    _check_analogy_all_candidates(analogy, normalize_rows)
    label = "analogy('tok001', 'zebra', 'tok002', words, E) where 'zebra' is unknown"
    assert_raises(KeyError, analogy, "tok001", "zebra", "tok002", words, E.copy(), label=label,
                  hint="raise KeyError(word) for an unknown a, b or c, as the docstring says (words.index "
                       "raises ValueError; analogy_accuracy may rely on the KeyError to skip a question)")
    composite_inputs_unchanged(analogy, "tok009", "tok008", "tok007", words, E, k=2,
                               expected=_with(normalize_rows, lambda nr: _oracle_analogy(
                                   "tok009", "tok008", "tok007", words, E, 2, nr, True)),
                               label="analogy('tok009', 'tok008', 'tok007', words, E, k=2)")


def _check_analogy_all_candidates(analogy, normalize_rows=None):
    """k = n - 3 asks for every candidate, ranked; a larger k may raise, or return those same words
    (never a, b or c)."""
    __tracebackhide__ = True
    words, E = _vocabulary(1303, 10, 3)
    args = ("tok002", "tok005", "tok007")
    for k in (7, 9):
        label = f"analogy('tok002', 'tok005', 'tok007', words, E, k={k}) on a random 10-word, 3-d vocabulary"
        expected = _with(normalize_rows, lambda nr: _oracle_analogy(*args, words, E, k, nr))
        if k > 7:
            try:
                got = analogy(*args, words, E.copy(), k=k)
            except NotImplementedError:
                raise
            except Exception:  # noqa: BLE001 - more words than there are candidates: raising is fair
                continue
        else:
            got = call_composite(analogy, *args, words, E.copy(), k=k, label=label, expected=expected)
        _check_word_list(got, label)
        assert_equal_any(got, expected, label=label,
                         hint="only the 7 words other than a, b and c can be answers: return all of them, best "
                              "first, and never a, b or c (their scores must not let them back in)")


def check_analogy_glove(analogy, normalize_rows=None):
    """The classic analogies on the shipped GloVe vectors (or what the student's normalize_rows gives)."""
    words, vectors = _glove()
    words, E = words.tolist(), vectors.astype(np.float64)
    for (a, b, c), answer in [(("man", "king", "woman"), "queen"), (("france", "paris", "italy"), "rome")]:
        label = f"analogy({a!r}, {b!r}, {c!r}, words, E, k=3) on the GloVe vectors"
        expected = _with(normalize_rows, lambda nr: _oracle_analogy(a, b, c, words, E, 3, nr)[0])
        expected.values[0] = answer
        got = call_composite(analogy, a, b, c, words, E, k=3, label=label, expected=expected)
        if got is SKIP:
            continue
        _check_word_list(got, label)
        if len(got) != 3:
            fail(label, f"a list of 3 words starting with {answer!r}", got, "return k = 3 words")
        assert_equal_any(got[0], expected, label=label,
                         hint="use 3CosAdd on unit vectors: n(b) - n(a) + n(c), excluding a, b and c from the answers")


# --- analogy_accuracy -----------------------------------------------------------


def _accuracy(questions, words, E, analogy=None, normalize_rows=None, untouched=False):
    """The fraction right with the oracle analogy, or the student's analogy on the student's rows."""
    N = E if normalize_rows is None else _rows(E, normalize_rows, untouched)
    solve = analogy or (lambda a, b, c, words, E: _oracle_analogy(a, b, c, words, E, 1))
    known = set(words)
    results = [solve(a, b, c, words, N)[0] == d for a, b, c, d in questions if {a, b, c, d} <= known]
    return float(np.mean(results)) if results else float("nan")


def _unknown_words_raise_key_error(analogy, words, E) -> bool:
    """Whether the student's own analogy raises KeyError for an unknown a, b or c, as its
    docstring says. If not, analogy_accuracy is not graded on questions with unknown words:
    an accuracy that skips them by catching analogy's KeyError is right, and analogy's own
    checks carry the blame."""
    if analogy is None:
        return True
    for args in (("zebra", words[1], words[2]), (words[1], "zebra", words[2]), (words[1], words[2], "zebra")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                analogy(*args, words, E.copy())
        except KeyError:
            continue
        except Exception:  # noqa: BLE001 - any other outcome is not what the docstring promises
            return False
        return False
    return True


def _fractions(questions, words, E, analogy, normalize_rows, untouched=False):
    return composed(lambda **h: _accuracy(questions, words, E, untouched=untouched, **h),
                    {"analogy": None, "normalize_rows": None},
                    {"analogy": analogy, "normalize_rows": normalize_rows})


def check_analogy_accuracy(analogy_accuracy, analogy=None, normalize_rows=None):
    """Exact fractions on a synthetic vocabulary with right, wrong and skipped questions."""
    words, E = _vocabulary(1401, 40, 6)
    rng = np.random.default_rng(1402)
    questions, n_right, n_asked = [], 0, 0
    for _ in range(14):
        a, b, c = (f"tok{i:03d}" for i in rng.choice(40, size=3, replace=False))
        best = _oracle_analogy(a, b, c, words, E, 2)
        right = rng.random() < 0.6
        questions.append((a, b, c, best[0] if right else best[1]))
        n_right += right
        n_asked += 1
    for at, question in [(3, ("zebra", "tok001", "tok002", "tok003")), (7, ("tok004", "tok005", "tok006", "unicorn")),
                         (11, ("tok007", "tok008", "yeti", "tok009"))]:
        questions.insert(at, question)  # between answerable ones: skipping goes on after them
    label = "analogy_accuracy(questions, words, E) on 14 answerable and 3 skipped questions"
    expected = _fractions(questions, words, E, analogy, normalize_rows, untouched=True)
    expected.values[0] = n_right / n_asked
    unknown_ok = _unknown_words_raise_key_error(analogy, words, E)
    expected.helper_broken |= not unknown_ok
    got = composite_inputs_unchanged(analogy_accuracy, questions, words, E, label=label, expected=expected)
    if got is not SKIP and np.ndim(got) != 0:
        fail(label, "a single float", got, "return the fraction of correct answers as a float")
    hint = ("skip (do not count) questions with ANY unknown word, including d; the result is a "
            "fraction in [0, 1], correct answers divided by answered questions")
    if got is not SKIP:
        expected = _fractions(questions, words, E, analogy, normalize_rows)
        expected.values[0] = n_right / n_asked
        expected.helper_broken |= not unknown_ok
    assert_close_any(got, expected, label=label, rtol=1e-12, atol=1e-12, hint=hint)
    answerable = [q for q in questions if set(q) <= set(words)]
    right = [q for q in answerable if _oracle_analogy(*q[:3], words, E, 1)[0] == q[3]]
    label = f"analogy_accuracy(questions, words, E) on {len(right)} questions that are all answered correctly"
    expected = _fractions(right, words, E, analogy, normalize_rows)
    assert_close_any(call_composite(analogy_accuracy, right, words, E.copy(), label=label, expected=expected),
                     expected, label=label, rtol=1e-12, atol=1e-12,
                     hint="a question counts as right when analogy(a, b, c, words, E)[0] == d")

