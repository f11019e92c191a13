"""Executed notebooks by execution key, plus "pending" markers while a worker has one.

Results are written atomically, so a batch interrupted at any point leaves
only complete results; the next run reuses them instead of executing again.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

CACHE_ENV = "COURSE_BATCH_CACHE"
COORDINATOR_ENV = "COURSE_BATCH_COORDINATOR"  # the pipeline waits on pending results only while it lives
EXECUTION_LOG_ENV = "COURSE_BATCH_EXECUTION_LOG"  # one line per completed execution (tests, bench)


@dataclass
class Executed:
    """What a worker hands the writer for one notebook: the executed notebook, the resources
    the execute step added, and the files the notebook wrote beside itself (``[relative path,
    base64 content]``, written into ``autograded/`` by the writer as stock nbgrader leaves them)."""
    notebook: str
    resources: dict
    side_files: list = field(default_factory=list)


def cache_dir(course_root: Path) -> Path:
    return Path(course_root) / ".grade_cache"


class ExecutedCache:
    def __init__(self, root: Path):
        self.root = Path(root) / "executed"
        self.root.mkdir(parents=True, exist_ok=True)

    def notebook_path(self, key: str) -> Path:
        return self.root / f"{key}.ipynb"

    def pending_path(self, key: str) -> Path:
        return self.root / f"{key}.pending"

    def has(self, key: str) -> bool:
        return self.notebook_path(key).exists()

    def store(self, key: str, result: Executed) -> None:
        """The notebook goes last: its presence is what :meth:`has` and :meth:`load` trust."""
        _atomic_write(self.root / f"{key}.files.json", json.dumps(result.side_files))
        _atomic_write(self.root / f"{key}.json", json.dumps(result.resources))
        _atomic_write(self.notebook_path(key), result.notebook)

    def load(self, key: str) -> Executed | None:
        try:
            notebook_json = self.notebook_path(key).read_text(encoding="utf-8")
            resources = json.loads((self.root / f"{key}.json").read_text(encoding="utf-8"))
            side_files = json.loads((self.root / f"{key}.files.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Executed(notebook_json, resources, side_files)

    def mark_pending(self, key: str) -> None:
        self.pending_path(key).write_text(str(os.getpid()))

    def clear_pending(self, key: str) -> None:
        self.pending_path(key).unlink(missing_ok=True)

    def is_pending(self, key: str) -> bool:
        return self.pending_path(key).exists()

    def clear_all_pending(self) -> None:
        for path in self.root.glob("*.pending"):
            path.unlink(missing_ok=True)

    def discard(self, key: str) -> None:
        for suffix in (".ipynb", ".json", ".files.json", ".pending"):
            (self.root / f"{key}{suffix}").unlink(missing_ok=True)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def log_execution(key: str, where: str, kernel: str = "cold") -> None:
    """``kernel``: "warm" when the notebook ran on a kernel booted ahead of it."""
    log = os.environ.get(EXECUTION_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{key} {where} {os.getpid()} {kernel}\n")
