"""
Title: The 1997 paper's Task 2c, every trial side by side
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/11/29
Description: One bit held across lag + 1 or more random distractors: a modern
    LSTM trained on-line on Task 2c, all trials stacked in one compiled
    TensorFlow function, with the paper's success criterion. `lstm_lab/online.py`
    runs the protocol; `lstm_lab/references/keras_2c.py` is the plain Keras
    reference the tests compare it with.

## Introduction

In Task 2c of Hochreiter & Schmidhuber (1997) a sequence is b, then x or y,
then at least q (the lag) random distractors out of p (`distractors`), then
the trigger e, then x or y again (`tasks.task_2c_sequences`). The network
sees every symbol but the last; only at the step whose input is e is it
judged, where its two sigmoid outputs (x, y) must both be within 0.2 of their
0/1 targets, over 10,000 fresh sequences. The paper's net needed 30,000 to 203,000 training sequences.

The regime here (`regimes.Settings2c`; docs/paper/modern.md#why-this-regime has
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
without n times the work.

`settings.cell` puts Keras's GRU or SimpleRNN in the LSTM's place
(docs/paper/cells.md), with the same regime otherwise.
"""

import functools

import numpy as np
import tensorflow as tf

from lstm_lab import checks, online, regimes, tasks, tf_ops

PROBE = 16  # sequences of a judgement's part judged first, for every run


def initial_weights_2c(seed, distractors, settings):
    """Keras's initial LSTM and Dense(2) weights for `seed` and `distractors`
    distractor symbols, with the gate biases set."""
    keep_bias, input_bias = tf_ops.cell_biases(settings)
    return tf_ops.keras_initial_weights(
        seed,
        tasks.layout_2c(distractors).n_symbols,
        settings.units,
        2,
        forget_bias=keep_bias,
        input_bias=input_bias,
        cell=settings.cell,
    )


"""
## The network, for stacked runs: S runs, B sequences each, W padded steps
"""


def _final_state(weights, inputs, n_inputs, width, gradient=False, cell="lstm"):
    """h after each sequence's last input: inputs (S, B, W) ints, n_inputs (S, B).

    gradient: the caller differentiates through it (training). The input's
    share of every step is then gathered at once, before the loop, and read
    back from a TensorArray: its gradient is one scatter into the kernel. A
    gather inside the loop made every step's gradient a dense (n_symbols, 4u)
    addition, so an update cost the lag times the distractors: 30 s per 10
    sequences of two runs at q = p = 10,000 (benchmarks/bench_long_2c.py).
    The judge, without a gradient, gathers step by step and so holds
    (S, B, 4u), not (S, B, W, 4u). cell: tf_ops.CELLS; the LSTM's state is
    (h, c), the others' h alone.
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

    cell_step = tf_ops.cell_step(cell)

    def body(t, *state):
        new = cell_step(share(t), state, weights.recurrent, weights.bias)
        # A sequence that has ended keeps its state: padding changes nothing.
        live = (t < n_inputs)[..., None]
        return (t + 1, *(tf.where(live, n, s) for n, s in zip(new, state)))

    _, h, *_ = tf.while_loop(
        lambda t, *state: t < tf.reduce_max(n_inputs),
        body,
        (tf.constant(0),) + (zeros,) * tf_ops.state_size(cell),
        maximum_iterations=width - 1,
    )
    return h


def _outputs_and_targets(weights, sequences, distractors, gradient=False, cell="lstm"):
    """The two logits at the trigger, and their one hot targets (S, B, 2)."""
    lengths = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), axis=-1)
    n_inputs = lengths - 1  # the last symbol is only a target
    width = sequences.shape[-1]
    inputs = tf.maximum(sequences, 0)  # PAD reads any row; those steps are masked
    h = _final_state(weights, inputs, n_inputs, width, gradient, cell)
    logits = (
        tf.einsum("sbu,suk->sbk", h, weights.dense_kernel) + weights.dense_bias[:, None]
    )
    x_symbol = tasks.layout_2c(distractors).x
    last = tf.gather(sequences, n_inputs, batch_dims=2)
    return logits, tf.one_hot(last - x_symbol, 2)


@functools.lru_cache(maxsize=16)
def compile_2c_training(
    n_runs, units, n_sequences, width, distractors, gathered=True, cell="lstm"
):
    """Compiled: n_sequences on-line updates for every active run.

    gathered: each step's kernel row gathered before the loop (see
    `_final_state`); False gathers it step by step, as the trainer once did
    (benchmarks/bench_long_2c.py times both).

    Returns the new weights, moments and Adam step, and per run whether its
    weights are finite. Inactive runs keep their weights and moments.
    """

    @tf.function(jit_compile=True)
    def train_on_sequences(weights, moments, step, sequences, active, learning_rate):
        for k in tf.range(n_sequences):
            with tf.GradientTape() as tape:
                tape.watch(weights)
                one_each = tf.gather(sequences, k, axis=1)[:, None]  # (S, 1, W)
                logits, targets = _outputs_and_targets(
                    weights, one_each, distractors, gradient=gathered, cell=cell
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

    return train_on_sequences


@functools.lru_cache(maxsize=16)
def compile_2c_judge(n_runs, n_sequences, width, distractors, cell="lstm"):
    """Compiled: each run's largest error at the trigger over its own sequences."""

    @tf.function(jit_compile=True)
    def worst_at_trigger(weights, sequences):
        logits, targets = _outputs_and_targets(
            weights, sequences, distractors, cell=cell
        )
        judged = tf.ones((n_sequences, 1), tf.bool)
        error = tasks.max_error(
            tf.sigmoid(logits)[..., None, :], targets[..., None, :], judged
        )
        return tf.reduce_max(error, axis=-1)

    return worst_at_trigger


