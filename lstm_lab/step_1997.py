"""
Title: One step of the paper's 1997 net and its learning rule, in two forms
Author: the lstm-memory project contributors
Date created: 2026/12/07
Last modified: 2026/12/07
Description: The forward step, the truncated-RTRL traces, the appendix's
    weight changes and a sequence's training loop, for
    `lstm_lab/method_1997.py`, written once against a *form*: how the inputs
    and the weights are held. `OneHot` is the equations' own form, every
    product dense over every source; `Gathered` gives the same numbers
    without the products that a one-hot input makes zero.

## Why two forms

Every input of Experiment 2 is one hot: at each step it selects one column of
each weight matrix that reads the inputs, and every other column's product is
zero. `OneHot` multiplies anyway, so a step of the Task 2a net at p = 100
touches all 10,504 weights, and a step of Task 2c's cells touches every
column of their traces. `Gathered` holds each matrix as its input rows
(transposed, so a row is one input's weights) beside the rest, gathers the one
row an input selects, and scatters a change into that row only. The method is
the same: the same sums, with the zeros left out. A sum of several nonzero
terms (a cell's net input, which reads the inputs and the recurrent units) may
be added in another order, which can change its last bit; docs/paper/speed.md
says where that changed a count.

Shapes: runs R, then any batch axes (...), cells C, sources M, outputs K.
"""

import typing

import tensorflow as tf

from lstm_lab import net_1997

NAMES = ("w_c", "w_in", "w_out", "w_k")  # the weight matrices, net_1997.Net.shapes


def _squash(name, x):
    """(value, derivative) of the net_1997.SQUASH function `name` at x."""
    if net_1997.SQUASH[name] is None:
        return x, tf.ones_like(x)
    low, scale = net_1997.SQUASH[name]
    sig = tf.sigmoid(x)
    return low + scale * sig, scale * sig * (1 - sig)


class State(typing.NamedTuple):
    """What a step carries to the next."""

    s: object  # the cells' states (R, ..., C)
    rec: object  # the cells' and gates' outputs, read back if recurrent
    d_in: object  # ds/dw_in, carried forward (truncated RTRL), in the form's layout
    d_c: object  # ds/dw_c


class StepValues(typing.NamedTuple):
    """What one step computed, which the learning rule reads."""

    u: object  # what the cells and gates read, in the form's layout
    y_in: object  # input gates (R, ..., C)
    y_out: object  # output gates (ones without them)
    h: object  # h(s)
    h_prime: object  # h'(s)
    read: object  # what the output units read, in the form's layout
    y_k: object  # the outputs (R, ..., K)


class OneHot:
    """The equations' own form: inputs one hot, matrices (R, rows, sources)."""

    def __init__(self, net):
        self.net = net

    def hold(self, w):
        """The weights, as stored (a dict of (R, rows, sources)), in this form."""
        return dict(w)

    def release(self, w):
        return dict(w)

    def sources(self, x, rec):
        """What the cells and gates read: x (R, ...) ints, PAD (-1) reads zeros."""
        x = tf.one_hot(x, self.net.n_in)
        return tf.concat([x, rec], axis=-1) if self.net.recurrent else x

    def read(self, y_c, x):
        """What the output units read: the cells, and the inputs if direct."""
        if self.net.direct:
            return tf.concat([y_c, tf.one_hot(x, self.net.n_in)], axis=-1)
        return y_c

    def zero_trace(self, batch_shape):
        return tf.zeros(batch_shape + (self.net.n_cells, self.net.n_sources))

    def mix(self, w, u):
        """Each row's net input: w (R, rows, M) times u (R, ..., M)."""
        return tf.einsum("rcm,r...m->r...c", w, u)

    def outer(self, acc, coef, u, scale=None):
        """acc + scale * (coef outer u); coef (R, rows), u (R, M)."""
        delta = coef[..., None] * u[..., None, :]
        return acc + (delta if scale is None else scale * delta)

    def through(self, acc, coef, trace, scale):
        """acc + scale * coef * trace: a change carried by a trace (R, C, M)."""
        return acc + scale * (coef[..., None] * trace)


