"""Resource bombs and crashes. Every bomb is bounded: the machine running the suite is shared,
and against stock nbgrader these really execute (8 GiB of RAM for a moment, 200 sleeping
children, 1 GiB of disk, 50 MB of output)."""
from harness.fabricate import reference_answers

from .catalogue import WRONG_COSINE, Attack, code, reference_with

REFERENCE = reference_answers("ps01_vectors")

MEMORY = '''
_hog = np.ones((8 * 2**30 // 8,))
print("allocated", _hog.nbytes // 2**30, "GiB")
'''

FORK = '''
import subprocess, sys
# A short-lived spawner: its 200 sleepers are orphans in their own sessions, so neither the
# kernel's own clean-up of its children nor a kill of its process group reaches them.
_spawner = """
import subprocess
n = 0
for i in range(200):
    try:
        subprocess.Popen(["__TAG__-sleeper", "120"], executable="/bin/sleep", start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        n += 1
    except Exception as exc:
        print("fork stopped:", type(exc).__name__)
        break
print("children", n)
"""
try:
    print(subprocess.run([sys.executable, "-c", _spawner, "__TAG__-spawner"], capture_output=True, text=True,
                         timeout=60).stdout)
except Exception as exc:
    print("spawner failed:", type(exc).__name__)
'''

HUGE_PRINT = '''
print("x" * 50_000_000)
'''

FILL_DISK = '''
_written = 0
try:
    with open("filler.bin", "wb") as _f:
        _chunk = b"\\1" * 2**20
        while _written < 1024:
            _f.write(_chunk)
            _f.flush()
            _written += 1
except Exception as exc:
    print("disk write stopped:", type(exc).__name__)
print("FILLED", _written, "MiB")
'''

OPEN_FILES = '''
import resource
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
try:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_hard, _hard))
except Exception:
    pass
_files = []
try:
    while len(_files) < 100_000:
        _files.append(open("/dev/null"))
except Exception as exc:
    print("open stopped:", type(exc).__name__)
print("opened", len(_files), "files")
'''

OS_EXIT = '''
import os
os._exit(0)
'''

SEGFAULT = '''
import ctypes
ctypes.string_at(0)
'''

ENDLESS_LOOP = '''
while True:
    pass
'''

SIGINT_PROOF_LOOP = '''
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    time.sleep(0.05)
'''


def _ref(payload: str, grade_id: str = "cosine_similarity") -> dict[str, str]:
    return {grade_id: reference_with(payload, REFERENCE[grade_id])}


BOMBS = [
    Attack("atk-memory-8gib", "allocates and fills 8 GiB", _ref(MEMORY), base="reference", error=("memory",)),
    Attack("atk-fork-200", "starts 200 sleeping orphans in their own sessions, meant to outlive the kernel",
           _ref(FORK), base="reference"),
    Attack("atk-huge-print", "prints one 50 MB line", _ref(HUGE_PRINT), base="reference"),
    Attack("atk-fill-disk", "writes up to 1 GiB into its working directory", _ref(FILL_DISK), base="reference"),
    Attack("atk-open-files", "raises its fd limit and opens up to 100,000 files", _ref(OPEN_FILES),
           base="reference"),
    Attack("atk-os-exit", "wrong answer, then os._exit(0) kills the kernel before any test runs",
           {"cosine_similarity": WRONG_COSINE + "\n" + code(OS_EXIT)}, error=("exit", "died", "dead", "kernel")),
    Attack("atk-segfault", "wrong answer, then a segmentation fault kills the kernel",
           {"cosine_similarity": WRONG_COSINE + "\n" + code(SEGFAULT)},
           error=("died", "dead", "kernel", "crash", "signal", "segmentation")),
    Attack("atk-endless-loop", "the last answer is right, then loops forever: interrupted at the cell's limit, "
           "the notebook must go on", _ref(ENDLESS_LOOP, "linear_layer"), base="reference",
           error=("interrupted",)),
    Attack("atk-sigint-proof-loop", "wrong cosine; the last answer ignores SIGINT/SIGTERM and loops forever",
           {"cosine_similarity": WRONG_COSINE, **_ref(SIGINT_PROOF_LOOP, "linear_layer")}, error=("time",)),
]
