"""``python -m harness demo|selftest|screenshots``: the demo class, the authoring dry run and the
README's report pictures, from the repository root."""
from __future__ import annotations

import argparse
import sys

from course.assignments import all_assignments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="grade fabricated students end to end and print the scores")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("selftest", help="fast in-process dry run of reference and mutants (authoring aid)")
    p.add_argument("assignments", nargs="+")
    sub.add_parser("screenshots", help="the README's report pictures, from the demo's report")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from harness.demo import run_demo
        return run_demo(args.assignments or all_assignments())
    if args.command == "screenshots":
        from harness.screenshots import take_screenshots
        return take_screenshots()
    from harness.selftest import run_selftest
    return max(run_selftest(a) for a in args.assignments)


if __name__ == "__main__":
    sys.exit(main())