class Gathered:
    """One-hot inputs as their indices; each matrix as (input rows, the rest).

    The input rows are (R, n_in, rows): row i holds what input i feeds to every
    unit, so an input gathers one row and a change scatters into one row. The
    rest is (R, rows, others): the recurrent units for the cells and gates, the
    cells for the outputs.
    """

    def __init__(self, net):
        self.net = net
        C, n_in = net.n_cells, net.n_in
        # Where each matrix's input columns sit: the cells and gates read
        # (inputs, recurrent units), the outputs (cells, inputs if direct).
        self.columns = {name: slice(0, n_in) for name in ("w_c", "w_in", "w_out")} | {
            "w_k": slice(C, C + n_in if net.direct else C)
        }

    def hold(self, w):
        held = {}
        for name in NAMES:
            cols = self.columns[name]
            inputs = w[name][..., cols]
            rest = tf.concat(
                [w[name][..., : cols.start], w[name][..., cols.stop :]], -1
            )
            held[name] = (tf.transpose(inputs, [0, 2, 1]), rest)
        return held

    def release(self, w):
        released = {}
        for name in NAMES:
            inputs, rest = w[name]
            start = self.columns[name].start
            parts = [
                rest[..., :start],
                tf.transpose(inputs, [0, 2, 1]),
                rest[..., start:],
            ]
            released[name] = tf.concat(parts, -1)
        return released

    def sources(self, x, rec):
        # A step after a sequence's end (PAD) changes nothing (its `live` is
        # False), so it may read any row: row 0.
        return tf.maximum(x, 0), rec

    def read(self, y_c, x):
        return tf.maximum(x, 0), y_c

    def zero_trace(self, batch_shape):
        net = self.net
        rest = net.n_sources - net.n_in
        return (
            tf.zeros(batch_shape + (net.n_in, net.n_cells)),
            tf.zeros(batch_shape + (net.n_cells, rest)),
        )

    def mix(self, w, u):
        inputs, rest = w
        x, others = u
        z = tf.einsum("rcm,r...m->r...c", rest, others) if rest.shape[-1] else None
        if inputs.shape[1]:
            picked = tf.gather(inputs, x, batch_dims=1)
            z = picked if z is None else picked + z
        return z

    def outer(self, acc, coef, u, scale=None):
        inputs, rest = acc
        x, others = u
        delta = coef[..., None] * others[..., None, :]
        rest = rest + (delta if scale is None else scale * delta)
        if inputs.shape[1]:
            # coef times the one hot input: coef itself, in row x of each run.
            change = coef if scale is None else scale[:, :, 0] * coef
            rows = tf.stack([tf.range(tf.shape(x)[0], dtype=x.dtype), x], axis=-1)
            inputs = tf.tensor_scatter_nd_add(inputs, rows, change)
        return inputs, rest

    def through(self, acc, coef, trace, scale):
        (inputs, rest), (t_inputs, t_rest) = acc, trace
        return (
            inputs + scale * (coef[..., None, :] * t_inputs),
            rest + scale * (coef[..., None] * t_rest),
        )


FORMS = {"one-hot": OneHot, "gathered": Gathered}


def _on(cell_on, like):
    """cell_on (R,) as a float broadcast to `like`'s rank."""
    shape = [-1] + [1] * (len(like.shape) - 1)
    return tf.reshape(tf.cast(cell_on, tf.float32), shape)


def zero_state(form, batch_shape, traces=True):
    """The state before a sequence; without traces (judging) they stay empty."""
    net = form.net
    C = net.n_cells
    empty = tf.zeros(())
    return State(
        tf.zeros(batch_shape + (C,)),
        tf.zeros(batch_shape + ((net.n_units,) if net.recurrent else (0,))),
        form.zero_trace(batch_shape) if traces else empty,
        form.zero_trace(batch_shape) if traces else empty,
    )


