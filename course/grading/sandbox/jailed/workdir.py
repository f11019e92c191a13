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


def enter(work_dir: str) -> None:
    """Copy the submission in and make it the working directory, as a cold boot does."""
    copy_submission(work_dir)
    os.chdir(work_dir)
