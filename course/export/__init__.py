"""Grades out of the gradebook for an LMS, as nbgrader export plugins.

    nbgrader export --exporter course.export.StatusCsvExport --to grades_lms.csv
    nbgrader export --exporter course.export.CanvasExport --to grades_canvas.csv
    nbgrader export --exporter course.export.MoodleExport --to grades_moodle.csv

Every format reads the same statuses (``course.report.gather``: graded, error,
ungraded, missing) and writes a score only for a ``graded`` submission, so a
grading error or a missing notebook is never imported as a zero. Modules:
``base`` (the shared plugin and CSV writer), one module per format.
"""
from .canvas import CanvasExport
from .moodle import MoodleExport
from .status_csv import StatusCsvExport

__all__ = ["CanvasExport", "MoodleExport", "StatusCsvExport"]
