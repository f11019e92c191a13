"""Kernel entry point inside the jail: copy the submission in, install the agent, start IPython.

Run as ``python -m course.grading.sandbox.jailed.boot <work dir> -f <connection file>``. The submission is
mounted read-only at ``~/.submission``; the kernel works on a copy in a size-capped home,
so whatever it writes stays inside the jail and vanishes with it. A work dir of ``-``
starts a warm kernel, booted before its notebook is known: the grader stages the files
later and the agent's ``enter`` request moves the kernel into them (:func:`enter`).
"""
from __future__ import annotations

import sys

from .workdir import enter


def main() -> None:
    work_dir = sys.argv[1]
    if work_dir != "-":
        enter(work_dir)
    from course.grading.sandbox.jailed.agent import install
    install()
    from ipykernel import kernelapp
    sys.argv = [sys.argv[0]] + sys.argv[2:]
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
