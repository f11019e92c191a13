"""ps09_backprop: a two-layer network and backpropagation from scratch."""
import numpy as np


def relu(x):
    """The rectified linear unit, elementwise: max(x, 0).

    x is an array-like of any shape; returns a float array of the same shape.
    """
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0)


def relu_grad(x):
    """The derivative of relu, elementwise: 1.0 where x > 0 and 0.0 elsewhere.

    At x == 0 the derivative is undefined; by convention it is 0 here.
    Returns a float array with the shape of x.
    """
    x = np.asarray(x, dtype=float)
    return (x > 0).astype(float)


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy loss of softmax(logits) against integer labels, and its gradient.

    logits: (n, c) scores; y: (n,) integer labels in 0..c-1.
    Returns (loss, dlogits): loss is a float, the mean over rows of
    -log softmax(logits)[i, y[i]] in nats; dlogits is the (n, c) gradient of
    that loss, (softmax(logits) - onehot(y)) / n. Must not overflow or return
    NaN for logits as large as 1e4.
    """
    logits = np.asarray(logits, dtype=float)
    y = np.asarray(y, dtype=int)
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()
    dlogits = np.exp(log_probs)
    dlogits[rows, y] -= 1.0
    return float(loss), dlogits / n


def init_params(d_in, d_hidden, d_out, seed=0):
    """Initial parameters of the network, reproducible from `seed`.

    Returns a dict with keys "W1" (d_in, d_hidden), "b1" (d_hidden,),
    "W2" (d_hidden, d_out) and "b2" (d_out,). Biases are zero; each weight
    matrix is He-normal: independent normal draws with mean 0 and standard
    deviation sqrt(2 / fan_in), where fan_in is its number of rows. Use
    np.random.default_rng(seed), so the same seed gives the same parameters.
    """
    generator = np.random.default_rng(seed)
    return {
        "W1": generator.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_hidden)),
        "b1": np.zeros(d_hidden),
        "W2": generator.normal(0.0, np.sqrt(2.0 / d_hidden), size=(d_hidden, d_out)),
        "b2": np.zeros(d_out),
    }


def forward(params, X):
    """Forward pass: h = relu(X @ W1 + b1), logits = h @ W2 + b2.

    X is (n, d_in). Returns (logits, cache): logits is (n, d_out); cache holds
    whatever backward needs (your choice, e.g. a dict with X, z1 and h).
    """
    X = np.asarray(X, dtype=float)
    z1 = X @ params["W1"] + params["b1"]
    h = relu(z1)
    logits = h @ params["W2"] + params["b2"]
    return logits, {"X": X, "z1": z1, "h": h}


def backward(params, cache, dlogits):
    """Backward pass: gradients of the loss with respect to every parameter.

    cache is what forward returned, dlogits the gradient of the loss with
    respect to the logits (n, d_out). Returns a dict with keys "W1", "b1",
    "W2", "b2", each gradient with the shape of its parameter.
    """
    dlogits = np.asarray(dlogits, dtype=float)
    X, z1, h = cache["X"], cache["z1"], cache["h"]
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(axis=0)
    dh = dlogits @ params["W2"].T
    dz1 = dh * relu_grad(z1)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def predict(params, X):
    """Predicted class of each row of X (n, d_in): an (n,) integer array."""
    logits, _ = forward(params, X)
    return np.argmax(logits, axis=1)


def train(X, y, d_hidden=64, learning_rate=1.0, n_epochs=2000, seed=0):
    """Train the two-layer network by full-batch gradient descent.

    X is (n, d_in), y (n,) integer labels in 0..c-1 with c = max(y) + 1.
    Starts from init_params(d_in, d_hidden, c, seed), then for each of the
    n_epochs epochs: forward pass, softmax_cross_entropy, backward pass, and
    p <- p - learning_rate * grad for every parameter p.
    Returns (params, losses): the trained parameters and the list (or array)
    of the n_epochs losses, losses[t] being the loss before update t.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    params = init_params(X.shape[1], d_hidden, int(y.max()) + 1, seed=seed)
    losses = []
    for _ in range(n_epochs):
        scores, cache = forward(params, X)
        loss, dscores = softmax_cross_entropy(scores, y)
        grads = backward(params, cache, dscores)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
        losses.append(loss)
    return params, losses
