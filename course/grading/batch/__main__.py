"""``python -m course.grading.batch``: the ``course grade`` command."""
import sys

from course.process_exit import leaving

from .command import main

sys.exit(leaving(main()))
