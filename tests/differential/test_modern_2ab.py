"""modern_2ab, every seed side by side, against the plain Keras reference
(one model per run, references/keras_2ab.py) and the NumPy reference."""

import dataclasses

import keras
import numpy as np
import pytest

from lstm_lab import modern_2ab, regimes, tasks
from lstm_lab.references import keras_2ab, numpy_lstm


def settings(**changes):
    return dataclasses.replace(regimes.Settings2ab(), **changes)


def keras_trained_weights(seed, task, lag, chosen, n):
    """The reference's training loop for n sequences, without the judgements."""
    keras.utils.set_random_seed(seed)
    model = keras_2ab.build_model(lag, chosen)
    rng = tasks.stream(seed, "train")
    fixed = tasks.lag_sequences(lag)
    for _ in range(n):
        keras_2ab.train_sequences(model, tasks.draw_task(rng, task, fixed, 1), chosen)
    return model.get_weights()


@pytest.mark.parametrize("direct", [True, False])
def test_initial_weights_are_the_reference_models(direct):
    chosen = settings(units=6, direct=direct)
    for seed in (0, 3):
        keras.utils.set_random_seed(seed)
        model = keras_2ab.build_model(7, chosen)
        ours = modern_2ab.initial_weights_2ab(seed, 7, chosen)
        for a, b in zip(model.get_weights(), ours, strict=True):
            np.testing.assert_array_equal(a, b)
    assert ours.bias[:6].tolist() == [-3.0] * 6  # the input gate's
    assert ours.bias[6:12].tolist() == [10.0] * 6  # the forget gate's


def test_training_matches_the_numpy_reference():
    # The fast loop's training test. Without the input->output connection and
    # with every step weighted 1, the network is the tutorial's, trained with
    # the gradient through each sequence: numpy_lstm's "sequence" update.
    lag, n = 4, 12
    chosen = settings(
        units=4, direct=False, last_weight=1.0, max_sequences=n, judge_every=1000
    )
    outcome = modern_2ab.train_2ab([3, 1], "2a", lag, chosen)
    assert outcome.sequences.tolist() == [n, n] and outcome.counts == [None, None]
    for run, seed in enumerate([3, 1]):
        start = modern_2ab.initial_weights_2ab(seed, lag, chosen)
        rng = tasks.stream(seed, "train")
        fixed = tasks.lag_sequences(lag)
        drawn = np.concatenate([tasks.draw_task(rng, "2a", fixed, 1) for _ in range(n)])
        expected = numpy_lstm.train_numpy(
            start, drawn, lag + 1, 1, chosen.learning_rate, update="sequence"
        )
        ours = outcome.details["weights"][run]
        for w, ref, first in zip(ours, expected, start, strict=True):
            np.testing.assert_allclose(w, ref, atol=2e-5)
            assert not np.allclose(ref, first, atol=1e-3)  # it trained


@pytest.mark.slow
@pytest.mark.parametrize(("task", "lag", "direct"), [("2b", 8, True), ("2a", 6, False)])
def test_weights_after_training_are_the_reference_models(task, lag, direct):
    seeds, n = [3, 1], 30
    # No judgement within the 30 sequences: both sides train all of them.
    chosen = settings(units=8, direct=direct, max_sequences=n, judge_every=1000)
    outcome = modern_2ab.train_2ab(seeds, task, lag, chosen)
    assert outcome.sequences.tolist() == [n, n]
    # The second run of the stack (a Keras model costs seconds to compile).
    start = modern_2ab.initial_weights_2ab(1, lag, chosen)
    expected = keras_trained_weights(1, task, lag, chosen, n)
    for ours, theirs, before in zip(
        outcome.details["weights"][1], expected, start, strict=True
    ):
        # Largest difference seen: 1e-6 (float32 rounding in another order).
        np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)
        assert not np.allclose(ours, before, atol=1e-3)  # it trained


@pytest.mark.slow
def test_counts_are_the_reference_runs():
    # Task 2b, whose screening is the intricate part, with settings
    # (20 units, input bias 0, last step 50) that learn p = 5 within 1,000.
    chosen = settings(units=20, input_bias=0.0, last_weight=50.0, max_sequences=1000)
    outcome = modern_2ab.train_2ab([0, 1], "2b", 5, chosen)
    theirs = [keras_2ab.train_run(s, "2b", 5, chosen)[0] for s in (0, 1)]
    assert outcome.counts == theirs
    assert all(c is not None for c in theirs)
    # Finished runs stop: each trained exactly up to its count.
    assert outcome.sequences.tolist() == theirs
    assert not outcome.diverged.any()


@pytest.mark.slow
@pytest.mark.parametrize("task", ["2a", "2b"])
def test_a_diverged_run_fails_and_stops(task):
    # Adam's steps overflow float32 on the first updates, and the weights
    # become NaN. (A learning rate of 1e6 does not diverge at p = 5: the
    # weights grow to 1e7 and the saturated outputs meet the 2a criterion.)
    chosen = settings(learning_rate=1e38, max_sequences=200)
    outcome = modern_2ab.train_2ab([0, 1], task, 5, chosen)
    assert outcome.counts == [None, None]
    assert outcome.diverged.all()
    assert outcome.sequences.tolist() == [20, 20]  # stopped at once
    assert all(np.isnan(w).any() for w in outcome.details["weights"][0])


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="max_sequences must be at least 1"):
        modern_2ab.train_2ab([0], "2a", 5, settings(max_sequences=0))
    with pytest.raises(ValueError, match=r"got '2c' \(2c: modern_2c.train_2c\)"):
        modern_2ab.train_2ab([0], "2c", 5)
    with pytest.raises(ValueError, match="at least 2, got 1"):
        modern_2ab.train_2ab([0], "2a", 1)
    with pytest.raises(ValueError, match="need at least one seed"):
        modern_2ab.train_2ab([], "2a", 5)
