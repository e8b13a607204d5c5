"""
Title: The TensorFlow pieces that every trainer shares
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/29
Description: Keras's LSTM cell and initial weights (and its GRU's and
    SimpleRNN's, for `--cell`), binary cross-entropy and Adam, written out for
    runs stacked on a leading axis, and the finiteness check that tells a
    diverged run.

## Introduction

The trainers train many runs side by side: every weight has a leading "run"
axis S, and one batched matrix product serves every run. The equations are
Keras's own (the differential tests compare each trainer with a plain Keras
model), so each piece here is written once and used by every trainer:
`epoch_trainer` (the Extensions), `modern_2ab` and `modern_2c` (the paper's
tasks with a modern LSTM).

The order in which the terms of a sum are added fixes its float rounding, and
Adam turns a rounding difference near a zero gradient into a step of the
learning rate's size. So these functions keep one order everywhere: the same
seed gives the same counts however a trainer is arranged around them.
"""

import functools
import typing

import keras
import numpy as np
import tensorflow as tf

from lstm_lab import article, checks

# Keras's Adam defaults, which the article used. Its epsilon was 1e-8 in Keras
# 2.0 and is 1e-7 in Keras 3: `numerics` below.
LEARNING_RATE = article.LEARNING_RATE
BETA_1, BETA_2 = 0.9, 0.999
EPSILON = article.NUMERICS["keras3"][1]


class LstmWeights(typing.NamedTuple):
    """The weights of an LSTM layer and the Dense layer on top, in Keras's order.

    For stacked runs every array has a leading run axis. Keras orders the
    LSTM's gates input, forget, cell candidate, output along the last axis of
    `kernel`, `recurrent` and `bias`.
    """

    kernel: object  # (n_inputs, 4u)
    recurrent: object  # (u, 4u)
    bias: object  # (4u,)
    dense_kernel: object  # (dense inputs, n_outputs)
    dense_bias: object  # (n_outputs,)


"""
## Initial weights
"""


# The recurrent layers a trainer can use: the LSTM, and for comparison Keras's
# GRU (Keras 3's defaults: reset_after=True, so its bias is (2, 3u)) and
# SimpleRNN. LstmWeights holds any of them; only the shapes differ.
KERAS_LAYERS = {"lstm": "LSTM", "gru": "GRU", "simple": "SimpleRNN"}
CELLS = tuple(KERAS_LAYERS)


def keras_initial_weights(
    seed,
    n_inputs,
    units,
    n_outputs,
    dense_inputs=None,
    forget_bias=None,
    input_bias=None,
    cell="lstm",
):
    """The weights Keras gives an LSTM(units) and a Dense(n_outputs) after `set_random_seed(seed)`.

    Keras 3 initializers draw their seeds when the layers are constructed, so
    constructing the two layers in a model's order and building them alone
    gives the model's numbers (the tests check it against the tutorial's
    `build_model` and the references' models) without building and compiling
    a model. dense_inputs: what Dense reads (default: the LSTM's `units`).
    forget_bias and input_bias, if given, replace Keras's initial gate biases
    (1 and 0). cell "gru" or "simple" builds a GRU or a SimpleRNN instead
    (`set_gate_biases` says which biases each has).
    """
    checks.check_choice(cell, CELLS, "cell")
    keras.utils.set_random_seed(seed)
    layer = getattr(keras.layers, KERAS_LAYERS[cell])(units)
    layer.build((1, 1, n_inputs))
    dense = keras.layers.Dense(n_outputs)
    dense.build((1, units if dense_inputs is None else dense_inputs))
    kernel, recurrent, bias = layer.get_weights()
    set_gate_biases(cell, bias, units, forget_bias, input_bias)
    return LstmWeights(kernel, recurrent, bias, *dense.get_weights())