"""
## The method
"""


class Trainer2c(online.Trainer):
    """Task 2c at `lag` with `distractors` distractor symbols, every run a row of one stack."""

    def __init__(self, lag, distractors, settings, n_test):
        # Draws one sequence to check the lag and the distractors.
        tasks.task_2c_sequences(np.random.default_rng(0), lag, 1, distractors)
        checks.check_choice(settings.cell, tf_ops.CELLS, "cell")
        self.lag, self.distractors = lag, distractors
        self.settings, self.n_test = settings, n_test
        self.learning_rate = tf.constant(settings.learning_rate, tf.float32)

    def start(self, seeds):
        inits = [initial_weights_2c(s, self.distractors, self.settings) for s in seeds]
        self.weights = tf_ops.stack(inits)
        self.moments = tf_ops.zero_moments(self.weights)
        self.step = tf.constant(0, tf.int32)
        self.n_runs = len(seeds)

    def train_chunk(self, rngs, active, n):
        sequences = tasks.task_2c_batch(
            rngs, self.lag, self.distractors, n, np.flatnonzero(active)
        )
        # Finished runs get the first active run's sequences, and ignore them.
        full = np.repeat(sequences[:1], self.n_runs, axis=0)
        full[active] = sequences
        train_on_sequences = compile_2c_training(
            self.n_runs,
            self.settings.units,
            n,
            full.shape[-1],
            self.distractors,
            cell=self.settings.cell,
        )
        self.weights, self.moments, self.step, finite = train_on_sequences(
            self.weights,
            self.moments,
            self.step,
            tf.constant(full),
            tf.constant(active),
            self.learning_rate,
        )
        return finite.numpy()

    def judge(self, runs, rngs):
        def draw(run_ids, n):
            return tasks.task_2c_batch(rngs, self.lag, self.distractors, n, run_ids)

        def worst(stack_runs, sequences):
            rows, sequences = online.pad_runs(stack_runs, sequences, self.n_runs)
            stack = tf.nest.map_structure(lambda w: tf.gather(w, rows), self.weights)
            worst_at_trigger = compile_2c_judge(
                len(rows), *sequences.shape[1:], self.distractors, self.settings.cell
            )
            errors = worst_at_trigger(stack, tf.constant(sequences))
            return errors.numpy()[: len(stack_runs)]

        def judge_part(which, sequences):
            # The part is drawn whole, so probing first changes no draw.
            threshold = tasks.TASK_2C_THRESHOLD
            return online.probe_first(worst, runs[which], sequences, PROBE, threshold)

        return online.screen(
            draw,
            judge_part,
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
    seeds,
    lag,
    distractors=None,
    settings=None,
    n_test=tasks.TEST_SEQUENCES,
    progress=None,
):
    """Train one net per seed on Task 2c, side by side, until each meets the criterion.

    distractors: the number of distractor symbols (default: the lag). Returns the
    `online.Outcome`; its details hold each run's final "weights".
    """
    settings = settings or regimes.Settings2c()
    distractors = tasks.distractors_of(lag, distractors)
    trainer = Trainer2c(lag, distractors, settings, n_test)
    return online.train_online(
        trainer, seeds, settings.max_sequences, settings.judge_every, progress
    )
