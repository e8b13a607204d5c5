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

import dataclasses
import math

from lstm_lab import online, tasks
from lstm_lab.modern_2ab import judge_chunk

MAX_BYTES = 4 * 2**30
MAX_WORK = 1e15  # multiply-adds: days on a 2-core CPU
LIMITS = (
    f"Sizes out of reach are refused before training: a configuration whose "
    f"arrays would need more than {MAX_BYTES / 2**30:.0f} GiB, or whose work "
    f"exceeds {MAX_WORK:.0e} multiply-adds. The work counts what the trainer "
    f"does with every seed's run trained to its budget: each sequence forward "
    f"and back and each update; for the on-line trainers (paper.py) also the "
    f"screening at every judging point and, for runs that pass it, two full "
    f"judgements of the test sequences; a one hot input counts as the one "
    f"kernel row it reads where a trainer gathers it."
)
FLOAT32 = 4  # bytes
# Forward, then backward at about twice the forward's cost: three passes.
PASSES = 3


# The recurrent layers' parts per unit (--cell): the LSTM's four gates, the
# GRU's three (with a second bias), the SimpleRNN's one.
PARTS = {"lstm": 4, "gru": 3, "simple": 1}


def lstm_weights(n_inputs, units, n_outputs, dense_inputs=None, cell="lstm"):
    """Weights of an LSTM(units) (or the cell's layer) and a Dense(n_outputs)
    reading `dense_inputs` (default: units)."""
    dense_inputs = units if dense_inputs is None else dense_inputs
    biases = 2 if cell == "gru" else 1
    recurrent = PARTS[cell] * units * (n_inputs + units + biases)
    return recurrent + n_outputs * (dense_inputs + 1)


def check_within(what, n_bytes, work):
    """Raise ValueError if `what` needs more than MAX_BYTES or more than
    MAX_WORK, naming every limit it exceeds."""
    over = []
    if n_bytes > MAX_BYTES:
        over.append(
            f"need about {n_bytes / 2**30:,.1f} GiB; the limit is "
            f"{MAX_BYTES / 2**30:.0f} GiB"
        )
    if work > MAX_WORK:
        over.append(f"are about {work:.1e} multiply-adds; the limit is {MAX_WORK:.0e}")
    if over:
        raise ValueError(f"{what} " + ", and ".join(over))


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

