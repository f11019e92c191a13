"""The course's nbgrader configuration, loaded the way ``nbgrader autograde`` loads it.

The coordinator needs it for three things: the sanitize step (run with
nbgrader's own converter, so workers execute exactly what autograde would),
the execute class the course configures, and the settings that class reads.
"""
from __future__ import annotations

import contextlib
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from nbgrader.apps import AutogradeApp
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets.config import Config


@dataclass
class CourseConfig:
    root: Path
    app: AutogradeApp
    converter: Autograde
    execute_class: type
    env: dict[str, str]  # variables the config file set (e.g. one BLAS thread per kernel)

    @property
    def execute_class_path(self) -> str:
        return f"{self.execute_class.__module__}.{self.execute_class.__qualname__}"

    def portable_config(self) -> dict:
        """The config sections that can travel to a worker (picklable ones only)."""
        out = {}
        for section, values in self.app.config.items():
            try:
                pickle.dumps(values)
            except Exception:  # noqa: BLE001 - e.g. hook callables; no execute class reads them
                continue
            out[section] = values
        return out


@contextlib.contextmanager
def _cwd(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def load_course_config(root: Path, extra_argv: list[str] | None = None) -> CourseConfig:
    """Initialise nbgrader's autograde app for ``root`` without running it."""
    root = Path(root).resolve()
    env_before = dict(os.environ)
    with _cwd(root):
        app = AutogradeApp()
        app.initialize(list(extra_argv or []))
        app.coursedir.root = str(root)
    app.log.setLevel(logging.ERROR)  # the pipeline's own run logs nbgrader's warnings to its log file
    env = {k: v for k, v in os.environ.items() if env_before.get(k) != v}
    converter = Autograde(coursedir=app.coursedir, parent=app)
    return CourseConfig(root, app, converter, configured_execute_class(converter), env)


def configured_execute_class(converter: Autograde) -> type:
    """The class in ``Autograde.autograde_preprocessors`` that does nbgrader's Execute step."""
    cls = execute_class_in(converter.autograde_preprocessors)
    if cls is None:
        raise RuntimeError("Autograde.autograde_preprocessors has no nbgrader Execute step to parallelise")
    return cls


def execute_class_in(entries) -> type | None:
    for entry in entries:
        cls = _import(entry) if isinstance(entry, str) else entry
        if isinstance(cls, type) and issubclass(cls, Execute):
            return cls
    return None



def _import(dotted: str):
    import importlib
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def import_class(dotted: str) -> type:
    return _import(dotted)


def as_config(sections: dict) -> Config:
    return Config(sections)
