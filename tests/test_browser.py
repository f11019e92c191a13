"""End to end in a real browser: a student works in JupyterLab, an instructor grades in formgrader.

Headless Debian Chromium, driven by Playwright, against JupyterLab 4 servers
this test starts on 127.0.0.1 with nbgrader's lab and server extensions. The
student fetches ps01 from the course's local exchange, writes one answer in
the notebook, validates and submits; the instructor collects, autogrades,
grades a hand-graded answer and comments in formgrader, and generates
feedback. The test then reads what nbgrader stored. Screenshots of every step
go to build/screenshots/.
"""
import getpass
import re

import nbformat
import pytest

from course import ROOT
from course.nbgrader_run import make_scratch_course
from course.report.scores import gradebook_url
from course.report.write import write_report
from harness.classroom import grade_class
from harness.demo import load_roster
from harness.fabricate import fill_answers, reference_answers
from harness import chromium

chromium.require(chromium.missing())

from nbgrader.api import Gradebook  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser import formgrader_ui, student_ui  # noqa: E402
from tests.browser.course_setup import released_course, student_home  # noqa: E402
from tests.browser.lab_server import LabServer  # noqa: E402

pytestmark = [pytest.mark.pipeline, pytest.mark.browser, pytest.mark.long]

A = "ps01_vectors"
TYPED = "linear_layer"                      # the answer the student types in the browser
HAND_GRADED = "own_embeddings_explanation"  # markdown answer, 2 points, graded in formgrader
HAND_GRADED_CODE = "own_embeddings_code"    # code answer, 2 points, graded in formgrader
MANUAL_SCORE = 1.5
COMMENT = "Good geometry; say which coordinate makes sad negative."
EXPLANATION = ("happy and joyful are closest (cosine 0.97): both pleasant and energetic. happy and sad "
               "have a negative cosine because they disagree on pleasantness. The dot product would "
               "favour joyful just for being the longest vector.")
SCREENSHOTS = ROOT / "build" / "screenshots"
STUDENT_CONFIG = ROOT / "jupyter" / "student"        # what `make student-lab` adds
INSTRUCTOR_CONFIG = ROOT / "jupyter" / "instructor"  # what `make lab` adds


@pytest.fixture
def browser():
    with chromium.running() as browser:
        yield browser


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(60_000)
            yield page
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "zz_last_page.png"))  # the page the test ended on
        finally:
            browser.close()


