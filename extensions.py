"""
Title: Extensions of the LSTM memory tutorial, measured over many seeds
Author: the lstm-memory project contributors, after Jason Brownlee's tutorial
Date created: 2026/11/24
Last modified: 2026/11/25
Description: The article's six Extensions, one subcommand each, each answered
    with a table of how many independent runs learned the task, and the 1997
    LSTM paper's Experiment 2 that the article simplifies.

## Introduction

The tutorial ends with six ideas to try: Tuning, Arbitrary Alphabets, Long
Sequences, Random Sequences, Batch Learning and Shuffle Epoch. Each is a
subcommand here. One run says little, because whether the LSTM learns the
memory step depends on the random start. So every subcommand trains `--seeds`
independent runs of each configuration and prints a table: how many learned,
the success rate, the median number of epochs to learn, and the wall time.
A run has *learned* when, after its last epoch, the argmax of every step is
right: the article's criterion. Tables also give the 1997 paper's stricter
criterion where it applies: every output within 0.25 of its 0/1 target.

    python extensions.py tuning --epochs 100,250,500 --units 5,10,20 --seeds 100
    python extensions.py batch --seeds 100
    python extensions.py inspect --plot memory.png
    python extensions.py paper

`inspect` draws what the LSTM holds in its state at each step. `paper` runs
Tasks 2a and 2b of Hochreiter & Schmidhuber (1997) at p = 100 and beyond, and
prints our results beside the paper's Table 2; it trains Keras models one run
at a time. The other subcommands are fast because their runs are trained side
by side in one compiled TensorFlow function (see "A fast path"), which gives
the same weights as the tutorial's Keras loop within float rounding.
"""

import argparse
import sys
import time

# lstm_memory comes before TensorFlow: importing it sets the quiet logging defaults.
import lstm_memory as lm

# isort: split
import keras
import numpy as np
import tensorflow as tf

"""
## Sequences

Every task here is a set of sequences whose last value repeats the first, with
something in between that all of them share (or, for `random`, that is random).
Symbols are integers 0..n_symbols-1, one hot encoded as in the tutorial.
"""


def article_sequences():
    """The tutorial's two sequences, as an int array (2, 5)."""
    return np.array([lm.SEQ1, lm.SEQ2])


def marker_sequences(n_symbols, n_sequences, middle_length):
    """k sequences that share a middle and differ in their first and last values.

    The middle is 0, 1, ..., middle_length-1 (repeating if the alphabet has fewer
    symbols than that); the first and last values are the top n_sequences symbols.
    With (5, 2, 3) these are the article's 3 0 1 2 3 and 4 0 1 2 4.
    """
    n_symbols = lm._check_int(n_symbols, "n_symbols")
    n_sequences = lm._check_int(n_sequences, "n_sequences")
    middle_length = lm._check_int(middle_length, "middle_length")
    if n_sequences < 2:
        raise ValueError(
            f"need at least 2 sequences to need a memory, got {n_sequences}"
        )
    if middle_length < 1:
        raise ValueError(f"the middle needs at least 1 value, got {middle_length}")
    n_middle = n_symbols - n_sequences
    if n_middle < 1:
        raise ValueError(
            f"an alphabet of {n_symbols} symbols is too small for {n_sequences} sequences: "
            f"it needs {n_sequences} first values and at least 1 middle symbol"
        )
    middle = [i % n_middle for i in range(middle_length)]
    markers = range(n_symbols - n_sequences, n_symbols)
    return np.array([[m, *middle, m] for m in markers])


def lag_sequences(p):
    """The paper's Task 2a: (x, a1..a(p-1), x) and (y, a1..a(p-1), y), p+1 symbols.

    a1..a(p-1) are 0..p-2, x = p-1 and y = p. p = 4 gives the article's sequences.
    """
    p = lm._check_int(p, "p (the time lag)")
    if p < 2:
        raise ValueError(f"the time lag p must be at least 2, got {p}")
    return marker_sequences(p + 1, 2, p - 1)


def random_sequence_pool(
    rng, n_sequences, middle_length, n_middle_symbols, n_markers=2
):
    """All distinct sequences (m, random middle, m), shuffled; the caller splits them.

    Symbols 0..n_middle_symbols-1 make the middle and the next n_markers symbols
    are the first/last values. Returns an int array (n_sequences, middle_length+2).
    """
    total = n_markers * n_middle_symbols**middle_length
    if n_sequences > total:
        raise ValueError(
            f"only {total} distinct sequences exist with {n_markers} first values and "
            f"{n_middle_symbols}^{middle_length} middles, but {n_sequences} were asked for"
        )
    chosen = rng.choice(total, size=n_sequences, replace=False)
    sequences = []
    for index in chosen:
        marker, rest = divmod(int(index), n_middle_symbols**middle_length)
        middle = []
        for _ in range(middle_length):
            rest, digit = divmod(rest, n_middle_symbols)
            middle.append(digit)
        m = n_middle_symbols + marker
        sequences.append([m, *middle, m])
    return np.array(sequences)


"""
## Success criteria

The article's criterion: the argmax of the output is the target at every step.
The paper's (stricter) criterion: every output unit is within 0.25 of its
target, 0 or 1, at every step.
"""


def argmax_correct(outputs, sequences, steps=None):
    """Whether every step's argmax equals its target, per sequence... all at once.

    outputs: (n_seq, T, n_symbols); sequences: (n_seq, T+1). `steps` selects
    which steps count (None for all, e.g. [-1] for the last).
    """
    outputs = np.asarray(outputs)
    targets = np.asarray(sequences)[:, 1:]
    if outputs.shape[:2] != targets.shape:
        raise ValueError(
            f"outputs {outputs.shape} do not fit sequences {np.shape(sequences)}"
        )
    hits = outputs.argmax(axis=-1) == targets
    if steps is not None:
        hits = hits[:, steps]
    return bool(hits.all())


def within_threshold(outputs, sequences, threshold=0.25, steps=None):
    """The paper's criterion: every output within `threshold` of its one hot target."""
    outputs = np.asarray(outputs)
    targets = np.asarray(sequences)[:, 1:]
    if outputs.shape[:2] != targets.shape:
        raise ValueError(
            f"outputs {outputs.shape} do not fit sequences {np.shape(sequences)}"
        )
    one_hot = np.eye(outputs.shape[-1])[targets]
    error = np.abs(outputs - one_hot)
    if steps is not None:
        error = error[:, steps]
    return bool(error.max() < threshold)


"""
## A fast path: many runs side by side

The tutorial's loop makes 2,000 tiny updates per run, and each `train_on_batch`
call costs far more in Python and TensorFlow overhead than in arithmetic. Sweeps
over 100 seeds need something faster. Here the runs are stacked on a leading
axis, so one batched matrix product serves every seed, and the whole training
run, all epochs, is one XLA-compiled TensorFlow function. The equations are the
Keras LSTM's, Dense's, binary cross-entropy's and Adam's, written out for the
stack; tests check them against Keras's own training.
"""


