"""nbgrader configuration for the course; stock nbgrader commands read it from the repository root.

    nbgrader generate_assignment ps01_vectors      source/   -> release/
    nbgrader release_assignment ps01_vectors       release/  -> exchange/ (students fetch)
    nbgrader collect ps01_vectors                  exchange/ -> submitted/
    nbgrader autograde ps01_vectors                submitted/ -> autograded/ + gradebook.db
    nbgrader generate_feedback ps01_vectors        autograded/ -> feedback/
    nbgrader export                                gradebook.db -> grades.csv
"""
import os
from importlib.util import find_spec

import course.feedback

# nbgrader's folder without importing nbgrader (a second of imports): `course grade` reads this
# file on its own first, to boot kernels before it loads nbgrader.
NBGRADER_DIR = find_spec("nbgrader").submodule_search_locations[0]

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

# Grading kernels inherit this process's environment. One BLAS thread each:
# the course's matrices are small, and several kernels share the cores when a
# class is graded, where multi-threaded BLAS on small matrices is many times slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "math-genai"
# The gradebook is SQLite at <root>/gradebook.db (nbgrader's default db_url).

# A local exchange so release/fetch/submit/collect work on one machine.
c.Exchange.root = os.path.join(HERE, "exchange")

# Per-cell execution timeout in seconds, for validate and autograde alike. The
# reference solution's slowest cell (project1's model training) runs well
# under a minute on 2 cores; anything past 120 s is a runaway loop, and the
# student is told so in the cell output instead of stalling the batch.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# Autograding is sandboxed (course/grading, README "Threat model"): the student's cells run
# in a fresh bubblewrap jail per notebook (no network, no course files, resource limits);
# test cells run here, in the grader, and reach student objects only as plain data.
# Unreadable submissions become a zero with a reason instead of stopping the batch, and
# grading errors are written into the gradebook as "Grading error: ..." comments.
c.Autograde.exporter_class = "course.grading.steps.reader.SafeNotebookExporter"
# Stock sanitize steps, with OverwriteCells taught that a released test cell lacks its hidden
# tests (nbgrader issue #1961): honest submissions log no "checksum has changed" warning,
# while a real edit of a locked or test cell is still reported (and undone). CheckCellMetadata,
# here and after grading, is stock's with its JSON schema checked once per process instead of
# once per cell: the same verdicts in a tenth of the time (24 ms -> 2.3 ms for ps04's notebook).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "course.grading.steps.overwrite_cells.OverwriteReleasedCells",
    "course.grading.steps.check_metadata.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "course.grading.steps.sandboxed_execute.SandboxedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "course.grading.steps.record_grading_status.RecordGradingStatus",
    "nbgrader.preprocessors.AssignLatePenalties",
    "course.grading.steps.check_metadata.CheckCellMetadata",
]
c.SandboxedExecute.timeout = c.Execute.timeout
c.SandboxedExecute.notebook_timeout = 900
c.SandboxedExecute.memory_limit = 3 * 2**30
c.SandboxedExecute.max_output_bytes = 1_000_000

# Released stubs.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Stock nbgrader gives 0 to a test cell that writes anything to stderr, so a
# correct answer that merely triggers a Python/NumPy warning would lose its
# points. Warnings are dropped from test-cell output; real failures are
# exceptions and still score 0.
c.IgnorePattern.pattern = r"(?m)^.*\b\w*Warning: "
c.IgnorePattern.enabled = True

# Cap what a submission can write into the graded notebook (and feedback).
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40

# Validation (the Validate button, `nbgrader validate`) shows each failing cell's error;
# a kernel in IPython's Minimal traceback mode makes that error the one line that says why
# (`AssertionError: got ...`) instead of a traceback quoting the test. Only validation's
# kernel: `c.Validator.Execute` configures the Execute step the Validator creates.
c.Validator.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal"]
c.Validator.failed_warning = (
    "VALIDATION FAILED ON {num_failed} CELL(S)! Each failure's last line says why; "
    "`course validate <notebook>` prints only those lines. Validation runs the visible "
    "tests only: hidden tests run when your notebook is graded.\n")

# Feedback names every check and marks it passed / failed / pending, shows messages but never
# hidden test source, and renders maths as MathML when generated (readable offline).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.feedback.check_status.MarkCheckStatus",
    "course.feedback.hide_hidden_tests.HideHiddenTests",
    "course.feedback.render_maths.RenderMaths",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# Scoped to feedback's exporter: formgrader's own HTMLExporter keeps its "formgrade" template.
c.GenerateFeedback.HTMLExporter.template_name = "course_feedback"
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [
    os.path.join(os.path.dirname(course.feedback.__file__), "templates"),  # the installed package's copy
    os.path.join(NBGRADER_DIR, "server_extensions", "formgrader", "templates"),
]
