"""Unit tests of lstm_lab/references/numpy_lstm.py, the NumPy reference: its
hand-derived gradients against finite differences, and its Adam."""

import numpy as np
import pytest

from lstm_lab import tasks
from lstm_lab.references import numpy_lstm


def small_weights(seed, n_symbols=5, units=3):
    rng = np.random.default_rng(seed)
    shapes = [
        (n_symbols, 4 * units),
        (units, 4 * units),
        (4 * units,),
        (units, n_symbols),
        (n_symbols,),
    ]
    return [rng.normal(scale=0.5, size=s) for s in shapes]


def sequence_loss(weights, seq, eye, units):
    """The mean binary cross-entropy over a sequence's steps, state from zero."""
    h, c = np.zeros(units), np.zeros(units)
    total = 0.0
    for t in range(len(seq) - 1):
        y, h, c, _ = numpy_lstm.lstm_step(weights, eye[seq[t]], h, c)
        target = eye[seq[t + 1]]
        total += -np.mean(target * np.log(y) + (1 - target) * np.log(1 - y))
    return total / (len(seq) - 1)


@pytest.mark.parametrize("seed", [0, 1])
def test_sequence_gradients_match_finite_differences(seed):
    weights = small_weights(seed)
    seq = tasks.article_sequences()[seed]
    eye = np.eye(5)
    grads = numpy_lstm.sequence_gradients(weights, seq, eye, 3)
    rng = np.random.default_rng(seed)
    for w, g in zip(weights, grads, strict=True):
        for _ in range(5):
            index = tuple(rng.integers(0, n) for n in w.shape)
            saved = w[index]
            w[index] = saved + 1e-6
            up = sequence_loss(weights, seq, eye, 3)
            w[index] = saved - 1e-6
            down = sequence_loss(weights, seq, eye, 3)
            w[index] = saved
            assert g[index] == pytest.approx((up - down) / 2e-6, abs=1e-7)


def test_adam_first_step_moves_each_weight_by_the_learning_rate():
    # Adam's first step is lr * g / (|g| + eps): the learning rate, signed.
    weights = [np.array([1.0, -2.0, 3.0])]
    adam = numpy_lstm.Adam(weights, learning_rate=0.01)
    adam.update(weights, [np.array([0.5, -4.0, 0.1])])
    np.testing.assert_allclose(weights[0], [0.99, -1.99, 2.99], atol=1e-6)
