"""``course similarity <assignment>``: which students' answers look copied from each other.

Each student's code answer cells are read from ``submitted/`` with the released
stub (signature, docstring, ``raise NotImplementedError()``) taken out, then
every pair of students is compared answer by answer with copydetect's
winnowing fingerprints (the method of MOSS): names, strings and comments are
normalised away, so renaming variables does not hide a copy. The result is an
HTML page in the report folder with the most similar pairs and the matched
lines side by side. A flag is evidence for a person to read, never a grade.

Modules: ``answers`` (answer text per student), ``compare`` (fingerprints and
scores), ``page`` (the HTML), ``cli`` (the command).
"""
