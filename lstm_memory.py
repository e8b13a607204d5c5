"""
Title: Demonstration of memory with a Long Short-Term Memory network
Author: Jason Brownlee (original article and code, Machine Learning Mastery);
    ported to Keras 3 by the lstm-memory project contributors
Date created: 2017/05/12
Last modified: 2026/11/29
Description: A stateful LSTM learns two sequences that differ only in their first
    value, which it must remember to predict their last value.

## Introduction

This script follows the article "Demonstration of Memory with a Long Short-Term
Memory Network in Python"
(https://machinelearningmastery.com/memory-in-a-long-short-term-memory-network/),
section by section. The article is a simplified version of Experiment 2 in
Hochreiter & Schmidhuber, "Long Short-Term Memory" (1997).

There are two sequences to learn, one value at a time:

    3 0 1 2 3
    4 0 1 2 4

Given a value, the network predicts the next one. On input 2 it must answer 3 in
the first sequence and 4 in the second. Only a memory of the first value, three
steps back, can tell the two apart. A network without memory cannot learn both.

Run it with `python lstm_memory.py`. It trains for 250 epochs, shows the loss
of sequence 1 after each epoch, then prints the prediction for every step and a
verdict. The exit status is 0 when all 8 predictions are correct, 1 when any is
wrong, 2 for bad options and 130 when interrupted.

## Changes from the original

1. `keras.Input(batch_shape=(1, 1, 5))` comes before the LSTM layer, because
   Keras 3 rejects the LSTM argument `batch_input_shape`.
2. The state is reset with the LSTM layer's `reset_state()`, because Keras 3
   models have no `reset_states()`.
3. Predictions are the argmax of `model.predict(..., batch_size=1)`, because
   `predict_classes()` was removed in TensorFlow 2.6. The argmax is what it
   computed for a 5-unit output.
4. Each time step is trained with `train_on_batch` instead of calling
   `fit(..., epochs=1, batch_size=1, shuffle=False)` twice per epoch. The
   weights are bit-identical (tests/differential/test_tutorial_training.py
   checks this), and it runs much faster, because `fit` sets up a new training
   loop for each call (docs/extensions.md measures both).
5. The data goes from lists to arrays with NumPy alone. The original used a
   pandas DataFrame for the same conversion.
6. The random seed is fixed with `keras.utils.set_random_seed` and can be set
   with `--seed`. The original set none. Only some seeds learn the memory step
   (see "Does it learn?" in the README), so the default is a seed that learns
   it on the tested versions.
7. The loss is printed as one line per epoch, the mean over sequence 1's four
   steps, which is what Keras 2's progress bar showed at the end of each epoch.
   It is progress, not a result, so it goes to stderr and only when stderr is a
   terminal (or with `--progress`): piped, the output is the predictions alone.
8. A verdict line follows the predictions and sets the exit status, so a
   failed run says so instead of leaving the reader to compare columns. It
   tells a failed memory step (try another seed) from steps that need no memory
   (train longer).
9. TensorFlow's start-up messages are silenced by default (see "Setup"), and
   other Keras backends are refused with an explanation and exit status 2.
10. Inputs are checked: bad values raise `ValueError` naming the value instead
    of giving a silently wrong encoding, and bad options exit with status 2.
11. `--format csv` or `--format json` writes the predictions as a table, one
    row per step, for a program to read.
12. Ctrl-C ends the run at the end of the epoch in progress, with exit status
    130 and no traceback (an interrupt inside a TensorFlow call could crash the
    process), and a reader that closes the pipe early ends it quietly.
13. `--numerics keras2` runs the article's own numerics: Keras 2.0's hard
    sigmoid, clip(0.2x + 0.5, 0, 1), as the LSTM's gates, and Adam's epsilon
    1e-8. Keras 3 changed both (to the sigmoid and 1e-7); the default keeps
    today's. The README measures how often each learns.
"""

import argparse
import json
import os
import signal
import sys

# Setup. TensorFlow prints start-up notices to stderr (a oneDNN notice and CPU
# feature hints) that bury the tutorial's output. These defaults silence them;
# a value the user has already set wins. Turning oneDNN's custom operations off
# also makes results reproducible across CPUs with different instruction sets.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# Keras loads its backend on first import and fails right there, with a
# traceback, when the backend is unknown or not installed. Record what was asked
# for and load TensorFlow, the one backend this project supports, so that
# `check_backend` can refuse anything else with one clear line instead.
REQUESTED_BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")
os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np

