"""Benchmark: stock ``nbgrader autograde`` against ``course grade`` on a fabricated class.

    python bench/grading.py [--n 10] [--assignments ps01_vectors ps02_softmax]
    python bench/grading.py --dask            # throughput on a loopback Dask cluster, 1 and 2 workers
    python bench/grading.py --sandbox-cost    # configured (sandboxed) execute step vs stock Execute

The default run grades the same class both ways in one go, checks the two
gradebooks are record-for-record identical, prints throughput (notebooks per
minute) and the ratio, then one submission's latency through ``course grade``
next to a bare kernel execution of the same notebook (``jupyter nbconvert
--execute``, and nbclient in-process). The machine may be shared: say so
next to any figure quoted.
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

from course.batch.compare import gradebook_records, record_differences  # noqa: E402
from course.batch.fixtures import clone_course, make_class  # noqa: E402
from course.nbgrader_run import nbgrader  # noqa: E402

DEFAULT_ASSIGNMENTS = ["ps01_vectors", "ps02_softmax"]


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def course_grade(course: Path, *args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "course.batch", "--course", str(course), *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"course grade failed:\n{proc.stdout}\n{proc.stderr[-4000:]}")


def stock_autograde(course: Path, assignments: list[str]) -> None:
    for assignment in assignments:
        nbgrader(course, "autograde", assignment)


def throughput(work: Path, assignments: list[str], n: int, workers: int | None) -> Path:
    base = make_class(work / "base", assignments, n)
    notebooks = n * len(assignments)
    stock = clone_course(base, work / "stock")
    batch = clone_course(base, work / "batch")
    t_stock = timed(stock_autograde, stock, assignments)
    t_batch = timed(course_grade, batch, *assignments, *(["--workers", str(workers)] if workers else []))
    diff = record_differences(gradebook_records(stock, assignments), gradebook_records(batch, assignments))
    print(f"class: {n} submissions x {len(assignments)} assignments = {notebooks} notebooks "
          f"({', '.join(assignments)}); {os.cpu_count()} CPUs, workers={workers or os.cpu_count()}")
    print(f"  stock nbgrader autograde : {t_stock:7.1f} s  {60 * notebooks / t_stock:6.1f} notebooks/min")
    print(f"  course grade             : {t_batch:7.1f} s  {60 * notebooks / t_batch:6.1f} notebooks/min")
    print(f"  ratio (throughput)       : {t_stock / t_batch:.2f}x")
    print(f"  gradebooks identical     : {'yes' if not diff else 'NO: ' + '; '.join(diff[:5])}")
    return base


def latency(work: Path, base: Path, assignment: str, repeat: int = 3) -> None:
    """One submission end to end through ``course grade`` vs a bare execution of that notebook,
    alternated ``repeat`` times (medians: single runs of a few seconds are noisy)."""
    student = sorted(p.name for p in (base / "submitted").iterdir() if p.name.startswith("correct"))[0]
    grade_times, cli_times, client_times = [], [], []
    for i in range(repeat):
        single = work / f"single-{i}"
        shutil.copytree(base, single, symlinks=True, ignore=shutil.ignore_patterns("submitted", "autograded",
                                                                                    ".grade_cache"))
        shutil.copytree(base / "submitted" / student, single / "submitted" / student)
        grade_times.append(timed(course_grade, single, assignment, "--workers", "1"))
        graded = single / "autograded" / student / assignment
        bare = Path(tempfile.mkdtemp(prefix="bench-bare-"))
        try:
            shutil.copytree(graded, bare / assignment)
            notebook = bare / assignment / f"{assignment}.ipynb"
            os.chmod(notebook, 0o644)
            cli_times.append(timed(subprocess.run, [str(Path(sys.executable).parent / "jupyter"), "nbconvert",
                                                    "--to", "notebook", "--execute", "--allow-errors", "--output",
                                                    str(bare / "out.ipynb"), str(notebook)],
                                   capture_output=True, check=True))
            client_times.append(timed(_nbclient_execute, notebook))
        finally:
            shutil.rmtree(bare, ignore_errors=True)
    t_grade, t_cli, t_client = (statistics.median(t) for t in (grade_times, cli_times, client_times))
    print(f"one submission ({assignment}, {student}), median of {repeat}:")
    print(f"  course grade, end to end        : {t_grade:6.1f} s  ({_runs(grade_times)})")
    print(f"  jupyter nbconvert --execute     : {t_cli:6.1f} s  ({_runs(cli_times)})  ratio {t_grade / t_cli:.2f}x")
    print(f"  nbclient in-process (kernel run): {t_client:6.1f} s  ({_runs(client_times)})  "
          f"ratio {t_grade / t_client:.2f}x")


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in times)


def _nbclient_execute(notebook: Path) -> None:
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, allow_errors=True, resources={"metadata": {"path": str(notebook.parent)}}).execute()


def dask_scaling(work: Path, base: Path, assignments: list[str], n: int) -> None:
    from course.batch.dask_cluster import loopback_cluster
    notebooks = n * len(assignments)
    print(f"Dask on loopback ({notebooks} notebooks):")
    for workers in (1, 2):
        course = clone_course(base, work / f"dask-{workers}")
        with loopback_cluster(work / f"cluster-{workers}", workers=workers) as address:
            t = timed(course_grade, course, *assignments, "--scheduler", address)
        print(f"  {workers} worker(s): {t:7.1f} s  {60 * notebooks / t:6.1f} notebooks/min")


def sandbox_cost(work: Path, base: Path, assignments: list[str]) -> None:
    """Per-notebook seconds of the configured execute step vs stock nbgrader Execute, same notebooks."""
    from course.batch.keys import checks_digest, context_digest
    from course.batch.nbconfig import load_course_config
    from course.batch.plan import build_tasks, find_submissions, gradebook_notebooks
    from course.batch.worker import execute_task
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
                print(f"  {assignment:14s} {sub.student:14s} configured {t_conf:6.2f} s   stock {t_stock:6.2f} s"
                      f"   ratio {t_conf / t_stock:.2f}x")
    conf, stock = sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows)
    print(f"  mean: configured {conf:.2f} s, stock {stock:.2f} s, ratio {conf / stock:.2f}x, "
          f"overhead {conf - stock:+.2f} s per notebook")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10, help="submissions per assignment")
    parser.add_argument("--assignments", nargs="+", default=DEFAULT_ASSIGNMENTS)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--dask", action="store_true", help="throughput on a loopback Dask cluster (1, 2 workers)")
    parser.add_argument("--sandbox-cost", action="store_true", help="configured execute step vs stock Execute")
    parser.add_argument("--repeat", type=int, default=3, help="latency runs (the median is reported)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        if args.dask or args.sandbox_cost:
            base = make_class(work / "base", args.assignments, args.n)
            if args.dask:
                dask_scaling(work, base, args.assignments, args.n)
            if args.sandbox_cost:
                sandbox_cost(work, base, args.assignments)
        else:
            base = throughput(work, args.assignments, args.n, args.workers)
            latency(work, base, args.assignments[0], args.repeat)
    finally:
        if args.keep:
            print(f"scratch courses kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
