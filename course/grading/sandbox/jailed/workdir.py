"""The kernel's working directory inside the jail: a writable copy of the read-only submission.

Used by ``boot`` (a cold kernel) and by the agent's ``enter`` request (a warm kernel, booted
before its notebook was known), so both reach the same state before any cell runs.
"""
from __future__ import annotations

import os
import shutil
import sys

SOURCE = os.path.expanduser("~/.submission")


def copy_submission(work_dir: str) -> None:
    os.makedirs(work_dir, exist_ok=True)
    for root, dirs, files in os.walk(SOURCE):
        target = os.path.join(work_dir, os.path.relpath(root, SOURCE))
        os.makedirs(target, exist_ok=True)
        for name in files:
            source = os.path.join(root, name)
            if os.path.islink(source):
                continue
            try:
                shutil.copyfile(source, os.path.join(target, name))
            except OSError as exc:  # over the home's size cap: the rest still grades
                print(f"course sandbox: not copied {name}: {exc}", file=sys.stderr)


def side_files(work_dir: str, max_files: int, max_bytes: int) -> list:
    """[relative path, base64 content] of each regular file in ``work_dir`` that is new or
    differs from the submission's copy; no symlinks, no notebooks, at most ``max_files``
    files and ``max_bytes`` bytes in all (the grader checks these bounds again)."""
    import base64
    found, total = [], 0
    for root, dirs, files in os.walk(work_dir):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(root, d)))
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, work_dir)
            if name.endswith(".ipynb") or os.path.islink(path) or not os.path.isfile(path):
                continue
            size = os.path.getsize(path)
            if len(found) >= max_files or total + size > max_bytes:
                return found
            with open(path, "rb") as handle:
                data = handle.read(size + 1)
            original = os.path.join(SOURCE, rel)
            if os.path.isfile(original) and not os.path.islink(original):
                with open(original, "rb") as handle:
                    if handle.read(size + 1) == data:
                        continue
            total += len(data)
            found.append([rel, base64.b64encode(data).decode("ascii")])
    return found


def enter(work_dir: str) -> None:
    """Copy the submission in and make it the working directory, as a cold boot does."""
    copy_submission(work_dir)
    os.chdir(work_dir)
