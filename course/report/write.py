"""Write the whole report into one folder: index.html, a page and a PNG per assignment, the CSV."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..export.status_csv import StatusCsvExport
from .charts import score_histogram
from .gather import AssignmentReport, gather_course
from .html import assignment_page, index_page

CSV_NAME = StatusCsvExport.default_name


@dataclass
class WrittenReport:
    folder: Path
    index: Path
    pages: dict[str, Path]
    images: dict[str, Path]
    csv: Path
    reports: list[AssignmentReport]


def write_report(course: Path, out: Path, assignments: list[str] | None = None) -> WrittenReport:
    students, reports = gather_course(Path(course), assignments)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pages, images = {}, {}
    for report in reports:
        images[report.name] = score_histogram(report, out / "img" / f"{report.name}_scores.png")
        pages[report.name] = out / f"{report.name}.html"
        html = assignment_page(report, images[report.name].relative_to(out).as_posix())
        pages[report.name].write_text(html, encoding="utf-8")
    csv = StatusCsvExport().write(students, reports, out / CSV_NAME)  # same code as nbgrader export
    index = out / "index.html"
    index.write_text(index_page(reports, {a: p.name for a, p in pages.items()}, CSV_NAME), encoding="utf-8")
    return WrittenReport(out, index, pages, images, csv, reports)
