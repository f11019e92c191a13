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

from course.assignments import RELEASE, SOURCE
from course.nbgrader_run import make_scratch_course, nbgrader


def generate(course: Path, assignments: list[str]) -> None:
    """Run generate_assignment for each assignment inside ``course``."""
    for assignment in assignments:
        nbgrader(course, "generate_assignment", assignment, "--force")


def write_release(assignments: list[str], force: bool = False) -> None:
    """Regenerate the releases whose source changed since they were written."""
    assignments = [a for a in assignments if force or _outdated(a)]
    if not assignments:
        print("release/ is up to date")
        return
    with tempfile.TemporaryDirectory() as tmp:
        course = make_scratch_course(Path(tmp) / "course")
        generate(course, assignments)
        for assignment in assignments:
            target = RELEASE / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(course / "release" / assignment, target)
            print(f"wrote release/{assignment}/")


def _outdated(assignment: str) -> bool:
    sources = [p.stat().st_mtime for p in (SOURCE / assignment).rglob("*") if p.is_file()]
    released = [p.stat().st_mtime for p in (RELEASE / assignment).rglob("*") if p.is_file()]
    return not released or max(sources, default=0) > min(released)


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