def initial_weights(seed, n_symbols, units):
    """The weights `lstm_memory.build_model` starts from after `set_random_seed(seed)`.

    Building the two layers alone draws the same random numbers as building the
    model (the tests check this) in a fraction of the time.
    """
    keras.utils.set_random_seed(seed)
    lstm = keras.layers.LSTM(units)
    lstm.build((1, 1, n_symbols))
    dense = keras.layers.Dense(n_symbols)
    dense.build((1, units))
    return lstm.get_weights() + dense.get_weights()


def _forward_step(weights, x, h, c):
    """One LSTM step and the Dense logits for stacked runs: x (S, n), h and c (S, u)."""
    kernel, recurrent, bias, dense_kernel, dense_bias = weights
    z = (
        tf.einsum("sn,snk->sk", x, kernel)
        + tf.einsum("su,suk->sk", h, recurrent)
        + bias
    )
    # Keras orders the gates input, forget, cell candidate, output.
    zi, zf, zc, zo = tf.split(z, 4, axis=-1)
    c = tf.sigmoid(zf) * c + tf.sigmoid(zi) * tf.tanh(zc)
    h = tf.sigmoid(zo) * tf.tanh(c)
    logits = tf.einsum("su,sun->sn", h, dense_kernel) + dense_bias
    return logits, h, c


def _bce(logits, targets):
    # Keras computes binary cross-entropy from the logits of a sigmoid output,
    # averaged over the outputs; the runs' losses are summed, so each run's
    # gradient is its own.
    per_output = tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
    return tf.reduce_mean(per_output, axis=-1)


def _adam(weights, grads, moments, step, learning_rate):
    """Keras 3's Adam update (default betas and epsilon), elementwise, so per run."""
    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-7
    t = tf.cast(step + 1, tf.float32)
    alpha = learning_rate * tf.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    new_weights, new_moments = [], []
    for w, g, (m, v) in zip(weights, grads, moments):
        m = m + (g - m) * (1 - beta_1)
        v = v + (tf.square(g) - v) * (1 - beta_2)
        new_weights.append(w - m * alpha / (tf.sqrt(v) + epsilon))
        new_moments.append((m, v))
    return new_weights, new_moments


def _run_sequences(weights, inputs):
    """Outputs of every step for stacked runs, state from zero: inputs (S, T, n)."""
    n_runs = tf.shape(inputs)[0]
    units = weights[1].shape[1]
    h = tf.zeros((n_runs, units))
    c = tf.zeros((n_runs, units))
    logits = []
    for t in range(inputs.shape[1]):
        step_logits, h, c = _forward_step(weights, inputs[:, t], h, c)
        logits.append(step_logits)
    return tf.stack(logits, axis=1)


def _make_trainer(n_runs, n_symbols, units, epochs, per_epoch, length, update):
    """An XLA-compiled function that trains stacked runs for all epochs."""

    def evaluate(weights, eval_inputs, eval_targets, eval_mask):
        # eval_inputs (E, T, n) are the same for every run: tile them per run.
        n_eval = eval_inputs.shape[0]
        tiled = [tf.repeat(w, n_eval, axis=0) for w in weights]
        x = tf.tile(eval_inputs, [n_runs, 1, 1])
        outputs = tf.sigmoid(_run_sequences(tiled, x))
        outputs = tf.reshape(outputs, (n_runs, n_eval, *eval_inputs.shape[1:]))
        targets = eval_targets[None]
        right = (
            tf.equal(tf.argmax(outputs, -1), tf.argmax(targets, -1)) | ~eval_mask[None]
        )
        error = tf.where(eval_mask[None, :, :, None], tf.abs(outputs - targets), 0.0)
        return tf.reduce_all(right, axis=[1, 2]), tf.reduce_max(error, axis=[1, 2, 3])

    def train_step_by_step(weights, moments, step, x, y, learning_rate):
        # The article's regime: one update per time step, the state carried in
        # from the last step as a constant, so the gradient never crosses a step.
        h = tf.zeros((n_runs, units))
        c = tf.zeros((n_runs, units))
        loss_sum = tf.zeros((n_runs,))
        for t in tf.range(length):
            with tf.GradientTape() as tape:
                tape.watch(weights)
                logits, h_new, c_new = _forward_step(weights, x[:, t], h, c)
                loss = _bce(logits, y[:, t])
                total = tf.reduce_sum(loss)
            grads = tape.gradient(total, weights)
            weights, moments = _adam(weights, grads, moments, step, learning_rate)
            step += 1
            h, c = h_new, c_new
            loss_sum += loss
        return weights, moments, step, loss_sum / length

    def train_whole(weights, moments, step, x, y, learning_rate):
        # One update for whole sequences, the gradient through every step.
        with tf.GradientTape() as tape:
            tape.watch(weights)
            logits = _run_sequences(weights, x)
            loss = tf.reduce_mean(_bce(logits, y), axis=1)
            total = tf.reduce_sum(loss)
        grads = tape.gradient(total, weights)
        weights, moments = _adam(weights, grads, moments, step, learning_rate)
        return weights, moments, step + 1, loss

    @tf.function(jit_compile=True)
    def train(
        weights,
        moments,
        step,
        data,
        orders,
        learning_rate,
        eval_inputs,
        eval_targets,
        eval_mask,
    ):
        correct = tf.TensorArray(tf.bool, size=epochs)
        max_error = tf.TensorArray(tf.float32, size=epochs)
        first_loss = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            epoch_orders = orders[:, epoch]
            if update == "epoch":
                # Every run trains on its own epoch's sequences as one batch.
                seqs = tf.gather(data, epoch_orders)  # (S, K, T+1, n)
                x = tf.reshape(seqs[:, :, :-1], (n_runs * per_epoch, length, n_symbols))
                y = tf.reshape(seqs[:, :, 1:], (n_runs * per_epoch, length, n_symbols))
                batch_weights = weights
                # Repeat each run's weights per sequence; the gradients of the
                # copies add up, and the mean over the batch is Keras's loss.
                with tf.GradientTape() as tape:
                    tape.watch(batch_weights)
                    tiled = [tf.repeat(w, per_epoch, axis=0) for w in batch_weights]
                    logits = _run_sequences(tiled, x)
                    loss = tf.reduce_mean(_bce(logits, y), axis=1)
                    loss = tf.reduce_mean(tf.reshape(loss, (n_runs, per_epoch)), axis=1)
                    total = tf.reduce_sum(loss)
                grads = tape.gradient(total, batch_weights)
                weights, moments = _adam(weights, grads, moments, step, learning_rate)
                step += 1
                epoch_loss = loss
            else:
                epoch_loss = tf.zeros((n_runs,))
                train_one = train_step_by_step if update == "step" else train_whole
                for k in tf.range(per_epoch):
                    seqs = tf.gather(data, epoch_orders[:, k])  # (S, T+1, n)
                    x, y = seqs[:, :-1], seqs[:, 1:]
                    weights, moments, step, loss = train_one(
                        weights, moments, step, x, y, learning_rate
                    )
                    epoch_loss = tf.where(k == 0, loss, epoch_loss)
            ok, err = evaluate(weights, eval_inputs, eval_targets, eval_mask)
            correct = correct.write(epoch, ok)
            max_error = max_error.write(epoch, err)
            first_loss = first_loss.write(epoch, epoch_loss)
        return (
            weights,
            moments,
            step,
            tf.transpose(correct.stack()),
            tf.transpose(max_error.stack()),
            tf.transpose(first_loss.stack()),
        )

    return train


