"""Hostile submissions cannot win points, read secrets, change the course, reach the network,
outlive grading, or stop the batch.

One real ``nbgrader autograde`` over a scratch ps01_vectors course grades every attack in
tests/attacks/ together with an honest student (the reference answers) and a wrong one
(the dot product instead of the cosine); then each defence is checked on what the run left
behind: the gradebook, the autograded notebooks, the course files, listeners, /proc.

Debugging aids: ``ATTACKS_ONLY=atk-foo,atk-bar`` grades only those attackers,
``ATTACKS_SKIP=...`` leaves those out, and ``ATTACKS_STOCK=1`` grades with stock nbgrader's
autograde steps instead of the course's (to see which attacks succeed without the sandbox).
"""
from __future__ import annotations

import json

import os
import re
import secrets as random_tokens
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from course import ROOT
from harness.fabricate import fill_answers, reference_answers
from course.nbgrader_run import nbgrader
from course.report.scores import Result, read_results

from .attacks import ATTACKS
from .attacks.catalogue import WRONG_COSINE, WRONG_LOSES, Attack
from .attacks.harness import (A, COURSE_PATHS, REPO_PATHS, Listeners, Run, Secrets, Stage, autograde,
                              build_course, fingerprint, grading_status, kill_all, manual_scores, output_text,
                              processes_with, register_students, sha256)

pytestmark = [pytest.mark.pipeline, pytest.mark.attacks, pytest.mark.long, pytest.mark.xdist_group("attacks")]

CELL_TIMEOUT = 10        # seconds per cell in the scratch course (the course itself allows 120)
HARD_LIMIT = 900         # the suite kills autograde past this: grading must end long before
GRADING_BUDGET = 300     # seconds the whole hostile batch may take
SETTLE = 5               # seconds to let detached processes act after autograde returns
SELECTED = [s for s in os.environ.get("ATTACKS_ONLY", "").split(",") if s]
SKIPPED = [s for s in os.environ.get("ATTACKS_SKIP", "").split(",") if s]


def _selected(attack: Attack) -> bool:
    return (not SELECTED or attack.student in SELECTED) and attack.student not in SKIPPED


@dataclass
class HostileRun:
    stage: Stage
    run: Run
    results: dict[str, Result]
    statuses: dict[str, tuple[str, list[str]]]
    course_before: dict[str, str]
    course_after: dict[str, str]
    repo_before: dict[str, str]
    repo_after: dict[str, str]
    classmates_before: dict[str, str]
    classmates_after: dict[str, str]
    contacts: list[str]
    leftovers: dict[int, str]
    manual: list[str]

    @property
    def course(self) -> Path:
        return self.stage.course

    def outputs(self, student: str) -> str:
        """What the student's graded notebook printed, plus its feedback page if one was made."""
        text = output_text(self.course / "autograded" / student / A / f"{A}.ipynb")
        feedback = self.course / "feedback" / student / A / f"{A}.html"
        return text + (feedback.read_text(errors="replace") if feedback.exists() else "")


def _write_submission(stage: Stage, release, student: str, answers: dict[str, str], attack: Attack | None):
    folder = stage.course / "submitted" / student / A
    folder.mkdir(parents=True)
    nb = fill_answers(release, answers)
    if attack and attack.edit:
        nb = attack.edit(nb)
    text = nbformat.writes(nb)
    if attack and attack.write:
        attack.write(folder, text, stage)
    else:
        (folder / f"{A}.ipynb").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("attacks")
    token = random_tokens.token_hex(6)
    stage = Stage(root, root / "course", root / "outside", Secrets(token), tag=f"atk{token[:8]}")
    build_course(stage, CELL_TIMEOUT)
    attacks = [a for a in ATTACKS if _selected(a)]
    register_students(stage.course, ["honest", "wrong", *[a.student for a in attacks]], stage.secrets)
    release = nbformat.read(stage.course / "release" / A / f"{A}.ipynb", as_version=4)
    reference = reference_answers(A)
    honest = {**reference, "cosine_similarity": f"# {stage.secrets.marker('honest')}\n" + reference["cosine_similarity"]}
    try:
        with Listeners(stage) as listeners:
            _write_submission(stage, release, "honest", honest, None)
            _write_submission(stage, release, "wrong", {**reference, "cosine_similarity": WRONG_COSINE}, None)
            for attack in attacks:
                answers = {**reference, **{g: stage.render(c) for g, c in attack.answers.items()}}
                _write_submission(stage, release, attack.student, answers, attack)
            classmates_before = fingerprint(stage.course, ["submitted/honest", "submitted/wrong"])
            course_before, repo_before = fingerprint(stage.course, COURSE_PATHS), fingerprint(ROOT, REPO_PATHS)
            run = autograde(stage.course, {"COURSE_SECRET": stage.secrets.marker("env"), "ATTACK_RUN": stage.tag},
                            HARD_LIMIT)
            time.sleep(SETTLE)
            leftovers = processes_with(stage.tag)
            kill_all(leftovers)
            contacts = list(listeners.contacts)
        for attack in attacks:
            if attack.feedback:
                nbgrader(stage.course, "generate_feedback", A, f"--student={attack.student}", check=False)
        yield HostileRun(
            stage, run, read_results(stage.course, A),
            {s: grading_status(stage.course, s) for s in ["honest", "wrong", *[a.student for a in attacks]]},
            course_before, fingerprint(stage.course, COURSE_PATHS), repo_before, fingerprint(ROOT, REPO_PATHS),
            classmates_before, fingerprint(stage.course, ["submitted/honest", "submitted/wrong"]),
            contacts, leftovers, manual_scores(stage.course))
    finally:
        kill_all(processes_with(stage.tag))
        _remove_big_files(root)


