"""Variants of the ps02_softmax answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, correct_source, wrong, wrong_source

# --- softmax -----------------------------------------------------------------


@wrong("softmax", "naive exp without subtracting the max overflows")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    e = np.exp(np.asarray(x, dtype=float) / temperature)
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax", "always normalises over the last axis, ignoring axis")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(x, dtype=float) / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@wrong("softmax", "normalises over the whole array instead of along axis")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(x, dtype=float) / temperature
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum()


@wrong("softmax", "multiplies by the temperature instead of dividing")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(x, dtype=float) * temperature
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax", "subtracts the max in place and changes the caller's array")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(x, dtype=float)
    z -= z.max(axis=axis, keepdims=True)
    z /= temperature
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax", "shifts by the mean, which overflows and turns -inf into NaN")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(x, dtype=float) / temperature
    e = np.exp(z - z.mean(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax", "clips logits to [-500, 500] so -inf gets a tiny nonzero probability")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.clip(np.asarray(x, dtype=float) / temperature, -500, 500)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("softmax", "never raises for a non-positive temperature")
def softmax(x, axis=-1, temperature=1.0):
    z = np.asarray(x, dtype=float) / temperature
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@correct("softmax", "exponentiates log_softmax-style via logsumexp written by hand")
def softmax(x, axis=-1, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.array(x, dtype=float) / temperature
    m = np.max(z, axis=axis, keepdims=True)
    m[~np.isfinite(m)] = 0.0
    lse = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return np.exp(z - lse)


@correct("softmax", "moves axis to the end and loops over rows")
def softmax(x, axis=-1, temperature=1.0):
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    z = np.moveaxis(np.array(x, dtype=float), axis, -1)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape[:-1]):
        row = z[index] / temperature
        e = np.exp(row - row.max())
        out[index] = e / e.sum()
    return np.moveaxis(out, -1, axis)


# --- log_softmax -------------------------------------------------------------


@wrong("log_softmax", "takes the log of softmax, giving -inf for [0, 1000]")
def log_softmax(x, axis=-1):
    return np.log(softmax(x, axis=axis))


@wrong("log_softmax", "naive log-sum-exp without the max shift overflows")
def log_softmax(x, axis=-1):
    z = np.asarray(x, dtype=float)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


@wrong("log_softmax", "forgets to add the max back, returning x - log(sum(exp(x - max)))")
def log_softmax(x, axis=-1):
    z = np.asarray(x, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


@wrong("log_softmax", "sums over the whole array instead of along axis")
def log_softmax(x, axis=-1):
    z = np.asarray(x, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m)))


@correct("log_softmax", "uses np.logaddexp.reduce for the log-sum-exp")
def log_softmax(x, axis=-1):
    z = np.asarray(x, dtype=float)
    return z - np.logaddexp.reduce(z, axis=axis, keepdims=True)


# --- the seed answers (plain values, registered as cell text) ------------------

wrong_source("seed_answers", "reads doubling the logits as temperature 2", """
    equivalent_temperature = 2.0
    doubling_makes_sharper = True
    probabilities_change_when_adding_1 = False
""")

wrong_source("seed_answers", "thinks doubling flattens the distribution", """
    equivalent_temperature = 0.5
    doubling_makes_sharper = False
    probabilities_change_when_adding_1 = False
""")

wrong_source("seed_answers", "thinks adding 1 changes the probabilities", """
    equivalent_temperature = 0.5
    doubling_makes_sharper = True
    probabilities_change_when_adding_1 = True
""")

wrong_source("seed_answers", "answers with strings instead of values", """
    equivalent_temperature = "0.5"
    doubling_makes_sharper = "sharper"
    probabilities_change_when_adding_1 = "no"
""")

correct_source("seed_answers", "computes the answers with softmax", """
    logits = np.array([1.0, 2.0, 3.0])
    equivalent_temperature = 1 / 2
    doubling_makes_sharper = softmax(2 * logits).max() > softmax(logits).max()
    probabilities_change_when_adding_1 = not np.allclose(softmax(logits + 1), softmax(logits))
""")
