"""
Title: Tasks 2a and 2b with a modern LSTM, every seed side by side
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/11/29
Description: A Keras LSTM and Adam trained on-line on the 1997 paper's Tasks
    2a and 2b, all seeds of a configuration stacked in one compiled
    TensorFlow function; `lstm_lab/online.py` runs the protocol and
    `lstm_lab/references/keras_2ab.py`, one plain Keras model per run, is the
    reference the tests compare it with.

## The method

Per run this is the reference's training: the same initial weights (Keras's,
with the gate biases of `regimes.Settings2ab`), the same training sequences, one
update per sequence, and the same judgement. The update is the Keras LSTM's
equations, a Dense layer reading the LSTM and (direct=True) the input, binary
cross-entropy from the logits averaged over the outputs, times the per-step
weight, summed over the lag's steps and divided by the lag (Keras's
"sum_over_batch_size" reduction with a (1, lag) sample_weight), then one Keras 3
Adam step.

What differs from the reference is float rounding: XLA sums in another order
than Keras's graph, and the gradient of the recurrence is written out
(`_all_states_bptt`). Adam divides each gradient by its own running size, so
where a gradient is close to zero a rounding difference becomes a step of the
learning rate's size, and over a thousand updates a run's count can move by a
judgement or more (docs/paper/verification.md measures it). For the same reason a
run's count can depend on how many runs share its stack, since XLA may sum in
another order for another shape; the stack shrinks by a rule on the runs
alone, so the counts repeat from run to run.

`settings.cell` puts Keras's GRU or SimpleRNN in the LSTM's place
(`lstm_lab/cells.py`, docs/paper/cells.md): the same network and regime
otherwise, and TensorFlow's autodiff for their gradient.
"""

import functools
import typing

import numpy as np
import tensorflow as tf

from lstm_lab import cells, checks, online, regimes, tasks, tf_ops

TASKS = ("2a", "2b")  # Task 2c has its own network: modern_2c.py
PROBE = 32  # sequences of a judging chunk judged first, for every run
# Test sequences times their steps and symbols in one judging call.
JUDGE_CHUNK_CELLS = 4_000_000


