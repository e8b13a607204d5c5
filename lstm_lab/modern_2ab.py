"""
Title: The 1997 paper's Experiment 2, every seed side by side
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/11/25
Description: `paper_model.train_paper_run` trains one Keras model per seed on
    Tasks 2a and 2b. This module trains all seeds of one configuration at once,
    in one compiled TensorFlow function, with the same sequences, updates and
    checks per seed. `paper.py` uses it; the Keras path is its reference.

## Why

Each `train_on_batch` call pays Keras's and TensorFlow's per-call overhead, and
the LSTM's p-step loop runs for one network at a time. Here the runs are
stacked on a leading "run" axis, as in `epoch_trainer.py`, so every step of the loop
serves all seeds, and `check_every` updates of all runs are one compiled call.

## What stays the same as `train_paper_run`

- the initial weights (`initial_paper_weights`, the tests compare them);
- per seed, the training sequences and their order (`default_rng([seed, 0])`,
  one `tasks.draw_task(..., 1)` per update) and the test draws
  (`default_rng([seed, 1])`, in the same chunks, and no further than the
  sequential check draws: see `_check_2b`);
- the update: the Keras LSTM's equations, a Dense layer reading the LSTM and
  (direct=True) the input, binary cross-entropy from the logits, averaged over
  the outputs, times the per-step weight, summed over the p steps and divided by
  p (Keras's "sum_over_batch_size" reduction with a (1, p) sample_weight), then
  one Keras 3 Adam step per sequence;
- the criterion (`tasks.max_error`), checked after every `check_every` sequences.

What differs:
- float rounding. XLA sums in another order than Keras's graph does, and the
  gradient of the recurrence is written out (`_all_states_bptt`). Adam divides
  each gradient by its own running size, so where a gradient is close to zero
  a rounding difference becomes a step of the learning rate's order, and over
  a thousand updates a run's count can move by a check or more in either
  direction (docs/paper.md measures it). For the same reason a run's count can
  depend on how many runs share its stack, since XLA may sum differently for
  another shape;
- a run whose weights are no longer finite is dropped at once and counted as
  diverged: Adam cannot bring NaN weights back.
"""

import functools
import time

import keras
import numpy as np
import tensorflow as tf

import lstm_memory
from lstm_lab import epoch_trainer, tasks
from lstm_lab.references import keras_2ab


def initial_paper_weights(seed, p, units, forget_bias, input_bias, direct=True):
    """The weights `paper_model.build_paper_model` starts from after `set_random_seed(seed)`.

    In Keras order: LSTM kernel (p+1, 4u), recurrent kernel (u, 4u), bias (4u,),
    Dense kernel (u [+ p+1], p+1), Dense bias (p+1,). Keras 3 initializers draw
    their seeds when they are constructed, so constructing the two layers in the
    model's order and building them alone gives the same numbers as the model
    (the tests check it) without building and compiling a model.
    """
    n_symbols = p + 1
    keras.utils.set_random_seed(seed)
    lstm = keras.layers.LSTM(units, return_sequences=True)
    lstm.build((1, p, n_symbols))
    dense = keras.layers.Dense(n_symbols, activation="sigmoid")
    dense.build((1, p, units + n_symbols if direct else units))
    weights = lstm.get_weights() + dense.get_weights()
    bias = weights[2]
    bias[:units] = input_bias  # Keras orders the gates i, f, c, o.
    bias[units : 2 * units] = forget_bias
    return weights


"""
## The network, for stacked runs

Shapes: S runs, B sequences per run, T = p steps, n = p+1 symbols, u units.

Inside the compiled functions each run's weights are kept as
[kernel (n, 4u), recurrent (u, 4u), bias (4u,), out_h (u, n), out_x (n, n),
out_bias (n,)], stacked on a leading run axis: Keras's Dense kernel is out_h
over out_x (out_x only with direct=True). Adam is elementwise, so splitting the
kernel changes nothing, and it saves a copy of the largest tensor per update.

Sequences enter as integer symbols. A one-hot row times a kernel is the
kernel's row: a gather gives the same numbers (the n-1 zero terms add exactly
nothing) without n times the work.
"""


