"""ps06_probability: distributions, Bayesian coin flips and next-token sampling."""

import numpy as np
import scipy.special
import scipy.stats


def normal_pdf(x, mu=0.0, sigma=1.0):
    """Density of the normal distribution N(mu, sigma^2) at x, from the formula.

        pdf(x) = exp(-(x - mu)^2 / (2 sigma^2)) / (sigma * sqrt(2 pi))

    x is a number or an array-like of any shape; the result is computed
    elementwise and has the shape of x (a float array; a 0-d array or a float
    for a single number). mu and sigma are numbers.
    Raises ValueError if sigma <= 0. Do not use scipy.stats here.
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    z = (np.asarray(x, dtype=float) - mu) / sigma
    return np.exp(-0.5 * z ** 2) / (sigma * np.sqrt(2.0 * np.pi))


def normal_cdf(x, mu=0.0, sigma=1.0):
    """Cumulative distribution function P(X <= x) of N(mu, sigma^2), from the formula.

        cdf(x) = (1 + erf((x - mu) / (sigma * sqrt(2)))) / 2 = erfc(-(x - mu) / (sigma * sqrt(2))) / 2

    Elementwise over x (a number or an array-like of any shape), like normal_pdf.
    Accurate in relative terms in the left tail: normal_cdf(-10) is 7.62e-24,
    where 1 + erf(...) cancels to exactly 0, so use the erfc form.
    math.erfc works on one number only; scipy.special.erfc works on arrays.
    Raises ValueError if sigma <= 0. Do not use scipy.stats here.
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    z = (np.asarray(x, dtype=float) - mu) / (sigma * np.sqrt(2.0))
    return 0.5 * scipy.special.erfc(-z)


def beta_binomial_posterior(heads, tails, alpha=1.0, beta=1.0):
    """Posterior Beta parameters after observing coin flips with a Beta(alpha, beta) prior.

    Returns the tuple (alpha_post, beta_post) of two floats. The default prior
    Beta(1, 1) is uniform: every bias of the coin is equally likely a priori.
    """
    return float(alpha + heads), float(beta + tails)


def posterior_mean(alpha, beta):
    """Mean of a Beta(alpha, beta) distribution, as a float."""
    return float(alpha / (alpha + beta))


def credible_interval(alpha, beta, level=0.95):
    """Equal-tailed credible interval (low, high) of a Beta(alpha, beta) distribution.

    Leaves probability (1 - level) / 2 below low and (1 - level) / 2 above high,
    so P(low <= theta <= high) = level. Returns a tuple of two floats.
    scipy.stats.beta.ppf(q, alpha, beta) is the quantile function (inverse cdf).
    """
    tail = (1.0 - level) / 2.0
    low = scipy.stats.beta.ppf(tail, alpha, beta)
    high = scipy.stats.beta.ppf(1.0 - tail, alpha, beta)
    return float(low), float(high)


def sample_next_token(logits, rng, temperature=1.0, top_k=None):
    """Draw the index of the next token from softmax(logits / temperature).

    logits is a 1-D array-like of scores, one per token in the vocabulary.
    rng is a numpy Generator (np.random.default_rng(seed)); all randomness must
    come from it, so the same seed gives the same tokens.
    top_k: if not None, only the top_k tokens with the largest logits may be
    drawn (their probabilities renormalised); None keeps every token.
    temperature == 0 means greedy decoding: return the index of the largest logit.
    Returns the token index as an int. Must be stable for logits as large as 1e4
    and must not modify logits.
    """
    logits = np.asarray(logits, dtype=float)
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        return int(np.argmax(logits))
    candidates = np.arange(logits.size)
    if top_k is not None:
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        candidates = np.argsort(-logits, kind="stable")[:top_k]
    scaled = logits[candidates] / temperature
    weights = np.exp(scaled - np.max(scaled))
    return int(rng.choice(candidates, p=weights / weights.sum()))
