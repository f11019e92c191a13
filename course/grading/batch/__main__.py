"""``python -m course.grading.batch``: the ``course grade`` command."""
import sys

from .command import main

sys.exit(main())
