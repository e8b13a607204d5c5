"""The 1997 net's NumPy reference against independent gradients: central
differences where nothing is truncated, TensorFlow autodiff with the cut where
the net is recurrent; and the paper's weight counts."""

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import tasks
from lstm_lab.references import numpy_1997


@pytest.mark.parametrize(
    ("task", "p", "weights"),
    # The paper's weight counts: Table 2 (LSTM, p = 100) and Table 3.
    [("2a", 100, 10_504), ("2c", 50, 364), ("2c", 100, 664), ("2c", 1000, 6_064)],
)
def test_weight_counts_are_the_papers(task, p, weights):
    assert numpy_1997.task_net(task, p).n_weights() == weights


def test_task_2c_counts_its_distractors():
    assert numpy_1997.task_net("2c", 1000, distractors=50).n_weights() == 364


def test_bad_nets_are_refused():
    with pytest.raises(ValueError, match="task must be one of"):
        numpy_1997.task_net("2d", 5)
    with pytest.raises(ValueError, match="squashing function must be one of"):
        numpy_1997.task_net("2a", 5, g="tanh")


def error_over_judged_steps(task, net, weights, sequence, p):
    """E / 2 over the judged steps, the quantity the printed updates descend."""
    _, outputs = numpy_1997.train_sequence(net, weights, sequence, [], 0.0, True)
    return sum(
        0.5 * np.sum((t - outputs[s]) ** 2)
        for s, t in numpy_1997.task_targets(task, sequence, net, p)
    )


def test_reference_update_is_the_gradient_when_nothing_is_truncated():
    # The 2a net has no recurrent connections, so truncation drops nothing: the
    # summed update of a sequence is minus the gradient of E / 2, which central
    # differences measure without any of the reference's equations.
    p, rate = 4, 1e-3
    net = numpy_1997.task_net("2a", p, g="centred2")
    w0 = numpy_1997.initial_weights(net, 3)
    sequence = tasks.lag_sequences(p)[1]
    w1, _ = numpy_1997.train_sequence(
        net, w0, sequence, numpy_1997.task_targets("2a", sequence, net, p), rate, False
    )
    for k in ("w_c", "w_in", "w_k"):
        for index in np.ndindex(w0[k].shape):
            plus = {n: v.copy() for n, v in w0.items()}
            minus = {n: v.copy() for n, v in w0.items()}
            plus[k][index] += 1e-6
            minus[k][index] -= 1e-6
            slope = (
                error_over_judged_steps("2a", net, plus, sequence, p)
                - error_over_judged_steps("2a", net, minus, sequence, p)
            ) / 2e-6
            assert (w1[k][index] - w0[k][index]) / rate == pytest.approx(
                -slope, abs=1e-6
            )


def autodiff_update(net, weights, sequence, p):
    """Minus the gradient of E / 2 with y(t-1) cut where it enters a net input (TensorFlow)."""
    w = {k: tf.Variable(v) for k, v in weights.items()}
    x_symbol = tasks.task_2c_symbols(p)[2]
    with tf.GradientTape() as tape:
        s = tf.zeros(net.n_cells, tf.float64)
        rec = tf.zeros(net.n_units, tf.float64)
        for symbol in sequence[:-1]:
            u = tf.concat(
                [tf.one_hot(symbol, net.n_in, dtype=tf.float64), tf.stop_gradient(rec)],
                0,
            )
            y_in = tf.sigmoid(tf.linalg.matvec(w["w_in"], u))
            y_out = tf.sigmoid(tf.linalg.matvec(w["w_out"], u))
            s = s + y_in * (4 * tf.sigmoid(tf.linalg.matvec(w["w_c"], u)) - 2)
            y_c = y_out * (2 * tf.sigmoid(s) - 1)
            rec = tf.concat([y_c, y_in, y_out], 0)
        y = tf.sigmoid(tf.linalg.matvec(w["w_k"], y_c))
        error = 0.5 * tf.reduce_sum((np.eye(2)[sequence[-1] - x_symbol] - y) ** 2)
    return {k: -g.numpy() for k, g in zip(w, tape.gradient(error, list(w.values())))}


def test_reference_truncated_rtrl_matches_autodiff_with_the_cut():
    # Task 2c's net is recurrent: the appendix's forward-carried ds/dw must equal
    # backpropagation through s alone, which autodiff computes independently.
    p, rate = 6, 1.0
    net = numpy_1997.task_net("2c", p)
    w0 = numpy_1997.initial_weights(net, 5)
    # Larger weights than the initial ones, so every term matters.
    w0 = {k: 10 * v for k, v in w0.items()}
    sequence = tasks.task_2c_sequences(np.random.default_rng(1), p, 1)[0]
    sequence = sequence[sequence != tasks.PAD]
    w1, _ = numpy_1997.train_sequence(
        net, w0, sequence, numpy_1997.task_targets("2c", sequence, net, p), rate, False
    )
    want = autodiff_update(net, w0, sequence, p)
    for k in w0:
        np.testing.assert_allclose(w1[k] - w0[k], want[k], rtol=1e-7, atol=1e-12)
        assert np.abs(want[k]).max() > 1e-4, k
