"""The sandbox as test code sees it: the only module of ``course`` that ``graders/`` imports.

A student's objects reach a hidden check as proxies; checks never touch the proxies'
internals, only these helpers and the plain data that calls return.
"""
from __future__ import annotations

from course.grading.sandbox.grader.remote import (CpuLimitReached, Portable, call_repeatedly, remote_figure_summary,
                                                  remote_type_name, timed_call, timed_call_within,
                                                  write_scratch_file)
from course.grading.sandbox.wire.figure_summary import summarize_figure

__all__ = ["CpuLimitReached", "Portable", "call_repeatedly", "remote_figure_summary", "remote_type_name",
           "summarize_figure", "timed_call", "timed_call_within", "write_scratch_file"]
