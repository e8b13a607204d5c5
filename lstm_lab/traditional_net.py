"""
Title: The paper's baselines: a traditional recurrent net, trained by RTRL or BPTT
Author: the lstm-memory project contributors
Date created: 2026/12/07
Last modified: 2026/12/07
Description: Table 2's RTRL and BPTT rows of Hochreiter & Schmidhuber (1997),
    on the net its section 5.2 ("Architectures") gives them, on Task 2a. All
    trials of a row train side by side in one compiled TensorFlow function,
    many sequences per call; `lstm_lab/online.py` runs the protocol and
    `lstm_lab/references/numpy_traditional.py` is the reference it is tested
    against.

## The net

n = p + 1 one hot inputs; one self-recurrent logistic hidden unit, which
reads the inputs and its own previous output; n logistic output units, which
read the hidden unit and the inputs (each layer reads every layer below); no
biases; weights from U[-0.2, 0.2]. Weights: n^2 (input to output) + n (hidden
to output) + 1 (the self-loop) + n (input to hidden): 36 at p = 4, 144 at
p = 10, 10,404 at p = 100, as Table 2 prints. The hidden unit's output starts
at 0 for each sequence (the paper resets the activations after each).

## The learning rules

The error is the squared error at every step's outputs, with the paper's
eq. 19 convention (the 1997 method's default): e_k = f'(net_k)(t_k - y_k),
the gradient of half the squared error, so the learning rate means the
paper's.

- `rtrl`: exact real-time recurrent learning (Williams & Zipser). The hidden
  unit carries forward its sensitivities dh/dw to its own weights (its input
  weights and its self-loop), and every step changes every weight: the output
  units' weights by that step's e_k and what they read, the hidden unit's by
  sum_k w_kh e_k times its sensitivities.
- `bptt`: back-propagation through time over each whole sequence: the
  gradient of the sum of all steps' errors, one weight change at the
  sequence's end.

A one hot input reads one row of each input matrix, so a step gathers that
row instead of multiplying by the one hot vector, and the changes to the
input weights go to that row alone; everything else is the method as stated.
"""

import functools
import typing

import numpy as np
import tensorflow as tf

from lstm_lab import online, regimes, tasks, tf_ops

INIT_RANGE = 0.2  # section 5.2: weights start uniform in [-0.2, 0.2]
METHODS = ("rtrl", "bptt")


class Net(typing.NamedTuple):
    """The traditional net at lag p: n_symbols = p + 1 inputs and outputs."""

    n_symbols: int

    def shapes(self):
        """The weights, in the order they are drawn: input to hidden (n,), the
        self-loop (), hidden to output (n,), input to output (n inputs, n
        outputs: one row per input symbol)."""
        n = self.n_symbols
        return {"w_ih": (n,), "w_hh": (), "w_ho": (n,), "w_io": (n, n)}

    def n_weights(self):
        return sum(int(np.prod(s)) for s in self.shapes().values())


def task_net(lag):
    tasks.lag_sequences(lag)  # checks the lag
    return Net(lag + 1)


def initial_weights(net, seed):
    """Run `seed`'s weights: uniform in [-INIT_RANGE, INIT_RANGE], each in
    Net.shapes' order (a matrix row by row) from the run's "weights" stream."""
    rng = tasks.stream(seed, "weights")
    return {
        name: rng.uniform(-INIT_RANGE, INIT_RANGE, shape)
        for name, shape in net.shapes().items()
    }


"""
## One step, for every run at once (R runs; the weights stacked on axis 0)
"""


def _rows(matrix, symbols):
    """Each run's row `symbols[r]` of its matrix (R, n, ...): the one hot product."""
    return tf.gather(matrix, symbols, batch_dims=1)


def _add_rows(matrix, symbols, rows):
    """matrix (R, n, ...) plus rows (R, ...) at each run's row symbols[r]."""
    index = tf.stack([tf.range(tf.shape(symbols)[0]), symbols], axis=1)
    return tf.tensor_scatter_nd_add(matrix, index, rows)


def _forward(w, x, h_prev):
    """The hidden unit (R,), its derivative, and the outputs (R, n) for inputs x."""
    h = tf.sigmoid(_rows(w["w_ih"], x) + w["w_hh"] * h_prev)
    y = tf.sigmoid(_rows(w["w_io"], x) + w["w_ho"] * h[:, None])
    return h, h * (1 - h), y


