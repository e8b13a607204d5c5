"""
Title: The paper's own LSTM: the 1997 cell and its learning rule, every trial side by side
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/11/25
Description: Tasks 2a, 2b and 2c with the net and the learning rule that
    Hochreiter & Schmidhuber (1997) measured: memory cells without a forget
    gate, no biases, truncated real-time recurrent learning and plain gradient
    descent. All trials of a row train side by side in one compiled TensorFlow
    function; `numpy_1997.py` is the reference it is tested against.

## The nets (the paper's Table 10 and section 5.2)

- Tasks 2a and 2b: one cell with an input gate and no output gate; h is the
  identity; the inputs feed the cell, its gate and the outputs, and the cell
  feeds the outputs (10,504 weights at p = 100). The cell and its gate are added
  once the training error has stopped decreasing. Learning rate 1.0.
- Task 2c: two cells, each with an input and an output gate; the cells and
  gates read the inputs and every cell's and gate's previous output; the
  outputs read the cells only; h in [-1, 1], g in [-2, 2] (364 weights at
  q = p = 50). Learning rate 0.01.

## The open choices

The paper leaves four things open; each is an argument here, and docs/paper.md
gives the evidence for the defaults:

- `per_step`: weights change after every step, or once per sequence by the sum
  of every step's contribution. For Task 2c, whose error is only at the end,
  the two are the same;
- `add_cell`: when the cell is added in 2a/2b: "plateau" (the mean training
  error of a window of sequences is no lower than the window before's), a
  number of sequences, or 0 (present from the start);
- `g`: the cell input's squashing for 2a/2b, "logistic" ([0, 1], the 2a text
  and Table 10) or "centred2" ([-2, 2], the appendix's default);
- the test sequences are not counted in "sequences until success", as in
  `paper.py`'s other rows.
"""

import functools

import numpy as np
import tensorflow as tf

import lstm_memory
from lstm_lab import modern_2c, tasks
from lstm_lab.references import numpy_1997

CHECK_EVERY = 20  # training sequences per compiled call, then a check
# The checks screen as Task 2c's modern trainer does: a first part for all runs,
# the rest only for the runs that passed it.
FIRST_CHUNK, REST_CHUNK = modern_2c.FIRST_CHUNK, modern_2c.REST_CHUNK
TEST_SEQUENCES = modern_2c.TEST_SEQUENCES
PLATEAU_WINDOW = 100  # sequences per window of the plateau rule


def task_net(task, p, distractors=None, g=None):
    """The paper's net for the task: a numpy_1997.Net."""
    tasks.check_task(task)
    if task == "2c":
        n_symbols = (p if distractors is None else distractors) + 4
        return numpy_1997.Net(
            n_symbols, 2, 2, True, True, False, g or "centred2", "centred1"
        )
    return numpy_1997.Net(
        p + 1, p + 1, 1, False, False, True, g or "logistic", "identity"
    )


def _squash(name, x):
    """numpy_1997.squash in TensorFlow."""
    if numpy_1997.SQUASH[name] is None:
        return x, tf.ones_like(x)
    low, scale = numpy_1997.SQUASH[name]
    sig = tf.sigmoid(x)
    return low + scale * sig, scale * sig * (1 - sig)


"""
## One step of the net, for all runs (and, in the checks, all sequences) at once

Shapes: runs R, then any batch axes (...), cells C, sources M, outputs K.
"""


