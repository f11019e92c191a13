"""A scratch course with ps01 released to its local exchange, and a student's home that points there.

Instructor and student are the same unix user here (nbgrader's local exchange
keys submissions by user name); what tells them apart is the
``nbgrader_config.py`` each JupyterLab server finds in its root directory.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from course.assignments import RELEASE
from course.nbgrader_run import make_scratch_course, nbgrader

COURSE_ID = "math-genai"

STUDENT_CONFIG = '''\
# What a student's ~/.jupyter/nbgrader_config.py holds on a shared machine.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
'''


def released_course(base: Path, assignment: str) -> Path:
    """The instructor's course (``nbgrader_config.py`` at its root) with ``assignment`` released."""
    course = make_scratch_course(base / "course")
    shutil.copytree(RELEASE / assignment, course / "release" / assignment)  # release/ is committed
    nbgrader(course, "generate_assignment", assignment, "--force")
    nbgrader(course, "release_assignment", assignment)
    return course


def student_home(base: Path, course: Path) -> Path:
    home = base / "student"
    home.mkdir(parents=True, exist_ok=True)
    config = STUDENT_CONFIG.format(course_id=COURSE_ID, exchange=str(course / "exchange"))
    (home / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return home
