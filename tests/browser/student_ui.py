"""What a student does in JupyterLab with nbgrader's Assignments panel, as browser actions."""
from __future__ import annotations

import html
import re

from playwright.sync_api import Page, expect

NOTEBOOK = ".jp-NotebookPanel:visible"
SLOW = 120_000  # ms: validation and exchange actions run nbgrader inside the server


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#jp-main-dock-panel", timeout=SLOW)
    expect(page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader")).to_be_visible(timeout=SLOW)


def open_assignment_list(page: Page) -> None:
    """Nbgrader menu -> Assignment List (the panel nbgrader's lab extension adds)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    expect(page.locator("#assignments_list_info")).to_be_visible(timeout=SLOW)


def fetch(page: Page, assignment: str) -> None:
    released = page.locator("#released_assignments_list .list_item", has_text=assignment)
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list a.assignment-notebooks-link", has_text=assignment)
    expect(fetched).to_be_visible(timeout=SLOW)


def _notebook_row(page: Page, assignment: str):
    """The assignment's notebook row (with its Validate button), expanding the assignment if needed."""
    row = page.locator(f"#nbgrader-math-genai-{assignment} .nested_list_item", has_text=assignment)
    if not row.is_visible():
        page.locator("#fetched_assignments_list a.assignment-notebooks-link", has_text=assignment).click()
        expect(row).to_be_visible(timeout=SLOW)
    return row


def open_notebook_from_list(page: Page, assignment: str) -> None:
    """Open the notebook and wait until its kernel is idle: before that, a loaded page may still drop edits."""
    _notebook_row(page, assignment).locator("a", has_text=assignment).click()
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=SLOW)
    idle = page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']")
    expect(idle).to_have_count(1, timeout=SLOW)


def answer_cell(page: Page, index: int):
    return page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell").nth(index)


def replace_cell_source(page: Page, index: int, source: str) -> None:
    """Click into the cell's editor, select everything and type the new source (as a paste would)."""
    cell = answer_cell(page, index)
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    expect(editor).to_be_focused(timeout=SLOW)  # else Control+A selects cells and the text goes nowhere
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)
    expect(_current_tab(page)).to_have_class(DIRTY, timeout=SLOW)  # the notebook took the edit
    page.keyboard.press("Escape")


DIRTY = re.compile(r"\bjp-mod-dirty\b")


def _current_tab(page: Page):
    return page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")


def save_notebook(page: Page) -> None:
    """Save as a student does, until the unsaved-changes dot stays gone.

    If Lab says the file changed on disk (a test's setup rewrote it), the open version, with
    what was typed, is the one kept. If the dot comes back after a save (seen once on the hub, on
    a loaded host), the student saves again, as anyone would."""
    tab = _current_tab(page)
    saved = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)")
    changed = page.locator(".jp-Dialog", has_text="File Changed")
    for _ in range(SAVE_ATTEMPTS):
        tab.click()  # the notebook has the focus, so Control+S is Lab's
        page.keyboard.press("Control+s")
        try:
            expect(saved.or_(changed).first).to_be_visible(timeout=SAVE_WAIT)
            if changed.is_visible():
                changed.get_by_role("button", name="Overwrite").click()
                expect(changed).to_have_count(0, timeout=SAVE_WAIT)
            expect(tab).not_to_have_class(DIRTY, timeout=SAVE_WAIT)
            return
        except AssertionError:
            continue
    expect(tab).not_to_have_class(DIRTY, timeout=1)  # fails, saying what the tab shows


SAVE_ATTEMPTS = 3
SAVE_WAIT = 30_000  # ms per attempt


def _dialog_text(page: Page) -> str:
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=SLOW)
    return dialog.inner_text()


def close_dialog(page: Page) -> None:
    page.locator(".jp-Dialog .jp-Dialog-footer button").last.click()
    expect(page.locator(".jp-Dialog")).to_have_count(0, timeout=SLOW)


def validate_from_toolbar(page: Page) -> str:
    """The notebook toolbar's Validate button; returns the result dialog's text (left open)."""
    page.locator(f"{NOTEBOOK} .jp-Toolbar").get_by_text("Validate", exact=True).click()
    return _dialog_text(page)


def dialog_note(page: Page) -> str:
    """What the course's stylesheet adds below the Validate dialog's message (CSS content)."""
    return page.evaluate("getComputedStyle(document.querySelector('#validation-message'), '::after').content")


def validate_from_list(page: Page, assignment: str) -> str:
    """Validate in the Assignments panel; returns the result dialog's text (left open)."""
    _notebook_row(page, assignment).get_by_role("button", name="Validate").click()
    return _dialog_text(page)


def show_tab(page: Page, label: str) -> None:
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tabLabel", has_text=label).click()


def submit(page: Page, assignment: str) -> str:
    """Submit from the Assignments panel; returns the submitted entry's text (it holds the timestamp)."""
    row = page.locator("#fetched_assignments_list .list_item", has_text=assignment).first
    row.get_by_role("button", name="Submit").click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=assignment).first
    expect(submitted).to_be_visible(timeout=SLOW)
    return submitted.inner_text()


def nbgrader_menu_items(page: Page) -> list[str]:
    """The entries of JupyterLab's Nbgrader menu (the menu is closed again afterwards)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    items = page.locator(".lm-Menu-itemLabel")
    expect(items.first).to_be_visible(timeout=SLOW)
    labels = [label.strip() for label in items.all_inner_texts() if label.strip()]
    page.keyboard.press("Escape")
    return labels


def on_first_screen(page: Page, text: str) -> bool:
    """Whether ``text`` is shown in the open dialog without scrolling (inside the viewport)."""
    element = page.locator(".jp-Dialog pre", has_text=text).first
    expect(element).to_be_visible(timeout=SLOW)
    box, viewport = element.bounding_box(), page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= viewport["height"]


def fetch_feedback(page: Page, assignment: str) -> None:
    """The submitted assignment's "Fetch Feedback" button, once the instructor has released feedback."""
    row = page.locator("#submitted_assignments_list .list_item", has_text=assignment).first
    row.get_by_role("button", name="Fetch Feedback").click()
    viewed = page.locator("#submitted_assignments_list .list_item a", has_text="view feedback")
    expect(viewed.first).to_be_visible(timeout=SLOW)


def feedback_text(page_html: str) -> str:
    """A feedback page as the student reads it: no tags, styles or scripts, spaces collapsed."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page_html, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))
