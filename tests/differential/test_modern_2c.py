"""modern_2c, every trial side by side, against the plain Keras reference
(one model per run, references/keras_2c.py)."""

import dataclasses

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import modern_2c, regimes, tasks, tf_ops
from lstm_lab.references import keras_2c


def settings(**changes):
    return dataclasses.replace(regimes.Settings2c(), **changes)


def training_sequences(seed, lag, distractors, n, judge_every):
    """The sequences the trainer draws for a run: judge_every at a time."""
    rng = tasks.stream(seed, "train")
    drawn = []
    while len(drawn) < n:
        k = min(judge_every, n - len(drawn))
        drawn += list(tasks.task_2c_batch([rng], lag, distractors, k, [0])[0])
    return drawn


def test_initial_weights_are_the_reference_models():
    chosen = settings(units=5)
    for seed in (0, 4):
        keras.utils.set_random_seed(seed)
        model = keras_2c.build_model(9, chosen)
        ours = modern_2c.initial_weights_2c(seed, 5, chosen)  # 5 + 4 symbols
        for a, b in zip(model.get_weights(), ours, strict=True):
            np.testing.assert_array_equal(a, b)
    assert (
        ours.bias[:5].tolist() == [-8.0] * 5 and ours.bias[5:10].tolist() == [10.0] * 5
    )


def compare_with_the_reference(lag, distractors, n, judge_every, run):
    """Train both seeds' runs for n sequences; run `run`'s final weights must
    be the Keras model's, trained on the same sequences. Returns that model
    and the trainer's outcome."""
    chosen = settings(
        units=4, learning_rate=0.01, max_sequences=n, judge_every=judge_every
    )
    outcome = modern_2c.train_2c([0, 1], lag, distractors, chosen)
    assert outcome.sequences.tolist() == [n, n]
    seed = [0, 1][run]
    start = modern_2c.initial_weights_2c(seed, distractors, chosen)
    sequences = training_sequences(seed, lag, distractors, n, judge_every)
    assert len({int((s != tasks.PAD).sum()) for s in sequences}) > 1  # masking used
    n_symbols = tasks.layout_2c(distractors).n_symbols
    model = keras_2c.build_model(n_symbols, chosen, weights=start)
    keras_2c.train_sequences(model, sequences, distractors)
    for ours, theirs, before in zip(
        outcome.details["weights"][run], model.get_weights(), start, strict=True
    ):
        np.testing.assert_allclose(ours, theirs, atol=2e-5)
        assert not np.allclose(theirs, before, atol=1e-4)  # it trained
    return model, outcome


@pytest.mark.slow
def test_training_matches_the_reference():
    # At q = p, as the paper's Table 3 rows; the fast loop trains this trainer
    # in the test at q != p below. 4 sequences, no judgement (budget < judge_every).
    compare_with_the_reference(lag=3, distractors=3, n=4, judge_every=10, run=1)


def test_a_lag_other_than_the_distractors_matches_the_reference():
    # The paper's q (the lag) and p (the distractors) are different numbers:
    # the symbols and the targets follow the distractors, the length the lag.
    # With the lag's layout, x would be 9, past the 7 symbols, and the targets
    # one hot of a negative index: all zero.
    lag, distractors = 7, 3
    model, _ = compare_with_the_reference(lag, distractors, n=4, judge_every=10, run=0)
    layout = tasks.layout_2c(distractors)
    test = tasks.task_2c_batch(tasks.streams([0], "test"), lag, distractors, 8, [0])
    lengths = tasks.sequence_lengths(test[0])
    assert lengths.min() >= lag + 4 and test.max() < layout.n_symbols
    last = test[0, np.arange(len(lengths)), lengths - 1]
    assert set(last.tolist()) == {layout.x, layout.y}  # both answers judged
    # A net that answers neither x nor y (both outputs near 0.05): wrong by
    # about 0.95 on every sequence, and right by all-zero targets.
    changed = model.get_weights()
    changed[3] = np.zeros_like(changed[3])
    changed[4] = np.full_like(changed[4], -3.0)
    model.set_weights(changed)
    weights = tf_ops.stack([tf_ops.LstmWeights(*changed)])
    _, targets = modern_2c._outputs_and_targets(weights, tf.constant(test), distractors)
    expected = np.stack([last == layout.x, last == layout.y], axis=-1)
    np.testing.assert_array_equal(targets.numpy()[0], expected.astype(np.float32))
    for sequence, target in zip(test[0], expected, strict=True):
        _, theirs = keras_2c.inputs_and_target(sequence, distractors)
        np.testing.assert_array_equal(theirs[0], target)
    judge = modern_2c.compile_2c_judge(1, *test.shape[1:], distractors)
    error = judge(weights, tf.constant(test)).numpy()[0]
    assert error == pytest.approx(
        keras_2c.worst_error(model, test[0], distractors), abs=1e-5
    )
    assert error > 0.9
    # The trainer's own judgement, with the distractors it was given.
    trainer = modern_2c.Trainer2c(lag, distractors, settings(units=4), n_test=8)
    trainer.start([0])
    trainer.weights = weights
    passed, not_finite = trainer.judge(np.arange(1), tasks.streams([0], "test"))
    assert passed.tolist() == [False] and not_finite.tolist() == [False]


@pytest.mark.slow
def test_training_across_calls_matches_the_reference():
    compare_with_the_reference(lag=6, distractors=5, n=12, judge_every=5, run=0)


@pytest.mark.slow
def test_the_judgement_is_the_references_worst_error():
    lag, distractors, units = 6, 5, 4
    chosen = settings(units=units, max_sequences=30, judge_every=1000)
    outcome = modern_2c.train_2c([0, 1], lag, distractors, chosen)
    # A stream that neither side trains or judges on.
    rngs = [np.random.default_rng([s, 7]) for s in (0, 1)]
    test = tasks.task_2c_batch(rngs, lag, distractors, 7, [0, 1])
    stack = tf_ops.stack(outcome.details["weights"])
    judge = modern_2c.compile_2c_judge(2, 7, test.shape[-1], distractors)
    error = judge(stack, test).numpy()
    n_symbols = tasks.layout_2c(distractors).n_symbols
    for s in range(2):
        model = keras_2c.build_model(n_symbols, chosen, outcome.details["weights"][s])
        assert error[s] == pytest.approx(
            keras_2c.worst_error(model, test[s], distractors), abs=1e-5
        )


@pytest.mark.slow
def test_a_small_task_2c_is_learned_end_to_end():
    outcome = modern_2c.train_2c([0, 1], 10, settings=settings(max_sequences=1000))
    every = regimes.Settings2c.judge_every
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
