"""``course``: the few commands the Makefile and instructors need beyond stock nbgrader."""
from __future__ import annotations

import argparse
import sys

from course.assignments import all_assignments


def _build_source(args) -> int:
    from course.authoring.notebook_builder import write_source_notebook
    for assignment in args.assignments or all_assignments():
        changed = write_source_notebook(assignment)
        print(f"{'wrote' if changed else 'unchanged'} source/{assignment}/{assignment}.ipynb")
    return 0


def _release(args) -> int:
    from course.authoring.release import check_release, write_release
    assignments = args.assignments or all_assignments()
    if args.check:
        problems = check_release(assignments)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    write_release(assignments)
    return 0


def _grade(args) -> int:
    from course.grading.batch.command import run
    return run(args)


def _report(args) -> int:
    from course.report.cli import run
    return run(args)


def _similarity(args) -> int:
    from .similarity.cli import run
    return run(args)


def _grader_report(args) -> int:
    from .quality.cli import run
    return run(args)


def _validate(args) -> int:
    from course.validate import main as validate
    return validate(args.notebooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build-source", help="authoring/ + solutions/ -> source/<a>/<a>.ipynb")
    p.add_argument("assignments", nargs="*")
    p.set_defaults(func=_build_source)
    p = sub.add_parser("release", help="source/ -> release/ with stock nbgrader generate_assignment")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--check", action="store_true", help="only verify release/ is up to date")
    p.set_defaults(func=_release)
    from course.grading.batch.command import DESCRIPTION, add_arguments as grade_arguments
    p = sub.add_parser("grade", help="grade every submission in parallel (same records as nbgrader autograde)",
                       description=DESCRIPTION)
    grade_arguments(p)
    p.set_defaults(func=_grade)
    p = sub.add_parser("report", help="HTML grade report per assignment (histogram, failing checks, manual "
                       "grading, errors) and a CSV for LMS import with a status column")
    from course.report.cli import add_arguments as report_arguments
    report_arguments(p)
    p.set_defaults(func=_report)
    p = sub.add_parser("similarity", help="HTML page of the most similar answer cells between students "
                       "(evidence for a person to read, never a grade)")
    from .similarity.cli import add_arguments as similarity_arguments
    similarity_arguments(p)
    p.set_defaults(func=_similarity)
    p = sub.add_parser("grader-report", help="HTML report on the graders: mutants killed, variants, blame, "
                       "contract clauses covered")
    from .quality.cli import add_arguments as grader_report_arguments
    grader_report_arguments(p)
    p.set_defaults(func=_grader_report)
    p = sub.add_parser("validate", help="nbgrader validate that exits non-zero and names each failing test")
    p.add_argument("notebooks", nargs="+", help="notebook(s) to validate")
    p.set_defaults(func=_validate)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
