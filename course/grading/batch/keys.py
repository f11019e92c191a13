"""Content keys: what identifies an execution and a submission.

An execution is keyed by the sanitized notebook nbgrader would execute plus
the files beside it; the coordinator computes it before dispatch and the
cached execute step recomputes it inside nbgrader's pipeline, so a result is
used only for exactly the notebook it came from.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import nbformat
from nbgrader.utils import find_all_files

CONTEXT_ENV = "COURSE_BATCH_CONTEXT"


def context_digest(execute_class_path: str, config_sections: dict, checks: str = "") -> str:
    """Digest of the execute class, the config and the hidden checks: changing any of them
    invalidates cached executions and makes every submission count as changed."""
    blob = json.dumps([execute_class_path, config_sections, checks], sort_keys=True, default=repr)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def checks_digest(package: str = "graders") -> str:
    """Digest of the course's hidden-check package (test cells import it while grading)."""
    import importlib.util
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return ""
    h = hashlib.sha256()
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).rglob("*.py")):
            h.update(f"\0{path.name}\0{file_digest(path)}".encode())
    return h.hexdigest()[:16]


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def execution_key(notebook: nbformat.NotebookNode, companions: dict[str, str], context: str) -> str:
    """``companions``: relative path -> content digest of the non-notebook files beside it."""
    h = hashlib.sha256(context.encode())
    h.update(nbformat.writes(notebook).encode())
    for rel in sorted(companions):
        h.update(f"\0{rel}\0{companions[rel]}".encode())
    return h.hexdigest()[:32]


def companion_digests(folder: Path, ignore: list[str], submitted: Path) -> dict[str, str]:
    """Digests of the non-notebook files nbgrader leaves beside a notebook in ``folder``,
    plus which entries of the submission were symbolic links (the execute step may treat
    a file the student submitted as a link differently from a real file)."""
    out = {os.path.relpath(p, folder): file_digest(Path(p))
           for p in find_all_files(str(folder), list(ignore) + ["*.ipynb"])}
    for rel, target in submitted_links(submitted).items():
        out[f"submitted-link:{rel}"] = target
    return out


def submitted_links(folder: Path) -> dict[str, str]:
    """relative path -> target of every symbolic link under a submission folder."""
    links = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                links[os.path.relpath(path, folder)] = os.readlink(path)
    return links


def tree_digest(folder: Path, context: str) -> str:
    """Digest of every file under ``folder`` (a submission or an assignment's source)."""
    h = hashlib.sha256(context.encode())
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f"\0{path.relative_to(folder)}\0{file_digest(path)}".encode())
    return h.hexdigest()[:32]
