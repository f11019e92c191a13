"""Shared checking helpers: guarded calls, tolerant comparison, messages that teach.

Every failure says what was called (on which kind of input), what was expected,
what came back, and a hint at the likely mistake. Hidden inputs are described
by a label ("a random 7x5 matrix scaled by 1e150"), never printed in full.

One function, one blame. A student's mistake costs points only in the checks of
the function that holds it:

- A check of a *composite* (a function whose contract builds on another graded
  function: multi-head attention on attention, backward on relu_grad, a training
  loop on forward/backward, a sampler on softmax) accepts the result of the
  oracle composed with the correct helpers, and the result of the same oracle
  composed with the student's own helpers, called through the proxy
  (:func:`composed`). The composite is graded on what it adds, whether it calls
  the student's helper or re-implements it.
- When a student's own helper fails on a check's input (raises, or returns
  something the composition cannot use), the composite is not graded on that
  input (:func:`call_composite`, :func:`assert_close_any`): the helper's own checks
  carry the blame. A stub that raises NotImplementedError always fails.
- A target only right helpers can reach (a training loop's accuracy) applies only
  when the student's helpers agree with the reference on a probe.
- Visible tests compare with literal expected values, never with the student's
  other functions. A visible test of a composite is worth 0 points: it guides,
  its hidden checks grade.
- A hint names a cause only when the evidence shows it: test the specific mistake
  (e.g. recompute with that mistake) before naming it.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Callable

import numpy as np
from course.grading import api


class CheckFailed(AssertionError):
    """A check did not pass; the message is written for the student."""


class NotImplementedYet(CheckFailed):
    """The student's function is still the stub."""


def describe(value: Any, limit: int = 6) -> str:
    """A short, readable description of a value for failure messages."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            body = np.array2string(value, precision=6, separator=", ")
        else:
            flat = value.ravel()
            body = np.array2string(flat[:limit], precision=6, separator=", ")[:-1] + ", ...]"
        return f"array of shape {value.shape}, dtype {value.dtype}: {body}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def fail(call: str, expected: Any, actual: Any, hint: str, problem: str = "") -> None:
    """Raise a CheckFailed that names the call, the expected and actual values, and a hint."""
    __tracebackhide__ = True
    lines = [f"{call}: {problem}" if problem else call,
             f"  expected: {describe(expected)}",
             f"  got:      {describe(actual)}",
             f"  hint: {hint}"]
    raise CheckFailed("\n".join(lines))


def call(fn: Callable, *args: Any, label: str, **kwargs: Any) -> Any:
    """Call student code with warnings silenced; an exception becomes a failed check."""
    __tracebackhide__ = True
    return _guarded(lambda: fn(*args, **kwargs), label)


def assert_fast(fn: Callable, *args: Any, label: str, limit: float, expected: str, hint: str,
                check_inputs: bool = False, **kwargs: Any) -> Any:
    """Call ``fn`` (as :func:`call`, or :func:`assert_inputs_unchanged` with ``check_inputs``)
    and fail if it used more than ``limit`` seconds of CPU. CPU time of the call alone, measured
    where it runs: a busy machine or a large result in transit never costs a student points.
    A call still running at the limit is stopped there (nothing it could still do would pass)."""
    __tracebackhide__ = True
    seconds: list[float] = []

    def timed(*a: Any, **k: Any) -> Any:
        try:
            result, cpu = api.timed_call_within(limit, fn, *a, **k)
        except api.CpuLimitReached as exc:
            raise _TooSlow(exc.seconds) from None
        seconds.append(cpu)
        return result

    try:
        if check_inputs:
            result = assert_inputs_unchanged(timed, *args, label=label, **kwargs)
        else:
            result = call(timed, *args, label=label, **kwargs)
    except _TooSlow as exc:
        raise CheckFailed(f"{label} was stopped after {exc.seconds:.1f} s of CPU time\n"
                          f"  expected: {expected}\n  hint: {hint}") from None
    if seconds and seconds[0] > limit:
        raise CheckFailed(f"{label} took {seconds[0]:.1f} s of CPU time\n  expected: {expected}\n  hint: {hint}")
    return result


class _TooSlow(BaseException):
    """Past a speed check's limit: not a student exception for :func:`_guarded` to report."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def _guarded(thunk: Callable[[], Any], label: str) -> Any:
    __tracebackhide__ = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return thunk()
    except NotImplementedError:
        raise NotImplementedYet(f"{label}: not implemented yet (the stub raises NotImplementedError)") from None
    except Exception as exc:  # noqa: BLE001 - any student error is a failed check
        raise CheckFailed(f"{label} raised {type(exc).__name__}: {exc}\n"
                          "  hint: this input is valid; the function should return a result") from None


def call_repeatedly(fn: Callable, times: int, *args: Any, label: str, **kwargs: Any) -> list:
    """``times`` calls with the same arguments (a sampler drawing from one generator), made
    in a single request to the sandbox; any exception fails the check as in :func:`call`."""
    __tracebackhide__ = True
    return _guarded(lambda: api.call_repeatedly(fn, times, args, kwargs), label)