def _step(net, w, x, state, live, cell_on):
    """The forward step and the truncated-RTRL traces.

    x: one hot inputs (R, ..., n_in); state: (s, rec, d_in, d_c); live: where
    the sequence has not ended; cell_on: (R,) whether the cell has been added.
    """
    s, rec, d_in, d_c = state
    u = tf.concat([x, rec], axis=-1) if net.recurrent else x
    y_in = tf.sigmoid(tf.einsum("rcm,r...m->r...c", w["w_in"], u))
    g, g_prime = _squash(net.g, tf.einsum("rcm,r...m->r...c", w["w_c"], u))
    if net.out_gates:
        y_out = tf.sigmoid(tf.einsum("rcm,r...m->r...c", w["w_out"], u))
    else:
        y_out = tf.ones_like(y_in)
    grow = tf.cast(live[..., None], tf.float32) * _on(cell_on, y_in)
    s = s + grow * y_in * g
    # Truncation: u counts as a constant, so these are the whole derivatives.
    d_in = d_in + (grow * g * y_in * (1 - y_in))[..., None] * u[..., None, :]
    d_c = d_c + (grow * y_in * g_prime)[..., None] * u[..., None, :]
    h, h_prime = _squash(net.h, s)
    y_c = _on(cell_on, y_in) * y_out * h
    read = tf.concat([y_c, x], axis=-1) if net.direct else y_c
    y_k = tf.sigmoid(tf.einsum("rkn,r...n->r...k", w["w_k"], read))
    if net.recurrent:
        new_rec = tf.concat([y_c, y_in] + ([y_out] if net.out_gates else []), axis=-1)
        rec = tf.where(live[..., None], new_rec, rec)
    return (s, rec, d_in, d_c), (u, y_in, y_out, h, h_prime, read, y_k)


def _on(cell_on, like):
    """cell_on (R,) as a float broadcast to `like`'s rank."""
    shape = [-1] + [1] * (len(like.shape) - 1)
    return tf.reshape(tf.cast(cell_on, tf.float32), shape)


def _zero_state(net, batch_shape):
    C, M = net.n_cells, net.n_sources
    return (
        tf.zeros(batch_shape + (C,)),
        tf.zeros(batch_shape + ((net.n_units,) if net.recurrent else (0,))),
        tf.zeros(batch_shape + (C, M)),
        tf.zeros(batch_shape + (C, M)),
    )


def _deltas(net, w, cell_on, state, values, error):
    """The appendix's weight changes for one step, error = e_k (R, K)."""
    C = net.n_cells
    _, _, d_in, d_c = state
    u, y_in, y_out, h, h_prime, read, _ = values
    on = _on(cell_on, y_in)
    back = tf.einsum("rkc,rk->rc", w["w_k"][:, :, :C], error)  # sum_k w_kc e_k
    e_s = on * y_out * h_prime * back
    delta = {
        # Before the cell is added its output, and so its column of `read`, is
        # 0: the cell's weights to the outputs do not change.
        "w_k": tf.einsum("rk,rn->rkn", error, read),
        "w_in": e_s[..., None] * d_in,
        "w_c": e_s[..., None] * d_c,
        "w_out": tf.zeros_like(w["w_out"]),
    }
    if net.out_gates:
        e_out = on * y_out * (1 - y_out) * h * back
        delta["w_out"] = tf.einsum("rc,rm->rcm", e_out, u)
    return delta


"""
## Training: `n_sequences` sequences for every run in one compiled call
"""


