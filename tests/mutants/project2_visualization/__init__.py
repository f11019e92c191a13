"""Variants of the project2_visualization answers, graded through real nbgrader in tests/test_mutants.py."""
from . import attention, plots  # noqa: F401 (importing registers the variants)