def _remove_big_files(root: Path) -> None:
    """pytest keeps the last runs' tmp folders: do not leave a GiB of filler behind."""
    for path in root.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_size > 50 * 2**20:
                path.unlink()
        except OSError:
            pass


def _attack_params(predicate=lambda a: True):
    return [pytest.param(a, id=a.student, marks=[] if _selected(a) else pytest.mark.skip("deselected by ATTACKS_ONLY/ATTACKS_SKIP"))
            for a in ATTACKS if predicate(a)]


def _score(result: Result | None, cell: str) -> float:
    if result is None:
        return 0.0
    score = result.cells.get(cell, (None, 0))[0]
    return score or 0.0


# --- the batch and the bystanders ---------------------------------------------------


def test_grading_finishes_in_bounded_time(hostile):
    print(f"hostile batch: {len(hostile.statuses)} submissions autograded in {hostile.run.seconds:.0f} s")
    assert hostile.run.returncode is not None, f"autograde was still running after {HARD_LIMIT} s\n{hostile.run.log[-3000:]}"
    assert hostile.run.seconds < GRADING_BUDGET, f"the hostile batch took {hostile.run.seconds:.0f} s"


@pytest.mark.parametrize("student", ["honest", "wrong", *[a.student for a in ATTACKS if _selected(a)]])
def test_every_student_gets_a_grade_record(hostile, student):
    status, reasons = hostile.statuses[student]
    assert status in ("graded", "error"), \
        f"{student} is {status} after the batch (a record with every autograded test scored, or an error " \
        f"with a reason, was expected)\n{hostile.run.log[-3000:]}"


def test_honest_student_keeps_full_marks(hostile):
    result = hostile.results.get("honest")
    assert result is not None and result.max_auto > 0, "honest was not graded"
    assert result.auto_score == result.max_auto, f"honest lost {result.lost}"
    assert hostile.statuses["honest"] == ("graded", []), hostile.statuses["honest"]


def test_wrong_student_keeps_its_usual_score(hostile):
    result = hostile.results.get("wrong")
    assert result is not None, "wrong was not graded"
    assert set(result.lost) == WRONG_LOSES, f"wrong lost {sorted(result.lost)}, usually {sorted(WRONG_LOSES)}"
    lost_points = sum(top for cell, (_, top) in result.cells.items() if cell in WRONG_LOSES)
    assert result.auto_score == result.max_auto - lost_points


def test_nobody_holds_manual_scores(hostile):
    assert not hostile.manual, f"grades changed behind the grader's back: {hostile.manual[:8]}"


def test_classmates_submissions_unchanged(hostile):
    assert hostile.classmates_after == hostile.classmates_before


def test_scratch_course_files_unchanged(hostile):
    changed = _diff(hostile.course_before, hostile.course_after)
    assert not changed, f"course files changed during grading: {changed}"


def test_repository_files_unchanged(hostile):
    changed = _diff(hostile.repo_before, hostile.repo_after)
    assert not changed, f"repository files changed during grading: {changed}"


def test_nothing_written_outside_the_course(hostile):
    written = sorted(p.name for p in hostile.stage.outside.iterdir() if p.name.startswith("escaped"))
    assert not written, f"a submission wrote {written} in a host folder"


