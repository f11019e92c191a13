"""Benchmark: what instructors run today (stock ``nbgrader autograde``, no sandbox) against the project.

    python bench/grading.py [--n 4] [--assignments ...]   # all 13 assignments by default
    python bench/grading.py --dask            # throughput on a loopback Dask cluster, 1 and 2 workers
    python bench/grading.py --sandbox-cost    # configured (sandboxed) execute step vs stock Execute

The default run fabricates N distinct submissions per assignment (correct, wrong, failing,
blank) and grades the same class three ways in one go: stock ``nbgrader autograde`` with
stock nbgrader's own reader and Execute step (the baseline), the course's sandboxed
``nbgrader autograde`` (serial, as ``nbgrader_config.py`` configures it), and ``course
grade`` (warm kernels, one coordinator). It checks the three gradebooks agree record for
record, prints per-assignment seconds per notebook (sandboxed / stock) and the class's
throughput ratios, then one submission's latency end to end (``course grade`` against stock
``nbgrader autograde`` of that submission, alternated, medians). The machine may be shared:
say so next to any figure quoted.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.assignments import all_assignments  # noqa: E402
from course.nbgrader_run import nbgrader  # noqa: E402
from harness.compare import gradebook_records, record_differences  # noqa: E402
from harness.fixtures import clone_course, make_class, unsandboxed  # noqa: E402


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def course_grade(course: Path, *args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "course.grading.batch", "--course", str(course), *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"course grade failed:\n{proc.stdout}\n{proc.stderr[-4000:]}")


def autograde_each(course: Path, assignments: list[str]) -> dict[str, float]:
    """Seconds of ``nbgrader autograde`` per assignment, one after another (serial, as stock)."""
    return {a: timed(nbgrader, course, "autograde", a) for a in assignments}


def throughput(work: Path, assignments: list[str], n: int, workers: int | None) -> tuple[Path, bool]:
    base = make_class(work / "base", assignments, n)
    notebooks = n * len(assignments)
    stock = unsandboxed(clone_course(base, work / "stock"))
    serial = clone_course(base, work / "serial")
    batch = clone_course(base, work / "batch")
    t_stock = autograde_each(stock, assignments)
    t_serial = autograde_each(serial, assignments)
    t_batch = timed(course_grade, batch, *assignments, *(["--workers", str(workers)] if workers else []))
    records = {name: gradebook_records(course, assignments) for name, course in
               (("stock", stock), ("serial", serial), ("batch", batch))}
    diffs = record_differences(records["stock"], records["batch"]) + \
        record_differences(records["serial"], records["batch"])
    print(f"class: {n} submissions x {len(assignments)} assignments = {notebooks} notebooks; "
          f"{os.cpu_count()} CPUs, course grade workers={workers or os.cpu_count()}")
    print(f"  {'assignment':24s} {'stock s/nb':>10s} {'sandboxed s/nb':>15s} {'ratio':>7s}")
    worst = 0.0
    for a in assignments:
        ratio = t_serial[a] / t_stock[a]
        worst = max(worst, ratio)
        print(f"  {a:24s} {t_stock[a] / n:10.2f} {t_serial[a] / n:15.2f} {ratio:6.2f}x")
    total_stock, total_serial = sum(t_stock.values()), sum(t_serial.values())
    print(f"  stock nbgrader autograde, no sandbox : {total_stock:7.1f} s  {60 * notebooks / total_stock:6.1f} notebooks/min")
    print(f"  sandboxed nbgrader autograde, serial : {total_serial:7.1f} s  {60 * notebooks / total_serial:6.1f} notebooks/min"
          f"  ({total_stock / total_serial:.2f}x stock; worst assignment {worst:.2f}x per notebook, target <= 1.3x)")
    print(f"  course grade (sandboxed)             : {t_batch:7.1f} s  {60 * notebooks / t_batch:6.1f} notebooks/min"
          f"  ({total_stock / t_batch:.2f}x stock throughput, target >= 2.5x)")
    print(f"  gradebooks identical (all three)     : {'yes' if not diffs else 'NO: ' + '; '.join(diffs[:5])}")
    return base, not diffs


def latency(work: Path, base: Path, assignment: str, repeat: int) -> None:
    """One submission end to end, ``course grade`` vs stock unsandboxed ``nbgrader autograde``,
    alternated ``repeat`` times (medians: single runs of a few seconds are noisy)."""
    student = sorted(p.name for p in (base / "submitted").iterdir() if p.name.startswith("correct"))[0]
    grade_times, stock_times = [], []
    for i in range(repeat):
        for kind, times in (("grade", grade_times), ("stock", stock_times)):
            single = work / f"single-{kind}-{i}"
            shutil.copytree(base, single, symlinks=True, ignore=shutil.ignore_patterns(
                "submitted", "autograded", ".grade_cache"))
            shutil.copytree(base / "submitted" / student / assignment, single / "submitted" / student / assignment)
            if kind == "grade":
                times.append(timed(course_grade, single, assignment, "--workers", "1"))
            else:
                times.append(timed(nbgrader, unsandboxed(single), "autograde", assignment))
    t_grade, t_stock = statistics.median(grade_times), statistics.median(stock_times)
    print(f"one submission ({assignment}, {student}), median of {repeat}:")
    print(f"  course grade, end to end (sandboxed): {t_grade:6.1f} s  ({_runs(grade_times)})")
    print(f"  stock nbgrader autograde, no sandbox: {t_stock:6.1f} s  ({_runs(stock_times)})  "
          f"ratio {t_grade / t_stock:.2f}x (target <= 1.2x)")


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in times)


def dask_scaling(work: Path, base: Path, assignments: list[str], n: int) -> None:
    from harness.dask_cluster import loopback_cluster
    notebooks = n * len(assignments)
    print(f"Dask on loopback ({notebooks} notebooks):")
    for workers in (1, 2):
        course = clone_course(base, work / f"dask-{workers}")
        with loopback_cluster(work / f"cluster-{workers}", workers=workers) as address:
            t = timed(course_grade, course, *assignments, "--scheduler", address)
        print(f"  {workers} worker(s): {t:7.1f} s  {60 * notebooks / t:6.1f} notebooks/min")


def sandbox_cost(work: Path, base: Path, assignments: list[str]) -> None:
    """Per-notebook seconds of the configured execute step vs stock nbgrader Execute, same notebooks."""
    from course.grading.batch.keys import checks_digest, context_digest
    from course.grading.batch.nbconfig import load_course_config
    from course.grading.batch.plan import build_tasks, find_submissions, gradebook_notebooks
    from course.grading.batch.worker import execute_task
    cfg = load_course_config(base)
    config = cfg.portable_config()
    context = context_digest(cfg.execute_class_path, config, checks_digest())
    print(f"execute step per notebook: {cfg.execute_class_path} vs nbgrader.preprocessors.Execute")
    rows = []
    for assignment in assignments:
        notebooks = gradebook_notebooks(cfg, assignment)
        for sub in find_submissions(cfg, assignment, context):
            for task in build_tasks(cfg, sub, notebooks, context, config):
                t_conf = timed(execute_task, task)
                stock = type(task)(**{**task.__dict__, "execute_class": "nbgrader.preprocessors.Execute"})
                t_stock = timed(execute_task, stock)
                rows.append((t_conf, t_stock))
                print(f"  {assignment:24s} {sub.student:14s} configured {t_conf:6.2f} s   stock {t_stock:6.2f} s"
                      f"   ratio {t_conf / t_stock:.2f}x")
    conf, stock = sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows)
    print(f"  mean: configured {conf:.2f} s, stock {stock:.2f} s, ratio {conf / stock:.2f}x, "
          f"overhead {conf - stock:+.2f} s per notebook")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=4, help="submissions per assignment")
    parser.add_argument("--assignments", nargs="+", default=all_assignments())
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--dask", action="store_true", help="throughput on a loopback Dask cluster (1, 2 workers)")
    parser.add_argument("--sandbox-cost", action="store_true", help="configured execute step vs stock Execute")
    parser.add_argument("--repeat", type=int, default=5, help="latency runs (the median is reported)")
    parser.add_argument("--latency-assignment", default="ps01_vectors")
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    agree = True
    try:
        if args.dask or args.sandbox_cost:
            base = make_class(work / "base", args.assignments, args.n)
            if args.dask:
                dask_scaling(work, base, args.assignments, args.n)
            if args.sandbox_cost:
                sandbox_cost(work, base, args.assignments)
        else:
            base, agree = throughput(work, args.assignments, args.n, args.workers)
            latency(work, base, args.latency_assignment, args.repeat)
    finally:
        if args.keep:
            print(f"scratch courses kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
