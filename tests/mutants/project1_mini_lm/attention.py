"""project1_mini_lm variants, part two: the forward pass and training of the attention model."""
import numpy as np

from harness.mutants import correct, wrong

# --- attention_lm_forward ----------------------------------------------------


@wrong("attention_lm_forward", "normalises the attention weights over the whole matrix")
def attention_lm_forward(params, ids):
    ids = np.asarray(ids)
    T, d = ids.shape[1], params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][:T]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    scores = np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf)
    e = np.exp(scores - scores.max(axis=(-2, -1), keepdims=True))
    A = e / e.sum(axis=(-2, -1), keepdims=True)
    h = x + A @ v
    return h @ params["W_out"] + params["b_out"], (ids, x, q, k, v, A, h)


@wrong("attention_lm_forward", "forgets the causal mask")
def attention_lm_forward(params, ids):
    ids = np.asarray(ids)
    T, d = ids.shape[1], params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][:T]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    A = e / e.sum(axis=-1, keepdims=True)
    h = x + A @ v
    return h @ params["W_out"] + params["b_out"], (ids, x, q, k, v, A, h)


@wrong("attention_lm_forward", "does not subtract the maximum score before exp")
def attention_lm_forward(params, ids):
    ids = np.asarray(ids)
    T, d = ids.shape[1], params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][:T]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    e = np.exp(scores) * np.tril(np.ones((T, T)))
    A = e / e.sum(axis=-1, keepdims=True)
    h = x + A @ v
    return h @ params["W_out"] + params["b_out"], (ids, x, q, k, v, A, h)


@wrong("attention_lm_forward", "does not scale the scores by 1 / sqrt(d)")
def attention_lm_forward(params, ids):
    ids = np.asarray(ids)
    T = ids.shape[1]
    x = params["token_embedding"][ids] + params["position_embedding"][:T]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    scores = np.where(np.tril(np.ones((T, T), dtype=bool)), q @ np.swapaxes(k, -1, -2), -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    A = e / e.sum(axis=-1, keepdims=True)
    h = x + A @ v
    return h @ params["W_out"] + params["b_out"], (ids, x, q, k, v, A, h)


@wrong("attention_lm_forward", "drops the residual connection")
def attention_lm_forward(params, ids):
    ids = np.asarray(ids)
    T, d = ids.shape[1], params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][:T]
    q, k, v = x @ params["W_q"], x @ params["W_k"], x @ params["W_v"]
    scores = np.where(np.tril(np.ones((T, T), dtype=bool)), q @ np.swapaxes(k, -1, -2) / np.sqrt(d), -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    A = e / e.sum(axis=-1, keepdims=True)
    h = A @ v
    return h @ params["W_out"] + params["b_out"], (ids, x, q, k, v, A, h)


@correct("attention_lm_forward", "einsum with a large negative mask value")
def attention_lm_forward(params, ids):
    ids = np.asarray(ids)
    T, d = ids.shape[1], params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][np.arange(T)]
    q = np.einsum("btd,de->bte", x, params["W_q"])
    k = np.einsum("btd,de->bte", x, params["W_k"])
    v = np.einsum("btd,de->bte", x, params["W_v"])
    scores = np.einsum("bid,bjd->bij", q, k) / d ** 0.5
    scores = scores + np.triu(np.full((T, T), -1e300), k=1)
    scores = np.maximum(scores, -1e300)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    A = e / e.sum(axis=-1, keepdims=True)
    h = x + np.einsum("bij,bjd->bid", A, v)
    return np.einsum("btd,dv->btv", h, params["W_out"]) + params["b_out"], (ids, x, q, k, v, A, h)


# --- train_attention_lm ------------------------------------------------------