def test_listeners_hear_nothing(hostile):
    assert not hostile.contacts, f"a submission reached the test's listeners: {hostile.contacts}"


def test_no_process_outlives_grading(hostile):
    assert not hostile.leftovers, f"{len(hostile.leftovers)} processes survived grading, e.g. " \
                                  f"{list(hostile.leftovers.values())[:5]}"


def _diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# --- each attack ------------------------------------------------------------------------


@pytest.mark.parametrize("attack", _attack_params(lambda a: a.base == "wrong" or a.zero))
def test_attack_wins_no_points(hostile, attack):
    result = hostile.results.get(attack.student)
    if attack.zero:
        assert result is None or result.auto_score == 0, \
            f"{attack.what}: scored {result.auto_score}/{result.max_auto}"
        return
    won = {cell: _score(result, cell) for cell in sorted(WRONG_LOSES) if _score(result, cell) > 0}
    assert not won, f"{attack.what}: points on tests its wrong answer fails: {won}"


@pytest.mark.parametrize("attack", _attack_params(lambda a: bool(a.error)))
def test_grading_error_is_recorded_with_its_reason(hostile, attack):
    status, reasons = hostile.statuses[attack.student]
    assert status == "error", f"{attack.what}: status {status!r}, expected 'error' with a reason"
    text = " ".join(reasons).lower()
    assert any(word in text for word in attack.error), \
        f"{attack.what}: reasons {reasons} mention none of {attack.error}"


@pytest.mark.parametrize("attack", _attack_params())
def test_no_secret_reaches_the_attackers_output(hostile, attack):
    text = hostile.outputs(attack.student)
    leaked = sorted(set(re.findall(rf"SECRET-[a-z]+-{hostile.stage.secrets.token}", text)))
    assert not leaked, f"{attack.what}: its graded output holds {leaked}"
    for rel in ("graders/ps01_vectors.py", "graders/checks.py", "solutions/ps01_vectors.py",
                f"source/{A}/{A}.ipynb"):
        assert sha256((ROOT / rel).read_bytes()) not in text, f"{attack.what}: read the repository's {rel}"
    for probe in ("ESCAPE-WRITABLE", "ESCAPE-NET"):
        found = [line[:200] for line in re.split(r"\\n|\n", text) if probe in line]
        assert not found, f"{attack.what}: {found[:3]}"


def test_a_cell_past_its_time_limit_is_interrupted_and_the_rest_of_the_notebook_runs(hostile):
    student = "atk-endless-loop"
    if not _selected(next(a for a in ATTACKS if a.student == student)):
        pytest.skip("deselected by ATTACKS_ONLY/ATTACKS_SKIP")
    result = hostile.results.get(student)
    assert result is not None and result.auto_score == result.max_auto, \
        f"the answers above the loop lost points: {result and result.lost}"
    status, reasons = hostile.statuses[student]
    assert (status, set(reasons)) == \
        ("error", {f"cell linear_layer ran past its {CELL_TIMEOUT} s time limit and was interrupted"}), reasons
    assert f"[interrupted: this cell ran past its {CELL_TIMEOUT} s time limit]" in hostile.outputs(student)


def test_huge_output_is_capped(hostile):
    path = hostile.course / "autograded" / "atk-huge-print" / A / f"{A}.ipynb"
    if not _selected(next(a for a in ATTACKS if a.student == "atk-huge-print")):
        pytest.skip("deselected by ATTACKS_ONLY/ATTACKS_SKIP")
    size = path.stat().st_size if path.exists() else 0
    assert size < 2 * 2**20, f"a 50 MB print left a {size / 2**20:.0f} MB graded notebook"
    # The answers still count (the output was cut, not the grade): a note, not an error.
    notes = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("course_grading", {}).get("notes", [])
    assert any("output" in note for note in notes), f"no note about the cut output: {notes}"


def test_disk_writes_are_capped(hostile):
    if not _selected(next(a for a in ATTACKS if a.student == "atk-fill-disk")):
        pytest.skip("deselected by ATTACKS_ONLY/ATTACKS_SKIP")
    assert "FILLED 1024 MiB" not in hostile.outputs("atk-fill-disk"), "a submission wrote 1 GiB to disk"
    big = [str(p) for p in hostile.course.rglob("filler.bin") if p.stat().st_size >= 2**30]
    assert not big, f"1 GiB filler left in the course: {big}"
