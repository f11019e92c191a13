"""Kernels forked from the zygote are jailed like kernels bubblewrap starts, and apart from each other.

Each test runs notebooks through the course's real execute step (the sandbox) in this
process, so every kernel here comes from this process's one zygote, one after another as in
a grading worker, and reads what it can see, write and reach from inside.
"""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading.batch.nbconfig import load_course_config
from course.grading.batch.plan import ExecTask
from course.grading.batch.worker import execute_task
from course.grading.sandbox.grader import zygote

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("batch")]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def settings():
    cfg = load_course_config(ROOT)
    return cfg.execute_class_path, cfg.portable_config()


def _run(settings, *cells: str, zygote_on: bool = True, name: str = "probe") -> list[str]:
    """The text each cell printed (or its error), one entry per cell."""
    execute_class, config = settings
    config = {**config, "SandboxedExecute": {**config.get("SandboxedExecute", {}), "zygote": zygote_on}}
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(c) for c in cells]
    task = ExecTask(key=name, student="ada", assignment=name, notebook_id=name, notebook=nbformat.writes(nb),
                    files={"data.txt": b"mine"}, submitted={"data.txt": b"mine"}, config=config,
                    execute_class=execute_class, env={})
    result = nbformat.reads(execute_task(task).notebook, as_version=4)
    texts = []
    for cell in result.cells:
        parts = []
        for output in cell.outputs:
            parts.append(output.get("text") or output.get("evalue") or json.dumps(output.get("data", {}), sort_keys=True))
        texts.append("".join(parts))
    return texts


def _json(text: str):
    return json.loads(text.strip().splitlines()[-1])


def test_kernels_come_from_the_zygote_by_default_and_from_bubblewrap_when_it_is_off(settings):
    probe = "print(open('/proc/self/cmdline').read().split(chr(0))[2])"
    assert _run(settings, probe)[0].strip() == "course.grading.sandbox.jailed.zygote"
    assert _run(settings, probe, zygote_on=False)[0].strip() == "course.grading.sandbox.jailed.boot"


def test_a_forked_kernel_runs_as_the_jails_user_with_no_capability_and_no_new_privileges(settings):
    status = _json(_run(settings, "import os, json\nprint(json.dumps([os.getuid(), os.getgid(), "
                                  "[l.split() for l in open('/proc/self/status') if l.startswith(('Cap', 'NoNew'))]]))")[0])
    uid, gid, lines = status
    assert (uid, gid) == (1000, 1000)
    fields = dict((name.rstrip(":"), value) for name, value in lines)
    assert fields["NoNewPrivs"] == "1"
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(fields[cap], 16) == 0, (cap, fields[cap])


def test_a_forked_kernel_sees_only_its_own_processes(settings):
    pids = _json(_run(settings, "import os, json\nprint(json.dumps(sorted(int(p) for p in os.listdir('/proc') if p.isdigit())))")[0])
    assert pids == [1, 2]  # the namespace's init and the kernel: no zygote, no sibling, no grader


def test_a_forked_kernel_writes_only_to_its_home_tmp_and_shared_memory(settings):
    probe = ("import os, json\nfound = {}\n"
             "for d in ['/', '/dev', '/opt', '/usr', '/etc', '/tmp', '/home/student', '/dev/shm', '/proc/sys', "
             "'/home/student/.submission']:\n"
             "    try:\n        open(os.path.join(d, 'probe-file'), 'w').close(); found[d] = True\n"
             "    except OSError:\n        found[d] = False\n"
             "print(json.dumps(found))")
    found = _json(_run(settings, probe)[0])
    assert {d for d, wrote in found.items() if wrote} == {"/tmp", "/home/student", "/dev/shm"}


def test_what_one_kernel_leaves_behind_the_next_one_never_sees(settings):
    leave = ("import os, subprocess\n"
             "for d in ['/tmp', '/dev/shm', '/home/student']:\n    open(d + '/left-by-first', 'w').write('x')\n"
             "subprocess.Popen(['sleep', '300'], start_new_session=True)\nprint('left')")
    assert _run(settings, leave, name="first")[0].strip() == "left"
    look = ("import os, json\nprint(json.dumps([[d, sorted(os.listdir(d))] for d in ['/tmp', '/dev/shm', '/home/student']]"
            " + [sorted(int(p) for p in os.listdir('/proc') if p.isdigit())]))")
    seen = _json(_run(settings, look, name="second")[0])
    assert not any("left-by-first" in names for _, names in seen[:3]), seen
    assert seen[3] == [1, 2], "the first kernel's process lives on in the second's namespace"


def test_a_forked_kernel_cannot_read_another_kernels_submission(settings):
    probe = ("import os, json\nroot = [n for n in os.listdir('/tmp') if n.startswith('course-zygote')]\n"
             "print(json.dumps([sorted(os.listdir('/tmp/' + r)) for r in root]))")
    listing = _json(_run(settings, probe)[0])
    for kernels in listing:  # the zygote's folder holds only this kernel's run directory
        assert len(kernels) == 1, listing