def zero_values(form, batch_shape):
    """Step values of no step: zeros, in the form's layout."""
    net = form.net
    C = net.n_cells
    x = tf.fill(batch_shape, -1)
    rec = tf.zeros(batch_shape + ((net.n_units,) if net.recurrent else (0,)))
    return StepValues(
        form.sources(x, rec),
        *(tf.zeros(batch_shape + (C,)) for _ in range(4)),
        form.read(tf.zeros(batch_shape + (C,)), x),
        tf.zeros(batch_shape + (net.n_out,)),
    )


def step(form, w, x, state, live, cell_on, traces=True):
    """The forward step and, if `traces`, the truncated-RTRL traces: (State, StepValues).

    w: the weights held in `form`; x: the inputs (R, ...) as symbol indices
    (PAD after a sequence's end); live: where the sequence has not ended;
    cell_on: (R,) whether the cell has been added.
    """
    net = form.net
    u = form.sources(x, state.rec)
    y_in = tf.sigmoid(form.mix(w["w_in"], u))
    g, g_prime = _squash(net.g, form.mix(w["w_c"], u))
    if net.out_gates:
        y_out = tf.sigmoid(form.mix(w["w_out"], u))
    else:
        y_out = tf.ones_like(y_in)
    grow = tf.cast(live[..., None], tf.float32) * _on(cell_on, y_in)
    s = state.s + grow * y_in * g
    d_in, d_c = state.d_in, state.d_c
    if traces:
        # Truncation: u counts as a constant, so these are the whole derivatives.
        d_in = form.outer(d_in, grow * g * y_in * (1 - y_in), u)
        d_c = form.outer(d_c, grow * y_in * g_prime, u)
    h, h_prime = _squash(net.h, s)
    y_c = _on(cell_on, y_in) * y_out * h
    read = form.read(y_c, x)
    y_k = tf.sigmoid(form.mix(w["w_k"], read))
    rec = state.rec
    if net.recurrent:
        new_rec = tf.concat([y_c, y_in] + ([y_out] if net.out_gates else []), axis=-1)
        rec = tf.where(live[..., None], new_rec, rec)
    return State(s, rec, d_in, d_c), StepValues(u, y_in, y_out, h, h_prime, read, y_k)


def cell_columns(form, w_k):
    """The output weights from the cells (R, K, C), in either form."""
    if isinstance(form, Gathered):
        return w_k[1]
    return w_k[:, :, : form.net.n_cells]


def learn(form, w, into, scale, cell_on, state, values, target, weight):
    """The appendix's weight changes for one judged step, added to `into`
    times `scale` (R, 1, 1); and the step's squared error.

    The changes are computed from the weights `w`; `into` is w itself (a
    change at every step) or the sums of a sequence's changes. target (R, K);
    weight (R,) or, per output, (R, K): how many times this step's error counts.
    """
    y_k = values.y_k
    if len(weight.shape) == 1:
        weight = weight[:, None]
    error = weight * y_k * (1 - y_k) * (target - y_k)  # e_k
    loss = tf.reduce_sum(weight * (target - y_k) ** 2, -1)
    on = _on(cell_on, values.y_in)
    back = tf.einsum(
        "rkc,rk->rc", cell_columns(form, w["w_k"]), error
    )  # sum_k w_kc e_k
    e_s = on * values.y_out * values.h_prime * back
    new = dict(into)
    # Before the cell is added its output, and so its column of `read`, is
    # 0: the cell's weights to the outputs do not change.
    new["w_k"] = form.outer(into["w_k"], error, values.read, scale)
    new["w_in"] = form.through(into["w_in"], e_s, state.d_in, scale)
    new["w_c"] = form.through(into["w_c"], e_s, state.d_c, scale)
    if form.net.out_gates:
        e_out = on * values.y_out * (1 - values.y_out) * values.h * back
        new["w_out"] = form.outer(into["w_out"], e_out, values.u, scale)
    return new, loss


