"""The paper's traditional recurrent net, RTRL and BPTT, in NumPy, one run at a time.

Hochreiter & Schmidhuber, "Long Short-Term Memory", Neural Computation 9(8),
1997, section 5.2 ("Architectures"): for Table 2's RTRL and BPTT rows, a net
with p + 1 one hot inputs, one self-recurrent hidden unit and p + 1 output
units, each layer connected to all layers below, every unit logistic, no
biases, weights from U[-0.2, 0.2], squared error, on-line learning, the
activations reset after each sequence. Written to be read, float64, with
dense products (no use of the one hot input), and none of
`lstm_lab/traditional_net.py`'s code: it is the reference that trainer is
tested against. Only the runs' random streams come from `lstm_lab/tasks.py`.

The error's convention is eq. 19's: e_k = f'(net_k)(t_k - y_k), the gradient
of half the squared error, so the learning rate means the paper's.
"""

import numpy as np

from lstm_lab import tasks

HALF_WIDTH = 0.2


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def paper_initial_weights(lag, seed):
    """The net at lag p (n = p + 1), drawn from the run's "weights" stream in
    this order: input to hidden (n), the hidden unit's self-loop (1), hidden
    to output (n), input to output (n rows, one per input, of n outputs).

    Returned as a hidden row V (n inputs, then the hidden unit's own output),
    and an output matrix W (n outputs by n inputs, then the hidden unit)."""
    n = lag + 1
    rng = tasks.stream(seed, "weights")
    input_hidden = rng.uniform(-HALF_WIDTH, HALF_WIDTH, n)
    self_loop = rng.uniform(-HALF_WIDTH, HALF_WIDTH)
    hidden_output = rng.uniform(-HALF_WIDTH, HALF_WIDTH, n)
    input_output = rng.uniform(-HALF_WIDTH, HALF_WIDTH, (n, n))
    V = np.append(input_hidden, self_loop)
    W = np.concatenate([input_output.T, hidden_output[:, None]], axis=1)
    return {"V": V, "W": W}


def n_weights(weights):
    return weights["V"].size + weights["W"].size


def forward(weights, sequence):
    """Outputs (T, n) and hidden outputs (T + 1,) (h[0] = 0, the reset) for
    the inputs sequence[:-1]."""
    V, W = weights["V"], weights["W"]
    n = W.shape[0]
    h = [0.0]
    outputs = []
    for symbol in sequence[:-1]:
        x = np.eye(n)[symbol]
        h.append(logistic(V @ np.append(x, h[-1])))
        outputs.append(logistic(W @ np.append(x, h[-1])))
    return np.array(outputs), np.array(h)


def loss(weights, sequence):
    """Half the squared error summed over the sequence's steps and outputs."""
    outputs, _ = forward(weights, sequence)
    targets = np.eye(weights["W"].shape[0])[sequence[1:]]
    return 0.5 * np.sum((targets - outputs) ** 2)


def rtrl_sequence(weights, sequence, rate):
    """Exact RTRL on one sequence: at every step, the change rate times the
    negative gradient of that step's error, through all earlier steps, made
    at once. Returns (new weights, each step's change direction as a list of
    dicts). With rate 0 the directions are the per-step negative gradients."""
    V, W = weights["V"].copy(), weights["W"].copy()
    n = W.shape[0]
    h = 0.0
    dh_dV = np.zeros_like(V)  # the hidden unit's sensitivities, reset with it
    directions = []
    for t, symbol in enumerate(sequence[:-1]):
        x = np.eye(n)[symbol]
        z = np.append(x, h)  # what the hidden unit reads: inputs, its own output
        h_new = logistic(V @ z)
        # d h(t) / d V = h'(t) (z + V_self d h(t-1) / d V)
        dh_dV = h_new * (1 - h_new) * (z + V[-1] * dh_dV)
        read = np.append(x, h_new)  # what the outputs read
        y = logistic(W @ read)
        target = np.eye(n)[sequence[t + 1]]
        e = y * (1 - y) * (target - y)
        e_hidden = W[:, -1] @ e
        direction = {"W": np.outer(e, read), "V": e_hidden * dh_dV}
        directions.append(direction)
        W = W + rate * direction["W"]
        V = V + rate * direction["V"]
        h = h_new
    return {"V": V, "W": W}, directions


def bptt_direction(weights, sequence):
    """The negative gradient of the whole sequence's error (half the squared
    error summed over its steps), back-propagated through time."""
    V, W = weights["V"], weights["W"]
    n = W.shape[0]
    _, h = forward(weights, sequence)
    T = len(sequence) - 1
    grad_V, grad_W = np.zeros_like(V), np.zeros_like(W)
    delta_next = 0.0  # the error at the hidden unit's net input, step t + 1
    for t in reversed(range(T)):
        x = np.eye(n)[sequence[t]]
        read = np.append(x, h[t + 1])
        y = logistic(W @ read)
        e = y * (1 - y) * (np.eye(n)[sequence[t + 1]] - y)
        grad_W += np.outer(e, read)
        from_above = W[:, -1] @ e + V[-1] * delta_next
        delta = h[t + 1] * (1 - h[t + 1]) * from_above
        grad_V += delta * np.append(x, h[t])
        delta_next = delta
    return {"V": grad_V, "W": grad_W}


def bptt_sequence(weights, sequence, rate):
    """BPTT on one sequence: one change, at its end."""
    direction = bptt_direction(weights, sequence)
    return {k: weights[k] + rate * direction[k] for k in weights}


def train(method, lag, seed, rate, sequences):
    """Run `seed`'s net trained by `method` (rtrl or bptt) on `sequences` in order."""
    weights = paper_initial_weights(lag, seed)
    for sequence in sequences:
        if method == "rtrl":
            weights, _ = rtrl_sequence(weights, sequence, rate)
        elif method == "bptt":
            weights = bptt_sequence(weights, sequence, rate)
        else:
            raise ValueError(f"method must be rtrl or bptt, got {method!r}")
    return weights
