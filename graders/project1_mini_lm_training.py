"""Hidden checks for project1_mini_lm, part two: training the attention model.

Oracles: the forward pass and loss of graders/project1_mini_lm_model.py, central finite
differences of that loss, an Adam step written here, and an add-one bigram model counted with
np.bincount for the comparison of the trained model.

Tolerances: the model trained by the student's train_attention_lm with its default settings, on
the notebook's training text encoded with the sorted vocabulary, must beat the bigram model's
validation NLL by at least 0.05 nats (the reference wins by ~0.15), with the default sizes
(context 32, d_model 48). Training is also checked on a toy periodic sequence (vocabulary 4, 300
steps of a tiny model, ~0.2 s): the trained parameters must score below 0.5 nats where a bigram
model cannot go below ln 2 ~ 0.69 (the reference over ten seeds: 0.10-0.36), and step by step on
ids that hold exactly one window (so every way of drawing windows draws it): six Adam steps from
the student's own initial parameters (n_steps=0), composed with the student's own loss and
gradients, must match within rtol 1e-6 (the same arithmetic; a wrong constant or bias correction
is off by far more), and n_steps and seed default to 400 and 0.

One function, one blame (graders/checks.py): the training targets (the toy sequence, beating the
bigram model) apply only when the student's loss and gradients are right, and the trained-model
check encodes the text itself, so a wrong vocabulary or encoding costs points only in their own
checks.
"""
from __future__ import annotations

import numpy as np

from .checks import CheckFailed, NotImplementedYet, assert_close, call, describe, fail
from .composites import HelperBroken, own
from .project1_mini_lm_model import KEYS, oracle_loss, random_params


def _toy(n_repeats=80):
    return np.tile([0, 1, 2, 3, 2, 1, 0, 3], n_repeats)


def _loss_and_grads_right(loss_and_grads):
    """Whether the student's loss and gradients match the oracle on a small model (or are not
    given): training can only reach its targets on right ones."""
    if loss_and_grads is None:
        return True
    rng = np.random.default_rng(2401)
    params = random_params(rng, 4, 3, 2, scale=0.6)
    ids, targets = rng.integers(0, 4, size=(2, 3)), rng.integers(0, 4, size=(2, 3))
    try:
        loss, grads = own(loss_and_grads)(params, ids, targets)
        if not np.isclose(float(loss), oracle_loss(params, ids, targets), rtol=1e-8, atol=1e-10):
            return False
        for key in KEYS:
            numeric = np.zeros_like(params[key])
            for index in np.ndindex(params[key].shape):
                plus = {k: v.copy() for k, v in params.items()}
                minus = {k: v.copy() for k, v in params.items()}
                plus[key][index] += 1e-6
                minus[key][index] -= 1e-6
                numeric[index] = (oracle_loss(plus, ids, targets) - oracle_loss(minus, ids, targets)) / 2e-6
            if not np.allclose(np.asarray(grads[key], dtype=float), numeric, rtol=1e-5, atol=1e-8):
                return False
    except Exception:  # noqa: BLE001 - a broken helper is not right
        return False
    return True


def check_training(train_attention_lm, attention_lm_loss_and_grads=None):
    """A toy sequence whose next id depends on two previous ids: the loss must fall far below the bigram's."""
    ids = _toy()
    kwargs = dict(context=8, d_model=16, n_steps=300, batch_size=16, learning_rate=0.01, seed=11)
    label = ("train_attention_lm(toy_ids, 4, context=8, d_model=16, n_steps=300, batch_size=16, "
             "learning_rate=0.01, seed=11) on a periodic toy sequence")
    helper_right = _loss_and_grads_right(attention_lm_loss_and_grads)
    try:
        out = call(train_attention_lm, ids, 4, label=label, **kwargs)
    except NotImplementedYet:
        raise
    except CheckFailed:
        if helper_right:
            raise
        return  # training fails on the student's own broken loss and gradients: their checks carry that
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], dict)):
        raise CheckFailed(f"{label} returned {describe(out)}\n  expected: a tuple (params, losses)\n"
                          "  hint: return params, losses")
    params, losses = out
    losses = np.asarray(losses, dtype=float)
    if losses.shape != (300,):
        fail(label, "300 losses", losses, "append one batch loss per step", problem=f"losses has shape {losses.shape}")
    for key, shape in [("token_embedding", (4, 16)), ("position_embedding", (8, 16)), ("W_out", (16, 4))]:
        if key not in params or np.shape(params[key]) != shape:
            raise CheckFailed(f"{label}: params[{key!r}] is missing or not of shape {shape}\n"
                              "  hint: start from init_attention_lm(vocab_size, context, d_model, seed)")
    # After 0, 1, 2 and 3 the next id is ambiguous from one id; from two it is determined.
    # Every id has two equally likely successors, so a bigram model scores ln 2 ~ 0.69 nats; the oracle evaluates the trained params.
    windows = np.lib.stride_tricks.sliding_window_view(ids, 9)[::3]
    # (wrong gradients cannot reach the target: then the loss and gradients' checks carry that blame)
    final = oracle_loss({k: np.asarray(v, dtype=float) for k, v in params.items()}, windows[:, :-1], windows[:, 1:])
    if helper_right and (not np.isfinite(final) or final > 0.5):
        raise CheckFailed(f"{label}: the trained parameters score {final:.3f} nats on the toy sequence\n"
                          "  expected: below 0.5 nats (a bigram model cannot go below ln 2 ~ 0.69)\n"
                          "  hint: Adam step p <- p - lr * m_hat / (sqrt(v_hat) + eps) with bias-corrected "
                          "m_hat, v_hat, applied to EVERY parameter and kept for the next step; "
                          "sample new random windows each step")
    if helper_right:
        _windows_everywhere(train_attention_lm, kwargs)
    _one_window_adam(train_attention_lm, attention_lm_loss_and_grads)
    short = dict(kwargs, n_steps=15)
    label = "train_attention_lm(toy_ids, 4, ..., n_steps=15, seed=11)"
    first = call(train_attention_lm, ids, 4, label=label, **short)
    again = call(train_attention_lm, ids, 4, label=label, **short)
    if not np.array_equal(np.asarray(again[1], dtype=float), np.asarray(first[1], dtype=float)):
        raise CheckFailed(f"{label} gave different losses when run twice with the same seed\n"
                          "  hint: draw windows with np.random.default_rng(seed), not the global np.random")
    before = ids.copy()
    call(train_attention_lm, ids, 4, context=4, d_model=4, n_steps=3, batch_size=2, label="train_attention_lm(ids, 4, n_steps=3, ...)")
    if not np.array_equal(ids, before):
        raise CheckFailed("train_attention_lm(ids, ...) modified the training ids in place\n"
                          "  hint: graded functions must not change their inputs")


