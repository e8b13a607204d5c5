"""
Title: The nets the article's LSTM is compared with, many runs side by side
Author: the lstm-memory project contributors
Date created: 2026/11/30
Last modified: 2026/11/30
Description: A multilayer Perceptron on the current input (`mlp`), the same
    on the last four inputs (`window`), and Keras's SimpleRNN and GRU
    (`simple`, `gru`), each under a sigmoid Dense layer, trained on the
    article's task with binary cross-entropy and Adam, as the LSTM is.

## Introduction

The article says that a multilayer Perceptron cannot learn its task, and the
LSTM can. `extensions.py nets` measures both claims, and the nets between:

- `mlp`: Dense(units, tanh) then a sigmoid Dense, on the one hot current input.
  On input 2 it must answer 3 in one sequence and 4 in the other, and a
  function of the current input gives one answer for both: at most 7 of the 8
  steps (`most_right_without_memory`).
- `window`: the same MLP fed the last `WINDOW` inputs (zero vectors before the
  sequence's start), concatenated oldest first. The memory is outside the net.
- `simple`, `gru`: Keras's SimpleRNN and GRU (its default, reset_after=True),
  stateful as the article's LSTM is.

`update` is the epoch trainer's (lstm_lab/epoch_trainer.py): "step", one
update per time step with the state carried in as a constant, so the gradient
stops at the step, and the state reset after each sequence (the article's);
"sequence", one update per sequence, the mean of its steps' losses, with the
gradient through all its steps. For the MLPs, which carry no state, "sequence"
is one batch of the sequence's steps, as Keras's `train_on_batch` would take it.

The runs of a net are stacked on a leading axis and a block of epochs is one
XLA-compiled function, as in the epoch trainer; the gradients are
TensorFlow's, taken through the stacked forward pass. Each run starts from the
weights Keras gives the plain model after `keras.utils.set_random_seed(seed)`
(`initial_weights`), so one plain Keras model is a reference for one run
(tests/differential/test_nets.py). The LSTM's rows come from the
epoch trainer itself.
"""

import functools
import typing

import keras
import numpy as np
import tensorflow as tf

from lstm_lab import (
    article,
    checks,
    cli,
    epoch_trainer,
    estimates,
    stats,
    tasks,
    tf_ops,
)

NETS = ("mlp", "window", "simple", "gru", "lstm")
BASELINES = NETS[:-1]  # trained here; the LSTM by the epoch trainer
MLPS = ("mlp", "window")  # no state: they see only what `features` gives them
UPDATES = ("step", "sequence")
WINDOW = 4  # the current input and the 3 before it: back to the first value
# The MLPs' hidden activation: Keras's Dense is linear by default, and a
# linear hidden layer would make the MLP a linear model. tanh is the
# activation of the LSTM's and the SimpleRNN's hidden state (Keras's default
# for both), so every net's hidden units have the same nonlinearity and the
# nets differ only in what they can remember.
HIDDEN_ACTIVATION = "tanh"


class MlpWeights(typing.NamedTuple):
    """A hidden Dense layer and the sigmoid Dense on top, in Keras's order."""

    hidden_kernel: object  # (n_inputs, u)
    hidden_bias: object  # (u,)
    dense_kernel: object  # (u, n_outputs)
    dense_bias: object  # (n_outputs,)


def check_net(net, allowed=BASELINES):
    """`net`; ValueError naming it unless it is one of `allowed`."""
    return checks.check_choice(net, allowed, "net")


def n_inputs(net, n_symbols):
    """What the first layer reads: one one hot vector, or WINDOW of them (window)."""
    return WINDOW * n_symbols if net == "window" else n_symbols


def initial_weights(net, seed, n_symbols, units=article.DEFAULT_UNITS):
    """The weights Keras gives the plain model of `net` after `set_random_seed(seed)`.

    Keras 3 draws an initializer's seed when the layer is constructed, so the
    two layers constructed in the model's order and built alone have the
    model's numbers (as `tf_ops.keras_initial_weights` does for the LSTM).
    """
    if check_net(net) not in MLPS:  # the recurrent layers: tf_ops has them
        return tf_ops.keras_initial_weights(seed, n_symbols, units, n_symbols, cell=net)
    keras.utils.set_random_seed(seed)
    hidden = keras.layers.Dense(units, activation=HIDDEN_ACTIVATION)
    width = n_inputs(net, n_symbols)
    hidden.build((1, width))
    dense = keras.layers.Dense(n_symbols)
    dense.build((1, units))
    return MlpWeights(*hidden.get_weights(), *dense.get_weights())


