"""``course report [--course DIR] [--out DIR] [assignment ...]``, also ``python -m course.report``.

``add_arguments`` and ``run`` let ``course/cli.py`` mount it as a subcommand.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course import ROOT


DESCRIPTION = __doc__  # `course <command> --help` and this module's own parser show the same


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("assignments", nargs="*",
                        help="assignments to report on (default: every assignment in the gradebook)")
    parser.add_argument("--course", type=Path, default=ROOT,
                        help="course directory with gradebook.db, submitted/, autograded/ (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the report (default: <course>/report)")
    parser.add_argument("--formgrader", default="http://localhost:8888/formgrader",
                        help="formgrader's address, for the per-student links (default: %(default)s)")
    return parser


def run(args: argparse.Namespace) -> int:
    from .gather import STATUSES
    from .write import write_report
    out = args.out or args.course / "report"
    try:
        written = write_report(args.course, out, args.assignments or None, args.formgrader)
    except (FileNotFoundError, KeyError) as exc:
        print(f"course report: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        return 1
    for report in written.reports:
        counts = {s: len(report.with_status(s)) for s in STATUSES}
        print(f"{report.name}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    print(f"report: {written.index}\nLMS CSV: {written.csv}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course report", description=DESCRIPTION)
    return run(add_arguments(parser).parse_args(argv))
