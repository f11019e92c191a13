"""What the batch's processes and threads tell each other, as types rather than strings.

Coordinator -> pipeline process: :class:`SetContext`, then one :class:`GradeAssignment` per
assignment, then ``None`` (no more). Pipeline -> coordinator: :class:`Started`,
:class:`Written` per submission and :class:`AssignmentFinished`. Inside the coordinator one
queue carries :class:`Execution` reports from the pool and :class:`Graded`, :class:`Failed`
and :class:`PipelineEnded` from the pipeline's reader thread. All are plain dataclasses, so
they pickle across multiprocessing pipes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SetContext:
    digest: str               # the grading context every cached execution must match


@dataclass(frozen=True)
class GradeAssignment:
    assignment: str


@dataclass(frozen=True)
class SubmissionEvent:
    """Something that happened to one student's submission of one assignment."""
    assignment: str
    student: str


class Started(SubmissionEvent):
    """The pipeline began writing this submission."""


class Written(SubmissionEvent):
    """The pipeline wrote this submission's gradebook records and autograded files."""


@dataclass(frozen=True)
class AssignmentFinished:
    assignment: str


class ExecKind(enum.StrEnum):
    DONE = "done"              # a worker executed the notebook
    ERROR = "error"            # it could not (the pipeline executes it itself)
    RETRY = "retry"            # the worker died; another one takes the notebook
    POOL_ERROR = "pool-error"  # the pool itself failed


@dataclass(frozen=True)
class Execution:
    kind: ExecKind
    task: Any                  # plan.ExecTask, or None for a pool error
    detail: str = ""


class Graded(SubmissionEvent):
    """Written and expected: the coordinator records it as graded."""


class Failed(SubmissionEvent):
    """Not written by the time its assignment finished."""


@dataclass(frozen=True)
class PipelineEnded:
    pass
