"""project1_mini_lm variants, part one: vocabulary, encoding and the bigram model."""
import numpy as np

from harness.mutants import correct, wrong

# --- build_vocab -------------------------------------------------------------


@wrong("build_vocab", "keeps characters in order of first appearance")
def build_vocab(text):
    itos = list(dict.fromkeys(text))
    return {ch: i for i, ch in enumerate(itos)}, itos


@wrong("build_vocab", "numbers characters from 1")
def build_vocab(text):
    itos = sorted(set(text))
    return {ch: i + 1 for i, ch in enumerate(itos)}, itos


@wrong("build_vocab", "returns itos as a string")
def build_vocab(text):
    itos = "".join(sorted(set(text)))
    return {ch: i for i, ch in enumerate(itos)}, itos


@correct("build_vocab", "builds stoi first from a sorted set")
def build_vocab(text):
    stoi = {}
    for ch in sorted(set(text)):
        stoi[ch] = len(stoi)
    return stoi, list(stoi)


# --- encode ------------------------------------------------------------------


@wrong("encode", "returns a Python list")
def encode(text, stoi):
    return [stoi[ch] for ch in text]


@wrong("encode", "returns a float array")
def encode(text, stoi):
    return np.array([stoi[ch] for ch in text], dtype=float)


@wrong("encode", "skips the first character")
def encode(text, stoi):
    return np.array([stoi[ch] for ch in text[1:]], dtype=int)


@correct("encode", "np.fromiter with a map")
def encode(text, stoi):
    return np.fromiter(map(stoi.__getitem__, text), dtype=np.int32, count=len(text))


# --- decode ------------------------------------------------------------------


@wrong("decode", "joins characters with spaces")
def decode(ids, itos):
    return " ".join(itos[i] for i in ids)


@wrong("decode", "returns a list of characters")
def decode(ids, itos):
    return [itos[i] for i in ids]


@wrong("decode", "looks ids up one place off")
def decode(ids, itos):
    return "".join(itos[i - 1] for i in ids)


@correct("decode", "indexes an array of characters")
def decode(ids, itos):
    chars = np.array(list(itos) + [""], dtype=object)
    return "".join(chars[np.asarray(ids, dtype=int)].tolist()) if len(ids) else ""


# --- bigram_counts -----------------------------------------------------------


@wrong("bigram_counts", "uses counts[a, b] += 1, which counts a repeated pair once")
def bigram_counts(ids, vocab_size):
    ids = np.asarray(ids)
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    counts[ids[:-1], ids[1:]] += 1
    return counts


@wrong("bigram_counts", "counts the previous id per column (transposed)")
def bigram_counts(ids, vocab_size):
    ids = np.asarray(ids)
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    np.add.at(counts, (ids[1:], ids[:-1]), 1)
    return counts


@wrong("bigram_counts", "stops one pair early")
def bigram_counts(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=int)
    for t in range(len(ids) - 2):
        counts[ids[t], ids[t + 1]] += 1
    return counts


@correct("bigram_counts", "np.bincount of flattened pair indices")
def bigram_counts(ids, vocab_size):
    ids = np.asarray(ids, dtype=np.int64)
    flat = ids[:-1] * vocab_size + ids[1:]
    return np.bincount(flat, minlength=vocab_size * vocab_size).reshape(vocab_size, vocab_size)


# --- bigram_probs ------------------------------------------------------------


@wrong("bigram_probs", "divides by c_i + alpha instead of c_i + alpha * V")
def bigram_probs(counts, alpha=1.0):
    counts = np.asarray(counts, dtype=float)
    return (counts + alpha) / (counts.sum(axis=1, keepdims=True) + alpha)


@wrong("bigram_probs", "normalises over the whole table")
def bigram_probs(counts, alpha=1.0):
    smoothed = np.asarray(counts, dtype=float) + alpha
    return smoothed / smoothed.sum()


@wrong("bigram_probs", "normalises the columns")
def bigram_probs(counts, alpha=1.0):
    smoothed = np.asarray(counts, dtype=float) + alpha
    return smoothed / smoothed.sum(axis=0, keepdims=True)


@wrong("bigram_probs", "adds alpha in place and changes the caller's counts")
def bigram_probs(counts, alpha=1.0):
    counts = np.asarray(counts)
    if counts.dtype.kind == "f":
        counts += alpha
    else:
        counts = counts + alpha
    return counts / counts.sum(axis=1, keepdims=True)