def _windows_everywhere(train_attention_lm, kwargs: dict) -> None:
    """Windows start at random among all the starts of the ids: after a constant stretch of 160
    zeros comes the toy pattern, which a sampler drawing only near the beginning never sees."""
    ids = np.concatenate([np.zeros(160, dtype=np.int64), _toy()])
    label = ("train_attention_lm(np.concatenate([np.zeros(160), toy_ids]), 4, context=8, d_model=16, "
             "n_steps=300, batch_size=16, learning_rate=0.01, seed=11)")
    params, _ = call(train_attention_lm, ids, 4, label=label, **kwargs)
    windows = np.lib.stride_tricks.sliding_window_view(_toy(), 9)[::3]
    final = oracle_loss({k: np.asarray(v, dtype=float) for k, v in params.items()}, windows[:, :-1], windows[:, 1:])
    if not np.isfinite(final) or final > 1.0:
        raise CheckFailed(f"{label}: the trained parameters score {final:.3f} nats on the toy pattern that fills "
                          "the last 640 of the 800 ids\n"
                          "  expected: below 1.0 nats (trained on the pattern alone, the same settings reach 0.5)\n"
                          "  hint: draw every window's start at random among ALL the starts, "
                          "0 .. len(train_ids) - context - 1, not only near the beginning")


