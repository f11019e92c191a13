"""ps04_calculus: derivatives, gradients, Hessians, the chain rule and gradient checking."""
import numpy as np
import sympy as sp


def critical_points(f, x):
    """The real critical points of a univariate SymPy expression f in the symbol x.

    Solves df/dx = 0 and returns a list of the REAL solutions (SymPy numbers
    such as -1, 0, sqrt(2) or log(2)), sorted ascending. Complex solutions are
    left out; an empty list means f has no critical point. Raises ValueError
    if SymPy cannot list the solutions as finitely many values (e.g. for sin(x)).
    """
    solutions = sp.solveset(sp.diff(f, x), x, domain=sp.S.Reals)
    if solutions == sp.S.EmptySet:
        return []
    if not isinstance(solutions, sp.FiniteSet):
        raise ValueError(f"cannot list the real critical points of {f}: {solutions}")
    return sorted(solutions, key=lambda s: float(s))


def gradient(f, variables):
    """The gradient of a SymPy expression f with respect to a list of symbols.

    Returns a sympy.Matrix of shape (n, 1) (a column) whose entry i is
    df/d(variables[i]), in the order of `variables`. A variable that does not
    appear in f gets the entry 0; other symbols in f are treated as constants.
    """
    return sp.Matrix([sp.diff(f, v) for v in variables])


def hessian(f, variables):
    """The Hessian of a SymPy expression f with respect to a list of n symbols.

    Returns a sympy.Matrix of shape (n, n) whose entry [i, j] is
    d^2 f / (d variables[i] d variables[j]).
    """
    n = len(variables)
    return sp.Matrix(n, n, lambda i, j: sp.diff(f, variables[i], variables[j]))


def classify_critical_point(f, variables, point):
    """Classify the critical point `point` of f by the eigenvalues of its Hessian there.

    `variables` is a list of SymPy symbols, `point` a dict {symbol: value}.
    Returns one of the strings
      "minimum"      if every Hessian eigenvalue at the point is > 0,
      "maximum"      if every eigenvalue is < 0,
      "saddle"       if there are eigenvalues of both signs,
      "inconclusive" if some eigenvalue is 0 and the others share one sign
                     (or all are 0): second derivatives cannot decide.
    """
    H = np.array(hessian(f, variables).subs(point).evalf(), dtype=float)
    eigenvalues = np.linalg.eigvalsh(H)
    tol = 1e-9 * max(1.0, float(np.max(np.abs(eigenvalues))))  # round-off counts as 0
    positive = bool(np.any(eigenvalues > tol))
    negative = bool(np.any(eigenvalues < -tol))
    if positive and negative:
        return "saddle"
    if np.any(np.abs(eigenvalues) <= tol):
        return "inconclusive"
    return "minimum" if positive else "maximum"


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function f at the float array x.

    x may have any shape; the result has the same shape, with entry i equal to
    (f(x + h e_i) - f(x - h e_i)) / (2 h), where e_i is 1 at position i and 0
    elsewhere. f is always called with an array of x's shape. x is left unchanged.
    """
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = float(f(x))
        x[index] = old - h
        f_minus = float(f(x))
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """The largest elementwise relative error between a and b (arrays or numbers).

    Returns the float max over elements of |a - b| / max(1e-8, |a| + |b|);
    the 1e-8 floor keeps two zeros from giving 0 / 0.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), elementwise, for a number or an array.

    Numerically stable: no overflow, NaN or warning for any x in [-1000, 1000].
    """
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x):
    """The derivative of the sigmoid, s(x) * (1 - s(x)) with s = sigmoid, elementwise.

    Stable (no overflow, NaN or warning) for x in [-1000, 1000].
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def quadratic_form_grad(A, x):
    """The gradient of the quadratic form x^T A x with respect to x.

    A is any square (n, n) array-like, x has shape (n,). Returns (A + A^T) x,
    shape (n,). (The familiar 2 A x holds only when A is symmetric.)
    """
    A = np.asarray(A, dtype=float)
    x = np.asarray(x, dtype=float)
    return (A + A.T) @ x


def chain_rule_grad_w1(x, w1, b, w2):
    """dL/dw1 for the tiny network L = (w2 * sigmoid(w1 * x + b))**2 (all numbers).

    Returns a float. Forward: z = w1 x + b, a = sigmoid(z), y = w2 a, L = y^2;
    then multiply the local derivatives backwards (the chain rule).
    """
    z = w1 * x + b
    a = float(sigmoid(z))
    y = w2 * a
    dL_dy = 2.0 * y
    dL_da = dL_dy * w2
    dL_dz = dL_da * a * (1.0 - a)
    return float(dL_dz * x)
