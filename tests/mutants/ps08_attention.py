"""Variants of the ps08_attention answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, wrong

# --- scaled_dot_product_attention --------------------------------------------------


@wrong("scaled_dot_product_attention", "the seed's global softmax over the whole matrix")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=(-2, -1), keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "forgets to divide by sqrt(d_k)")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "softmax over the query axis instead of the key axis")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        scores = np.where(mask, scores, -1e9)
    e = np.exp(scores - scores.max(axis=-2, keepdims=True))
    weights = e / e.sum(axis=-2, keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "multiplies the weights by the mask without renormalising")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if not np.broadcast_to(mask, weights.shape).any(axis=-1).all():
            raise ValueError("fully masked row")
        weights = weights * mask
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "fills masked scores with -1e4, which leaks for large negative scores")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        scores = np.where(mask, scores, -1e4)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "softmax, then mask and renormalise: NaN when a masked key dominates")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), weights.shape)
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        weights = weights * mask
        weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "no max subtraction, overflows for large scores")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores)
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "no error for a fully masked row, which gets uniform weights")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


@wrong("scaled_dot_product_attention", "uses K.T, which reverses the batch axes too")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("fully masked row")
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ V, weights


@correct("scaled_dot_product_attention", "einsum, a -1e9 fill and an explicit check")
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = np.einsum("...id,...jd->...ij", Q, K) / np.sqrt(Q.shape[-1])
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        if np.any(~mask.any(axis=-1)):
            raise ValueError("every key is masked for some query")
        scores = np.where(mask, scores, -1e9)
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= np.sum(weights, axis=-1, keepdims=True)
    return np.einsum("...ij,...jv->...iv", weights, V), weights


@correct("scaled_dot_product_attention", "stable softmax as exp(scores - scipy.special.logsumexp(scores))")
def scaled_dot_product_attention(Q, K, V, mask=None):
    from scipy.special import logsumexp
    Q, K, V = np.asarray(Q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        if not mask.any(axis=-1).all():
            raise ValueError("a query row has every key masked")
        scores = np.where(mask, scores, -np.inf)
    weights = np.exp(scores - logsumexp(scores, axis=-1, keepdims=True))
    return weights @ V, weights


# --- causal_mask --------------------------------------------------------------------


@wrong("causal_mask", "excludes the diagonal")
def causal_mask(n):
    return np.tril(np.ones((n, n), dtype=bool), k=-1)


@wrong("causal_mask", "upper triangle: attends to the future")
def causal_mask(n):
    return np.triu(np.ones((n, n), dtype=bool))


@wrong("causal_mask", "returns floats, not booleans")
def causal_mask(n):
    return np.tril(np.ones((n, n)))


@correct("causal_mask", "compares index grids")
def causal_mask(n):
    i = np.arange(n)
    return i[None, :] <= i[:, None]


# --- split_heads --------------------------------------------------------------------


@wrong("split_heads", "reshape(n_heads, n, d_head) without a transpose")
def split_heads(X, n_heads):
    X = np.asarray(X, dtype=float)
    n, d_model = X.shape
    if d_model % n_heads:
        raise ValueError("not divisible")
    return X.reshape(n_heads, n, d_model // n_heads)


@wrong("split_heads", "interleaves columns: head h gets columns h, h + n_heads, ...")
def split_heads(X, n_heads):
    X = np.asarray(X, dtype=float)
    n, d_model = X.shape
    if d_model % n_heads:
        raise ValueError("not divisible")
    return X.reshape(n, d_model // n_heads, n_heads).transpose(2, 0, 1)


@wrong("split_heads", "slices without checking divisibility and drops columns")
def split_heads(X, n_heads):
    X = np.asarray(X, dtype=float)
    d = X.shape[1] // n_heads
    return np.stack([X[:, h * d:(h + 1) * d] for h in range(n_heads)])


@wrong("split_heads", "returns (n, n_heads, d_head)")
def split_heads(X, n_heads):
    X = np.asarray(X, dtype=float)
    n, d_model = X.shape
    if d_model % n_heads:
        raise ValueError("not divisible")
    return X.reshape(n, n_heads, d_model // n_heads)


@correct("split_heads", "stacks column slices after checking divisibility")
def split_heads(X, n_heads):
    X = np.array(X, dtype=float)
    if X.shape[1] % n_heads != 0:
        raise ValueError("d_model must be divisible by n_heads")
    return np.stack(np.split(X, n_heads, axis=1))


# --- merge_heads --------------------------------------------------------------------


@wrong("merge_heads", "reshape(n, -1) without a transpose")
def merge_heads(H):
    H = np.asarray(H, dtype=float)
    return H.reshape(H.shape[1], -1)


@wrong("merge_heads", "concatenates along the rows")
def merge_heads(H):
    return np.concatenate(list(np.asarray(H, dtype=float)), axis=0)


@wrong("merge_heads", "interleaves the heads' columns")
def merge_heads(H):
    H = np.asarray(H, dtype=float)
    return H.transpose(1, 2, 0).reshape(H.shape[1], -1)


@correct("merge_heads", "np.concatenate of the heads along the columns")
def merge_heads(H):
    return np.concatenate([np.asarray(h, dtype=float) for h in H], axis=1)


# --- multi_head_attention ---------------------------------------------------------------


@wrong("multi_head_attention", "scales by sqrt(d_model) instead of sqrt(d_head)")
def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    X = np.asarray(X, dtype=float)
    d_model = X.shape[1]
    Q, K, V = (split_heads(X @ W, n_heads) for W in (W_q, W_k, W_v))
    scale = np.sqrt(d_model / (d_model // n_heads))
    out, w = scaled_dot_product_attention(Q / scale, K, V, mask=mask)
    return merge_heads(out) @ W_o, w


@wrong("multi_head_attention", "forgets the output projection W_o")
def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    X = np.asarray(X, dtype=float)
    Q, K, V = (split_heads(X @ W, n_heads) for W in (W_q, W_k, W_v))
    out, w = scaled_dot_product_attention(Q, K, V, mask=mask)
    return merge_heads(out), w


@wrong("multi_head_attention", "ignores n_heads and runs one big head")
def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    X = np.asarray(X, dtype=float)
    out, w = scaled_dot_product_attention(X @ W_q, X @ W_k, X @ W_v, mask=mask)
    return out @ W_o, np.broadcast_to(w, (n_heads,) + w.shape)


@wrong("multi_head_attention", "uses W_q for the keys too")
def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    X = np.asarray(X, dtype=float)
    Q, K, V = (split_heads(X @ W, n_heads) for W in (W_q, W_q, W_v))
    out, w = scaled_dot_product_attention(Q, K, V, mask=mask)
    return merge_heads(out) @ W_o, w


@wrong("multi_head_attention", "drops the mask")
def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    X = np.asarray(X, dtype=float)
    Q, K, V = (split_heads(X @ W, n_heads) for W in (W_q, W_k, W_v))
    out, w = scaled_dot_product_attention(Q, K, V)
    return merge_heads(out) @ W_o, w


@correct("multi_head_attention", "loops over heads with column slices")
def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    X = np.asarray(X, dtype=float)
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    d = X.shape[1] // n_heads
    outs, weights = [], []
    for h in range(n_heads):
        cols = slice(h * d, (h + 1) * d)
        o, w = scaled_dot_product_attention(Q[:, cols], K[:, cols], V[:, cols], mask)
        outs.append(o)
        weights.append(w)
    return np.hstack(outs) @ W_o, np.array(weights)


# --- plot_attention --------------------------------------------------------------------


@wrong("plot_attention", "plots the transposed matrix (queries on x)")
def plot_attention(weights, tokens):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    im = ax.imshow(np.asarray(weights).T)
    ax.set_xticks(range(len(tokens)), labels=tokens)
    ax.set_yticks(range(len(tokens)), labels=tokens)
    fig.colorbar(im, ax=ax)
    return fig


@wrong("plot_attention", "no colorbar")
def plot_attention(weights, tokens):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.imshow(weights)
    ax.set_xticks(range(len(tokens)), labels=tokens)
    ax.set_yticks(range(len(tokens)), labels=tokens)
    return fig


@wrong("plot_attention", "leaves the default numeric ticks")
def plot_attention(weights, tokens):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    fig.colorbar(ax.imshow(weights), ax=ax)
    ax.set_title(" ".join(tokens))
    return fig


@wrong("plot_attention", "labels only the x axis")
def plot_attention(weights, tokens):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    fig.colorbar(ax.imshow(weights), ax=ax)
    ax.set_xticks(range(len(tokens)), labels=tokens)
    return fig


@correct("plot_attention", "pcolormesh with centred ticks and an inverted y axis")
def plot_attention(weights, tokens):
    import matplotlib.pyplot as plt
    weights = np.asarray(weights, dtype=float)
    fig, ax = plt.subplots()
    mesh = ax.pcolormesh(weights, cmap="magma")
    ax.set_xticks(np.arange(len(tokens)) + 0.5)
    ax.set_xticklabels(tokens)
    ax.set_yticks(np.arange(len(tokens)) + 0.5)
    ax.set_yticklabels(tokens)
    ax.invert_yaxis()
    fig.colorbar(mesh)
    return fig


@correct("plot_attention", "matshow with ticks on top")
def plot_attention(weights, tokens):
    import matplotlib.pyplot as plt
    fig = plt.figure()
    ax = fig.add_subplot()
    cax = ax.matshow(weights)
    ax.set_xticks(range(len(tokens)))
    ax.set_xticklabels(tokens, rotation=90)
    ax.set_yticks(range(len(tokens)))
    ax.set_yticklabels(tokens)
    plt.colorbar(cax, ax=ax)
    return fig
