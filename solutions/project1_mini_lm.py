"""project1_mini_lm: a character-level language model, bigram then one-layer attention."""
import numpy as np


def build_vocab(text):
    """The vocabulary of a text: its sorted unique characters.

    Returns (stoi, itos): itos is the list of the unique characters of `text`
    in sorted order, and stoi the dict mapping each character to its index in
    itos (so stoi[itos[i]] == i). An empty text gives ({}, []).
    """
    itos = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(itos)}
    return stoi, itos


def encode(text, stoi):
    """The ids of the characters of `text`: an integer ndarray of shape (len(text),)."""
    return np.array([stoi[ch] for ch in text], dtype=np.int64)


def decode(ids, itos):
    """The string whose characters are itos[i] for each id i in `ids` (a list or 1-D array)."""
    return "".join(itos[int(i)] for i in ids)


def bigram_counts(ids, vocab_size):
    """Counts of consecutive pairs: a (vocab_size, vocab_size) integer array.

    counts[i, j] is the number of positions t with ids[t] == i and ids[t + 1] == j
    (how often j follows i). `ids` is a 1-D array-like of ints in [0, vocab_size).
    """
    ids = np.asarray(ids, dtype=np.int64)
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    # np.add.at adds once per occurrence; counts[a, b] += 1 would count a repeated pair once.
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    return counts


def bigram_probs(counts, alpha=1.0):
    """Next-character probabilities with add-alpha smoothing.

    probs[i, j] = (counts[i, j] + alpha) / sum_k (counts[i, k] + alpha), so every
    row is a probability distribution over the next character (rows sum to 1).
    Returns a float array of the shape of `counts`.
    """
    smoothed = np.asarray(counts, dtype=float) + alpha
    return smoothed / smoothed.sum(axis=1, keepdims=True)


def nll(probs, ids):
    """Mean negative log-likelihood, in nats, of each next id under a bigram model.

    The mean over t = 0 .. len(ids) - 2 of -log probs[ids[t], ids[t + 1]]
    (natural log). It is inf when some transition has probability 0.
    """
    probs = np.asarray(probs, dtype=float)
    ids = np.asarray(ids, dtype=np.int64)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(probs[ids[:-1], ids[1:]])))


def generate(probs, start_id, n, rng, temperature=1.0):
    """Sample n more ids from a bigram model, starting at start_id.

    Each next id is drawn, with the numpy Generator `rng`, from row
    probs[current] raised to the power 1 / temperature and renormalised
    (temperature > 0; below 1 sharpens, above 1 flattens the distribution).
    Returns a list of n + 1 ints whose first element is start_id. The same
    seeded rng gives the same list.
    """
    probs = np.asarray(probs, dtype=float)
    tempered = probs ** (1.0 / temperature)
    tempered = tempered / tempered.sum(axis=1, keepdims=True)
    out = [int(start_id)]
    for _ in range(n):
        out.append(int(rng.choice(len(tempered), p=tempered[out[-1]])))
    return out


