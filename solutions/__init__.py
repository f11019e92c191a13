"""Reference solutions: the one copy of every graded answer in the course.

``solutions/<assignment>.py`` defines each graded function under its contract
name; its docstring is the contract students read. The notebook builder copies
signatures and docstrings into ``source/<a>/<a>.ipynb`` and hides the bodies
between solution markers, so nothing here is ever copied by hand.

This package is intentionally not installed: only the instructor's tooling and
the test-suite put the repository root on ``sys.path``; a student's kernel
cannot import it.
"""
