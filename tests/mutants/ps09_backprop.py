"""Variants of the ps09_backprop answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, wrong

# --- relu ----------------------------------------------------------------------


@wrong("relu", "zeroes negatives in place and changes the caller's array")
def relu(x):
    x = np.asarray(x, dtype=float)
    x[x < 0] = 0.0
    return x


@wrong("relu", "uses np.max, which reduces instead of comparing elementwise")
def relu(x):
    x = np.asarray(x, dtype=float)
    return np.max(x, 0) if x.ndim > 1 else np.maximum(x, 0)


@wrong("relu", "keeps the integer dtype of integer input")
def relu(x):
    return np.maximum(np.asarray(x), 0)


@wrong("relu", "returns the absolute value")
def relu(x):
    return np.abs(np.asarray(x, dtype=float))


@correct("relu", "np.where on a copy")
def relu(x):
    x = np.array(x, dtype=float)
    return np.where(x > 0, x, 0.0)


# --- relu_grad -------------------------------------------------------------------


@wrong("relu_grad", "is 1 at x == 0")
def relu_grad(x):
    return (np.asarray(x, dtype=float) >= 0).astype(float)


@wrong("relu_grad", "returns relu(x) instead of the derivative")
def relu_grad(x):
    return relu(x)


@wrong("relu_grad", "returns booleans")
def relu_grad(x):
    return np.asarray(x) > 0


@correct("relu_grad", "clips the sign function")
def relu_grad(x):
    return np.clip(np.sign(np.asarray(x, dtype=float)), 0.0, 1.0)


# --- softmax_cross_entropy -------------------------------------------------------


@wrong("softmax_cross_entropy", "sums the loss over rows instead of averaging")
def softmax_cross_entropy(logits, y):
    logits, y = np.asarray(logits, dtype=float), np.asarray(y)
    n = len(y)
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    d = np.exp(logp)
    d[np.arange(n), y] -= 1
    return float(-logp[np.arange(n), y].sum()), d / n


@wrong("softmax_cross_entropy", "dlogits not divided by n")
def softmax_cross_entropy(logits, y):
    logits, y = np.asarray(logits, dtype=float), np.asarray(y)
    n = len(y)
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    d = np.exp(logp)
    d[np.arange(n), y] -= 1
    return float(-logp[np.arange(n), y].mean()), d


@wrong("softmax_cross_entropy", "takes log of softmax plus 1e-10, wrong for large logit gaps")
def softmax_cross_entropy(logits, y):
    logits, y = np.asarray(logits, dtype=float), np.asarray(y)
    n = len(y)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y] + 1e-10))
    return float(loss), (p - np.eye(logits.shape[1])[y]) / n


@wrong("softmax_cross_entropy", "no max shift, overflows for large logits")
def softmax_cross_entropy(logits, y):
    logits, y = np.asarray(logits, dtype=float), np.asarray(y)
    n = len(y)
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(p[np.arange(n), y]))), (p - np.eye(logits.shape[1])[y]) / n


@wrong("softmax_cross_entropy", "subtracts 1 from dlogits in place of the caller's logits")
def softmax_cross_entropy(logits, y):
    y = np.asarray(y)
    n = len(y)
    logits = np.asarray(logits, dtype=float)
    logits -= logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    d = np.exp(logp)
    d[np.arange(n), y] -= 1
    return float(-logp[np.arange(n), y].mean()), d / n


@correct("softmax_cross_entropy", "uses a hand-written logsumexp and a one-hot matrix")
def softmax_cross_entropy(logits, y):
    logits = np.array(logits, dtype=float)
    y = np.asarray(y, dtype=int)
    n, c = logits.shape
    m = np.max(logits, axis=1)
    lse = m + np.log(np.sum(np.exp(logits - m[:, None]), axis=1))
    onehot = np.zeros((n, c))
    onehot[np.arange(n), y] = 1.0
    loss = np.mean(lse - np.sum(logits * onehot, axis=1))
    probs = np.exp(logits - lse[:, None])
    return loss, (probs - onehot) / n


# --- init_params -----------------------------------------------------------------


@wrong("init_params", "standard normal weights (std 1)")
def init_params(d_in, d_hidden, d_out, seed=0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(d_in, d_hidden)), "b1": np.zeros(d_hidden),
            "W2": rng.normal(size=(d_hidden, d_out)), "b2": np.zeros(d_out)}


@wrong("init_params", "He-uniform instead of He-normal")
def init_params(d_in, d_hidden, d_out, seed=0):
    rng = np.random.default_rng(seed)
    a1, a2 = np.sqrt(6 / d_in), np.sqrt(6 / d_hidden)
    return {"W1": rng.uniform(-a1, a1, size=(d_in, d_hidden)), "b1": np.zeros(d_hidden),
            "W2": rng.uniform(-a2, a2, size=(d_hidden, d_out)), "b2": np.zeros(d_out)}


@wrong("init_params", "uses fan_out instead of fan_in")
def init_params(d_in, d_hidden, d_out, seed=0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, np.sqrt(2 / d_hidden), size=(d_in, d_hidden)), "b1": np.zeros(d_hidden),
            "W2": rng.normal(0, np.sqrt(2 / d_out), size=(d_hidden, d_out)), "b2": np.zeros(d_out)}


@wrong("init_params", "variance 2/fan_in used as the standard deviation")
def init_params(d_in, d_hidden, d_out, seed=0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(0, 2 / d_in, size=(d_in, d_hidden)), "b1": np.zeros(d_hidden),
            "W2": rng.normal(0, 2 / d_hidden, size=(d_hidden, d_out)), "b2": np.zeros(d_out)}


@wrong("init_params", "ignores the seed")
def init_params(d_in, d_hidden, d_out, seed=0):
    rng = np.random.default_rng(0)
    return {"W1": rng.normal(0, np.sqrt(2 / d_in), size=(d_in, d_hidden)), "b1": np.zeros(d_hidden),
            "W2": rng.normal(0, np.sqrt(2 / d_hidden), size=(d_hidden, d_out)), "b2": np.zeros(d_out)}


@correct("init_params", "scales standard normal draws, W2 drawn first")
def init_params(d_in, d_hidden, d_out, seed=0):
    rng = np.random.default_rng(seed)
    W2 = rng.standard_normal((d_hidden, d_out)) * np.sqrt(2.0 / d_hidden)
    W1 = rng.standard_normal((d_in, d_hidden)) * np.sqrt(2.0 / d_in)
    return dict(W1=W1, b1=np.zeros(d_hidden), W2=W2, b2=np.zeros(d_out))


# --- forward -------------------------------------------------------------------


@wrong("forward", "forgets the relu")
def forward(params, X):
    X = np.asarray(X, dtype=float)
    h = X @ params["W1"] + params["b1"]
    return h @ params["W2"] + params["b2"], {"X": X, "z1": h, "h": h}


@wrong("forward", "applies relu to the logits as well")
def forward(params, X):
    X = np.asarray(X, dtype=float)
    z1 = X @ params["W1"] + params["b1"]
    h = relu(z1)
    return relu(h @ params["W2"] + params["b2"]), {"X": X, "z1": z1, "h": h}


@wrong("forward", "forgets the first bias")
def forward(params, X):
    X = np.asarray(X, dtype=float)
    z1 = X @ params["W1"]
    h = relu(z1)
    return h @ params["W2"] + params["b2"], {"X": X, "z1": z1, "h": h}


@correct("forward", "np.maximum inline, cache built with dict()")
def forward(params, X):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z1 = np.dot(X, W1) + b1
    h = np.maximum(0, z1)
    return np.dot(h, W2) + b2, dict(X=np.asarray(X, dtype=float), z1=z1, h=h)


# --- backward -------------------------------------------------------------------


@wrong("backward", "forgets the relu mask")
def backward(params, cache, dlogits):
    X, z1, h = cache["X"], cache["z1"], cache["h"]
    dh = dlogits @ params["W2"].T
    return {"W1": X.T @ dh, "b1": dh.sum(0), "W2": h.T @ dlogits, "b2": dlogits.sum(0)}


@wrong("backward", "averages the bias gradients over the batch instead of summing")
def backward(params, cache, dlogits):
    X, z1, h = cache["X"], cache["z1"], cache["h"]
    dz1 = (dlogits @ params["W2"].T) * relu_grad(z1)
    return {"W1": X.T @ dz1, "b1": dz1.mean(0), "W2": h.T @ dlogits, "b2": dlogits.mean(0)}


@wrong("backward", "computes dW1 as dz1.T @ X, the transpose of the right shape")
def backward(params, cache, dlogits):
    X, z1, h = cache["X"], cache["z1"], cache["h"]
    dz1 = (dlogits @ params["W2"].T) * relu_grad(z1)
    return {"W1": dz1.T @ X, "b1": dz1.sum(0), "W2": h.T @ dlogits, "b2": dlogits.sum(0)}


@wrong("backward", "masks with relu_grad of the incoming blame instead of z1")
def backward(params, cache, dlogits):
    X, z1, h = cache["X"], cache["z1"], cache["h"]
    dh = dlogits @ params["W2"].T
    dz1 = dh * relu_grad(dh)
    return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ dlogits, "b2": dlogits.sum(0)}


@wrong("backward", "bias gradient taken from the first row only")
def backward(params, cache, dlogits):
    X, z1, h = cache["X"], cache["z1"], cache["h"]
    dz1 = (dlogits @ params["W2"].T) * relu_grad(z1)
    return {"W1": X.T @ dz1, "b1": dz1[0], "W2": h.T @ dlogits, "b2": dlogits[0]}


@correct("backward", "masks with h > 0 and uses einsum")
def backward(params, cache, dlogits):
    X, h = cache["X"], cache["h"]
    dlogits = np.asarray(dlogits, dtype=float)
    dh = np.einsum("nc,jc->nj", dlogits, params["W2"])
    dz1 = np.where(h > 0, dh, 0.0)
    return {"W2": np.einsum("nj,nc->jc", h, dlogits), "b2": np.sum(dlogits, axis=0),
            "W1": np.einsum("ni,nj->ij", X, dz1), "b1": np.sum(dz1, axis=0)}


# --- predict --------------------------------------------------------------------


@wrong("predict", "argmax over the batch axis")
def predict(params, X):
    logits, _ = forward(params, X)
    return np.argmax(logits, axis=0)


@wrong("predict", "returns the largest probability instead of the class")
def predict(params, X):
    logits, _ = forward(params, X)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).max(axis=1)


@wrong("predict", "returns float labels")
def predict(params, X):
    logits, _ = forward(params, X)
    return np.argmax(logits, axis=1).astype(float)


@wrong("predict", "argmin instead of argmax")
def predict(params, X):
    logits, _ = forward(params, X)
    return np.argmin(-logits, axis=1) if logits.shape[1] > 100 else np.argmin(logits, axis=1)


@correct("predict", "argmax of the softmax probabilities")
def predict(params, X):
    logits, _ = forward(params, X)
    z = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return probs.argmax(axis=1).astype(int)


# --- train ---------------------------------------------------------------------


@wrong("train", "forgets to update the biases")
def train(X, y, d_hidden=64, learning_rate=1.0, n_epochs=2000, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    params = init_params(X.shape[1], d_hidden, int(y.max()) + 1, seed=seed)
    losses = []
    for _ in range(n_epochs):
        logits, cache = forward(params, X)
        loss, dlogits = softmax_cross_entropy(logits, y)
        grads = backward(params, cache, dlogits)
        params["W1"] = params["W1"] - learning_rate * grads["W1"]
        params["W2"] = params["W2"] - learning_rate * grads["W2"]
        losses.append(loss)
    return params, losses


@wrong("train", "records the loss after the update")
def train(X, y, d_hidden=64, learning_rate=1.0, n_epochs=2000, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    params = init_params(X.shape[1], d_hidden, int(y.max()) + 1, seed=seed)
    losses = []
    for _ in range(n_epochs):
        logits, cache = forward(params, X)
        _, dlogits = softmax_cross_entropy(logits, y)
        grads = backward(params, cache, dlogits)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
        losses.append(softmax_cross_entropy(forward(params, X)[0], y)[0])
    return params, losses


@wrong("train", "uses max(y) classes, one too few")
def train(X, y, d_hidden=64, learning_rate=1.0, n_epochs=2000, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    params = init_params(X.shape[1], d_hidden, int(y.max()), seed=seed)
    losses = []
    for _ in range(n_epochs):
        logits, cache = forward(params, X)
        loss, dlogits = softmax_cross_entropy(logits, np.minimum(y, int(y.max()) - 1))
        grads = backward(params, cache, dlogits)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
        losses.append(loss)
    return params, losses


@wrong("train", "default learning rate 0.01 is too small to learn the spiral")
def train(X, y, d_hidden=64, learning_rate=0.01, n_epochs=2000, seed=0):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    params = init_params(X.shape[1], d_hidden, int(y.max()) + 1, seed=seed)
    losses = []
    for _ in range(n_epochs):
        logits, cache = forward(params, X)
        loss, dlogits = softmax_cross_entropy(logits, y)
        grads = backward(params, cache, dlogits)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
        losses.append(loss)
    return params, losses


@correct("train", "updates the parameter arrays in place and returns an array of losses")
def train(X, y, d_hidden=64, learning_rate=1.0, n_epochs=2000, seed=0):
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=int)
    n_classes = len(np.unique(np.concatenate([y, [0]]))) if y.max() + 1 == len(np.unique(y)) else y.max() + 1
    params = init_params(X.shape[1], d_hidden, int(n_classes), seed)
    losses = np.zeros(n_epochs)
    for epoch in range(n_epochs):
        logits, cache = forward(params, X)
        losses[epoch], dlogits = softmax_cross_entropy(logits, y)
        for name, grad in backward(params, cache, dlogits).items():
            params[name] -= learning_rate * grad
    return params, losses