def features(net, sequences, n_symbols):
    """The inputs (N, T, n_inputs) the first layer reads at each step.

    window: the last WINDOW one hot inputs, oldest first, zero vectors before
    the sequence's start; every other net: the current input's one hot vector.
    """
    sequences = np.asarray(sequences)
    one_hot = np.eye(n_symbols, dtype=np.float32)[sequences[:, :-1]]
    if net != "window":
        return one_hot
    padded = np.pad(one_hot, ((0, 0), (WINDOW - 1, 0), (0, 0)))
    length = one_hot.shape[1]
    return np.concatenate([padded[:, k : k + length] for k in range(WINDOW)], axis=-1)


def most_right_without_memory(sequences, window=1):
    """The most steps that any function of the last `window` inputs gets right.

    Steps that read the same inputs get the same answer, so of each group the
    most is its most frequent target. With window=1 on the article's task, input
    2 is followed by 3 once and by 4 once: 7 of 8.
    """
    sequences = np.asarray(sequences)
    groups = {}
    for sequence in sequences:
        padded = [None] * (window - 1) + list(sequence[:-1])
        for t, target in enumerate(sequence[1:]):
            seen = tuple(padded[t : t + window])
            groups.setdefault(seen, []).append(int(target))
    return sum(
        max(targets.count(v) for v in set(targets)) for targets in groups.values()
    )


def steps_right(outputs, sequences):
    """How many steps of all the sequences one model's outputs (N, T, n) get right."""
    outputs = np.asarray(outputs)
    targets = np.asarray(sequences)[:, 1:]
    right = (outputs.argmax(axis=-1) == targets) & np.isfinite(outputs).all(axis=-1)
    return int(right.sum())


"""
## The stacked forward pass

Every weight has a leading run axis S; the inputs, the same for every run,
have a batch axis B: x (B, n) and states (S, B, u). The equations are
Keras's, in its order of additions.
"""


def dense(x, kernel, bias):
    """Keras's Dense before its activation, for stacked runs: x (S, B, n)."""
    return tf.einsum("sbn,snk->sbk", x, kernel) + bias[:, None]


def mlp_logits(weights, x):
    """The MLP's logits (S, B, n_outputs) for shared inputs x (B, n_inputs)."""
    z = (
        tf.einsum("bn,snk->sbk", x, weights.hidden_kernel)
        + weights.hidden_bias[:, None]
    )
    hidden = keras.activations.get(HIDDEN_ACTIVATION)
    return dense(hidden(z), weights.dense_kernel, weights.dense_bias)


# Keras's SimpleRNN and GRU steps, the ones `paper.py --cell` trains (tf_ops).
CELLS = {"simple": tf_ops.simple_cell, "gru": tf_ops.gru_cell}


def bce(logits, targets):
    """Keras's binary cross-entropy of stacked logits (S, ...) against shared targets."""
    return tf_ops.bce(logits, tf.broadcast_to(targets, tf.shape(logits)))


def rnn_step(net, weights, x, h):
    """One step of a recurrent net: (logits (S, B, n), new state (S, B, u))."""
    xz = tf.einsum("bn,snk->sbk", x, weights.kernel)
    h = CELLS[net](xz, h, weights.recurrent, weights.bias)
    return dense(h, weights.dense_kernel, weights.dense_bias), h


def sequence_logits(net, weights, xs):
    """Logits (S, B, T, n) of sequences xs (B, T, n_inputs), state from zero."""
    if net not in CELLS:
        return tf.stack([mlp_logits(weights, xs[:, t]) for t in range(xs.shape[1])], 2)
    h = tf.zeros((weights.recurrent.shape[0], xs.shape[0], weights.recurrent.shape[1]))
    logits = []
    for t in range(xs.shape[1]):  # the article's 4 steps, unrolled
        step_logits, h = rnn_step(net, weights, xs[:, t], h)
        logits.append(step_logits)
    return tf.stack(logits, axis=2)


"""
## Training
"""


