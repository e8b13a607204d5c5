"""Tests for modern_2c.py: Task 2c's stacked trainer against Keras, and learned end to end."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import modern_2c, tasks


def keras_model(weights, n_symbols, units, learning_rate):
    """The same network as plain Keras: LSTM, Dense(2, sigmoid), Adam."""
    inputs = keras.Input(shape=(None, n_symbols))
    outputs = keras.layers.Dense(2, activation="sigmoid")(
        keras.layers.LSTM(units)(inputs)
    )
    model = keras.Model(inputs, outputs)
    model.set_weights(weights)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy"
    )
    return model


@pytest.mark.slow
def test_trainer_and_check_match_keras():
    q, p, units, k, lr = 6, 5, 4, 3, 0.01
    n_symbols = p + 4
    rngs = [np.random.default_rng([s, 0]) for s in (0, 1)]
    sequences = modern_2c.draw_sequences(rngs, q, p, k, [0, 1])
    lengths = (sequences != tasks.PAD).sum(axis=-1)
    assert len(set(lengths.ravel())) > 1  # the masking is exercised
    inits = [modern_2c.initial_weights(s, n_symbols, units, 3.0, -1.0) for s in (0, 1)]
    weights = [tf.constant(np.stack(ws)) for ws in zip(*inits)]
    moments = [(tf.zeros_like(w), tf.zeros_like(w)) for w in weights]
    trainer = modern_2c.make_trainer(2, n_symbols, units, k, sequences.shape[-1], p)
    new, _, _, finite = trainer(
        weights,
        moments,
        tf.constant(0),
        tf.constant(sequences),
        tf.constant([True, True]),
        tf.constant(lr),
    )
    assert finite.numpy().all()
    one_hot = np.eye(n_symbols, dtype=np.float32)
    for s in range(2):
        model = keras_model(inits[s], n_symbols, units, lr)
        for j in range(k):
            n = lengths[s, j]  # the unpadded sequence; its last symbol is the target
            target = np.eye(2, dtype=np.float32)[[sequences[s, j, n - 1] - (p + 2)]]
            model.train_on_batch(one_hot[sequences[s, j, : n - 1]][None], target)
        for ours, theirs, before in zip(
            new, model.get_weights(), inits[s], strict=True
        ):
            np.testing.assert_allclose(ours.numpy()[s], theirs, atol=2e-5)
            assert not np.allclose(theirs, before, atol=1e-4)  # it trained
    # A run that is not active does not change.
    frozen, *_ = trainer(
        weights,
        moments,
        tf.constant(0),
        tf.constant(sequences),
        tf.constant([False, True]),
        tf.constant(lr),
    )
    for before, after in zip(weights, frozen, strict=True):
        np.testing.assert_array_equal(before.numpy()[0], after.numpy()[0])
    # The check's error is Keras's largest error at the trigger.
    test = modern_2c.draw_sequences(rngs, q, p, 7, [0, 1])
    error = modern_2c.make_check(2, 7, test.shape[-1], p)(
        new, tf.constant(test)
    ).numpy()
    for s in range(2):
        model = keras_model([w.numpy()[s] for w in new], n_symbols, units, lr)
        worst = 0.0
        for sequence in test[s]:
            n = (sequence != tasks.PAD).sum()
            output = model.predict_on_batch(one_hot[sequence[: n - 1]][None])[0]
            worst = max(
                worst, np.abs(output - np.eye(2)[sequence[n - 1] - (p + 2)]).max()
            )
        assert error[s] == pytest.approx(worst, abs=1e-5)


@pytest.mark.slow
def test_a_small_task_2c_is_learned_end_to_end():
    result = modern_2c.train_2c_stacked([0, 1], 10, max_sequences=1000)
    assert all(
        c is not None and c % modern_2c.CHECK_EVERY == 0 for c in result["counts"]
    )
    assert not result["diverged"].any()
    # A budget below the first count: the same run has not learned yet.
    first = min(result["counts"])
    again = modern_2c.train_2c_stacked(
        [0, 1], 10, max_sequences=first - modern_2c.CHECK_EVERY
    )
    assert again["counts"] == [None, None]


@pytest.mark.slow
def test_a_diverged_run_fails():
    result = modern_2c.train_2c_stacked([0], 5, learning_rate=1e38, max_sequences=50)
    assert result["counts"] == [None] and result["diverged"].all()


def test_the_check_fails_non_finite_outputs():
    p, units = 5, 4
    good = modern_2c.initial_weights(0, p + 4, units, 10.0, -8.0)
    bad = [w.copy() for w in good]
    bad[1][:] = np.nan  # the recurrent kernel
    weights = [tf.constant(np.stack(pair)) for pair in zip(good, bad, strict=True)]
    test = modern_2c.draw_sequences(
        [np.random.default_rng(s) for s in (0, 1)], 6, p, 4, [0, 1]
    )
    error = modern_2c.make_check(2, 4, test.shape[-1], p)(
        weights, tf.constant(test)
    ).numpy()
    assert np.isfinite(error[0]) and error[1] == np.inf