SEQ1 = (3, 0, 1, 2, 3)
SEQ2 = (4, 0, 1, 2, 4)
DEFAULT_SEED = 0
DEFAULT_EPOCHS = 250
DEFAULT_UNITS = 20
# Beyond these a run is out of reach here: 100,000 epochs take about 40 minutes
# with one update per step, and 4,096 units already make a 270 MB weight matrix.
MAX_EPOCHS = 100_000
MAX_UNITS = 4096
MAX_SEED = 2**32 - 1  # NumPy's and TensorFlow's seeds are 32-bit
EXIT_INTERRUPTED = 130
# How often the article's settings learn the memory step over seeds 0-99, with
# the 95% Wilson interval: `extensions.py tuning --numerics N --seeds 100`.
ARTICLE_RATES = {"keras3": (39, 100, 0.300, 0.488), "keras2": (36, 100, 0.273, 0.458)}

"""
## Problem Representation

### One hot encoding

Each value becomes a vector with one element per symbol of the alphabet: 1.0 at
the value's index and 0.0 elsewhere. The floats are what the network reads and
what it is trained to output.
"""


def check_int(value, name):
    # bool is a subclass of int, but True as a symbol is almost surely a bug.
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        # ValueError, not TypeError: bad input data is a bad value here.
        raise ValueError(f"{name} must be an integer, got {value!r}")  # noqa: TRY004
    return int(value)


def encode(pattern, n_unique):
    """One hot encode a sequence of integers in 0..n_unique-1.

    Returns a list with one row per value; each row is a list of n_unique floats.
    """
    n_unique = check_int(n_unique, "n_unique")
    if n_unique < 1:
        raise ValueError(f"n_unique must be at least 1, got {n_unique}")
    encoded = []
    for value in pattern:
        value = check_int(value, "each value of the pattern")
        # A negative value would index from the end and mark a wrong column.
        if not 0 <= value < n_unique:
            raise ValueError(
                f"value {value} is outside the alphabet 0..{n_unique - 1} (n_unique={n_unique})"
            )
        row = [0.0] * n_unique
        row[value] = 1.0
        encoded.append(row)
    return encoded


"""
### Input-output pairs

Each encoded value is an input (X) whose output (y) is the next value: for
`3 0 1 2 3` the pairs are 3->0, 0->1, 1->2 and 2->3.
"""


def to_xy_pairs(encoded):
    """Split encoded rows into inputs X[i] = encoded[i] and outputs y[i] = encoded[i+1]."""
    encoded = list(encoded)
    if len(encoded) < 2:
        raise ValueError(
            f"need at least 2 encoded rows to make an input-output pair, got {len(encoded)}"
        )
    widths = {len(row) for row in encoded}
    if len(widths) != 1:
        raise ValueError(
            f"encoded rows must all have the same length, got lengths {sorted(widths)}"
        )
    X, y = [], []
    for i in range(len(encoded) - 1):
        X.append(encoded[i])
        y.append(encoded[i + 1])
    return X, y


"""
### Reshape

The LSTM reads arrays of shape [samples, time steps, features]. Each sample is
one time step here, because the network is shown one value at a time and has to
carry everything else in its state: X is (4, 1, 5) and y is (4, 5).
"""


def to_lstm_dataset(sequence, n_unique):
    """Encode a sequence and return (X, y) arrays of shapes (n-1, 1, n_unique) and (n-1, n_unique)."""
    encoded = encode(sequence, n_unique)
    X, y = to_xy_pairs(encoded)
    X = np.array(X, dtype="float32").reshape(len(X), 1, n_unique)
    y = np.array(y, dtype="float32")
    return X, y


"""
## Learn Sequences with an LSTM

### LSTM configuration

The batch size is 1 because the article wants the weights updated after every
time step. The layer is stateful so that its state is carried from one batch to
the next: with one time step per batch, that carried state is the only place the
first value of a sequence can be remembered. A stateful layer needs the batch
size fixed in advance, hence the batch shape (1, 1, features).
"""


