"""The 1997 method, every trial side by side, against the NumPy reference
(references/numpy_1997.py), and its protocol."""

import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import method_1997, regimes, tasks
from lstm_lab.references import numpy_1997


def reference_run(
    task, net, p, init, sequences, rate, per_step, cell_on, last, error="eq19"
):
    w = init
    for s in sequences:
        s = s[s != tasks.PAD]
        w, _ = numpy_1997.train_sequence(
            net,
            w,
            s,
            numpy_1997.task_targets(task, s, net, p),
            rate,
            per_step,
            cell_on,
            last,
            error,
        )
    return w


def training_sequences(task, p, seeds, n):
    rngs = [np.random.default_rng([s, 0]) for s in seeds]
    if task == "2c":
        return tasks.task_2c_batch(rngs, p, p, n, range(len(seeds)))
    fixed = tasks.lag_sequences(p)
    return np.stack([tasks.draw_task(rng, task, fixed, n) for rng in rngs])


@pytest.mark.parametrize(
    ("task", "p", "per_step", "cell_on", "g", "last"),
    [
        ("2a", 5, True, True, None, 1.0),
        ("2c", 5, True, True, None, 1.0),
        # Each case compiles a trainer: the rest run with the slow tests.
        pytest.param("2a", 5, False, True, None, 1.0, marks=pytest.mark.slow),
        pytest.param("2a", 5, True, False, None, 1.0, marks=pytest.mark.slow),
        pytest.param("2a", 5, True, True, "centred2", 1.0, marks=pytest.mark.slow),
        pytest.param("2a", 5, True, True, None, 10.0, marks=pytest.mark.slow),
        pytest.param("2b", 6, True, True, None, 1.0, marks=pytest.mark.slow),
        pytest.param("2c", 5, True, True, None, 10.0, marks=pytest.mark.slow),
    ],
)
def test_trainer_matches_the_numpy_reference(task, p, per_step, cell_on, g, last):
    seeds, n = (0, 1, 2), 6
    net = numpy_1997.task_net(task, p, g=g)
    rate = 0.01 if task == "2c" else 1.0
    sequences = training_sequences(task, p, seeds, n)
    inits = [numpy_1997.initial_weights(net, s) for s in seeds]
    stack = {
        k: tf.constant(np.stack([i[k] for i in inits]), tf.float32) for k in inits[0]
    }
    offset = tasks.task_2c_symbols(p)[2] if task == "2c" else 0
    trainer = method_1997.make_trainer(
        net, len(seeds), n, sequences.shape[-1], per_step, task == "2c", offset
    )
    active = np.array([True, True, False])  # a run that has passed stops changing
    trained, _ = trainer(
        stack,
        tf.constant(sequences),
        tf.constant(active),
        tf.constant(np.full(len(seeds), cell_on)),
        tf.constant(rate),
        tf.constant(last),
    )
    for r in range(len(seeds)):
        want = inits[r]
        if active[r]:
            want = reference_run(
                task, net, p, inits[r], sequences[r], rate, per_step, cell_on, last
            )
        for k, w in want.items():
            got = trained[k].numpy()[r]
            np.testing.assert_allclose(got, w, atol=2e-6, err_msg=f"run {r} {k}")
            if active[r] and w.size and (cell_on or k == "w_k"):
                assert np.abs(w - inits[r][k]).max() > 1e-3 * rate, f"{k} did not learn"


@pytest.mark.slow
def test_the_check_agrees_with_the_reference_outputs():
    # The compiled check's verdict for each run equals the NumPy outputs' verdict.
    p, seeds = 4, list(range(6))
    chosen = regimes.Method1997.for_task("2a")
    method = method_1997.Method1997("2a", p, None, chosen, tasks.TEST_SEQUENCES)
    method.start(seeds)
    net = method.net
    fixed = tasks.lag_sequences(p)
    trained = []
    # Different amounts of training, so that some pass and some do not (the
    # worst error crosses 0.25 between 500 and 750 sequences for seed 0).
    for i, seed in enumerate(seeds):
        w = numpy_1997.initial_weights(net, seed)
        for s in np.tile(fixed, (125 * i, 1)):
            w, _ = numpy_1997.train_sequence(
                net, w, s, numpy_1997.task_targets("2a", s, net, p), 1.0, True
            )
        trained.append(w)
    method.weights = {
        k: tf.constant(np.stack([w[k] for w in trained]), tf.float32)
        for k in trained[0]
    }
    method.cell_on[:] = True
    passed, not_finite = method.check(np.arange(len(seeds)), None)
    want = []
    for w in trained:
        outputs = [
            numpy_1997.train_sequence(net, w, s, [], 0.0, True)[1] for s in fixed
        ]
        worst = max(
            np.abs(o - np.eye(p + 1)[s[1:]]).max() for o, s in zip(outputs, fixed)
        )
        want.append(worst < tasks.PAPER_THRESHOLD)
    assert list(passed) == want and 0 < sum(want) < len(want)
    assert not not_finite.any()


