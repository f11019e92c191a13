"""Composites: one function, one blame (the rule is in :mod:`graders.checks`).

A check of a function built on another graded function accepts the oracle composed
with the correct helpers or with the student's own (called through the proxy), and
does not grade the composite on an input where the student's helper itself broke.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .checks import (CheckFailed, NotImplementedYet, assert_close, assert_equal, assert_inputs_unchanged, call,
                     call_without_warnings)


class HelperBroken(Exception):
    """A student's helper failed while a check composed its expected value with it."""


def own(fn: Callable) -> Callable:
    """A student's helper as a building block of an oracle: warnings silenced, any
    failure (the stub included) raised as :class:`HelperBroken`."""
    def helper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a broken helper is not this check's concern
            raise HelperBroken(f"{type(exc).__name__}: {exc}") from None
    return helper


@dataclass
class Composed:
    """The accepted results of a composite: ``values[0]`` with the correct helpers
    (the one shown in messages), then with the student's; ``helper_broken`` when a
    student's helper failed on this input."""
    values: list
    helper_broken: bool = False


def composed(oracle: Callable[..., Any], reference: dict[str, Callable],
             student: dict[str, Callable], swaps: list[list[str]] | None = None) -> Composed:
    """``oracle(**helpers)`` with the reference helpers, with all of the student's
    helpers, and with each one of the student's alone (a composite may call some
    helpers and re-implement others; ``swaps`` lists other groups to swap in, e.g.
    a forward pass and the backward pass that reads its cache)."""
    result = Composed([oracle(**reference)])
    names = [name for name in reference if student.get(name) is not None]
    if swaps is None:
        swaps = [[name] for name in names] if len(names) > 1 else []
    for i, swap in enumerate([names, *swaps]):
        helpers = {**reference, **{name: own(student[name]) for name in swap}}
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                result.values.append(oracle(**helpers))
        except Exception:  # noqa: BLE001 - the student's helper broke (or gave unusable data)
            result.helper_broken |= i == 0
    return result


def _unless_helper_broke(run: Callable[[], Any], expected: Composed) -> Any:
    """``run()``; if it fails where the student's own helper broke too, :data:`SKIP`
    (the helper's checks carry that blame). A stub always fails."""
    __tracebackhide__ = True
    try:
        return run()
    except NotImplementedYet:
        raise
    except CheckFailed:
        if expected.helper_broken:
            return SKIP
        raise


def call_composite(fn: Callable, *args: Any, label: str, expected: Composed, **kwargs: Any) -> Any:
    """:func:`call` for a composite: :data:`SKIP` when it raises where the student's own
    helper broke too."""
    __tracebackhide__ = True
    return _unless_helper_broke(lambda: call(fn, *args, label=label, **kwargs), expected)


def composite_inputs_unchanged(fn: Callable, *args: Any, label: str, expected: Composed, **kwargs: Any) -> Any:
    """:func:`assert_inputs_unchanged` for a composite: :data:`SKIP` when it fails where
    the student's own helper broke too."""
    __tracebackhide__ = True
    return _unless_helper_broke(lambda: assert_inputs_unchanged(fn, *args, label=label, **kwargs), expected)


def composite_without_warnings(fn: Callable, *args: Any, label: str, hint: str, expected: Composed,
                               **kwargs: Any) -> Any:
    """:func:`call_without_warnings` for a composite: :data:`SKIP` when it warns or fails where
    the student's own helper broke too (see :func:`helper_warns`)."""
    __tracebackhide__ = True
    return _unless_helper_broke(lambda: call_without_warnings(fn, *args, label=label, hint=hint, **kwargs),
                                expected)


def helper_warns(fn: Callable | None, *args: Any, **kwargs: Any) -> bool:
    """True when a student's helper fails or warns (overflow, invalid value, division by zero)
    on this input: a composite's no-warning check is then not graded on it."""
    if fn is None:
        return False
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            fn(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a failing helper is broken on this input
            return True
    return bool(caught)


SKIP = object()


def _matches_any(compare: Callable[[Any], None], actual: Any, expected: Composed) -> None:
    """``compare(value)`` passes for an accepted value; failures report the first. Where
    the student's own helpers broke, the composite is not graded on this input."""
    __tracebackhide__ = True
    if actual is SKIP:
        return
    for value in expected.values[1:]:
        try:
            compare(value)
            return
        except CheckFailed:
            continue
    if not expected.helper_broken:
        compare(expected.values[0])


def assert_close_any(actual: Any, expected: Composed, *, label: str, hint: str,
                     rtol: float = 1e-7, atol: float = 1e-10) -> None:
    """:func:`assert_close` against any accepted value (see :func:`_matches_any`)."""
    __tracebackhide__ = True
    _matches_any(lambda value: assert_close(actual, value, label=label, hint=hint, rtol=rtol, atol=atol),
                 actual, expected)


def assert_equal_any(actual: Any, expected: Composed, *, label: str, hint: str) -> None:
    """:func:`assert_equal` against any accepted value (see :func:`_matches_any`)."""
    __tracebackhide__ = True
    _matches_any(lambda value: assert_equal(actual, value, label=label, hint=hint), actual, expected)
