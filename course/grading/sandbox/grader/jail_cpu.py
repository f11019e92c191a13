"""The CPU time of everything in a jail, read by the grader from ``/proc``.

The student's kernel also measures its own CPU time around each call, but that number
comes from code living beside the student's and could be changed by it. Speed checks
use this clock instead: the kernel, any process it started and the children it waited
for, summed from what the host kernel accounts, which nothing inside the jail can alter.
Where the jail has a cgroup that accounts CPU, that is one file read; otherwise the process
tree is walked in ``/proc`` (about 0.3 ms, twice per call a check makes).
"""
from __future__ import annotations

import os
from typing import Callable, Sequence

from .cgroups import cpu_clock

_TICKS = os.sysconf("SC_CLK_TCK")


def jail_cpu_clock(root_pid: int, cgroups: Sequence[str] = ()) -> Callable[[], float | None]:
    """A clock: seconds of CPU used so far by ``root_pid`` (the jail's outermost process) and
    its descendants, or None once the jail is gone. ``cgroups`` are the jail's: every process
    of the jail is in them from its start, and none can leave."""
    accounted = cpu_clock(list(cgroups))
    if accounted is not None:
        return accounted

    def clock() -> float | None:
        total, seen = 0.0, False
        for pid in [root_pid, *descendants(root_pid)]:
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                total, seen = total + seconds, True
        return total if seen else None
    return clock


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from the host's view of its process tree."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop(0)
        for task in _listdir(f"/proc/{current}/task"):
            try:
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    children = [int(c) for c in handle.read().split()]
            except OSError:
                children = []
            found += children
            queue += children
    return found


def _cpu_seconds(pid: int) -> float | None:
    """utime + stime + cutime + cstime of ``pid``: its own CPU and that of the children it reaped."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the name in parentheses may hold spaces
    return sum(int(v) for v in fields[11:15]) / _TICKS


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []
