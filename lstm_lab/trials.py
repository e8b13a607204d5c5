"""
Title: Rows rebuilt from trials files: one row split by seed across machines
Author: the lstm-memory project contributors
Date created: 2026/12/07
Last modified: 2026/12/07
Description: `paper.py --from-trials`: the trials that `paper.py --trials`
    wrote, read back, checked and summarised into the rows one run over all
    their seeds would have printed.

## Introduction

A row's trials are independent by seed: each run draws from its own streams
(`tasks.stream`), starts from its own weights, and is judged on its own. (A
stack of another size may round a sum differently in its last bit, as any
change of shape may; tests/end_to_end/test_paper_shards_program.py checks
that split rows give the unsplit counts.) So a row
too long for one machine can be split by seed range (`--first-seed K --seeds
N` on each machine, each with its own `--trials` file), and the files merged
here give the row that one run over all the seeds would give: the same runs,
learned, interval, mean and median, built by the same `summarise_paper`.

The files do not hold the seconds (each shard timed its own stack of runs,
which no sum turns into one run's time), so a rebuilt row leaves `seconds` and
`seconds_per_run` empty. docs/paper/shards.md shows a split with GNU parallel
and with a Slurm job array.
"""

import argparse
import csv
import dataclasses
import itertools

from lstm_lab import checks, paper_table, tasks


@dataclasses.dataclass(frozen=True)
class Trial:
    """One line of a trials file, and where it was read (for the errors)."""

    method: str
    task: str
    lag: int
    distractors: int  # None for Tasks 2a and 2b
    seed: int
    sequences: int  # to success; None: failed
    sequences_from_cell: int  # the same, from when the 1997 cell joined; or None
    diverged: bool
    budget: int
    path: str
    line: int

    @property
    def configuration(self):
        """What makes a row: (method, task, lag, distractors)."""
        return self.method, self.task, self.lag, self.distractors

    @property
    def where(self):
        return f"{self.path} line {self.line}"

    def as_written(self):
        """The trial as `paper.py --trials` writes it (paper_table.trial_rows)."""
        return {column: getattr(self, column) for column in paper_table.TRIAL_COLUMNS}


def _integer(text, least, column, where, empty_ok=False):
    if text == "" and empty_ok:
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{where}: {column} {text!r} is not an integer") from None
    if value < least:
        raise ValueError(f"{where}: {column} must be at least {least}, got {value}")
    if column == "seed" and value > checks.MAX_SEED:
        raise ValueError(f"{where}: seed must be at most 2**32-1, got {value}")
    return value


def _trial(line, path, number):
    """One CSV line as a Trial; ValueError naming the file, line, column and value."""
    where = f"{path} line {number}"
    if line["task"] not in tasks.PAPER_TASKS:
        raise ValueError(
            f"{where}: task {line['task']!r} is not one of "
            f"{', '.join(tasks.PAPER_TASKS)}"
        )
    if line["diverged"] not in ("True", "False"):
        raise ValueError(f"{where}: diverged {line['diverged']!r} is not True or False")
    if not line["method"]:
        raise ValueError(f"{where}: the method is empty")
    trial = Trial(
        method=line["method"],
        task=line["task"],
        lag=_integer(line["lag"], 1, "lag", where),
        distractors=_integer(line["distractors"], 1, "distractors", where, True),
        seed=_integer(line["seed"], 0, "seed", where),
        sequences=_integer(line["sequences"], 1, "sequences", where, True),
        sequences_from_cell=_integer(
            line["sequences_from_cell"], 0, "sequences_from_cell", where, True
        ),
        diverged=line["diverged"] == "True",
        budget=_integer(line["budget"], 1, "budget", where),
        path=path,
        line=number,
    )
    if (trial.task == "2c") != (trial.distractors is not None):
        raise ValueError(
            f"{where}: Task {trial.task} with distractors "
            f"{line['distractors']!r}: Task 2c has distractors, 2a and 2b none"
        )
    if trial.sequences_from_cell is not None and (
        trial.sequences is None or trial.sequences_from_cell > trial.sequences
    ):
        raise ValueError(
            f"{where}: sequences_from_cell {trial.sequences_from_cell:,} with "
            f"sequences {line['sequences'] or 'empty'}: a count from the cell is "
            "at most the whole count, and a failed trial has neither"
        )
    return trial


