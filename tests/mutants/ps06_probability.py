"""Variants of the ps06_probability answers, graded through real nbgrader in tests/test_mutants.py."""
import math

import numpy as np
import scipy.special
import scipy.stats

from harness.mutants import correct, wrong

# --- normal_pdf --------------------------------------------------------------


@wrong("normal_pdf", "forgets the 1/sigma in front")
def normal_pdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / np.sqrt(2 * np.pi)


@wrong("normal_pdf", "divides by 2 sigma instead of 2 sigma squared in the exponent")
def normal_pdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.exp(-(x - mu) ** 2 / (2 * sigma)) / (sigma * np.sqrt(2 * np.pi))


@wrong("normal_pdf", "uses math.exp, which fails on arrays")
def normal_pdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return math.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / (sigma * math.sqrt(2 * math.pi))


@wrong("normal_pdf", "raises only for negative sigma, not for zero")
def normal_pdf(x, mu=0.0, sigma=1.0):
    if sigma < 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi))


@correct("normal_pdf", "standardises first and divides the standard density by sigma")
def normal_pdf(x, mu=0.0, sigma=1.0):
    if not sigma > 0:
        raise ValueError("sigma must be positive")
    z = (np.array(x, dtype=float) - mu) / sigma
    standard = 1.0 / math.sqrt(2.0 * math.pi) * np.exp(-z * z / 2.0)
    return standard / sigma


# --- normal_cdf --------------------------------------------------------------


@wrong("normal_cdf", "forgets the sqrt(2) inside erf")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return 0.5 * (1 + scipy.special.erf((np.asarray(x, dtype=float) - mu) / sigma))


@wrong("normal_cdf", "returns erf/2 without the 1 +")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return 0.5 * scipy.special.erf((np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2)))


@wrong("normal_cdf", "uses math.erf, which fails on arrays")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return 0.5 * (1 + math.erf((x - mu) / (sigma * math.sqrt(2))))


@wrong("normal_cdf", "never checks sigma")
def normal_cdf(x, mu=0.0, sigma=1.0):
    return 0.5 * (1 + scipy.special.erf((np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2))))


@wrong("normal_cdf", "the textbook 0.5 * (1 + erf): cancels to 0 in the left tail")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return 0.5 * (1.0 + scipy.special.erf((np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2.0))))


@wrong("normal_cdf", "vectorises math.erf: 1 + erf loses the left tail")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    erf = np.vectorize(math.erf, otypes=[float])
    return 0.5 * (1.0 + erf((np.asarray(x, dtype=float) - mu) / (sigma * math.sqrt(2.0))))


@wrong("normal_cdf", "one minus the upper tail, 1 - erfc(z) / 2: the same cancellation")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return 1.0 - 0.5 * scipy.special.erfc((np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2.0)))


@correct("normal_cdf", "vectorises math.erfc, one number at a time")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    scale = sigma * math.sqrt(2.0)
    values = [0.5 * math.erfc((mu - t) / scale) for t in np.ravel(np.asarray(x, dtype=float))]
    return np.reshape(np.array(values, dtype=float), np.shape(x))


@correct("normal_cdf", "uses erfc for an accurate left tail")
def normal_cdf(x, mu=0.0, sigma=1.0):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return 0.5 * scipy.special.erfc(-(np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2.0)))


# --- beta_binomial_posterior ---------------------------------------------------


@wrong("beta_binomial_posterior", "swaps heads and tails")
def beta_binomial_posterior(heads, tails, alpha=1.0, beta=1.0):
    return float(alpha + tails), float(beta + heads)


@wrong("beta_binomial_posterior", "ignores the prior")
def beta_binomial_posterior(heads, tails, alpha=1.0, beta=1.0):
    return float(heads), float(tails)


@wrong("beta_binomial_posterior", "adds alpha to both counts")
def beta_binomial_posterior(heads, tails, alpha=1.0, beta=1.0):
    return float(alpha + heads), float(alpha + tails)


@wrong("beta_binomial_posterior", "subtracts one like the mode formula")
def beta_binomial_posterior(heads, tails, alpha=1.0, beta=1.0):
    return float(alpha + heads - 1), float(beta + tails - 1)


@correct("beta_binomial_posterior", "adds arrays of pseudo-counts")
def beta_binomial_posterior(heads, tails, alpha=1.0, beta=1.0):
    a, b = np.array([alpha, beta], dtype=float) + np.array([heads, tails])
    return (a, b)


# --- posterior_mean ----------------------------------------------------------


@wrong("posterior_mean", "returns the probability of tails")
def posterior_mean(alpha, beta):
    return float(beta / (alpha + beta))


@wrong("posterior_mean", "returns the mode")
def posterior_mean(alpha, beta):
    return float((alpha - 1) / (alpha + beta - 2))


