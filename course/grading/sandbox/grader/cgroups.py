"""cgroups for the jail: a pids + memory + CPU-accounting group (v2, or the v1 controllers) where this process may make one.

Kept apart from :mod:`.jail` because it is plain file work on ``/sys/fs/cgroup``.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Callable

CGROUP_ROOT = Path("/sys/fs/cgroup")


def make_cgroups(limits) -> list[str]:
    """A pids+memory cgroup (v2, or v1 controllers) for the jail's ``Limits``, when this process may
    create one; the paths made (empty when none could be)."""
    name = f"course-sandbox-{uuid.uuid4().hex[:12]}"
    made = []
    if (CGROUP_ROOT / "cgroup.controllers").exists():
        candidates = [(CGROUP_ROOT / name, {"pids.max": limits.max_processes, "memory.max": limits.memory_bytes,
                                            "memory.swap.max": 0})]
    else:
        candidates = [(CGROUP_ROOT / "pids" / name, {"pids.max": limits.max_processes}),
                      (CGROUP_ROOT / "memory" / name, {"memory.limit_in_bytes": limits.memory_bytes}),
                      (CGROUP_ROOT / "cpuacct" / name, {})]
    for path, settings in candidates:
        try:
            path.mkdir()
        except OSError:
            continue
        made.append(str(path))
        for key, value in settings.items():
            try:
                (path / key).write_text(str(value))
            except OSError:
                pass
    if made and not any(Path(p, f).exists() for p in made for f in ("pids.max",)):
        for path in made:
            try:
                os.rmdir(path)
            except OSError:
                pass
        return []
    return made


def memory_killed(cgroup: str) -> bool:
    """Whether the kernel's memory limit killed something in this group."""
    events = Path(cgroup) / "memory.events"
    failcnt = Path(cgroup) / "memory.failcnt"
    try:
        if events.exists() and " 0" not in line(events, "oom_kill"):
            return True
        if failcnt.exists() and int(failcnt.read_text().strip() or 0) > 0:
            return True
    except (OSError, ValueError):
        pass
    return False


def cpu_clock(cgroups: list[str]) -> Callable[[], float | None] | None:
    """A clock of the CPU seconds used by every process that was ever in the group (v1
    ``cpuacct.usage``; v2 ``cpu.stat``, there whether or not the cpu controller is on), None
    once the group is gone; or None when none of ``cgroups`` accounts CPU."""
    for cgroup in cgroups:
        if Path(cgroup, "cpuacct.usage").exists():
            return lambda usage=Path(cgroup, "cpuacct.usage"): _number(usage, "", 1e-9)
        if Path(cgroup, "cpu.stat").exists():
            return lambda stat=Path(cgroup, "cpu.stat"): _number(stat, "usage_usec ", 1e-6)
    return None


def _number(path: Path, key: str, unit: float) -> float | None:
    try:
        return int(line(path, key)[len(key):].strip()) * unit
    except (OSError, ValueError):
        return None


def pids(cgroup: str) -> list[int]:
    try:
        return [int(p) for p in Path(cgroup, "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def line(path: Path, key: str) -> str:
    for line in path.read_text().splitlines():
        if line.startswith(key):
            return line
    return f"{key} 0"


def user_process_count() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return count
