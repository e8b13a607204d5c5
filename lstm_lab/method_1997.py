"""
Title: The paper's own LSTM: the 1997 cell and its learning rule, every trial side by side
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/12/07
Description: Tasks 2a, 2b and 2c with the net and the learning rule that
    Hochreiter & Schmidhuber (1997) measured: memory cells without a forget
    gate, no biases, truncated real-time recurrent learning and plain gradient
    descent. All trials of a row train side by side in one compiled TensorFlow
    function; `lstm_lab/online.py` runs the protocol, `lstm_lab/net_1997.py`
    gives the nets and their initial weights, `lstm_lab/step_1997.py` the
    step, the learning rule and a sequence's loop, and
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

import numpy as np
import tensorflow as tf

from lstm_lab import net_1997, online, regimes, step_1997, tasks, tf_ops

PLATEAU_WINDOW = 100  # sequences per window of the plateau rule
PROBE = 16  # sequences of a judgement's part judged first, for every run
JUDGE_CHUNK = 64  # Task 2c's test sequences per run in one loop, sorted by length
NAMES = step_1997.NAMES


"""
## Training: `n_sequences` sequences for every run in one compiled call

Each run reads its own sequence, padded with PAD after its end; a run's state
stops changing after its own sequence's end. The weights are held in a
`step_1997` form for the whole call: "gathered" (the default) leaves out what
the one-hot inputs make zero; "one-hot" is the equations' own form, kept as
the plain path that tests and benchmarks/bench_1997.py compare it with.
"""


@functools.lru_cache(maxsize=16)
def compile_1997_training(
    net,
    n_runs,
    n_sequences,
    width,
    per_step,
    error_at_end,
    offset,
    form="gathered",
    last_only=(),
):
    """Compiled on-line training of every run on its n_sequences sequences.

    error_at_end: Task 2c's error at the last step, else one at every step.
    Targets are one hot (next symbol - offset). form: a step_1997.FORMS name.
    last_only (2a and 2b): the outputs whose errors count at the last step
    only (step_1997.middle_weights). Returns the new weights and each run's
    summed squared error over the call's judged steps.
    """
    form = step_1997.FORMS[form](net)

    @tf.function(jit_compile=True)
    def train_on_sequences(weights, sequences, active, cell_on, rate, last_weight):
        sequences = tf.cast(sequences, tf.int32)
        n_inputs = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), -1) - 1
        # Runs that have finished learn nothing: their rate is 0.
        run_rate = rate * tf.cast(active, tf.float32)[:, None, None]

        if error_at_end:
            learn = functools.partial(step_1997.train_at_end, offset=offset)
        else:
            middle = step_1997.middle_weights(net, last_only)
            learn = functools.partial(
                step_1997.train_every_step, per_step=per_step, middle=middle
            )

        def one_sequence(i, w, loss):
            seq, n_in = sequences[:, i], n_inputs[:, i]
            w, loss = learn(
                form, w, seq, n_in, cell_on, run_rate, last_weight, width, loss
            )
            return i + 1, w, loss

        _, weights, loss = tf.while_loop(
            lambda i, *_: i < n_sequences,
            one_sequence,
            (tf.constant(0), form.hold(weights), tf.zeros((n_runs,))),
        )
        return form.release(weights), loss

    return train_on_sequences


"""
## Judging: outputs at the judged steps of many sequences, forward only
"""


# Judging compiles one shape per bucketed stack size and part size (the probe,
# the rest of a first part, the rest of a later part).
@functools.lru_cache(maxsize=64)
def compile_1997_outputs(net, n_runs, batch, width, every_step, form="gathered"):
    """Compiled: outputs (R, B, T, K) at every step, or (R, B, 1, K) at the last.

    The gathered form keeps no traces here (judging learns nothing); the
    one-hot form computes them as the training step does, as it always had.
    """
    traces = form == "one-hot"
    form = step_1997.FORMS[form](net)

    @tf.function(jit_compile=True)
    def outputs(weights, sequences, cell_on):
        return _forward(
            form, form.hold(weights), sequences, cell_on, every_step, traces
        )

    return outputs


def _forward(form, w, sequences, cell_on, every_step, traces):
    """The outputs of sequences (R, B, W), forward only, at every step or the last."""
    sequences = tf.cast(sequences, tf.int32)
    n_inputs = tf.reduce_sum(tf.cast(sequences != tasks.PAD, tf.int32), -1) - 1
    batch_shape, width = tuple(sequences.shape[:2]), sequences.shape[2]
    steps = tf.TensorArray(tf.float32, size=width - 1 if every_step else 1)
    last = tf.zeros(batch_shape + (form.net.n_out,))

    def body(t, state, last, steps):
        live = t < n_inputs
        x = sequences[:, :, t]
        state, values = step_1997.step(form, w, x, state, live, cell_on, traces)
        if every_step:
            steps = steps.write(t, values.y_k)
        last = tf.where(live[..., None], values.y_k, last)
        return t + 1, state, last, steps

    state = step_1997.zero_state(form, batch_shape, traces)
    _, _, last, steps = tf.while_loop(
        lambda t, *_: t < tf.reduce_max(n_inputs),
        body,
        (tf.constant(0), state, last, steps),
        maximum_iterations=width - 1,
    )
    if every_step:
        return tf.transpose(steps.stack(), [1, 2, 0, 3])
    return last[:, :, None, :]


@functools.lru_cache(maxsize=64)
def compile_1997_worst_at_end(net, n_runs, batch, width, chunk, offset, threshold):
    """Compiled, Task 2c: each run's worst error at the sequences' last step.

    The sequences (R, B, W) come sorted by length, longest first, and are
    judged `chunk` per run at a time, each chunk's loop ending at its longest
    sequence. Judging stops once every run's worst error has reached
    `threshold`: each has failed, whatever the rest would show. A run's
    result is then a worst error at least `threshold`, the verdict the whole
    batch gives. Targets are one hot (symbol after the last input - offset).
    """
    if batch % chunk:
        raise ValueError(f"chunk {chunk} must divide the batch {batch}")
    form, n_chunks = step_1997.Gathered(net), batch // chunk

    @tf.function(jit_compile=True)
    def worst_at_end(weights, sequences, cell_on):
        w = form.hold(weights)
        sequences = tf.cast(sequences, tf.int32)
        parts = tf.reshape(sequences, (n_runs, n_chunks, chunk, width))

        def one_chunk(j, worst):
            part = parts[:, j]
            y = _forward(form, w, part, cell_on, False, False)[:, :, 0]
            n_in = tf.reduce_sum(tf.cast(part != tasks.PAD, tf.int32), -1) - 1
            target = tf.one_hot(tf.gather(part, n_in, batch_dims=2) - offset, net.n_out)
            error = tf.abs(y - target)
            # As tasks.max_error: an output that is not finite is the worst.
            error = tf.where(tf.math.is_finite(error), error, np.inf)
            return j + 1, tf.maximum(worst, tf.reduce_max(error, axis=[1, 2]))

        _, worst = tf.while_loop(
            lambda j, worst: (j < n_chunks) & tf.reduce_any(worst < threshold),
            one_chunk,
            (tf.constant(0), tf.zeros(n_runs)),
        )
        return worst

    return worst_at_end


"""
## The method
"""


def plateaued(window_means):
    """The plateau rule: this window's mean error is no lower than the last one's."""
    return len(window_means) >= 2 and window_means[-1] >= window_means[-2]


class Trainer1997(online.Trainer):
    """The 1997 net on Task 2a, 2b or 2c; every run a row of one stack."""

    def __init__(self, task, lag, distractors, settings, n_test, form="gathered"):
        tasks.task_sequences(np.random.default_rng(0), task, lag, 1, distractors)
        settings.check(task)
        if task == "2c":
            distractors = tasks.distractors_of(lag, distractors)
        self.net = net_1997.task_net(
            task, lag, distractors, *settings.squashing(task), settings.cells
        )
        # The x and y outputs' errors count at the last step only, if asked.
        self.last_only = net_1997.xy_outputs(task, lag) if settings.xy_last_only else ()
        self.fixed = tasks.lag_sequences(lag) if task != "2c" else None
        self.task, self.lag, self.distractors = task, lag, distractors
        self.settings, self.n_test = settings, n_test
        self.form = form  # a step_1997.FORMS name: how the weights are held
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
            self.form,
            self.last_only,
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
        cell_on = tf.constant(self.cell_on[rows])
        if self.task == "2c" and self.form == "gathered":
            return self._worst_2c(stack, sequences, cell_on)[:n]
        outputs = compile_1997_outputs(
            self.net, len(rows), *sequences.shape[1:], every_step, self.form
        )(stack, tf.constant(sequences), cell_on)
        outputs = outputs.numpy()[:n]
        targets = self.judged_targets(sequences[:n])
        mask = np.ones(outputs.shape[:-1], dtype=bool)
        return np.asarray(tasks.max_error(outputs, targets, mask)).max(axis=1)

    def _worst_2c(self, stack, sequences, cell_on):
        """Task 2c's worst errors (compile_1997_worst_at_end). A worst error
        does not depend on the order of the sequences, nor on repeats of one:
        they go longest first, where the drift is largest, and padded to
        whole chunks."""
        lengths = (sequences != tasks.PAD).sum(-1)
        order = np.argsort(-lengths, axis=1, kind="stable")
        sequences = np.take_along_axis(sequences, order[..., None], axis=1)
        chunk = min(JUDGE_CHUNK, sequences.shape[1])
        sequences = online.pad_sequences(
            sequences, -(-sequences.shape[1] // chunk) * chunk
        )
        judge = compile_1997_worst_at_end(
            self.net,
            len(sequences),
            *sequences.shape[1:],
            chunk,
            self.offset,
            self.threshold,
        )
        return judge(stack, tf.constant(sequences), cell_on).numpy()

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
            # Early in training nearly every run fails within a few sequences:
            # the rest of a part is judged only for the runs that pass those.
            # The part is drawn whole, so this changes no draw and no verdict.
            return online.probe_first(
                self._worst, runs[which], sequences, PROBE, self.threshold
            )

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
