"""
Title: The command-line layer: options, tables, progress and the way every command runs
Author: the lstm-memory project contributors
Date created: 2026/11/25
Last modified: 2026/11/29
Description: What `extensions.py` and `paper.py` share about talking to the
    user: option types and a declarative registry of commands, result tables in
    Markdown, CSV or JSON, a progress bar on stderr, and the exit statuses.

## Introduction

A command is a function that takes the parsed options and yields table rows,
one per configuration, as each finishes. `run_command` does the rest, the same
way for every command:

- stdout carries the table only. Progress goes to stderr, and only when stderr
  is a terminal (or with `--progress`), so a pipe or a file gets clean results.
- `--format markdown|csv|json` chooses the table's form; CSV and JSON keep
  numbers as numbers. `--out FILE` also writes the table to FILE after every
  row, atomically, so an interrupted run keeps its finished rows.
- Bad options exit with 2 and one line naming the value, before any training,
  and so does a file that cannot be written (`lstm_lab/outputs.py`).

Its policies, once for every command (docs/code.md): **Ctrl-C** takes effect
between two compiled calls, never inside one, where it can crash the process:
the next progress report (every trainer reports after each compiled call)
prints the finished rows and exits with 130, and a second Ctrl-C ends it at
once. **A closed pipe** (`| head`) ends it quietly, with status 0. **A write
that fails** ends it with one line naming the file, and status 1.
"""

import argparse
import contextlib
import csv
import dataclasses
import io
import json
import math
import os
import signal
import sys
import time

import keras
import numpy as np

from lstm_lab import checks, outputs, stats

FORMATS = ("markdown", "csv", "json")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
# More runs than this per configuration is out of reach on a small machine.
MAX_SEEDS = 10_000
FLOAT32 = np.finfo(np.float32)

"""
## Option types

Each type names the bad value in its error, and argparse turns that into one
line and exit status 2.
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
    if value > checks.MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be at most 2**32-1, got {value}")
    return value


def int_list(text):
    """argparse type: comma-separated distinct integers of at least 1, e.g. `100,250`."""
    values = [positive_int(part.strip()) for part in text.split(",")]
    return _distinct(values, text)


def float_list(text):
    """argparse type: comma-separated distinct positive finite numbers, e.g. `0.001,0.01`."""
    return _distinct([positive_float(part) for part in text.split(",")], text)


def finite_float(text):
    """argparse type: one finite number of either sign that float32 can hold."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text.strip()}")
    # The networks compute in float32: a larger number would become inf there.
    if abs(value) > FLOAT32.max:
        raise argparse.ArgumentTypeError(
            f"must be at most {FLOAT32.max:.1e} in size (float32), got {text.strip()}"
        )
    return value


def positive_float(text):
    """argparse type: one positive finite number that float32 does not round to 0."""
    value = finite_float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    if value < FLOAT32.tiny:
        raise argparse.ArgumentTypeError(
            f"must be at least {FLOAT32.tiny:.1e} (float32), got {text.strip()}"
        )
    return value


def choice_list(choices):
    """argparse type: comma-separated distinct values from `choices`."""

    def parse(text):
        values = [part.strip() for part in text.split(",")]
        for value in values:
            if value not in choices:
                raise argparse.ArgumentTypeError(
                    f"unknown value {value!r}: choose from {', '.join(choices)}"
                )
        return _distinct(values, text)

    return parse


def _distinct(values, text):
    seen = set()
    for value in values:
        if value in seen:
            raise argparse.ArgumentTypeError(f"{value!r} is repeated in {text!r}")
        seen.add(value)
    return values


"""
## The command registry

A command is declared once, with its options beside it:

    @register(COMMANDS, "name", "What question it answers.", OPTION, OPTION, ...)
    def cmd_name(args):
        yield row

`Option` holds one option's flag, type, default and help; the help may say
`{default}`, so each default is written once, where the option is declared.
`check(args)`, if given, turns a bad combination into a ValueError before any
training.
"""