def settings(task, **changes):
    return dataclasses.replace(regimes.Method1997.for_task(task), **changes)


@pytest.mark.parametrize(
    ("task", "changes", "match"),
    [
        ("2d", {}, "task"),
        ("2a", {"add_cell": -1}, "add_cell"),
        ("2a", {"max_sequences": 0}, "max_sequences"),
        ("2a", {"g": "tanh"}, "squashing"),
        ("2a", {"update": "epoch"}, "update must be step or sequence"),
    ],
)
def test_bad_arguments_are_refused(task, changes, match):
    chosen = settings("2a", **changes)
    with pytest.raises(ValueError, match=match):
        method_1997.train_1997([0], task, 4, settings=chosen)
    with pytest.raises(ValueError, match="seed"):
        method_1997.train_1997([], "2a", 4)


def test_plateau_rule():
    assert not method_1997.plateaued([5.0])
    assert not method_1997.plateaued([5.0, 4.0])
    assert method_1997.plateaued([5.0, 4.0, 4.0])


def test_printed_method_learns_a_short_lag():
    # The fast loop's training test. At p = 4 the printed method (updates
    # every step, g on [0, 1], the cell present from the start) learns every
    # seed within 3,000 sequences.
    chosen = settings("2a", update="step", add_cell=0, max_sequences=3_000)
    first = method_1997.train_1997(range(4), "2a", 4, settings=chosen)
    assert all(c is not None for c in first.counts), first
    assert first.details["cell_added"] == [0] * 4


@pytest.mark.slow
def test_the_plateau_rule_adds_the_cell_and_counts_repeat():
    chosen = settings("2a", max_sequences=1_000)
    first = method_1997.train_1997(range(2), "2a", 4, settings=chosen)
    added = first.details["cell_added"]
    assert all(a is not None and a % method_1997.PLATEAU_WINDOW == 0 for a in added)
    again = method_1997.train_1997(range(2), "2a", 4, settings=chosen)
    assert again.counts == first.counts and again.details["cell_added"] == added


@pytest.mark.parametrize(
    ("task", "p", "changes"),
    [
        ("2a", 5, {"error": "eq16", "add_cell": 0, "update": "step"}),
        pytest.param("2c", 5, {"error": "eq16"}, marks=pytest.mark.slow),
        pytest.param("2c", 5, {"ranges_2c": "legend"}, marks=pytest.mark.slow),
        pytest.param(
            "2b", 6, {"end_marker": True, "add_cell": 0}, marks=pytest.mark.slow
        ),
    ],
)
def test_each_reading_trains_as_the_reference_does(task, p, changes):
    # Through the method itself, so the settings must reach the net, the rate
    # and the sequences; the reference is told the reading directly.
    seeds, n = (0, 1), 6
    chosen = settings(task, **changes)
    method = method_1997.Method1997(task, p, None, chosen, 100)
    method.start(seeds)
    method.train([np.random.default_rng([s, 0]) for s in seeds], np.ones(2, bool), n)
    drawn = method.draw([np.random.default_rng([s, 0]) for s in seeds], [0, 1], n)
    if chosen.end_marker:
        assert (drawn[:, :, -2] == p - 2).all()
        assert not (drawn[:, :, 1:-2] == p - 2).any()
    net = numpy_1997.task_net(task, p, None, *chosen.squashing(task))
    assert net == method.net
    for r, seed in enumerate(seeds):
        init = numpy_1997.initial_weights(net, seed)
        want = reference_run(
            task,
            net,
            p,
            init,
            drawn[r],
            chosen.learning_rate,
            chosen.update == "step",
            True,
            1.0,
            chosen.error,
        )
        for k, w in want.items():
            got = method.weights[k].numpy()[r]
            np.testing.assert_allclose(got, w, atol=2e-6, err_msg=f"run {r} {k}")
            if w.size:
                assert np.abs(w - init[k]).max() > 1e-3 * chosen.learning_rate, k
