"""paper_stacked against Keras: initial weights, weights after training, counts."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import modern_2ab, tasks
from lstm_lab.references import keras_2ab


def keras_trained_weights(seed, task, p, units, n, **options):
    """train_paper_run's loop for n sequences, without the checks."""
    keras.utils.set_random_seed(seed)
    model = keras_2ab.build_paper_model(p, units, **options)
    rng = np.random.default_rng([seed, 0])
    fixed = tasks.lag_sequences(p)
    one_hot = np.eye(p + 1, dtype=np.float32)
    weights = keras_2ab.last_step_weights(p)
    for _ in range(n):
        sequence = tasks.draw_task(rng, task, fixed, 1)
        model.train_on_batch(
            one_hot[sequence[:, :-1]], one_hot[sequence[:, 1:]], sample_weight=weights
        )
    return model.get_weights()


@pytest.mark.parametrize("direct", [True, False])
def test_initial_weights_are_build_paper_models(direct):
    for seed in (0, 3):
        keras.utils.set_random_seed(seed)
        model = keras_2ab.build_paper_model(7, units=6, input_bias=-3.0, direct=direct)
        ours = modern_2ab.initial_paper_weights(seed, 7, 6, 10.0, -3.0, direct=direct)
        for a, b in zip(model.get_weights(), ours, strict=True):
            np.testing.assert_array_equal(a, b)
    assert ours[2][:6].tolist() == [-3.0] * 6 and ours[2][6:12].tolist() == [10.0] * 6


@pytest.mark.slow
@pytest.mark.parametrize(("task", "p", "units"), [("2b", 8, 8)])
def test_weights_after_training_are_keras(task, p, units):
    seeds, n = [3, 1], 30
    # No check within the 30 sequences: both sides train all of them.
    result = modern_2ab.train_paper_stacked(
        seeds, task, p, units=units, max_sequences=n, check_every=1000
    )
    assert result["sequences"].tolist() == [n, n]
    # The second run of the stack (a Keras model costs seconds to compile).
    start = modern_2ab.initial_paper_weights(1, p, units, 10.0, 0.0)
    expected = keras_trained_weights(1, task, p, units, n)
    for ours, theirs, before in zip(result["weights"][1], expected, start, strict=True):
        # Largest difference seen: 1e-6 (float32 rounding in another order).
        np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)
        assert not np.allclose(ours, before, atol=1e-3)  # it trained


@pytest.mark.slow
def test_weights_without_the_direct_connection_are_keras():
    result = modern_2ab.train_paper_stacked(
        [2], "2a", 6, units=5, direct=False, max_sequences=20, check_every=1000
    )
    expected = keras_trained_weights(2, "2a", 6, 5, 20, direct=False)
    for ours, theirs in zip(result["weights"][0], expected, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=0)


@pytest.mark.slow
def test_counts_are_train_paper_runs():
    # Task 2b, whose batched check is the intricate part; the earlier defaults
    # (20 units, input bias 0, last step 50), which learn p = 5 within 1,000.
    seeds = [0, 1]
    options = {
        "units": 20,
        "input_bias": 0.0,
        "last_weight": 50.0,
        "max_sequences": 1000,
    }
    ours = modern_2ab.train_paper_stacked(seeds, "2b", 5, **options)
    theirs = [keras_2ab.train_paper_run(s, "2b", 5, **options) for s in seeds]
    assert ours["counts"] == theirs
    assert all(c is not None for c in theirs)
    # Finished runs stop: each trained exactly up to its count.
    assert ours["sequences"].tolist() == theirs
    assert not ours["diverged"].any()


@pytest.mark.slow
def test_budget_that_is_not_a_multiple_of_check_every():
    # 50 sequences, checks after 20 and 40 only, as in train_paper_run.
    result = modern_2ab.train_paper_stacked(
        [0], "2a", 5, max_sequences=50, check_every=20
    )
    assert result["counts"] == [None]
    assert result["sequences"].tolist() == [50]