def set_gate_biases(cell, bias, units, keep_bias=None, input_bias=None):
    """Set, in place, the initial biases of the gates of Keras's `bias` array for `cell`.

    keep_bias: the gate that keeps the state: the LSTM's forget gate, the
    GRU's update gate z (h = z h_prev + (1 - z) candidate; the input side of
    its bias, bias[0]). input_bias: the LSTM's input gate, which the GRU has
    no counterpart of (z both keeps and lets in). A SimpleRNN has no gate.
    None leaves Keras's bias; a bias for a gate the cell lacks is refused.
    """
    lacks = {"gru": ("input_bias",), "simple": ("keep_bias", "input_bias")}
    given = {"keep_bias": keep_bias, "input_bias": input_bias}
    for name in lacks.get(cell, ()):
        if given[name] is not None:
            raise ValueError(f"cell {cell!r} has no gate for {name}={given[name]}")
    if cell == "lstm" and input_bias is not None:
        bias[:units] = input_bias
    if cell == "lstm" and keep_bias is not None:
        bias[units : 2 * units] = keep_bias
    if cell == "gru" and keep_bias is not None:
        bias[0, :units] = keep_bias


def cell_biases(settings):
    """(keep_bias, input_bias) of settings (its forget_bias and input_bias)
    for the gates its cell has, None for the others."""
    cell = getattr(settings, "cell", "lstm")
    keep = None if cell == "simple" else settings.forget_bias
    return keep, settings.input_bias if cell == "lstm" else None


def stack(weight_sets):
    """Per-run weight sets (named tuples of NumPy arrays) as one set of tensors (S, ...)."""
    return type(weight_sets[0])(
        *(tf.constant(np.stack(ws)) for ws in zip(*weight_sets))
    )


def unstack(weights):
    """Stacked weights as one weight set of NumPy arrays per run."""
    arrays = [np.asarray(w) for w in weights]
    return [type(weights)(*(w[r] for w in arrays)) for r in range(len(arrays[0]))]


"""
## The cell
"""


def hard_sigmoid_keras2(x):
    """Keras 2.0's hard sigmoid, the LSTM's gates in 2017 (Keras 3's is relu6(x+3)/6)."""
    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


# Keras's "sigmoid" computes tf.sigmoid: the same kernel, the same numbers.
GATES = {"sigmoid": tf.sigmoid, "hard_sigmoid_keras2": hard_sigmoid_keras2}


def numerics(name):
    """(gate activation, Adam epsilon) of `--numerics` (keras3 or keras2; article.NUMERICS)."""
    checks.check_choice(name, article.NUMERICS, "numerics")
    gate, epsilon = article.NUMERICS[name]
    return GATES[gate], epsilon


def lstm_cell(xz, h, c, recurrent, bias, gate=tf.sigmoid):
    """One step of Keras's LSTM for stacked runs.

    xz is the input's share, x @ kernel (S, 4u) or (S, B, 4u): the callers
    compute it (a one hot row times the kernel is the kernel's row, so most
    gather it). h and c are (S, u) or (S, B, u). Returns the new h and c and
    the four gates' activations (i, f, g, o). gate: the activation of the
    input, forget and output gates (Keras's recurrent_activation).
    """
    # Keras adds x @ kernel, then h @ recurrent, then the bias, in this order.
    if len(h.shape) == 2:
        z = xz + tf.einsum("su,suk->sk", h, recurrent) + bias
    else:
        z = xz + tf.einsum("sbu,suk->sbk", h, recurrent) + bias[:, None]
    zi, zf, zc, zo = tf.split(z, 4, axis=-1)
    i, f, g, o = gate(zi), gate(zf), tf.tanh(zc), gate(zo)
    c = f * c + i * g
    h = o * tf.tanh(c)
    return h, c, (i, f, g, o)


def _recurrent_share(h, recurrent):
    """h @ recurrent for stacked runs: h (S, u) or (S, B, u)."""
    if len(h.shape) == 2:
        return tf.einsum("su,suk->sk", h, recurrent)
    return tf.einsum("sbu,suk->sbk", h, recurrent)


def _runs_bias(bias, h):
    """A stacked bias (S, k) shaped to add to (S, k) or (S, B, k)."""
    return bias if len(h.shape) == 2 else bias[:, None]


