"""The README's pictures: the grade report photographed from the demo's report in headless
Chromium, and the JupyterLab, formgrader and feedback screens copied from the browser tests'
screenshots (``build/screenshots/``).

``make screenshots`` runs the demo and the browser tests and then this, so the pictures always
show what the current code does, never a hand-made image.
"""
from __future__ import annotations

import shutil

from course import ROOT

from . import chromium
from .demo import DEMO

IMAGES = ROOT / "docs" / "img"
SHOTS = {"index.html": "report_students.png", "ps01_vectors.html": "report.png"}
BROWSER_TESTS = ROOT / "build" / "screenshots"  # tests/test_browser.py's steps -> README picture
FROM_TESTS = {"02_student_validate_fails.png": "validate.png",
              "04_student_validate_passes.png": "validate_passes.png",
              "06_instructor_lab_formgrader_tab.png": "formgrader_lab.png",
              "07_formgrader_manage_assignments.png": "formgrader_assignments.png",
              "09_formgrader_manual_grade.png": "formgrader.png",
              "feedback_and_report/01_feedback_ada_offline.png": "feedback.png"}


def take_screenshots() -> int:
    reason = chromium.missing()
    if reason:
        print(f"no screenshots: {reason}")
        return 1
    report = DEMO / "report"
    missing = [page for page in SHOTS if not (report / page).exists()]
    if missing:
        print(f"no screenshots: run the demo first (missing {', '.join(missing)} in {report})")
        return 1
    with chromium.running() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 1300})
        for name, image in SHOTS.items():
            page.goto((report / name).as_uri())
            page.screenshot(path=str(IMAGES / image), full_page=name == "index.html")
            print(f"{IMAGES / image}")
    for shot, image in FROM_TESTS.items():
        if not (BROWSER_TESTS / shot).exists():
            print(f"not copied: {BROWSER_TESTS / shot} (run tests/test_browser.py first)")
            continue
        shutil.copyfile(BROWSER_TESTS / shot, IMAGES / image)
        print(f"{IMAGES / image}  <- {shot}")
    return 0