@functools.lru_cache(maxsize=16)
def make_trainer(net, n_runs, n_sequences, width, per_step, judge_every, offset):
    """Compiled on-line training; judge_every: error at every step (2a, 2b) or the last (2c).

    Targets are one hot (next symbol - offset). Returns the new weights and
    each run's summed squared error over the calls's judged steps.
    """
    names = ("w_c", "w_in", "w_out", "w_k")

    @tf.function(jit_compile=True)
    def train(weights, sequences, active, cell_on, rate, last_weight):
        n_inputs = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), -1) - 1
        live_run = tf.cast(active, tf.float32)[:, None, None]

        def learn(w, cell_on, state, values, target, weight):
            """The judged step's changes, and its squared error, for every run."""
            y_k = values[-1]
            error = weight[:, None] * y_k * (1 - y_k) * (target - y_k)
            loss = tf.reduce_sum(weight[:, None] * (target - y_k) ** 2, -1)
            return _deltas(net, w, cell_on, state, values, error), loss

        def every_step(i, w, loss):
            """2a and 2b: an error at every step of sequence i."""
            seq, n_in = sequences[:, i], n_inputs[:, i]
            sums = {k: tf.zeros_like(v) for k, v in w.items()}

            def one_step(t, w, sums, state, loss):
                live = t < n_in
                x = tf.one_hot(seq[:, t], net.n_in)
                state, values = _step(net, w, x, state, live, cell_on)
                target = tf.one_hot(seq[:, t + 1] - offset, net.n_out)
                # The last step's error counts last_weight times (1: the paper's).
                weight = tf.where(tf.equal(t, n_in - 1), last_weight, 1.0)
                weight *= tf.cast(live, tf.float32)
                delta, step_loss = learn(w, cell_on, state, values, target, weight)
                if per_step:
                    w = {k: w[k] + rate * live_run * delta[k] for k in names}
                else:
                    sums = {k: sums[k] + delta[k] for k in names}
                return t + 1, w, sums, state, loss + step_loss

            _, w, sums, _, loss = tf.while_loop(
                lambda t, *_: t < tf.reduce_max(n_in),
                one_step,
                (tf.constant(0), w, sums, _zero_state(net, (n_runs,)), loss),
                maximum_iterations=width - 1,
            )
            if not per_step:
                w = {k: w[k] + rate * live_run * sums[k] for k in names}
            return i + 1, w, loss

        def last_step(i, w, loss):
            """2c: an error at the last step only, so the weights change after
            it either way; the loop carries the state and that step's values."""
            seq, n_in = sequences[:, i], n_inputs[:, i]

            def one_step(t, state, values):
                live = t < n_in  # after its end a sequence keeps its state
                x = tf.one_hot(seq[:, t], net.n_in)  # PAD (-1) gives zeros
                state, new = _step(net, w, x, state, live, cell_on)
                values = [
                    tf.where(tf.reshape(live, [-1] + [1] * (len(v.shape) - 1)), n, v)
                    for n, v in zip(new, values)
                ]
                return t + 1, state, values

            C, M = net.n_cells, net.n_sources
            sizes = (M, C, C, C, C, net.n_read, net.n_out)
            _, state, values = tf.while_loop(
                lambda t, *_: t < tf.reduce_max(n_in),
                one_step,
                (
                    tf.constant(0),
                    _zero_state(net, (n_runs,)),
                    [tf.zeros((n_runs, size)) for size in sizes],
                ),
                maximum_iterations=width - 1,
            )
            last = tf.gather(seq, n_in, batch_dims=1)
            target = tf.one_hot(last - offset, net.n_out)
            weight = tf.fill((n_runs,), last_weight)
            delta, step_loss = learn(w, cell_on, state, values, target, weight)
            w = {k: w[k] + rate * live_run * delta[k] for k in names}
            return i + 1, w, loss + step_loss

        one_sequence = every_step if judge_every else last_step

        _, weights, loss = tf.while_loop(
            lambda i, *_: i < n_sequences,
            one_sequence,
            (tf.constant(0), weights, tf.zeros((n_runs,))),
        )
        return weights, loss

    return train


"""
## The check: outputs at the judged steps of many sequences, forward only
"""


@functools.lru_cache(maxsize=16)
def make_outputs(net, n_runs, batch, width, judge_every):
    """Compiled: outputs (R, B, T, K) at every step, or (R, B, 1, K) at the last."""

    @tf.function(jit_compile=True)
    def outputs(weights, sequences, cell_on):
        n_inputs = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), -1) - 1
        batch_shape = (n_runs, batch)
        steps = tf.TensorArray(tf.float32, size=width - 1 if judge_every else 1)
        last = tf.zeros(batch_shape + (net.n_out,))

        def body(t, state, last, steps):
            live = t < n_inputs
            x = tf.one_hot(sequences[:, :, t], net.n_in)
            state, values = _step(net, weights, x, state, live, cell_on)
            y_k = values[-1]
            if judge_every:
                steps = steps.write(t, y_k)
            last = tf.where(live[..., None], y_k, last)
            return t + 1, state, last, steps

        _, _, last, steps = tf.while_loop(
            lambda t, *_: t < tf.reduce_max(n_inputs),
            body,
            (tf.constant(0), _zero_state(net, batch_shape), last, steps),
            maximum_iterations=width - 1,
        )
        if judge_every:
            return tf.transpose(steps.stack(), [1, 2, 0, 3])
        return last[:, :, None, :]

    return outputs


"""
## The protocol
"""