Each trainer's work is what its loops do, per run: every training sequence
(the steps forward and back, and one update of every weight), a screening at
every judging point, and the full judgement only for a run that passes the
screening (`online.screen`; on 2b and 2c the modern trainers judge a probe
of a few sequences first, the 1997 method the screening's first part; on 2a
both trainers judge the two sequences, which is the whole judgement). A run
that passes a full judgement stops, so it makes one full judgement; one that
passes the screening and then fails judges part of another. FULL_JUDGEMENTS
bounds both: two full judgements per run (docs/paper/long-lags.md). The
steps are the sequence's inputs: the loops stop at the longest sequence of
the stack, not at the padded width.
"""

# Multiply-adds per weight of one update: the dense gradient, Adam's two
# moments and its step, and the choice that keeps finished runs unchanged.
UPDATE = 6
FULL_JUDGEMENTS = 2


@dataclasses.dataclass(frozen=True)
class OnlineCost:
    """One run's multiply-adds (train: per training sequence with its update;
    screen: per judging point; full: one full judgement), and the bytes of the
    largest arrays of a training of all runs."""

    train: float
    screen: float
    full: float
    n_bytes: float


def online_work(cost, max_sequences, judge_every, n_runs):
    """Multiply-adds of an on-line training of n_runs runs to the budget:
    every sequence, a screening at every judging point, FULL_JUDGEMENTS full
    judgements."""
    n_judgements = max_sequences // judge_every
    full = FULL_JUDGEMENTS * cost.full
    return n_runs * (max_sequences * cost.train + n_judgements * cost.screen + full)


def lstm_step(units, n_outputs=0, cell="lstm"):
    """Multiply-adds of one forward step of a modern LSTM (or the cell's layer)
    that gathers its input's share (a one hot row times the kernel is the
    kernel's row): h times the recurrent kernel, the row and the bias, the
    gates' products; and a Dense layer of n_outputs reading h, with its bias
    and loss."""
    return PARTS[cell] * units * (units + 4) + n_outputs * (units + 2)


def longest_2c(lag, n):
    """About the most inputs among n Task 2c sequences: b, x or y, `lag`
    distractors, e, and a geometric number of extra distractors (mean 9),
    whose largest of n is about 9.5 (ln n + 0.6)."""
    return lag + 3 + math.ceil(10 * (1 + math.log(n)))


def width_2c(lag):
    """Task 2c's padded width at `lag` when no sequence is longer than the
    tail allows: one width per lag (tasks.padded_width)."""
    return tasks.padded_width(lag, 0)


def sequences_memory(n_sequences, width):
    """Bytes of int32 test sequences in the three copies a judgement makes: drawn,
    padded to a bucketed stack (online.pad_runs), and as a tensor."""
    return 3 * FLOAT32 * n_sequences * width


def modern_2c(
    lag, distractors, units, n_runs, probe, n_test=tasks.TEST_SEQUENCES, cell="lstm"
):
    """modern_2c's cost at `lag` with `distractors` distractor symbols
    (regimes.Settings2c) for the cell (tf_ops.CELLS).

    probe: the sequences of a judgement's part judged first (modern_2c.PROBE);
    a run that fails them, as most do at most judging points, judges no more.
    """
    n_weights = lstm_weights(
        tasks.layout_2c(distractors).n_symbols, units, 2, cell=cell
    )
    step = lstm_step(units, 2, cell)
    train = PASSES * step * longest_2c(lag, n_runs) + UPDATE * n_weights
    first = online.FIRST_PART
    probe = min(probe, first)
    screen = step * probe * longest_2c(lag, n_runs * probe)
    rest = -(-(n_test - first) // online.REST_PART)  # parts
    longest = longest_2c(lag, online.REST_PART)
    full = step * (first * longest_2c(lag, first) + rest * online.REST_PART * longest)
    width = width_2c(lag)
    # Weights, Adam's moments, the gradient and the new ones; each training
    # step's input share and what the gradient keeps (about 12 per unit); the
    # largest judging part of every run with its state.
    part = max(first, online.REST_PART) * n_runs
    n_bytes = FLOAT32 * n_runs * (8 * n_weights + 16 * units * width)
    n_bytes += sequences_memory(part, width) + FLOAT32 * part * 8 * units
    return OnlineCost(train, screen, full, n_bytes)


def modern_2ab(
    task, lag, units, direct, n_runs, probe, n_test=tasks.TEST_SEQUENCES, cell="lstm"
):
    """modern_2ab's cost on Task 2a or 2b at `lag` (regimes.Settings2ab) for
    the cell (tf_ops.CELLS).

    probe: the sequences of a judgement's part judged first (modern_2ab.PROBE).
    """
    n = lag + 1
    n_weights = lstm_weights(n, units, n, units + (n if direct else 0), cell)
    every_step = lstm_step(units, n, cell)  # training, and Task 2a's judgement
    train = PASSES * every_step * lag + UPDATE * n_weights
    # Per step: the activations the gradient keeps and the logits with their
    # loss and gradients.
    n_bytes = FLOAT32 * n_runs * (8 * n_weights + lag * (10 * units + 3 * n))
    if task == "2a":  # both sequences, every step, at every judging point
        outputs = FLOAT32 * n_runs * 2 * lag * 3 * n
        return OnlineCost(train, 2 * lag * every_step, 0, n_bytes + outputs)
    chunk = judge_chunk(lag, n_test)
    last_step = lstm_step(units, 0, cell) * lag + n * (units + 2)  # at the end
    full = -(-n_test // chunk) * chunk * last_step
    judging = sequences_memory(n_runs * chunk, n + 1)
    judging += FLOAT32 * n_runs * chunk * (8 * units + 3 * n)
    return OnlineCost(train, min(probe, chunk) * last_step, full, n_bytes + judging)


def method_1997(task, net, lag, n_runs, n_test=tasks.TEST_SEQUENCES):
    """method_1997's cost on a task at `lag`; net: the net it trains
    (net_1997.task_net): its n_weights(), n_cells, n_sources and n_out.

    A step multiplies the one hot input densely (an einsum), so every weight
    counts once forward; the truncated-RTRL traces add two per cell and
    source. On 2a and 2b every step learns: the changes and their sums, two
    more per weight. A judging step computes the traces too.
    """
    n_weights = net.n_weights()
    traces = 2 * net.n_cells * net.n_sources
    step = n_weights + traces
    if task == "2c":
        length = longest_2c(lag, n_runs)
        train = step * length + PASSES * n_weights  # the one judged step
        width = width_2c(lag)
    else:
        length = width = lag
        train = (step + 2 * n_weights) * length
    # Weights, their sums and changes, and the traces of each training run.
    n_bytes = FLOAT32 * n_runs * (3 * n_weights + traces)
    if task == "2a":  # both sequences, every step's outputs kept
        n_bytes += FLOAT32 * n_runs * 2 * (traces + width * net.n_out)
        return OnlineCost(train, 2 * step * length, 0, n_bytes)
    first = online.FIRST_PART
    screen = step * first * (longest_2c(lag, n_runs * first) if task == "2c" else lag)
    rest = -(-(n_test - first) // online.REST_PART) * online.REST_PART
    full = screen + step * rest * (longest_2c(lag, rest) if task == "2c" else lag)
    part = max(first, online.REST_PART) * n_runs
    n_bytes += sequences_memory(part, width + 1)
    n_bytes += FLOAT32 * part * (traces + net.n_sources + net.n_out)
    return OnlineCost(train, screen, full, n_bytes)


def traditional(method, lag, n_runs, judge_every):
    """traditional_net's cost on Task 2a at `lag` by `method` (rtrl or bptt).

    A step gathers the input's rows (the one hot product) and computes the n
    = p + 1 outputs, their errors and the hidden unit's share; RTRL also
    carries n + 1 sensitivities and changes the n rows read and the 2n + 1
    hidden weights every step, BPTT adds its changes to sums and steps back
    once. A judgement runs both sequences forward.
    """
    n = lag + 1
    per_step = {"rtrl": 8 * n, "bptt": 5 * n}[method]
    train = per_step * lag + (0 if method == "rtrl" else n * n + 2 * n)
    # Weights and their changes per run, and each compiled call's sequences.
    n_bytes = FLOAT32 * n_runs * (3 * (n * n + 2 * n + 1) + lag)
    n_bytes += sequences_memory(n_runs * judge_every, n)
    return OnlineCost(train, 2 * 2 * n * lag, 0, n_bytes)
