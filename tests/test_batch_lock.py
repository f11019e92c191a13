"""One ``course grade`` per course: a second run is refused at once and touches nothing."""
from __future__ import annotations

import subprocess
import sys

from course.grading.batch.cache import cache_dir
from course.grading.batch.lock import exclusive


def _course_grade(course) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.grading.batch", "--course", str(course)],
                          capture_output=True, text=True, timeout=120)


def test_a_second_course_grade_in_the_same_course_is_refused_naming_the_first(tmp_path):
    (tmp_path / "submitted").mkdir()
    with exclusive(cache_dir(tmp_path)):
        run = _course_grade(tmp_path)
    assert run.returncode == 2, run.stderr
    assert "another course grade" in run.stderr and "is grading this course" in run.stderr, run.stderr
    assert not (tmp_path / "gradebook.db").exists()


def test_the_course_is_free_again_once_the_first_run_has_ended(tmp_path):
    (tmp_path / "submitted").mkdir()
    with exclusive(cache_dir(tmp_path)):
        pass
    with exclusive(cache_dir(tmp_path)):  # the flock went with the file descriptor
        pass