def draw_sequences(rngs, runs, task, p, distractors, n):
    """n training or test sequences from each of the `runs`' streams (len(runs), n, W)."""
    if task == "2c":  # padded to one width per q, as for the modern 2c trainer
        return modern_2c.draw_sequences(rngs, p, distractors, n, runs)
    fixed = tasks.lag_sequences(p)
    return np.stack([tasks.draw_task(rngs[r], task, fixed, n) for r in runs])


def _offset(task, p):
    """What is subtracted from a target symbol to index the outputs."""
    return tasks.task_2c_symbols(p)[2] if task == "2c" else 0


def judged_outputs(net, weights, runs, cell_on, sequences, judge_every):
    """The `runs`' outputs for their sequences (R, B, W): (R, B, T or 1, K)."""
    n_runs, batch, width = sequences.shape
    stack = {k: tf.gather(v, runs) for k, v in weights.items()}
    outputs = make_outputs(net, n_runs, batch, width, judge_every)(
        stack, tf.constant(sequences), tf.constant(cell_on[runs])
    )
    return outputs.numpy()


def _passes(net, task, p, distractors, weights, cell_on, rngs, runs, n_test, threshold):
    """The criterion for `runs`: passed and not-finite flags, each (len(runs),).

    Task 2a: both sequences at every step (the trained net is deterministic, so
    that is the same as 10,000 draws). 2b and 2c: n_test fresh sequences from
    each run's test stream, judged at the last step; a first part for all runs
    at once, the rest only for the runs that passed it.
    """
    offset = _offset(task, p)

    def judge(which, sequences):
        every = task == "2a"
        outputs = judged_outputs(net, weights, runs[which], cell_on, sequences, every)
        if every:
            targets = tf.one_hot(sequences[:, :, 1:], net.n_out).numpy()
        else:
            n_inputs = tasks.sequence_lengths(
                sequences.reshape(-1, sequences.shape[-1])
            )
            last = np.take_along_axis(
                sequences.reshape(-1, sequences.shape[-1]), n_inputs[:, None] - 1, 1
            ).reshape(sequences.shape[:2] + (1,))
            targets = tf.one_hot(last - offset, net.n_out).numpy()
        mask = np.ones(outputs.shape[:-1], dtype=bool)
        error = tasks.max_error(outputs, targets, mask)
        return np.asarray(error)

    if task == "2a":
        fixed = tasks.lag_sequences(p)
        error = judge(np.arange(len(runs)), np.repeat(fixed[None], len(runs), 0))
        worst = error.max(axis=1)
        return tasks.within(worst, threshold), np.isinf(worst)
    error = judge(
        np.arange(len(runs)),
        draw_sequences(rngs, runs, task, p, distractors, FIRST_CHUNK),
    )
    worst = error.max(axis=1)
    passed, not_finite = tasks.within(worst, threshold), np.isinf(worst)
    remaining = n_test - FIRST_CHUNK
    while remaining > 0 and passed.any():
        n = min(REST_CHUNK, remaining)
        going = np.flatnonzero(passed)
        sequences = draw_sequences(rngs, runs[going], task, p, distractors, n)
        if n < REST_CHUNK:  # one compiled shape: repeat a sequence, same verdict
            pad = np.repeat(sequences[:, :1], REST_CHUNK - n, axis=1)
            sequences = np.concatenate([sequences, pad], axis=1)
        worst = judge(going, sequences).max(axis=1)
        passed[going] = tasks.within(worst, threshold)
        not_finite[going] |= np.isinf(worst)
        remaining -= n
    return passed, not_finite


def _plateaued(window_means):
    """The plateau rule: this window's mean error is no lower than the last one's."""
    return len(window_means) >= 2 and window_means[-1] >= window_means[-2]


