"""The 1997 trainer's gathered form (step_1997.Gathered) against its one-hot
form (step_1997.OneHot), the equations as written: the same weights after
training and the same outputs when judged, from two codings of each step."""

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import method_1997, net_1997, regimes, step_1997, tasks

SLOW = pytest.mark.slow


def stacked_initial_weights(net, seeds):
    inits = [net_1997.initial_weights_1997(net, s) for s in seeds]
    return {
        k: tf.constant(np.stack([i[k] for i in inits]), tf.float32) for k in inits[0]
    }


def training_sequences(task, lag, distractors, seeds, n):
    rngs = tasks.streams(seeds, "train")
    if task == "2c":
        return tasks.task_2c_batch(rngs, lag, distractors, n, range(len(seeds)))
    fixed = tasks.lag_sequences(lag)
    return np.stack([tasks.draw_task(rng, task, fixed, n) for rng in rngs])


@pytest.mark.parametrize(
    ("task", "lag", "distractors", "per_step", "rate", "cells", "xy"),
    [
        # The fast loop keeps one case of each loop: the recurrent 2c net at
        # q != p (the inputs' rows and the recurrent columns split
        # differently), stepped; and 2b's all-steps-at-once update with both
        # of its departures (x and y learn at the last step only, two cells).
        ("2c", 7, 3, True, 0.5, None, False),
        ("2b", 6, None, False, 1.0, 2, True),
        pytest.param("2a", 6, None, False, 1.0, None, False, marks=SLOW),
        pytest.param("2a", 6, None, True, 1.0, None, False, marks=SLOW),
        pytest.param("2b", 6, None, False, 1.0, None, False, marks=SLOW),
        pytest.param("2b", 6, None, False, 1.0, None, True, marks=SLOW),
        pytest.param("2b", 6, None, False, 1.0, 2, False, marks=SLOW),
        pytest.param("2b", 6, None, True, 1.0, 2, True, marks=SLOW),
    ],
)
def test_the_gathered_form_trains_as_the_one_hot_form(
    task, lag, distractors, per_step, rate, cells, xy
):
    seeds, n = (0, 1, 2), 40
    net = net_1997.task_net(task, lag, distractors, cells=cells)
    weights = stacked_initial_weights(net, seeds)
    sequences = tf.constant(training_sequences(task, lag, distractors, seeds, n))
    offset = tasks.layout_2c(distractors).x if task == "2c" else 0
    last_only = net_1997.xy_outputs(task, lag) if xy else ()
    active = tf.constant([True, True, False])
    cell_on = tf.constant([True, False, True])  # one 2a/2b net without its cell
    trained = {}
    for form in ("one-hot", "gathered"):
        trainer = method_1997.compile_1997_training(
            net,
            len(seeds),
            n,
            sequences.shape[-1],
            per_step,
            task == "2c",
            offset,
            form,
            last_only,
        )
        trained[form] = trainer(
            weights, sequences, active, cell_on, tf.constant(rate), tf.constant(1.0)
        )
    (want, want_loss), (got, got_loss) = trained["one-hot"], trained["gathered"]
    for k in want:
        assert got[k].shape == want[k].shape, k
        np.testing.assert_allclose(got[k], want[k], rtol=0, atol=1e-6, err_msg=k)
        if not want[k].shape[-1]:
            continue  # a net without output gates has no w_out
        moved = np.abs(want[k].numpy() - weights[k].numpy()).max(axis=(1, 2))
        assert moved[2] == 0, f"{k}: an inactive run changed"
        if k != "w_out" or net.out_gates:
            assert moved[0] > 1e-3, f"{k} did not learn"
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-6)
    assert want_loss.numpy()[0] > 0


def test_the_paper_errors_take_the_default_path():
    # Without outputs that learn at the last step only there is no weight per
    # output: the trainer computes what it computed before the option existed.
    net = net_1997.task_net("2b", 6)
    assert step_1997.middle_weights(net, ()) is None
    xy = net_1997.xy_outputs("2b", 6)
    middle = step_1997.middle_weights(net, xy).numpy()
    np.testing.assert_array_equal(middle, [1, 1, 1, 1, 1, 0, 0])


@pytest.mark.parametrize(
    ("task", "lag", "distractors"),
    [pytest.param("2a", 6, None, marks=SLOW), ("2c", 7, 3)],
)
def test_the_gathered_judge_gives_the_one_hot_outputs(task, lag, distractors):
    seeds = (0, 1)
    net = net_1997.task_net(task, lag, distractors)
    weights = stacked_initial_weights(net, seeds)
    # Large weights, so that every input and recurrent unit moves the outputs.
    weights = {k: v * 20 for k, v in weights.items()}
    drawn = training_sequences(task, lag, distractors, seeds, 8)
    if task == "2a":
        drawn = np.stack([tasks.lag_sequences(lag)] * len(seeds))
    cell_on = tf.constant([True, True])
    every_step = task == "2a"
    outputs = {
        form: method_1997.compile_1997_outputs(
            net, len(seeds), *drawn.shape[1:], every_step, form
        )(weights, tf.constant(drawn), cell_on).numpy()
        for form in ("one-hot", "gathered")
    }
    np.testing.assert_allclose(outputs["gathered"], outputs["one-hot"], atol=1e-6)
    assert np.ptp(outputs["one-hot"]) > 0.1


def test_task_2c_judge_in_chunks_gives_the_verdicts_of_all_outputs():
    # Chunk by chunk, stopping once every run has failed: a run that passes
    # gets its worst error over every sequence, one that fails at least the
    # threshold.
    lag, distractors, seeds = 7, 3, (0, 1, 2, 3)
    net = net_1997.task_net("2c", lag, distractors)
    scale = tf.constant([1.0, 5.0, 20.0, 40.0])[:, None, None]
    weights = {k: v * scale for k, v in stacked_initial_weights(net, seeds).items()}
    drawn = training_sequences("2c", lag, distractors, seeds, 12)
    cell_on = tf.constant([True] * 4)
    outputs = method_1997.compile_1997_outputs(
        net, 4, *drawn.shape[1:], False, "one-hot"
    )(weights, tf.constant(drawn), cell_on).numpy()
    trainer = method_1997.Trainer1997(
        "2c", lag, distractors, regimes.Settings1997.for_task("2c"), 12
    )
    targets = trainer.judged_targets(drawn)
    full = np.asarray(tasks.max_error(outputs, targets, np.ones((4, 12, 1), bool)))
    full = full.max(axis=1)
    threshold = float(np.sort(full)[1] + np.sort(full)[2]) / 2  # two pass, two fail
    judge = method_1997.compile_1997_worst_at_end(
        net, 4, *drawn.shape[1:], 4, trainer.offset, threshold
    )
    worst = judge(weights, tf.constant(drawn), cell_on).numpy()
    passed = full < threshold
    assert passed.sum() == 2
    np.testing.assert_allclose(worst[passed], full[passed], rtol=0, atol=1e-6)
    assert (worst[~passed] >= threshold).all()
    with pytest.raises(ValueError, match="must divide"):
        method_1997.compile_1997_worst_at_end(net, 4, 12, drawn.shape[-1], 5, 0, 0.2)
