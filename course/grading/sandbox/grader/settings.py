"""The jail's settings as a light configurable, and a kernel booted in a jail ahead of its notebook.

:class:`~course.grading.steps.sandboxed_execute.SandboxedExecute` takes its jail settings from
:class:`JailSettings`, so ``c.SandboxedExecute.memory_limit`` and friends keep working.
They live here, apart from nbgrader (whose import costs a second), so that a grading
worker can boot its first kernel from ``nbgrader_config.py`` before it has imported
nbgrader at all (:func:`warm_kernel_from_config`).
"""
from __future__ import annotations

from jupyter_core.utils import run_sync
from traitlets import Bool, Integer
from traitlets.config import Config, Configurable

from .jail import Jail, Limits, probe
from .kernel import SandboxKernelManager
from .zygote import shared_zygote

EXECUTE_CLASS = "course.grading.steps.sandboxed_execute.SandboxedExecute"
_KERNEL_NAME_SECTIONS = ("NotebookClient", "ExecutePreprocessor", "Execute", "SandboxedExecute")


class JailSettings(Configurable):
    memory_limit = Integer(3 * 2**30, help="Bytes of address space (and cgroup memory) for the kernel.").tag(config=True)
    cpu_time_limit = Integer(900, help="CPU seconds for the kernel over the whole notebook.").tag(config=True)
    max_processes = Integer(64, help="Processes and threads the kernel may have at once.").tag(config=True)
    home_size = Integer(512 * 2**20, help="Bytes the kernel may write to its home (a copy of the submission).").tag(config=True)
    zygote = Bool(True, help="Fork kernels from one jailed process per grading process that has the "
                             "libraries notebooks use already imported (each kernel still gets a jail of "
                             "its own); off, every kernel starts its own bubblewrap.").tag(config=True)
    allow_unsandboxed = Bool(False, help="Grade without the jail where bubblewrap cannot run "
                                         "(student code then runs with your rights).").tag(config=True)

    def jail_limits(self) -> Limits:
        return Limits(memory_bytes=self.memory_limit, cpu_seconds=self.cpu_time_limit,
                      max_processes=self.max_processes, home_bytes=self.home_size)

    def new_jail(self, submission_dir: str | None, submitted_dir: str | None = None) -> Jail:
        return Jail(submission_dir, self.jail_limits(), submitted_dir, zygote=shared_zygote() if self.zygote else None)


def kernel_signature(execute_class: str, kernel_name: str, limits: Limits) -> tuple:
    """What a kernel started ahead of time must match to run a notebook as a cold one would."""
    return (execute_class, kernel_name, limits)


def start_warm_kernel(settings: JailSettings, kernel_name: str, config=None) -> SandboxKernelManager:
    """A jailed kernel with no submission yet (see ``SandboxedExecute.preprocess(km=...)``)."""
    km = SandboxKernelManager(kernel_name=kernel_name, config=config)
    km.jail = settings.new_jail(None)
    try:
        run_sync(km.start_kernel)()
    except Exception:
        km.jail.close()
        raise
    return km


def warm_kernel_from_config(config: dict):
    """(signature, kernel) for the execute step a plain config dict names, or None when that
    cannot be told without nbgrader (another execute class, a configured kernel name) or
    there is no sandbox here. The signature is checked against the real step later."""
    if EXECUTE_CLASS not in list(config.get("Autograde", {}).get("autograde_preprocessors", [])):
        return None
    if any("kernel_name" in config.get(section, {}) for section in _KERNEL_NAME_SECTIONS):
        return None
    names = set(JailSettings.class_trait_names(config=True))
    merged = {}
    for section in ("JailSettings", "SandboxedExecute"):
        merged.update({k: v for k, v in config.get(section, {}).items() if k in names})
    settings = JailSettings(config=Config({"JailSettings": merged}))
    if probe() is not None:
        return None
    limits = settings.jail_limits()
    return kernel_signature(EXECUTE_CLASS, "python3", limits), start_warm_kernel(settings, "python3", Config(config))
