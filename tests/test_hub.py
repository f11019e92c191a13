"""The course on its one-machine JupyterHub (deploy/hub), with real accounts, in headless Chromium.

`make hub` deploys it for an instructor and two students (system accounts made with useradd); the hub
runs the deployed configuration on 127.0.0.1 with a shared test password. The instructor generates
and releases ps01 in formgrader; each student logs in, fetches, answers (ada right, bo wrong),
validates and submits in JupyterLab; the instructor collects, runs `course grade` from their account,
grades a hand-graded answer in formgrader and releases feedback; each student fetches their own
feedback. Then the files: who owns what, and what one student can reach of the other's work.
`make hub-teardown` removes accounts, exchange and hub state whatever happened. Screenshots of every
step go to build/screenshots/hub/.
"""
import pwd
import re
import stat
import time

import nbformat
import pytest

from course import ROOT
from harness.fabricate import fill_answers, reference_answers
from harness.mutants import variants
from harness import chromium
from tests.browser import hub as deployment

chromium.require(chromium.missing(), deployment.missing(in_ci=chromium.must_run()))

from nbgrader.api import Gradebook  # noqa: E402

from tests.browser import formgrader_ui, student_ui  # noqa: E402

pytestmark = [pytest.mark.pipeline, pytest.mark.browser, pytest.mark.long]

A = "ps01_vectors"
TYPED = "linear_layer"
HAND_GRADED = "own_embeddings_explanation"
INSTRUCTOR = "mgtest-teacher"
RIGHT, WRONG = "mgtest-ada", "mgtest-bo"
STUDENTS = [RIGHT, WRONG]
MANUAL = {RIGHT: 2.0, WRONG: 0.5}
SCREENSHOTS = ROOT / "build" / "screenshots" / "hub"


def _wrong_linear_layer() -> str:
    return next(v.source for v in variants(A) if v.grade_id == TYPED and v.why == "forgets the bias")


ANSWERS = {RIGHT: reference_answers(A)[TYPED], WRONG: _wrong_linear_layer()}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    clash = deployment.already_deployed([INSTRUCTOR, *STUDENTS])
    if clash:
        pytest.fail(clash) if chromium.must_run() else pytest.skip(clash)
    folder = tmp_path_factory.mktemp("hub")
    log = folder / "make.log"
    try:
        deployment.deploy(INSTRUCTOR, STUDENTS, log)
        for user in [INSTRUCTOR, *STUDENTS]:
            deployment.unattended_lab(user)
        with deployment.Hub(folder) as running:
            yield running
    finally:
        deployment.teardown(INSTRUCTOR, STUDENTS, log)


@pytest.fixture(scope="module")
def browser():
    with chromium.running() as browser:
        yield browser


def _page(browser):
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    return page


def _course() -> "Path":  # noqa: F821
    return deployment.home(INSTRUCTOR) / "math-genai"


def _fill_all_but_typed(student: str) -> None:
    """Setup, not the point: the student has answered everything except the answer typed in the browser."""
    path = deployment.home(student) / A / f"{A}.ipynb"
    answers = {gid: src for gid, src in reference_answers(A).items() if gid != TYPED}
    nbformat.write(fill_answers(nbformat.read(path, as_version=4), answers), path)
    deployment.give(path, student)


