"""python -m course.report: see course/report/cli.py."""
import sys

from .cli import main

sys.exit(main())