def read_trials(path):
    """argparse type for --from-trials: the Trials of a file `paper.py --trials` wrote.

    Each error names the file, and the line, column and value where one is bad.
    """
    try:
        with open(path, newline="") as file:
            reader = csv.DictReader(file)
            missing = [
                c
                for c in paper_table.TRIAL_COLUMNS
                if c not in (reader.fieldnames or ())
            ]
            if missing:
                raise argparse.ArgumentTypeError(
                    f"{path} has no column {', '.join(missing)}: is it a file "
                    "that paper.py --trials wrote?"
                )
            # The header is line 1; a trial's line is the reader's after it.
            found = [_trial(line, path, reader.line_num) for line in reader]
    except OSError as err:
        raise argparse.ArgumentTypeError(
            f"cannot read {path}: {err.strerror}"
        ) from None
    except (ValueError, csv.Error) as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if not found:
        raise argparse.ArgumentTypeError(f"{path} holds no trials")
    return found


def describe(configuration):
    """A configuration as the options that chose it, for the errors and notes."""
    method, task, lag, distractors = configuration
    words = f"the row {method!r} at --task {task} --lag {lag}"
    return words if distractors is None else f"{words} --distractors {distractors}"


def group(files):
    """The trials of `files` (lists of Trials) by configuration, in the order
    first met, each sorted by seed.

    ValueError, naming both places, for a seed given twice for one
    configuration (overlapping shards, or one file given twice), for two
    budgets in one configuration, and for trials of which some count from the
    cell and others cannot.
    """
    groups = {}
    for trial in (trial for trials in files for trial in trials):
        seen = groups.setdefault(trial.configuration, {})
        first = next(iter(seen.values()), None)
        if trial.seed in seen:
            raise ValueError(
                f"seed {trial.seed} of {describe(trial.configuration)} is in "
                f"{seen[trial.seed].where} and in {trial.where}: the shards "
                "overlap, or one file is given twice"
            )
        if first is not None and trial.budget != first.budget:
            raise ValueError(
                f"{describe(trial.configuration)} has budget {first.budget:,} in "
                f"{first.where} and {trial.budget:,} in {trial.where}: one row's "
                "trials share one budget (--max-sequences)"
            )
        seen[trial.seed] = trial
    for seen in groups.values():
        learned = [t for t in seen.values() if t.sequences is not None]
        counted = {t.sequences_from_cell is not None: t for t in learned}
        if len(counted) == 2:
            raise ValueError(
                f"{describe(counted[True].configuration)}: "
                f"{counted[True].where} counts from the cell and "
                f"{counted[False].where} does not: not one method's trials"
            )
    return {
        key: sorted(seen.values(), key=lambda t: t.seed) for key, seen in groups.items()
    }


def row(trials):
    """One configuration's row from its trials: `paper_table.summarise_paper`'s,
    as one run over all their seeds would give it, without the seconds."""
    counts = [t.sequences for t in trials]
    cell_added = None
    if any(t.sequences_from_cell is not None for t in trials):
        # A failed trial's cell plays no part in the row.
        cell_added = [
            None if t.sequences is None else t.sequences - t.sequences_from_cell
            for t in trials
        ]
    method, task, lag, distractors = trials[0].configuration
    return paper_table.summarise_paper(
        method,
        task,
        lag,
        counts,
        [t.diverged for t in trials],
        None,
        trials[0].budget,
        cell_added,
        distractors=distractors,
    )


def missing_seeds(seeds):
    """The gaps in sorted `seeds`, as 'a-b' or 'a' strings: a shard that did not
    finish, or one not given."""
    gaps = []
    for low, high in itertools.pairwise(seeds):
        if high > low + 1:
            gaps.append(f"{low + 1}" if high == low + 2 else f"{low + 1}-{high - 1}")
    return gaps


class Files(argparse.Action):
    """argparse action for --from-trials: one or more files after the flag (a
    shell glob's expansion), each read by the option's type; given twice, the
    files add up."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs="+", **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        before = getattr(namespace, self.dest, None)
        before = before if isinstance(before, list) else []  # None: not given yet
        setattr(namespace, self.dest, [*before, *values])
