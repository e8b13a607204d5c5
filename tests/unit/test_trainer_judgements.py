"""Each trainer's judgement fails a run whose outputs are not finite, and flags it,
so that the driver's one rule after a judgement marks it diverged."""

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import method_1997, modern_2ab, modern_2c, regimes, tasks


def with_nan_in_run_1(weights, name):
    """The stacked weights with every weight `name` of run 1 NaN."""
    value = np.array(
        weights[name] if isinstance(weights, dict) else getattr(weights, name)
    )
    value[1] = np.nan
    if isinstance(weights, dict):
        return {**weights, name: tf.constant(value)}
    return weights._replace(**{name: tf.constant(value)})


def modern(task):
    chosen = regimes.Settings2ab(units=4)
    return modern_2ab.Trainer2ab(task, lag=5, settings=chosen, n_test=100), "recurrent"


def task_2c():
    chosen = regimes.Settings2c(units=4)
    trainer = modern_2c.Trainer2c(lag=6, distractors=5, settings=chosen, n_test=100)
    return trainer, "recurrent"


def the_1997_trainer(task):
    chosen = regimes.Settings1997.for_task(task, add_cell=0)
    return method_1997.Trainer1997(task, 5, None, chosen, n_test=100), "w_k"


@pytest.mark.parametrize(
    "make",
    [
        lambda: modern("2a"),
        lambda: modern("2b"),
        task_2c,
        lambda: the_1997_trainer("2a"),
        lambda: the_1997_trainer("2c"),
    ],
    ids=["modern 2a", "modern 2b", "modern 2c", "1997 2a", "1997 2c"],
)
def test_non_finite_outputs_fail_and_are_flagged(make):
    method, name = make()
    method.start([0, 1])
    method.weights = with_nan_in_run_1(method.weights, name)
    rngs = tasks.streams((0, 1), "test")
    passed, not_finite = method.judge(np.arange(2), rngs)
    assert not_finite.tolist() == [False, True]
    assert not passed[1]