@wrong("train_attention_lm", "climbs the gradient (adds the Adam step)")
def train_attention_lm(train_ids, vocab_size, context=32, d_model=48, n_steps=400,
                       batch_size=32, learning_rate=0.01, seed=0):
    train_ids = np.asarray(train_ids)
    rng = np.random.default_rng(seed)
    params = init_attention_lm(vocab_size, context, d_model, seed)
    m = {k: np.zeros_like(p) for k, p in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    losses = []
    for t in range(1, n_steps + 1):
        starts = rng.integers(0, len(train_ids) - context, size=batch_size)
        w = train_ids[starts[:, None] + np.arange(context + 1)]
        loss, grads = attention_lm_loss_and_grads(params, w[:, :-1], w[:, 1:])
        losses.append(loss)
        for k in params:
            m[k] = 0.9 * m[k] + 0.1 * grads[k]
            v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
            params[k] = params[k] + learning_rate * (m[k] / (1 - 0.9 ** t)) / (
                np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    return params, losses


@wrong("train_attention_lm", "draws windows with the global np.random")
def train_attention_lm(train_ids, vocab_size, context=32, d_model=48, n_steps=400,
                       batch_size=32, learning_rate=0.01, seed=0):
    train_ids = np.asarray(train_ids)
    params = init_attention_lm(vocab_size, context, d_model, seed)
    m = {k: np.zeros_like(p) for k, p in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    losses = []
    for t in range(1, n_steps + 1):
        starts = np.random.randint(0, len(train_ids) - context, size=batch_size)
        w = train_ids[starts[:, None] + np.arange(context + 1)]
        loss, grads = attention_lm_loss_and_grads(params, w[:, :-1], w[:, 1:])
        losses.append(loss)
        for k in params:
            m[k] = 0.9 * m[k] + 0.1 * grads[k]
            v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
            params[k] = params[k] - learning_rate * (m[k] / (1 - 0.9 ** t)) / (
                np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    return params, losses


@wrong("train_attention_lm", "plain gradient descent instead of Adam")
def train_attention_lm(train_ids, vocab_size, context=32, d_model=48, n_steps=400,
                       batch_size=32, learning_rate=0.01, seed=0):
    train_ids = np.asarray(train_ids)
    rng = np.random.default_rng(seed)
    params = init_attention_lm(vocab_size, context, d_model, seed)
    losses = []
    for _ in range(n_steps):
        starts = rng.integers(0, len(train_ids) - context, size=batch_size)
        w = train_ids[starts[:, None] + np.arange(context + 1)]
        loss, grads = attention_lm_loss_and_grads(params, w[:, :-1], w[:, 1:])
        losses.append(loss)
        params = {k: p - learning_rate * grads[k] for k, p in params.items()}
    return params, losses


@wrong("train_attention_lm", "trains on one fixed batch")
def train_attention_lm(train_ids, vocab_size, context=32, d_model=48, n_steps=400,
                       batch_size=32, learning_rate=0.01, seed=0):
    train_ids = np.asarray(train_ids)
    rng = np.random.default_rng(seed)
    params = init_attention_lm(vocab_size, context, d_model, seed)
    m = {k: np.zeros_like(p) for k, p in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    starts = rng.integers(0, len(train_ids) - context, size=batch_size)
    w = train_ids[starts[:, None] + np.arange(context + 1)]
    losses = []
    for t in range(1, n_steps + 1):
        loss, grads = attention_lm_loss_and_grads(params, w[:, :-1], w[:, 1:])
        losses.append(loss)
        for k in params:
            m[k] = 0.9 * m[k] + 0.1 * grads[k]
            v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
            params[k] = params[k] - learning_rate * (m[k] / (1 - 0.9 ** t)) / (
                np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    return params, losses


@correct("train_attention_lm", "Adam state in lists, windows from sliding_window_view")
def train_attention_lm(train_ids, vocab_size, context=32, d_model=48, n_steps=400,
                       batch_size=32, learning_rate=0.01, seed=0):
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(train_ids), context + 1)
    rng = np.random.default_rng(seed)
    params = init_attention_lm(vocab_size, context, d_model, seed)
    names = list(params)
    m = [np.zeros_like(params[k]) for k in names]
    v = [np.zeros_like(params[k]) for k in names]
    b1, b2, eps = 0.9, 0.999, 1e-8
    losses = []
    for t in range(1, n_steps + 1):
        w = windows[rng.integers(0, len(windows), size=batch_size)]
        loss, grads = attention_lm_loss_and_grads(params, w[:, :-1], w[:, 1:])
        losses.append(float(loss))
        for i, k in enumerate(names):
            m[i] = b1 * m[i] + (1 - b1) * grads[k]
            v[i] = b2 * v[i] + (1 - b2) * grads[k] ** 2
            params[k] = params[k] - learning_rate * (m[i] / (1 - b1 ** t)) / (np.sqrt(v[i] / (1 - b2 ** t)) + eps)
    params = dict(params)
    return params, losses
