"""
Title: Sizes within reach: the memory and the work of a training, and their limits
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/29
Description: Before any training, every command estimates the largest arrays
    and the multiply-adds of its biggest configuration, and refuses what a
    small machine cannot do, with one line that names the sizes.

The estimates are rough on purpose: they only have to tell a configuration
that takes minutes from one that takes days or more memory than there is.
"""

MAX_BYTES = 4 * 2**30
MAX_WORK = 1e15  # multiply-adds: days on a 2-core CPU
LIMITS = (
    f"Sizes out of reach are refused before training: a configuration whose "
    f"arrays would need more than {MAX_BYTES / 2**30:.0f} GiB, or whose work "
    f"exceeds {MAX_WORK:.0e} multiply-adds."
)
FLOAT32 = 4  # bytes
# Forward, then backward at about twice the forward's cost: three passes.
PASSES = 3


def lstm_weights(n_inputs, units, n_outputs, dense_inputs=None):
    """Weights of an LSTM(units) and a Dense(n_outputs) reading `dense_inputs` (default: units)."""
    dense_inputs = units if dense_inputs is None else dense_inputs
    return 4 * units * (n_inputs + units + 1) + n_outputs * (dense_inputs + 1)


def check_within(what, n_bytes, work):
    """Raise ValueError if `what` needs more than MAX_BYTES or more than MAX_WORK."""
    if n_bytes > MAX_BYTES:
        raise ValueError(
            f"{what} need about {n_bytes / 2**30:,.1f} GiB; the limit is "
            f"{MAX_BYTES / 2**30:.0f} GiB"
        )
    if work > MAX_WORK:
        raise ValueError(
            f"{what} are about {work:.1e} multiply-adds; the limit is {MAX_WORK:.0e}"
        )


"""
## The Extensions' epoch trainer
"""


def epoch_work(n_runs, n_symbols, units, per_epoch, length, n_eval):
    """Multiply-adds of one epoch of stacked training and evaluation.

    A step costs 4u(n+u) for the LSTM and un for Dense, three passes with the
    gradient; the evaluation runs every evaluation sequence forward once.
    """
    step = 4 * units * (n_symbols + units) + units * n_symbols
    return n_runs * step * length * (PASSES * per_epoch + n_eval)


def epoch_memory(n_runs, n_symbols, units, epochs, per_epoch, length, n_eval):
    """Bytes of the largest arrays of a stacked epoch training (float32).

    The weights with Adam's two moments, the training orders and learning
    curves, the one hot data, the evaluation's per-run copies, and the
    activations that the gradient keeps (about 10 numbers per unit and 3 per
    symbol at each step), added up.
    """
    n_weights = lstm_weights(n_symbols, units, n_symbols)
    weights = 3 * n_runs * n_weights
    curves = n_runs * epochs * (per_epoch + 3)
    data = (per_epoch + n_eval) * (length + 1) * n_symbols
    evaluation = n_runs * n_eval * (n_weights + 3 * length * n_symbols)
    activations = n_runs * per_epoch * length * (10 * units + 3 * n_symbols)
    return FLOAT32 * (weights + curves + data + evaluation + activations)


def check_epoch_training(n_runs, n_symbols, units, epochs, per_epoch, length, n_eval):
    """Raise ValueError if a stacked epoch training is out of reach."""
    what = (
        f"{n_runs} runs of {units} units, {n_symbols} symbols, {length} steps "
        f"and {epochs:,} epochs"
    )
    n_bytes = epoch_memory(n_runs, n_symbols, units, epochs, per_epoch, length, n_eval)
    work = epochs * epoch_work(n_runs, n_symbols, units, per_epoch, length, n_eval)
    check_within(what, n_bytes, work)


"""
## The on-line trainers of the paper's tasks
"""


def online_work(n_weights, length, n_sequences, n_runs):
    """Multiply-adds of on-line training: every weight, three passes, every step,
    every sequence, every run (a forward pass and a gradient, or the 1997
    method's forward pass and its traces)."""
    return PASSES * n_weights * length * n_sequences * n_runs


def weights_memory(n_weights, n_runs):
    """Bytes of the stacked weights with Adam's two moments (float32)."""
    return FLOAT32 * 3 * n_weights * n_runs


def check_memory(n_steps, n_sequences, n_runs, units):
    """Bytes of one check's inputs: each step's input share (4u numbers) and
    its symbol, for n_sequences sequences of every run (float32)."""
    return FLOAT32 * n_steps * n_runs * n_sequences * (4 * units + 1)
