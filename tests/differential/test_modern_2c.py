"""modern_2c, every trial side by side, against the plain Keras reference
(one model per run, references/keras_2c.py)."""

import dataclasses

import keras
import numpy as np
import pytest

from lstm_lab import modern_2c, regimes, tasks, tf_ops
from lstm_lab.references import keras_2c


def settings(**changes):
    return dataclasses.replace(regimes.Modern2c(), **changes)


def training_sequences(seed, q, p, n, check_every):
    """The sequences the trainer draws for a run: check_every at a time."""
    rng = np.random.default_rng([seed, 0])
    drawn = []
    while len(drawn) < n:
        k = min(check_every, n - len(drawn))
        drawn += list(tasks.task_2c_batch([rng], q, p, k, [0])[0])
    return drawn


def test_initial_weights_are_the_reference_models():
    chosen = settings(units=5)
    for seed in (0, 4):
        keras.utils.set_random_seed(seed)
        model = keras_2c.build_model(9, chosen)
        ours = modern_2c.initial_weights(seed, 9, chosen)
        for a, b in zip(model.get_weights(), ours, strict=True):
            np.testing.assert_array_equal(a, b)
    assert (
        ours.bias[:5].tolist() == [-8.0] * 5 and ours.bias[5:10].tolist() == [10.0] * 5
    )


def check_against_the_reference(q, p, n, check_every, run):
    chosen = settings(
        units=4, learning_rate=0.01, max_sequences=n, check_every=check_every
    )
    outcome = modern_2c.train_2c([0, 1], q, p, chosen)
    assert outcome.sequences.tolist() == [n, n]
    seed = [0, 1][run]
    start = modern_2c.initial_weights(seed, p + 4, chosen)
    sequences = training_sequences(seed, q, p, n, check_every)
    assert len({int((s != tasks.PAD).sum()) for s in sequences}) > 1  # masking used
    model = keras_2c.build_model(p + 4, chosen, weights=start)
    keras_2c.train_sequences(model, sequences, p)
    for ours, theirs, before in zip(
        outcome.details["weights"][run], model.get_weights(), start, strict=True
    ):
        np.testing.assert_allclose(ours, theirs, atol=2e-5)
        assert not np.allclose(theirs, before, atol=1e-4)  # it trained


def test_training_matches_the_reference():
    # The fast loop's training test: 4 sequences, no check (budget < check_every).
    check_against_the_reference(q=3, p=3, n=4, check_every=10, run=1)


@pytest.mark.slow
def test_training_across_calls_matches_the_reference():
    check_against_the_reference(q=6, p=5, n=12, check_every=5, run=0)


@pytest.mark.slow
def test_the_check_is_the_references_worst_error():
    q, p, units = 6, 5, 4
    chosen = settings(units=units, max_sequences=30, check_every=1000)
    outcome = modern_2c.train_2c([0, 1], q, p, chosen)
    rngs = [np.random.default_rng([s, 7]) for s in (0, 1)]
    test = tasks.task_2c_batch(rngs, q, p, 7, [0, 1])
    stack = tf_ops.stack(outcome.details["weights"])
    error = modern_2c.make_check(2, 7, test.shape[-1], p)(stack, test).numpy()
    for s in range(2):
        model = keras_2c.build_model(p + 4, chosen, outcome.details["weights"][s])
        assert error[s] == pytest.approx(
            keras_2c.worst_error(model, test[s], p), abs=1e-5
        )


@pytest.mark.slow
def test_a_small_task_2c_is_learned_end_to_end():
    outcome = modern_2c.train_2c([0, 1], 10, settings=settings(max_sequences=1000))
    every = regimes.Modern2c.check_every
    assert all(c is not None and c % every == 0 for c in outcome.counts)
    assert not outcome.diverged.any()
    # A budget below the first count: the same run has not learned yet.
    first = min(outcome.counts)
    again = modern_2c.train_2c(
        [0, 1], 10, settings=settings(max_sequences=first - every)
    )
    assert again.counts == [None, None]


@pytest.mark.slow
def test_a_diverged_run_fails():
    outcome = modern_2c.train_2c(
        [0], 5, settings=settings(learning_rate=1e38, max_sequences=50)
    )
    assert outcome.counts == [None] and outcome.diverged.all()
