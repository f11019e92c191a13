"""nbgrader pipeline steps this course adds, one class per step (nbgrader's own style)."""
