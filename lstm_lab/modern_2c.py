"""
Title: The 1997 paper's Task 2c, every trial side by side
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/11/29
Description: One bit held across q + 1 or more random distractors: a modern
    LSTM trained on-line on Task 2c, all trials stacked in one compiled
    TensorFlow function, with the paper's success criterion. `lstm_lab/online.py`
    runs the protocol; `lstm_lab/references/keras_2c.py` is the plain Keras
    reference the tests compare it with.

## Introduction

In Task 2c of Hochreiter & Schmidhuber (1997) a sequence is b, then x or y,
then at least q random distractors out of p, then the trigger e, then x or y
again (`tasks.task_2c_sequences`). The network sees every symbol but the last;
only at the step whose input is e is it judged, where its two sigmoid outputs
(x, y) must both be within 0.2 of their 0/1 targets, over 10,000 fresh
sequences. The paper's net needed 30,000 to 203,000 training sequences.

The regime here (`regimes.Modern2c`; docs/paper/modern.md#why-this-regime has
the evidence for each choice):

- an LSTM of 8 units and a Dense layer of 2 sigmoid outputs, the loss at the
  end only, as in the paper; no input->output path, because the judged step's
  input is always e;
- the forget gate's bias starts at 10, so the cell keeps what it stores;
- the input gate's bias starts at -8, so that the distractors, which come at
  every step, write almost nothing: with -5 a cell drifted into saturation
  over 1,000 steps and the memory never formed (the paper's "internal state
  drift");
- Adam at 0.03, one sequence per update, the gradient through the sequence.

Sequences have different lengths. They are padded, and each run's state stops
changing after its own sequence's end, so padding changes nothing. A one hot
input times a kernel is the kernel's row: a gather gives the same numbers
without p times the work.
"""

import functools

import numpy as np
import tensorflow as tf

from lstm_lab import online, regimes, tasks, tf_ops

PROBE = 16  # sequences of a check's part judged first, for every run


def initial_weights(seed, n_symbols, settings):
    """Keras's initial LSTM and Dense(2) weights for `seed`, with the gate biases set."""
    return tf_ops.initial_weights(
        seed,
        n_symbols,
        settings.units,
        2,
        forget_bias=settings.forget_bias,
        input_bias=settings.input_bias,
    )


"""
## The network, for stacked runs: S runs, B sequences each, W padded steps
"""


def _final_state(weights, inputs, n_inputs, width, gradient=False):
    """h after each sequence's last input: inputs (S, B, W) ints, n_inputs (S, B).

    gradient: the caller differentiates through it (training). The input's
    share of every step is then gathered at once, before the loop, and read
    back from a TensorArray: its gradient is one scatter into the kernel. A
    gather inside the loop made every step's gradient a dense (p + 4, 4u)
    addition, so an update cost q times p: 30 s per 10 sequences of two runs
    at q = p = 10,000 (benchmarks/bench_long_2c.py). The check, without a
    gradient, gathers step by step and so holds (S, B, 4u), not (S, B, W, 4u).
    """
    n_runs, batch = inputs.shape[:2]
    units = weights.recurrent.shape[1]
    zeros = tf.zeros((n_runs, batch, units))
    if gradient:
        shares = tf.gather(weights.kernel, inputs, batch_dims=1)  # (S, B, W, 4u)
        steps = tf.TensorArray(tf.float32, size=width)
        steps = steps.unstack(tf.transpose(shares, [2, 0, 1, 3]))
        share = steps.read
    else:

        def share(t):
            return tf.gather(weights.kernel, inputs[:, :, t], batch_dims=1)

    def body(t, h, c):
        h_new, c_new, _ = tf_ops.lstm_cell(
            share(t), h, c, weights.recurrent, weights.bias
        )
        # A sequence that has ended keeps its state: padding changes nothing.
        live = (t < n_inputs)[..., None]
        return t + 1, tf.where(live, h_new, h), tf.where(live, c_new, c)

    _, h, _ = tf.while_loop(
        lambda t, h, c: t < tf.reduce_max(n_inputs),
        body,
        (tf.constant(0), zeros, zeros),
        maximum_iterations=width - 1,
    )
    return h


def _outputs_and_targets(weights, sequences, p, gradient=False):
    """The two logits at the trigger, and their one hot targets (S, B, 2)."""
    lengths = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), axis=-1)
    n_inputs = lengths - 1  # the last symbol is only a target
    width = sequences.shape[-1]
    inputs = tf.maximum(sequences, 0)  # PAD reads any row; those steps are masked
    h = _final_state(weights, inputs, n_inputs, width, gradient)
    logits = (
        tf.einsum("sbu,suk->sbk", h, weights.dense_kernel) + weights.dense_bias[:, None]
    )
    x_symbol = tasks.task_2c_symbols(p)[2]
    last = tf.gather(sequences, n_inputs, batch_dims=2)
    return logits, tf.one_hot(last - x_symbol, 2)


