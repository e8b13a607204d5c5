"""Checks of arguments, each written once: a bad value raises an error naming it.

"Check" in this package always means an argument check. Whether a net has
learned is judged (`online.Trainer.judge`), never checked.
"""

import numpy as np

from lstm_lab import REQUESTED_BACKEND

MAX_SEED = 2**32 - 1  # NumPy's and TensorFlow's seeds are 32-bit


def check_int(value, name):
    """`value` as an int; ValueError unless it is an integer (bool is not)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        # ValueError, not TypeError: bad input data is a bad value here.
        raise ValueError(f"{name} must be an integer, got {value!r}")  # noqa: TRY004
    return int(value)


def check_seeds(seeds):
    """The seeds as a list of ints; ValueError unless there is at least one, each 0..2**32-1."""
    seeds = [check_int(s, "seed") for s in seeds]
    if not seeds:
        raise ValueError("need at least one seed")
    for seed in seeds:
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seeds must be in 0..2**32-1, got {seed}")
    return seeds


def check_budget(max_sequences, judge_every):
    """Raise ValueError unless the training budget and the judging interval are >= 1."""
    for name, value in (("max_sequences", max_sequences), ("judge_every", judge_every)):
        if check_int(value, name) < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")


def check_choice(value, choices, name):
    """Raise ValueError unless `value` is one of `choices`."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_backend(requested=REQUESTED_BACKEND):
    """Raise RuntimeError, in one line, for a Keras backend other than TensorFlow."""
    if requested == "jax":
        raise RuntimeError(
            "KERAS_BACKEND=jax is not supported: Keras 3.15 silently ignores "
            "stateful=True under JAX, so the LSTM forgets between time steps. "
            "Run with KERAS_BACKEND=tensorflow."
        )
    if requested != "tensorflow":
        raise RuntimeError(
            f"KERAS_BACKEND={requested} is not supported: the project is tested "
            "only with TensorFlow. Run with KERAS_BACKEND=tensorflow."
        )
