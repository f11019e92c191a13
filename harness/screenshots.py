"""The README's pictures of the grade report, taken from the demo's report in headless Chromium.

``make screenshots`` runs the demo and then this, so the pictures always show what the
current code writes (names from the demo roster, today's date), never a hand-made image.
"""
from __future__ import annotations

from course import ROOT

from . import chromium
from .demo import DEMO

IMAGES = ROOT / "docs" / "img"
SHOTS = {"index.html": "report_students.png", "ps01_vectors.html": "report.png"}


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
    return 0