def learn_sequence(form, w, seq, n_in, cell_on, last_weight, middle=None):
    """A whole sequence's summed weight changes for a net that reads only its
    inputs (Tasks 2a and 2b), every step at once; and each step's squared error.
    middle: each output's weight before the last step (`middle_weights`).

    With the weights fixed for the sequence (one change per sequence) and no
    recurrent units, no step's cell or gates depend on another step's outputs:
    the state is a running sum of the steps' increments, and each trace a
    running sum of its steps' changes. So the step loop becomes a few ops over
    (R, T, ...) arrays; the sums are the loop's, added in another order. `form`
    must be `Gathered`; seq (R, W), n_in (R,). Returns (sums in the form's
    layout, step errors (R, T)).
    """
    net = form.net
    if net.recurrent or net.out_gates or not isinstance(form, Gathered):
        raise ValueError("learn_sequence is for the gathered form of a 2a/2b net")
    T = seq.shape[1] - 1
    x = tf.maximum(seq[:, :T], 0)
    steps = tf.range(T)[None]
    live = tf.cast(steps < n_in[:, None], tf.float32)  # (R, T)
    on = _on(cell_on, live[..., None])  # (R, 1, 1)
    x_in, x_c, (x_k, k_cells) = w["w_in"][0], w["w_c"][0], w["w_k"]
    y_in = tf.sigmoid(tf.gather(x_in, x, batch_dims=1))  # (R, T, C)
    g, g_prime = _squash(net.g, tf.gather(x_c, x, batch_dims=1))
    grow = live[..., None] * on
    # The cell's state after each step: the running sum of its increments.
    s = tf.cumsum(grow * y_in * g, axis=1)
    h, h_prime = _squash(net.h, s)
    y_c = on * h  # no output gate
    z_k = tf.einsum("rkc,rtc->rtk", k_cells, y_c)
    y_k = tf.sigmoid(tf.gather(x_k, x, batch_dims=1) + z_k)  # (R, T, K)
    target = tf.one_hot(seq[:, 1:], net.n_out)
    last = tf.equal(steps, n_in[:, None] - 1)
    weight = tf.where(last, last_weight, 1.0) * live
    if middle is None:
        weight = weight[..., None]
    else:
        weight = tf.where(last[..., None], last_weight, middle) * live[..., None]
    error = weight * y_k * (1 - y_k) * (target - y_k)  # e_k
    loss = tf.reduce_sum(weight * (target - y_k) ** 2, -1)
    back = tf.einsum("rkc,rtk->rtc", k_cells, error)
    e_s = on * h_prime * back  # (R, T, C)
    # Step t's change is e_s(t) times the trace, the sum of the changes of
    # steps 1..t at the rows their inputs selected. Summed over t, step
    # tau's row gains its change times the sum of e_s over steps tau..T.
    later = tf.cumsum(e_s, axis=1, reverse=True)
    rows = tf.stack([tf.broadcast_to(tf.range(x.shape[0])[:, None], x.shape), x], -1)

    def into_rows(like, change):
        return tf.tensor_scatter_nd_add(tf.zeros_like(like), rows, change)

    d_in = grow * g * y_in * (1 - y_in)
    d_c = grow * y_in * g_prime
    # The cells and gates read no recurrent units, and there is no output
    # gate: those matrices are empty, and their sums zero.
    zeros = tf.zeros_like
    sums = {
        "w_in": (into_rows(x_in, d_in * later), zeros(w["w_in"][1])),
        "w_c": (into_rows(x_c, d_c * later), zeros(w["w_c"][1])),
        "w_out": tf.nest.map_structure(zeros, w["w_out"]),
        "w_k": (
            into_rows(x_k, error),
            tf.reduce_sum(error[..., None] * y_c[:, :, None], 1),
        ),
    }
    return sums, loss