def _output_error(y, target, n):
    """e_k = f'(net_k)(t_k - y_k) (eq. 19) and each run's squared error."""
    diff = tf.one_hot(target, n) - y
    return y * (1 - y) * diff, tf.reduce_sum(diff**2, -1)


def _rtrl_sequence(w, seq, rate, n):
    """One sequence per run (R, n) with exact RTRL: a change at every step."""
    n_runs = seq.shape[0]

    def step(t, w, h, p_ih, p_hh, loss):
        x = seq[:, t]
        h_new, h_prime, y = _forward(w, x, h)
        # dh/dw carried forward with this step's weights: the direct term (the
        # input row read, the previous output) and the self-loop's chain.
        p_ih = h_prime[:, None] * (tf.one_hot(x, n) + w["w_hh"][:, None] * p_ih)
        p_hh = h_prime * (h + w["w_hh"] * p_hh)
        e, step_loss = _output_error(y, seq[:, t + 1], n)
        back = tf.reduce_sum(w["w_ho"] * e, -1)  # sum_k w_kh e_k
        w = {
            "w_io": _add_rows(w["w_io"], x, rate[:, None] * e),
            "w_ho": w["w_ho"] + rate[:, None] * e * h_new[:, None],
            "w_ih": w["w_ih"] + (rate * back)[:, None] * p_ih,
            "w_hh": w["w_hh"] + rate * back * p_hh,
        }
        return t + 1, w, h_new, p_ih, p_hh, loss + step_loss

    zero = tf.zeros((n_runs,))
    start = (tf.constant(0), w, zero, tf.zeros((n_runs, n)), zero, zero)
    _, w, *_, loss = tf.while_loop(lambda t, *_: t < n - 1, step, start)
    return w, loss


def _bptt_sequence(w, seq, rate, n):
    """One sequence per run (R, n) with BPTT: the whole sequence's gradient,
    one change at its end."""
    n_runs, steps = seq.shape[0], n - 1

    def forward(t, h, d_io, d_ho, backs, slopes, prevs, loss):
        x = seq[:, t]
        h_new, h_prime, y = _forward(w, x, h)
        e, step_loss = _output_error(y, seq[:, t + 1], n)
        d_io = _add_rows(d_io, x, e)
        d_ho = d_ho + e * h_new[:, None]
        backs = backs.write(t, tf.reduce_sum(w["w_ho"] * e, -1))
        return (
            t + 1,
            h_new,
            d_io,
            d_ho,
            backs,
            slopes.write(t, h_prime),
            prevs.write(t, h),
            loss + step_loss,
        )

    zero = tf.zeros((n_runs,))
    arrays = [tf.TensorArray(tf.float32, size=steps) for _ in range(3)]
    start = (tf.constant(0), zero, tf.zeros_like(w["w_io"]), tf.zeros_like(w["w_ho"]))
    _, _, d_io, d_ho, backs, slopes, prevs, loss = tf.while_loop(
        lambda t, *_: t < steps, forward, (*start, *arrays, zero)
    )

    def backward(t, delta_next, d_ih, d_hh):
        # The error reaching h(t): from the outputs at t, and through the
        # self-loop from h(t + 1)'s net input.
        delta = slopes.read(t) * (backs.read(t) + w["w_hh"] * delta_next)
        d_ih = _add_rows(d_ih, seq[:, t], delta)
        return t - 1, delta, d_ih, d_hh + delta * prevs.read(t)

    _, _, d_ih, d_hh = tf.while_loop(
        lambda t, *_: t >= 0,
        backward,
        (tf.constant(steps - 1), zero, tf.zeros_like(w["w_ih"]), zero),
    )
    change = {"w_io": d_io, "w_ho": d_ho, "w_ih": d_ih, "w_hh": d_hh}
    scale = {"w_io": rate[:, None, None], "w_ho": rate[:, None], "w_ih": rate[:, None]}
    return {k: w[k] + scale.get(k, rate) * change[k] for k in w}, loss