def _cell_index(notebook, grade_id: str) -> int:
    return next(i for i, cell in enumerate(notebook.cells)
                if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _autograded_points(notebook) -> float:
    """Points of the test cells (graded, not answers): what a fully correct notebook earns automatically."""
    return sum(c.metadata.nbgrader.get("points", 0) for c in notebook.cells
               if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata.nbgrader.get("solution"))


def test_student_submits_in_lab_and_instructor_grades_in_formgrader(tmp_path, page):
    shots = chromium.Screenshots(SCREENSHOTS)
    course = released_course(tmp_path, A)
    home = student_home(tmp_path, course)
    student = getpass.getuser()  # the local exchange records submissions under the unix user
    reference = reference_answers(A)

    with LabServer(home, tmp_path / "student-jupyter", tmp_path / "student-lab.log", STUDENT_CONFIG) as lab:
        student_ui.open_lab(page, lab.url("lab"))
        menu = student_ui.nbgrader_menu_items(page)
        assert "Assignment List" in menu and "Formgrader" not in menu, menu  # `make student-lab`
        student_ui.open_assignment_list(page)
        shots.take(page, "student_assignment_list")
        student_ui.fetch(page, A)
        notebook_path = home / A / f"{A}.ipynb"
        assert notebook_path.exists(), "Fetch should place the release in the student's folder"

        # Setup, not the point: the student has already answered everything except TYPED.
        fetched = nbformat.read(notebook_path, as_version=4)
        earlier = {grade_id: answer for grade_id, answer in reference.items() if grade_id != TYPED}
        earlier[HAND_GRADED] = EXPLANATION
        nbformat.write(fill_answers(fetched, earlier), notebook_path)

        failed = student_ui.validate_from_list(page, A)
        shots.take(page, "student_validate_fails")
        reason_seen = student_ui.on_first_screen(page, "NotImplementedError")
        student_ui.close_dialog(page)
        # course validate's verdict: the check's name and one line saying why, not its source
        assert "linear_layer_visible" in failed and "NotImplementedError" in failed, failed
        assert "linear_layer(x, W, b)" not in failed and "Traceback" not in failed, failed
        assert reason_seen, "the failing check's reason should show without scrolling"

        student_ui.open_notebook_from_list(page, A)
        index = _cell_index(fetched, TYPED)
        student_ui.replace_cell_source(page, index, reference[TYPED])
        student_ui.save_notebook(page)
        shots.take(page, "student_answer_typed")
        assert nbformat.read(notebook_path, as_version=4).cells[index].source == reference[TYPED]

        passed = student_ui.validate_from_toolbar(page)
        shots.take(page, "student_validate_passes")
        note = student_ui.dialog_note(page)
        student_ui.close_dialog(page)
        assert "Success! Your notebook passes all the tests." in passed, passed
        assert "visible tests only" in note and "hidden tests run when your notebook is graded" in note, note

        student_ui.show_tab(page, "Assignments")
        submitted = student_ui.submit(page, A)
        shots.take(page, "student_submitted")
        assert A in submitted

    with LabServer(course, tmp_path / "instructor-jupyter", tmp_path / "instructor-lab.log",
                   INSTRUCTOR_CONFIG) as lab:
        formgrader_ui.open_from_lab_menu(page, lab.url("lab"), A)
        shots.take(page, "instructor_lab_formgrader_tab")
        formgrader_ui.manage_assignments(page, lab.base)
        assert set(formgrader_ui.assignment_names(page)) >= {A, "ps11_fourier", "project2_visualization"}
        assert "Successfully" in formgrader_ui.collect(page, A)
        shots.take(page, "formgrader_manage_assignments")
        assert (course / "submitted" / student / A / f"{A}.ipynb").exists()

        assert "Successfully autograded" in formgrader_ui.autograde(page, lab.base, A, student)
        shots.take(page, "formgrader_autograded")

        formgrader_ui.open_submission(page, lab.base, A, A)
        formgrader_ui.full_credit(page, HAND_GRADED_CODE)
        formgrader_ui.enter_score(page, HAND_GRADED, MANUAL_SCORE)
        formgrader_ui.enter_comment(page, HAND_GRADED, COMMENT)
        shots.take(page, "formgrader_manual_grade")

        formgrader_ui.manage_assignments(page, lab.base)
        assert "Successfully generated feedback" in formgrader_ui.generate_feedback(page, A)
        shots.take(page, "formgrader_feedback_generated")

    release = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    with Gradebook(gradebook_url(course)) as gb:
        submission = gb.find_submission(A, student)
        grades = {grade.name: grade for grade in submission.notebooks[0].grades}
        comments = {comment.name: comment for comment in submission.notebooks[0].comments}
        assert grades[HAND_GRADED].manual_score == MANUAL_SCORE
        assert grades[HAND_GRADED_CODE].manual_score == grades[HAND_GRADED_CODE].max_score == 2
        assert comments[HAND_GRADED].manual_comment == COMMENT
        auto = sum(g.auto_score or 0 for name, g in grades.items() if name not in (HAND_GRADED, HAND_GRADED_CODE))
        assert auto == _autograded_points(release), "a correct notebook earns every autograded point"
        assert not submission.needs_manual_grade

    feedback_page = course / "feedback" / student / A / f"{A}.html"
    feedback = student_ui.feedback_text(feedback_page.read_text(encoding="utf-8"))
    for check, points in [("linear_layer_visible", 1), ("linear_layer_hidden", 2), ("cosine_similarity_values", 2)]:
        assert re.search(rf"✓ passed {check} — [^✓✗…]+\(Score: {points:.1f} / {points:.1f}\)", feedback), check
    assert f"Score: {MANUAL_SCORE} / 2.0" in feedback and COMMENT in feedback
    assert "BEGIN HIDDEN TESTS" not in feedback and "from graders" not in feedback


def test_feedback_report_and_formgrader_read_well_offline_and_name_people(tmp_path, browser):
    """Feedback (named checks, marks, maths with the network off), the report's per-student
    links, and formgrader's roster names, for a graded class of two."""
    shots = chromium.Screenshots(SCREENSHOTS / "feedback_and_report")
    course = make_scratch_course(tmp_path / "course")
    load_roster(course)
    grade_class(course, A, {"ada": reference_answers(A), "blank": {}})

    offline = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    page = offline.new_page()
    page.goto((course / "feedback" / "ada" / A / f"{A}.html").as_uri())
    checks = page.locator("#toc li .check-name")
    assert "linear_layer_hidden" in checks.all_inner_texts()
    assert page.locator("#toc .mark-passed").count() == checks.count() - 2  # two answers wait for a grader
    assert page.locator("#toc .mark-pending").count() == 2
    maths = page.locator(".rendered_html math")
    assert maths.count() > 3 and maths.first.bounding_box()["width"] > 10, "maths should render offline"
    assert "$" not in page.locator(".rendered_html").first.inner_text()
    shots.take(page, "feedback_ada_offline")
    page.goto((course / "feedback" / "blank" / A / f"{A}.html").as_uri())
    assert page.locator("#toc .mark-failed").count() == page.locator("#toc .check-name").count()
    shots.take(page, "feedback_blank_offline")
    offline.close()

    online = browser.new_context(viewport={"width": 1400, "height": 900})
    page = online.new_page()
    page.set_default_timeout(60_000)
    with LabServer(course, tmp_path / "jupyter", tmp_path / "lab.log", INSTRUCTOR_CONFIG) as lab:
        page.goto(lab.url("formgrader/manage_students"))
        # formgrader fills the table after the page loads: wait for the roster's name
        expect(page.locator("table tbody tr", has_text="Lovelace, Ada")).to_be_visible(timeout=60_000)
        shots.take(page, "formgrader_roster")

        written = write_report(course, tmp_path / "report", [A], formgrader=f"{lab.base}/formgrader")
        page.goto(written.index.as_uri())
        assert "math-genai" in page.locator("h1").inner_text()
        shots.take(page, "report_students", full_page=True)
        row = page.locator("tr", has_text="Lovelace, Ada")
        row.locator("a.feedback").click()
        assert page.url.endswith(f"/feedback/ada/{A}/{A}.html") and page.locator(".mark-passed").count() > 5
        page.go_back()
        row.locator("a.formgrader").click()
        page.wait_for_load_state()
        assert f"manage_students/ada/{A}" in page.url and A in page.locator("body").inner_text()
        shots.take(page, "report_formgrader_link")
    online.close()
