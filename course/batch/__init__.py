"""``course grade``: grade a whole class in parallel with nbgrader's own verdicts.

Workers only *execute* notebooks (the expensive part), on local processes or
a Dask cluster. One coordinator then runs nbgrader's stock autograde pipeline,
whose execute step takes a worker's result for a notebook with the same
sanitized content, so the gradebook has a single writer and every verdict
comes from nbgrader itself.
"""
