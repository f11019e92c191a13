"""Variants of the ps04_calculus answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np
import sympy as sp

from harness.mutants import correct, wrong

# --- critical_points ---------------------------------------------------------------------


@wrong("critical_points", "keeps the complex solutions of sympy.solve")
def critical_points(f, x):
    return sorted(sp.solve(sp.diff(f, x), x), key=lambda s: complex(s).real)


@wrong("critical_points", "solves f = 0 instead of f' = 0")
def critical_points(f, x):
    return sorted(sp.solveset(f, x, domain=sp.S.Reals), key=float)


@wrong("critical_points", "solves the second derivative instead of the first")
def critical_points(f, x):
    return sorted(sp.solveset(sp.diff(f, x, 2), x, domain=sp.S.Reals), key=float)


@wrong("critical_points", "sorts by the value of f instead of by position")
def critical_points(f, x):
    points = sp.solveset(sp.diff(f, x), x, domain=sp.S.Reals)
    return sorted(points, key=lambda s: float(f.subs(x, s)))


@wrong("critical_points", "returns a tuple instead of a list")
def critical_points(f, x):
    return tuple(sorted(sp.solveset(sp.diff(f, x), x, domain=sp.S.Reals), key=float))


@correct("critical_points", "filters sympy.solve with is_real and sorts by float")
def critical_points(f, x):
    solutions = [s for s in sp.solve(sp.diff(f, x), x) if s.is_real]
    return sorted(set(solutions), key=float)


@correct("critical_points", "returns floats from sympy real roots filtered numerically")
def critical_points(f, x):
    values = [complex(sp.N(s)) for s in sp.solve(sp.diff(f, x), x)]
    return sorted({round(v.real, 12) for v in values if abs(v.imag) < 1e-12})


# --- gradient --------------------------------------------------------------------------------


@wrong("gradient", "returns a row of shape (1, n)")
def gradient(f, variables):
    return sp.Matrix([[sp.diff(f, v) for v in variables]])


@wrong("gradient", "differentiates by the sorted free symbols of f")
def gradient(f, variables):
    return sp.Matrix([sp.diff(f, v) for v in sorted(f.free_symbols, key=str)])


@wrong("gradient", "returns a plain list")
def gradient(f, variables):
    return [sp.diff(f, v) for v in variables]


@correct("gradient", "transposes the Jacobian of [f]")
def gradient(f, variables):
    return sp.Matrix([f]).jacobian(list(variables)).T


# --- hessian ---------------------------------------------------------------------------------


@wrong("hessian", "keeps only the diagonal second derivatives")
def hessian(f, variables):
    return sp.diag(*[sp.diff(f, v, 2) for v in variables])


@wrong("hessian", "uses the outer product of the gradient")
def hessian(f, variables):
    g = gradient(f, variables)
    return g * g.T


@wrong("hessian", "uses the sorted free symbols of f")
def hessian(f, variables):
    symbols = sorted(f.free_symbols, key=str)
    return sp.Matrix(len(symbols), len(symbols), lambda i, j: sp.diff(f, symbols[i], symbols[j]))


@wrong("hessian", "returns a nested list")
def hessian(f, variables):
    return [[sp.diff(f, u, v) for v in variables] for u in variables]


@correct("hessian", "calls sympy.hessian")
def hessian(f, variables):
    return sp.hessian(f, variables)


@correct("hessian", "takes the Jacobian of the gradient")
def hessian(f, variables):
    return gradient(f, variables).jacobian(list(variables))


# --- classify_critical_point --------------------------------------------------------------


@wrong("classify_critical_point", "looks at the diagonal of the Hessian only")
def classify_critical_point(f, variables, point):
    d = [hessian(f, variables).subs(point)[i, i] for i in range(len(variables))]
    if any(v > 0 for v in d) and any(v < 0 for v in d):
        return "saddle"
    if any(v == 0 for v in d):
        return "inconclusive"
    return "minimum" if d[0] > 0 else "maximum"


@wrong("classify_critical_point", "uses the 2-D determinant test in every dimension")
def classify_critical_point(f, variables, point):
    H = hessian(f, variables).subs(point)
    det = H.det()
    if det > 0:
        return "minimum" if H[0, 0] > 0 else "maximum"
    if det < 0:
        return "saddle"
    return "inconclusive"


@wrong("classify_critical_point", "calls any zero eigenvalue inconclusive, even with both signs")
def classify_critical_point(f, variables, point):
    H = hessian(f, variables).subs(point)
    ev = [sp.N(e) for e in H.eigenvals(multiple=True)]
    if any(abs(e) < 1e-12 for e in ev):
        return "inconclusive"
    if all(e > 0 for e in ev):
        return "minimum"
    if all(e < 0 for e in ev):
        return "maximum"
    return "saddle"


@wrong("classify_critical_point", "compares numerical eigenvalues with 0 without a tolerance")
def classify_critical_point(f, variables, point):
    H = np.array(hessian(f, variables).subs(point).evalf(), dtype=float)
    ev = np.linalg.eig(H)[0].real
    if np.any(ev > 0) and np.any(ev < 0):
        return "saddle"
    if np.any(ev == 0):
        return "inconclusive"
    return "minimum" if np.all(ev > 0) else "maximum"


@wrong("classify_critical_point", "evaluates the Hessian at the origin instead of the point")
def classify_critical_point(f, variables, point):
    H = np.array(hessian(f, variables).subs({v: 0 for v in variables}).evalf(), dtype=float)
    ev = np.linalg.eigvalsh(H)
    tol = 1e-9 * max(1.0, np.abs(ev).max())
    if np.any(ev > tol) and np.any(ev < -tol):
        return "saddle"
    if np.any(np.abs(ev) <= tol):
        return "inconclusive"
    return "minimum" if np.all(ev > tol) else "maximum"


@correct("classify_critical_point", "uses exact SymPy eigenvalues")
def classify_critical_point(f, variables, point):
    H = hessian(f, variables).subs(point)
    signs = {sp.sign(sp.nsimplify(sp.re(sp.N(e, 40)), tolerance=1e-30)) for e in H.eigenvals(multiple=True)}
    if 1 in signs and -1 in signs:
        return "saddle"
    if 0 in signs:
        return "inconclusive"
    return "minimum" if 1 in signs else "maximum"


# --- numerical_gradient --------------------------------------------------------------------


@wrong("numerical_gradient", "uses forward differences")
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        g[i] = (f(x) - f0) / h
        x[i] = old
    return g


@wrong("numerical_gradient", "flattens x, so f sees a 1-D array")
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float).ravel()
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


@wrong("numerical_gradient", "ignores h and always steps 1e-5")
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = 1e-5
        g[i] = (f(x + e) - f(x - e)) / 2e-5
    return g


@wrong("numerical_gradient", "perturbs the caller's x in place and leaves round-off behind")
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        g[i] = (fp - fm) / (2 * h)
    return g


@correct("numerical_gradient", "builds each basis step with a flat index")
def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    g = np.empty(x.size)
    for k in range(x.size):
        step = np.zeros(x.size)
        step[k] = h
        step = step.reshape(x.shape)
        g[k] = (f(x + step) - f(x - step)) / (2 * h)
    return g.reshape(x.shape)


# --- relative_error -----------------------------------------------------------------------


@wrong("relative_error", "divides norms instead of elementwise")
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


@wrong("relative_error", "has no 1e-8 floor, so two zeros give NaN")
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


@wrong("relative_error", "divides by max(|a|, |b|) instead of |a| + |b|")
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))))


@wrong("relative_error", "averages instead of taking the maximum")
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


@correct("relative_error", "loops over the flattened entries")
def relative_error(a, b):
    worst = 0.0
    for u, v in zip(np.ravel(a), np.ravel(b)):
        worst = max(worst, abs(float(u) - float(v)) / max(1e-8, abs(float(u)) + abs(float(v))))
    return worst


# --- sigmoid ------------------------------------------------------------------------------


@wrong("sigmoid", "naive 1 / (1 + exp(-x)) overflows with a warning")
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


@wrong("sigmoid", "exp(x) / (1 + exp(x)) gives NaN for large x")
def sigmoid(x):
    e = np.exp(np.asarray(x, dtype=float))
    return e / (1.0 + e)


@wrong("sigmoid", "uses tanh(x) instead of tanh(x / 2)")
def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(np.asarray(x, dtype=float)))


@wrong("sigmoid", "uses math.exp, which fails on arrays")
def sigmoid(x):
    import math
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


@correct("sigmoid", "uses 0.5 * (1 + tanh(x / 2))")
def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


# --- sigmoid_grad ------------------------------------------------------------------------


@wrong("sigmoid_grad", "computes x * (1 - x), forgetting to apply the sigmoid")
def sigmoid_grad(x):
    x = np.asarray(x, dtype=float)
    return x * (1.0 - x)


@wrong("sigmoid_grad", "exp(-x) / (1 + exp(-x))**2 overflows")
def sigmoid_grad(x):
    e = np.exp(-np.asarray(x, dtype=float))
    return e / (1.0 + e) ** 2


@wrong("sigmoid_grad", "computes s * (1 + s)")
def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1.0 + s)


@correct("sigmoid_grad", "uses s(x) * s(-x)")
def sigmoid_grad(x):
    x = np.asarray(x, dtype=float)
    return sigmoid(x) * sigmoid(-x)


# --- quadratic_form_grad ----------------------------------------------------------------


@wrong("quadratic_form_grad", "returns 2 A x, right only for symmetric A")
def quadratic_form_grad(A, x):
    return 2.0 * np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)


@wrong("quadratic_form_grad", "returns A x")
def quadratic_form_grad(A, x):
    return np.asarray(A, dtype=float) @ np.asarray(x, dtype=float)


@wrong("quadratic_form_grad", "returns 2 A^T x")
def quadratic_form_grad(A, x):
    return 2.0 * np.asarray(A, dtype=float).T @ np.asarray(x, dtype=float)


@wrong("quadratic_form_grad", "symmetrises A in place, changing the caller's matrix")
def quadratic_form_grad(A, x):
    A = np.asarray(A, dtype=float)
    A += A.T
    return A @ np.asarray(x, dtype=float)


@correct("quadratic_form_grad", "adds x @ A and A @ x")
def quadratic_form_grad(A, x):
    A, x = np.asarray(A, dtype=float), np.asarray(x, dtype=float)
    return x @ A + A @ x


# --- chain_rule_grad_w1 -------------------------------------------------------------------


@wrong("chain_rule_grad_w1", "forgets dz/dw1 = x")
def chain_rule_grad_w1(x, w1, b, w2):
    a = float(sigmoid(w1 * x + b))
    return float(2 * w2 * a * w2 * a * (1 - a))


@wrong("chain_rule_grad_w1", "forgets the factor 2 from the square")
def chain_rule_grad_w1(x, w1, b, w2):
    a = float(sigmoid(w1 * x + b))
    return float(w2 * a * w2 * a * (1 - a) * x)


@wrong("chain_rule_grad_w1", "multiplies by sigmoid(z) instead of its derivative")
def chain_rule_grad_w1(x, w1, b, w2):
    a = float(sigmoid(w1 * x + b))
    return float(2 * w2 * a * w2 * a * x)


@wrong("chain_rule_grad_w1", "forgets dy/da = w2")
def chain_rule_grad_w1(x, w1, b, w2):
    a = float(sigmoid(w1 * x + b))
    return float(2 * w2 * a * a * (1 - a) * x)


@correct("chain_rule_grad_w1", "differentiates the loss with SymPy")
def chain_rule_grad_w1(x, w1, b, w2):
    W = sp.Symbol("W")
    L = (w2 / (1 + sp.exp(-(W * x + b)))) ** 2
    return float(sp.diff(L, W).subs(W, w1))