UPDATES = ("step", "sequence", "epoch")


def epoch_chunk(epochs):
    """How many epochs one compiled call trains: about a tenth, dividing `epochs`.

    Chunks let the progress bar move; a divisor keeps one compiled shape.
    """
    target = max(1, epochs // 10)
    return max(d for d in range(1, target + 1) if epochs % d == 0)


def train_runs(
    seeds,
    sequences,
    n_symbols,
    units=lm.DEFAULT_UNITS,
    epochs=lm.DEFAULT_EPOCHS,
    learning_rate=0.001,
    update="step",
    orders=None,
    eval_sequences=None,
    eval_steps=None,
    progress=None,
):
    """Train one model per seed, side by side; return the learning curves.

    sequences: int array (N, T+1) to train on. orders: int array (runs, epochs, K)
    of indices into `sequences`, per run and epoch, in training order; None
    trains on all of them in the given order every epoch. update: "step" (the
    article's: stateful, one update per time step), "sequence" (stateless, the
    gradient through the whole sequence, one update per sequence) or "epoch"
    (the same, with all of an epoch's sequences in one batch and one update).
    After each epoch every run is evaluated on `eval_sequences` (default: the
    training sequences), at the steps `eval_steps` (default all; e.g. [-1]).
    `progress(epochs_done)` is called as training goes.

    Returns a dict of NumPy arrays: "weights" (a list per run), "correct"
    (runs, epochs) for the article's argmax criterion, "max_error" (runs,
    epochs) for the paper's, and "loss" (runs, epochs) of each epoch's first
    sequence.
    """
    if update not in UPDATES:
        raise ValueError(f"update must be one of {UPDATES}, got {update!r}")
    seeds = [lm._check_int(s, "seed") for s in seeds]
    epochs = lm._check_int(epochs, "epochs")
    if not seeds or epochs < 1:
        raise ValueError(
            f"need at least one seed and one epoch, got {len(seeds)} and {epochs}"
        )
    sequences = np.asarray(sequences)
    if sequences.ndim != 2 or sequences.shape[1] < 2:
        raise ValueError(
            f"sequences must be an (N, T+1) array with T >= 1, got {sequences.shape}"
        )
    if sequences.min() < 0 or sequences.max() >= n_symbols:
        raise ValueError(f"sequence values must be in 0..{n_symbols - 1}")
    n_runs, length = len(seeds), sequences.shape[1] - 1
    if orders is None:
        orders = np.broadcast_to(
            np.arange(len(sequences)), (n_runs, epochs, len(sequences))
        )
    orders = np.asarray(orders, dtype=np.int32)
    if orders.ndim != 3 or orders.shape[:2] != (n_runs, epochs):
        raise ValueError(
            f"orders must have shape ({n_runs}, {epochs}, K), got {orders.shape}"
        )
    if orders.min() < 0 or orders.max() >= len(sequences):
        raise ValueError(f"orders must index the {len(sequences)} sequences")
    eval_sequences = sequences if eval_sequences is None else np.asarray(eval_sequences)
    mask = np.zeros(eval_sequences[:, 1:].shape, dtype=bool)
    mask[:, slice(None) if eval_steps is None else eval_steps] = True

    one_hot = np.eye(n_symbols, dtype=np.float32)
    inits = [initial_weights(s, n_symbols, units) for s in seeds]
    weights = [tf.constant(np.stack(ws)) for ws in zip(*inits)]
    moments = [(tf.zeros_like(w), tf.zeros_like(w)) for w in weights]
    step = tf.constant(0, tf.int32)
    chunk = epoch_chunk(epochs)
    trainer = _make_trainer(
        n_runs, n_symbols, units, chunk, orders.shape[2], length, update
    )
    constants = (
        tf.constant(one_hot[sequences]),
        tf.constant(learning_rate, tf.float32),
        tf.constant(one_hot[eval_sequences[:, :-1]]),
        tf.constant(one_hot[eval_sequences[:, 1:]]),
        tf.constant(mask),
    )
    curves = []
    for start in range(0, epochs, chunk):
        data, lr, eval_inputs, eval_targets, eval_mask = constants
        weights, moments, step, *curve = trainer(
            weights,
            moments,
            step,
            data,
            tf.constant(orders[:, start : start + chunk]),
            lr,
            eval_inputs,
            eval_targets,
            eval_mask,
        )
        curves.append([c.numpy() for c in curve])
        if progress is not None:
            progress(start + chunk)
    correct, max_error, loss = (np.concatenate(parts, axis=1) for parts in zip(*curves))
    weights = [w.numpy() for w in weights]
    return {
        "weights": [[w[i] for w in weights] for i in range(n_runs)],
        "correct": correct,
        "max_error": max_error,
        "loss": loss,
    }


def evaluate(weights, sequences, n_symbols):
    """One model's predictions (N, T) and outputs (N, T, n) on sequences, state from zero."""
    sequences = np.asarray(sequences)
    one_hot = np.eye(n_symbols, dtype=np.float32)
    stacked = [
        tf.constant(np.repeat(np.asarray(w)[None], len(sequences), axis=0))
        for w in weights
    ]
    outputs = tf.sigmoid(
        _run_sequences(stacked, tf.constant(one_hot[sequences[:, :-1]]))
    ).numpy()
    return outputs.argmax(axis=-1), outputs


"""
## Results tables

Each subcommand trains `--seeds` independent runs per configuration and prints
one Markdown table row per configuration, ready to paste into a README.
"""


def first_learned_epoch(correct):
    """Epoch (1-based) after which a run was correct at every later check, or None.

    `correct` is a bool array (epochs,) of the criterion after each epoch. A run
    that is correct at the end but lost it on the way counts from when it last
    regained it: runs with one update per step often oscillate.
    """
    correct = np.asarray(correct, dtype=bool)
    if correct.size == 0 or not correct[-1]:
        return None
    wrong = np.flatnonzero(~correct)
    return int(wrong[-1]) + 2 if wrong.size else 1


def summarise(name, correct, seconds, ever=True):
    """A table row from a bool array (runs, epochs) of the criterion after each epoch."""
    correct = np.asarray(correct, dtype=bool)
    runs = correct.shape[0]
    learned = int(correct[:, -1].sum())
    epochs = [first_learned_epoch(c) for c in correct]
    epochs = [e for e in epochs if e is not None]
    median = f"{np.median(epochs):.0f}" if epochs else "-"
    row = {
        "configuration": name,
        "learned": f"{learned}/{runs}",
        "success": f"{100 * learned / runs:.0f}%",
        "median epochs to learn": median,
    }
    if ever:
        row["ever learned"] = f"{int(correct.any(axis=1).sum())}/{runs}"
    row["wall time"] = f"{seconds:.1f} s ({seconds / runs:.2f} s/run)"
    return row


def format_table(rows):
    """Rows (dicts with the same keys) as a Markdown table."""
    keys = list(rows[0])
    widths = [max(len(k), *(len(str(r[k])) for r in rows)) for k in keys]
    lines = [
        "| " + " | ".join(k.ljust(w) for k, w in zip(keys, widths)) + " |",
        "| " + " | ".join("-" * w for w in widths) + " |",
    ]
    for r in rows:
        lines.append(
            "| " + " | ".join(str(r[k]).ljust(w) for k, w in zip(keys, widths)) + " |"
        )
    return "\n".join(lines)


def int_list(text):
    """argparse type: comma-separated integers of at least 1, e.g. `100,250`."""
    values = []
    for part in text.split(","):
        values.append(lm.positive_int(part.strip()))
    return values


def float_list(text):
    """argparse type: comma-separated positive floats, e.g. `0.001,0.01`."""
    values = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not a number") from None
        if not value > 0 or not np.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a positive number, got {part}")
        values.append(value)
    return values


"""
## The extensions

Each `cmd_*` function takes the parsed options and returns the table rows.
"""


class Progress:
    """One keras.utils.Progbar over every epoch of every configuration of a command."""

    def __init__(self, total_epochs):
        self.bar = keras.utils.Progbar(total_epochs, unit_name="epoch")
        self.done = 0

    def configuration(self):
        """A callback for train_runs that counts on from the configurations before."""
        base = self.done

        def update(epochs_done):
            self.done = base + epochs_done
            self.bar.update(self.done)

        return update


def seeds_of(args):
    return range(args.first_seed, args.first_seed + args.seeds)


def timed_runs(args, sequences, n_symbols, progress, **options):
    """train_runs over the command's seeds; returns (result, seconds)."""
    start = time.perf_counter()
    result = train_runs(
        seeds_of(args),
        sequences,
        n_symbols,
        progress=progress.configuration(),
        **options,
    )
    return result, time.perf_counter() - start


def paper_column(result, threshold=0.25):
    """How many runs met the paper's criterion after the last epoch."""
    met = int((result["max_error"][:, -1] < threshold).sum())
    return f"{met}/{len(result['max_error'])}"


def cmd_tuning(args):
    """Extension 1, Tuning: a grid over epochs, units and learning rate."""
    sequences = article_sequences()
    max_epochs = max(args.epochs)
    configs = [(u, lr) for u in args.units for lr in args.lr]
    progress = Progress(len(configs) * max_epochs)
    rows = []
    for units, lr in configs:
        result, seconds = timed_runs(
            args,
            sequences,
            5,
            progress,
            units=units,
            epochs=max_epochs,
            learning_rate=lr,
            update=args.update,
        )
        # A run of E epochs is the first E epochs of a longer run with the same
        # seed, so one run of the largest epoch count answers every smaller one.
        for epochs in sorted(args.epochs):
            name = f"epochs={epochs} units={units} lr={lr:g}"
            share = seconds * epochs / max_epochs
            rows.append(summarise(name, result["correct"][:, :epochs], share))
    return rows


def cmd_alphabet(args):
    """Extension 2, Arbitrary Alphabets: larger alphabets and more sequences."""
    configs = []
    for n_symbols in args.alphabet:
        for k in args.sequences:
            # Build them all first, so a bad combination fails before training.
            configs.append((n_symbols, k, marker_sequences(n_symbols, k, args.middle)))
    progress = Progress(len(configs) * args.epochs)
    rows = []
    for n_symbols, k, sequences in configs:
        result, seconds = timed_runs(
            args,
            sequences,
            n_symbols,
            progress,
            units=args.units,
            epochs=args.epochs,
            learning_rate=args.lr,
            update=args.update,
        )
        row = summarise(
            f"{n_symbols} symbols, {k} sequences", result["correct"], seconds
        )
        rows.append(row)
    return rows


def cmd_long(args):
    """Extension 3, Long Sequences: the paper's Task 2a with time lag p."""
    configs = [(p, lag_sequences(p)) for p in args.lag]
    progress = Progress(len(configs) * args.epochs)
    rows = []
    for p, sequences in configs:
        result, seconds = timed_runs(
            args,
            sequences,
            p + 1,
            progress,
            units=args.units,
            epochs=args.epochs,
            learning_rate=args.lr,
            update=args.update,
        )
        row = summarise(f"p={p} ({p + 1} steps)", result["correct"], seconds)
        row["within 0.25 (paper)"] = paper_column(result)
        rows.append(row)
    return rows


def split_random_pool(rng, middle_length, n_middle_symbols, n_train, n_test):
    """Disjoint training and test sets of random-middle sequences."""
    pool = random_sequence_pool(rng, n_train + n_test, middle_length, n_middle_symbols)
    return pool[:n_train], pool[n_train:]


def cmd_random(args):
    """Extension 4, Random Sequences: random middles, tested on unseen sequences."""
    rng = np.random.default_rng(args.first_seed)
    train_set, test_set = split_random_pool(
        rng, args.middle, args.symbols, args.train, args.test
    )
    n_symbols = args.symbols + 2
    progress = Progress(args.epochs)
    # The middle values are random, so only the last step, which repeats the
    # first value, can be predicted: that is the step that needs memory.
    result, seconds = timed_runs(
        args,
        train_set,
        n_symbols,
        progress,
        units=args.units,
        epochs=args.epochs,
        learning_rate=args.lr,
        update=args.update,
        eval_sequences=test_set,
        eval_steps=[-1],
    )
    accuracies = {"train": [], "test": []}
    for weights in result["weights"]:
        for name, sequences in (("train", train_set), ("test", test_set)):
            predictions, _ = evaluate(weights, sequences, n_symbols)
            accuracies[name].append(np.mean(predictions[:, -1] == sequences[:, -1]))
    name = (
        f"{len(train_set)} train / {len(test_set)} unseen test sequences, "
        f"middle of {args.middle} from {args.symbols} symbols"
    )
    row = summarise(name, result["correct"], seconds)
    row["memory step accuracy, train"] = f"{100 * np.mean(accuracies['train']):.0f}%"
    row["memory step accuracy, test"] = f"{100 * np.mean(accuracies['test']):.0f}%"
    return [row]


BATCH_ROWS = {
    "step": "one update per time step, gradient through 1 step (article)",
    "sequence": "one update per sequence, gradient through all steps",
    "epoch": "one update per epoch, both sequences in one batch",
}


def cmd_batch(args):
    """Extension 5, Batch Learning: per-step updates against whole-sequence ones."""
    sequences = article_sequences()
    progress = Progress(len(BATCH_ROWS) * args.epochs)
    rows = []
    for update, name in BATCH_ROWS.items():
        result, seconds = timed_runs(
            args,
            sequences,
            5,
            progress,
            units=args.units,
            epochs=args.epochs,
            learning_rate=args.lr,
            update=update,
        )
        rows.append(summarise(name, result["correct"], seconds))
    return rows


def shuffled_orders(seeds, epochs, n_sequences):
    """A random order of the sequences for each run and epoch, from each run's seed."""
    orders = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        orders.append([rng.permutation(n_sequences) for _ in range(epochs)])
    return np.array(orders)


def cmd_shuffle(args):
    """Extension 6, Shuffle Epoch: a random order of the sequences in each epoch."""
    sequences = article_sequences()
    progress = Progress(2 * args.epochs)
    rows = []
    for name, orders in (
        ("sequences in order (article)", None),
        (
            "sequences shuffled each epoch",
            shuffled_orders(seeds_of(args), args.epochs, 2),
        ),
    ):
        result, seconds = timed_runs(
            args,
            sequences,
            5,
            progress,
            units=args.units,
            epochs=args.epochs,
            learning_rate=args.lr,
            update=args.update,
            orders=orders,
        )
        rows.append(summarise(name, result["correct"], seconds))
    return rows


"""
## Inspect: where is the memory?

After the first value, the two sequences see the same inputs (0, 1, 2), so any
difference between their states at a later step can only be the memory of the
first value. `inspect` measures that difference at each step.
"""


def state_trajectory(weights, sequence, n_symbols):
    """Hidden and cell states (T, units) of one model along one sequence."""
    one_hot = np.eye(n_symbols, dtype=np.float32)
    stacked = [tf.constant(np.asarray(w)[None]) for w in weights]
    units = stacked[1].shape[1]
    h, c = tf.zeros((1, units)), tf.zeros((1, units))
    hs, cs = [], []
    for value in sequence[:-1]:
        _, h, c = _forward_step(stacked, tf.constant(one_hot[[value]]), h, c)
        hs.append(h.numpy()[0])
        cs.append(c.numpy()[0])
    return np.array(hs), np.array(cs)


def plot_memory(path, trajectories, loss, seed, learned):
    """Save a figure of both sequences' states and the loss curve."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit(
            "error: --plot needs matplotlib, which is optional: pip install matplotlib"
        ) from None
    fig, axes = plt.subplots(1, 4, figsize=(16, 4), constrained_layout=True)
    (h1, _), (h2, _) = trajectories
    limit = max(np.abs(h1).max(), np.abs(h2).max())
    panels = (
        (h1, "hidden state along 3 0 1 2 3", ["3", "0", "1", "2"], limit),
        (h2, "hidden state along 4 0 1 2 4", ["4", "0", "1", "2"], limit),
        # The difference is small next to the states: it gets its own scale.
        (
            h1 - h2,
            "difference: all that is left of 3 vs 4",
            ["3|4", "0", "1", "2"],
            None,
        ),
    )
    for ax, (data, title, ticks, scale) in zip(axes, panels):
        scale = scale or np.abs(data).max()
        image = ax.imshow(
            data.T, aspect="auto", cmap="coolwarm", vmin=-scale, vmax=scale
        )
        ax.set_title(title)
        ax.set_xlabel("input at this step")
        ax.set_xticks(range(len(ticks)), ticks)
        ax.set_ylabel("LSTM unit")
        fig.colorbar(image, ax=ax)
    axes[3].plot(np.arange(1, len(loss) + 1), loss)
    axes[3].set_title("loss of sequence 1")
    axes[3].set_xlabel("epoch")
    verdict = "learned" if learned else "did not learn"
    fig.suptitle(f"seed {seed}: {verdict} the memory step")
    fig.savefig(path, dpi=80)
    plt.close(fig)


def cmd_inspect(args):
    """The state difference between the two sequences at each step, per run."""
    sequences = article_sequences()
    progress = Progress(args.epochs)
    result, _seconds = timed_runs(
        args,
        sequences,
        5,
        progress,
        units=args.units,
        epochs=args.epochs,
        learning_rate=args.lr,
        update=args.update,
    )
    rows = []
    for i, seed in enumerate(seeds_of(args)):
        (h1, c1), (h2, c2) = (
            state_trajectory(result["weights"][i], s, 5) for s in sequences
        )
        row = {
            "seed": str(seed),
            "learned": "yes" if result["correct"][i, -1] else "no",
        }
        for t, value in enumerate(sequences[0][1:-1], start=2):
            # After the first step both sequences read the same values, so
            # this distance is all that is left of the first value.
            row[f"|h1-h2| after input {value}"] = (
                f"{np.linalg.norm(h1[t - 1] - h2[t - 1]):.3f}"
            )
        row["|c1-c2| before the memory step"] = f"{np.linalg.norm(c1[2] - c2[2]):.3f}"
        rows.append(row)
        if args.plot and i == 0:
            plot_memory(
                args.plot,
                ((h1, c1), (h2, c2)),
                result["loss"][i],
                seed,
                bool(result["correct"][i, -1]),
            )
    if args.plot:
        print(f"Saved the figure of seed {args.first_seed} to {args.plot}")
    return rows


"""
## The 1997 paper's Experiment 2

The article calls its problem a simplified version of Experiment 2 in
Hochreiter & Schmidhuber (1997). Task 2a is the `long` task above:
(x, a1..a(p-1), x) and (y, a1..a(p-1), y) over p+1 symbols. In Task 2b the
middle is a new random sequence over a1..a(p-1) every time, so only the last
step can be predicted. The paper's protocol, which `paper` follows:

- each training sequence is x-first or y-first with probability 0.5, and the
  network learns on-line, one sequence per update;
- the state is reset between sequences;
- success: over 10,000 fresh random sequences, no output is further than 0.25
  from its target, at any step (2a) or at the last step (2b). For 2a there are
  only two distinct sequences and the trained network is deterministic, so
  checking both of them is the same as checking 10,000 draws;
- the count is the training sequences until success.

The network and optimiser are modern (a Keras LSTM and Adam). The training
regime is ours, and each choice has a reason:

- the gradient runs through the whole sequence (a stateless LSTM over all p
  steps, with the state starting from zero for each sequence, which is the
  reset). The `batch` table shows that a gradient through one step cannot
  train the LSTM to store anything;
- the input also feeds the output layer directly, as in the paper's net, whose
  every layer fed all higher layers. The Dense layer can then learn the fixed
  transitions a(i) -> a(i+1) from the input alone, and the LSTM is free to hold
  the first value;
- the forget gate's bias starts at 10, not Keras's 1. The gate then starts at
  0.99995, close to the paper's cell, which had no forget gate: after 1,000
  steps the cell still holds 95% of what it stored, where a bias of 1 keeps
  0.73 per step and so nothing;
- `--input-bias` starts the input gate's bias below Keras's 0. With a forget
  gate near 1, whatever the input gate lets in piles up in the cell step after
  step, and over 1,000 steps the cell saturates and the two sequences' states
  become the same: the paper's "internal state drift", which it remedied with
  negative input gate biases. We use -3 at p = 1000, with the last step
  weighted by p and 64 units, which learned for all 5 seeds where 20 units
  learned for 2. At p = 100 it is not needed, and it slowed learning there
  (-3 with the last step weighted by p: 2 of 3 seeds, after 4,890 sequences on
  average);
- the last step's loss is weighted by 10 p, ten times all the other steps
  together. It is the one step that needs the memory, and the memory has to
  form early: as training on the other steps goes on, the cell state can drift
  into saturation, where the two sequences' states become the same and no
  gradient can tell them apart again. At p = 100, weighted by p, 4 of seeds
  0-10 had not learned after 5,000 sequences; weighted by 10 p, all of seeds
  0-17 learned, after 1,219 on average (the README's tables);
- Adam's learning rate is 0.01, ten times Keras's default. With 0.003 (and
  the last step weighted by p), none of five seeds learned within 8,000
  sequences at p = 100.
"""

PAPER_TASKS = ("2a", "2b")
# Training sequences between two checks of the paper's criterion.
CHECK_EVERY = 20


def task_sequences(rng, task, p, n):
    """n random sequences of the paper's Task 2a or 2b, as an int array (n, p+1).

    Each starts and ends with x (= p-1) or y (= p), with probability 0.5. The
    middle is a1..a(p-1) = 0..p-2 in order (2a) or drawn at random from them (2b).
    """
    _check_task(task)
    n = lm._check_int(n, "n")
    if n < 1:
        raise ValueError(f"need at least 1 sequence, got {n}")
    return _draw_task(rng, task, lag_sequences(p), n)


def _check_task(task):
    if task not in PAPER_TASKS:
        raise ValueError(f"task must be one of {PAPER_TASKS}, got {task!r}")


def _draw_task(rng, task, fixed, n):
    """task_sequences without the checks: `fixed` is lag_sequences(p)."""
    sequences = fixed[rng.integers(0, 2, n)]
    if task == "2b":
        p = fixed.shape[1] - 1
        sequences[:, 1:-1] = rng.integers(0, p - 1, (n, p - 1))
    return sequences


def build_paper_model(
    p, units=20, forget_bias=10.0, input_bias=0.0, learning_rate=0.01, direct=True
):
    """LSTM and Dense over whole sequences of p steps, the input also fed to Dense.

    direct=False feeds Dense the LSTM's output alone, as in the article's network.
    """
    n_symbols = p + 1
    inputs = keras.Input(shape=(p, n_symbols))
    # Stateless: every sequence starts from a zero state, which is the reset
    # between sequences, and the gradient runs back through all p steps.
    lstm = keras.layers.LSTM(units, return_sequences=True)
    features = lstm(inputs)
    # The paper's net connected every layer to all higher ones, so its inputs
    # also reached the outputs directly.
    if direct:
        features = keras.layers.Concatenate()([features, inputs])
    outputs = keras.layers.Dense(n_symbols, activation="sigmoid")(features)
    model = keras.Model(inputs, outputs)
    # Keras orders the gates input, forget, cell candidate, output.
    bias = lstm.cell.bias.numpy()
    bias[:units] = input_bias
    bias[units : 2 * units] = forget_bias
    lstm.cell.bias.assign(bias)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        jit_compile=True,
    )
    return model


def paper_max_error(model, sequences, task):
    """Largest absolute error of any output: at every step (2a), or the last (2b)."""
    one_hot = np.eye(model.output_shape[-1], dtype=np.float32)
    outputs = model.predict_on_batch(one_hot[sequences[:, :-1]])
    error = np.abs(np.asarray(outputs) - one_hot[sequences[:, 1:]])
    if task == "2b":
        error = error[:, -1]
    return float(error.max())


def paper_success(model, task, p, rng, n_test=10_000, threshold=0.25):
    """The paper's criterion on fresh sequences from `rng`."""
    if task == "2a":
        return paper_max_error(model, lag_sequences(p), task) < threshold
    # Fresh sequences in chunks of one fixed shape (one compiled function), at
    # least n_test in all; the first chunk fails most checks early and cheaply.
    chunk = min(n_test, max(1, 4_000_000 // (p * (p + 1))))
    for _ in range(-(-n_test // chunk)):
        sequences = task_sequences(rng, task, p, chunk)
        if paper_max_error(model, sequences, task) >= threshold:
            return False
    return True


def train_paper_run(
    seed,
    task,
    p,
    units=20,
    learning_rate=0.01,
    forget_bias=10.0,
    input_bias=0.0,
    direct=True,
    last_weight=None,
    max_sequences=20_000,
    check_every=CHECK_EVERY,
    n_test=10_000,
):
    """Train one network on-line until the paper's criterion holds.

    Returns the number of training sequences at the first check that succeeded,
    or None if `max_sequences` were not enough. The criterion is checked every
    `check_every` sequences, so counts are multiples of it. `last_weight`
    (default 10 p) weights the last step's loss.
    """
    seed = lm._check_int(seed, "seed")
    for name, value in (("max_sequences", max_sequences), ("check_every", check_every)):
        if lm._check_int(value, name) < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    _check_task(task)
    fixed = lag_sequences(p)  # checks p too
    keras.utils.set_random_seed(seed)
    model = build_paper_model(p, units, forget_bias, input_bias, learning_rate, direct)
    # Separate streams, so the training sequences do not depend on the checks.
    train_rng = np.random.default_rng([seed, 0])
    test_rng = np.random.default_rng([seed, 1])
    one_hot = np.eye(p + 1, dtype=np.float32)
    weights = np.ones((1, p), dtype=np.float32)
    weights[0, -1] = 10 * p if last_weight is None else last_weight
    for n in range(1, max_sequences + 1):
        # On-line learning as in the paper: one sequence, one update.
        sequence = _draw_task(train_rng, task, fixed, 1)
        model.train_on_batch(
            one_hot[sequence[:, :-1]], one_hot[sequence[:, 1:]], sample_weight=weights
        )
        if n % check_every == 0 and paper_success(model, task, p, test_rng, n_test):
            return n
    return None


# Hochreiter & Schmidhuber (1997), Table 2 (Task 2a) and the text on Task 2b:
# method, task, p, % success, mean training sequences until success.
PAPER_TABLE = (
    ("RTRL (lr 1.0)", "2a", 4, "78%", "1,043,000"),
    ("RTRL (lr 4.0)", "2a", 4, "56%", "892,000"),
    ("RTRL (lr 10.0)", "2a", 4, "22%", "254,000"),
    ("RTRL", "2a", 10, "0%", "> 5,000,000"),
    ("RTRL", "2a", 100, "0%", "> 5,000,000"),
    ("BPTT", "2a", 100, "0%", "> 5,000,000"),
    ("CH (chunker)", "2a", 100, "33%", "32,400"),
    ("LSTM", "2a", 100, "100%", "5,040"),
    ("LSTM", "2b", 100, "100%", "5,680"),
)


def paper_row(source, method, task, p, runs, success, mean, median, seconds):
    return {
        "source": source,
        "method": method,
        "task": task,
        "p": str(p),
        "runs": str(runs),
        "success": success,
        "mean sequences to success": mean,
        "median": median,
        "time per run": seconds,
    }


def summarise_paper(method, task, p, counts, seconds, budget):
    """Our row: counts holds sequences to success per run, None for a failure."""
    learned = [c for c in counts if c is not None]
    runs = len(counts)
    return paper_row(
        "ours",
        method,
        task,
        p,
        runs,
        f"{100 * len(learned) / runs:.0f}%",
        f"{np.mean(learned):,.0f}" if learned else f"> {budget:,}",
        f"{np.median(learned):,.0f}" if learned else "-",
        f"{seconds / runs:.1f} s",
    )


def article_regime_counts(seeds, p, budget, check_every, progress):
    """The tutorial's network and regime on Task 2a: sequences to success or None.

    LSTM(20) and Dense, Adam 0.001, one update per time step with the state
    carried through the sequence (the fast path), each sequence x- or y-first
    with probability 0.5. The criterion is checked every `check_every` sequences.
    `progress(fraction_done)` is called as training goes.
    """
    epochs = -(-budget // check_every)
    orders = np.stack(
        [
            np.random.default_rng([s, 0]).integers(0, 2, (epochs, check_every))
            for s in seeds
        ]
    )
    result = train_runs(
        seeds,
        lag_sequences(p),
        p + 1,
        epochs=epochs,
        orders=orders,
        update="step",
        progress=None if progress is None else lambda done: progress(done / epochs),
    )
    counts = []
    for errors in result["max_error"]:
        met = np.flatnonzero(errors < 0.25)
        counts.append(int(met[0] + 1) * check_every if met.size else None)
    return counts


def cmd_paper(args):
    """Hochreiter & Schmidhuber (1997), Experiment 2: Tasks 2a and 2b, with Table 2."""
    seeds = seeds_of(args)
    configs = [(task, p) for task in args.task for p in args.lag]
    total = len(seeds) * (len(configs) + len(args.article_lags))
    bar = keras.utils.Progbar(total, unit_name="run")
    done = 0
    rows = []
    inputs = "" if args.no_direct else " + input->output"
    method = f"LSTM({args.units}){inputs}, Adam, whole-sequence gradient"
    for task, p in configs:
        counts = []
        start = time.perf_counter()
        for seed in seeds:
            counts.append(
                train_paper_run(
                    seed,
                    task,
                    p,
                    units=args.units,
                    learning_rate=args.lr,
                    forget_bias=args.forget_bias,
                    input_bias=args.input_bias,
                    direct=not args.no_direct,
                    last_weight=args.last_weight,
                    max_sequences=args.max_sequences,
                )
            )
            done += 1
            bar.update(done)
        seconds = time.perf_counter() - start
        rows.append(
            summarise_paper(method, task, p, counts, seconds, args.max_sequences)
        )
    for p in args.article_lags:
        start = time.perf_counter()
        base = done

        def progress(fraction, base=base):
            bar.update(base + len(seeds) * fraction)

        counts = article_regime_counts(
            seeds, p, args.article_budget, CHECK_EVERY, progress
        )
        done += len(seeds)
        seconds = time.perf_counter() - start
        rows.append(
            summarise_paper(
                "article's: LSTM(20), one update per step, gradient through 1 step",
                "2a",
                p,
                counts,
                seconds,
                args.article_budget,
            )
        )
    tasks = set(args.task) | ({"2a"} if args.article_lags else set())
    for method, task, p, success, mean in PAPER_TABLE:
        if task in tasks:
            rows.append(
                paper_row("paper", method, task, p, 18, success, mean, "-", "-")
            )
    return rows


"""
## Command line
"""

COMMANDS = {
    "tuning": (
        cmd_tuning,
        (
            "Extension 1, Tuning: the article's settings came from trial and error. "
            "Does a smaller or cheaper configuration learn as often? A grid over "
            "epochs, LSTM units and Adam's learning rate."
        ),
    ),
    "alphabet": (
        cmd_alphabet,
        (
            "Extension 2, Arbitrary Alphabets: does the memory still work with a larger "
            "alphabet and with more than two sequences? k sequences share a middle and "
            "differ in their first and last values. (Which symbols are used does not "
            "matter to a one hot network, only how many.)"
        ),
    ),
    "long": (
        cmd_long,
        (
            "Extension 3, Long Sequences: can it remember across p steps? The paper's "
            "Task 2a: (x, a1..a(p-1), x) and (y, a1..a(p-1), y); p=4 is the article's "
            "problem."
        ),
    ),
    "random": (
        cmd_random,
        (
            "Extension 4, Random Sequences: with random middles, does the network "
            "learn a general rule (repeat the first value) that holds on sequences it "
            "never saw? Trains on some random-middle sequences and tests the last step "
            "on disjoint ones."
        ),
    ),
    "batch": (
        cmd_batch,
        (
            "Extension 5, Batch Learning: the article updates after every time step, "
            "with a gradient through that step only. Does training on whole sequences "
            "(the gradient through every step) learn the memory more reliably?"
        ),
    ),
    "shuffle": (
        cmd_shuffle,
        (
            "Extension 6, Shuffle Epoch: does a random order of the two sequences in "
            "each epoch change how often the memory is learned?"
        ),
    ),
    "inspect": (
        cmd_inspect,
        (
            "Where is the memory? How far apart the two sequences' LSTM states are "
            "at each step, for learned and failed runs; --plot draws the states and "
            "the loss curve of the first run."
        ),
    ),
    "paper": (
        cmd_paper,
        (
            "The 1997 LSTM paper's Experiment 2, which the article simplifies: can "
            "an LSTM remember the first symbol across p = 100 (or 1000) steps? Tasks "
            "2a (fixed middle) and 2b (random middle) with the paper's protocol and "
            "success criterion, beside the paper's Table 2 and the article's own "
            "training regime."
        ),
    ),
}


def make_parser():
    parser = argparse.ArgumentParser(
        description="The tutorial's Extensions, each measured over many seeds.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, text) in COMMANDS.items():
        p = sub.add_parser(name, help=text.split(":")[0], description=text)
        default_seeds = 100 if name in ("tuning", "batch", "shuffle") else 20
        if name == "inspect":
            default_seeds = 10
        if name == "paper":
            default_seeds = 18  # the paper's figures are means of 18 trials
        p.add_argument(
            "--seeds",
            type=lm.positive_int,
            default=default_seeds,
            help=f"independent runs per configuration (default: {default_seeds})",
        )
        p.add_argument(
            "--first-seed",
            type=lm.non_negative_int,
            default=0,
            help="the runs use seeds first-seed, first-seed+1, ... (default: 0)",
        )
        if name == "paper":
            add_paper_options(p)
            continue
        if name == "tuning":
            p.add_argument(
                "--epochs",
                type=int_list,
                default=[250],
                help="comma-separated epoch counts (default: 250)",
            )
            p.add_argument(
                "--units",
                type=int_list,
                default=[20],
                help="comma-separated unit counts (default: 20)",
            )
            p.add_argument(
                "--lr",
                type=float_list,
                default=[0.001],
                help="comma-separated Adam learning rates (default: 0.001)",
            )
        else:
            p.add_argument(
                "--epochs",
                type=lm.positive_int,
                default=250,
                help="epochs (default: 250)",
            )
            p.add_argument(
                "--units",
                type=lm.positive_int,
                default=20,
                help="LSTM units (default: 20)",
            )
            p.add_argument(
                "--lr",
                type=float_list,
                default=[0.001],
                help="Adam learning rate (default: 0.001)",
            )
        if name != "batch":
            p.add_argument(
                "--update",
                choices=UPDATES,
                default="step",
                help="step: one update per time step, as the article (default); "
                "sequence: one per sequence, gradient through all steps; "
                "epoch: one per epoch",
            )
        if name == "alphabet":
            p.add_argument(
                "--alphabet",
                type=int_list,
                default=[5, 10, 20],
                help="comma-separated alphabet sizes (default: 5,10,20)",
            )
            p.add_argument(
                "--sequences",
                type=int_list,
                default=[2, 3, 4],
                help="comma-separated numbers of sequences (default: 2,3,4)",
            )
            p.add_argument(
                "--middle",
                type=lm.positive_int,
                default=3,
                help="length of the shared middle (default: 3)",
            )
        if name == "long":
            p.add_argument(
                "--lag",
                type=int_list,
                default=[4, 10, 20],
                help="comma-separated time lags p, at least 2 (default: 4,10,20)",
            )
        if name == "random":
            p.add_argument(
                "--middle",
                type=lm.positive_int,
                default=3,
                help="middle length (default: 3)",
            )
            p.add_argument(
                "--symbols",
                type=lm.positive_int,
                default=3,
                help="symbols the middle is drawn from (default: 3)",
            )
            p.add_argument(
                "--train",
                type=lm.positive_int,
                default=36,
                help="training sequences (default: 36)",
            )
            p.add_argument(
                "--test",
                type=lm.positive_int,
                default=18,
                help="unseen test sequences (default: 18)",
            )
        if name == "inspect":
            p.add_argument(
                "--plot",
                metavar="FILE.png",
                help="save a figure of the first run's states (needs matplotlib; default: none)",
            )
    return parser


def task_list(text):
    """argparse type: comma-separated tasks of the paper, e.g. `2a,2b`."""
    tasks = [part.strip() for part in text.split(",")]
    for task in tasks:
        if task not in PAPER_TASKS:
            raise argparse.ArgumentTypeError(
                f"unknown task {task!r}: choose from {', '.join(PAPER_TASKS)}"
            )
    return tasks


def lag_list_or_none(text):
    """argparse type: comma-separated lags, or `none` for an empty list."""
    return [] if text.strip().lower() == "none" else int_list(text)


def positive_float(text):
    """argparse type: one positive number."""
    values = float_list(text)
    if len(values) != 1:
        raise argparse.ArgumentTypeError(f"takes one number, got {text!r}")
    return values[0]


def finite_float(text):
    """argparse type: one finite number, of either sign."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def add_paper_options(p):
    p.add_argument(
        "--task",
        type=task_list,
        default=["2a", "2b"],
        help="comma-separated tasks: 2a (fixed middle), 2b (random middle) "
        "(default: 2a,2b)",
    )
    p.add_argument(
        "--lag",
        type=int_list,
        default=[100],
        help="comma-separated time lags p, at least 2 (default: 100)",
    )
    p.add_argument(
        "--max-sequences",
        type=lm.positive_int,
        default=20_000,
        help="training sequences after which a run counts as failed (default: 20000)",
    )
    p.add_argument(
        "--units", type=lm.positive_int, default=20, help="LSTM units (default: 20)"
    )
    p.add_argument(
        "--lr",
        type=positive_float,
        default=0.01,
        help="Adam learning rate (default: 0.01)",
    )
    p.add_argument(
        "--forget-bias",
        type=finite_float,
        default=10.0,
        help="initial bias of the LSTM's forget gate; Keras's own is 1 (default: 10)",
    )
    p.add_argument(
        "--input-bias",
        type=finite_float,
        default=0.0,
        help="initial bias of the LSTM's input gate; Keras's own is 0 (default: 0)",
    )
    p.add_argument(
        "--no-direct",
        action="store_true",
        help="feed the output layer the LSTM's output alone, as the article's "
        "network does, not also the input (default: off)",
    )
    p.add_argument(
        "--last-weight",
        type=positive_float,
        default=None,
        help="weight of the last step's loss, the step that needs memory "
        "(default: 10 p)",
    )
    p.add_argument(
        "--article-lags",
        type=lag_list_or_none,
        default=[10, 100],
        help="lags p at which to add rows for the article's own network and "
        "regime (one update per time step) on Task 2a, or none (default: 10,100)",
    )
    p.add_argument(
        "--article-budget",
        type=lm.positive_int,
        # As many sequences as the paper's LSTM needed on average at p = 100.
        default=5_040,
        help="training sequences for each article-regime run (default: 5040)",
    )


def check_options(parser, args):
    """Turn bad combinations into argparse errors before any training."""
    if args.command == "paper":
        bad = [p for p in args.lag + args.article_lags if p < 2]
        if bad:
            parser.error(
                f"--lag and --article-lags values must be at least 2, got {bad[0]}"
            )
        return
    if args.command != "tuning":
        if len(args.lr) != 1:
            parser.error(f"--lr takes one value here, got {len(args.lr)}")
        args.lr = args.lr[0]
    if args.command == "long":
        bad = [p for p in args.lag if p < 2]
        if bad:
            parser.error(f"--lag values must be at least 2, got {bad[0]}")
    try:
        if args.command == "alphabet":
            for n_symbols in args.alphabet:
                for k in args.sequences:
                    marker_sequences(n_symbols, k, args.middle)
        if args.command == "random":
            random_sequence_pool(
                np.random.default_rng(0),
                args.train + args.test,
                args.middle,
                args.symbols,
            )
    except ValueError as err:
        parser.error(str(err))


def main(argv=None):
    parser = make_parser()
    args = parser.parse_args(argv)
    check_options(parser, args)
    try:
        lm.check_backend()
    except RuntimeError as err:
        parser.exit(2, f"error: {err}\n")
    command, text = COMMANDS[args.command]
    print(text)
    rows = command(args)
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
