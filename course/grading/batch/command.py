"""The ``course grade`` command line (``course.cli`` wires it; ``python -m course.grading.batch`` runs it too)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = ("Grade every submission in submitted/ in parallel, on local worker processes or a Dask "
               "cluster: the same gradebook records and autograded notebooks as `nbgrader autograde`. "
               "Only new or changed submissions are graded unless --force.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignments to grade (default: all with submissions)")
    parser.add_argument("--course", default=".", help="course directory (default: current directory)")
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: CPU count)")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    parser.add_argument("--force", action="store_true", help="regrade every submission, changed or not")


def run(args) -> int:
    from .grade import grade
    from .lock import CourseBusy
    try:
        summary = grade(Path(args.course), args.assignments, workers=args.workers,
                        scheduler=args.scheduler, force=args.force)
    except KeyboardInterrupt:
        return 130
    except CourseBusy as exc:
        print(f"course grade: {exc}", file=sys.stderr)
        return 2
    for line in summary.worker_errors:
        print(f"worker error (executed in the pipeline instead): {line}", file=sys.stderr)
    for assignment, student in summary.failed:
        print(f"FAILED {assignment} {student} (see .grade_cache/logs/pipeline.log)", file=sys.stderr)
    print(f"graded {len(summary.graded)}, failed {len(summary.failed)}, unchanged {summary.skipped}, "
          f"executed on workers {summary.executed_by_workers}")
    return 0 if summary.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course grade", description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))
