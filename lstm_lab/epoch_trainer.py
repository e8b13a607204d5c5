"""
Title: The epoch trainer: many runs of the tutorial's network side by side
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/11/29
Description: The tutorial's LSTM and Dense layer, binary cross-entropy and Adam,
    written out for runs stacked on a leading axis and trained in one
    XLA-compiled TensorFlow function.

## Introduction

The tutorial's loop makes 2,000 tiny updates per run, and each `train_on_batch`
call costs far more in Python and TensorFlow overhead than in arithmetic. Sweeps
over 100 seeds need something faster. Here the runs are stacked on a leading
axis, so one batched matrix product serves every seed, and a block of epochs is
one XLA-compiled TensorFlow function. The equations are the Keras LSTM's,
Dense's, binary cross-entropy's and Adam's; the tests check them against Keras's
own training and against the NumPy reference in
`lstm_lab/references/numpy_lstm.py`.

The time steps of a sequence are a loop in that function, not one copy of the
step per time step, so a sequence of 100,000 steps compiles as fast as the
article's 4. (Its cost is then the loop's: a few microseconds per step.)
"""

import functools

import numpy as np
import tensorflow as tf

from lstm_lab import article, checks, estimates, tasks, tf_ops

UPDATES = ("step", "sequence", "epoch")
# Multiply-adds that one compiled call may train, so that Ctrl-C, which Python
# only sees between calls, is answered within a few seconds.
CALL_WORK = 2e9


def article_initial_weights(seed, n_symbols, units):
    """The weights the tutorial's model starts from after `set_random_seed(seed)`."""
    return tf_ops.keras_initial_weights(seed, n_symbols, units, n_symbols)


def forward_step(weights, x, h, c, gate=tf.sigmoid):
    """One LSTM step and the Dense logits for stacked runs: x (S, n), h and c (S, u)."""
    xz = tf.einsum("sn,snk->sk", x, weights.kernel)
    h, c, _ = tf_ops.lstm_cell(xz, h, c, weights.recurrent, weights.bias, gate)
    logits = tf.einsum("su,sun->sn", h, weights.dense_kernel) + weights.dense_bias
    return logits, h, c


def steps_loop(length, body, state):
    """state = body(t, state) for t = 0 .. length-1, as one loop in the graph.

    One copy of the step, not one per time step: compiling takes as long for
    100,000 steps as for 4.
    """
    _, state = tf.while_loop(
        lambda t, _: t < length,
        lambda t, state: (t + 1, body(t, state)),
        (tf.constant(0), state),
        maximum_iterations=length,
    )
    return state


def run_sequences(weights, inputs, gate=tf.sigmoid):
    """Logits of every step for stacked runs, state from zero: inputs (S, T, n).

    Its gradient, for the "sequence" and "epoch" updates, goes back through
    every step, at a cost linear in T. gate: the LSTM's gate activation.
    """
    return _sequences_runner(gate)(*weights, inputs)


@functools.cache
def _sequences_runner(gate):
    """_run_sequences for one gate activation (a custom gradient takes tensors only)."""

    @tf.custom_gradient
    def run(kernel, recurrent, bias, dense_kernel, dense_bias, inputs):
        weights = (kernel, recurrent, bias, dense_kernel, dense_bias)
        return _run_sequences(gate, *weights, inputs)

    return run


def _run_sequences(gate, kernel, recurrent, bias, dense_kernel, dense_bias, inputs):
    # The gradient is written out because TensorFlow's own gradient of a loop
    # copies its stack of per-step outputs at every step back under XLA: its
    # cost grows with the square of the length, a minute at 64,000 steps. This
    # one keeps the forward pass's states, redoes each step on the way back
    # for TensorFlow's gradient of that step alone, and adds the steps' shares
    # of the weights' gradients last step first, as TensorFlow's does.
    weights = tf_ops.LstmWeights(kernel, recurrent, bias, dense_kernel, dense_bias)
    length = inputs.shape[1]
    xs = tf.transpose(inputs, [1, 0, 2])  # (T, S, n)
    zeros = tf.zeros((tf.shape(inputs)[0], recurrent.shape[1]))

    def step(t, state):
        h, c, logits, hs, cs = state
        step_logits, h, c = forward_step(weights, xs[t], h, c, gate)
        logits = logits.write(t, step_logits)
        return h, c, logits, hs.write(t + 1, h), cs.write(t + 1, c)

    def states():
        return tf.TensorArray(tf.float32, size=length + 1).write(0, zeros)

    logits = tf.TensorArray(tf.float32, size=length)
    state = (zeros, zeros, logits, states(), states())
    *_, logits, hs, cs = steps_loop(length, step, state)
    hs, cs = hs.stack(), cs.stack()  # the state before each step, and the last

    def gradient(dlogits):
        dlogits = tf.transpose(dlogits, [1, 0, 2])

        def back(i, state):
            t = length - 1 - i
            dh, dc, grads = state
            h, c = hs[t], cs[t]
            with tf.GradientTape() as tape:
                tape.watch((weights, h, c))
                outputs = forward_step(weights, xs[t], h, c, gate)
            shares, dh, dc = tape.gradient(
                outputs, (weights, h, c), output_gradients=(dlogits[t], dh, dc)
            )
            return dh, dc, tf.nest.map_structure(tf.add, grads, shares)

        grads = tf.nest.map_structure(tf.zeros_like, weights)
        *_, grads = steps_loop(length, back, (zeros, zeros, grads))
        return (*grads, None)

    return tf.transpose(logits.stack(), [1, 0, 2]), gradient