@dataclasses.dataclass(frozen=True)
class Option:
    flag: str
    type: object = None
    default: object = None
    help: str = ""
    action: str = None
    choices: tuple = None
    metavar: str = None
    writes: bool = False  # names a file the command writes: tried before training

    def add_to(self, parser):
        shown = self.default
        if isinstance(shown, list):
            shown = ",".join(str(v) for v in shown) if shown else "none"
        kwargs = {"help": self.help.format(default=shown), "default": self.default}
        for name in ("type", "action", "choices", "metavar"):
            if getattr(self, name) is not None:
                kwargs[name] = getattr(self, name)
        parser.add_argument(self.flag, **kwargs)


@dataclasses.dataclass(frozen=True)
class Command:
    function: object
    description: str
    options: tuple
    check: object = None


def register(registry, name, description, *options, check=None):
    """A decorator that adds a command function and its options to `registry`."""

    def add(function):
        registry[name] = Command(function, description, options, check)
        return function

    return add


def seeds_option(default):
    """--seeds: how many independent runs per configuration."""
    return Option(
        "--seeds",
        type=lambda text: positive_int(text, MAX_SEEDS),
        default=default,
        help=f"independent runs per configuration, at most {MAX_SEEDS:,} "
        "(default: {default})",
    )


FIRST_SEED = Option(
    "--first-seed",
    type=seed_int,
    default=0,
    help="the runs use seeds first-seed, first-seed+1, ... (default: {default})",
)


def output_options():
    """The options every command has: where its table goes and in what form."""
    return (
        Option(
            "--format",
            choices=FORMATS,
            default=FORMATS[0],
            help="the table's form: markdown, csv or json (default: {default})",
        ),
        Option(
            "--out",
            metavar="FILE",
            help="also write the table to FILE after every finished row, "
            "atomically (default: none)",
            writes=True,
        ),
        Option(
            "--progress",
            action="store_true",
            default=False,
            help="show progress on stderr even when it is not a terminal "
            "(default: only on a terminal)",
        ),
    )


"""
## Tables
"""


def first_learned_epoch(correct):
    """Epoch (1-based) after which a run was correct at every later evaluation, or None.

    `correct` is a bool array (epochs,) of the criterion after each epoch. A run
    that is correct at the end but lost it on the way counts from when it last
    regained it: runs with one update per step often oscillate.
    """
    correct = np.asarray(correct, dtype=bool)
    if correct.size == 0 or not correct[-1]:
        return None
    wrong = np.flatnonzero(~correct)
    return int(wrong[-1]) + 2 if wrong.size else 1


def summarise(name, correct, seconds, diverged=None):
    """A table row from a bool array (runs, epochs) of the criterion after each epoch."""
    correct = np.asarray(correct, dtype=bool)
    runs = correct.shape[0]
    learned = int(correct[:, -1].sum())
    epochs = [first_learned_epoch(c) for c in correct]
    epochs = [e for e in epochs if e is not None]
    return {
        "configuration": name,
        "runs": runs,
        "learned": learned,
        "success_rate": learned / runs,
        **stats.interval_columns(learned, runs),
        "diverged": 0 if diverged is None else int(np.sum(diverged)),
        "median_epochs_to_learn": float(np.median(epochs)) if epochs else None,
        "ever_learned": int(correct.any(axis=1).sum()),
        "seconds": round(seconds, 2),
        "seconds_per_run": round(seconds / runs, 4),
    }


def show(value):
    """A value as Markdown shows it: numbers rounded for reading, None as -."""
    if value is None:
        return "-"
    if isinstance(value, float) and abs(value) >= 100:
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        return f"{value:,}"
    # A | inside a cell would end the cell.
    return str(value).replace("|", "\\|")


