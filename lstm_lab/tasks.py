"""
Title: The tasks: sequences to remember, and when a network has learned them
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/11/29
Description: Every sequence set that the Extensions and the 1997 paper's
    Experiment 2 train on, and the one implementation of each success criterion,
    used by the trainers and by the tables alike.

## Introduction

Every task here is a set of sequences whose last value repeats the first, with
something in between that all of them share (or, for random middles, that is
random). Symbols are integers 0..n_symbols-1, one hot encoded as in the
tutorial. Sequences are int arrays of shape (N, T+1): step t's input is column
t and its target is column t+1.

Two words name the paper's two numbers everywhere in the package: `lag`, the
time lag (the paper's p in Tasks 2a and 2b, q in Task 2c), and `distractors`,
Task 2c's number of distractor symbols (the paper's p there).
"""

import math
import typing

import keras
import numpy as np

from lstm_lab import article, checks

# The paper's criterion: every judged output within this distance of its 0/1 target.
PAPER_THRESHOLD = 0.25
TASK_2C_THRESHOLD = 0.2  # Task 2c's, at the end of the sequence
TEST_SEQUENCES = 10_000  # the paper's fresh sequences for the criterion
PAPER_TASKS = ("2a", "2b", "2c")
PAD = -1  # after the end of a Task 2c sequence, whose lengths vary
TRIGGER_PROBABILITY = 0.1  # Task 2c: each step after the lag's distractors is e with it

"""
## Random streams

Every run draws from its own streams, one per purpose, so that what one
purpose draws never depends on how often another draws: the training
sequences do not depend on how often the net is judged.
"""

STREAMS = {"train": 0, "test": 1, "weights": 2}


def stream(seed, purpose):
    """The random stream of one run (`seed`) for one purpose (a STREAMS key)."""
    return np.random.default_rng([seed, STREAMS[purpose]])


def streams(seeds, purpose):
    """One stream per seed, for one purpose."""
    return [stream(s, purpose) for s in seeds]


"""
## Sequences
"""


def article_sequences():
    """The tutorial's two sequences, as an int array (2, 5)."""
    return np.array([article.SEQ1, article.SEQ2])


def marker_sequences(n_symbols, n_sequences, middle_length):
    """k sequences that share a middle and differ in their first and last values.

    The middle is 0, 1, ..., middle_length-1 (repeating if the alphabet has fewer
    symbols than that); the first and last values are the top n_sequences symbols.
    With (5, 2, 3) these are the article's 3 0 1 2 3 and 4 0 1 2 4.
    """
    n_symbols = checks.check_int(n_symbols, "n_symbols")
    n_sequences = checks.check_int(n_sequences, "n_sequences")
    middle_length = checks.check_int(middle_length, "middle_length")
    if n_sequences < 2:
        raise ValueError(
            f"need at least 2 sequences to need a memory, got {n_sequences}"
        )
    if middle_length < 1:
        raise ValueError(f"the middle needs at least 1 value, got {middle_length}")
    n_middle = n_symbols - n_sequences
    if n_middle < 1:
        raise ValueError(
            f"an alphabet of {n_symbols} symbols is too small for {n_sequences} sequences: "
            f"it needs {n_sequences} first values and at least 1 middle symbol"
        )
    middle = [i % n_middle for i in range(middle_length)]
    markers = range(n_symbols - n_sequences, n_symbols)
    return np.array([[m, *middle, m] for m in markers])


def lag_sequences(lag):
    """The paper's Task 2a at lag p: (x, a1..a(p-1), x) and (y, a1..a(p-1), y), p+1 symbols.

    a1..a(p-1) are 0..p-2, x = p-1 and y = p. p = 4 gives the article's sequences.
    """
    lag = checks.check_int(lag, "lag")
    if lag < 2:
        raise ValueError(f"the lag must be at least 2, got {lag}")
    return marker_sequences(lag + 1, 2, lag - 1)


def random_sequence_pool(
    rng, n_sequences, middle_length, n_middle_symbols, n_markers=2
):
    """Distinct sequences (m, random middle, m) in random order; the caller splits them.

    Symbols 0..n_middle_symbols-1 make the middle and the next n_markers symbols
    are the first/last values. Returns an int array (n_sequences, middle_length+2).
    """
    total = n_markers * n_middle_symbols**middle_length
    if n_sequences > total:
        raise ValueError(
            f"only {total} distinct sequences exist with {n_markers} first values and "
            f"{n_middle_symbols}^{middle_length} middles, but {n_sequences} were asked for"
        )
    if total >= 2**62:
        # Too many to number with NumPy's integers, and then so many that
        # random draws almost never repeat: draw, and drop any repeat.
        return _random_distinct(
            rng, n_sequences, middle_length, n_middle_symbols, n_markers
        )
    chosen = rng.choice(total, size=n_sequences, replace=False)
    sequences = []
    for index in chosen:
        marker, rest = divmod(int(index), n_middle_symbols**middle_length)
        middle = []
        for _ in range(middle_length):
            rest, digit = divmod(rest, n_middle_symbols)
            middle.append(digit)
        m = n_middle_symbols + marker
        sequences.append([m, *middle, m])
    return np.array(sequences)


