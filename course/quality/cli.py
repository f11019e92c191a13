"""``course grader-report [assignment ...]``: how well each assignment's hidden checks grade.

Writes ``<out>/index.html`` and one page per assignment and prints one summary line per
assignment. ``--strict`` exits 1 when a mutant survives unexplained, a variant gets the
wrong verdict, a wrong variant costs points in another function's checks, or a clause
is unmapped or uncovered.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import ROOT


DESCRIPTION = __doc__  # `course <command> --help` and this module's own parser show the same


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("assignments", nargs="*", help="assignments to assess (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "grader-report",
                        help="folder for the HTML report (default: %(default)s)")
    parser.add_argument("--sample", type=int, default=None,
                        help="grade a seeded random sample of this many mutants per assignment (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants graded at once (default: %(default)s)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on any unexplained problem")
    return parser


def problems(a) -> list[str]:
    """What --strict fails on, one line each."""
    found = [f"surviving mutant {r.mutant.id}: {r.mutant.after}" for r in a.mutants if r.status == "surviving"]
    found += [f"stale equivalence record {s}" for s in a.stale_equivalents]
    found += [f"variant {r.variant.slug}: {'loses points' if r.variant.correct else 'keeps full marks'}"
              for r in a.variants if not r.as_expected]
    found += [f"variant {r.variant.slug} costs points in {sorted(a.misplaced_blame(r))}"
              for r in a.variants if not r.variant.correct and a.misplaced_blame(r)]
    if a.reference.failures:
        found.append(f"the reference fails {sorted(a.reference.failures)}")
    if a.coverage:
        found += [f"unmapped contract part: {p}" for p in a.coverage.unmapped]
        found += [f"clause without a check: {c}" for c in a.coverage.uncovered + a.coverage.stale]
    return found


def run(args: argparse.Namespace) -> int:
    from ..assignments import all_assignments
    from .assess import assess
    from .html import assignment_page, index_page
    names = args.assignments or all_assignments()
    unknown = sorted(set(names) - set(all_assignments()))
    if unknown:
        print(f"course grader-report: no such assignment: {', '.join(unknown)}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    done, failed = [], 0
    for name in names:
        result = assess(name, sample=args.sample, seed=args.seed, jobs=args.jobs)
        done.append(result)
        (args.out / f"{name}.html").write_text(assignment_page(result), encoding="utf-8")
        print(result.summary(), flush=True)
        if args.strict:
            for line in problems(result):
                print(f"  {line}")
            failed += bool(problems(result))
    (args.out / "index.html").write_text(index_page(done), encoding="utf-8")
    print(f"report: {args.out / 'index.html'}")
    return 1 if failed else 0