def gru_cell(xz, h, recurrent, bias):
    """One step of Keras 3's GRU (reset_after=True, sigmoid gates, tanh) for stacked runs.

    xz is the input's share, x @ kernel (S, 3u) or (S, B, 3u); bias is (S, 2,
    3u): the input's bias, then the recurrent kernel's. Keras orders the
    parts update gate z, reset gate r, candidate. Returns the new h.
    """
    matrix_x = xz + _runs_bias(bias[:, 0], h)
    matrix_inner = _recurrent_share(h, recurrent) + _runs_bias(bias[:, 1], h)
    x_z, x_r, x_h = tf.split(matrix_x, 3, axis=-1)
    recurrent_z, recurrent_r, recurrent_h = tf.split(matrix_inner, 3, axis=-1)
    z = tf.sigmoid(x_z + recurrent_z)
    r = tf.sigmoid(x_r + recurrent_r)
    candidate = tf.tanh(x_h + r * recurrent_h)
    return z * h + (1 - z) * candidate


def simple_cell(xz, h, recurrent, bias):
    """One step of Keras's SimpleRNN (tanh) for stacked runs: xz is x @ kernel (S, [B,] u)."""
    return tf.tanh(xz + _runs_bias(bias, h) + _recurrent_share(h, recurrent))


def cell_step(cell):
    """cell's step for stacked runs: (xz, state, recurrent, bias) -> the new
    state, a tuple whose first entry is h: (h, c) for the LSTM, (h,) else."""
    if cell == "lstm":
        return lambda xz, state, recurrent, bias: lstm_cell(
            xz, *state, recurrent, bias
        )[:2]
    step = {"gru": gru_cell, "simple": simple_cell}[cell]
    return lambda xz, state, recurrent, bias: (step(xz, state[0], recurrent, bias),)


def state_size(cell):
    """How many (S, B, u) tensors the cell's state holds: h and c for the LSTM."""
    return 2 if cell == "lstm" else 1


def bce(logits, targets):
    """Keras's binary cross-entropy of a sigmoid output, averaged over the outputs.

    Keras computes it from the logits. The callers sum the runs' losses, and
    each run's loss depends on its own weights alone, so the gradient of the
    sum is every run's own gradient.
    """
    per_output = tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
    return tf.reduce_mean(per_output, axis=-1)


"""
## Adam
"""


def adam(weights, grads, moments, step, learning_rate, epsilon=EPSILON):
    """Keras's Adam update, elementwise and so per run.

    moments is a pair (m, v) of structures like `weights`, zero at first
    (`zero_moments`); step counts the updates made so far. Returns the new
    weights and moments.
    """
    t = tf.cast(step + 1, tf.float32)
    alpha = learning_rate * tf.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
    new_w, new_m, new_v = [], [], []
    m_all, v_all = moments
    for w, g, m, v in zip(
        tf.nest.flatten(weights),
        tf.nest.flatten(grads),
        tf.nest.flatten(m_all),
        tf.nest.flatten(v_all),
    ):
        m = m + (g - m) * (1 - BETA_1)
        v = v + (tf.square(g) - v) * (1 - BETA_2)
        new_w.append(w - m * alpha / (tf.sqrt(v) + epsilon))
        new_m.append(m)
        new_v.append(v)

    def pack(flat):
        return tf.nest.pack_sequence_as(weights, flat)

    return pack(new_w), (pack(new_m), pack(new_v))


def zero_moments(weights):
    """Adam's first and second moments before the first update."""
    zeros = tf.nest.map_structure(tf.zeros_like, weights)
    return zeros, tf.nest.map_structure(tf.zeros_like, weights)


"""
## Runs that stop, and runs that diverge
"""


def keep_inactive(active, new, old):
    """`new` for the runs where `active` (S,) is True, `old` for the others."""

    def choose(n, o):
        return tf.where(tf.reshape(active, [-1] + [1] * (len(n.shape) - 1)), n, o)

    return tf.nest.map_structure(choose, new, old)


def finite_runs(weights):
    """Per run: whether every one of its weights is finite (tensors or NumPy arrays).

    Adam cannot bring a NaN weight back, so a run that fails this has diverged.
    """
    ops = keras.ops
    flags = [
        ops.all(ops.isfinite(w), axis=tuple(range(1, len(w.shape))))
        for w in tf.nest.flatten(weights)
    ]
    return functools.reduce(ops.logical_and, flags)
