"""ps07_information_theory: entropy, cross-entropy, KL divergence, temperature, mutual information."""
import numpy as np


def entropy(p, base=2):
    """Shannon entropy H(p) = -sum_i p_i log(p_i) of a probability vector p, in the given base.

    p is a 1-D array-like of probabilities. Terms with p_i = 0 contribute 0
    (the limit of p log p as p -> 0). base=2 gives bits, base=np.e nats.
    Returns a float >= 0. Raises ValueError if an entry is negative or if the
    entries do not sum to 1 within 1e-6. Must not modify p.
    """
    p = np.asarray(p, dtype=float)
    if np.any(p < 0):
        raise ValueError("probabilities cannot be negative")
    if abs(p.sum() - 1.0) > 1e-6:
        raise ValueError(f"probabilities must sum to 1, got {p.sum()}")
    nonzero = p[p > 0]
    return float(-np.sum(nonzero * np.log(nonzero)) / np.log(base)) + 0.0  # + 0.0 turns -0.0 into 0.0


def cross_entropy(p, q, base=2):
    """Cross-entropy H(p, q) = -sum_i p_i log(q_i): the average surprise of outcomes
    drawn from p when we expected q.

    p and q are probability vectors (1-D array-likes) of the same length.
    Terms with p_i = 0 contribute 0 (whatever q_i is); the result is +inf
    (np.inf) when some q_i = 0 where p_i > 0. Returns a float.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    return float(-np.sum(p[support] * np.log(q[support])) / np.log(base))


def kl_divergence(p, q, base=2):
    """Kullback-Leibler divergence KL(p || q) = sum_i p_i log(p_i / q_i).

    Same conventions as cross_entropy: terms with p_i = 0 contribute 0, the
    result is +inf when some q_i = 0 where p_i > 0. KL(p || q) >= 0, with
    equality when p == q. Not symmetric: the order of p and q matters.
    Returns a float.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    terms = p[support] * np.log(p[support] / q[support])
    return float(max(np.sum(terms), 0.0) / np.log(base))


def entropy_vs_temperature(logits, temperatures, base=2):
    """Entropy of softmax(logits / T) for each temperature T in `temperatures`.

    logits is a 1-D array-like, temperatures a 1-D array-like of positive
    numbers. Returns a float array with one entropy per temperature, in the
    given base. Stable for large logits and small temperatures.
    """
    logits = np.asarray(logits, dtype=float)
    result = []
    for t in np.asarray(temperatures, dtype=float).ravel():
        z = logits / t
        weights = np.exp(z - np.max(z))
        result.append(entropy(weights / weights.sum(), base=base))
    return np.array(result, dtype=float)


def mutual_information(joint, base=2):
    """Mutual information I(X; Y) = H(X) + H(Y) - H(X, Y) of a 2-D joint pmf.

    joint[i, j] = P(X = i, Y = j); its entries are >= 0 and sum to 1.
    Returns a float >= 0: how many bits (for base 2) knowing Y tells about X.
    """
    joint = np.asarray(joint, dtype=float)
    if joint.ndim != 2:
        raise ValueError(f"joint must be a 2-D array, got shape {joint.shape}")
    h_x = entropy(joint.sum(axis=1), base=base)
    h_y = entropy(joint.sum(axis=0), base=base)
    h_xy = entropy(joint.ravel(), base=base)
    return float(max(h_x + h_y - h_xy, 0.0))


def perplexity(token_probs):
    """Perplexity exp(-mean(log p)) of the probabilities a model gave the true tokens.

    token_probs is a 1-D array-like of probabilities in (0, 1], one per token
    of a text (natural log inside, so the result does not depend on a base).
    A model that is always sure and right has perplexity 1; a uniform guess
    among V tokens has perplexity V. Returns a float.
    """
    token_probs = np.asarray(token_probs, dtype=float)
    return float(np.exp(-np.mean(np.log(token_probs))))
