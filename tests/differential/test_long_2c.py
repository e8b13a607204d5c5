"""modern_2c's training gathers the input's share of every step before its
loop (a TensorArray), where it used to gather step by step: the outputs and
the gradient must be those of the step-by-step gather, which the judge still
uses."""

import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import modern_2c, regimes, tasks, tf_ops


def loss_and_gradient(weights, sequences, distractors, gradient):
    with tf.GradientTape() as tape:
        tape.watch(weights)
        logits, targets = modern_2c._outputs_and_targets(
            weights, sequences, distractors, gradient=gradient
        )
        total = tf.reduce_sum(tf_ops.bce(logits, targets))
    return logits, tape.gradient(total, weights)


def test_the_gathered_gradient_is_the_step_by_step_one():
    lag, distractors = 7, 5
    chosen = dataclasses.replace(regimes.Settings2c(), units=4)
    weights = tf_ops.stack(
        [modern_2c.initial_weights_2c(s, distractors, chosen) for s in (0, 1)]
    )
    # Random weights rather than the initial ones, so that every part of the
    # gradient is far from zero.
    rng = np.random.default_rng(3)
    weights = tf.nest.map_structure(
        lambda w: tf.constant(rng.normal(0, 0.5, w.shape), tf.float32), weights
    )
    rngs = tasks.streams((0, 1), "train")
    sequences = tasks.task_2c_batch(rngs, lag, distractors, 3, [0, 1])
    lengths = (sequences != tasks.PAD).sum(-1)
    assert len(set(lengths.ravel().tolist())) > 1  # the masking is used
    before, by_step = loss_and_gradient(weights, sequences, distractors, gradient=False)
    after, gathered = loss_and_gradient(weights, sequences, distractors, gradient=True)
    np.testing.assert_array_equal(after.numpy(), before.numpy())
    for ours, theirs in zip(gathered, by_step, strict=True):
        theirs = tf.convert_to_tensor(theirs).numpy()
        assert np.abs(theirs).max() > 1e-3
        np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_the_probe_changes_no_verdict(monkeypatch):
    # Judging each part's first PROBE sequences first must give the counts,
    # and so the weights, of judging every part whole.
    chosen = dataclasses.replace(regimes.Settings2c(), max_sequences=400)
    probed = modern_2c.train_2c([0, 1, 2], 10, settings=chosen)
    monkeypatch.setattr(modern_2c, "PROBE", 10**9)  # no part is split
    whole = modern_2c.train_2c([0, 1, 2], 10, settings=chosen)
    assert probed.counts == whole.counts
    assert all(c is not None for c in probed.counts)  # full judgements were made
    for ours, theirs in zip(
        probed.details["weights"], whole.details["weights"], strict=True
    ):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
