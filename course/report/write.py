"""Write the whole report into one folder: index.html, a page and a PNG per assignment, the CSV."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from ..export.status_csv import StatusCsvExport
from .charts import score_histogram
from .gather import AssignmentReport, gather_course
from .html import Links, assignment_page, index_page, student_table
from .rubric import write_rubric

CSV_NAME = StatusCsvExport.default_name


@dataclass
class WrittenReport:
    folder: Path
    index: Path
    pages: dict[str, Path]
    images: dict[str, Path]
    csv: Path
    reports: list[AssignmentReport]


FORMGRADER = "http://localhost:8888/formgrader"


def course_id(course: Path) -> str:
    """The course id from the course's nbgrader_config.py (the folder name without one)."""
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        return str(config.CourseDirectory.course_id or Path(course).resolve().name)
    except Exception:  # noqa: BLE001 - no or unreadable config: the folder still names the course
        return Path(course).resolve().name


def write_report(course: Path, out: Path, assignments: list[str] | None = None,
                 formgrader: str = FORMGRADER) -> WrittenReport:
    students, reports = gather_course(Path(course), assignments)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pages, images = {}, {}
    for report in reports:
        images[report.name] = score_histogram(report, out / "img" / f"{report.name}_scores.png")
        pages[report.name] = out / f"{report.name}.html"
        html = assignment_page(report, images[report.name].relative_to(out).as_posix())
        pages[report.name].write_text(html, encoding="utf-8")
        write_rubric(Path(course), report.name, out / f"{report.name}_rubric.html")
    csv = StatusCsvExport().write(students, reports, out / CSV_NAME)  # same code as nbgrader export
    index = out / "index.html"
    title = f"Grade report: {course_id(Path(course))}, {datetime.date.today().isoformat()}"
    people = student_table(students, reports, Links(Path(course), out, formgrader))
    index.write_text(index_page(reports, {a: p.name for a, p in pages.items()}, CSV_NAME, title, people),
                     encoding="utf-8")
    return WrittenReport(out, index, pages, images, csv, reports)
