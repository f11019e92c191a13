"""Variants of the ps07_information_theory answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np
import scipy.special
import scipy.stats

from harness.mutants import correct, wrong

# --- entropy -------------------------------------------------------------------


@wrong("entropy", "adds 1e-10 inside the log like the seed")
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if np.any(p < 0) or abs(p.sum() - 1) > 1e-6:
        raise ValueError("not a probability vector")
    return float(-np.sum(p * np.log(p + 1e-10)) / np.log(base))


@wrong("entropy", "uses the natural log whatever the base")
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if np.any(p < 0) or abs(p.sum() - 1) > 1e-6:
        raise ValueError("not a probability vector")
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)))


@wrong("entropy", "gives nan for zero entries")
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if np.any(p < 0) or abs(p.sum() - 1) > 1e-6:
        raise ValueError("not a probability vector")
    return float(-np.sum(p * np.log(p)) / np.log(base))


@wrong("entropy", "normalises p instead of raising")
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if np.any(p < 0):
        raise ValueError("negative probability")
    p = p / p.sum()
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)) / np.log(base))


@wrong("entropy", "checks the sum exactly without the 1e-6 tolerance")
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0, rtol=0, atol=1e-12):
        raise ValueError("not a probability vector")
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)) / np.log(base))


@correct("entropy", "uses scipy.special.entr")
def entropy(p, base=2):
    p = np.asarray(p, dtype=float)
    if (p < 0).any():
        raise ValueError("negative probability")
    if not abs(p.sum() - 1.0) <= 1e-6:
        raise ValueError("does not sum to 1")
    return scipy.special.entr(p).sum() / np.log(base)


@correct("entropy", "loops in plain Python and skips zeros")
def entropy(p, base=2):
    import math
    values = [float(v) for v in np.ravel(p)]
    if min(values) < 0 or abs(sum(values) - 1) > 1e-6:
        raise ValueError("not a probability vector")
    return -sum(v * math.log(v, base) for v in values if v > 0)


# --- cross_entropy ---------------------------------------------------------------


@wrong("cross_entropy", "swaps p and q")
def cross_entropy(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    mask = q > 0
    if np.any(p[mask] == 0):
        return np.inf
    return float(-np.sum(q[mask] * np.log(p[mask])) / np.log(base))


@wrong("cross_entropy", "uses the natural log whatever the base")
def cross_entropy(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    mask = p > 0
    if np.any(q[mask] == 0):
        return np.inf
    return float(-np.sum(p[mask] * np.log(q[mask])))


@wrong("cross_entropy", "gives nan when p and q are both 0")
def cross_entropy(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return float(-np.sum(p * np.log(q)) / np.log(base))


@wrong("cross_entropy", "adds 1e-10 inside the log so it is never infinite")
def cross_entropy(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return float(-np.sum(p * np.log(q + 1e-10)) / np.log(base))


@correct("cross_entropy", "uses scipy.special.xlogy")
def cross_entropy(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        return float(-np.sum(scipy.special.xlogy(p, q)) / np.log(base))


@correct("cross_entropy", "adds the entropy and the KL divergence from scipy.stats")
def cross_entropy(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return float(scipy.stats.entropy(p, base=base) + scipy.stats.entropy(p, q, base=base))


# --- kl_divergence ---------------------------------------------------------------


@wrong("kl_divergence", "gives nan for zeros in p like the seed")
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return float(np.sum(p * np.log(p / q)) / np.log(base))


@wrong("kl_divergence", "swaps the arguments")
def kl_divergence(p, q, base=2):
    p, q = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    mask = p > 0
    if np.any(q[mask] == 0):
        return np.inf
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])) / np.log(base))


@wrong("kl_divergence", "uses the natural log whatever the base")
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    mask = p > 0
    if np.any(q[mask] == 0):
        return np.inf
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))


@wrong("kl_divergence", "adds 1e-10 to p and q so it is never infinite")
def kl_divergence(p, q, base=2):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return float(np.sum(p * np.log((p + 1e-10) / (q + 1e-10))) / np.log(base))


@correct("kl_divergence", "sums scipy.special.rel_entr")
def kl_divergence(p, q, base=2):
    return float(np.sum(scipy.special.rel_entr(np.asarray(p, dtype=float), np.asarray(q, dtype=float)))
                 / np.log(base))


@correct("kl_divergence", "subtracts the entropy from the cross-entropy")
def kl_divergence(p, q, base=2):
    return cross_entropy(p, q, base) - entropy(p, base)


# --- entropy_vs_temperature -------------------------------------------------------


@wrong("entropy_vs_temperature", "multiplies the logits by the temperature")
def entropy_vs_temperature(logits, temperatures, base=2):
    out = []
    for t in temperatures:
        z = np.asarray(logits, dtype=float) * t
        w = np.exp(z - z.max())
        out.append(entropy(w / w.sum(), base))
    return np.array(out)


@wrong("entropy_vs_temperature", "ignores the temperature")
def entropy_vs_temperature(logits, temperatures, base=2):
    z = np.asarray(logits, dtype=float)
    w = np.exp(z - z.max())
    return np.full(len(temperatures), entropy(w / w.sum(), base))


@wrong("entropy_vs_temperature", "does not subtract the max so large logits overflow")
def entropy_vs_temperature(logits, temperatures, base=2):
    out = []
    for t in temperatures:
        w = np.exp(np.asarray(logits, dtype=float) / t)
        out.append(entropy(w / w.sum(), base))
    return np.array(out)


@wrong("entropy_vs_temperature", "ignores the base")
def entropy_vs_temperature(logits, temperatures, base=2):
    out = []
    for t in temperatures:
        z = np.asarray(logits, dtype=float) / t
        w = np.exp(z - z.max())
        out.append(entropy(w / w.sum()))
    return np.array(out)


@wrong("entropy_vs_temperature", "returns a list")
def entropy_vs_temperature(logits, temperatures, base=2):
    out = []
    for t in temperatures:
        z = np.asarray(logits, dtype=float) / t
        w = np.exp(z - z.max())
        out.append(entropy(w / w.sum(), base))
    return out


@correct("entropy_vs_temperature", "uses the closed form logsumexp minus the mean logit")
def entropy_vs_temperature(logits, temperatures, base=2):
    z = np.asarray(logits, dtype=float)[None, :] / np.asarray(temperatures, dtype=float)[:, None]
    p = scipy.special.softmax(z, axis=1)
    nats = scipy.special.logsumexp(z, axis=1) - np.sum(p * z, axis=1)
    return np.maximum(nats, 0.0) / np.log(base)


# --- mutual_information -------------------------------------------------------------


@wrong("mutual_information", "forgets to subtract the joint entropy")
def mutual_information(joint, base=2):
    joint = np.asarray(joint, dtype=float)
    return entropy(joint.sum(axis=1), base) + entropy(joint.sum(axis=0), base)


@wrong("mutual_information", "takes both marginals along the same axis")
def mutual_information(joint, base=2):
    joint = np.asarray(joint, dtype=float)
    px = joint.sum(axis=0)
    return entropy(px, base) + entropy(px, base) - entropy(joint.ravel(), base)


@wrong("mutual_information", "gives nan for zero cells")
def mutual_information(joint, base=2):
    joint = np.asarray(joint, dtype=float)
    indep = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return float(np.sum(joint * np.log(joint / indep)) / np.log(base))


@wrong("mutual_information", "uses the natural log whatever the base")
def mutual_information(joint, base=2):
    joint = np.asarray(joint, dtype=float)
    e = np.e
    return entropy(joint.sum(axis=1), e) + entropy(joint.sum(axis=0), e) - entropy(joint.ravel(), e)


@correct("mutual_information", "computes KL of the joint from the product of marginals")
def mutual_information(joint, base=2):
    joint = np.asarray(joint, dtype=float)
    indep = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return kl_divergence(joint.ravel(), indep.ravel(), base)


@correct("mutual_information", "subtracts the conditional entropy H(X given Y)")
def mutual_information(joint, base=2):
    joint = np.asarray(joint, dtype=float)
    py = joint.sum(axis=0)
    h_x_given_y = sum(py[j] * entropy(joint[:, j] / py[j], base) for j in range(joint.shape[1]) if py[j] > 0)
    return entropy(joint.sum(axis=1), base) - h_x_given_y


# --- perplexity ----------------------------------------------------------------------


@wrong("perplexity", "takes log2 inside but exp outside")
def perplexity(token_probs):
    return float(np.exp(-np.mean(np.log2(np.asarray(token_probs, dtype=float)))))


@wrong("perplexity", "sums the log probabilities instead of averaging")
def perplexity(token_probs):
    return float(np.exp(-np.sum(np.log(np.asarray(token_probs, dtype=float)))))


@wrong("perplexity", "inverts the arithmetic mean probability")
def perplexity(token_probs):
    return float(1.0 / np.mean(np.asarray(token_probs, dtype=float)))


@wrong("perplexity", "multiplies the probabilities which underflows")
def perplexity(token_probs):
    p = np.asarray(token_probs, dtype=float)
    return float(np.prod(p) ** (-1.0 / p.size))


@correct("perplexity", "uses base 2 consistently")
def perplexity(token_probs):
    return 2.0 ** (-np.mean(np.log2(token_probs)))


@correct("perplexity", "inverts the geometric mean")
def perplexity(token_probs):
    return 1.0 / scipy.stats.gmean(np.asarray(token_probs, dtype=float))