@pytest.mark.slow
@pytest.mark.parametrize("task", ["2a", "2b"])
def test_a_diverged_run_fails(task):
    # Adam's steps overflow float32 on the first updates, and the weights
    # become NaN. (A learning rate of 1e6 does not diverge at p = 5: the
    # weights grow to 1e7 and the saturated outputs meet the 2a criterion.)
    result = modern_2ab.train_paper_stacked(
        [0, 1], task, 5, learning_rate=1e38, max_sequences=200
    )
    assert result["counts"] == [None, None]
    assert result["diverged"].all()
    # A run with NaN weights is dropped at once, not trained to the budget.
    assert result["sequences"].tolist() == [20, 20]
    assert all(np.isnan(w).any() for w in result["weights"][0])


def test_checks_fail_nan_outputs():
    p, units = 5, 4
    _, worst_every_step, worst_last_step = modern_2ab._compiled(p + 1)
    good = modern_2ab._to_internal(
        modern_2ab.initial_paper_weights(0, p, units, 10.0, 0.0), units, True
    )
    bad = [w.copy() for w in good]
    bad[1][:] = np.nan  # the recurrent kernel
    weights = [tf.constant(np.stack(pair)) for pair in zip(good, bad)]
    fixed = tasks.lag_sequences(p)
    worst = worst_every_step(weights, tf.constant(fixed, tf.int32)).numpy()
    assert np.isfinite(worst[0]) and worst[1] == np.inf
    sequences = np.stack([fixed, fixed]).astype(np.int32)
    worst = worst_last_step(
        weights, tf.constant([0, 1]), tf.constant(sequences)
    ).numpy()
    assert np.isfinite(worst[0]).all() and (worst[1] == np.inf).all()


def sequential_check(rng, fixed, n_test, fails):
    """paper_model.paper_success's loop, with fails(sequences) for the model."""
    p = fixed.shape[1] - 1
    chunk = keras_2ab.check_chunk(p, n_test)
    for _ in range(-(-n_test // chunk)):
        if fails(tasks.draw_task(rng, "2b", fixed, chunk)).any():
            return False
    return True


def test_batched_2b_check_leaves_each_rng_where_the_sequential_check_does():
    # A stand-in for the network: a sequence "fails" when its first two middle
    # symbols are 0, about one in 10,000 at p = 100, so with chunks of 396
    # some runs fail in the first chunk, some later and some never.
    p, n_test = 100, 10_000
    fixed = tasks.lag_sequences(p)

    def fails(sequences):
        return (sequences[..., 1] == 0) & (sequences[..., 2] == 0)

    def worst_last_step(weights, rows, sequences):
        return tf.constant(np.where(fails(sequences.numpy()), 1.0, 0.0))

    n = 24
    rngs = [np.random.default_rng([s, 1]) for s in range(n)]
    references = [np.random.default_rng([s, 1]) for s in range(n)]
    stack = [np.zeros(n)]  # only its length (the stack size) is read
    for _ in range(3):  # consecutive checks continue each stream
        passed, not_finite = modern_2ab._check_2b(
            worst_last_step, stack, np.arange(n), rngs, fixed, n_test
        )
        expected = [sequential_check(r, fixed, n_test, fails) for r in references]
        assert passed.tolist() == expected
        assert not not_finite.any()
        for ours, theirs in zip(rngs, references, strict=True):
            assert ours.bit_generator.state == theirs.bit_generator.state
    assert 0 < sum(expected) < n  # both outcomes occurred


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="max_sequences must be at least 1"):
        modern_2ab.train_paper_stacked([0], "2a", 5, max_sequences=0)
    with pytest.raises(ValueError, match="task must be one of"):
        modern_2ab.train_paper_stacked([0], "2z", 5)
    with pytest.raises(ValueError, match="at least 2, got 1"):
        modern_2ab.train_paper_stacked([0], "2a", 1)
    with pytest.raises(ValueError, match="at least one seed"):
        modern_2ab.train_paper_stacked([], "2a", 5)
