"""The test, demo and benchmark harness: fabricated classes, mutants, selftest, the demo.

Not installed with the course package and never mounted in the grading jail; the product
(``course/``) never imports it. Tests, ``bench/`` and ``make demo`` put the repository root
on ``sys.path`` and import it from there."""
