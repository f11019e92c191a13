"""The one trait every course feedback step declares, so nbconvert's HTML config is accepted.

nbgrader's ``NbGraderPreprocessor`` redeclares ``display_data_priority`` without
``config=True``; the HTML exporter configures ``NbConvertBase.display_data_priority``,
and traitlets then warns "Config option `display_data_priority` not recognized" for
each step. nbgrader's own ``GetGrades`` declares it configurable; so do these.
"""
from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List


class FeedbackStep(NbGraderPreprocessor):
    display_data_priority = List(["text/html", "application/pdf", "text/latex", "image/svg+xml",
                                  "image/png", "image/jpeg", "text/plain"]).tag(config=True)