def _random_distinct(rng, n_sequences, middle_length, n_middle_symbols, n_markers):
    seen, sequences = set(), []
    while len(sequences) < n_sequences:
        m = n_middle_symbols + int(rng.integers(n_markers))
        sequence = (m, *rng.integers(0, n_middle_symbols, middle_length).tolist(), m)
        if sequence not in seen:
            seen.add(sequence)
            sequences.append(sequence)
    return np.array(sequences)


def split_random_pool(rng, middle_length, n_middle_symbols, n_train, n_test):
    """Disjoint training and test sets of random-middle sequences."""
    pool = random_sequence_pool(rng, n_train + n_test, middle_length, n_middle_symbols)
    return pool[:n_train], pool[n_train:]


def check_task(task, allowed=PAPER_TASKS):
    """Raise ValueError unless `task` is one of `allowed` (by default, any of the paper's)."""
    if task not in allowed:
        raise ValueError(f"task must be one of {tuple(allowed)}, got {task!r}")


def task_sequences(rng, task, lag, n, distractors=None, end_marker=False):
    """n random sequences of the paper's Task 2a, 2b or 2c, as an int array.

    2a and 2b at lag p: (n, p+1). Each starts and ends with x (= p-1) or y
    (= p), with probability 0.5. The middle is a1..a(p-1) = 0..p-2 in order
    (2a) or drawn at random from them (2b). end_marker (2b only, not the
    paper's): the last middle symbol is always a(p-1), the others random over
    a1..a(p-2).

    2c: `distractors` (default: the lag) distractor symbols; see
    task_2c_sequences. Rows are padded with PAD after their end.
    """
    check_task(task)
    n = checks.check_int(n, "n")
    if n < 1:
        raise ValueError(f"need at least 1 sequence, got {n}")
    if end_marker and task != "2b":
        raise ValueError(f"the end marker is for Task 2b, not {task}")
    if task == "2c":
        return task_2c_sequences(rng, lag, n, distractors)
    if distractors is not None:
        raise ValueError(f"distractors are for Task 2c, not {task}")
    return draw_task(rng, task, lag_sequences(lag), n, end_marker)


class Layout2c(typing.NamedTuple):
    """Task 2c's symbols: the distractors are 0..distractors-1, then these."""

    trigger: int  # e
    start: int  # b
    x: int
    y: int
    n_symbols: int  # distractors + 4, the one hot width


def layout_2c(distractors):
    """Task 2c's symbol layout for `distractors` distractor symbols."""
    d = checks.check_int(distractors, "distractors")
    return Layout2c(d, d + 1, d + 2, d + 3, d + 4)


def distractors_of(lag, distractors=None):
    """Task 2c's number of distractor symbols: as given, or the lag (q = p, as
    in the paper's Table 3 rows)."""
    return lag if distractors is None else distractors


def task_2c_sequences(rng, lag, n, distractors=None):
    """n sequences of Task 2c: int (n, L) padded with PAD after each one's end.

    b; then x or y (probability 0.5 each); then `lag` (the paper's q)
    distractors drawn from `distractors` symbols (the paper's p; default the
    lag); then, step by step, one more distractor (probability 0.9) or the
    trigger e (0.1); after e, the second symbol again. The shortest is q + 4
    long, and the mean length is q + 13: the extra distractors before e are
    the failures before a first success of probability 0.1, 9 on average.
    (The paper prints q + 14.)
    """
    lag = checks.check_int(lag, "lag")
    distractors = checks.check_int(distractors_of(lag, distractors), "distractors")
    if lag < 1 or distractors < 1:
        raise ValueError(
            f"Task 2c needs a lag and distractors of at least 1, got lag={lag}, "
            f"distractors={distractors}"
        )
    symbols = layout_2c(distractors)
    e, b, x = symbols.trigger, symbols.start, symbols.x
    second = x + rng.integers(2, size=n)
    extra = rng.geometric(TRIGGER_PROBABILITY, size=n) - 1
    lengths = lag + 4 + extra
    width = int(lengths.max())
    sequences = np.full((n, width), PAD, dtype=np.int32)
    sequences[:, 0] = b
    sequences[:, 1] = second
    middle = rng.integers(distractors, size=(n, width - 4), dtype=np.int32)
    in_middle = np.arange(width - 4)[None] < (lag + extra)[:, None]
    sequences[:, 2 : width - 2] = np.where(in_middle, middle, PAD)
    rows = np.arange(n)
    sequences[rows, lengths - 2] = e
    sequences[rows, lengths - 1] = second
    return sequences


# Task 2c's sequences differ in length. Stacked, they are padded to one width
# per lag q: the shortest, q + 4, plus this tail. A longer sequence (0.9**256, about
# 2e-12 of them) gets a wider shape, which compiles once more.
PAD_TAIL = 256


