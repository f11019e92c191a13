"""The pinned environment starts nbgrader and Jupyter without building jsonschema's IRI grammar.

jsonschema checks the `iri` format with rfc3987-syntax when it is installed, and that
package builds its Lark parsers on import: about a second of CPU in every process that
imports nbformat, which is every nbgrader command. No schema nbgrader or Jupyter loads
uses that format, so the lock leaves the package (and lark) out and installs with --no-deps.
"""
from __future__ import annotations

import subprocess
import sys

from course import ROOT

LEFT_OUT = ("rfc3987-syntax", "lark")


def test_the_lock_pins_neither_the_iri_grammar_nor_its_parser():
    pinned = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    assert not pinned & set(LEFT_OUT), pinned & set(LEFT_OUT)


def test_nbgrader_and_the_jupyter_server_import_without_the_iri_grammar():
    probe = ("import sys, nbformat, nbgrader.apps, jupyter_server.serverapp\n"
             "print(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"{out.strip()}: reinstall the environment (rm -rf .venv; make test)"