@functools.lru_cache(maxsize=32)
def compile_training(net, update, n_runs, units, epochs, n_sequences, length, width):
    """An XLA-compiled function that trains stacked runs of `net` for `epochs` epochs."""
    check_net(net)
    checks.check_choice(update, UPDATES, "update")

    def train_step(weights, moments, step, x, y, h, learning_rate):
        # One time step x (width,), y (n,): the state h carried in from the
        # step before is a constant here, so the gradient stops at this step,
        # as with a stateful Keras layer. Each run's loss depends on its own
        # weights alone, so the gradient of the sum is every run's own.
        with tf.GradientTape() as tape:
            tape.watch(weights)
            if net in CELLS:
                logits, h = rnn_step(net, weights, x[None], h)
            else:
                logits = mlp_logits(weights, x[None])
            loss = bce(logits, y[None])[:, 0]
            total = tf.reduce_sum(loss)
        grads = tape.gradient(total, weights)
        weights, moments = tf_ops.adam(weights, grads, moments, step, learning_rate)
        return weights, moments, step + 1, loss, h

    def train_whole(weights, moments, step, x, y, learning_rate):
        # One sequence x (T, width), y (T, n), the gradient through every step.
        with tf.GradientTape() as tape:
            tape.watch(weights)
            logits = sequence_logits(net, weights, x[None])[:, 0]
            loss = tf.reduce_mean(bce(logits, y), axis=1)
            total = tf.reduce_sum(loss)
        grads = tape.gradient(total, weights)
        weights, moments = tf_ops.adam(weights, grads, moments, step, learning_rate)
        return weights, moments, step + 1, loss

    def judge(weights, xs, ys):
        outputs = tf.sigmoid(sequence_logits(net, weights, xs))  # (S, N, T, n)
        right = tf.equal(tf.argmax(outputs, -1), tf.argmax(ys, -1)[None])
        right = tf.logical_and(right, tf.reduce_all(tf.math.is_finite(outputs), -1))
        return tf.reduce_sum(tf.cast(right, tf.int32), axis=(1, 2))

    @tf.function(jit_compile=True)
    def train_epochs(weights, moments, step, xs, ys, learning_rate):
        right = tf.TensorArray(tf.int32, size=epochs)
        first_loss = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            epoch_loss = tf.zeros((n_runs,))
            for k in tf.range(n_sequences):
                x, y = xs[k], ys[k]
                if update == "sequence":
                    weights, moments, step, loss = train_whole(
                        weights, moments, step, x, y, learning_rate
                    )
                else:
                    h = tf.zeros((n_runs, 1, units))  # reset before each sequence
                    loss = tf.zeros((n_runs,))
                    for t in tf.range(length):
                        weights, moments, step, step_loss, h = train_step(
                            weights, moments, step, x[t], y[t], h, learning_rate
                        )
                        loss += step_loss
                    loss = loss / length
                epoch_loss = tf.where(k == 0, loss, epoch_loss)
            right = right.write(epoch, judge(weights, xs, ys))
            first_loss = first_loss.write(epoch, epoch_loss)
        return (
            weights,
            moments,
            step,
            tf.transpose(right.stack()),
            tf.transpose(first_loss.stack()),
        )

    return train_epochs


def train_runs(
    net,
    seeds,
    sequences,
    n_symbols,
    units=article.DEFAULT_UNITS,
    epochs=article.DEFAULT_EPOCHS,
    learning_rate=tf_ops.LEARNING_RATE,
    update="step",
    progress=None,
):
    """Train one `net` per seed on `sequences` (N, T+1), side by side, in order.

    As `epoch_trainer.train_runs` (update "step" or "sequence"; the
    sequences in the given order every epoch). After each epoch every run is
    judged on all the sequences' steps. `progress(epochs_done)` is called
    after each compiled call. The steps of a sequence are unrolled in the
    compiled function: it is meant for short sequences such as the article's.

    Returns a dict of NumPy arrays: "weights" (an MlpWeights or tf_ops.LstmWeights per
    run), "correct" (runs, epochs): the article's criterion, argmax right at
    every step; "steps_right" (runs, epochs): how many of the steps were right;
    "loss" (runs, epochs) of each epoch's first sequence; "diverged" (runs,):
    a weight that is not finite at the end.
    """
    check_net(net)
    checks.check_choice(update, UPDATES, "update")
    seeds = checks.check_seeds(seeds)
    epochs = checks.check_int(epochs, "epochs")
    units = checks.check_int(units, "units")
    if epochs < 1 or units < 1:
        raise ValueError(f"need at least one epoch and one unit, got {epochs}, {units}")
    sequences = np.asarray(sequences)
    if sequences.ndim != 2 or sequences.shape[1] < 2:
        raise ValueError(
            f"sequences must be an (N, T+1) array with T >= 1, got {sequences.shape}"
        )
    if sequences.min() < 0 or sequences.max() >= n_symbols:
        raise ValueError(f"sequence values must be in 0..{n_symbols - 1}")
    n_runs, (n_sequences, length) = len(seeds), sequences[:, 1:].shape
    xs = features(net, sequences, n_symbols)
    ys = tasks.one_hot_targets(sequences, n_symbols)
    weights = tf_ops.stack([initial_weights(net, s, n_symbols, units) for s in seeds])
    moments = tf_ops.zero_moments(weights)
    step = tf.constant(0, tf.int32)
    # An LSTM's work bounds each of these nets': the chunk of epochs per call.
    work = estimates.epoch_work(
        n_runs, xs.shape[-1], units, n_sequences, length, n_sequences
    )
    chunk = epoch_trainer.epoch_chunk(epochs, work)
    constants = (tf.constant(xs), tf.constant(ys), tf.constant(learning_rate))
    shape = (n_runs, units)
    curves = []
    for start in range(0, epochs, chunk):
        size = min(chunk, epochs - start)
        sizes = (*shape, size, n_sequences, length, xs.shape[-1])
        trainer = compile_training(net, update, *sizes)
        weights, moments, step, *curve = trainer(weights, moments, step, *constants)
        curves.append([c.numpy() for c in curve])
        if progress is not None:
            progress(start + size)
    right, loss = (np.concatenate(parts, axis=1) for parts in zip(*curves))
    diverged = ~np.asarray(tf_ops.finite_runs(weights))
    correct = (right == n_sequences * length) & ~diverged[:, None]
    return {
        "weights": tf_ops.unstack(weights),
        "correct": correct,
        "steps_right": right,
        "loss": loss,
        "diverged": diverged,
    }