def judge_chunk(lag, n_test):
    """Task 2b's test sequences per judging call: one compiled shape, bounded memory."""
    return min(n_test, max(1, JUDGE_CHUNK_CELLS // (lag * (lag + 1))))


def initial_weights_2ab(seed, lag, settings):
    """The weights the reference's model starts from: tf_ops.LstmWeights in Keras's order."""
    n_symbols = lag + 1
    dense_inputs = settings.units + n_symbols if settings.direct else settings.units
    keep_bias, input_bias = tf_ops.cell_biases(settings)
    return tf_ops.keras_initial_weights(
        seed,
        n_symbols,
        settings.units,
        n_symbols,
        dense_inputs,
        forget_bias=keep_bias,
        input_bias=input_bias,
        cell=settings.cell,
    )


"""
## The network, for stacked runs

Shapes: S runs, B sequences per run, T = lag steps, n = lag+1 symbols, u units.

Inside the compiled functions Keras's Dense kernel is kept as two parts, out_h
over out_x (`Weights2ab`). Adam is elementwise, so splitting the kernel changes
nothing, and it saves a copy of the largest tensor per update.

Sequences enter as integer symbols. A one-hot row times a kernel is the
kernel's row: a gather gives the same numbers (the n-1 zero terms add exactly
nothing) without n times the work.
"""


class Weights2ab(typing.NamedTuple):
    kernel: object  # (S, n, 4u); the GRU's 3u, the SimpleRNN's u
    recurrent: object  # (S, u, 4u)
    bias: object  # (S, 4u); the GRU's (S, 2, 3u)
    out_h: object  # (S, u, n): the Dense kernel's rows for the LSTM's output
    out_x: tuple  # ((S, n, n),), its rows for the input; () without direct
    out_bias: object  # (S, n)


def split_dense(weights, units, direct):
    """Keras-order weights (tf_ops.LstmWeights) as Weights2ab."""
    dense = weights.dense_kernel
    out_x = (dense[..., units:, :],) if direct else ()
    return Weights2ab(
        weights.kernel,
        weights.recurrent,
        weights.bias,
        dense[..., :units, :],
        out_x,
        weights.dense_bias,
    )


def join_dense(weights):
    """Weights2ab (NumPy, one run) back in Keras's order."""
    dense = np.concatenate([weights.out_h, *weights.out_x])
    return tf_ops.LstmWeights(
        weights.kernel, weights.recurrent, weights.bias, dense, weights.out_bias
    )


@tf.custom_gradient
def _all_states_bptt(xz, recurrent, bias):
    """The LSTM's cells.all_states, with backpropagation through time written out.

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
        h, c, gates = tf_ops.lstm_cell(xz_t, carry[0], carry[1], recurrent, bias)
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

    `states` is the cell's `states_of(cell, train)`.
    """
    # The input's share of all steps at once, outside the loop, so its gradient
    # is one scatter into the kernel rather than one per step.
    xz = tf.gather(weights.kernel, x, batch_dims=1)
    hs = states(xz, weights.recurrent, weights.bias)
    return _logits(weights.out_h, weights.out_x, weights.out_bias, hs, x)


def states_of(cell, train):
    """The cell's every-step states: the LSTM trains with its written-out
    backward pass; the others, and every evaluation, with cells.all_states
    (without a tape it keeps nothing for a gradient)."""
    if train and cell == "lstm":
        return _all_states_bptt
    return functools.partial(cells.all_states, cell)


"""
## The compiled calls
"""


@functools.lru_cache(maxsize=4)
def _compiled(n_symbols, cell="lstm"):
    """The compiled trainer and judges for lag+1 = n_symbols symbols and the cell.

    XLA compiles each once per shape (stack size, judging batch). Cached, so
    that calls with the same lag (both tasks, the tests, the benchmark) share
    their compilations.
    """

    @tf.function(jit_compile=True)
    def train_on_sequences(
        weights, moments, step, active, sequences, n_sequences, step_weight, lr
    ):
        """Up to K updates per run: sequences (S, K, lag+1), the first n_sequences used.

        The weights of runs where `active` is False do not change (their
        moments do, and are never used again). Returns the new weights,
        moments and Adam step, and per run whether its weights are finite.
        """
        length = sequences.shape[2] - 1

        def update(k, weights, moments, step):
            sequence = tf.gather(sequences, k, axis=1)[:, None]  # (S, 1, lag+1)
            x, y = sequence[..., :-1], sequence[..., 1:]
            with tf.GradientTape() as tape:
                tape.watch(weights)
                logits = _sequence_logits(weights, x, states_of(cell, True))
                per_step = tf_ops.bce(logits, tf.one_hot(y, n_symbols))  # (S, 1, T)
                # Keras's "sum_over_batch_size": the weighted losses summed and
                # divided by their number (the lag), not by the sum of the weights.
                loss = tf.reduce_sum(per_step * step_weight, axis=[1, 2]) / length
                total = tf.reduce_sum(loss)
            grads = tape.gradient(total, weights)
            new_weights, moments = tf_ops.adam(weights, grads, moments, step, lr)
            weights = tf_ops.keep_inactive(active, new_weights, weights)
            return k + 1, weights, moments, step + 1

        _, weights, moments, step = tf.while_loop(
            lambda k, *_: k < n_sequences,
            update,
            (tf.constant(0), weights, moments, step),
        )
        return weights, moments, step, tf_ops.finite_runs(weights)

    @tf.function(jit_compile=True)
    def worst_every_step(weights, sequences):
        """Task 2a: per run, the worst error of any output at any step of sequences (B, lag+1)."""
        n_runs = weights.kernel.shape[0]
        x = tf.tile(sequences[None, :, :-1], [n_runs, 1, 1])
        targets = tf.one_hot(sequences[:, 1:], n_symbols)[None]
        logits = _sequence_logits(weights, x, states_of(cell, False))
        outputs = tf.sigmoid(logits)
        every_step = tf.ones(sequences[:, 1:].shape, tf.bool)
        return tf.reduce_max(tasks.max_error(outputs, targets, every_step), axis=1)

    @tf.function(jit_compile=True)
    def worst_last_step(weights, rows, sequences):
        """Task 2b: for the stack's rows `rows` (R,) and their sequences (R, B, lag+1),
        each sequence's worst error at the last step (R, B)."""
        w = tf.nest.map_structure(lambda v: tf.gather(v, rows), weights)
        h = cells.last_state(cell, w.kernel, w.recurrent, w.bias, sequences[..., :-1])
        logits = _logits(w.out_h, w.out_x, w.out_bias, h, sequences[..., -2])
        targets = tf.one_hot(sequences[..., -1], n_symbols)
        # One judged step per sequence: the last.
        last = tf.ones(sequences.shape[1:2] + (1,), tf.bool)
        outputs = tf.sigmoid(logits)[..., None, :]
        return tasks.max_error(outputs, targets[..., None, :], last)

    return train_on_sequences, worst_every_step, worst_last_step


"""
## The method
"""


def shrink_worth_it(n_live, n_rows):
    """Whether to drop the finished rows from the stack, at the cost of a compile.

    Finished rows still cost a share of every call, but dropping them compiles
    the trainer again for the new stack size. A quarter or fewer still live is
    worth it at p = 1000 and costs little at p = 100. The rule depends on the
    runs alone, never on timings: the stack's size changes the float rounding,
    so a timing-based rule would make the counts differ from run to run.
    """
    return 0 < n_live <= n_rows // 4


class Trainer2ab(online.Trainer):
    """Tasks 2a and 2b, every run a row of one stack.

    Row r of the stack holds run `rows[r]`; finished rows leave the stack when
    `shrink_worth_it`, and their final weights are kept in `final`.
    """

    def __init__(self, task, lag, settings, n_test):
        try:
            tasks.check_task(task, TASKS)
        except ValueError as error:
            raise ValueError(f"{error} (2c: modern_2c.train_2c)") from None
        self.fixed = tasks.lag_sequences(lag)  # checks the lag too
        checks.check_choice(settings.cell, tf_ops.CELLS, "cell")
        self.task, self.lag, self.settings, self.n_test = task, lag, settings, n_test
        compiled = _compiled(lag + 1, settings.cell)
        self.train_call, self.worst_every_step, self.worst_last_step = compiled
        step_weight = np.ones(lag, dtype=np.float32)
        step_weight[-1] = settings.last_weight
        self.step_weight = tf.constant(step_weight)
        self.learning_rate = tf.constant(settings.learning_rate, tf.float32)

    def start(self, seeds):
        units, direct = self.settings.units, self.settings.direct
        inits = [initial_weights_2ab(s, self.lag, self.settings) for s in seeds]
        self.weights = split_dense(tf_ops.stack(inits), units, direct)
        self.moments = tf_ops.zero_moments(self.weights)
        # Every live run has made the same number of updates, so one Adam step
        # counter serves them all.
        self.step = tf.constant(0, tf.int32)
        self.rows = np.arange(len(seeds))
        self.final = [None] * len(seeds)

    def train_chunk(self, rngs, active, n):
        live = active[self.rows]
        # One compiled shape, even for a short last call.
        width = self.settings.judge_every
        sequences = np.zeros((len(self.rows), width, self.lag + 1), dtype=np.int32)
        for r in np.flatnonzero(live):
            # One draw per update, as the reference draws them: a draw of n at
            # once would take other numbers from the stream.
            for j in range(n):
                sequences[r, j] = tasks.draw_task(
                    rngs[self.rows[r]], self.task, self.fixed, 1
                )[0]
        self.weights, self.moments, self.step, finite = self.train_call(
            self.weights,
            self.moments,
            self.step,
            tf.constant(live),
            tf.constant(sequences),
            tf.constant(n),
            self.step_weight,
            self.learning_rate,
        )
        finite_runs = np.ones(len(active), dtype=bool)
        finite_runs[self.rows] = finite.numpy()
        return finite_runs

    def judge(self, runs, rngs):
        stack_row = {run: r for r, run in enumerate(self.rows)}
        rows = np.array([stack_row[run] for run in runs], dtype=np.int32)
        if self.task == "2a":
            # Two distinct sequences, and a deterministic net: judging both is
            # the same as judging 10,000 draws.
            fixed = tf.constant(self.fixed, tf.int32)
            worst = self.worst_every_step(self.weights, fixed).numpy()[rows]
            return worst < tasks.PAPER_THRESHOLD, np.isinf(worst)
        # The reference judges whole chunks, so every run draws whole chunks.
        chunk = judge_chunk(self.lag, self.n_test)
        n_test = -(-self.n_test // chunk) * chunk

        def draw(run_ids, n):
            return np.stack(
                [tasks.draw_task(rngs[r], "2b", self.fixed, n) for r in run_ids]
            )

        def judge_part(which, sequences):
            return online.probe_first(
                self._worst_last_step,
                rows[which],
                sequences,
                PROBE,
                tasks.PAPER_THRESHOLD,
            )

        return online.screen(
            draw, judge_part, runs, n_test, chunk, chunk, tasks.PAPER_THRESHOLD
        )

    def _worst_last_step(self, rows, sequences):
        """Each row's worst last-step error over its sequences, padded to a
        bucketed number of rows (few shapes, few compiles)."""
        n = len(rows)
        rows, sequences = online.pad_runs(rows, sequences, len(self.rows))
        worst = self.worst_last_step(
            self.weights, tf.constant(rows), tf.constant(sequences)
        )
        return worst.numpy()[:n].max(axis=1)

    def after_judge(self, active):
        live = active[self.rows]
        if shrink_worth_it(int(live.sum()), len(self.rows)):
            self._keep_final(np.flatnonzero(~live))
            keep = tf.constant(np.flatnonzero(live), tf.int32)
            gather = functools.partial(tf.gather, indices=keep)
            self.weights = tf.nest.map_structure(gather, self.weights)
            self.moments = tf.nest.map_structure(gather, self.moments)
            self.rows = self.rows[live]

    def _keep_final(self, stack_rows):
        for r in stack_rows:
            one = tf.nest.map_structure(lambda w, r=r: w[r].numpy(), self.weights)
            self.final[self.rows[r]] = join_dense(one)

    def details(self):
        """Per run, its final weights in Keras's order (tf_ops.LstmWeights)."""
        self._keep_final(range(len(self.rows)))
        return {"weights": self.final}


def train_2ab(
    seeds,
    task,
    lag,
    settings=None,
    n_test=tasks.TEST_SEQUENCES,
    progress=None,
):
    """Train one net per seed on Task 2a or 2b, side by side, until each meets the criterion.

    Per seed this is `references.keras_2ab.train_run` with the same settings.
    Returns the `online.Outcome`; its details hold each run's final "weights"
    (tf_ops.LstmWeights, Keras's order).
    """
    settings = settings or regimes.Settings2ab()
    trainer = Trainer2ab(task, lag, settings, n_test)
    return online.train_online(
        trainer, seeds, settings.max_sequences, settings.judge_every, progress
    )
