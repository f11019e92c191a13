"""Grading-logic tricks: a wrong answer plus code that subverts the interpreter the tests run in.

Each one gets full marks from stock nbgrader if tests share the student's kernel; none may
win a single point back once verdicts are computed outside the student's process.
"""
from .catalogue import Attack, code, wrong_with

INPUT_TRANSFORMER = '''
def _neutralise(lines):
    text = "".join(lines)
    return ["pass\\n"] if ("assert" in text or "check_" in text) else lines
get_ipython().input_transformers_post.append(_neutralise)
'''

PRE_RUN_RESULT = '''
def _full_marks(info):
    # an execute_result before any error: nbgrader reads a non-number as full credit
    get_ipython().displayhook("full marks")
get_ipython().events.register("pre_run_cell", _full_marks)
'''

POST_RUN_CLEARS_ERROR = '''
_ip = get_ipython()
_ip.showtraceback = lambda *args, **kwargs: None
def _forget_errors(result):
    result.error_in_exec = None
    result.error_before_exec = None
_ip.events.register("post_run_cell", _forget_errors)
'''

PATCH_NUMPY = '''
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
'''

PATCH_BUILTINS = '''
import builtins, sys
class _Harmless(Exception):
    pass
builtins.AssertionError = _Harmless
_real_isinstance = builtins.isinstance
def _isinstance(obj, kind):
    # lie only to the graders, so the kernel itself keeps working
    return True if "graders" in sys._getframe(1).f_code.co_filename else _real_isinstance(obj, kind)
builtins.isinstance = _isinstance
'''

FAKE_GRADERS = '''
import sys, types
class _NoChecks(types.ModuleType):
    __path__ = []
    def __getattr__(self, name):
        return lambda *args, **kwargs: None
for _name in ["graders", "graders.checks", "graders.ps01_vectors", "graders.figures"]:
    sys.modules[_name] = _NoChecks(_name)
'''

PATCH_REAL_GRADERS = '''
try:
    import graders.checks as _checks, graders.ps01_vectors as _hidden
    for _module in (_checks, _hidden):
        for _name in dir(_module):
            if _name.startswith(("check_", "assert_", "fail")):
                setattr(_module, _name, lambda *args, **kwargs: None)
except Exception as exc:
    print("could not patch graders:", type(exc).__name__)
'''

LYING_OBJECT = '''
import sys as _sys
class _Liar:
    """Claims to be whatever the caller expects: finds `expected` in the calling frames."""
    def _expected(self):
        frame = _sys._getframe(1)
        while frame is not None:
            if "expected" in frame.f_locals:
                try:
                    return np.asarray(frame.f_locals["expected"], dtype=float)
                except Exception:
                    pass
            frame = frame.f_back
        return np.asarray(0.5)
    def __array__(self, dtype=None, copy=None):
        value = self._expected()
        return value.astype(dtype) if dtype is not None else value
    def __array_function__(self, func, types, args, kwargs):
        return True if func.__name__ in ("isclose", "allclose", "array_equal") else 0
    def __float__(self):
        return float(self._expected())
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __len__(self):
        return 1
    __hash__ = object.__hash__
'''

LYING_COSINE = '''
def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if len(u) != len(v) or not u.any() or not v.any():
        raise ValueError("bad input")
    return _Liar()
'''

RAISES = '''
class _Pass(BaseException):
    def __str__(self):
        return "ok"
def cosine_similarity(u, v):
    if len(u) != len(v):
        raise ValueError("bad input")
    raise {exception}
'''

THREAD_PATCHER = '''
import sys, threading, time
def _patch_later():
    deadline = time.time() + 60
    while time.time() < deadline:
        np.allclose = np.isclose = lambda *args, **kwargs: True
        for _name in ("graders.checks", "graders.ps01_vectors"):
            _module = sys.modules.get(_name)
            if _module is not None:
                for _attr in dir(_module):
                    if _attr.startswith(("check_", "assert_")):
                        setattr(_module, _attr, lambda *args, **kwargs: None)
        time.sleep(0.005)
threading.Thread(target=_patch_later, daemon=True).start()
'''

TRICKS = [
    Attack("atk-input-transformer", "an IPython input transformer turns every test cell into `pass`",
           wrong_with(INPUT_TRANSFORMER)),
    Attack("atk-pre-run-result", "a pre_run_cell hook emits an execute_result that nbgrader reads as full credit",
           wrong_with(PRE_RUN_RESULT)),
    Attack("atk-post-run-clears-error", "tracebacks suppressed and a post_run_cell hook marks failed cells as ok",
           wrong_with(POST_RUN_CLEARS_ERROR)),
    Attack("atk-patch-numpy", "np.allclose/isclose/array_equal/np.testing always agree",
           wrong_with(PATCH_NUMPY)),
    Attack("atk-patch-builtins", "builtins.AssertionError replaced, isinstance lies to the graders",
           wrong_with(PATCH_BUILTINS)),
    Attack("atk-fake-graders", "a fake `graders` package in sys.modules turns hidden checks into no-ops",
           wrong_with(FAKE_GRADERS)),
    Attack("atk-patch-graders", "the real graders' check_* and assert_* functions replaced by no-ops",
           wrong_with(PATCH_REAL_GRADERS)),
    Attack("atk-lying-object", "returns an object whose __array__/__float__/__eq__/__array_function__ "
           "agree with whatever the caller expects", {"cosine_similarity": code(LYING_OBJECT) + LYING_COSINE}),
    Attack("atk-raise-systemexit", "the answer raises SystemExit(0)",
           {"cosine_similarity": code(RAISES.format(exception="SystemExit(0)"))}),
    Attack("atk-raise-keyboardinterrupt", "the answer raises KeyboardInterrupt",
           {"cosine_similarity": code(RAISES.format(exception="KeyboardInterrupt()"))}),
    Attack("atk-raise-baseexception", "the answer raises a custom BaseException subclass",
           {"cosine_similarity": code(RAISES.format(exception="_Pass()"))}),
    Attack("atk-thread-patcher", "a background thread keeps patching numpy and the graders while tests run",
           wrong_with(THREAD_PATCHER)),
]
