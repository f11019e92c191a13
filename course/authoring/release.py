"""Generate ``release/`` with stock ``nbgrader generate_assignment`` and check it is current.

Generation happens in a scratch course, so building the release never touches
the instructor's gradebook; the result is copied into ``release/``, which is
committed so students and reviewers can read exactly what gets handed out.
"""
from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

from course.assignments import RELEASE, all_assignments
from course.nbgrader_run import make_scratch_course, nbgrader


def generate(course: Path, assignments: list[str]) -> None:
    """Run generate_assignment for each assignment inside ``course``: one nbgrader process
    for all of them when all are asked for (its assignment id is a glob), saving the
    start-up of twelve more."""
    if len(assignments) > 1 and sorted(assignments) == sorted(all_assignments()):
        nbgrader(course, "generate_assignment", "*", "--force")
        return
    for assignment in assignments:
        nbgrader(course, "generate_assignment", assignment, "--force")


def write_release(assignments: list[str], force: bool = False) -> None:
    """Generate every release in a scratch course; rewrite only those whose content differs.

    Content, not file times, decides: a fresh clone (every file just written) is idle.
    """
    written = 0
    with tempfile.TemporaryDirectory() as tmp:
        course = make_scratch_course(Path(tmp) / "course")
        generate(course, assignments)
        for assignment in assignments:
            fresh, target = course / "release" / assignment, RELEASE / assignment
            if not force and not _compare(fresh, target):
                continue
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(fresh, target)
            written += 1
            print(f"wrote release/{assignment}/")
    if not written:
        print("release/ is up to date")


def check_release(assignments: list[str]) -> list[str]:
    """Differences between committed ``release/`` and freshly generated output."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        course = make_scratch_course(Path(tmp) / "course")
        generate(course, assignments)
        for assignment in assignments:
            problems += _compare(course / "release" / assignment, RELEASE / assignment)
    return problems


def _compare(fresh: Path, committed: Path) -> list[str]:
    if not committed.exists():
        return [f"release/{committed.name}/ is missing: run `make release`"]
    fresh_files = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    committed_files = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
    problems = [f"release/{committed.name}/{f} is stale: run `make release`"
                for f in sorted(fresh_files & committed_files)
                if not filecmp.cmp(fresh / f, committed / f, shallow=False)]
    problems += [f"release/{committed.name}/{f} is missing: run `make release`"
                 for f in sorted(fresh_files - committed_files)]
    problems += [f"release/{committed.name}/{f} should not be there: run `make release`"
                 for f in sorted(committed_files - fresh_files)]
    return problems