def attention_lm_forward(params, ids):
    """Logits of the one-layer causal self-attention language model.

    params holds "token_embedding" (V, d), "position_embedding" (context, d),
    "W_q", "W_k", "W_v" (d, d), "W_out" (d, V) and "b_out" (V,). ids is an int
    array (B, T) with T <= context. With x = token_embedding[ids] + position_embedding[:T]:

        q, k, v = x W_q, x W_k, x W_v
        A = softmax over the last axis of (q k^T / sqrt(d)), with A[b, i, j] = 0 for j > i
        h = x + A v                       (residual connection)
        logits = h W_out + b_out          (B, T, V)

    logits[b, t] only depends on ids[b, :t + 1]. Stable for large scores.
    Returns (logits, cache): cache is anything your backward pass needs.
    """
    ids = np.asarray(ids, dtype=np.int64)
    T = ids.shape[1]
    d = params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][:T]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    scores = np.where(future, -np.inf, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    A = np.exp(scores)
    A = A / A.sum(axis=-1, keepdims=True)
    h = x + A @ v
    logits = h @ params["W_out"] + params["b_out"]
    return logits, (ids, x, q, k, v, A, h)


def softmax_rows_backward(A, dA):
    """Backward pass of a softmax taken over the last axis: the gradient with respect to its scores.

    A = softmax(S) row by row and dA is the gradient of the loss with respect to A
    (both of any shape (..., n), the same). For each row a with upstream gradient g,
    dS = a * (g - sum_j g_j a_j): the Jacobian of softmax, diag(a) - a a^T, applied
    to g. Entries with A = 0 (masked scores) get 0. Returns an array of the shape of A.
    """
    A = np.asarray(A, dtype=float)
    dA = np.asarray(dA, dtype=float)
    return A * (dA - (dA * A).sum(axis=-1, keepdims=True))


def attention_block_backward(params, x, A, dh):
    """Backward pass of the attention block h = x + A v of attention_lm_forward.

    x (B, T, d) is the block's input, A (B, T, T) its causal attention weights
    softmax(q k^T / sqrt(d)) with q, k, v = x W_q, x W_k, x W_v, and dh (B, T, d) the
    gradient of the loss with respect to h. Only params["W_q"], params["W_k"] and
    params["W_v"] are read. Returns (dx, grads): dx (B, T, d), the gradient with
    respect to x along every path (the residual and through q, k and v), and grads,
    a dict of the gradients of "W_q", "W_k" and "W_v". Uses softmax_rows_backward.
    """
    x, A, dh = (np.asarray(a, dtype=float) for a in (x, A, dh))
    W_q, W_k, W_v = params["W_q"], params["W_k"], params["W_v"]
    d = W_q.shape[0]
    q, k, v = x @ W_q, x @ W_k, x @ W_v
    dA = dh @ np.swapaxes(v, -1, -2)
    dv = np.swapaxes(A, -1, -2) @ dh
    dscores = softmax_rows_backward(A, dA) / np.sqrt(d)
    dq = dscores @ k
    dk = np.swapaxes(dscores, -1, -2) @ q
    flat_x = x.reshape(-1, d)
    grads = {name: flat_x.T @ g.reshape(-1, d) for name, g in [("W_q", dq), ("W_k", dk), ("W_v", dv)]}
    dx = dh + dq @ W_q.T + dk @ W_k.T + dv @ W_v.T
    return dx, grads


def embedding_backward(ids, dx, vocab_size, context):
    """Gradients of the two embedding tables, from dx = d loss / dx.

    x = token_embedding[ids] + position_embedding[:T] for ids (B, T); dx is (B, T, d).
    Returns (d_token, d_position) of shapes (vocab_size, d) and (context, d): row i of
    d_token is the sum of dx over every position where ids == i (a character used
    twice gets both gradients), row t of d_position the sum of dx[:, t] over the
    batch; rows of unused characters and of positions t >= T are 0.
    """
    ids = np.asarray(ids, dtype=np.int64)
    dx = np.asarray(dx, dtype=float)
    d_token = np.zeros((vocab_size, dx.shape[-1]))
    np.add.at(d_token, ids, dx)  # d_token[ids] += dx would keep one of the repeated rows
    d_position = np.zeros((context, dx.shape[-1]))
    d_position[:ids.shape[1]] = dx.sum(axis=0)
    return d_token, d_position


def attention_lm_loss_and_grads(params, ids, targets):
    """Mean cross-entropy (nats) of the model on (ids, targets), and its gradients.

    ids and targets are int arrays (B, T); targets[b, t] is the id that follows
    ids[b, t]. loss = mean over all B*T positions of -log softmax(logits[b, t])[targets[b, t]].
    Returns (loss, grads): grads is a dict with the keys and shapes of params.
    Uses attention_lm_forward, attention_block_backward and embedding_backward;
    params are left unchanged.
    """
    logits, (ids, x, q, k, v, A, h) = attention_lm_forward(params, ids)
    targets = np.asarray(targets, dtype=np.int64)
    B, T, V = logits.shape
    d = x.shape[-1]
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    loss = -np.take_along_axis(log_probs, targets[..., None], axis=-1).mean()

    dlogits = np.exp(log_probs)
    dlogits[np.arange(B)[:, None], np.arange(T)[None, :], targets] -= 1.0
    dlogits /= B * T
    grads = {"W_out": h.reshape(-1, d).T @ dlogits.reshape(-1, V), "b_out": dlogits.sum(axis=(0, 1))}
    dh = dlogits @ params["W_out"].T
    dx, block_grads = attention_block_backward(params, x, A, dh)
    grads.update(block_grads)
    grads["token_embedding"], grads["position_embedding"] = embedding_backward(
        ids, dx, params["token_embedding"].shape[0], params["position_embedding"].shape[0])
    return float(loss), grads


def train_attention_lm(train_ids, vocab_size, context=32, d_model=48, n_steps=400,
                       batch_size=32, learning_rate=0.01, seed=0):
    """Train the attention model with Adam on random windows of train_ids.

    Starts from init_attention_lm(vocab_size, context, d_model, seed). Each step
    draws batch_size windows of context + 1 consecutive ids at random start
    positions (np.random.default_rng(seed), never the global state), takes
    ids = window[:, :-1] and targets = window[:, 1:], and makes one Adam step
    (beta1 = 0.9, beta2 = 0.999, eps = 1e-8, with bias correction) on every
    parameter. Returns (params, losses): the trained parameters and the list
    of the n_steps batch losses. The same seed gives the same result.
    """
    train_ids = np.asarray(train_ids, dtype=np.int64)
    batch_rng = np.random.default_rng(seed)
    params = init_attention_lm(vocab_size, context, d_model, seed)
    m = {name: np.zeros_like(p) for name, p in params.items()}
    v = {name: np.zeros_like(p) for name, p in params.items()}
    losses = []
    for t in range(1, n_steps + 1):
        starts = batch_rng.integers(0, len(train_ids) - context, size=batch_size)
        windows = train_ids[starts[:, None] + np.arange(context + 1)]
        loss, grads = attention_lm_loss_and_grads(params, windows[:, :-1], windows[:, 1:])
        losses.append(loss)
        for name in params:
            m[name] = 0.9 * m[name] + 0.1 * grads[name]
            v[name] = 0.999 * v[name] + 0.001 * grads[name] ** 2
            m_hat, v_hat = m[name] / (1 - 0.9 ** t), v[name] / (1 - 0.999 ** t)
            params[name] = params[name] - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return params, losses
