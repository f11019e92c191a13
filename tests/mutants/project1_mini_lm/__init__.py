"""Variants of the project1_mini_lm answers, in two parts (a catalogue may be a package)."""
from . import attention, bigram  # noqa: F401 (importing registers the variants)
