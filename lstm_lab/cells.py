"""
Title: A recurrent layer over whole sequences, for stacked runs, with any cell
Author: the lstm-memory project contributors
Date created: 2026/12/07
Last modified: 2026/12/07
Description: The hidden states of an LSTM, a GRU or a SimpleRNN (the steps
    of `tf_ops.cell_step`) over sequences of one-hot symbols, every run a row
    of one stack: every step's state, to train and to evaluate, and the last
    state alone, to judge many sequences.

The trainers of the paper's tasks (`modern_2ab`, `modern_2c`) train the LSTM
by default; `--cell gru` and `--cell simple` put the other two of Keras's
recurrent layers in its place, with the same recipe, to ask whether the
memory is the LSTM's. The LSTM's training on Tasks 2a and 2b keeps its own
backward pass (`modern_2ab._all_states_bptt`); the other cells are
differentiated by TensorFlow's autodiff of the loops below.
"""

import tensorflow as tf

from lstm_lab import tf_ops


def all_states(cell, xz, recurrent, bias):
    """Hidden states at every step from a zero state: xz (S, B, T, k) -> (S, B, T, u).

    xz is the input's share of every step (the kernel's rows, gathered); k is
    4u for the LSTM, 3u for the GRU, u for the SimpleRNN. tf.scan is a loop in
    the compiled graph, so compile time does not grow with the lag.
    """
    n_runs, batch = xz.shape[:2]
    zeros = tf.zeros((n_runs, batch, recurrent.shape[1]))
    step = tf_ops.cell_step(cell)
    states = tf.scan(
        lambda state, xz_t: step(xz_t, state, recurrent, bias),
        tf.transpose(xz, [2, 0, 1, 3]),
        initializer=(zeros,) * tf_ops.state_size(cell),
    )
    return tf.transpose(states[0], [1, 2, 0, 3])


def last_state(cell, kernel, recurrent, bias, x):
    """The hidden state after the last step, for many sequences: x (S, B, T) ints.

    Without a gradient nothing else needs keeping, and gathering the input's
    share step by step keeps memory at (S, B, k) for 10,000 test sequences.
    """
    n_runs, batch, length = x.shape
    x_by_step = tf.transpose(x, [2, 0, 1])
    cell_step = tf_ops.cell_step(cell)

    def step(t, *state):
        xz = tf.gather(kernel, x_by_step[t], batch_dims=1)
        return (t + 1, *cell_step(xz, state, recurrent, bias))

    zeros = tf.zeros((n_runs, batch, recurrent.shape[1]))
    _, h, *_ = tf.while_loop(
        lambda t, *state: t < length,
        step,
        (tf.constant(0),) + (zeros,) * tf_ops.state_size(cell),
    )
    return h
