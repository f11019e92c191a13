"""Files a notebook writes beside itself reach ``autograded/``, as under stock nbgrader.

Stock nbgrader runs the notebook in ``autograded/<student>/<assignment>``, so what it writes
there stays with the graded notebook. Here the kernel writes into its jail, which vanishes
after the last cell; the grader asks the agent for the new or changed files first and writes
them itself. The answer comes from the student's kernel and is treated as hostile: at most
:data:`MAX_FILES` files and :data:`MAX_BYTES` bytes, plain relative paths only, no notebooks,
and never written through a symlink (each folder is opened without following links and the
file is renamed into place, which replaces a link instead of following it).
"""
from __future__ import annotations

import base64
import binascii
import os
import uuid
from typing import Any, Callable

MAX_FILES = 100
MAX_BYTES = 20 * 2**20


def copy_back(request: Callable[..., Any], work_dir: str, target_dir: str) -> list[str]:
    """Ask the jail for its side files (``request(op, **fields)`` sends one request to the agent)
    and write them under ``target_dir``; notes on what was refused."""
    answer = request("side_files", work_dir=work_dir, max_files=MAX_FILES, max_bytes=MAX_BYTES)
    return write_files(answer, target_dir)


def write_files(answer, target_dir: str) -> list[str]:
    """Write ``[[relative path, base64 data], ...]`` under ``target_dir`` within the bounds."""
    if not isinstance(answer, list):
        return ["files the notebook wrote were not copied: malformed answer from the sandbox"]
    refused, total = [], 0
    for item in answer[:MAX_FILES]:
        try:
            rel, encoded = item
            parts = _parts(rel)
            data = base64.b64decode(encoded, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            refused.append(f"{str(item)[:60]!r} ({exc})")
            continue
        total += len(data)
        if total > MAX_BYTES:
            refused.append(f"{rel!r} (over {MAX_BYTES} bytes in all)")
            break
        try:
            _write_under(target_dir, parts, data)
        except OSError as exc:
            refused.append(f"{rel!r} ({exc.strerror or exc})")
    if len(answer) > MAX_FILES:
        refused.append(f"files past the first {MAX_FILES}")
    return [f"files the notebook wrote were not copied: {', '.join(refused)[:500]}"] if refused else []


def _parts(rel) -> list[str]:
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\x00" in rel:
        raise ValueError("not a relative path")
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts) or len(parts) > 20:
        raise ValueError("not a plain relative path")
    if parts[-1].endswith(".ipynb"):
        raise ValueError("a notebook")
    return parts


def _write_under(target_dir: str, parts: list[str], data: bytes) -> None:
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    fd = os.open(target_dir, flags)
    try:
        for part in parts[:-1]:
            try:
                os.mkdir(part, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            inner = os.open(part, flags, dir_fd=fd)  # a symlinked folder fails here (ELOOP/ENOTDIR)
            os.close(fd)
            fd = inner
        temp = f".copy-back-{uuid.uuid4().hex}"
        out = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
            os.rename(temp, parts[-1], src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            try:
                os.unlink(temp, dir_fd=fd)
            except OSError:
                pass
            raise
    finally:
        os.close(fd)