@correct("bigram_probs", "divides by c_i + alpha * V explicitly")
def bigram_probs(counts, alpha=1.0):
    counts = np.array(counts, dtype=float)
    V = counts.shape[1]
    return (counts + alpha) / (counts.sum(axis=1)[:, None] + alpha * V)


# --- nll ---------------------------------------------------------------------


@wrong("nll", "uses log base 2")
def nll(probs, ids):
    probs, ids = np.asarray(probs, dtype=float), np.asarray(ids)
    return float(-np.mean(np.log2(probs[ids[:-1], ids[1:]])))


@wrong("nll", "sums instead of averaging")
def nll(probs, ids):
    probs, ids = np.asarray(probs, dtype=float), np.asarray(ids)
    return float(-np.sum(np.log(probs[ids[:-1], ids[1:]])))


@wrong("nll", "reads probs[next, current]")
def nll(probs, ids):
    probs, ids = np.asarray(probs, dtype=float), np.asarray(ids)
    return float(-np.mean(np.log(probs[ids[1:], ids[:-1]])))


@wrong("nll", "divides by len(ids) instead of the number of transitions")
def nll(probs, ids):
    probs, ids = np.asarray(probs, dtype=float), np.asarray(ids)
    return float(-np.sum(np.log(probs[ids[:-1], ids[1:]])) / len(ids))


@wrong("nll", "adds 1e-10 inside the log")
def nll(probs, ids):
    probs, ids = np.asarray(probs, dtype=float), np.asarray(ids)
    return float(-np.mean(np.log(probs[ids[:-1], ids[1:]] + 1e-10)))


@correct("nll", "a Python loop over transitions")
def nll(probs, ids):
    total = 0.0
    for a, b in zip(ids[:-1], ids[1:]):
        p = float(np.asarray(probs[a])[b])
        total += np.inf if p == 0 else -np.log(p)
    return total / (len(ids) - 1)


# --- generate ----------------------------------------------------------------


@wrong("generate", "raises the probabilities to the power temperature")
def generate(probs, start_id, n, rng, temperature=1.0):
    probs = np.asarray(probs, dtype=float) ** temperature
    probs = probs / probs.sum(axis=1, keepdims=True)
    out = [int(start_id)]
    for _ in range(n):
        out.append(int(rng.choice(len(probs), p=probs[out[-1]])))
    return out


@wrong("generate", "samples with the global np.random")
def generate(probs, start_id, n, rng, temperature=1.0):
    probs = np.asarray(probs, dtype=float) ** (1.0 / temperature)
    probs = probs / probs.sum(axis=1, keepdims=True)
    out = [int(start_id)]
    for _ in range(n):
        out.append(int(np.random.choice(len(probs), p=probs[out[-1]])))
    return out


@wrong("generate", "returns only the n new ids")
def generate(probs, start_id, n, rng, temperature=1.0):
    probs = np.asarray(probs, dtype=float) ** (1.0 / temperature)
    probs = probs / probs.sum(axis=1, keepdims=True)
    out, current = [], int(start_id)
    for _ in range(n):
        current = int(rng.choice(len(probs), p=probs[current]))
        out.append(current)
    return out


@wrong("generate", "samples from the column of the current id")
def generate(probs, start_id, n, rng, temperature=1.0):
    probs = np.asarray(probs, dtype=float).T ** (1.0 / temperature)
    probs = probs / probs.sum(axis=1, keepdims=True)
    out = [int(start_id)]
    for _ in range(n):
        out.append(int(rng.choice(len(probs), p=probs[out[-1]])))
    return out


@wrong("generate", "divides probabilities (not log-probabilities) by the temperature inside a softmax")
def generate(probs, start_id, n, rng, temperature=1.0):
    z = np.asarray(probs, dtype=float) / temperature
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    out = [int(start_id)]
    for _ in range(n):
        out.append(int(rng.choice(len(probs), p=probs[out[-1]])))
    return out


@correct("generate", "inverse-CDF sampling of softmax(log p / T) with rng.random")
def generate(probs, start_id, n, rng, temperature=1.0):
    with np.errstate(divide="ignore"):
        logp = np.log(np.asarray(probs, dtype=float)) / temperature
    out = [int(start_id)]
    for _ in range(n):
        row = logp[out[-1]]
        w = np.exp(row - row.max())
        cdf = np.cumsum(w / w.sum())
        out.append(int(min(np.searchsorted(cdf, rng.random(), side="right"), len(cdf) - 1)))
    return out
