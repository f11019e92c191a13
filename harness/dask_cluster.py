"""A real Dask cluster on loopback for tests and the benchmark: one scheduler, N worker processes.

Started as the ``dask scheduler`` / ``dask worker`` command-line programs (as
an instructor would on several machines), each in its own session, and
killed with their children on exit.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _dask(*args: str, log: Path) -> subprocess.Popen:
    bindir = Path(sys.executable).parent
    return subprocess.Popen([str(bindir / "dask"), *args], stdout=open(log, "ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


@contextlib.contextmanager
def loopback_cluster(workdir: Path, workers: int = 2, timeout: float = 60.0):
    """Yield the scheduler address of a fresh cluster with ``workers`` single-threaded workers."""
    workdir.mkdir(parents=True, exist_ok=True)
    scheduler_file = workdir / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    procs = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                   "--scheduler-file", str(scheduler_file), log=workdir / "scheduler.log")]
    try:
        address = _wait_for_address(scheduler_file, timeout)
        for i in range(workers):
            procs.append(_dask("worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                               "--host", "127.0.0.1", "--name", f"w{i}",
                               "--local-directory", str(workdir / f"w{i}"), log=workdir / f"worker{i}.log"))
        _wait_for_workers(address, workers, timeout)
        yield address
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_for_address(path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return json.loads(path.read_text())["address"]
        except (FileNotFoundError, ValueError, KeyError):
            time.sleep(0.2)
    raise TimeoutError("the Dask scheduler did not start")


def _wait_for_workers(address: str, n: int, timeout: float) -> None:
    from distributed import Client
    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)
