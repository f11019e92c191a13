"""Bad files and tampered cells: what a broken or hostile save of the notebook looks like.

A file that is no notebook, or a link to the instructor's copy, must be recorded as a zero
with a reason; deleted, retyped or edited test cells must not turn a wrong answer into points.
"""
import os

from .catalogue import WRONG_COSINE, Attack, drop_cells, raw_file, retype_cells

COSINE_TESTS = ("cosine_similarity_visible", "cosine_similarity_values", "cosine_similarity_edge_cases")
WRONG = {"cosine_similarity": WRONG_COSINE}
NOT_A_NOTEBOOK = ("not a notebook", "notebook", "invalid", "unreadable", "json")

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def _link_to_source(folder, notebook_text, stage):
    os.symlink(stage.course / "source" / "ps01_vectors" / "ps01_vectors.ipynb", folder / "ps01_vectors.ipynb")


def _with_huge_file(folder, notebook_text, stage):
    (folder / "ps01_vectors.ipynb").write_text(notebook_text, encoding="utf-8")
    with open(folder / "extra.bin", "wb") as f:  # sparse: 512 MiB apparent, no disk used until copied
        f.truncate(512 * 2**20)


BAD_FILES = [
    Attack("atk-invalid-json", "the notebook file is truncated JSON", write=raw_file(b'{"cells": [{"cell_type": '),
           zero=True, error=NOT_A_NOTEBOOK),
    Attack("atk-empty-file", "the notebook file is empty", write=raw_file(b""), zero=True, error=NOT_A_NOTEBOOK),
    Attack("atk-png-as-notebook", "a PNG image renamed .ipynb", write=raw_file(PNG), zero=True, error=NOT_A_NOTEBOOK),
    Attack("atk-symlink-to-source", "the submission is a symlink to the instructor's source notebook",
           write=_link_to_source, zero=True, error=("",)),
    Attack("atk-huge-extra-file", "reference answers plus a 512 MiB (sparse) extra file in the submission",
           base="reference", write=_with_huge_file),
    Attack("atk-answer-cell-deleted", "the cosine_similarity answer cell is deleted",
           edit=drop_cells("cosine_similarity"), error=("",)),
    Attack("atk-test-cells-deleted", "wrong answer, and its test cells deleted", WRONG,
           edit=drop_cells(*COSINE_TESTS), error=("",)),
    Attack("atk-test-cells-edited", "wrong answer, and its test cells' source replaced by `pass`", WRONG,
           edit=retype_cells(*COSINE_TESTS, source="pass")),
    Attack("atk-test-cells-retyped", "wrong answer, and its test cells turned into markdown", WRONG,
           edit=retype_cells(*COSINE_TESTS, to="markdown")),
    Attack("atk-test-cells-unmarked", "wrong answer, and its test cells' metadata say: not graded, 0 points", WRONG,
           edit=retype_cells(*COSINE_TESTS, metadata={"grade": False, "points": 0, "locked": False})),
]
