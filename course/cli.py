"""``course``: the few commands the Makefile and instructors need beyond stock nbgrader."""
from __future__ import annotations

import argparse
import importlib
import sys

from course.assignments import all_assignments
from course.process_exit import leaving


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


# Each stage's command module has DESCRIPTION, add_arguments(parser) and run(args).
STAGE_COMMANDS = [
    ("grade", "course.grading.batch.command",
     "grade every submission in parallel (same records as nbgrader autograde)"),
    ("report", "course.report.cli", "HTML grade report per assignment (histogram, failing checks, manual "
     "grading, errors) and a CSV for LMS import with a status column"),
    ("similarity", "course.similarity.cli", "HTML page of the most similar answer cells between students "
     "(evidence for a person to read, never a grade)"),
    ("grader-report", "course.quality.cli", "HTML report on the graders: mutants killed, variants, blame, "
     "contract clauses covered"),
]


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
    for name, module_name, summary in STAGE_COMMANDS:
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=summary, description=module.DESCRIPTION)
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    p = sub.add_parser("validate", help="nbgrader validate that exits non-zero and names each failing test")
    p.add_argument("notebooks", nargs="+", help="notebook(s) to validate")
    p.set_defaults(func=_validate)
    args = parser.parse_args(argv)
    return args.func(args)


def entry() -> int:
    """The ``course`` console script: :func:`main`, in a process that ends right after it."""
    return leaving(main())


if __name__ == "__main__":
    sys.exit(entry())
