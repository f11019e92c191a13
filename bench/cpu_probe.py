"""How fast this machine's cores are right now: one fixed CPU-bound loop alone, then one per core at once.

CI prints it before and after the suite. On a shared host the cores a machine is given can
deliver much less than their count when neighbours are busy (here, two loops at once once took
4.3 and 5.2 s where one alone took 2.6 s; at other times both took 2.7 s), and the suite's wall
time moves with it. Standard library only, so it runs before anything is installed.
"""
from __future__ import annotations

import os
import sys
import time
from multiprocessing import Pool

LOOP = 20_000_000


def _loop(_: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(LOOP):
        total += i * i
    return time.perf_counter() - start


def main() -> None:
    cores = len(os.sched_getaffinity(0))
    alone = _loop(0)
    with Pool(cores) as pool:
        together = pool.map(_loop, range(cores))
    slowest = max(together)
    print(f"cpu probe: one loop alone {alone:.2f} s; {cores} at once "
          f"{', '.join(f'{t:.2f}' for t in together)} s: the {cores} cores give "
          f"{cores * alone / slowest:.2f} cores' worth of work")


if __name__ == "__main__":
    sys.exit(main())
