"""ps02_softmax: softmax, temperature and shift invariance."""
import numpy as np


def softmax(x, axis=-1, temperature=1.0):
    """Softmax of x along `axis` at the given temperature: exp(x / T), normalised.

    x is an array-like of any shape; the result is a float array of the same
    shape whose entries along `axis` are >= 0 and sum to 1. Numerically stable:
    logits as large as 1e4 in magnitude give no overflow, NaN or warning.
    An entry equal to -inf gets probability exactly 0 (when its slice has a
    finite entry). Raises ValueError if temperature <= 0.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    z = np.asarray(x, dtype=float) / temperature
    # Shift each slice by its maximum: exp(z - max) <= 1 never overflows, and the
    # shift cancels between numerator and denominator.
    shift = np.max(z, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0.0)
    e = np.exp(z - shift)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """The logarithm of softmax(x, axis), computed stably without taking log of 0.

    x is an array-like of any shape; the result has the same shape. Uses
    log softmax(x)_i = x_i - max(x) - log(sum_j exp(x_j - max(x))), so for
    example log_softmax([0, 1000]) == [-1000, 0] exactly.
    """
    z = np.asarray(x, dtype=float)
    shift = np.max(z, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0.0)
    shifted = z - shift
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


equivalent_temperature = 0.5

doubling_makes_sharper = True

probabilities_change_when_adding_1 = False
