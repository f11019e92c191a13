"""``python -m course.batch``: the ``course grade`` command."""
import sys

from .command import main

sys.exit(main())
