"""Checks of the arguments that every trainer takes, each written once.

Bad input raises a ValueError that names the bad value, never a silently wrong
result. The tutorial's own `check_int` is the one check of an integer.
"""

import lstm_memory

check_int = lstm_memory.check_int


def check_seeds(seeds):
    """The seeds as a list of ints; ValueError unless there is at least one, each 0..2**32-1."""
    seeds = [check_int(s, "seed") for s in seeds]
    if not seeds:
        raise ValueError("need at least one seed")
    for seed in seeds:
        if not 0 <= seed <= lstm_memory.MAX_SEED:
            raise ValueError(f"seeds must be in 0..2**32-1, got {seed}")
    return seeds


def check_budget(max_sequences, check_every):
    """Raise ValueError unless the training budget and the check interval are >= 1."""
    for name, value in (("max_sequences", max_sequences), ("check_every", check_every)):
        if check_int(value, name) < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")


def check_choice(value, choices, name):
    """Raise ValueError unless `value` is one of `choices`."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value
