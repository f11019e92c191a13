"""project1_mini_lm variants: attention_lm_loss_and_grads, built on the notebook's forward pass and
backward steps unless a variant says otherwise."""
import numpy as np

from harness.mutants import correct, wrong


@wrong("attention_lm_loss_and_grads", "does not divide dlogits by the number of positions")
def attention_lm_loss_and_grads(params, ids, targets):
    logits, (ids, x, q, k, v, A, h) = attention_lm_forward(params, ids)
    B, T, V = logits.shape
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    loss = -np.take_along_axis(logp, np.asarray(targets)[..., None], axis=-1).mean()
    dl = np.exp(logp)
    dl[np.arange(B)[:, None], np.arange(T), targets] -= 1
    g = {"W_out": h.reshape(B * T, -1).T @ dl.reshape(B * T, V), "b_out": dl.sum(axis=(0, 1))}
    dx, block = attention_block_backward(params, x, A, dl @ params["W_out"].T)
    g.update(block)
    g["token_embedding"], g["position_embedding"] = embedding_backward(
        ids, dx, V, params["position_embedding"].shape[0])
    return float(loss), g


@wrong("attention_lm_loss_and_grads", "averages the b_out gradient instead of summing it")
def attention_lm_loss_and_grads(params, ids, targets):
    logits, (ids, x, q, k, v, A, h) = attention_lm_forward(params, ids)
    B, T, V = logits.shape
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    loss = -np.take_along_axis(logp, np.asarray(targets)[..., None], axis=-1).mean()
    dl = np.exp(logp)
    dl[np.arange(B)[:, None], np.arange(T), targets] -= 1
    dl /= B * T
    g = {"W_out": h.reshape(B * T, -1).T @ dl.reshape(B * T, V), "b_out": dl.mean(axis=(0, 1))}
    dx, block = attention_block_backward(params, x, A, dl @ params["W_out"].T)
    g.update(block)
    g["token_embedding"], g["position_embedding"] = embedding_backward(
        ids, dx, V, params["position_embedding"].shape[0])
    return float(loss), g


@wrong("attention_lm_loss_and_grads", "hands the block its output h instead of its input x")
def attention_lm_loss_and_grads(params, ids, targets):
    logits, (ids, x, q, k, v, A, h) = attention_lm_forward(params, ids)
    B, T, V = logits.shape
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    loss = -np.take_along_axis(logp, np.asarray(targets)[..., None], axis=-1).mean()
    dl = np.exp(logp)
    dl[np.arange(B)[:, None], np.arange(T), targets] -= 1
    dl /= B * T
    g = {"W_out": h.reshape(B * T, -1).T @ dl.reshape(B * T, V), "b_out": dl.sum(axis=(0, 1))}
    dx, block = attention_block_backward(params, h, A, dl @ params["W_out"].T)
    g.update(block)
    g["token_embedding"], g["position_embedding"] = embedding_backward(
        ids, dx, V, params["position_embedding"].shape[0])
    return float(loss), g


@wrong("attention_lm_loss_and_grads", "inline, adds embedding gradients with dE[ids] += dx")
def attention_lm_loss_and_grads(params, ids, targets):
    logits, (ids, x, q, k, v, A, h) = attention_lm_forward(params, ids)
    targets = np.asarray(targets)
    B, T, V = logits.shape
    d = x.shape[-1]
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    loss = -np.take_along_axis(logp, targets[..., None], axis=-1).mean()
    dl = np.exp(logp)
    dl[np.arange(B)[:, None], np.arange(T), targets] -= 1
    dl /= B * T
    g = {"W_out": h.reshape(-1, d).T @ dl.reshape(-1, V), "b_out": dl.sum(axis=(0, 1))}
    dh = dl @ params["W_out"].T
    dA, dv = dh @ np.swapaxes(v, -1, -2), np.swapaxes(A, -1, -2) @ dh
    ds = A * (dA - (dA * A).sum(axis=-1, keepdims=True)) / np.sqrt(d)
    dq, dk = ds @ k, np.swapaxes(ds, -1, -2) @ q
    for name, gg in [("W_q", dq), ("W_k", dk), ("W_v", dv)]:
        g[name] = x.reshape(-1, d).T @ gg.reshape(-1, d)
    dx = dh + dq @ params["W_q"].T + dk @ params["W_k"].T + dv @ params["W_v"].T
    g["token_embedding"] = np.zeros_like(params["token_embedding"])
    g["token_embedding"][ids] += dx
    g["position_embedding"] = np.zeros_like(params["position_embedding"])
    g["position_embedding"][:T] = dx.sum(axis=0)
    return float(loss), g


@correct("attention_lm_loss_and_grads", "inline, einsum throughout and a one-hot embedding gradient")
def attention_lm_loss_and_grads(params, ids, targets):
    logits, (ids, x, q, k, v, A, h) = attention_lm_forward(params, ids)
    targets = np.asarray(targets)
    B, T, V = logits.shape
    d = x.shape[-1]
    z = logits - logits.max(axis=-1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    onehot = np.eye(V)[targets]
    loss = -np.mean(np.sum(onehot * (z - np.log(np.exp(z).sum(axis=-1, keepdims=True))), axis=-1))
    dl = (p - onehot) / (B * T)
    g = {"W_out": np.einsum("btd,btv->dv", h, dl), "b_out": np.einsum("btv->v", dl)}
    dh = np.einsum("btv,dv->btd", dl, params["W_out"])
    dA = np.einsum("bid,bjd->bij", dh, v)
    dv = np.einsum("bij,bid->bjd", A, dh)
    ds = (A * dA - A * np.einsum("bij,bij->bi", A, dA)[..., None]) / np.sqrt(d)
    dq = np.einsum("bij,bjd->bid", ds, k)
    dk = np.einsum("bij,bid->bjd", ds, q)
    g["W_q"] = np.einsum("btd,bte->de", x, dq)
    g["W_k"] = np.einsum("btd,bte->de", x, dk)
    g["W_v"] = np.einsum("btd,bte->de", x, dv)
    dx = dh + dq @ params["W_q"].T + dk @ params["W_k"].T + dv @ params["W_v"].T
    E = np.eye(params["token_embedding"].shape[0])[ids]
    g["token_embedding"] = np.einsum("btv,btd->vd", E, dx)
    g["position_embedding"] = np.zeros_like(params["position_embedding"])
    g["position_embedding"][:T] = np.einsum("btd->td", dx)
    return float(loss), g
