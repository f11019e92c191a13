"""What to grade: submissions, which of them changed, and the execution tasks they need.

A submission's digest covers its files, the assignment's source files and the
grading context; a submission whose digest matches the one recorded when it
was last graded (and whose autograded notebooks exist) is skipped.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import find_all_files

from .keys import execution_key, file_digest, submitted_links, tree_digest
from .nbconfig import CourseConfig


@dataclass
class ExecTask:
    """One notebook to execute, with everything a worker needs (nothing else)."""
    key: str
    student: str
    assignment: str
    notebook_id: str
    notebook: str                     # sanitized notebook JSON, as nbgrader would execute it
    files: dict[str, str | bytes]     # relative path -> local path or content
    submitted: dict[str, str | bytes | tuple]  # the submission folder: path, content or ("symlink", target)
    config: dict
    execute_class: str
    env: dict[str, str]
    boot_next: bool = False           # set by a local pool: more notebooks follow, boot a kernel for one

    def with_contents(self) -> "ExecTask":
        """A copy carrying file contents instead of local paths (for remote workers)."""
        def load(v):
            return Path(v).read_bytes() if isinstance(v, str) else v
        return ExecTask(**{**self.__dict__, "files": {rel: load(v) for rel, v in self.files.items()},
                           "submitted": {rel: load(v) for rel, v in self.submitted.items()}})


@dataclass
class Submission:
    student: str
    assignment: str
    folder: Path
    digest: str
    tasks: list[ExecTask] = field(default_factory=list)


class State:
    """Digest of each submission when it was last graded, one small file each (atomic, resumable)."""

    def __init__(self, cache: Path):
        self.root = cache / "state"

    def _path(self, assignment: str, student: str) -> Path:
        return self.root / assignment / student

    def get(self, assignment: str, student: str) -> str | None:
        try:
            return self._path(assignment, student).read_text().strip()
        except FileNotFoundError:
            return None

    def put(self, assignment: str, student: str, digest: str) -> None:
        path = self._path(assignment, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(digest)
        os.replace(tmp, path)


def gradebook_notebooks(cfg: CourseConfig, assignment: str) -> list[str]:
    with Gradebook(cfg.app.coursedir.db_url, cfg.app.coursedir.course_id) as gb:
        try:
            return sorted(nb.name for nb in gb.find_assignment(assignment).notebooks)
        except MissingEntry:
            raise SystemExit(f"{assignment} is not in the gradebook: run `nbgrader generate_assignment "
                             f"{assignment}` first") from None


def find_submissions(cfg: CourseConfig, assignment: str, context: str) -> list[Submission]:
    coursedir = cfg.app.coursedir
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    source_digest = tree_digest(source, context)
    pattern = Path(coursedir.format_path(coursedir.submitted_directory, "*", assignment))
    subs = []
    for folder in sorted(pattern.parent.parent.glob(f"*/{assignment}")):
        if folder.is_dir():
            subs.append(Submission(folder.parent.name, assignment, folder,
                                   tree_digest(folder, source_digest)))
    return subs


def is_current(cfg: CourseConfig, state: State, sub: Submission, notebooks: list[str]) -> bool:
    coursedir = cfg.app.coursedir
    dest = Path(coursedir.format_path(coursedir.autograded_directory, sub.student, sub.assignment))
    if state.get(sub.assignment, sub.student) != sub.digest:
        return False
    return all((dest / f"{nb}.ipynb").exists() for nb in notebooks if (sub.folder / f"{nb}.ipynb").exists())


def companion_files(cfg: CourseConfig, sub: Submission) -> dict[str, str]:
    """The files nbgrader puts beside the notebook in autograded/: the submission's, then the source's."""
    coursedir = cfg.app.coursedir
    ignore = list(coursedir.ignore) + ["*.ipynb"]
    files = {os.path.relpath(p, sub.folder): p for p in find_all_files(str(sub.folder), ignore)}
    source = coursedir.format_path(coursedir.source_directory, ".", sub.assignment)
    excluded = {os.path.join(source, x) for x in cfg.converter.exclude_overwriting.get(sub.assignment, [])}
    for p in find_all_files(source, ignore):
        if p not in excluded:
            files[os.path.relpath(p, source)] = p
    return files


def sanitize(cfg: CourseConfig, path: Path) -> nbformat.NotebookNode:
    """Run nbgrader's own sanitize pass on a submitted notebook, as autograde does, and read it back."""
    conv = cfg.converter
    if "exporter" not in conv._trait_values or conv._trait_values["exporter"] is None:
        conv.exporter = conv.exporter_class(parent=conv, config=conv.config)
    conv._sanitizing = True
    conv._init_preprocessors()
    resources = conv.init_single_notebook_resources(str(path))
    output, _ = conv.exporter.from_filename(str(path), resources=resources)
    return nbformat.reads(output, as_version=4)


def build_tasks(cfg: CourseConfig, sub: Submission, notebooks: list[str], context: str,
                config: dict) -> list[ExecTask]:
    """Execution tasks for a submission; a notebook nbgrader could not sanitize gets none
    (the pipeline then handles it exactly as stock autograde does)."""
    files = companion_files(cfg, sub)
    digests = {rel: file_digest(Path(p)) for rel, p in files.items()}
    links = submitted_links(sub.folder)
    digests.update({f"submitted-link:{rel}": target for rel, target in links.items()})
    submitted = submission_mirror(sub.folder, links)
    tasks = []
    for nb_id in notebooks:
        path = sub.folder / f"{nb_id}.ipynb"
        if not path.is_file():
            continue
        try:
            nb = sanitize(cfg, path)
        except Exception:  # noqa: BLE001 - unreadable submission: left to nbgrader's own handling
            continue
        tasks.append(ExecTask(execution_key(nb, digests, context), sub.student, sub.assignment, nb_id,
                              nbformat.writes(nb), files, submitted, config, cfg.execute_class_path, cfg.env))
    return tasks


def submission_mirror(folder: Path, links: dict[str, str]) -> dict:
    """The submission folder's non-notebook entries, links kept as links, so a worker can
    lay out ``submitted/`` beside ``autograded/`` as nbgrader's course directory has them."""
    out: dict = {rel: ("symlink", target) for rel, target in links.items()}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if rel not in out and not name.endswith(".ipynb"):
                out[rel] = path
    return out
