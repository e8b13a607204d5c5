"""
Title: The paper's own LSTM: the 1997 cell and its learning rule, every trial side by side
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/11/29
Description: Tasks 2a, 2b and 2c with the net and the learning rule that
    Hochreiter & Schmidhuber (1997) measured: memory cells without a forget
    gate, no biases, truncated real-time recurrent learning and plain gradient
    descent. All trials of a row train side by side in one compiled TensorFlow
    function; `lstm_lab/online.py` runs the protocol, `lstm_lab/net_1997.py`
    gives the nets and their initial weights, and
    `lstm_lab/references/numpy_1997.py` is the reference it is tested against.

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

The paper leaves four things open: when the weights change, when the cell
joins the 2a/2b net, the range of g, and whether test sequences count. It also
prints two things two ways: the error's scale (eq. 16 against eq. 19) and Task
2c's ranges of h and g (the text against Table 10's legend). Each is a setting
of `regimes.Settings1997`, which says what each value means, and
docs/paper/method-1997.md#the-open-choices gives the evidence for the defaults.
"""

import functools
import typing

import numpy as np
import tensorflow as tf

from lstm_lab import net_1997, online, regimes, tasks, tf_ops

PLATEAU_WINDOW = 100  # sequences per window of the plateau rule
NAMES = ("w_c", "w_in", "w_out", "w_k")  # the weight matrices, net_1997.Net.shapes


def _squash(name, x):
    """(value, derivative) of the net_1997.SQUASH function `name` at x."""
    if net_1997.SQUASH[name] is None:
        return x, tf.ones_like(x)
    low, scale = net_1997.SQUASH[name]
    sig = tf.sigmoid(x)
    return low + scale * sig, scale * sig * (1 - sig)


"""
## One step of the net, for all runs (and, when judged, all sequences) at once

Shapes: runs R, then any batch axes (...), cells C, sources M, outputs K.
"""


class State(typing.NamedTuple):
    """What a step carries to the next."""

    s: object  # the cells' states (R, ..., C)
    rec: object  # the cells' and gates' outputs, read back if recurrent
    d_in: object  # ds/dw_in (R, ..., C, M), carried forward (truncated RTRL)
    d_c: object  # ds/dw_c (R, ..., C, M)


class StepValues(typing.NamedTuple):
    """What one step computed, which the learning rule reads."""

    u: object  # what the cells and gates read (R, ..., M)
    y_in: object  # input gates (R, ..., C)
    y_out: object  # output gates (ones without them)
    h: object  # h(s)
    h_prime: object  # h'(s)
    read: object  # what the output units read
    y_k: object  # the outputs (R, ..., K)


def _on(cell_on, like):
    """cell_on (R,) as a float broadcast to `like`'s rank."""
    shape = [-1] + [1] * (len(like.shape) - 1)
    return tf.reshape(tf.cast(cell_on, tf.float32), shape)


def _zero_state(net, batch_shape):
    C, M = net.n_cells, net.n_sources
    return State(
        tf.zeros(batch_shape + (C,)),
        tf.zeros(batch_shape + ((net.n_units,) if net.recurrent else (0,))),
        tf.zeros(batch_shape + (C, M)),
        tf.zeros(batch_shape + (C, M)),
    )


def _zero_values(net, batch_shape):
    C = net.n_cells
    sizes = StepValues(net.n_sources, C, C, C, C, net.n_read, net.n_out)
    return StepValues(*(tf.zeros(batch_shape + (size,)) for size in sizes))