def check_backend(requested=REQUESTED_BACKEND):
    """Refuse Keras backends on which this tutorial gives wrong results."""
    backend = keras.backend.backend() if requested == "tensorflow" else requested
    if backend == "jax":
        raise RuntimeError(
            "KERAS_BACKEND=jax is not supported: Keras 3.15 silently ignores "
            "stateful=True under JAX, so the LSTM forgets between time steps and "
            "cannot learn this task. Run with KERAS_BACKEND=tensorflow."
        )
    if backend != "tensorflow":
        raise RuntimeError(
            f"KERAS_BACKEND={backend} is not supported: this tutorial is tested "
            "only with TensorFlow (its stateful LSTM training was not verified on "
            "other backends). Run with KERAS_BACKEND=tensorflow."
        )


def hard_sigmoid_keras2(x):
    """Keras 2.0's hard sigmoid, the LSTM's gates in 2017 (Keras 3's is relu6(x+3)/6)."""
    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


# What changed between the article's Keras 2.0 and Keras 3: the activation of
# the LSTM's gates (its recurrent_activation) and Adam's epsilon. Nothing else.
NUMERICS = {
    "keras3": {"recurrent_activation": "sigmoid", "epsilon": 1e-7},
    "keras2": {"recurrent_activation": hard_sigmoid_keras2, "epsilon": 1e-8},
}


def build_model(n_features, units=DEFAULT_UNITS, numerics="keras3"):
    """A stateful LSTM of `units` cells and a sigmoid Dense output, one value per batch.

    numerics: "keras3" (today's defaults) or "keras2" (the article's, NUMERICS).
    """
    check_backend()
    n_features = check_int(n_features, "n_features")
    units = check_int(units, "units")
    if n_features < 1 or units < 1:
        raise ValueError(
            f"n_features and units must be positive, got {n_features} and {units}"
        )
    if numerics not in NUMERICS:
        raise ValueError(f"numerics must be one of {list(NUMERICS)}, got {numerics!r}")
    gates, epsilon = NUMERICS[numerics].values()
    model = keras.Sequential(
        [
            keras.Input(batch_shape=(1, 1, n_features)),
            keras.layers.LSTM(
                units, stateful=True, recurrent_activation=gates, name="lstm"
            ),
            keras.layers.Dense(n_features, activation="sigmoid", name="dense"),
        ]
    )
    optimizer = keras.optimizers.Adam(epsilon=epsilon)
    model.compile(loss="binary_crossentropy", optimizer=optimizer)
    return model


def reset_state(model):
    """Clear the LSTM's state so the next sequence starts from nothing."""
    model.get_layer("lstm").reset_state()


"""
### Train the model

Training goes by hand, one epoch at a time. Within an epoch, sequence 1 is fed
step by step with a weight update after each step, then the state is reset so
that sequence 2 does not start with a memory of sequence 1, then sequence 2 is
fed the same way and the state is reset again.

The steps go in order, never shuffled: each step's state must have come from the
step before it in the same sequence.
"""


def train(model, datasets, epochs, on_epoch_end=None):
    """Train on each (X, y) in turn for `epochs` epochs, one update per time step.

    This gives the same weights as the article's loop of
    `model.fit(X, y, epochs=1, batch_size=1, shuffle=False)` and a state reset
    for each dataset. `on_epoch_end(epoch, losses)` receives the mean loss of
    each dataset in that epoch.
    """
    epochs = check_int(epochs, "epochs")
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    for epoch in range(epochs):
        epoch_losses = []
        for X, y in datasets:
            step_losses = []
            for i in range(len(X)):
                # One time step per batch: the gradient of this update sees only
                # this step, with the state from the earlier steps as an input.
                loss = model.train_on_batch(X[i : i + 1], y[i : i + 1])
                step_losses.append(float(loss))
            reset_state(model)
            epoch_losses.append(sum(step_losses) / len(step_losses))
        if on_epoch_end is not None:
            on_epoch_end(epoch, epoch_losses)


"""
### Evaluate the model

`predict_classes()` took the argmax of the output vector; the index of the
largest output is the predicted value. The state runs through the sequence step
by step during prediction, exactly as in training, and is reset afterwards.
"""


def predict_sequence(model, X):
    """Predicted value (argmax) for each step of one sequence, as a list of ints."""
    yhat = model.predict(X, batch_size=1, verbose=0)
    reset_state(model)
    return [int(i) for i in np.argmax(yhat, axis=-1)]


def format_predictions(X, y, yhat):
    """The article's lines `X=3.0 y=0.0, yhat=0.0`, one per step."""
    lines = []
    for i in range(len(X)):
        x_value, y_value = np.argmax(X[i]), np.argmax(y[i])
        lines.append(f"X={x_value:.1f} y={y_value:.1f}, yhat={yhat[i]:.1f}")
    return lines


