"""Kernel entry point inside the jail: copy the submission in, install the agent, start IPython.

Run as ``python -m course.sandbox.boot <work dir> -f <connection file>``. The submission is
mounted read-only at ``~/.submission``; the kernel works on a copy in a size-capped home,
so whatever it writes stays inside the jail and vanishes with it. A work dir of ``-``
starts a warm kernel, booted before its notebook is known: the grader stages the files
later and the agent's ``enter`` request moves the kernel into them (:func:`enter`).
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


def main() -> None:
    work_dir = sys.argv[1]
    if work_dir != "-":
        enter(work_dir)
    from course.sandbox.agent import install
    install()
    from ipykernel import kernelapp
    sys.argv = [sys.argv[0]] + sys.argv[2:]
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
