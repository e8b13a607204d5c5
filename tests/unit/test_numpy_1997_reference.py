"""The 1997 net's NumPy reference against independent gradients: central
differences where nothing is truncated, TensorFlow autodiff with the cut where
the net is recurrent; and the paper's weight counts."""

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import tasks
from lstm_lab.references import numpy_1997


@pytest.mark.parametrize(
    ("task", "lag", "weights"),
    # The paper's weight counts: Table 2 (LSTM, p = 100) and Table 3.
    [("2a", 100, 10_504), ("2c", 50, 364), ("2c", 100, 664), ("2c", 1000, 6_064)],
)
def test_weight_counts_are_the_papers(task, lag, weights):
    assert numpy_1997.paper_net(task, lag).n_weights() == weights


def test_task_2c_counts_its_distractors():
    assert numpy_1997.paper_net("2c", 1000, distractors=50).n_weights() == 364


def test_bad_nets_are_refused():
    with pytest.raises(ValueError, match="task must be 2a, 2b or 2c, got '2d'"):
        numpy_1997.paper_net("2d", 5)
    with pytest.raises(ValueError, match="squashing function must be one of"):
        numpy_1997.paper_net("2a", 5, g="tanh")


def test_task_2c_targets_are_x_or_y_after_the_distractors():
    # With 3 distractors, x and y are symbols 5 and 6, whatever the lag.
    net = numpy_1997.paper_net("2c", 7, 3)
    sequence = np.array([4, 6, 0, 1, 2, 0, 1, 2, 0, 3, 6])
    [(step, target)] = numpy_1997.task_targets("2c", sequence, net, 3)
    assert step == len(sequence) - 2
    np.testing.assert_array_equal(target, [0.0, 1.0])
    with pytest.raises(ValueError, match="ends with x or y, got symbol 6"):
        numpy_1997.task_targets("2c", sequence, net, 5)


def error_over_judged_steps(task, net, weights, sequence, share=0.5):
    """share * E over the judged steps: E / 2 is what the printed updates
    (eq. 19) descend, E itself what eq. 16 defines."""
    _, outputs = numpy_1997.train_sequence(net, weights, sequence, [], 0.0, True)
    return sum(
        share * np.sum((t - outputs[s]) ** 2)
        for s, t in numpy_1997.task_targets(task, sequence, net)
    )


@pytest.mark.parametrize(("error", "share"), [("eq19", 0.5), ("eq16", 1.0)])
def test_reference_update_is_the_gradient_when_nothing_is_truncated(error, share):
    # The 2a net has no recurrent connections, so truncation drops nothing: the
    # summed update of a sequence is minus the gradient of E / 2 (eq. 19) or
    # of E (eq. 16), which central differences measure without any of the
    # reference's equations.
    lag, rate = 4, 1e-3
    net = numpy_1997.paper_net("2a", lag, g="centred2")
    w0 = numpy_1997.paper_initial_weights(net, 3)
    sequence = tasks.lag_sequences(lag)[1]
    targets = numpy_1997.task_targets("2a", sequence, net)
    w1, _ = numpy_1997.train_sequence(
        net, w0, sequence, targets, rate, False, error=error
    )
    for k in ("w_c", "w_in", "w_k"):
        for index in np.ndindex(w0[k].shape):
            plus = {n: v.copy() for n, v in w0.items()}
            minus = {n: v.copy() for n, v in w0.items()}
            plus[k][index] += 1e-6
            minus[k][index] -= 1e-6
            slope = (
                error_over_judged_steps("2a", net, plus, sequence, share)
                - error_over_judged_steps("2a", net, minus, sequence, share)
            ) / 2e-6
            assert (w1[k][index] - w0[k][index]) / rate == pytest.approx(
                -slope, abs=1e-6
            )


# Task 2c's g and h as written out for autodiff: (low, scale) of low + scale sigma.
RANGES = {"text": ((-2, 4), (-1, 2)), "legend": ((-1, 2), (-2, 4))}


