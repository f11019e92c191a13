"""What an instructor does in nbgrader's formgrader (served at /formgrader), as browser actions."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

SLOW = 180_000  # ms: collect, autograde and feedback run nbgrader inside the server


def open_from_lab_menu(page: Page, lab_url: str, assignment: str) -> None:
    """JupyterLab's Nbgrader menu -> Formgrader: formgrader inside a Lab tab (an iframe), listing ``assignment``."""
    page.goto(lab_url)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click(timeout=SLOW)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Formgrader$")).click()
    inside = page.frame_locator(".jp-MainAreaWidget:visible iframe")
    expect(inside.locator("td.name", has_text=assignment)).to_be_visible(timeout=SLOW)


def manage_assignments(page: Page, base: str) -> None:
    page.goto(f"{base}/formgrader/manage_assignments")
    expect(page.locator("table tbody tr td.name").first).to_be_visible(timeout=SLOW)


def assignment_names(page: Page) -> list[str]:
    return [name.strip() for name in page.locator("table tbody tr td.name").all_inner_texts()]


def _run_action(page: Page, row, column: str) -> str:
    """Click the icon in a formgrader table column and wait for nbgrader's result modal."""
    row.locator(f"td.{column} a").click()
    modal = page.locator("#success-modal, #error-modal")
    expect(modal).to_be_visible(timeout=SLOW)
    text = modal.inner_text()
    modal.locator(".modal-footer button.close").click()
    expect(modal).to_have_count(0, timeout=SLOW)
    return text


def _assignment_row(page: Page, assignment: str):
    return page.locator("tr", has=page.locator("td.name", has_text=re.compile(f"^{re.escape(assignment)}$")))


def generate(page: Page, assignment: str) -> str:
    """The "Generate" icon: source/ -> release/ (nbgrader generate_assignment)."""
    return _run_action(page, _assignment_row(page, assignment), "assign")


def release(page: Page, assignment: str) -> str:
    return _run_action(page, _assignment_row(page, assignment), "release")


def release_feedback(page: Page, assignment: str) -> str:
    return _run_action(page, _assignment_row(page, assignment), "release-feedback")


def collect(page: Page, assignment: str) -> str:
    return _run_action(page, _assignment_row(page, assignment), "collect")


def generate_feedback(page: Page, assignment: str) -> str:
    return _run_action(page, _assignment_row(page, assignment), "generate-feedback")


def autograde(page: Page, base: str, assignment: str, student: str) -> str:
    """Manage Submissions -> the lightning icon on the student's row."""
    page.goto(f"{base}/formgrader/manage_submissions/{assignment}")
    row = page.locator("tr", has=page.locator("td.student-id", has_text=student)).first
    expect(row).to_be_visible(timeout=SLOW)
    return _run_action(page, row, "autograde")


def open_submission(page: Page, base: str, assignment: str, notebook: str) -> None:
    """Manual Grading -> assignment -> notebook -> the (only) submission."""
    page.goto(f"{base}/formgrader/gradebook/{assignment}/{notebook}")
    link = page.get_by_role("link", name="Submission #1")
    expect(link).to_be_visible(timeout=SLOW)
    link.click()
    _wait_for_grades(page)


def open_submission_by_id(page: Page, base: str, submission_id: str) -> None:
    """One student's notebook in formgrader, by its gradebook id (names are hidden in the lists)."""
    page.goto(f"{base}/formgrader/submissions/{submission_id}")
    _wait_for_grades(page)


def _wait_for_grades(page: Page) -> None:
    # Scores and comments are live only once formgrader has fetched them and bound its editors.
    page.wait_for_function("() => window.formgrader && formgrader.grades && formgrader.grades.loaded"
                           " && formgrader.comments && formgrader.comments.loaded", timeout=SLOW)


def _saved(page: Page, kind: str):
    """Wait for formgrader's PUT of a grade or comment to the server."""
    return page.expect_response(lambda r: f"/formgrader/api/{kind}/" in r.url and r.request.method == "PUT"
                                and r.ok, timeout=SLOW)


def enter_score(page: Page, grade_id: str, score: float) -> None:
    field = page.locator(f"input.score#{grade_id}")
    field.scroll_into_view_if_needed()
    with _saved(page, "grade"):
        field.fill(f"{score:g}")
        field.press("Tab")  # formgrader saves on change


def enter_comment(page: Page, grade_id: str, comment: str) -> None:
    field = page.locator(f"textarea.comment#{grade_id}-comment")
    field.scroll_into_view_if_needed()
    with _saved(page, "comment"):
        field.fill(comment)
        field.press("Tab")


def full_credit(page: Page, grade_id: str) -> None:
    panel = page.locator(".panel", has=page.locator(f"input.score#{grade_id}")).last
    with _saved(page, "grade"):
        panel.locator("button.full-credit").click()