def _to_internal(weights, units, direct):
    kernel, recurrent, bias, dense_kernel, dense_bias = weights
    if direct:
        return [
            kernel,
            recurrent,
            bias,
            dense_kernel[:units],
            dense_kernel[units:],
            dense_bias,
        ]
    return [kernel, recurrent, bias, dense_kernel, dense_bias]


def _to_keras(weights):
    kernel, recurrent, bias, out_h, *out_x, out_bias = weights
    return [kernel, recurrent, bias, np.concatenate([out_h, *out_x]), out_bias]


def _cell(recurrent, bias, xz, h, c):
    """One Keras LSTM step: xz (S, B, 4u) is the input's share, h and c (S, B, u).

    Returns the new h and c and the four gates' activations.
    """
    # Keras adds x @ kernel, then h @ recurrent, then the bias, in this order.
    z = xz + tf.einsum("sbu,suk->sbk", h, recurrent) + bias[:, None]
    zi, zf, zc, zo = tf.split(z, 4, axis=-1)
    i, f, g, o = tf.sigmoid(zi), tf.sigmoid(zf), tf.tanh(zc), tf.sigmoid(zo)
    c = f * c + i * g
    h = o * tf.tanh(c)
    return h, c, (i, f, g, o)


def _all_states(xz, recurrent, bias):
    """Hidden states at every step from a zero state: xz (S, B, T, 4u) -> (S, B, T, u).

    tf.scan is a loop in the compiled graph, so compile time does not grow with p.
    """
    n_runs, batch, _, four_units = xz.shape
    zeros = tf.zeros((n_runs, batch, four_units // 4))
    hs, _ = tf.scan(
        lambda state, xz_t: _cell(recurrent, bias, xz_t, *state)[:2],
        tf.transpose(xz, [2, 0, 1, 3]),
        initializer=(zeros, zeros),
    )
    return tf.transpose(hs, [1, 2, 0, 3])


@tf.custom_gradient
def _all_states_bptt(xz, recurrent, bias):
    """_all_states, with backpropagation through time written out.

    Autodiff of a tf.scan saves every op's inputs and, at every step back, adds
    that step's share into the recurrent kernel's gradient; at p = 1000 that
    made an update about 1.6 times slower. Here the backward loop carries only
    what flows to the step before, and the recurrent kernel's and bias's
    gradients are one product and one sum over all steps after it. The
    derivatives are the ones TensorFlow's autodiff uses (sigmoid' = y (1 - y),
    tanh' = 1 - y^2); the tests compare both with Keras.
    """
    n_runs, batch, _, four_units = xz.shape
    zeros = tf.zeros((n_runs, batch, four_units // 4))

    def forward(carry, xz_t):
        h, c, gates = _cell(recurrent, bias, xz_t, carry[0], carry[1])
        return h, c, tf.concat(gates, axis=-1)

    hs, cs, gates = tf.scan(
        forward,
        tf.transpose(xz, [2, 0, 1, 3]),
        initializer=(zeros, zeros, tf.zeros((n_runs, batch, four_units))),
    )  # (T, S, B, u), (T, S, B, u), (T, S, B, 4u)
    # The state each step started from.
    h_before = tf.concat([zeros[None], hs[:-1]], axis=0)
    c_before = tf.concat([zeros[None], cs[:-1]], axis=0)

    def backward(d_hs):
        def step(carry, inputs):
            dh_next, dc_next = carry[0], carry[1]
            dh_out, gates_t, c_t, c_prev = inputs
            i, f, g, o = tf.split(gates_t, 4, axis=-1)
            dh = dh_out + dh_next
            tanh_c = tf.tanh(c_t)
            dc = dh * o * (1 - tanh_c * tanh_c) + dc_next
            dz = tf.concat(
                [
                    dc * g * i * (1 - i),
                    dc * c_prev * f * (1 - f),
                    dc * i * (1 - g * g),
                    dh * tanh_c * o * (1 - o),
                ],
                axis=-1,
            )
            return tf.einsum("sbk,suk->sbu", dz, recurrent), dc * f, dz

        _, _, dz = tf.scan(
            step,
            (tf.transpose(d_hs, [2, 0, 1, 3]), gates, cs, c_before),
            initializer=(zeros, zeros, tf.zeros((n_runs, batch, four_units))),
            reverse=True,
        )  # (T, S, B, 4u)
        d_recurrent = tf.einsum("tsbu,tsbk->suk", h_before, dz)
        d_bias = tf.reduce_sum(dz, axis=[0, 2])
        return tf.transpose(dz, [1, 2, 0, 3]), d_recurrent, d_bias

    return tf.transpose(hs, [1, 2, 0, 3]), backward


def _last_state(kernel, recurrent, bias, x):
    """The hidden state after the last step, for many sequences: x (S, B, T) ints.

    Without a gradient nothing else needs keeping, and gathering the input's
    share step by step keeps memory at (S, B, 4u) for 10,000 test sequences.
    """
    n_runs, batch, length = x.shape
    x_by_step = tf.transpose(x, [2, 0, 1])

    def step(t, h, c):
        xz = tf.gather(kernel, x_by_step[t], batch_dims=1)
        return (t + 1, *_cell(recurrent, bias, xz, h, c)[:2])

    zeros = tf.zeros((n_runs, batch, recurrent.shape[1]))
    _, h, _ = tf.while_loop(
        lambda t, h, c: t < length, step, (tf.constant(0), zeros, zeros)
    )
    return h


def _logits(out_h, out_x, out_bias, h, x):
    """Dense logits from h (S, ..., u) and the input symbols x (S, ...) -> (S, ..., n).

    out_x is [] without the direct input -> output connection.
    """
    # Keras's concat([h, one_hot(x)]) @ kernel is h @ out_h plus row x of out_x.
    # A batched matmul over (S, B*T, u), not an einsum over "s...u": TensorFlow
    # differentiates that einsum into a broadcast product and a sum, which
    # materialises (S, T, n, u), 2.5 GB per update at p = 1000.
    n_runs, n_symbols = out_bias.shape
    logits = tf.reshape(
        tf.matmul(tf.reshape(h, [n_runs, -1, h.shape[-1]]), out_h),
        [*h.shape[:-1], n_symbols],
    )
    for kernel in out_x:
        logits += tf.gather(kernel, x, batch_dims=1)
    return logits + tf.reshape(
        out_bias, [n_runs] + [1] * (len(h.shape) - 2) + [n_symbols]
    )


def _sequence_logits(weights, x, states=_all_states_bptt):
    """Logits at every step: x (S, B, T) ints -> (S, B, T, n).

    `states` is _all_states_bptt to train, _all_states to evaluate (it keeps
    nothing for a gradient).
    """
    kernel, recurrent, bias, out_h, *out_x, out_bias = weights
    # The input's share of all steps at once, outside the loop, so its gradient
    # is one scatter into the kernel rather than one per step.
    xz = tf.gather(kernel, x, batch_dims=1)
    hs = states(xz, recurrent, bias)
    return _logits(out_h, out_x, out_bias, hs, x)


@functools.lru_cache(maxsize=4)
def _compiled(n_symbols):
    """The compiled trainer and checks for p+1 = n_symbols symbols.

    XLA compiles each once per shape (stack size, check batch). Cached, so
    that calls with the same p (both tasks, the tests, the benchmark) share
    their compilations.
    """

    @tf.function(jit_compile=True)
    def train(weights, moments, step, active, sequences, n_sequences, step_weight, lr):
        """Up to K updates per run: sequences (S, K, p+1), the first n_sequences used.

        The weights of runs where `active` is False do not change. (Their
        moments do, and are never used again.) Returns the new weights, moments
        and Adam step, and per run whether all of its weights are finite.
        """
        keep = [tf.reshape(active, [-1] + [1] * (len(w.shape) - 1)) for w in weights]
        length = sequences.shape[2] - 1

        def update(k, weights, moments, step):
            sequence = tf.gather(sequences, k, axis=1)[:, None]  # (S, 1, p+1)
            x, y = sequence[..., :-1], sequence[..., 1:]
            with tf.GradientTape() as tape:
                tape.watch(weights)
                logits = _sequence_logits(weights, x)
                per_output = tf.nn.sigmoid_cross_entropy_with_logits(
                    labels=tf.one_hot(y, n_symbols), logits=logits
                )
                per_step = tf.reduce_mean(per_output, axis=-1)  # (S, 1, T)
                # Keras's "sum_over_batch_size": the weighted losses summed and
                # divided by their number (p), not by the sum of the weights.
                loss = tf.reduce_sum(per_step * step_weight, axis=[1, 2]) / length
                # Each run's loss depends on its own weights alone, so the
                # gradient of the sum is every run's own gradient.
                total = tf.reduce_sum(loss)
            grads = tape.gradient(total, weights)
            new_weights, moments = epoch_trainer.adam(weights, grads, moments, step, lr)
            weights = [
                tf.where(a, new, old) for a, new, old in zip(keep, new_weights, weights)
            ]
            return k + 1, weights, moments, step + 1

        _, weights, moments, step = tf.while_loop(
            lambda k, *_: k < n_sequences,
            update,
            (tf.constant(0), weights, moments, step),
        )
        finite = [
            tf.reduce_all(tf.math.is_finite(w), axis=list(range(1, len(w.shape))))
            for w in weights
        ]
        return weights, moments, step, tf.reduce_all(tf.stack(finite), axis=0)

    @tf.function(jit_compile=True)
    def worst_every_step(weights, sequences):
        """Task 2a: per run, the worst error of any output at any step of sequences (B, p+1)."""
        n_runs = weights[0].shape[0]
        x = tf.tile(sequences[None, :, :-1], [n_runs, 1, 1])
        targets = tf.one_hot(sequences[:, 1:], n_symbols)[None]
        outputs = tf.sigmoid(_sequence_logits(weights, x, states=_all_states))
        every_step = tf.ones(sequences[:, 1:].shape, tf.bool)
        return tf.reduce_max(tasks.max_error(outputs, targets, every_step), axis=1)

    @tf.function(jit_compile=True)
    def worst_last_step(weights, rows, sequences):
        """Task 2b: for the stack's rows `rows` (R,) and their sequences (R, B, p+1),
        each sequence's worst error at the last step (R, B)."""
        kernel, recurrent, bias, out_h, *out_x, out_bias = [
            tf.gather(w, rows) for w in weights
        ]
        h = _last_state(kernel, recurrent, bias, sequences[..., :-1])
        logits = _logits(out_h, out_x, out_bias, h, sequences[..., -2])
        targets = tf.one_hot(sequences[..., -1], n_symbols)
        # One judged step per sequence: the last.
        last = tf.ones(sequences.shape[1:2] + (1,), tf.bool)
        outputs = tf.sigmoid(logits)[..., None, :]
        return tasks.max_error(outputs, targets[..., None, :], last)

    return train, worst_every_step, worst_last_step


"""
## The protocol
"""


def _bucket(n, limit):
    """n rounded up to a power of two (at most `limit`): few shapes, few compiles."""
    return min(limit, 1 << (n - 1).bit_length())


def _worst_last_step_padded(worst_last_step, weights, rows, sequences):
    """worst_last_step for len(rows) runs, padded to a bucketed number of runs."""
    n = len(rows)
    size = _bucket(n, weights[0].shape[0])
    pad = size - n
    rows = np.concatenate([rows, np.repeat(rows[:1], pad)]).astype(np.int32)
    sequences = np.concatenate([sequences, np.repeat(sequences[:1], pad, axis=0)])
    worst = worst_last_step(weights, tf.constant(rows), tf.constant(sequences))
    return worst.numpy()[:n]


def _check_2b(
    worst_last_step, weights, rows, rngs, fixed, n_test, probe=32, group_size=2000
):
    """The Task 2b criterion for the stack's `rows`, each with its own test rng.

    `paper_success` draws chunk after chunk and stops at the first chunk with a
    failing sequence. The outcome and the rng states are the same here, but the
    work is batched across runs and cut short: early in training nearly every
    sequence fails, so the first `probe` sequences of the first chunk settle
    most checks; the rest of the first chunk, then the remaining chunks in
    groups of about `group_size` sequences, are judged only for the runs that
    have passed so far. Every run draws its first chunk whole, as the
    sequential check does; a group's chunks are drawn ahead with the rng state
    saved after each, and a run that fails one is set back to just after it.

    Returns two bool arrays over `rows`: passed, and outputs not finite.
    """
    p = fixed.shape[1] - 1
    chunk = keras_2ab.check_chunk(p, n_test)
    n_chunks = -(-n_test // chunk)
    passed = np.ones(len(rows), dtype=bool)
    not_finite = np.zeros(len(rows), dtype=bool)

    def judge(runs, sequences):
        """Whether each of the runs' sequences (len(runs), B, p+1) is within the threshold."""
        worst = _worst_last_step_padded(worst_last_step, weights, rows[runs], sequences)
        not_finite[runs] |= np.isinf(worst).any(axis=1)
        return worst < tasks.PAPER_THRESHOLD

    first = np.stack([tasks.draw_task(rng, "2b", fixed, chunk) for rng in rngs])
    probe = min(probe, chunk)
    for part in (slice(0, probe), slice(probe, chunk)):
        going = np.flatnonzero(passed)
        if going.size and part.stop > part.start:
            passed[going[~judge(going, first[going, part]).all(axis=1)]] = False
    # The remaining chunks, a group at a time, so that a run failing early in
    # them is not judged on all 10,000; every group has one shape (one compile).
    group = max(1, min(n_chunks - 1, group_size // chunk))
    for start in range(1, n_chunks, group):
        going = np.flatnonzero(passed)
        if not going.size:
            break
        n_real = min(group, n_chunks - start)
        draws, states = [], []
        for i in going:
            run_draws, run_states = [], []
            for _ in range(n_real):
                run_draws.append(tasks.draw_task(rngs[i], "2b", fixed, chunk))
                run_states.append(rngs[i].bit_generator.state)
            # The last group is padded with copies, whose results are ignored.
            run_draws += run_draws[-1:] * (group - n_real)
            draws.append(np.concatenate(run_draws))
            states.append(run_states)
        ok = judge(going, np.stack(draws)).reshape(len(going), group, chunk)
        chunk_ok = ok[:, :n_real].all(axis=2)
        for j, i in enumerate(going):
            if not chunk_ok[j].all():
                rngs[i].bit_generator.state = states[j][int(np.argmin(chunk_ok[j]))]
                passed[i] = False
    return passed, not_finite


def _draw_updates(rngs, task, fixed, live, k, width):
    """The next k training sequences of every live run, (rows, width, p+1).

    One `tasks.draw_task(rng, task, fixed, 1)` per update, as train_paper_run draws
    them: a draw of k at once would take other numbers from the stream.
    """
    sequences = np.zeros((len(rngs), width, fixed.shape[1]), dtype=np.int32)
    for r in np.flatnonzero(live):
        for j in range(k):
            sequences[r, j] = tasks.draw_task(rngs[r], task, fixed, 1)[0]
    return sequences


def _worth_shrinking(n_live, n_rows):
    """Whether to drop the finished rows from the stack, at the cost of a compile.

    Finished rows still cost a share of every call, but dropping them compiles
    the trainer again for the new stack size. A quarter or fewer still live is
    worth it at p = 1000 and costs little at p = 100. The rule depends on the
    runs alone, never on timings: the stack's size changes the float rounding,
    so a timing-based rule would make the counts differ from run to run.
    """
    return 0 < n_live <= n_rows // 4


def train_paper_stacked(
    seeds,
    task,
    p,
    units=keras_2ab.UNITS,
    learning_rate=keras_2ab.LEARNING_RATE,
    forget_bias=keras_2ab.FORGET_BIAS,
    input_bias=keras_2ab.INPUT_BIAS,
    direct=True,
    last_weight=keras_2ab.LAST_WEIGHT,
    max_sequences=keras_2ab.BUDGET,
    check_every=keras_2ab.CHECK_EVERY,
    n_test=keras_2ab.TEST_SEQUENCES,
    progress=None,
):
    """Train one network per seed, side by side, until each meets the paper's criterion.

    Per seed this is `paper_model.train_paper_run` with the same arguments: the
    same initial weights, training sequences, updates and checks. One compiled
    call trains `check_every` sequences of every unfinished run, so Ctrl-C
    stops within one call. `progress(sequences_done, runs_finished)` is called
    after each call.

    Returns a dict:
    - "counts": per seed, sequences to the first successful check, or None;
    - "diverged": bool array, True where a run's weights, or its outputs in a
      check, were not finite (such a run never passes a check);
    - "sequences": int array, how many sequences each run trained on;
    - "weights": per seed, its final weights (Keras order, NumPy arrays);
    - "seconds": wall times of the "train" and "check" calls; the first call
      for each shape is counted apart ("first_train", "first_check") because
      it includes compiling (unless an earlier call in this process compiled it).
    """
    # Checks of different stack sizes are traced apart on purpose (bucketed
    # shapes); TensorFlow would warn about each retracing on stderr.
    tf.get_logger().setLevel("ERROR")
    seeds = [lstm_memory.check_int(s, "seed") for s in seeds]
    if not seeds:
        raise ValueError("need at least one seed")
    tasks.check_budget(max_sequences, check_every)
    keras_2ab.check_task(task)
    fixed = tasks.lag_sequences(p)  # checks p too
    n_runs = len(seeds)
    train, worst_every_step, worst_last_step = _compiled(p + 1)

    inits = [
        _to_internal(
            initial_paper_weights(s, p, units, forget_bias, input_bias, direct),
            units,
            direct,
        )
        for s in seeds
    ]
    weights = [tf.constant(np.stack(ws)) for ws in zip(*inits)]
    moments = [(tf.zeros_like(w), tf.zeros_like(w)) for w in weights]
    # Every live run has made the same number of updates, so one Adam step
    # counter serves them all.
    step = tf.constant(0, tf.int32)
    # Separate streams, as in train_paper_run.
    train_rngs = [np.random.default_rng([s, 0]) for s in seeds]
    test_rngs = [np.random.default_rng([s, 1]) for s in seeds]
    step_weight = keras_2ab.last_step_weights(p, last_weight)[0]
    constants = (tf.constant(step_weight), tf.constant(learning_rate, tf.float32))
    fixed_tf = tf.constant(fixed, tf.int32)

    counts = [None] * n_runs
    diverged = np.zeros(n_runs, dtype=bool)
    trained = np.zeros(n_runs, dtype=int)
    final = [None] * n_runs
    # Row r of the stack holds run rows[r]; live rows are still training.
    rows = np.arange(n_runs)
    live = np.ones(n_runs, dtype=bool)
    seconds = {"train": 0.0, "check": 0.0, "first_train": 0.0, "first_check": 0.0}
    call_times = {}  # (kind, stack size) -> wall times of its calls

    def timed(kind, function):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        times = call_times.setdefault((kind, len(rows)), [])
        seconds[kind if times else "first_" + kind] += elapsed
        times.append(elapsed)
        return result

    def train_call():
        out = train(
            weights,
            moments,
            step,
            tf.constant(live),
            tf.constant(sequences),
            tf.constant(n_now),
            *constants,
        )
        return (*out[:3], out[3].numpy())  # .numpy() waits for the result

    def check_2a():
        return worst_every_step(weights, fixed_tf).numpy()[checked]

    def check_2b():
        rngs = [test_rngs[run] for run in rows[checked]]
        return _check_2b(worst_last_step, weights, checked, rngs, fixed, n_test)

    def keep_final(stack_rows):
        for r in stack_rows:
            final[rows[r]] = _to_keras([w[r].numpy() for w in weights])

    done = 0
    while done < max_sequences and live.any():
        n_now = min(check_every, max_sequences - done)
        sequences = _draw_updates(
            [train_rngs[run] for run in rows], task, fixed, live, n_now, check_every
        )
        weights, moments, step, finite = timed("train", train_call)
        done += n_now
        trained[rows[live]] = done
        # Adam cannot bring NaN weights back: such a run is over.
        diverged[rows[live & ~finite]] = True
        live &= finite

        if done % check_every == 0 and live.any():
            checked = np.flatnonzero(live)
            if task == "2a":
                worst = timed("check", check_2a)
                passed, not_finite = worst < tasks.PAPER_THRESHOLD, np.isinf(worst)
            else:
                passed, not_finite = timed("check", check_2b)
            diverged[rows[checked[not_finite]]] = True
            for run in rows[checked[passed]]:
                counts[run] = done
            live[checked[passed]] = False
        if progress is not None:
            progress(done, n_runs - int(live.sum()))

        if _worth_shrinking(int(live.sum()), len(rows)):
            keep_final(np.flatnonzero(~live))
            keep = tf.constant(np.flatnonzero(live), tf.int32)
            weights = [tf.gather(w, keep) for w in weights]
            moments = [(tf.gather(m, keep), tf.gather(v, keep)) for m, v in moments]
            rows = rows[live]
            live = np.ones(len(rows), dtype=bool)
    keep_final(range(len(rows)))
    return {
        "counts": counts,
        "diverged": diverged,
        "sequences": trained,
        "weights": final,
        "seconds": seconds,
    }
