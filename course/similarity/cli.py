"""``course similarity <assignment> [--course DIR] [--out DIR]``, also ``python -m course.similarity``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import ROOT


DESCRIPTION = __doc__  # `course <command> --help` and this module's own parser show the same


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("assignment", help="assignment whose submissions to compare")
    parser.add_argument("--course", type=Path, default=ROOT,
                        help="course directory with release/ and submitted/ (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the page (default: <course>/report)")
    return parser


def write_similarity(course: Path, assignment: str, out: Path):
    """Compare the class and write ``<out>/<assignment>_similarity.html``; returns (path, pairs)."""
    from .answers import class_answers
    from .compare import compare_class
    from .page import similarity_page
    answers = class_answers(course, assignment)
    pairs = compare_class(answers)
    target = Path(out) / f"{assignment}_similarity.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(similarity_page(assignment, answers, pairs), encoding="utf-8")
    return target, pairs


def run(args: argparse.Namespace) -> int:
    from .compare import THRESHOLD
    try:
        target, pairs = write_similarity(args.course, args.assignment, args.out or args.course / "report")
    except FileNotFoundError as exc:
        print(f"course similarity: {exc}", file=sys.stderr)
        return 1
    for pair in pairs:
        for match in pair.flagged():
            print(f"{pair.left} ~ {pair.right}: {match.grade_id} {match.score:.0%}")
    flagged = sum(1 for p in pairs if p.flagged())
    print(f"{len(pairs)} pairs compared, {flagged} with an answer at or above {THRESHOLD:.0%} "
          f"(evidence to read, not a grade)\nsimilarity page: {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course similarity", description=DESCRIPTION)
    return run(add_arguments(parser).parse_args(argv))
