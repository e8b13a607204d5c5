"""Unit tests of lstm_lab/epoch_trainer.py's pieces on known answers: the loop
over the steps, the forward pass it runs, the chunks of epochs, the refusals,
and the size estimates the trainer is checked with.

Training against independent references is in tests/differential/.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import epoch_trainer, estimates, tasks, tf_ops


def test_steps_loop_runs_the_body_once_per_step_in_order():
    def body(t, state):
        total, order = state
        return total + t, order * 10 + t

    total, order = epoch_trainer.steps_loop(4, body, (0, 0))
    assert (int(total), int(order)) == (0 + 1 + 2 + 3, 123)


def test_run_sequences_is_forward_step_from_a_zero_state():
    weights = tf_ops.stack(
        [epoch_trainer.article_initial_weights(seed, 5, 3) for seed in (0, 1)]
    )
    inputs = tf.constant(np.eye(5, dtype=np.float32)[tasks.article_sequences()[:, :-1]])
    h = c = tf.zeros((2, 3))
    expected = []
    for t in range(4):
        logits, h, c = epoch_trainer.forward_step(weights, inputs[:, t], h, c)
        expected.append(logits)
    np.testing.assert_array_equal(
        epoch_trainer.run_sequences(weights, inputs), tf.stack(expected, axis=1)
    )


def test_run_sequences_gradient_is_the_gradient_through_every_step():
    weights = tf_ops.stack(
        [epoch_trainer.article_initial_weights(seed, 5, 3) for seed in (0, 1)]
    )
    sequences = tasks.article_sequences()
    inputs = tf.constant(np.eye(5, dtype=np.float32)[sequences[:, :-1]])
    targets = tf.constant(np.eye(5, dtype=np.float32)[sequences[:, 1:]])

    def loss(logits):
        return tf.reduce_sum(tf_ops.bce(logits, targets))

    with tf.GradientTape(persistent=True) as tape:
        tape.watch(weights)
        ours = loss(epoch_trainer.run_sequences(weights, inputs))
        h = c = tf.zeros((2, 3))
        steps = []
        for t in range(4):
            logits, h, c = epoch_trainer.forward_step(weights, inputs[:, t], h, c)
            steps.append(logits)
        unrolled = loss(tf.stack(steps, axis=1))
    for a, b in zip(
        tape.gradient(ours, weights), tape.gradient(unrolled, weights), strict=True
    ):
        assert np.abs(b).max() > 0
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


def test_epoch_chunk_bounds_the_work_of_one_call():
    assert epoch_trainer.epoch_chunk(250, 1.0) == 25  # a tenth, for the progress bar
    assert epoch_trainer.epoch_chunk(7, 1.0) == 1
    assert epoch_trainer.epoch_chunk(10**8, epoch_trainer.CALL_WORK / 4) == 4
    assert epoch_trainer.epoch_chunk(10**8, epoch_trainer.CALL_WORK * 10) == 1


def test_epoch_chunk_divides_the_epochs_when_it_can():
    # paper.py's article rows: 252 epochs, 21 at a time (one compile), not 25 + 2.
    assert epoch_trainer.epoch_chunk(252, 1.0) == 21
    # 251 is prime: its divisors are far below the bound, so 25 and a last 1.
    assert epoch_trainer.epoch_chunk(251, 1.0) == 25


def test_train_runs_rejects_bad_input():
    with pytest.raises(ValueError, match="update must be one of"):
        epoch_trainer.train_runs([0], tasks.article_sequences(), 5, update="minibatch")
    with pytest.raises(ValueError, match=r"values must be in 0\.\.3"):
        epoch_trainer.train_runs([0], tasks.article_sequences(), 4)
    with pytest.raises(ValueError, match="orders must"):
        epoch_trainer.train_runs(
            [0], tasks.article_sequences(), 5, epochs=2, orders=np.zeros((1, 3, 2))
        )


def test_epoch_estimates_grow_with_the_sizes():
    base = (10, 5, 20, 250, 2, 4, 2)
    small = estimates.epoch_memory(*base)
    assert small < 2**20
    assert estimates.epoch_memory(10, 5, 20, 10**8, 2, 4, 2) > 10 * 2**30
    assert estimates.epoch_memory(10, 5, 10**5, 250, 2, 4, 2) > 10 * 2**30
    assert estimates.epoch_work(10, 5, 20, 2, 4, 2) == 10 * (4 * 20 * 25 + 100) * 4 * 8


@pytest.mark.parametrize("numerics", ["keras3", "keras2"])
def test_adam_is_keras_adam_with_each_numerics_epsilon(numerics):
    # Gradients near epsilon's size, where 1e-7 and 1e-8 give different steps.
    _, epsilon = tf_ops.numerics(numerics)
    start = np.array([0.5, -0.25, 1.0], np.float32)
    grads = [np.array(g, np.float32) for g in ([1e-7, -3e-8, 2.0], [5e-8, 1e-7, -1.0])]
    variable = tf.Variable(start)
    optimizer = keras.optimizers.Adam(epsilon=epsilon)
    weights, moments = tf.constant(start), tf_ops.zero_moments(tf.constant(start))
    for step, g in enumerate(grads):
        optimizer.apply_gradients([(tf.constant(g), variable)])
        weights, moments = tf_ops.adam(
            weights, tf.constant(g), moments, step, tf_ops.LEARNING_RATE, epsilon
        )
    np.testing.assert_allclose(weights, variable.numpy(), rtol=1e-6, atol=1e-9)
    other = 1e-7 if epsilon == 1e-8 else 1e-8
    changed, _ = tf_ops.adam(
        tf.constant(start),
        tf.constant(grads[0]),
        tf_ops.zero_moments(tf.constant(start)),
        0,
        tf_ops.LEARNING_RATE,
        other,
    )
    first, _ = tf_ops.adam(
        tf.constant(start),
        tf.constant(grads[0]),
        tf_ops.zero_moments(tf.constant(start)),
        0,
        tf_ops.LEARNING_RATE,
        epsilon,
    )
    assert not np.allclose(changed, first, rtol=1e-6, atol=1e-9)  # epsilon matters


def test_numerics_choose_the_gate_and_epsilon():
    assert tf_ops.numerics("keras3") == (tf.sigmoid, 1e-7)
    gate, epsilon = tf_ops.numerics("keras2")
    assert epsilon == 1e-8
    np.testing.assert_allclose(gate(tf.constant([-1.0, 1.0])), [0.3, 0.7], atol=1e-7)
    with pytest.raises(ValueError, match="got 'keras1'"):
        tf_ops.numerics("keras1")
    with pytest.raises(ValueError, match="got 'keras1'"):
        epoch_trainer.train_runs([0], tasks.article_sequences(), 5, numerics="keras1")
