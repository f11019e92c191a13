"""The variant registry, kept in :mod:`course.quality.variants` (the grader report reads it too)."""
from course.quality.variants import Variant, correct, correct_source, variants, wrong, wrong_source  # noqa: F401
