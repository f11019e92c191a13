"""Mutant catalogues: realistic wrong answers (must lose points) and correct
alternatives (must get full marks), one module per assignment. See harness.mutants."""