@functools.lru_cache(maxsize=32)
def compile_epoch_training(
    n_runs, n_symbols, units, epochs, per_epoch, length, update, numerics="keras3"
):
    """An XLA-compiled function that trains stacked runs for `epochs` epochs.

    Cached: compiling takes seconds, and sweeps and tests ask for the same
    shapes again.
    """
    gate, epsilon = tf_ops.numerics(numerics)

    def adam(weights, grads, moments, step, learning_rate):
        return tf_ops.adam(weights, grads, moments, step, learning_rate, epsilon)

    def evaluate_stack(weights, eval_inputs, eval_targets, eval_mask):
        # eval_inputs (E, T, n) are the same for every run: tile them per run.
        n_eval = eval_inputs.shape[0]
        tiled = tf.nest.map_structure(lambda w: tf.repeat(w, n_eval, axis=0), weights)
        x = tf.tile(eval_inputs, [n_runs, 1, 1])
        outputs = tf.sigmoid(run_sequences(tiled, x, gate))
        outputs = tf.reshape(outputs, (n_runs, n_eval, *eval_inputs.shape[1:]))
        targets = eval_targets[None]
        right = tasks.argmax_right(outputs, targets, eval_mask)
        error = tasks.max_error(outputs, targets, eval_mask)
        return tf.reduce_all(right, axis=1), tf.reduce_max(error, axis=1)

    def train_step_by_step(weights, moments, step, x, y, learning_rate):
        # The article's regime: one update per time step, the state carried in
        # from the last step as a constant, so the gradient never crosses a step.
        h = tf.zeros((n_runs, units))
        c = tf.zeros((n_runs, units))
        loss_sum = tf.zeros((n_runs,))
        for t in tf.range(length):
            with tf.GradientTape() as tape:
                tape.watch(weights)
                logits, h_new, c_new = forward_step(weights, x[:, t], h, c, gate)
                loss = tf_ops.bce(logits, y[:, t])
                total = tf.reduce_sum(loss)
            grads = tape.gradient(total, weights)
            weights, moments = adam(weights, grads, moments, step, learning_rate)
            step += 1
            h, c = h_new, c_new
            loss_sum += loss
        return weights, moments, step, loss_sum / length

    def train_whole(weights, moments, step, x, y, learning_rate):
        # One update for whole sequences, the gradient through every step.
        with tf.GradientTape() as tape:
            tape.watch(weights)
            logits = run_sequences(weights, x, gate)
            loss = tf.reduce_mean(tf_ops.bce(logits, y), axis=1)
            total = tf.reduce_sum(loss)
        grads = tape.gradient(total, weights)
        weights, moments = adam(weights, grads, moments, step, learning_rate)
        return weights, moments, step + 1, loss

    @tf.function(jit_compile=True)
    def train_epochs(
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
                    tiled = tf.nest.map_structure(
                        lambda w: tf.repeat(w, per_epoch, axis=0), batch_weights
                    )
                    logits = run_sequences(tiled, x, gate)
                    loss = tf.reduce_mean(tf_ops.bce(logits, y), axis=1)
                    loss = tf.reduce_mean(tf.reshape(loss, (n_runs, per_epoch)), axis=1)
                    total = tf.reduce_sum(loss)
                grads = tape.gradient(total, batch_weights)
                weights, moments = adam(weights, grads, moments, step, learning_rate)
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
            ok, err = evaluate_stack(weights, eval_inputs, eval_targets, eval_mask)
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

    return train_epochs


def epoch_chunk(epochs, work_per_epoch, limit=CALL_WORK):
    """How many epochs one compiled call trains: about a tenth, and bounded work.

    Chunks let the progress bar move and Ctrl-C be answered. A shorter last
    chunk is compiled once more (seconds at p = 10), so a chunk that divides
    `epochs` is taken when one of at least half the bound exists: paper.py's
    252 epochs go 21 at a time, not 25 and then 2.
    """
    by_work = max(1, int(limit // max(work_per_epoch, 1)))
    bound = max(1, min(epochs, max(1, epochs // 10), by_work))
    divisor = next(d for d in range(bound, 0, -1) if epochs % d == 0)
    return divisor if 2 * divisor >= bound else bound


def train_runs(
    seeds,
    sequences,
    n_symbols,
    units=article.DEFAULT_UNITS,
    epochs=article.DEFAULT_EPOCHS,
    learning_rate=tf_ops.LEARNING_RATE,
    update="step",
    orders=None,
    eval_sequences=None,
    eval_steps=None,
    progress=None,
    numerics="keras3",
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
    `progress(epochs_done)` is called as training goes. numerics: "keras3"
    (today's Keras) or "keras2" (the article's: hard sigmoid gates, Adam's
    epsilon 1e-8; article.NUMERICS).

    Returns a dict of NumPy arrays: "weights" (an LstmWeights per run), "correct"
    (runs, epochs) for the article's argmax criterion, "max_error" (runs,
    epochs) for the paper's, "loss" (runs, epochs) of each epoch's first
    sequence, and "diverged" (runs,): a weight that is not finite at the end.
    """
    if update not in UPDATES:
        raise ValueError(f"update must be one of {UPDATES}, got {update!r}")
    tf_ops.numerics(numerics)  # a bad name fails here, before any work
    seeds = checks.check_seeds(seeds)
    epochs = checks.check_int(epochs, "epochs")
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
    mask = tasks.step_mask(eval_sequences, eval_steps)

    one_hot = np.eye(n_symbols, dtype=np.float32)
    inits = [article_initial_weights(s, n_symbols, units) for s in seeds]
    weights = tf_ops.stack(inits)
    moments = tf_ops.zero_moments(weights)
    step = tf.constant(0, tf.int32)
    work = estimates.epoch_work(
        n_runs, n_symbols, units, orders.shape[2], length, len(eval_sequences)
    )
    chunk = epoch_chunk(epochs, work)
    trainers = {}
    constants = (
        tf.constant(one_hot[sequences]),
        tf.constant(learning_rate, tf.float32),
        tf.constant(one_hot[eval_sequences[:, :-1]]),
        tf.constant(one_hot[eval_sequences[:, 1:]]),
        tf.constant(mask),
    )
    curves = []
    for start in range(0, epochs, chunk):
        size = min(chunk, epochs - start)
        if size not in trainers:
            sizes = (n_runs, n_symbols, units, size, orders.shape[2], length)
            trainers[size] = compile_epoch_training(*sizes, update, numerics)
        data, lr, eval_inputs, eval_targets, eval_mask = constants
        weights, moments, step, *curve = trainers[size](
            weights,
            moments,
            step,
            data,
            tf.constant(orders[:, start : start + size]),
            lr,
            eval_inputs,
            eval_targets,
            eval_mask,
        )
        curves.append([c.numpy() for c in curve])
        if progress is not None:
            progress(start + size)
    correct, max_error, loss = (np.concatenate(parts, axis=1) for parts in zip(*curves))
    diverged = ~np.asarray(tf_ops.finite_runs(weights))
    return {
        "weights": tf_ops.unstack(weights),
        "correct": correct & ~diverged[:, None] if diverged.any() else correct,
        "max_error": max_error,
        "loss": loss,
        "diverged": diverged,
    }


@functools.cache
def _run_in_graph(numerics):
    # Eager mode would run the loop over the steps in Python, a millisecond a
    # step; a graph runs the same kernels, so the same numbers, without Python.
    gate, _ = tf_ops.numerics(numerics)
    return tf.function(lambda weights, inputs: run_sequences(weights, inputs, gate))


def evaluate(weights, sequences, n_symbols, numerics="keras3"):
    """One model's predictions (N, T) and outputs (N, T, n) on sequences, state from zero."""
    sequences = np.asarray(sequences)
    one_hot = np.eye(n_symbols, dtype=np.float32)
    stacked = _as_stack(weights, len(sequences))
    inputs = tf.constant(one_hot[sequences[:, :-1]])
    outputs = tf.sigmoid(_run_in_graph(numerics)(stacked, inputs)).numpy()
    return outputs.argmax(axis=-1), outputs


def _as_stack(weights, n):
    """One model's weights (any sequence of 5 arrays, in Keras order), repeated n times."""
    return tf_ops.LstmWeights(
        *(tf.constant(np.repeat(np.asarray(w)[None], n, axis=0)) for w in weights)
    )


def state_trajectory(weights, sequence, n_symbols, numerics="keras3"):
    """Hidden and cell states (T, units) of one model along one sequence."""
    gate, _ = tf_ops.numerics(numerics)
    one_hot = np.eye(n_symbols, dtype=np.float32)
    stacked = _as_stack(weights, 1)
    units = stacked.recurrent.shape[1]
    h, c = tf.zeros((1, units)), tf.zeros((1, units))
    hs, cs = [], []
    for value in sequence[:-1]:
        _, h, c = forward_step(stacked, tf.constant(one_hot[[value]]), h, c, gate)
        hs.append(h.numpy()[0])
        cs.append(c.numpy()[0])
    return np.array(hs), np.array(cs)