def _step(net, w, x, state, live, cell_on):
    """The forward step and the truncated-RTRL traces: (State, StepValues).

    x: one hot inputs (R, ..., n_in); live: where the sequence has not ended;
    cell_on: (R,) whether the cell has been added.
    """
    u = tf.concat([x, state.rec], axis=-1) if net.recurrent else x
    y_in = tf.sigmoid(tf.einsum("rcm,r...m->r...c", w["w_in"], u))
    g, g_prime = _squash(net.g, tf.einsum("rcm,r...m->r...c", w["w_c"], u))
    if net.out_gates:
        y_out = tf.sigmoid(tf.einsum("rcm,r...m->r...c", w["w_out"], u))
    else:
        y_out = tf.ones_like(y_in)
    grow = tf.cast(live[..., None], tf.float32) * _on(cell_on, y_in)
    s = state.s + grow * y_in * g
    # Truncation: u counts as a constant, so these are the whole derivatives.
    d_in = state.d_in + (grow * g * y_in * (1 - y_in))[..., None] * u[..., None, :]
    d_c = state.d_c + (grow * y_in * g_prime)[..., None] * u[..., None, :]
    h, h_prime = _squash(net.h, s)
    y_c = _on(cell_on, y_in) * y_out * h
    read = tf.concat([y_c, x], axis=-1) if net.direct else y_c
    y_k = tf.sigmoid(tf.einsum("rkn,r...n->r...k", w["w_k"], read))
    rec = state.rec
    if net.recurrent:
        new_rec = tf.concat([y_c, y_in] + ([y_out] if net.out_gates else []), axis=-1)
        rec = tf.where(live[..., None], new_rec, rec)
    return State(s, rec, d_in, d_c), StepValues(u, y_in, y_out, h, h_prime, read, y_k)


def _learn(net, w, cell_on, state, values, target, weight):
    """The appendix's weight changes for one judged step, and its squared error.

    target (R, K); weight (R,): how many times this step's error counts.
    """
    C = net.n_cells
    y_k = values.y_k
    error = weight[:, None] * y_k * (1 - y_k) * (target - y_k)  # e_k
    loss = tf.reduce_sum(weight[:, None] * (target - y_k) ** 2, -1)
    on = _on(cell_on, values.y_in)
    back = tf.einsum("rkc,rk->rc", w["w_k"][:, :, :C], error)  # sum_k w_kc e_k
    e_s = on * values.y_out * values.h_prime * back
    delta = {
        # Before the cell is added its output, and so its column of `read`, is
        # 0: the cell's weights to the outputs do not change.
        "w_k": tf.einsum("rk,rn->rkn", error, values.read),
        "w_in": e_s[..., None] * state.d_in,
        "w_c": e_s[..., None] * state.d_c,
        "w_out": tf.zeros_like(w["w_out"]),
    }
    if net.out_gates:
        e_out = on * values.y_out * (1 - values.y_out) * values.h * back
        delta["w_out"] = tf.einsum("rc,rm->rcm", e_out, values.u)
    return delta, loss


"""
## Training: `n_sequences` sequences for every run in one compiled call

Each run reads its own sequence, padded with PAD after its end; a run's state
stops changing after its own sequence's end, and PAD's one hot row is zeros.
"""


def _add(w, delta, scale):
    return {k: w[k] + scale * delta[k] for k in NAMES}


def _error_every_step(
    net, w, seq, n_in, cell_on, rate, last_weight, width, loss, per_step
):
    """Tasks 2a and 2b: one sequence per run (R, W), an error at every step.

    Returns the new weights, and `loss` plus each run's squared error.
    """
    n_runs = seq.shape[0]
    sums = {k: tf.zeros_like(v) for k, v in w.items()}

    def one_step(t, w, sums, state, loss):
        live = t < n_in
        x = tf.one_hot(seq[:, t], net.n_in)
        state, values = _step(net, w, x, state, live, cell_on)
        target = tf.one_hot(seq[:, t + 1], net.n_out)
        # The last step's error counts last_weight times (1: the paper's).
        weight = tf.where(tf.equal(t, n_in - 1), last_weight, 1.0)
        weight *= tf.cast(live, tf.float32)
        delta, step_loss = _learn(net, w, cell_on, state, values, target, weight)
        if per_step:
            w = _add(w, delta, rate)
        else:
            sums = _add(sums, delta, 1.0)
        return t + 1, w, sums, state, loss + step_loss

    _, w, sums, _, loss = tf.while_loop(
        lambda t, *_: t < tf.reduce_max(n_in),
        one_step,
        (tf.constant(0), w, sums, _zero_state(net, (n_runs,)), loss),
        maximum_iterations=width - 1,
    )
    return (w if per_step else _add(w, sums, rate)), loss