def format_table(rows, fmt=FORMATS[0]):
    """Rows (dicts with the same keys) as a Markdown, CSV or JSON table."""
    if fmt == "json":
        return json.dumps(rows, indent=1)
    keys = list(rows[0]) if rows else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    if not rows:
        return ""
    cells = [[show(r[k]) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = [
        "| " + " | ".join(k.ljust(w) for k, w in zip(keys, widths)) + " |",
        "| " + " | ".join("-" * w for w in widths) + " |",
    ]
    for c in cells:
        lines.append("| " + " | ".join(v.ljust(w) for v, w in zip(c, widths)) + " |")
    return "\n".join(lines)


"""
## Progress

One `keras.utils.Progbar` per command. Keras writes it to stdout; it is sent to
stderr here, and only shown on a terminal, so it never mixes with the table.
"""


class Progress:
    """A progress bar over `total` units of work, on stderr when shown."""

    def __init__(self, total, unit="epoch", shown=None):
        self.shown = sys.stderr.isatty() if shown is None else shown
        self.total = total
        self.bar = keras.utils.Progbar(total, unit_name=unit) if self.shown else None
        self.done = 0

    def advance_to(self, done):
        # Every trainer reports progress after each compiled call: the safe
        # moment for a Ctrl-C to take effect.
        stop_if_interrupted()
        self.done = done
        if self.bar is not None:
            with contextlib.redirect_stdout(sys.stderr):
                self.bar.update(min(done, self.total))

    def part(self):
        """A callback for one configuration that counts on from the ones before."""
        base = self.done
        return lambda done: self.advance_to(base + done)


"""
## Running a command
"""

_interrupt = {"pending": False}


def _defer_interrupt(signum, frame):
    if _interrupt["pending"]:  # a second Ctrl-C: now
        raise KeyboardInterrupt
    _interrupt["pending"] = True


def stop_if_interrupted():
    """Raise KeyboardInterrupt if Ctrl-C was pressed since the command started."""
    if _interrupt["pending"]:
        raise KeyboardInterrupt


@contextlib.contextmanager
def deferred_interrupts():
    """Within: Ctrl-C is noted, and taken at the next `stop_if_interrupted`."""
    _interrupt["pending"] = False
    try:
        previous = signal.signal(signal.SIGINT, _defer_interrupt)
    except ValueError:  # not the main thread: leave Ctrl-C as it is
        previous = None
    try:
        yield
    finally:
        _interrupt["pending"] = False
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def seeds_of(args):
    return range(args.first_seed, args.first_seed + args.seeds)


def timed(function, *args, **kwargs):
    """(function(*args, **kwargs), seconds it took)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def check_options(parser, args, command):
    """Turn bad values and combinations into one-line argparse errors (exit 2)."""
    # A program with subcommands keeps each one's parser, for its usage line.
    parser = getattr(parser, "command_parsers", {}).get(
        getattr(args, "command", None), parser
    )
    last_seed = getattr(args, "first_seed", 0) + getattr(args, "seeds", 1) - 1
    if last_seed > checks.MAX_SEED:
        parser.error(
            f"--first-seed {args.first_seed} with --seeds {args.seeds} reaches seed "
            f"{last_seed}, over 2**32-1"
        )
    try:
        outputs.check_output_files(command.options, args)
        if command.check is not None:
            command.check(args)
    except ValueError as err:
        parser.error(str(err))


def run_command(args, command):
    """Run a command's rows to the end, to Ctrl-C or to a failed write; return
    the exit status. The rows that finished are printed in every case."""
    rows = []
    # Progress bars ask for it per command; a flag on args carries --progress.
    args.show_progress = args.progress or sys.stderr.isatty()
    status, problem = EXIT_OK, None
    with deferred_interrupts():
        try:
            for row in command.function(args):
                rows.append(row)
                if args.out is not None:
                    outputs.write_atomically(args.out, format_table(rows, args.format))
                stop_if_interrupted()
        except KeyboardInterrupt:
            status = EXIT_INTERRUPTED
            problem = f"interrupted: {len(rows)} finished row(s) printed above"
        except outputs.WriteFailed as err:
            status = EXIT_FAILED
            problem = f"{err}; {len(rows)} finished row(s) printed above"
        if rows or status == EXIT_OK:
            _print_quietly(format_table(rows, args.format))
    if problem is not None:
        if args.show_progress:
            print(file=sys.stderr)  # end the progress bar's line
        print(problem, file=sys.stderr)
    return status


def _print_quietly(text):
    """Print to stdout; a reader that closed the pipe (`| head`) ends us quietly."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)


def main_of(parser, commands, argv, name=None):
    """Parse argv, check it, run the chosen command; return the exit status.

    `name` picks the command when the program has one; otherwise it comes from
    the parsed `command` subcommand.
    """
    # The backend first, so that even --help says when it is wrong.
    try:
        checks.check_backend()
    except RuntimeError as err:
        parser.error(str(err))
    args = parser.parse_args(argv)
    command = commands[name or args.command]
    check_options(parser, args, command)
    # A second Ctrl-C while the rows are being printed should not leave a traceback.
    try:
        return run_command(args, command)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return EXIT_INTERRUPTED