def call_without_warnings(fn: Callable, *args: Any, label: str, hint: str, **kwargs: Any) -> Any:
    """Like :func:`call`, for inputs where the contract promises no warning at all
    (stability for huge inputs): overflow, invalid values and division by zero
    warn (underflow to 0 is fine), and any warning fails the check."""
    __tracebackhide__ = True
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError:
            raise NotImplementedYet(f"{label}: not implemented yet (the stub raises NotImplementedError)") from None
        except Exception as exc:  # noqa: BLE001 - any student error is a failed check
            cause = hint if isinstance(exc, (OverflowError, FloatingPointError)) else \
                "this input is valid; the function should return a result"
            raise CheckFailed(f"{label} raised {type(exc).__name__}: {exc}\n"
                              f"  hint: {cause}") from None
    if caught:
        raise CheckFailed(f"{label} emitted {caught[0].category.__name__}: {caught[0].message}\n"
                          f"  expected: no warning at all\n  hint: {hint}")
    return result


def as_float_array(value: Any, label: str) -> np.ndarray:
    """The student's result as a float array, or a failed check saying why not."""
    __tracebackhide__ = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value, dtype=float)
    except Exception:  # noqa: BLE001
        raise CheckFailed(f"{label} returned {describe(value)}, which is not numeric\n"
                          "  hint: return a NumPy array or a number") from None
    return array


def evidence_hint(actual: Any, rule: str, mistakes: list[tuple[Any, str]],
                  rtol: float = 1e-6, atol: float = 1e-9) -> str:
    """``rule``, then the cause of each mistake whose recomputed result ``actual`` equals
    (``mistakes`` holds (what the mistake returns, its cause)): a hint names a cause only
    when the evidence shows it."""
    causes = []
    for made, cause in mistakes:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                got, want = np.asarray(actual, dtype=float), np.asarray(made, dtype=float)
                if got.shape == want.shape and np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
                    causes.append(cause)
        except (TypeError, ValueError):
            continue
    return "; ".join([rule, *causes])


def assert_close(actual: Any, expected: Any, *, label: str, hint: str,
                 rtol: float = 1e-7, atol: float = 1e-10) -> None:
    """Compare numerically: same shape, same non-finite entries, finite ones within tolerance."""
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=float)
    got = as_float_array(actual, label)
    if got.shape != expected.shape:
        fail(label, expected, got, hint, problem=f"shape {got.shape}, expected {expected.shape}")
    same_special = np.array_equal(np.isnan(got), np.isnan(expected)) and np.array_equal(
        np.where(np.isinf(got), got, 0.0), np.where(np.isinf(expected), expected, 0.0))
    if not same_special:
        fail(label, expected, got, hint, problem="NaN or infinite entries where there should be none"
             if not (np.isnan(expected).any() or np.isinf(expected).any()) else "non-finite entries differ")
    finite = np.isfinite(expected)
    if not np.allclose(got[finite], expected[finite], rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(got[finite] - expected[finite])))
        fail(label, expected, got, hint, problem=f"values differ (largest difference {worst:.3g}, "
             f"tolerance rtol={rtol:g}, atol={atol:g})")


def assert_equal(actual: Any, expected: Any, *, label: str, hint: str) -> None:
    """Exact equality for discrete results (words, indices, booleans, shapes)."""
    __tracebackhide__ = True
    try:
        same = np.array_equal(actual, expected) if isinstance(actual, np.ndarray) \
            else bool(actual == expected)
    except Exception:  # noqa: BLE001 - an odd comparison is a mismatch
        same = False
    if not same:
        fail(label, expected, actual, hint)


def assert_raises(exc_type: type[BaseException], fn: Callable, *args: Any, label: str, hint: str,
                  **kwargs: Any) -> None:
    """The contract says this input raises ``exc_type`` (a subclass is fine)."""
    __tracebackhide__ = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = fn(*args, **kwargs)
    except exc_type:
        return
    except NotImplementedError:
        raise NotImplementedYet(f"{label}: not implemented yet (the stub raises NotImplementedError)") from None
    except Exception as exc:  # noqa: BLE001
        raise CheckFailed(f"{label} raised {type(exc).__name__}: {exc}\n"
                          f"  expected: {exc_type.__name__}\n  hint: {hint}") from None
    raise CheckFailed(f"{label} returned {describe(result)}\n"
                      f"  expected: it raises {exc_type.__name__}\n  hint: {hint}")


def assert_inputs_unchanged(fn: Callable, *args: Any, label: str, **kwargs: Any) -> Any:
    """Call ``fn`` and fail if it modified any argument in place; returns the result."""
    __tracebackhide__ = True
    before = copy.deepcopy((args, kwargs))
    result = call(fn, *args, label=label, **kwargs)
    for name, old, new in _pairs(before, (args, kwargs)):
        if not _same(old, new):
            raise CheckFailed(f"{label} modified its input {name} in place\n"
                              f"  expected: {describe(old)}\n  got:      {describe(new)}\n"
                              "  hint: graded functions must not change their inputs; work on a copy "
                              "(e.g. x = np.array(x, dtype=float)) instead of in-place operations like x -= ...")
    return result


def _pairs(before, after):
    (old_args, old_kwargs), (new_args, new_kwargs) = before, after
    for i, (old, new) in enumerate(zip(old_args, new_args)):
        yield f"argument {i + 1}", old, new
    for key in old_kwargs:
        yield key, old_kwargs[key], new_kwargs[key]


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, (np.random.Generator, np.random.BitGenerator)):
        return True  # drawing from a passed-in generator is its purpose, not a mutation
    if isinstance(old, np.ndarray):
        return isinstance(new, np.ndarray) and old.shape == new.shape and \
            np.array_equal(old, new, equal_nan=old.dtype.kind in "fc")
    if isinstance(old, (list, tuple)):
        return type(old) is type(new) and len(old) == len(new) and all(map(_same, old, new))
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    try:
        return bool(old == new)
    except Exception:  # noqa: BLE001
        return False