def _error_at_end(net, w, seq, n_in, cell_on, rate, last_weight, width, loss, offset):
    """Task 2c: one sequence per run, an error at its last step only, so the
    weights change after it either way; the loop carries the state and that
    step's values."""
    n_runs = seq.shape[0]

    def one_step(t, state, values):
        live = t < n_in  # after its end a sequence keeps its state
        x = tf.one_hot(seq[:, t], net.n_in)  # PAD (-1) gives zeros
        state, new = _step(net, w, x, state, live, cell_on)
        keep = [tf.reshape(live, [-1] + [1] * (len(v.shape) - 1)) for v in values]
        values = StepValues(*map(tf.where, keep, new, values))
        return t + 1, state, values

    _, state, values = tf.while_loop(
        lambda t, *_: t < tf.reduce_max(n_in),
        one_step,
        (tf.constant(0), _zero_state(net, (n_runs,)), _zero_values(net, (n_runs,))),
        maximum_iterations=width - 1,
    )
    last = tf.gather(seq, n_in, batch_dims=1)
    target = tf.one_hot(last - offset, net.n_out)
    weight = tf.fill((n_runs,), last_weight)
    delta, step_loss = _learn(net, w, cell_on, state, values, target, weight)
    return _add(w, delta, rate), loss + step_loss


@functools.lru_cache(maxsize=16)
def compile_1997_training(
    net, n_runs, n_sequences, width, per_step, error_at_end, offset
):
    """Compiled on-line training of every run on its n_sequences sequences.

    error_at_end: Task 2c's error at the last step, else one at every step.
    Targets are one hot (next symbol - offset). Returns the new weights and
    each run's summed squared error over the call's judged steps.
    """

    @tf.function(jit_compile=True)
    def train_on_sequences(weights, sequences, active, cell_on, rate, last_weight):
        n_inputs = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), -1) - 1
        # Runs that have finished learn nothing: their rate is 0.
        run_rate = rate * tf.cast(active, tf.float32)[:, None, None]

        if error_at_end:
            learn = functools.partial(_error_at_end, offset=offset)
        else:
            learn = functools.partial(_error_every_step, per_step=per_step)

        def one_sequence(i, w, loss):
            seq, n_in = sequences[:, i], n_inputs[:, i]
            w, loss = learn(
                net, w, seq, n_in, cell_on, run_rate, last_weight, width, loss
            )
            return i + 1, w, loss

        _, weights, loss = tf.while_loop(
            lambda i, *_: i < n_sequences,
            one_sequence,
            (tf.constant(0), weights, tf.zeros((n_runs,))),
        )
        return weights, loss

    return train_on_sequences


"""
## Judging: outputs at the judged steps of many sequences, forward only
"""


@functools.lru_cache(maxsize=16)
def compile_1997_outputs(net, n_runs, batch, width, every_step):
    """Compiled: outputs (R, B, T, K) at every step, or (R, B, 1, K) at the last."""

    @tf.function(jit_compile=True)
    def outputs(weights, sequences, cell_on):
        n_inputs = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), -1) - 1
        batch_shape = (n_runs, batch)
        steps = tf.TensorArray(tf.float32, size=width - 1 if every_step else 1)
        last = tf.zeros(batch_shape + (net.n_out,))

        def body(t, state, last, steps):
            live = t < n_inputs
            x = tf.one_hot(sequences[:, :, t], net.n_in)
            state, values = _step(net, weights, x, state, live, cell_on)
            if every_step:
                steps = steps.write(t, values.y_k)
            last = tf.where(live[..., None], values.y_k, last)
            return t + 1, state, last, steps

        _, _, last, steps = tf.while_loop(
            lambda t, *_: t < tf.reduce_max(n_inputs),
            body,
            (tf.constant(0), _zero_state(net, batch_shape), last, steps),
            maximum_iterations=width - 1,
        )
        if every_step:
            return tf.transpose(steps.stack(), [1, 2, 0, 3])
        return last[:, :, None, :]

    return outputs


