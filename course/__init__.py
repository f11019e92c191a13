"""Tooling for the Mathematics for GenAI course.

The flow an assignment takes, one module per step:

    authoring/<a>.md + solutions/<a>.py  --(outline, notebook_builder)-->  source/<a>/<a>.ipynb
    source/   --(nbgrader generate_assignment)-->  release/
    release/  --(student, or fabricate for the demo and tests)-->  submitted/
    submitted/ --(nbgrader autograde)-->  autograded/ + gradebook.db
    autograded/ --(nbgrader generate_feedback)-->  feedback/
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
