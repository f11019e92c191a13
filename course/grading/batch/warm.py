"""A worker's next kernel, booted before its notebook arrives.

A jailed kernel takes a second or more to boot (Python, ipykernel, NumPy). A local
worker boots one before its first notebook (from the config file, before it imports
nbgrader), one for the next notebook while the current one runs whenever more are
queued, and one whenever it is left idle while more may come; the boot then overlaps
with work instead of delaying the next notebook. Dask workers boot the next kernel
after each task.
A kernel is used for one notebook only, and only when the notebook's execute step
would have started an identical one (same class, kernel and limits); otherwise it
is shut down and the notebook gets a cold kernel, as with ``nbgrader autograde``.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from jupyter_core.utils import run_sync

@runtime_checkable
class WarmCapable(Protocol):
    """An execute step that can boot its kernel before the notebook (SandboxedExecute)."""

    def prestart_kernel(self): ...

    def kernel_signature(self, nb=None) -> tuple: ...


@dataclass(frozen=True)
class WarmKernel:
    signature: tuple   # what the step that booted it would start (class, kernel name, limits)
    km: object         # the jailed kernel's manager


_warm: WarmKernel | None = None
last_was_warm = False       # whether the last take() handed out a warm kernel (execution log)


def prestart(step) -> None:
    """Boot a kernel for ``step``'s settings (an execute preprocessor), replacing any other."""
    global _warm
    if not isinstance(step, WarmCapable):
        return  # an execute class without warm kernels: every notebook starts its own
    if _warm is not None and _warm.signature == step.kernel_signature():
        return  # one is already booting or waiting
    discard()
    try:
        km = step.prestart_kernel()
    except Exception:  # noqa: BLE001 - the next notebook then starts its kernel cold
        return
    if km is not None:
        _warm = WarmKernel(step.kernel_signature(), km)


def prestart_from_config(config: dict) -> bool:
    """Boot a kernel from a plain config (``nbgrader_config.py`` alone) without importing
    nbgrader; False when that needs the real execute step (then use :func:`prestart`)."""
    global _warm
    from course.grading.sandbox.grader.settings import warm_kernel_from_config
    try:
        found = warm_kernel_from_config(config)
    except Exception:  # noqa: BLE001 - the real execute step then decides
        return False
    if found is None:
        return False
    discard()
    _warm = WarmKernel(*found)
    return True


def take(step, nb):
    """The warm kernel if it fits ``nb`` under ``step`` and is alive, else None."""
    global _warm, last_was_warm
    last_was_warm = False
    if _warm is None or not isinstance(step, WarmCapable):
        return None
    (signature, km), _warm = (_warm.signature, _warm.km), None
    try:
        if signature == step.kernel_signature(nb) and run_sync(km.is_alive)():
            last_was_warm = True
            return km
    except Exception:  # noqa: BLE001
        pass
    _shutdown(km)
    return None


def discard() -> None:
    global _warm
    if _warm is not None:
        km, _warm = _warm.km, None
        _shutdown(km)


def _shutdown(km) -> None:
    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - the jail is killed below in any case
        pass
    if km.jail is not None:  # a SandboxKernelManager: its jail goes with it
        km.jail.close()


def config_file_settings(root) -> dict:
    """The course's ``nbgrader_config.py`` alone, read in milliseconds without nbgrader: enough
    for workers to boot kernels while the coordinator loads the full configuration."""
    import os

    from traitlets.config.loader import PyFileConfigLoader
    environ = dict(os.environ)
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    except Exception:  # noqa: BLE001 - no file, or one that needs nbgrader's app: no head start
        return {}
    finally:  # the file may set variables; nbgrader's own load must still see it do so
        os.environ.clear()
        os.environ.update(environ)
    out = {}
    for section, values in config.items():
        try:
            pickle.dumps(values)
        except Exception:  # noqa: BLE001
            continue
        out[section] = values
    return out
