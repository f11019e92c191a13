"""Grade report: per-assignment HTML pages (score histogram, failing checks, manual
grading to do, submissions that could not be graded) and a CSV for an LMS gradebook.

Everything is read back from what nbgrader left in a course directory: the
gradebook (scores, manual-grading flags, "Grading error: " comments), the
autograded notebooks (each failing test cell's message) and ``submitted/``
(who handed something in).

    python -m course.report [--course DIR] [--out DIR] [assignment ...]

Modules: ``gather`` (status and failures per student), ``messages`` (a failing
cell's one-line reason), ``charts`` (PNG histogram), ``html`` (pages), ``write``
(all of it into one folder; the CSV by ``course.export.StatusCsvExport``, the
same code as ``nbgrader export``), ``cli`` (the command). Nothing heavy is
imported here, so ``course --help`` stays fast.
"""