@functools.lru_cache(maxsize=16)
def compile_training(method, n_symbols, n_runs, n_sequences):
    """Compiled on-line training of every run on its n_sequences sequences
    (R, S, n): the new weights and each run's summed squared error."""
    learn = {"rtrl": _rtrl_sequence, "bptt": _bptt_sequence}[method]

    @tf.function(jit_compile=True)
    def train(weights, sequences, active, rate):
        # Runs that have finished learn nothing: their rate is 0.
        run_rate = rate * tf.cast(active, tf.float32)

        def one_sequence(i, w, loss):
            w, seq_loss = learn(w, sequences[:, i], run_rate, n_symbols)
            return i + 1, w, loss + seq_loss

        _, weights, loss = tf.while_loop(
            lambda i, *_: i < n_sequences,
            one_sequence,
            (tf.constant(0), weights, tf.zeros((n_runs,))),
        )
        return weights, loss

    return train


@functools.lru_cache(maxsize=16)
def compile_outputs(n_symbols, n_runs, batch):
    """Compiled: every run's outputs (R, B, n - 1, n) on the same B sequences (B, n)."""

    @tf.function(jit_compile=True)
    def outputs(weights, sequences):
        w = {k: tf.repeat(v, batch, axis=0) for k, v in weights.items()}
        seq = tf.tile(sequences, [n_runs, 1])  # run-major, as the repeat
        h = tf.zeros((n_runs * batch,))
        steps = []
        for t in range(n_symbols - 1):
            h, _, y = _forward(w, seq[:, t], h)
            steps.append(y)
        return tf.reshape(tf.stack(steps, 1), (n_runs, batch, n_symbols - 1, -1))

    return outputs


"""
## The method, for online.train_online
"""


class TrainerTraditional(online.Trainer):
    """The traditional net on Task 2a by `method` (rtrl or bptt); every run a
    row of one stack."""

    def __init__(self, method, lag, settings):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        self.net = task_net(lag)
        self.method, self.settings = method, settings
        self.fixed = tasks.lag_sequences(lag)
        self.rate = tf.constant(settings.learning_rate, tf.float32)

    def start(self, seeds):
        inits = [initial_weights(self.net, s) for s in seeds]
        self.weights = {
            k: tf.constant(np.stack([w[k] for w in inits]), tf.float32)
            for k in self.net.shapes()
        }
        self.n_runs = len(seeds)

    def train_chunk(self, rngs, active, n):
        runs = np.flatnonzero(active)
        sequences = np.stack(
            [tasks.draw_task(rngs[r], "2a", self.fixed, n) for r in runs]
        )
        # Finished runs get the first active run's sequences, and ignore them.
        full = np.repeat(sequences[:1], self.n_runs, axis=0)
        full[active] = sequences
        train = compile_training(self.method, self.net.n_symbols, self.n_runs, n)
        self.weights, loss = train(
            self.weights,
            tf.constant(full, tf.int32),
            tf.constant(active),
            self.rate,
        )
        self.loss = loss.numpy()
        return np.asarray(tf_ops.finite_runs(self.weights))

    def outputs(self):
        """Every run's outputs on the two sequences (R, 2, p, n)."""
        compiled = compile_outputs(self.net.n_symbols, self.n_runs, 2)
        return compiled(self.weights, tf.constant(self.fixed, tf.int32)).numpy()

    def judge(self, runs, rngs):
        """Task 2a's criterion: both sequences, every output at every step
        within 0.25 of its target (the trained net is deterministic, so that
        is the same as 10,000 draws)."""
        outputs = self.outputs()[runs]
        targets = np.eye(self.net.n_symbols)[self.fixed[:, 1:]]
        targets = np.repeat(targets[None], len(runs), 0)
        mask = np.ones(outputs.shape[:-1], dtype=bool)
        worst = np.asarray(tasks.max_error(outputs, targets, mask)).max(axis=1)
        return worst < tasks.PAPER_THRESHOLD, np.isinf(worst)


def train_traditional(seeds, method, lag, settings=None, progress=None):
    """Train one traditional net per seed on Task 2a at `lag` by `method`
    (rtrl or bptt), side by side, until each meets the criterion.

    settings: regimes.SettingsRTRL or SettingsBPTT (default: the method's).
    Returns the `online.Outcome`.
    """
    if settings is None:
        settings = {"rtrl": regimes.SettingsRTRL, "bptt": regimes.SettingsBPTT}.get(
            method, regimes.SettingsRTRL
        )()
    trainer = TrainerTraditional(method, lag, settings)
    return online.train_online(
        trainer, seeds, settings.max_sequences, settings.judge_every, progress
    )
