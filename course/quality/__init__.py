"""Grader quality: do an assignment's hidden checks grade what the contract says?

    variants.py     the registry of hand-written wrong answers and correct alternatives
    mutation.py     mutants of the reference answers (Cosmic Ray's operators)
    inprocess.py    grade many one-answer changes fast, forked from one in-process run
    clauses.py      the contract's clauses and the checks that cover each
    equivalents.py  mutants recorded as equivalent, with the reason
    assess.py       all of it for one assignment; html.py and cli.py: ``course grader-report``
"""
