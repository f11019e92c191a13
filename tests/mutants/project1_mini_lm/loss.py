"""project1_mini_lm variants: attention_lm_loss_and_grads, built on the notebook's forward pass and
backward steps unless a variant says otherwise (the edits change one spot of the reference answer)."""
import numpy as np

from harness.mutants import correct, wrong, wrong_edit


wrong_edit("attention_lm_loss_and_grads", "does not divide dlogits by the number of positions",
           "    dlogits /= B * T\n", "")
wrong_edit("attention_lm_loss_and_grads", "averages the b_out gradient instead of summing it",
           '"b_out": dlogits.sum(axis=(0, 1))', '"b_out": dlogits.mean(axis=(0, 1))')
wrong_edit("attention_lm_loss_and_grads", "hands the block its output h instead of its input x",
           "attention_block_backward(params, x, A, dh)", "attention_block_backward(params, h, A, dh)")


wrong_edit("attention_lm_loss_and_grads", "inline, adds embedding gradients with dE[ids] += dx",
           """    grads["token_embedding"], grads["position_embedding"] = embedding_backward(
        ids, dx, params["token_embedding"].shape[0], params["position_embedding"].shape[0])""",
           """    grads["token_embedding"] = np.zeros_like(params["token_embedding"])
    grads["token_embedding"][ids] += dx
    grads["position_embedding"] = np.zeros_like(params["position_embedding"])
    grads["position_embedding"][:T] = dx.sum(axis=0)""")


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
