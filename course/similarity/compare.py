"""Score every pair of students answer by answer with copydetect's winnowing fingerprints.

An answer pair's score is the larger of copydetect's two similarities (the share
of one answer's fingerprinted tokens that also occur in the other), so a copy
padded with extra code still scores high. Answers shorter than ``MIN_TOKENS``
characters of normalised code are not compared: a two-line answer has too few
ways to be written for a match to mean anything. The released stub's
fingerprints are boilerplate.
"""
from __future__ import annotations

import io
import itertools
from dataclasses import dataclass

import numpy as np
from copydetect import CodeFingerprint, compare_files

from .answers import ClassAnswers

THRESHOLD = 0.8  # answer pairs scoring at least this are flagged (see README: Similarity check)
NOISE = 20       # copydetect's k: length of the normalised k-grams that count as a match
WINDOW = 4       # winnowing window (1 keeps every k-gram)
MIN_TOKENS = 40  # answers with fewer fingerprinted tokens are not compared


@dataclass(frozen=True)
class AnswerMatch:
    """One answer of two students, and where their code matches (character ranges of each text)."""
    grade_id: str
    score: float
    left: str
    right: str
    left_spans: tuple[tuple[int, int], ...]
    right_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PairResult:
    left: str
    right: str
    matches: tuple[AnswerMatch, ...]  # every compared answer, highest score first

    @property
    def score(self) -> float:
        return self.matches[0].score if self.matches else 0.0

    def flagged(self, threshold: float = THRESHOLD) -> tuple[AnswerMatch, ...]:
        return tuple(m for m in self.matches if m.score >= threshold)


def fingerprint(text: str, boilerplate: np.ndarray | None = None) -> CodeFingerprint:
    return CodeFingerprint("answer.py", NOISE, WINDOW, boilerplate=boilerplate, language="python",
                           fp=io.StringIO(text))


def compare_class(answers: ClassAnswers) -> list[PairResult]:
    """Every pair of students with at least one comparable answer in common, most similar first."""
    boilerplate = {g: np.array(sorted(fingerprint(stub).hashes), dtype=np.int64)
                   for g, stub in answers.stubs.items()}
    prints = {student: {g: fingerprint(text, boilerplate[g]) for g, text in own.items()}
              for student, own in answers.by_student.items()}
    pairs = []
    for left, right in itertools.combinations(sorted(prints), 2):
        matches = [compare_answer(g, prints[left][g], prints[right][g])
                   for g in answers.stubs if g in prints[left] and g in prints[right]]
        matches = sorted((m for m in matches if m is not None), key=lambda m: -m.score)
        if matches:
            pairs.append(PairResult(left, right, tuple(matches)))
    return sorted(pairs, key=lambda p: (-p.score, p.left, p.right))


def compare_answer(grade_id: str, left: CodeFingerprint, right: CodeFingerprint) -> AnswerMatch | None:
    if min(left.token_coverage, right.token_coverage) < MIN_TOKENS:
        return None
    _, similarities, (left_slices, right_slices) = compare_files(left, right)
    return AnswerMatch(grade_id, float(max(similarities)), left.raw_code, right.raw_code,
                       _spans(left_slices), _spans(right_slices))


def _spans(slices) -> tuple[tuple[int, int], ...]:
    slices = np.asarray(slices)
    if slices.size == 0:
        return ()
    return tuple((int(start), int(end)) for start, end in zip(slices[0], slices[1]))