"""
## The method
"""


def plateaued(window_means):
    """The plateau rule: this window's mean error is no lower than the last one's."""
    return len(window_means) >= 2 and window_means[-1] >= window_means[-2]


class Trainer1997(online.Trainer):
    """The 1997 net on Task 2a, 2b or 2c; every run a row of one stack."""

    def __init__(self, task, lag, distractors, settings, n_test):
        tasks.task_sequences(np.random.default_rng(0), task, lag, 1, distractors)
        settings.check(task)
        if task == "2c":
            distractors = tasks.distractors_of(lag, distractors)
        self.net = net_1997.task_net(task, lag, distractors, *settings.squashing(task))
        self.fixed = tasks.lag_sequences(lag) if task != "2c" else None
        self.task, self.lag, self.distractors = task, lag, distractors
        self.settings, self.n_test = settings, n_test
        # Task 2c's net has its cells from the start.
        self.add_cell = 0 if task == "2c" else settings.add_cell
        # Task 2c's targets, one hot (symbol - x): x and y follow the
        # distractors, so their symbols depend on the distractors, not the lag.
        self.offset = tasks.layout_2c(distractors).x if task == "2c" else 0
        self.threshold = (
            tasks.TASK_2C_THRESHOLD if task == "2c" else tasks.PAPER_THRESHOLD
        )
        # Eq. 16's E doubles every e_k, and so every change: twice the rate.
        rate = settings.learning_rate * net_1997.ERROR_SCALE[settings.error]
        self.constants = (
            tf.constant(rate, tf.float32),
            tf.constant(settings.last_weight, tf.float32),
        )

    def start(self, seeds):
        inits = [net_1997.initial_weights_1997(self.net, s) for s in seeds]
        for w in inits:
            w["w_in"][:, : self.net.n_in] += self.settings.in_gate
        self.weights = {
            k: tf.constant(np.stack([w[k] for w in inits]), tf.float32)
            for k in inits[0]
        }
        n_runs = len(seeds)
        self.n_runs = n_runs
        self.cell_on = np.full(n_runs, self.add_cell == 0)
        self.cell_added = [0 if self.add_cell == 0 else None] * n_runs
        self.windows = [[] for _ in range(n_runs)]
        self.window_loss = np.zeros(n_runs)

    def draw(self, rngs, runs, n):
        """n sequences from each of the `runs`' streams (len(runs), n, W)."""
        if self.task == "2c":  # padded to one width per lag (tasks.task_2c_batch)
            return tasks.task_2c_batch(rngs, self.lag, self.distractors, n, runs)
        marker = self.settings.end_marker
        return np.stack(
            [tasks.draw_task(rngs[r], self.task, self.fixed, n, marker) for r in runs]
        )

    def train_chunk(self, rngs, active, n):
        sequences = self.draw(rngs, np.flatnonzero(active), n)
        # Finished runs get the first active run's sequences, and ignore them.
        full = np.repeat(sequences[:1], self.n_runs, axis=0)
        full[active] = sequences
        per_step = self.settings.update == "step"
        trainer = compile_1997_training(
            self.net,
            self.n_runs,
            n,
            full.shape[-1],
            per_step,
            self.task == "2c",
            self.offset,
        )
        self.weights, loss = trainer(
            self.weights,
            tf.constant(full),
            tf.constant(active),
            tf.constant(self.cell_on),
            *self.constants,
        )
        self.loss = loss.numpy()
        return np.asarray(tf_ops.finite_runs(self.weights))

    def after_train(self, done, active):
        """The cell joins the 2a/2b net at a plateau, or after add_cell sequences."""
        self.window_loss += self.loss
        if self.add_cell == "plateau" and done % PLATEAU_WINDOW == 0:
            for r in np.flatnonzero(active & ~self.cell_on):
                self.windows[r].append(self.window_loss[r] / PLATEAU_WINDOW)
                if plateaued(self.windows[r]):
                    self.cell_on[r], self.cell_added[r] = True, done
            self.window_loss[:] = 0
        elif self.add_cell not in ("plateau", 0) and done >= self.add_cell:
            for r in np.flatnonzero(~self.cell_on):
                self.cell_on[r], self.cell_added[r] = True, done

    def judgeable(self, active):
        # Without its cell a 2a/2b net answers the x and the y sequence alike
        # at the last step, so it cannot pass: only nets with a cell are judged.
        return active & self.cell_on

    def _worst(self, rows, sequences):
        """Each stack row's worst error over its sequences (R, B, W), at every
        step (2a) or the last (2b, 2c)."""
        every_step = self.task == "2a"
        n = len(rows)
        rows, sequences = online.pad_runs(rows, sequences, self.n_runs)
        stack = {k: tf.gather(v, rows) for k, v in self.weights.items()}
        outputs = compile_1997_outputs(
            self.net, len(rows), *sequences.shape[1:], every_step
        )(stack, tf.constant(sequences), tf.constant(self.cell_on[rows]))
        outputs = outputs.numpy()[:n]
        targets = self.judged_targets(sequences[:n])
        mask = np.ones(outputs.shape[:-1], dtype=bool)
        return np.asarray(tasks.max_error(outputs, targets, mask)).max(axis=1)

    def judged_targets(self, sequences):
        """The targets of sequences (R, B, W) at the judged steps, one hot:
        (R, B, W - 1, K) at every step (2a), (R, B, 1, K) at the last (2b, 2c)."""
        if self.task == "2a":
            return tf.one_hot(sequences[:, :, 1:], self.net.n_out).numpy()
        flat = sequences.reshape(-1, sequences.shape[-1])
        n_inputs = tasks.sequence_lengths(flat)
        last = np.take_along_axis(flat, n_inputs[:, None] - 1, 1)
        last = last.reshape(sequences.shape[:2] + (1,))
        return tf.one_hot(last - self.offset, self.net.n_out).numpy()

    def judge(self, runs, rngs):
        """Task 2a: both sequences at every step (the trained net is
        deterministic, so that is the same as 10,000 draws). 2b and 2c: fresh
        sequences from each run's test stream, judged at the last step."""
        if self.task == "2a":
            worst = self._worst(runs, np.repeat(self.fixed[None], len(runs), 0))
            return worst < self.threshold, np.isinf(worst)

        def draw(run_ids, n):
            return self.draw(rngs, run_ids, n)

        def judge(which, sequences):
            return self._worst(runs[which], sequences)

        return online.screen(
            draw,
            judge,
            runs,
            self.n_test,
            online.FIRST_PART,
            online.REST_PART,
            self.threshold,
        )

    def details(self):
        return {"cell_added": self.cell_added}


def train_1997(
    seeds,
    task,
    lag,
    distractors=None,
    settings=None,
    n_test=tasks.TEST_SEQUENCES,
    progress=None,
):
    """Train one 1997 net per seed on a task, side by side, until each meets the criterion.

    lag: the time lag (the paper's p in 2a and 2b, q in 2c); distractors: Task
    2c's number of distractor symbols (the paper's p there; default the lag).
    settings: a regimes.Settings1997 (default: the paper's for the task). Returns
    the `online.Outcome`; its details hold "cell_added", the sequences before
    each run's cell was added (or None).
    """
    settings = settings or regimes.Settings1997.for_task(task)
    trainer = Trainer1997(task, lag, distractors, settings, n_test)
    return online.train_online(
        trainer, seeds, settings.max_sequences, settings.judge_every, progress
    )
