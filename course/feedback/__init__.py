"""Feedback steps nbgrader loads for ``generate_feedback``."""
