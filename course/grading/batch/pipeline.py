"""The coordinator's writer: nbgrader's own ``autograde`` with its execute step served from the cache.

Forked from the batch's forkserver by :func:`serve` (it imports nbgrader while the workers run), with
the course as working directory. It receives the grading context and then the
assignments to grade, one message each, and reports each submission started and written
and each assignment finished (:mod:`.messages`). Everything is the stock ``Autograde`` converter (sanitize,
overwrite, grade, save to the gradebook) except that the configured execute class is
subclassed: it looks up the worker's result for the exact sanitized notebook (and
companion files) and executes as usual on a miss.
"""
from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

import nbformat
from nbgrader.apps import AutogradeApp
from nbgrader.apps.baseapp import NbGrader
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException

from course.grading.sandbox.grader.copy_back import write_files

from .cache import CACHE_ENV, COORDINATOR_ENV, ExecutedCache, log_execution
from .keys import companion_digests, execution_key
from .messages import AssignmentFinished, SetContext, Started, Written
from .nbgrader_reuse import reuse_nbgrader_setup
from .nbconfig import configured_execute_class

_channel = None  # the multiprocessing Connection to the coordinator (set by serve)
_context = ""    # the grading context digest (sent by the coordinator before any assignment)


def serve(channel, course: str, env: dict, log_path: str) -> None:
    """Process entry point: nbgrader's own output goes to the log, events to ``channel``."""
    global _channel
    _channel = channel
    # Its start-up (a second of imports) is not what anyone waits for: the coordinator's
    # planning and the workers' first kernels are. Yield the CPU to them.
    os.nice(5)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(course)
    os.environ.update(env)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    reuse_nbgrader_setup()
    BatchAutogradeApp.launch_instance(argv=[])


def emit(message) -> None:
    _channel.send(message)


def _assignments():
    """Assignment ids from the coordinator until it says there are no more."""
    global _context
    while True:
        try:
            message = _channel.recv()
        except EOFError:
            return
        if message is None:
            return
        if isinstance(message, SetContext):
            _context = message.digest
            continue
        yield message.assignment


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def cached_execute_class(base: type, cache: ExecutedCache, context: str, coursedir,
                         coordinator: int) -> type:
    class CachedExecute(base):
        """``base`` whose result is taken from a worker when one executed this very notebook."""

        def preprocess(self, nb, resources):
            # The folder nbgrader grades this notebook in (not metadata.path, which an
            # exporter that builds resources itself may leave empty).
            info = resources["nbgrader"]
            folder = Path(coursedir.format_path(coursedir.autograded_directory, info["student"], info["assignment"]))
            submitted = Path(coursedir.format_path(coursedir.submitted_directory, info["student"],
                                                   info["assignment"]))
            key = execution_key(nb, companion_digests(folder, list(coursedir.ignore), submitted), context)
            while cache.is_pending(key) and _alive(coordinator):
                time.sleep(0.02)
            hit = cache.load(key)
            if hit is not None:
                for note in write_files(hit.side_files, str(folder)):
                    self.log.warning("%s/%s: %s", info["student"], info["assignment"], note)
                resources.update(hit.resources)
                return nbformat.reads(hit.notebook, as_version=4), resources
            nb, resources = super().preprocess(nb, resources)
            log_execution(key, "pipeline")
            return nb, resources

    return CachedExecute


class BatchAutograde(Autograde):
    """Stock Autograde that reports each submission it starts and finishes."""

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        emit(Started(assignment_id, student_id))
        super().init_assignment(assignment_id, student_id)

    def set_permissions(self, assignment_id: str, student_id: str) -> None:
        super().set_permissions(assignment_id, student_id)
        emit(Written(assignment_id, student_id))


class BatchAutogradeApp(AutogradeApp):
    """Grades the assignments the coordinator sends, one at a time, as it finishes planning
    each (so this process's start-up overlaps with planning and with the workers)."""

    def start(self) -> None:
        NbGrader.start(self)
        cache = ExecutedCache(os.environ[CACHE_ENV])
        coordinator = int(os.environ[COORDINATOR_ENV])
        for assignment in _assignments():
            self.coursedir.assignment_id = assignment
            converter = BatchAutograde(coursedir=self.coursedir, parent=self)
            execute = configured_execute_class(converter)
            cached = cached_execute_class(execute, cache, _context, self.coursedir, coordinator)
            converter.autograde_preprocessors = [
                cached if _resolve(pp) is execute else pp for pp in converter.autograde_preprocessors]
            try:
                converter.start()
            except NbGraderException:
                pass  # the submissions not reported done are counted as failed
            emit(AssignmentFinished(assignment))


def _resolve(entry):
    if isinstance(entry, str):
        from .nbconfig import import_class
        return import_class(entry)
    return entry

