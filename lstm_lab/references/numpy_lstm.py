"""An independent NumPy implementation of the tutorial's network and training.

It shares no code with TensorFlow: the forward pass, the gradients (derived by
hand), binary cross-entropy and Adam are written out here in float64. The tests
use it as a differential oracle for both training paths, and the benchmark uses
it as the speed floor.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm_step(weights, x, h, c):
    """One step of a Keras LSTM (gates i, f, c, o) and the sigmoid Dense output."""
    kernel, recurrent, bias, dense_kernel, dense_bias = weights
    z = x @ kernel + h @ recurrent + bias
    zi, zf, zc, zo = np.split(z, 4)
    i, f, g, o = sigmoid(zi), sigmoid(zf), np.tanh(zc), sigmoid(zo)
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    y = sigmoid(h_new @ dense_kernel + dense_bias)
    cache = (x, h, c, i, f, g, o, c_new, h_new, y)
    return y, h_new, c_new, cache


def step_gradients(weights, cache, target, dh_next, dc_next):
    """Gradients of the mean binary cross-entropy of one step, plus what flows back.

    dh_next and dc_next are the gradients arriving from later steps (zero for the
    article's one-step updates). Returns (grads, dh_prev, dc_prev).
    """
    recurrent, dense_kernel = weights[1], weights[3]
    x, h, c, i, f, g, o, c_new, h_new, y = cache
    n = len(target)
    dlogits = (y - target) / n  # d mean-BCE / d logits for a sigmoid output
    d_dense_kernel = np.outer(h_new, dlogits)
    d_dense_bias = dlogits
    dh = dense_kernel @ dlogits + dh_next
    tanh_c = np.tanh(c_new)
    do = dh * tanh_c
    dc = dh * o * (1 - tanh_c**2) + dc_next
    di, df, dg = dc * g, dc * c, dc * i
    dz = np.concatenate(
        [di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)]
    )
    grads = [np.outer(x, dz), np.outer(h, dz), dz, d_dense_kernel, d_dense_bias]
    return grads, recurrent @ dz, dc * f


class Adam:
    """Keras 3's Adam with its defaults (beta 0.9 and 0.999, epsilon 1e-7)."""

    def __init__(self, weights, learning_rate=0.001):
        self.learning_rate = learning_rate
        self.m = [np.zeros_like(w) for w in weights]
        self.v = [np.zeros_like(w) for w in weights]
        self.t = 0

    def update(self, weights, grads):
        self.t += 1
        alpha = self.learning_rate * np.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
        for w, g, m, v in zip(weights, grads, self.m, self.v):
            m += (g - m) * 0.1
            v += (g * g - v) * 0.001
            w -= alpha * m / (np.sqrt(v) + 1e-7)


def sequence_gradients(weights, seq, eye, units):
    """Gradients of the mean loss over a whole sequence, through every step."""
    h, c = np.zeros(units), np.zeros(units)
    caches = []
    for t in range(len(seq) - 1):
        _, h, c, cache = lstm_step(weights, eye[seq[t]], h, c)
        caches.append(cache)
    total = [np.zeros_like(w) for w in weights]
    dh, dc = np.zeros(units), np.zeros(units)
    for t in reversed(range(len(caches))):
        grads, dh, dc = step_gradients(weights, caches[t], eye[seq[t + 1]], dh, dc)
        for acc, grad in zip(total, grads):
            acc += grad / len(caches)
    return total


def train_numpy(
    weights, sequences, n_symbols, epochs, learning_rate=0.001, update="step"
):
    """Train a copy of `weights` on int sequences (N, T+1); returns the new weights.

    update="step": the article's regime, one update per time step with the state
    carried in as a constant. update="sequence": one update per sequence with the
    gradient through all its steps (the loss is the mean over steps).
    update="epoch": one update per epoch, the mean of the sequences' gradients.
    """
    weights = [np.array(w, dtype=np.float64) for w in weights]
    adam = Adam(weights, learning_rate)
    eye = np.eye(n_symbols)
    units = weights[1].shape[0]
    sequences = np.asarray(sequences)
    zeros = np.zeros(units)
    for _ in range(epochs):
        if update == "epoch":
            per_sequence = [
                sequence_gradients(weights, seq, eye, units) for seq in sequences
            ]
            adam.update(weights, [sum(g) / len(sequences) for g in zip(*per_sequence)])
            continue
        for seq in sequences:
            if update == "sequence":
                adam.update(weights, sequence_gradients(weights, seq, eye, units))
                continue
            h, c = zeros, zeros
            for t in range(len(seq) - 1):
                _, h, c, cache = lstm_step(weights, eye[seq[t]], h, c)
                grads, _, _ = step_gradients(
                    weights, cache, eye[seq[t + 1]], zeros, zeros
                )
                adam.update(weights, grads)
    return weights


def evaluate_numpy(weights, sequences, n_symbols):
    """Predictions (N, T) and outputs (N, T, n) of one model, state from zero."""
    eye = np.eye(n_symbols)
    units = np.asarray(weights[1]).shape[0]
    outputs = []
    for seq in np.asarray(sequences):
        h, c = np.zeros(units), np.zeros(units)
        row = []
        for t in range(len(seq) - 1):
            y, h, c, _ = lstm_step(weights, eye[seq[t]], h, c)
            row.append(y)
        outputs.append(row)
    outputs = np.array(outputs)
    return outputs.argmax(axis=-1), outputs
