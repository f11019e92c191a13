"""Files a notebook writes beside itself come out of the jail bounded and never through a symlink."""
from __future__ import annotations

import base64
import os

from course.grading.sandbox.grader import copy_back
from course.grading.sandbox.jailed.workdir import side_files
from course.grading.sandbox.grader.copy_back import write_files


def _answer(*pairs):
    return [[path, base64.b64encode(data).decode()] for path, data in pairs]


def test_plain_files_and_folders_are_written_beside_the_notebook(tmp_path):
    notes = write_files(_answer(("out.txt", b"1"), ("plots/a.csv", b"x,y")), str(tmp_path))
    assert notes == []
    assert (tmp_path / "out.txt").read_bytes() == b"1"
    assert (tmp_path / "plots" / "a.csv").read_bytes() == b"x,y"


def test_paths_that_leave_the_folder_or_name_a_notebook_are_refused(tmp_path):
    inside = tmp_path / "autograded"
    inside.mkdir()
    notes = write_files(_answer(("../escape.txt", b"x"), ("/tmp/abs.txt", b"x"), ("a/../../b.txt", b"x"),
                                ("graded.ipynb", b"{}"), ("", b"x")), str(inside))
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "b.txt").exists()
    assert list(inside.iterdir()) == [] and len(notes) == 1 and "not copied" in notes[0]


def test_a_symlinked_file_is_replaced_not_written_through(tmp_path):
    outside = tmp_path / "gradebook.db"
    outside.write_bytes(b"precious")
    inside = tmp_path / "autograded"
    inside.mkdir()
    (inside / "out.txt").symlink_to(outside)
    write_files(_answer(("out.txt", b"evil")), str(inside))
    assert outside.read_bytes() == b"precious"
    assert not (inside / "out.txt").is_symlink() and (inside / "out.txt").read_bytes() == b"evil"


def test_a_symlinked_folder_is_never_entered(tmp_path):
    outside = tmp_path / "course"
    outside.mkdir()
    inside = tmp_path / "autograded"
    inside.mkdir()
    (inside / "sub").symlink_to(outside, target_is_directory=True)
    notes = write_files(_answer(("sub/x.txt", b"evil")), str(inside))
    assert list(outside.iterdir()) == [] and notes


def test_no_more_than_the_file_count_and_byte_bounds_are_written(tmp_path, monkeypatch):
    monkeypatch.setattr(copy_back, "MAX_FILES", 3)
    monkeypatch.setattr(copy_back, "MAX_BYTES", 10)
    many = tmp_path / "many"
    many.mkdir()
    notes = write_files(_answer(*[(f"f{i}", b"1") for i in range(5)]), str(many))
    assert len(list(many.iterdir())) == 3 and "past the first 3" in notes[0]
    big = tmp_path / "big"
    big.mkdir()
    notes = write_files(_answer(("a", b"123456"), ("b", b"123456")), str(big))
    assert sorted(p.name for p in big.iterdir()) == ["a"] and "over 10 bytes" in notes[0]


def test_a_malformed_answer_from_the_jail_is_a_note(tmp_path):
    assert write_files({"files": 1}, str(tmp_path)) and write_files([["x", "not base64!"]], str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_the_jail_side_lists_new_regular_files_but_no_symlinks_or_notebooks(tmp_path):
    (tmp_path / "new.txt").write_text("n")
    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "link").symlink_to("/etc/hostname")
    (tmp_path / "dirlink").symlink_to("/etc", target_is_directory=True)
    os.mkdir(tmp_path / "sub")
    (tmp_path / "sub" / "deep.txt").write_text("d")
    found = side_files(str(tmp_path), max_files=10, max_bytes=100)
    assert sorted(path for path, _ in found) == ["new.txt", "sub/deep.txt"]
    assert len(side_files(str(tmp_path), max_files=1, max_bytes=100)) == 1