"""
## One sequence of every run, its weight changes included
"""


def middle_weights(net, last_only):
    """Each output's error weight (K,) before a sequence's last step: 0 for
    the outputs in `last_only`, whose errors count at the last step only, and
    1 for the rest; None (every output 1, the paper's) when there are none."""
    if not last_only:
        return None
    return tf.constant([0.0 if k in last_only else 1.0 for k in range(net.n_out)])


def _add(w, delta, scale):
    return tf.nest.map_structure(lambda a, b: a + scale * b, w, delta)


def train_every_step(
    form, w, seq, n_in, cell_on, rate, last_weight, width, loss, per_step, middle
):
    """Tasks 2a and 2b: one sequence per run (R, W), an error at every step;
    middle: each output's weight before the last step (`middle_weights`).

    Returns the new weights, and `loss` plus each run's squared error.
    """
    net, n_runs = form.net, seq.shape[0]
    if not per_step and isinstance(form, Gathered):
        sums, step_loss = learn_sequence(
            form, w, seq, n_in, cell_on, last_weight, middle
        )
        # The errors summed in the order of the steps, as the loop adds them.
        loss = tf.cumsum(tf.concat([loss[:, None], step_loss], 1), axis=1)[:, -1]
        return _add(w, sums, rate), loss
    sums = tf.nest.map_structure(tf.zeros_like, w)
    ones = tf.ones_like(rate)

    def one_step(t, w, sums, state, loss):
        live = t < n_in
        state, values = step(form, w, seq[:, t], state, live, cell_on)
        target = tf.one_hot(seq[:, t + 1], net.n_out)
        # The last step's error counts last_weight times (1: the paper's).
        weight = tf.where(tf.equal(t, n_in - 1), last_weight, 1.0)
        weight *= tf.cast(live, tf.float32)
        if middle is not None:  # a weight per output (R, K), as learn_sequence's
            weight = tf.where(tf.equal(t, n_in - 1)[:, None], last_weight, middle)
            weight *= tf.cast(live, tf.float32)[:, None]
        if per_step:
            w, step_loss = learn(
                form, w, w, rate, cell_on, state, values, target, weight
            )
        else:
            sums, step_loss = learn(
                form, w, sums, ones, cell_on, state, values, target, weight
            )
        return t + 1, w, sums, state, loss + step_loss

    _, w, sums, _, loss = tf.while_loop(
        lambda t, *_: t < tf.reduce_max(n_in),
        one_step,
        (tf.constant(0), w, sums, zero_state(form, (n_runs,)), loss),
        maximum_iterations=width - 1,
    )
    return (w if per_step else _add(w, sums, rate)), loss


def train_at_end(form, w, seq, n_in, cell_on, rate, last_weight, width, loss, offset):
    """Task 2c: one sequence per run, an error at its last step only, so the
    weights change after it either way; the loop carries the state and that
    step's values."""
    net, n_runs = form.net, seq.shape[0]

    def one_step(t, state, values):
        live = t < n_in  # after its end a sequence keeps its state
        state, new = step(form, w, seq[:, t], state, live, cell_on)
        values = tf.nest.map_structure(
            lambda a, b: tf.where(
                tf.reshape(live, [-1] + [1] * (len(a.shape) - 1)), a, b
            ),
            new,
            values,
        )
        return t + 1, state, values

    _, state, values = tf.while_loop(
        lambda t, *_: t < tf.reduce_max(n_in),
        one_step,
        (
            tf.constant(0),
            zero_state(form, (n_runs,)),
            zero_values(form, (n_runs,)),
        ),
        maximum_iterations=width - 1,
    )
    last = tf.gather(seq, n_in, batch_dims=1)
    target = tf.one_hot(last - offset, net.n_out)
    weight = tf.fill((n_runs,), last_weight)
    w, step_loss = learn(form, w, w, rate, cell_on, state, values, target, weight)
    return w, loss + step_loss
