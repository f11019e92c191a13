"""project1_mini_lm variants, part three: the steps of the backward pass."""
import numpy as np

from harness.mutants import correct, wrong, wrong_edit

# --- softmax_rows_backward ---------------------------------------------------


@wrong("softmax_rows_backward", "drops the row-sum term")
def softmax_rows_backward(A, dA):
    return np.asarray(A) * np.asarray(dA)


@wrong("softmax_rows_backward", "sums over the columns instead of the rows")
def softmax_rows_backward(A, dA):
    A, dA = np.asarray(A, dtype=float), np.asarray(dA, dtype=float)
    return A * (dA - (dA * A).sum(axis=-2, keepdims=True))


@wrong("softmax_rows_backward", "subtracts the plain row sum of dA")
def softmax_rows_backward(A, dA):
    A, dA = np.asarray(A, dtype=float), np.asarray(dA, dtype=float)
    return A * (dA - dA.sum(axis=-1, keepdims=True))


@wrong("softmax_rows_backward", "forgets keepdims, so the row sums broadcast along rows")
def softmax_rows_backward(A, dA):
    A, dA = np.asarray(A, dtype=float), np.asarray(dA, dtype=float)
    return A * (dA - (dA * A).sum(axis=-1))


@correct("softmax_rows_backward", "einsum for the row dot products")
def softmax_rows_backward(A, dA):
    A = np.array(A, dtype=float)
    dot = np.einsum("...j,...j->...", A, np.asarray(dA, dtype=float))
    return A * dA - A * dot[..., None]


# --- attention_block_backward ------------------------------------------------
# Each variant calls the notebook's softmax_rows_backward unless it says otherwise; the edits
# change one spot of the reference answer.


wrong_edit("attention_block_backward", "forgets the residual path in dx",
           "dx = dh + dq @ W_q.T", "dx = dq @ W_q.T")
wrong_edit("attention_block_backward", "forgets the 1 / sqrt(d) of the scores",
           "dscores = softmax_rows_backward(A, dA) / np.sqrt(d)", "dscores = softmax_rows_backward(A, dA)")
wrong_edit("attention_block_backward", "takes dk = dS q without the transpose",
           "dk = np.swapaxes(dscores, -1, -2) @ q", "dk = dscores @ q")
wrong_edit("attention_block_backward", "takes dv = A dh without the transpose",
           "dv = np.swapaxes(A, -1, -2) @ dh", "dv = A @ dh")


@correct("attention_block_backward", "einsum throughout, the softmax backward written inline")
def attention_block_backward(params, x, A, dh):
    W = [np.asarray(params[n], dtype=float) for n in ("W_q", "W_k", "W_v")]
    q, k, v = (np.einsum("btd,de->bte", x, w) for w in W)
    dA = np.einsum("bid,bjd->bij", dh, v)
    dv = np.einsum("bij,bid->bjd", A, dh)
    ds = A * (dA - np.einsum("bij,bij->bi", dA, A)[..., None]) / np.sqrt(W[0].shape[0])
    dq, dk = np.einsum("bij,bjd->bid", ds, k), np.einsum("bij,bid->bjd", ds, q)
    grads = {n: np.einsum("btd,bte->de", x, g) for n, g in zip(("W_q", "W_k", "W_v"), (dq, dk, dv))}
    dx = dh + sum(np.einsum("bte,de->btd", g, w) for g, w in zip((dq, dk, dv), W))
    return dx, grads


# --- embedding_backward ------------------------------------------------------


wrong_edit("embedding_backward", "adds with d_token[ids] += dx (repeats counted once)",
           "np.add.at(d_token, ids, dx)  # d_token[ids] += dx would keep one of the repeated rows",
           "d_token[ids] += dx")
wrong_edit("embedding_backward", "averages the position gradients over the batch",
           "d_position[:ids.shape[1]] = dx.sum(axis=0)", "d_position[:ids.shape[1]] = dx.mean(axis=0)")
wrong_edit("embedding_backward", "returns d_position with T rows instead of context",
           "return d_token, d_position", "return d_token, dx.sum(axis=0)")


@correct("embedding_backward", "a one-hot matrix and zero padding")
def embedding_backward(ids, dx, vocab_size, context):
    onehot = np.eye(vocab_size)[np.asarray(ids)]
    d_token = np.einsum("btv,btd->vd", onehot, dx)
    d_position = np.pad(np.sum(dx, axis=0), ((0, context - np.shape(ids)[1]), (0, 0)))
    return d_token, d_position
