"""Each method's check fails a run whose outputs are not finite, and flags it,
so that the driver's one after-check rule marks it diverged."""

import numpy as np
import pytest
import tensorflow as tf

from lstm_lab import method_1997, modern_2ab, modern_2c, regimes


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
    chosen = regimes.Modern2ab(units=4)
    return modern_2ab.Modern2abMethod(task, 5, chosen, n_test=100), "recurrent"


def task_2c():
    chosen = regimes.Modern2c(units=4)
    return modern_2c.Modern2cMethod(6, 5, chosen, n_test=100), "recurrent"


def the_1997_method(task):
    chosen = regimes.Method1997.for_task(task, add_cell=0)
    return method_1997.Method1997(task, 5, None, chosen, n_test=100), "w_k"


@pytest.mark.parametrize(
    "make",
    [
        lambda: modern("2a"),
        lambda: modern("2b"),
        task_2c,
        lambda: the_1997_method("2a"),
        lambda: the_1997_method("2c"),
    ],
    ids=["modern 2a", "modern 2b", "modern 2c", "1997 2a", "1997 2c"],
)
def test_non_finite_outputs_fail_and_are_flagged(make):
    method, name = make()
    method.start([0, 1])
    method.weights = with_nan_in_run_1(method.weights, name)
    rngs = [np.random.default_rng([s, 1]) for s in (0, 1)]
    passed, not_finite = method.check(np.arange(2), rngs)
    assert not_finite.tolist() == [False, True]
    assert not passed[1]