def _run_preloaded(settings, module: str, *cells: str) -> list[str]:
    """Run ``cells`` on a kernel forked after the zygote imported ``module`` (it does so from its
    second kernel on, between requests)."""
    for _ in range(20):
        out = _run(settings, f"import sys\nprint({module!r} in sys.modules)", *cells)
        if out[0].strip() == "True":
            return out[1:]
    raise AssertionError(f"the zygote never imported {module}")


def test_unseeded_numpy_draws_differ_between_kernels_of_one_zygote(settings):
    draw = "import numpy as np, random\nprint(np.random.random(), random.random())"
    first, second = (_run_preloaded(settings, "numpy", draw)[0] for _ in range(2))
    assert first != second


def test_a_forked_kernel_draws_figures_inline_as_a_bubblewrap_kernel_does(settings):
    plot = "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()"
    forked = _run_preloaded(settings, "matplotlib.pyplot", plot)[0]
    cold = _run(settings, plot, zygote_on=False)[0]
    assert "image/png" in forked and forked == cold


def test_a_kernel_killed_by_a_signal_is_reported_with_it(settings):
    out = _run(settings, "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "print('after')")
    assert "SIGSEGV" in out[0] + out[1], out


def test_a_zygote_that_died_is_replaced_for_the_next_notebook(settings):
    _run(settings, "print(1)")
    old = zygote.shared_zygote()
    os.kill(old.proc.pid, signal.SIGKILL)
    old.proc.wait()
    assert _run(settings, "print(6 * 7)")[0].strip() == "42"
    assert zygote.shared_zygote() is not old


@pytest.fixture
def zygote_back_on():
    """After a test that made this process give the zygote up: later tests get one again."""
    yield
    zygote._failed = False


def test_kernels_start_with_bubblewrap_when_the_zygote_cannot_start(settings, monkeypatch, zygote_back_on):
    monkeypatch.setattr(zygote, "ZYGOTE_MODULE", "course.grading.sandbox.jailed.no_such_module")
    current = zygote.shared_zygote()
    os.kill(current.proc.pid, signal.SIGKILL)
    current.proc.wait()
    probe = "print(open('/proc/self/cmdline').read().split(chr(0))[2])"
    assert _run(settings, probe)[0].strip() == "course.grading.sandbox.jailed.boot"


def test_a_forked_kernel_has_a_pseudo_terminal_space_of_its_own(settings):
    probe = "import os, pty, json\nm, s = pty.openpty()\nprint(json.dumps(sorted(os.listdir('/dev/pts'))))"
    assert _json(_run(settings, probe)[0]) == ["0", "ptmx"]


def test_kernels_start_with_bubblewrap_when_a_forked_kernels_jail_cannot_be_built(settings, monkeypatch,
                                                                                zygote_back_on):
    build = zygote.Zygote._request

    def unbuildable(self, *args):
        request = build(self, *args)
        request["limits"]["tmp"] = "not-a-size"  # the fork's tmpfs mount fails, as a refused mount would
        return request
    monkeypatch.setattr(zygote.Zygote, "_request", unbuildable)
    probe = "print(open('/proc/self/cmdline').read().split(chr(0))[2])"
    assert _run(settings, probe)[0].strip() == "course.grading.sandbox.jailed.boot"


def test_a_forked_kernel_cannot_read_or_trace_its_namespaces_init(settings):
    probe = ("import ctypes, json\nfound = {}\n"
             "for name in ['mem', 'environ', 'maps']:\n"
             "    try:\n        open(f'/proc/1/{name}', 'rb').read(1); found[name] = 'read'\n"
             "    except OSError as exc:\n        found[name] = type(exc).__name__\n"
             "libc = ctypes.CDLL(None, use_errno=True)\n"
             "found['ptrace'] = libc.ptrace(16, 1, 0, 0)  # PTRACE_ATTACH\n"
             "print(json.dumps(found))")
    found = _json(_run(settings, probe)[0])
    assert found == {"mem": "PermissionError", "environ": "PermissionError", "maps": "PermissionError",
                     "ptrace": -1}, found


def test_a_forked_kernel_has_at_least_the_address_space_a_bubblewrap_kernel_has(settings):
    probe = ("import resource, json\nimport numpy, matplotlib.pyplot\n"
             "size = [int(l.split()[1]) * 1024 for l in open('/proc/self/status') if l.startswith('VmSize')][0]\n"
             "print(json.dumps(resource.getrlimit(resource.RLIMIT_AS)[0] - size))")
    forked_room = _json(_run_preloaded(settings, "sympy", probe)[0])  # the zygote's whole preload mapped
    cold_room = _json(_run(settings, probe, zygote_on=False)[0])
    assert forked_room >= cold_room - 16 * 2**20, (forked_room, cold_room)


def test_kernels_start_with_bubblewrap_where_a_forked_kernel_cannot_be_held(settings, monkeypatch, zygote_back_on):
    def no_pidfd(pid, flags=0):
        raise OSError(38, "Function not implemented")  # Linux before 5.3
    monkeypatch.setattr(os, "pidfd_open", no_pidfd)
    probe = "print(open('/proc/self/cmdline').read().split(chr(0))[2])"
    assert _run(settings, probe)[0].strip() == "course.grading.sandbox.jailed.boot"