def _cell_index(path, grade_id: str) -> int:
    notebook = nbformat.read(path, as_version=4)
    return next(i for i, cell in enumerate(notebook.cells)
                if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _student_works(page, hub, student: str, shots) -> None:
    deployment.log_in(page, hub, student)
    student_ui.open_assignment_list(page)
    student_ui.fetch(page, A)
    notebook = deployment.home(student) / A / f"{A}.ipynb"
    assert notebook.stat().st_uid == pwd.getpwnam(student).pw_uid, "fetched as the student"
    _fill_all_but_typed(student)
    student_ui.open_lab(page, f"{hub.base}/user/{student}/lab")  # a fresh Lab: nothing cached from before
    student_ui.open_assignment_list(page)
    student_ui.open_notebook_from_list(page, A)
    student_ui.replace_cell_source(page, _cell_index(notebook, TYPED), ANSWERS[student])
    student_ui.save_notebook(page)
    verdict = student_ui.validate_from_toolbar(page)
    shots.take(page, f"{student}_validated")
    student_ui.close_dialog(page)
    if student == RIGHT:
        assert "Success! Your notebook passes all the tests." in verdict, verdict
    else:
        assert "linear_layer" in verdict and "Success!" not in verdict, verdict
    student_ui.show_tab(page, "Assignments")
    assert A in student_ui.submit(page, A)
    shots.take(page, f"{student}_submitted")


def test_a_class_works_on_the_hub_and_students_see_only_their_own_work(hub, browser):
    shots = chromium.Screenshots(SCREENSHOTS)
    started = time.monotonic()

    teacher = _page(browser)
    server = deployment.log_in(teacher, hub, INSTRUCTOR)
    formgrader_ui.manage_assignments(teacher, server)
    assert "Success" in formgrader_ui.generate(teacher, A)
    assert "Success" in formgrader_ui.release(teacher, A)
    shots.take(teacher, "instructor_released")
    outbound = deployment.EXCHANGE / deployment.COURSE_ID / "outbound" / A
    assert (outbound / f"{A}.ipynb").exists()

    pages = {student: _page(browser) for student in STUDENTS}
    for student, page in pages.items():
        _student_works(page, hub, student, shots)

    # Students have no formgrader and no "Create assignment".
    student_page = pages[RIGHT]
    assert student_page.request.get(f"{hub.base}/user/{RIGHT}/formgrader").status == 404
    student_page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    menu = student_page.locator(".lm-Menu-content").inner_text()
    student_page.keyboard.press("Escape")
    assert "Assignment List" in menu and "Formgrader" not in menu, menu

    formgrader_ui.manage_assignments(teacher, server)
    assert "Successfully" in formgrader_ui.collect(teacher, A)
    for student in STUDENTS:
        assert (_course() / "submitted" / student / A / f"{A}.ipynb").exists()

    graded = deployment.run_as(INSTRUCTOR, str(deployment.VENV_BIN / "course"), "grade", A, cwd=_course())
    assert graded.returncode == 0, graded.stdout + graded.stderr

    gradebook = f"sqlite:///{_course() / 'gradebook.db'}"
    with Gradebook(gradebook) as gb:
        ids = {s: gb.find_submission_notebook(A, A, s).id for s in STUDENTS}
    for student in STUDENTS:
        formgrader_ui.open_submission_by_id(teacher, server, ids[student])
        formgrader_ui.enter_score(teacher, HAND_GRADED, MANUAL[student])
    shots.take(teacher, "instructor_manual_grade")
    formgrader_ui.manage_assignments(teacher, server)
    assert "Successfully generated feedback" in formgrader_ui.generate_feedback(teacher, A)
    assert "Success" in formgrader_ui.release_feedback(teacher, A)
    shots.take(teacher, "instructor_feedback_released")

    with Gradebook(gradebook) as gb:  # read while the session is open
        scores = {s: {g.name: (g.auto_score, g.manual_score, g.max_score)
                      for g in gb.find_submission(A, s).notebooks[0].grades} for s in STUDENTS}
    assert scores[RIGHT]["linear_layer_hidden"][0] == scores[RIGHT]["linear_layer_hidden"][2] == 2
    assert scores[WRONG]["linear_layer_hidden"][0] == 0
    for student in STUDENTS:
        assert scores[student][HAND_GRADED][1] == MANUAL[student]

    feedback = {}
    for student, page in pages.items():
        student_ui.open_lab(page, f"{hub.base}/user/{student}/lab")
        student_ui.open_assignment_list(page)
        student_ui.fetch_feedback(page, A)
        shots.take(page, f"{student}_feedback")
        [path] = (deployment.home(student) / A / "feedback").glob(f"*/{A}.html")
        feedback[student] = student_ui.feedback_text(path.read_text(encoding="utf-8"))
    assert re.search(r"✓ passed linear_layer_hidden — [^✓✗…]+\(Score: 2\.0 / 2\.0\)", feedback[RIGHT])
    assert re.search(r"✗ failed linear_layer_hidden — [^✓✗…]+\(Score: 0\.0 / 2\.0\)", feedback[WRONG])
    for student in STUDENTS:
        assert f"Score: {MANUAL[student]} / 2.0" in feedback[student]
        assert "BEGIN HIDDEN TESTS" not in feedback[student]

    _students_cannot_reach_each_other()
    print(f"hub round trip: {time.monotonic() - started:.0f} s")


def _students_cannot_reach_each_other() -> None:
    course = deployment.EXCHANGE / deployment.COURSE_ID
    [submission] = (course / "inbound").glob(f"{RIGHT}+{A}+*")
    [feedback_file] = (deployment.home(RIGHT) / A / "feedback").glob(f"*/{A}.html")
    other = WRONG

    def denied(*command: str) -> bool:
        proc = deployment.run_as(other, *command)
        return proc.returncode != 0 and "Permission denied" in proc.stderr

    # The exchange: submissions and feedback cannot be listed, only written or fetched by exact name.
    assert stat.S_IMODE((course / "inbound").stat().st_mode) & 0o007 == 0o003, "inbound: others write, no read"
    assert stat.S_IMODE((course / "feedback").stat().st_mode) & 0o007 == 0o001, "feedback: others pass, no read"
    assert denied("ls", str(course / "inbound"))
    assert denied("ls", str(course / "feedback"))
    # A submission's name ends in a random string nobody else sees.
    assert len(submission.name.split("+")[-1]) >= 12, submission.name
    # Homes are private: the other student's fetched notebook, submission copy and feedback.
    assert denied("cat", str(deployment.home(RIGHT) / A / f"{A}.ipynb"))
    assert denied("cat", str(feedback_file))
    assert denied("ls", str(deployment.home(RIGHT)))
    # Nor the instructor's course: submitted/, the gradebook, graders.
    assert denied("cat", str(_course() / "gradebook.db"))
    assert denied("ls", str(_course() / "submitted" / RIGHT))
    # The hidden checks are installed for the instructor's group only.
    proc = deployment.run_as(other, str(deployment.VENV_BIN / "python"), "-c", "import graders.ps01_vectors")
    assert proc.returncode != 0, "a student imported the hidden checks"
    checks = deployment.run_as(INSTRUCTOR, str(deployment.VENV_BIN / "python"), "-c",
                               "import graders.ps01_vectors as m; print(m.__file__)")
    assert checks.returncode == 0, checks.stderr
    assert denied("cat", checks.stdout.strip())