def autodiff_update(net, weights, sequence, distractors, ranges="text"):
    """Minus the gradient of E / 2 with y(t-1) cut where it enters a net input (TensorFlow)."""
    (g_low, g_scale), (h_low, h_scale) = RANGES[ranges]
    w = {k: tf.Variable(v) for k, v in weights.items()}
    x_symbol = tasks.layout_2c(distractors).x
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
            g = g_low + g_scale * tf.sigmoid(tf.linalg.matvec(w["w_c"], u))
            s = s + y_in * g
            y_c = y_out * (h_low + h_scale * tf.sigmoid(s))
            rec = tf.concat([y_c, y_in, y_out], 0)
        y = tf.sigmoid(tf.linalg.matvec(w["w_k"], y_c))
        error = 0.5 * tf.reduce_sum((np.eye(2)[sequence[-1] - x_symbol] - y) ** 2)
    return {k: -g.numpy() for k, g in zip(w, tape.gradient(error, list(w.values())))}


@pytest.mark.parametrize(
    ("ranges", "g", "h"),
    # The 2c text's h on [-1, 1] and g on [-2, 2], and Table 10's legend's swap.
    [("text", None, None), ("legend", "centred1", "centred2")],
)
def test_reference_truncated_rtrl_matches_autodiff_with_the_cut(ranges, g, h):
    # Task 2c's net is recurrent: the appendix's forward-carried ds/dw must equal
    # backpropagation through s alone, which autodiff computes independently.
    lag, distractors, rate = 6, 4, 1.0
    net = numpy_1997.paper_net("2c", lag, distractors, g=g, h=h)
    w0 = numpy_1997.paper_initial_weights(net, 5)
    # Larger weights than the initial ones, so every term matters.
    w0 = {k: 10 * v for k, v in w0.items()}
    rng = np.random.default_rng(1)
    sequence = tasks.task_2c_sequences(rng, lag, 1, distractors)[0]
    sequence = sequence[sequence != tasks.PAD]
    targets = numpy_1997.task_targets("2c", sequence, net, distractors)
    w1, _ = numpy_1997.train_sequence(net, w0, sequence, targets, rate, False)
    want = autodiff_update(net, w0, sequence, distractors, ranges)
    for k in w0:
        np.testing.assert_allclose(w1[k] - w0[k], want[k], rtol=1e-7, atol=1e-12)
        assert np.abs(want[k]).max() > 1e-4, k


@pytest.mark.parametrize(("task", "lag"), [("2a", 5), ("2c", 5)])
def test_eq16_steps_twice_as_far_as_eq19(task, lag):
    # One update from the same state: eq. 16's E doubles every e_k and so
    # every change. Step by step, that is eq. 19 at twice the rate, exactly.
    net = numpy_1997.paper_net(task, lag)
    w0 = {k: 5 * v for k, v in numpy_1997.paper_initial_weights(net, 1).items()}
    rng = np.random.default_rng(2)
    sequence = tasks.task_sequences(rng, task, lag, 1)[0]
    sequence = sequence[sequence != tasks.PAD]
    distractors = lag if task == "2c" else None
    targets = numpy_1997.task_targets(task, sequence, net, distractors)

    def update(error, rate, per_step):
        return numpy_1997.train_sequence(
            net, w0, sequence, targets, rate, per_step, error=error
        )[0]

    w19, w16 = update("eq19", 0.1, False), update("eq16", 0.1, False)
    for k, start in w0.items():
        np.testing.assert_allclose(w16[k] - start, 2 * (w19[k] - start), rtol=1e-12)
        assert start.size == 0 or np.abs(w19[k] - start).max() > 1e-4, k
    stepwise_19, stepwise_16 = update("eq19", 0.2, True), update("eq16", 0.1, True)
    for k in w0:
        np.testing.assert_array_equal(stepwise_16[k], stepwise_19[k])


def test_an_unknown_error_is_refused():
    net = numpy_1997.paper_net("2a", 3)
    sequence = tasks.lag_sequences(3)[0]
    with pytest.raises(ValueError, match="error must be one of .* got 'eq17'"):
        numpy_1997.train_sequence(
            net,
            numpy_1997.paper_initial_weights(net, 0),
            sequence,
            [],
            1.0,
            True,
            error="eq17",
        )
