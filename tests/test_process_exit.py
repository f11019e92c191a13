"""A command's process ends without the collector walking its heap once more (course/process_exit.py)."""
from __future__ import annotations

import subprocess
import sys

# leaving() is called last; os._exit then skips the flush a normal exit does, so whatever
# reaches the pipe was flushed by leaving() itself.
PROGRAM = """
import gc, os, sys
from course.process_exit import leaving
print("the result line", end="")
sys.stderr.write("a warning")
code = leaving(3)
os._exit(code if gc.get_freeze_count() > 0 else 99)
"""


def test_leaving_flushes_both_streams_freezes_the_heap_and_keeps_the_exit_code():
    run = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (3, "the result line", "a warning")

