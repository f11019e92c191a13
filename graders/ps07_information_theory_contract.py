"""Hidden checks of ps07_information_theory's contract clauses the value checks leave open.

Each check names the contract clause it covers (graders/clauses/ps07_information_theory.toml).
"""
from __future__ import annotations

import numpy as np

from .checks import assert_close, call


def check_kl_point_masses(kl_divergence):
    """KL between identical point masses is 0, and from a point mass to a spread-out q is finite.

    Clause kl_divergence.values: sum p log(p/q) with terms p_i = 0 contributing 0; a q_i of 1
    is an ordinary probability.
    """
    for n, i in [(3, 1), (5, 0), (4, 3)]:
        p = np.zeros(n)
        p[i] = 1.0
        label = f"kl_divergence(p, p) where p is the point mass on outcome {i} of {n}"
        assert_close(call(kl_divergence, p, p.copy(), label=label), 0.0, label=label, rtol=0, atol=1e-12,
                     hint="only q_i = 0 where p_i > 0 makes KL infinite; q_i = 1 is an ordinary probability")
    p, q = np.array([0.0, 1.0, 0.0]), np.array([0.25, 0.5, 0.25])
    label = "kl_divergence(p, q) with p = [0, 1, 0], q = [0.25, 0.5, 0.25]"
    assert_close(call(kl_divergence, p, q, label=label), 1.0, label=label, rtol=1e-9, atol=1e-12,
                 hint="KL = sum over p_i > 0 of p_i log2(p_i / q_i) = log2(1 / 0.5) = 1 bit")