"""
## The table

`extensions.py nets` yields these rows. The LSTM's come from the epoch
trainer itself, so they are the counts that `extensions.py batch` gives.
"""


OPTIONS = (
    cli.Option(
        "--net",
        type=cli.choice_list(NETS),
        default=list(NETS),
        help="comma-separated nets: mlp (an MLP on the current input), window "
        "(the MLP on the last 4 inputs), simple (SimpleRNN), gru, lstm. The LSTM "
        "is trained in every case, first: each row is compared with it "
        "(default: {default})",
    ),
    cli.Option(
        "--update",
        type=cli.choice_list(UPDATES),
        default=list(UPDATES),
        help="comma-separated: step, one update per time step (the article's); "
        "sequence, one per sequence, gradient through all its steps "
        "(default: {default})",
    ),
)


def table_rows(nets, updates, seeds, shown=False, **options):
    """The rows of `nets`: each net under each update on the article's task.

    The LSTM is trained first under each update, whether `nets` names it or
    not: every other row is compared with it. seeds: each net's runs. shown:
    whether the progress bar is shown. options: units, epochs, learning_rate.
    """
    nets = ["lstm", *(check_net(net, NETS) for net in nets if net != "lstm")]
    epochs = options.get("epochs", article.DEFAULT_EPOCHS)
    progress = cli.Progress(len(nets) * len(updates) * epochs, shown=shown)
    sequences, n_symbols = tasks.article_sequences(), article.N_UNIQUE
    for update in updates:
        lstm_row = None
        for net in nets:
            trainer = epoch_trainer.train_runs
            if net != "lstm":
                trainer = functools.partial(train_runs, net)
            result, seconds = cli.timed(
                trainer,
                seeds,
                sequences,
                n_symbols,
                update=update,
                progress=progress.part(),
                **options,
            )
            name = f"{net}, {update}"
            row = cli.summarise(name, result["correct"], seconds, result["diverged"])
            row["most_steps_right"] = most_steps_right(
                net, result, sequences, n_symbols
            )
            row.update(compared_with_lstm(row, lstm_row))
            lstm_row = lstm_row or row
            yield row


def most_steps_right(net, result, sequences, n_symbols):
    """The most steps of all the sequences that any run got right after its last epoch.

    result: what `train_runs` returns, or for "lstm" `epoch_trainer.train_runs`,
    whose runs are judged here from their final weights.
    """
    if net != "lstm":
        return int(result["steps_right"][:, -1].max())
    return max(
        steps_right(epoch_trainer.evaluate(w, sequences, n_symbols)[1], sequences)
        for w in result["weights"]
    )


def compared_with_lstm(row, lstm_row):
    """Fisher's test of a row's success rate against the LSTM's with the same update.

    lstm_row None: the row is the LSTM's own, the reference.
    """
    if lstm_row is None:
        return {"vs_lstm_p": None, "vs_lstm": "the reference"}
    counts = (row["learned"], row["runs"], lstm_row["learned"], lstm_row["runs"])
    return {"vs_lstm_p": stats.fisher_exact(*counts), "vs_lstm": stats.compare(*counts)}