@wrong("posterior_mean", "returns the odds alpha / beta")
def posterior_mean(alpha, beta):
    return float(alpha / beta)


@correct("posterior_mean", "asks scipy.stats for the mean")
def posterior_mean(alpha, beta):
    return float(scipy.stats.beta(alpha, beta).mean())


# --- credible_interval -------------------------------------------------------


@wrong("credible_interval", "uses level itself as the tail quantile")
def credible_interval(alpha, beta, level=0.95):
    return float(scipy.stats.beta.ppf(1 - level, alpha, beta)), float(scipy.stats.beta.ppf(level, alpha, beta))


@wrong("credible_interval", "puts all of 1 - level in each tail")
def credible_interval(alpha, beta, level=0.95):
    tail = 1 - level
    return float(scipy.stats.beta.ppf(tail, alpha, beta)), float(scipy.stats.beta.ppf(1 - tail, alpha, beta))


@wrong("credible_interval", "uses a normal approximation mean plus or minus 1.96 sd")
def credible_interval(alpha, beta, level=0.95):
    mean = alpha / (alpha + beta)
    sd = math.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    z = scipy.stats.norm.ppf((1 + level) / 2)
    return max(0.0, mean - z * sd), min(1.0, mean + z * sd)


@wrong("credible_interval", "ignores level and always gives 95 percent")
def credible_interval(alpha, beta, level=0.95):
    return float(scipy.stats.beta.ppf(0.025, alpha, beta)), float(scipy.stats.beta.ppf(0.975, alpha, beta))


@correct("credible_interval", "inverts the regularised incomplete beta function")
def credible_interval(alpha, beta, level=0.95):
    q = np.array([(1 - level) / 2, (1 + level) / 2])
    low, high = scipy.special.betaincinv(alpha, beta, q)
    return float(low), float(high)


@correct("credible_interval", "finds each bound by bisection on the cdf")
def credible_interval(alpha, beta, level=0.95):
    def quantile(q):
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = (lo + hi) / 2
            if scipy.special.betainc(alpha, beta, mid) < q:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2
    return quantile((1 - level) / 2), quantile((1 + level) / 2)


# --- sample_next_token ---------------------------------------------------------


@wrong("sample_next_token", "multiplies the logits by the temperature")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[::-1][:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] * temperature - np.max(z[keep] * temperature))
    return int(rng.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "top_k keeps the smallest logits")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature - np.max(z[keep] / temperature))
    return int(rng.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "top_k keeps one token too many")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[::-1][:top_k + 1] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature - np.max(z[keep] / temperature))
    return int(rng.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "top_k keeps one token too few")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[::-1][:max(top_k - 1, 1)] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature - np.max(z[keep] / temperature))
    return int(rng.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "samples from the global np.random state")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[::-1][:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature - np.max(z[keep] / temperature))
    return int(np.random.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "creates its own generator with a fixed seed")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[::-1][:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature - np.max(z[keep] / temperature))
    return int(np.random.default_rng(0).choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "has no greedy case and divides by a zero temperature")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    keep = np.argsort(z)[::-1][:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature - np.max(z[keep] / temperature))
    return int(rng.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "does not subtract the max so large logits overflow")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    keep = np.argsort(z)[::-1][:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] / temperature)
    return int(rng.choice(keep, p=w / w.sum()))


@wrong("sample_next_token", "divides the caller's logits in place")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    z /= temperature
    keep = np.argsort(z)[::-1][:top_k] if top_k is not None else np.arange(z.size)
    w = np.exp(z[keep] - np.max(z[keep]))
    return int(rng.choice(keep, p=w / w.sum()))


@correct("sample_next_token", "uses the Gumbel-max trick")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.array(logits, dtype=float)
    if temperature == 0:
        return int(np.argmax(z))
    if top_k is not None:
        cutoff = np.sort(z)[-top_k]
        z = np.where(z >= cutoff, z, -np.inf)
    return int(np.argmax(z / temperature + rng.gumbel(size=z.size)))


@correct("sample_next_token", "inverts the cumulative distribution with rng.random")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float) / max(temperature, 1e-300)
    if temperature == 0:
        return int(np.argmax(logits))
    if top_k is not None:
        z = np.where(np.argsort(np.argsort(-z)) < top_k, z, -np.inf)
    p = np.exp(z - z.max())
    cdf = np.cumsum(p / p.sum())
    return int(min(np.searchsorted(cdf, rng.random(), side="right"), z.size - 1))


@correct("sample_next_token", "sharpens softmax probabilities with a power 1/T")
def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    if temperature == 0:
        return np.argmax(z)
    p = scipy.special.softmax(z)
    if top_k is not None:
        p[np.argsort(p)[:-top_k]] = 0.0
    p = p ** (1.0 / temperature)
    return rng.choice(len(p), p=p / p.sum())
