"""The jail's CPU clock (course/grading/sandbox/grader/jail_cpu.py), read by the grader for speed checks.

Where the jail has a cgroup that accounts CPU, the clock is that one file; otherwise it walks the
jail's process tree in /proc. Both must count the same work: the kernel's own, a child it started
and waited for, and a child still running.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from course.grading.sandbox.grader.cgroups import cpu_clock
from course.grading.sandbox.grader.jail import Jail, Limits, probe
from course.grading.sandbox.grader.jail_cpu import jail_cpu_clock

pytestmark = pytest.mark.skipif(probe() is not None, reason=f"no jail here: {probe()}")

# 0.4 s in a child that is reaped, 0.4 s in a child still alive, 0.2 s in the process itself.
WORK = """
import os, sys, time
def burn(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
child = os.fork()
if child == 0:
    burn(0.4)
    os._exit(0)
os.waitpid(child, 0)
done_r, done_w = os.pipe()
if os.fork() == 0:
    burn(0.4)
    os.write(done_w, b"x")
    time.sleep(120)
    os._exit(0)
burn(0.2)
os.read(done_r, 1)
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def busy_jail():
    jail = Jail(None, Limits())
    process = subprocess.Popen(jail.command([sys.executable, "-c", WORK]), stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "ready"
        yield jail, process
    finally:
        jail.kill_all()
        process.kill()
        process.wait(timeout=30)
        jail.close()


def test_the_cgroup_clock_counts_what_the_process_tree_counts(busy_jail):
    jail, process = busy_jail
    if cpu_clock(jail.cgroups) is None:
        pytest.skip("no cgroup accounts CPU here (the process tree is the only clock)")
    by_tree = jail_cpu_clock(process.pid)()
    by_cgroup = jail_cpu_clock(process.pid, jail.cgroups)()
    assert by_tree is not None and by_cgroup is not None
    # 1.0 s of work, as each process's own clock measured it; /proc reports it in 10-ms ticks per
    # process (three of them), and the scheduler's tick accounting can round a busy loop down further.
    assert 0.9 <= by_tree < 2.0 and 0.9 <= by_cgroup < 2.0, (by_tree, by_cgroup)
    assert abs(by_cgroup - by_tree) < 0.15, (by_tree, by_cgroup)


def test_the_clock_is_none_once_the_jail_is_gone(busy_jail):
    jail, process = busy_jail
    clocks = [jail_cpu_clock(process.pid, jail.cgroups), jail_cpu_clock(process.pid)]
    jail.kill_all()
    process.kill()
    process.wait(timeout=30)
    jail.close()
    assert [clock() for clock in clocks] == [None, None]