def _one_window_adam(train_attention_lm, loss_and_grads):
    """Adam's steps exactly, on ids that hold one window (context + 1 ids: every sampler draws it),
    composed with the student's own loss and gradients from the student's own initial params
    (n_steps=0), with the default learning rate; and the default number of steps."""
    if loss_and_grads is None:
        return
    ids, V = np.array([1, 3, 0, 2]), 4
    kwargs = dict(context=3, d_model=4, batch_size=2, seed=5)
    label = "train_attention_lm(np.array([1, 3, 0, 2]), 4, context=3, d_model=4, batch_size=2, seed=5, n_steps={})"
    start = call(train_attention_lm, ids, V, n_steps=0, label=label.format(0), **kwargs)
    got = call(train_attention_lm, ids, V, n_steps=6, label=label.format(6), **kwargs)
    params = {k: np.array(start[0][k], dtype=float) for k in KEYS}
    m = {k: np.zeros_like(p) for k, p in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    window, losses = np.stack([ids, ids]), []
    try:
        for t in range(1, 7):
            loss, grads = own(loss_and_grads)(params, window[:, :-1], window[:, 1:])
            losses.append(float(loss))
            for k in KEYS:
                g = np.asarray(grads[k], dtype=float)
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g ** 2
                params[k] = params[k] - 0.01 * (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    except (HelperBroken, KeyError):
        return  # the student's loss and gradients broke: their own checks carry that
    hint = ("each step: m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2, m_hat = m / (1 - 0.9^t), "
            "v_hat = v / (1 - 0.999^t), p = p - learning_rate * m_hat / (sqrt(v_hat) + 1e-8), t from 1, "
            "learning_rate 0.01 by default, for every parameter")
    assert_close(np.asarray(got[1], dtype=float), losses, label=label.format(6) + " (the losses)", rtol=1e-6,
                 atol=1e-9, hint=hint)
    for k in KEYS:
        assert_close(np.asarray(got[0][k], dtype=float), params[k], label=label.format(6) + f" (params[{k!r}])",
                     rtol=1e-6, atol=1e-9, hint=hint)
    label = "train_attention_lm(np.array([1, 3, 0, 2]), 4, context=3, d_model=4, batch_size=2) (default n_steps)"
    n_losses = len(call(train_attention_lm, ids, V, context=3, d_model=4, batch_size=2, label=label)[1])
    if n_losses != 400:
        fail(label, "400 losses (n_steps defaults to 400)", f"{n_losses} losses",
             "keep the signature's defaults: n_steps=400", problem="the number of steps")
    label = "train_attention_lm(np.array([1, 3, 0, 2]), 4, context=3, d_model=4, n_steps=0) (default seed)"
    default = call(train_attention_lm, ids, V, context=3, d_model=4, n_steps=0, label=label)[0]
    seeded = call(train_attention_lm, ids, V, context=3, d_model=4, n_steps=0, seed=0, label=label)[0]
    assert_close(np.asarray(default["W_q"], dtype=float), np.asarray(seeded["W_q"], dtype=float),
                 label=label + " against seed=0 (params['W_q'])", rtol=0, atol=0,
                 hint="keep the signature's defaults: seed=0")


def _shakespeare_split(text):
    """The notebook's data, encoded with the sorted vocabulary: (V, training ids, validation ids)."""
    itos = sorted(set(text))
    lookup = np.zeros(max(map(ord, itos)) + 1, dtype=np.int64)
    lookup[[ord(c) for c in itos]] = np.arange(len(itos))
    data = lookup[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
    n_train = int(0.9 * len(data))
    return len(itos), data[:n_train], data[n_train:n_train + 60_001]


def check_trained_model(train_attention_lm, text, attention_lm_loss_and_grads=None):
    """train_attention_lm with its default settings, on the notebook's training text, beats an
    add-one bigram model on the validation text.

    One function, one blame: the text is encoded here with the sorted vocabulary and the
    training runs through the student's train_attention_lm, so neither the notebook's own
    vocabulary nor its training cell (which build_vocab or encode may break) is involved."""
    V, train, val = _shakespeare_split(text)
    if not _loss_and_grads_right(attention_lm_loss_and_grads):
        try:  # a stub still fails
            call(train_attention_lm, train[:200], V, n_steps=1, batch_size=2,
                 label=f"train_attention_lm(train_ids, {V}, n_steps=1, batch_size=2)")
        except NotImplementedYet:
            raise
        except CheckFailed:
            pass
        return  # wrong gradients cannot train a good model: the loss and gradients' checks carry that blame
    label = f"train_attention_lm(train_ids, {V}) with the default settings on the notebook's training text"
    out = call(train_attention_lm, train, V, label=label)
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], dict)) or \
            any(k not in out[0] for k in KEYS):
        raise CheckFailed(f"{label} returned {describe(out)}\n  expected: a tuple (params, losses), params "
                          f"holding {list(KEYS)}\n  hint: return params, losses")
    params = {k: np.asarray(out[0][k], dtype=float) for k in KEYS}
    if params["token_embedding"].shape[0] != V:
        raise CheckFailed(f"{label}: the trained params have {params['token_embedding'].shape[0]} token "
                          f"embeddings for a {V}-character vocabulary\n"
                          "  hint: start from init_attention_lm(vocab_size, context, d_model, seed)")
    if params["position_embedding"].shape != (32, 48):
        fail(label, "position_embedding of shape (32, 48) (context=32, d_model=48 by default)",
             f"shape {params['position_embedding'].shape}", "keep the signature's defaults: context=32, d_model=48",
             problem="the default model size")
    context = params["position_embedding"].shape[0]
    n = (len(val) - 1) // context
    inputs = val[:n * context].reshape(n, context)
    targets = val[1:n * context + 1].reshape(n, context)
    model = sum(oracle_loss(params, inputs[s:s + 500], targets[s:s + 500]) * len(inputs[s:s + 500])
                for s in range(0, n, 500)) / n
    counts = np.bincount(train[:-1] * V + train[1:], minlength=V * V).reshape(V, V) + 1.0
    probs = counts / counts.sum(axis=1, keepdims=True)
    bigram = float(-np.log(probs[inputs, targets]).mean())
    if not np.isfinite(model) or model > bigram - 0.05:
        raise CheckFailed(f"{label}, the trained model run through an independent causal forward pass on "
                          f"the first {len(val) - 1:,} validation characters\n"
                          f"  expected: an NLL below {bigram - 0.05:.3f} nats (the add-one bigram model "
                          f"scores {bigram:.3f})\n  got:      {model:.3f} nats\n"
                          "  hint: check that your forward pass is causal and that training lowers the loss "
                          "(the training curve); keep the default settings of train_attention_lm")
