"""Ctrl-C during ``course grade`` is never lost (course/grading/batch/interrupt.py).

The whole command is interrupted for real in tests/test_batch.py; these pin the property that
makes its exit code independent of where the signal lands.
"""
import os
import signal

import pytest

from course.grading.batch.interrupt import catching_interrupts


@pytest.fixture(autouse=True)
def at_a_terminal():
    """SIGINT as a terminal's Ctrl-C reaches Python: a run started in the background by a
    non-interactive shell (some CI runners) ignores SIGINT, and so does every child it starts."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class _SignalsItselfWhenCollected:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the drop this is about
def test_an_interrupt_python_drops_inside_a_finalizer_is_still_seen_by_the_batch():
    with catching_interrupts() as interrupts:
        _SignalsItselfWhenCollected()  # collected at once: its KeyboardInterrupt is "ignored"
        assert interrupts.received
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()


def test_the_previous_handler_is_back_after_the_batch():
    before = signal.getsignal(signal.SIGINT)
    with catching_interrupts():
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before


def test_a_batch_started_with_sigint_ignored_keeps_ignoring_it():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with catching_interrupts():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