def wrong_steps(sequences, predictions):
    """The steps predicted wrongly, as (sequence index, step index, predicted value).

    `sequences` are the raw sequences; `predictions[k][i]` is the prediction for
    step i of sequence k, whose target is sequences[k][i + 1].
    """
    if len(sequences) != len(predictions):
        raise ValueError(
            f"got {len(sequences)} sequences but {len(predictions)} predictions"
        )
    wrong = []
    for k, (seq, yhat) in enumerate(zip(sequences, predictions)):
        if len(yhat) != len(seq) - 1:
            raise ValueError(
                f"sequence {k + 1} has {len(seq) - 1} steps but {len(yhat)} predictions"
            )
        for i, guess in enumerate(yhat):
            if guess != seq[i + 1]:
                wrong.append((k, i, guess))
    return wrong


def memory_steps(sequences):
    """The steps (sequence index, step index) whose input alone cannot give the target.

    An input that is followed by different values in different sequences (2 is
    followed by 3 in one and by 4 in the other) can only be answered from memory.
    """
    followers = {}
    for seq in sequences:
        for i in range(len(seq) - 1):
            followers.setdefault(seq[i], set()).add(seq[i + 1])
    return {
        (k, i)
        for k, seq in enumerate(sequences)
        for i in range(len(seq) - 1)
        if len(followers[seq[i]]) > 1
    }


def verdict(sequences, wrong, rate=None):
    """One line saying whether every step was predicted, and what to try if not.

    rate: (learned, runs, low, high), how often seeds learn the memory step and
    its 95% interval, cited when it fails.
    """
    n_steps = sum(len(seq) - 1 for seq in sequences)
    needs_memory = memory_steps(sequences)
    memory_text = " and ".join(
        f"{sequences[k][i]} -> {sequences[k][i + 1]} in sequence {k + 1}"
        for k, i in sorted(needs_memory)
    )
    if not wrong:
        return (
            f"Verdict: all {n_steps} predictions are correct, including the steps "
            f"that need memory ({memory_text})."
        )
    details = "; ".join(
        f"sequence {k + 1} step {i + 1} ({sequences[k][i]} -> {sequences[k][i + 1]}, got {guess})"
        for k, i, guess in wrong
    )
    head = f"Verdict: {n_steps - len(wrong)} of {n_steps} predictions are correct; wrong: {details}."
    if any((k, i) not in needs_memory for k, i, _ in wrong):
        # A step that its input alone decides is still wrong: training has not
        # got far enough for the memory to matter yet.
        return (
            f"{head} Steps that need no memory are wrong too, so training stopped "
            "too early: try more --epochs."
        )
    how_often = "see the README"
    if rate is not None:
        learned, runs, low, high = rate
        how_often = f"{learned} of {runs} seeds learn it, 95% interval "
        how_often += f"{100 * low:.0f}-{high:.0%}"
    return (
        f"{head} With one update per time step only some seeds learn the memory "
        f"step ({how_often}); try another --seed, or `python extensions.py batch`."
    )


"""
## Run it all

The loss of each epoch is progress, so it goes to stderr, and only on a
terminal: piped or redirected, the output is the article's prediction lines
and the verdict alone (or a CSV or JSON table of them with `--format`).
"""


def _int(text, least):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}, got {value}")
    return value


def positive_int(text, limit=None):
    """argparse type: an integer of at least 1 (and at most `limit`)."""
    value = _int(text, 1)
    if limit is not None and value > limit:
        raise argparse.ArgumentTypeError(f"must be at most {limit:,}, got {value:,}")
    return value


def non_negative_int(text):
    """argparse type: an integer of at least 0."""
    return _int(text, 0)


def seed_int(text):
    """argparse type: a seed, 0..2**32-1."""
    value = _int(text, 0)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be at most 2**32-1, got {value}")
    return value


