"""A catalogue of hostile ps01_vectors submissions, graded by one real ``nbgrader autograde``
run in tests/test_attacks.py. Each attack is one student; see :mod:`.catalogue`."""
from .bad_files import BAD_FILES
from .bombs import BOMBS
from .escapes import ESCAPES
from .tricks import TRICKS

ATTACKS = [*TRICKS, *ESCAPES, *BOMBS, *BAD_FILES]
assert len({a.student for a in ATTACKS}) == len(ATTACKS), "attack student ids must be unique"