def padded_width(lag, longest):
    """One width per lag, unless a sequence is longer than lag + 4 + PAD_TAIL."""
    base = lag + 4 + PAD_TAIL
    if longest <= base:
        return base
    return base + PAD_TAIL * math.ceil((longest - base) / PAD_TAIL)


def task_2c_batch(rngs, lag, distractors, n, runs):
    """n Task 2c sequences from each of the `runs`' streams, padded to one width (R, n, W)."""
    drawn = [task_2c_sequences(rngs[r], lag, n, distractors) for r in runs]
    width = padded_width(lag, max(d.shape[1] for d in drawn))
    batch = np.full((len(runs), n, width), PAD, dtype=np.int32)
    for i, d in enumerate(drawn):
        batch[i, :, : d.shape[1]] = d
    return batch


def sequence_lengths(sequences):
    """The length of each padded sequence: its symbols before PAD."""
    return (np.asarray(sequences) != PAD).sum(axis=1)


def draw_task(rng, task, fixed, n, end_marker=False):
    """task_sequences without the checks, for hot loops: `fixed` is lag_sequences(lag)."""
    sequences = fixed[rng.integers(0, 2, n)]
    if task == "2b" and end_marker:
        # A departure from the paper: a(p-1) appears only just before the
        # end, so the input itself marks the step whose answer needs memory.
        p = fixed.shape[1] - 1
        sequences[:, 1:-2] = rng.integers(0, p - 2, (n, p - 2))
        sequences[:, -2] = p - 2
    elif task == "2b":
        p = fixed.shape[1] - 1
        sequences[:, 1:-1] = rng.integers(0, p - 1, (n, p - 1))
    return sequences


"""
## Success criteria

The article's criterion: the argmax of the output is the target at every
judged step. The paper's, stricter: every output unit is within 0.25 of its
target, 0 or 1, at every judged step. A run whose outputs are not finite has
diverged, and fails both: NaN compares false with everything, so without care
it would pass a test written as `error >= threshold`.

Both are written with `keras.ops`, so the same functions serve NumPy arrays in
the tables and tests and TensorFlow tensors inside the compiled trainers.
`outputs` and `targets` are (..., T, n) arrays (targets one hot) and `mask` a
bool (..., T) array of the judged steps; the result has the leading shape.
"""


def argmax_right(outputs, targets, mask):
    """True where every judged step's argmax is the target and every output is finite."""
    ops = keras.ops
    right = ops.equal(ops.argmax(outputs, axis=-1), ops.argmax(targets, axis=-1))
    finite = ops.all(ops.isfinite(outputs), axis=-1)
    return ops.all(ops.logical_and(ops.logical_or(right, ~mask), finite), axis=-1)


def max_error(outputs, targets, mask):
    """The largest |output - target| over the judged steps; inf if any output is not finite."""
    ops = keras.ops
    error = ops.abs(outputs - targets)
    error = ops.where(ops.isfinite(error), error, np.inf)
    # Steps that are not judged still count if they diverged: a network whose
    # middle outputs are NaN has not learned anything.
    judged = ops.logical_or(mask[..., None], ops.isinf(error))
    return ops.max(ops.where(judged, error, 0.0), axis=(-2, -1))


def within(error, threshold=PAPER_THRESHOLD):
    """The paper's criterion on max_error's result: strictly below the threshold."""
    return np.asarray(error) < threshold


def step_mask(sequences, steps=None):
    """A bool (N, T) mask of the judged steps: all (None), or e.g. [-1] for the last."""
    mask = np.zeros(np.asarray(sequences)[:, 1:].shape, dtype=bool)
    mask[:, slice(None) if steps is None else steps] = True
    return mask


def one_hot_targets(sequences, n_symbols):
    """The one hot targets (N, T, n) of int sequences (N, T+1)."""
    return np.eye(n_symbols, dtype=np.float32)[np.asarray(sequences)[:, 1:]]


def learned_argmax(outputs, sequences, steps=None):
    """Whether every sequence meets the article's criterion (outputs (N, T, n))."""
    outputs = _check_outputs(outputs, sequences)
    targets = one_hot_targets(sequences, outputs.shape[-1])
    return bool(np.all(argmax_right(outputs, targets, step_mask(sequences, steps))))


def learned_within(outputs, sequences, threshold=PAPER_THRESHOLD, steps=None):
    """Whether every sequence meets the paper's criterion (outputs (N, T, n))."""
    return bool(within(sequences_error(outputs, sequences, steps), threshold))


def sequences_error(outputs, sequences, steps=None):
    """max_error over all the sequences: one number."""
    outputs = _check_outputs(outputs, sequences)
    targets = one_hot_targets(sequences, outputs.shape[-1])
    errors = max_error(outputs, targets, step_mask(sequences, steps))
    return float(np.max(errors))


def _check_outputs(outputs, sequences):
    outputs = np.asarray(outputs, dtype=np.float32)
    if outputs.shape[:2] != np.asarray(sequences)[:, 1:].shape:
        raise ValueError(
            f"outputs {outputs.shape} do not fit sequences {np.shape(sequences)}"
        )
    return outputs