def train_1997(
    seeds,
    task,
    p,
    distractors=None,
    rate=None,
    per_step=False,
    add_cell="plateau",
    g=None,
    in_gate=0.0,
    last_weight=1.0,
    max_sequences=50_000,
    check_every=CHECK_EVERY,
    n_test=TEST_SEQUENCES,
    progress=None,
):
    """Train one 1997 net per seed on a task, side by side, until each meets the criterion.

    rate: 1.0 for 2a/2b and 0.01 for 2c by default (the paper's). add_cell:
    "plateau", or the number of sequences after which the cell is added (0: from
    the start); Task 2c's net has its cells from the start. Each seed trains on
    its own stream (default_rng([seed, 0])) and is tested on another
    ([seed, 1]). A run that passes stops changing.

    Returns a dict: "counts" (sequences at the first passing check, or None),
    "diverged" (weights or outputs not finite) and "cell_added" (sequences
    before the cell was added, or None).
    """
    seeds = [lstm_memory.check_int(s, "seed") for s in seeds]
    if not seeds:
        raise ValueError("need at least one seed")
    tasks.check_budget(max_sequences, check_every)
    tasks.task_sequences(np.random.default_rng(0), task, p, 1, distractors)  # checks
    if add_cell != "plateau" and lstm_memory.check_int(add_cell, "add_cell") < 0:
        raise ValueError(f"add_cell must be 'plateau' or >= 0, got {add_cell}")
    if task == "2c":
        add_cell = 0
    net = task_net(task, p, distractors, g)
    rate = (0.01 if task == "2c" else 1.0) if rate is None else float(rate)
    threshold = tasks.TASK_2C_THRESHOLD if task == "2c" else tasks.PAPER_THRESHOLD
    n_runs = len(seeds)
    inits = [numpy_1997.initial_weights(net, s) for s in seeds]
    for w in inits:
        w["w_in"][:, : net.n_in] += in_gate
    weights = {
        k: tf.constant(np.stack([w[k] for w in inits]), tf.float32) for k in inits[0]
    }
    train_rngs = [np.random.default_rng([s, 0]) for s in seeds]
    test_rngs = [np.random.default_rng([s, 1]) for s in seeds]
    counts, cell_added = [None] * n_runs, [None] * n_runs
    diverged = np.zeros(n_runs, dtype=bool)
    active = np.ones(n_runs, dtype=bool)
    cell_on = np.full(n_runs, add_cell == 0)
    if add_cell == 0:
        cell_added = [0] * n_runs
    windows = [[] for _ in range(n_runs)]
    window_loss = np.zeros(n_runs)
    done = 0
    offset = _offset(task, p)
    while active.any() and done < max_sequences:
        n = min(check_every, max_sequences - done)
        sequences = draw_sequences(
            train_rngs, np.flatnonzero(active), task, p, distractors, n
        )
        # Finished runs get the first active run's sequences, and ignore them.
        full = np.repeat(sequences[:1], n_runs, axis=0)
        full[active] = sequences
        trainer = make_trainer(
            net, n_runs, n, full.shape[-1], per_step, task != "2c", offset
        )
        weights, loss = trainer(
            weights,
            tf.constant(full),
            tf.constant(active),
            tf.constant(cell_on),
            tf.constant(rate, tf.float32),
            tf.constant(last_weight, tf.float32),
        )
        done += n
        finite = np.all(
            [
                np.isfinite(v.numpy()).reshape(n_runs, -1).all(1)
                for v in weights.values()
            ],
            axis=0,
        )
        diverged |= active & ~finite
        active &= ~diverged
        window_loss += loss.numpy()
        if add_cell == "plateau" and done % PLATEAU_WINDOW == 0:
            for r in np.flatnonzero(active & ~cell_on):
                windows[r].append(window_loss[r] / PLATEAU_WINDOW)
                if _plateaued(windows[r]):
                    cell_on[r], cell_added[r] = True, done
            window_loss[:] = 0
        elif add_cell not in ("plateau", 0) and done >= add_cell:
            for r in np.flatnonzero(~cell_on):
                cell_on[r], cell_added[r] = True, done
        if done % check_every == 0 and active.any():
            # Without its cell a 2a/2b net answers the x and the y sequence
            # alike at the last step, so it cannot pass: only nets with a cell
            # are checked.
            runs = np.flatnonzero(active & cell_on)
            if runs.size:
                passed, not_finite = _passes(
                    net,
                    task,
                    p,
                    distractors,
                    weights,
                    cell_on,
                    test_rngs,
                    runs,
                    n_test,
                    threshold,
                )
                tasks.record_check(
                    done, runs, passed, not_finite, counts, active, diverged
                )
        if progress is not None:
            progress(done)
    return {"counts": counts, "diverged": diverged, "cell_added": cell_added}
