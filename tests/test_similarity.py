"""``course similarity`` on fabricated submissions (no grading needed: it reads submitted/ and release/).

A copy with renamed variables must be flagged; the reference and the correct alternatives of
tests/mutants/, written independently, must stay below the documented threshold.
"""
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from course import ROOT
from course.assignments import all_assignments
from course.nbgrader_run import make_scratch_course
from course.similarity.answers import class_answers
from course.similarity.compare import THRESHOLD, compare_class
from harness.fabricate import fill_answers, reference_answers, write_submission
from harness.mutants import variants

A = "ps01_vectors"
# sam's own answer: the catalogue's plain-Python alternative (not the reference)
SAM = next(v.source for v in variants(A) if v.correct and v.grade_id == "cosine_similarity"
           and "plain Python" in v.why)
# tom's: sam's with every local name and message changed and a comment added
RENAMES = {"a": "p", "b": "q", "dot": "total", "nu": "norm_x", "nv": "norm_y",
           '"lengths differ"': '"the vectors must have the same length"',
           '"zero vector"': '"cannot take the angle of a zero vector"'}


def renamed(source: str) -> str:
    for old, new in RENAMES.items():
        source = re.sub(rf"(?<![\w\"]){re.escape(old)}(?![\w\"])", new, source)
    return source.replace("\n", "\n    # my own solution\n", 1)


TOM = renamed(SAM)


def make_course(path, assignment, students):
    """A scratch course with the committed release and one submission per student."""
    course = make_scratch_course(path)
    (course / "release" / assignment).mkdir(parents=True)
    release_path = course / "release" / assignment / f"{assignment}.ipynb"
    shutil.copy(ROOT / "release" / assignment / f"{assignment}.ipynb", release_path)
    release = nbformat.read(release_path, as_version=4)
    for student, answers in students.items():
        write_submission(course, student, assignment, fill_answers(release, answers))
    return course


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    """sam answers on their own, tom hands in sam's answer with the names changed, una the reference."""
    reference = reference_answers(A)
    course = make_course(tmp_path_factory.mktemp("similarity") / "course", A, {
        "sam": {"cosine_similarity": SAM}, "tom": {"cosine_similarity": TOM},
        "una": {"cosine_similarity": reference["cosine_similarity"]}})
    proc = subprocess.run([sys.executable, "-m", "course.similarity", A, "--course", str(course)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return course, proc.stdout


def test_a_copy_with_renamed_variables_is_flagged(copied):
    course, stdout = copied
    pairs = {(p.left, p.right): p for p in compare_class(class_answers(course, A))}
    assert [m.grade_id for m in pairs["sam", "tom"].flagged()] == ["cosine_similarity"]
    assert "sam ~ tom: cosine_similarity" in stdout


def test_independent_answers_of_the_same_class_are_not_flagged(copied):
    course, stdout = copied
    pairs = {(p.left, p.right): p for p in compare_class(class_answers(course, A))}
    assert not pairs["sam", "una"].flagged() and not pairs["tom", "una"].flagged(), pairs
    assert "una" not in stdout.split("pairs compared")[0]


def test_page_shows_the_flagged_pair_side_by_side_and_says_it_is_not_a_grade(copied):
    course, _ = copied
    html = (course / "report" / f"{A}_similarity.html").read_text(encoding="utf-8")
    details = html[html.index("<h2>Matched lines</h2>"):]
    assert "<h3>sam and tom: <code>cosine_similarity</code>" in details
    assert details.count('<div class="side">') == 1 and "<mark>" in details
    assert "norm_x" in details and "nu = sum" in details  # both students' own lines
    assert "never a grade change" in html
    assert "http://" not in html and "https://" not in html


def test_the_released_stub_is_not_part_of_an_answer(copied):
    course, _ = copied
    answers = class_answers(course, A).by_student
    assert set(answers["tom"]) == {"cosine_similarity"}, "an answer left as the stub is nothing to compare"
    assert "raise NotImplementedError()" not in answers["tom"]["cosine_similarity"]
    assert "def cosine_similarity" not in answers["una"]["cosine_similarity"]
    assert "Cosine of the angle" not in answers["una"]["cosine_similarity"]  # the released docstring


def test_an_unreadable_submission_is_listed_and_the_rest_compared(tmp_path):
    course = make_course(tmp_path / "course", A, {"sam": {"cosine_similarity": SAM},
                                                  "tom": {"cosine_similarity": TOM}})
    corrupt = course / "submitted" / "dan" / A / f"{A}.ipynb"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_text('{"cells": [ not json', encoding="utf-8")
    answers = class_answers(course, A)
    assert set(answers.unreadable) == {"dan"}
    assert [p.score >= THRESHOLD for p in compare_class(answers) if (p.left, p.right) == ("sam", "tom")] == [True]


@pytest.mark.parametrize("assignment", all_assignments())
def test_reference_and_correct_alternatives_stay_below_the_threshold(assignment, tmp_path):
    """Each correct alternative is a student with that one answer; the reference student has all."""
    students = {"reference": reference_answers(assignment)}
    for number, variant in enumerate(v for v in variants(assignment) if v.correct):
        students[f"ok{number}"] = {variant.grade_id: variant.source}
    course = make_course(tmp_path / "course", assignment, students)
    flagged = [(p.left, p.right, m.grade_id, round(m.score, 2))
               for p in compare_class(class_answers(course, assignment)) for m in p.flagged()]
    assert flagged == [], f"independent correct answers flagged at >= {THRESHOLD:.0%}: {flagged}"
