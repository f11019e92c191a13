"""python -m course.similarity: see course/similarity/cli.py."""
import sys

from .cli import main

sys.exit(main())
