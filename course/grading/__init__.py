"""Grading: the steps nbgrader loads (steps/), the sandbox they run student code in (sandbox/),
class-scale grading (batch/), and the grading-status contract every stage reads (status.py)."""