def make_parser():
    parser = argparse.ArgumentParser(
        description="Train a stateful LSTM to remember the first value of two "
        "sequences (3 0 1 2 3 and 4 0 1 2 4), as in the 2017 tutorial. "
        "Exit status: 0 if all 8 predictions are correct, 1 if not, 2 for bad "
        "options, 130 if interrupted.",
    )
    parser.add_argument(
        "--epochs",
        type=lambda text: positive_int(text, MAX_EPOCHS),
        default=DEFAULT_EPOCHS,
        help=f"training epochs, at most {MAX_EPOCHS:,} (default: {DEFAULT_EPOCHS}, "
        "as in the article)",
    )
    parser.add_argument(
        "--units",
        type=lambda text: positive_int(text, MAX_UNITS),
        default=DEFAULT_UNITS,
        help=f"LSTM units, at most {MAX_UNITS:,} (default: {DEFAULT_UNITS}, as in "
        "the article)",
    )
    parser.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help=f"random seed, 0..2**32-1 (default: {DEFAULT_SEED}, one that learns "
        "both sequences with the default settings)",
    )
    parser.add_argument(
        "--numerics",
        choices=tuple(NUMERICS),
        default="keras3",
        help="keras3: today's sigmoid gates and Adam epsilon 1e-7; keras2: the "
        "article's hard sigmoid gates and epsilon 1e-8 (default: keras3)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text: the article's lines and a verdict; csv or json: one row per "
        "step (default: text)",
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--quiet",
        action="store_true",
        help="never show the loss of each epoch (default: off)",
    )
    shown.add_argument(
        "--progress",
        action="store_true",
        help="show the loss of each epoch on stderr even when it is not a "
        "terminal (default: only on a terminal)",
    )
    return parser


def prediction_rows(sequences, predictions):
    """One dict per step: sequence, step, x, y, yhat, correct (for CSV and JSON)."""
    keys = ("sequence", "step", "x", "y", "yhat", "correct")
    return [
        dict(zip(keys, (k + 1, i + 1, seq[i], seq[i + 1], guess, guess == seq[i + 1])))
        for k, (seq, yhat) in enumerate(zip(sequences, predictions))
        for i, guess in enumerate(yhat)
    ]


def format_rows(rows, fmt):
    """Rows as CSV (a header line, then one line per row) or JSON (a list)."""
    if fmt == "json":
        return json.dumps(rows, indent=1)
    keys = list(rows[0])
    lines = [",".join(keys)]
    lines += [",".join(str(row[key]).lower() for key in keys) for row in rows]
    return "\n".join(lines)


def main(argv=None):
    parser = make_parser()
    # Checked before the options, so that even --help says the backend is wrong.
    try:
        check_backend()
    except RuntimeError as err:
        parser.error(str(err))
    args = parser.parse_args(argv)
    # Ctrl-C takes effect between epochs, not inside a TensorFlow call: an
    # interrupt raised in the middle of an update could crash the process
    # (about 1 in 16 under load) instead of ending it with status 130.
    interrupted = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    try:
        return run(args, interrupted)
    except KeyboardInterrupt:
        print("\ninterrupted: no predictions were made", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader closed the pipe (`| head`); Python would complain again
        # when it flushes stdout at exit, so point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        signal.signal(signal.SIGINT, previous)


def run(args, interrupted=()):
    keras.utils.set_random_seed(args.seed)
    sequences = [SEQ1, SEQ2]
    n_unique = len(set(SEQ1 + SEQ2))
    datasets = [to_lstm_dataset(seq, n_unique) for seq in sequences]
    model = build_model(n_unique, units=args.units, numerics=args.numerics)

    shown = args.progress or (not args.quiet and sys.stderr.isatty())

    def end_of_epoch(epoch, losses):
        if shown:
            # The article showed the loss of sequence 1 only.
            print(
                f"Epoch {epoch + 1}/{args.epochs} - loss: {losses[0]:.4f}",
                file=sys.stderr,
                flush=True,
            )
        if interrupted:  # Ctrl-C was pressed during this epoch
            raise KeyboardInterrupt

    train(model, datasets, args.epochs, on_epoch_end=end_of_epoch)

    predictions = [predict_sequence(model, X) for X, _ in datasets]
    wrong = wrong_steps(sequences, predictions)
    if args.format != "text":
        print(format_rows(prediction_rows(sequences, predictions), args.format))
        return 0 if not wrong else 1
    for k, ((X, y), yhat) in enumerate(zip(datasets, predictions)):
        print(f"Sequence {k + 1}")
        print("\n".join(format_predictions(X, y, yhat)))
    article = (args.epochs, args.units) == (DEFAULT_EPOCHS, DEFAULT_UNITS)
    rate = ARTICLE_RATES[args.numerics] if article else None  # measured for these
    print(verdict(sequences, wrong, rate), flush=True)
    return 0 if not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