@functools.lru_cache(maxsize=16)
def make_trainer(n_runs, n_symbols, units, n_sequences, width, p, gathered=True):
    """Compiled: n_sequences on-line updates for every active run.

    gathered: each step's kernel row gathered before the loop (see
    `_final_state`); False gathers it step by step, as the trainer once did
    (benchmarks/bench_long_2c.py times both).

    Returns the new weights, moments and Adam step, and per run whether its
    weights are finite. Inactive runs keep their weights and moments.
    """

    @tf.function(jit_compile=True)
    def train(weights, moments, step, sequences, active, learning_rate):
        for k in tf.range(n_sequences):
            with tf.GradientTape() as tape:
                tape.watch(weights)
                one_each = tf.gather(sequences, k, axis=1)[:, None]  # (S, 1, W)
                logits, targets = _outputs_and_targets(
                    weights, one_each, p, gradient=gathered
                )
                total = tf.reduce_sum(tf_ops.bce(logits, targets))
            grads = tape.gradient(total, weights)
            new_weights, new_moments = tf_ops.adam(
                weights, grads, moments, step, learning_rate
            )
            weights = tf_ops.keep_inactive(active, new_weights, weights)
            moments = tf_ops.keep_inactive(active, new_moments, moments)
            step += 1
        return weights, moments, step, tf_ops.finite_runs(weights)

    return train


@functools.lru_cache(maxsize=16)
def make_check(n_runs, n_sequences, width, p):
    """Compiled: each run's largest error at the trigger over its own sequences."""

    @tf.function(jit_compile=True)
    def check(weights, sequences):
        logits, targets = _outputs_and_targets(weights, sequences, p)
        judged = tf.ones((n_sequences, 1), tf.bool)
        error = tasks.max_error(
            tf.sigmoid(logits)[..., None, :], targets[..., None, :], judged
        )
        return tf.reduce_max(error, axis=-1)

    return check


"""
## The method
"""


class Modern2cMethod(online.Method):
    """Task 2c at lag q with p distractor symbols, every run a row of one stack."""

    def __init__(self, q, p, settings, n_test):
        tasks.task_2c_sequences(np.random.default_rng(0), q, 1, p)  # checks q and p
        self.q, self.p, self.settings, self.n_test = q, p, settings, n_test
        self.n_symbols = p + 4
        self.learning_rate = tf.constant(settings.learning_rate, tf.float32)

    def start(self, seeds):
        inits = [initial_weights(s, self.n_symbols, self.settings) for s in seeds]
        self.weights = tf_ops.stack(inits)
        self.moments = tf_ops.zero_moments(self.weights)
        self.step = tf.constant(0, tf.int32)
        self.n_runs = len(seeds)

    def train(self, rngs, active, n):
        sequences = tasks.task_2c_batch(rngs, self.q, self.p, n, np.flatnonzero(active))
        # Finished runs get the first active run's sequences, and ignore them.
        full = np.repeat(sequences[:1], self.n_runs, axis=0)
        full[active] = sequences
        trainer = make_trainer(
            self.n_runs, self.n_symbols, self.settings.units, n, full.shape[-1], self.p
        )
        self.weights, self.moments, self.step, finite = trainer(
            self.weights,
            self.moments,
            self.step,
            tf.constant(full),
            tf.constant(active),
            self.learning_rate,
        )
        return finite.numpy()

    def check(self, runs, rngs):
        def draw(run_ids, n):
            return tasks.task_2c_batch(rngs, self.q, self.p, n, run_ids)

        def worst(stack_runs, sequences):
            rows, sequences = online.pad_runs(stack_runs, sequences, self.n_runs)
            stack = tf.nest.map_structure(lambda w: tf.gather(w, rows), self.weights)
            check = make_check(len(rows), *sequences.shape[1:], self.p)
            return check(stack, tf.constant(sequences)).numpy()[: len(stack_runs)]

        def judge(which, sequences):
            # The part is drawn whole, so probing first changes no draw.
            threshold = tasks.TASK_2C_THRESHOLD
            return online.probe_first(worst, runs[which], sequences, PROBE, threshold)

        return online.screen(
            draw,
            judge,
            runs,
            self.n_test,
            online.FIRST_PART,
            online.REST_PART,
            tasks.TASK_2C_THRESHOLD,
        )

    def details(self):
        """Per run, its final weights in Keras's order (tf_ops.LstmWeights)."""
        return {"weights": tf_ops.unstack(self.weights)}


def train_2c(
    seeds, q, p=None, settings=None, n_test=tasks.TEST_SEQUENCES, progress=None
):
    """Train one net per seed on Task 2c, side by side, until each meets the criterion.

    p: the number of distractor symbols (default q). Returns the
    `online.Outcome`; its details hold each run's final "weights".
    """
    settings = settings or regimes.Modern2c()
    method = Modern2cMethod(q, q if p is None else p, settings, n_test)
    return online.train_online(
        method, seeds, settings.max_sequences, settings.check_every, progress
    )
