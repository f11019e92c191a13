"""ps08_attention: scaled dot-product attention and multi-head attention."""
import matplotlib.pyplot as plt
import numpy as np


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Scaled dot-product attention: softmax(Q K^T / sqrt(d_k)) V.

    Q (..., n_q, d_k), K (..., n_k, d_k), V (..., n_k, d_v); the leading batch
    dimensions "..." broadcast. mask is None or a boolean array broadcastable
    to (..., n_q, n_k): True means "query i may attend to key j". Masked
    weights are exactly 0, and each row of weights sums to 1 over the keys.
    Numerically stable for large scores.

    Returns (output, weights): output (..., n_q, d_v), weights (..., n_q, n_k).
    Raises ValueError if some query row has every key masked.
    """
    Q = np.asarray(Q, dtype=float)
    K = np.asarray(K, dtype=float)
    V = np.asarray(V, dtype=float)
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(f"incompatible shapes Q {Q.shape}, K {K.shape}, V {V.shape}")
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores, mask = np.broadcast_arrays(scores, np.asarray(mask, dtype=bool))
        if not mask.any(axis=-1).all():
            raise ValueError("a query row has every key masked: its softmax is undefined")
        scores = np.where(mask, scores, -np.inf)
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    weights = exp / exp.sum(axis=-1, keepdims=True)
    return weights @ V, weights


def causal_mask(n):
    """Boolean (n, n) mask for causal (left-to-right) attention: mask[i, j] = (j <= i).

    Query i may attend to itself and to earlier positions, never to later ones.
    """
    return np.tril(np.ones((n, n), dtype=bool))


def split_heads(X, n_heads):
    """Split the columns of X (n, d_model) into n_heads heads.

    Returns an array of shape (n_heads, n, d_head) with d_head = d_model // n_heads,
    where head h holds the columns h*d_head:(h+1)*d_head of X.
    Raises ValueError if d_model is not divisible by n_heads.
    """
    X = np.asarray(X, dtype=float)
    n, d_model = X.shape
    if n_heads <= 0 or d_model % n_heads != 0:
        raise ValueError(f"d_model = {d_model} is not divisible by n_heads = {n_heads}")
    return X.reshape(n, n_heads, d_model // n_heads).transpose(1, 0, 2).copy()


def merge_heads(H):
    """The inverse of split_heads: (n_heads, n, d_head) -> (n, n_heads * d_head).

    Head h fills the columns h*d_head:(h+1)*d_head of the result.
    """
    H = np.asarray(H, dtype=float)
    n_heads, n, d_head = H.shape
    return H.transpose(1, 0, 2).reshape(n, n_heads * d_head)


def multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads, mask=None):
    """Multi-head self-attention of the sequence X (n, d_model).

    Projects Q = X W_q, K = X W_k, V = X W_v (every W is (d_model, d_model)),
    splits each into n_heads heads, runs scaled_dot_product_attention in every
    head (with the optional boolean mask, broadcastable to (n, n)), merges the
    heads and applies the output projection W_o.

    Returns (output, weights): output (n, d_model), weights (n_heads, n, n).
    """
    X = np.asarray(X, dtype=float)
    Qh = split_heads(X @ np.asarray(W_q, dtype=float), n_heads)
    Kh = split_heads(X @ np.asarray(W_k, dtype=float), n_heads)
    Vh = split_heads(X @ np.asarray(W_v, dtype=float), n_heads)
    heads, weights = scaled_dot_product_attention(Qh, Kh, Vh, mask=mask)
    return merge_heads(heads) @ np.asarray(W_o, dtype=float), weights


def plot_attention(weights, tokens):
    """Heatmap of an attention weight matrix (n, n) for the sequence `tokens` (n strings).

    One image (imshow or pcolormesh) of the weights: keys (columns) on the
    x axis, queries (rows) on the y axis, both axes' tick labels equal to
    the tokens, and a colorbar. Returns the matplotlib Figure.
    """
    weights = np.asarray(weights, dtype=float)
    fig, ax = plt.subplots(figsize=(5, 4))
    image = ax.imshow(weights, cmap="viridis", vmin=0.0)
    ax.set_xticks(range(weights.shape[1]), labels=list(tokens), rotation=45)
    ax.set_yticks(range(weights.shape[0]), labels=list(tokens))
    ax.set_xlabel("key (attended to)")
    ax.set_ylabel("query (attending)")
    fig.colorbar(image, ax=ax, label="attention weight")
    fig.tight_layout()
    return fig
