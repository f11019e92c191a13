"""project1_mini_lm variants, part two: the forward pass and training of the attention model (the
edits change one spot of the reference answer)."""
import numpy as np

from harness.mutants import correct, wrong, wrong_edit

# --- attention_lm_forward ----------------------------------------------------


wrong_edit("attention_lm_forward", "normalises the attention weights over the whole matrix",
           """    scores = scores - scores.max(axis=-1, keepdims=True)
    A = np.exp(scores)
    A = A / A.sum(axis=-1, keepdims=True)""",
           """    scores = scores - scores.max(axis=(-2, -1), keepdims=True)
    A = np.exp(scores)
    A = A / A.sum(axis=(-2, -1), keepdims=True)""")
wrong_edit("attention_lm_forward", "forgets the causal mask", "    scores = np.where(future, -np.inf, scores)\n", "")
wrong_edit("attention_lm_forward", "does not subtract the maximum score before exp",
           "    scores = scores - scores.max(axis=-1, keepdims=True)\n", "")
wrong_edit("attention_lm_forward", "does not scale the scores by 1 / sqrt(d)",
           "q @ np.swapaxes(k, -1, -2) / np.sqrt(d)", "q @ np.swapaxes(k, -1, -2)")
wrong_edit("attention_lm_forward", "drops the residual connection", "h = x + A @ v", "h = A @ v")


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


wrong_edit("train_attention_lm", "climbs the gradient (adds the Adam step)",
           "params[name] = params[name] - learning_rate", "params[name] = params[name] + learning_rate")
wrong_edit("train_attention_lm", "draws windows with the global np.random",
           "starts = batch_rng.integers(0, len(train_ids) - context, size=batch_size)",
           "starts = np.random.randint(0, len(train_ids) - context, size=batch_size)")
wrong_edit("train_attention_lm", "plain gradient descent instead of Adam",
           """            m[name] = 0.9 * m[name] + 0.1 * grads[name]
            v[name] = 0.999 * v[name] + 0.001 * grads[name] ** 2
            m_hat, v_hat = m[name] / (1 - 0.9 ** t), v[name] / (1 - 0.999 ** t)
            params[name] = params[name] - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)""",
           """            params[name] = params[name] - learning_rate * grads[name]""")
wrong_edit("train_attention_lm", "trains on one fixed batch",
           """    for t in range(1, n_steps + 1):
        starts = batch_rng.integers(0, len(train_ids) - context, size=batch_size)""",
           """    starts = batch_rng.integers(0, len(train_ids) - context, size=batch_size)
    for t in range(1, n_steps + 1):""")


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
