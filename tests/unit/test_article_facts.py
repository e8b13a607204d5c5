"""The package's copy of the article's facts (lstm_lab/article.py, and the gate
functions of lstm_lab/tf_ops.py) against the tutorial's own, lstm_memory.py.

The tutorial imports nothing from the package, so that it can be read and
copied alone; these tests keep the two copies equal.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import lstm_memory
from lstm_lab import article, tf_ops

# Both sides of each gate's kinks and saturation, and far out.
GRID = np.concatenate(
    [np.linspace(-12.0, 12.0, 481), [-2.5, -2.5001, -2.4999, 2.4999, 2.5, 2.5001]]
).astype("float32")


def test_sequences_and_alphabet():
    assert article.SEQ1 == lstm_memory.SEQ1
    assert article.SEQ2 == lstm_memory.SEQ2
    assert article.N_UNIQUE == lstm_memory.N_UNIQUE


def test_defaults():
    assert article.DEFAULT_SEED == lstm_memory.DEFAULT_SEED
    assert article.DEFAULT_EPOCHS == lstm_memory.DEFAULT_EPOCHS
    assert article.DEFAULT_UNITS == lstm_memory.DEFAULT_UNITS


def test_the_same_numerics_by_name():
    assert list(article.NUMERICS) == list(lstm_memory.NUMERICS)


@pytest.mark.parametrize("name", list(lstm_memory.NUMERICS))
def test_epsilons(name):
    expected = lstm_memory.NUMERICS[name]["epsilon"]
    assert article.NUMERICS[name][1] == expected
    assert tf_ops.numerics(name)[1] == expected


@pytest.mark.parametrize("name", list(lstm_memory.NUMERICS))
def test_gate_functions_agree_on_a_grid(name):
    # The tutorial names Keras's sigmoid by its string; Keras resolves it.
    ours = keras.activations.get(lstm_memory.NUMERICS[name]["recurrent_activation"])
    gate = tf_ops.numerics(name)[0]
    x = tf.constant(GRID)
    np.testing.assert_array_equal(np.asarray(gate(x)), np.asarray(ours(x)))


def test_the_grid_tells_the_gates_apart():
    # The check above could not pass with the wrong gate: on this grid the
    # hard sigmoid and the sigmoid differ by far more than rounding.
    x = tf.constant(GRID)
    hard = np.asarray(tf_ops.numerics("keras2")[0](x))
    soft = np.asarray(tf_ops.numerics("keras3")[0](x))
    assert np.abs(hard - soft).max() > 0.05
    # And Keras 3's own hard_sigmoid, with slope 1/6, is not Keras 2.0's.
    keras3_hard = np.asarray(keras.activations.hard_sigmoid(x))
    assert np.abs(hard - keras3_hard).max() > 0.05
