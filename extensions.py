"""
Title: Extensions of the LSTM memory tutorial, measured over many seeds
Author: the lstm-memory project contributors, after Jason Brownlee's tutorial
Date created: 2026/11/24
Last modified: 2026/11/30
Description: The article's six Extensions, one subcommand each, plus `inspect`
    and `nets`, each answered with a table of how many runs learned the task.

## Introduction

The tutorial ends with six ideas to try: Tuning, Arbitrary Alphabets, Long
Sequences, Random Sequences, Batch Learning and Shuffle Epoch. Each is a
subcommand here. One run says little, because whether the LSTM learns the
memory step depends on the random start. So every subcommand trains `--seeds`
independent runs of each configuration and prints a table: how many learned,
the success rate, how many diverged, the median number of epochs to learn, and
the wall time. A run has *learned* when, after its last epoch, the argmax of
every step is right: the article's criterion (see `lstm_lab/tasks.py`).

    python extensions.py tuning --epochs 100,250,500 --units 5,10,20 --seeds 100
    python extensions.py batch --seeds 100
    python extensions.py inspect --plot memory.png

The runs of a configuration train side by side in one compiled TensorFlow
function (`lstm_lab/epoch_trainer.py`), which gives the same weights as the
tutorial's Keras loop within float rounding. The 1997 paper's experiment, which
the article simplifies, is `paper.py`.
"""

import argparse
import sys

import numpy as np

from lstm_lab import (
    article,
    baseline_nets,
    cli,
    epoch_trainer,
    estimates,
    outputs,
    plots,
    tasks,
    tf_ops,
)

ARTICLE_SYMBOLS = article.N_UNIQUE
SWEEP_SEEDS = 100  # for the article's own problem, where a run is cheap
SEEDS = 20  # for the larger problems
INSPECT_SEEDS = 10
ALPHABETS = [5, 10, 20]
SEQUENCE_COUNTS = [2, 3, 4]
MIDDLE = 3  # the article's middle, 0 1 2
LAGS = [4, 10, 20]
RANDOM_SYMBOLS = 3
# 36 training and 18 test sequences: all 54 distinct (marker, middle) pairs
# with 2 markers and 3^3 middles.
RANDOM_TRAIN, RANDOM_TEST = 36, 18
"""
## Options

Each option is declared once, with its default, and shared by the commands
that take it.
"""


def option(flag, default, what, parse=cli.positive_int):
    return cli.Option(
        flag, type=parse, default=default, help=what + " (default: {default})"
    )


def list_option(flag, default, what, parse=cli.int_list):
    return option(flag, default, what + " (comma-separated list)", parse)


EPOCHS = option("--epochs", article.DEFAULT_EPOCHS, "epochs")
UNITS = option("--units", article.DEFAULT_UNITS, "LSTM units")
LR = option("--lr", tf_ops.LEARNING_RATE, "Adam learning rate", cli.positive_float)
UPDATE = cli.Option(
    "--update",
    choices=epoch_trainer.UPDATES,
    default=epoch_trainer.UPDATES[0],
    help="step: one update per time step, as the article (default); "
    "sequence: one per sequence, gradient through all steps; epoch: one per epoch",
)
MIDDLE_OPTION = option("--middle", MIDDLE, "middle length")
TRAINING = (EPOCHS, UNITS, LR)


NUMERICS = cli.Option(
    "--numerics",
    choices=tuple(article.NUMERICS),
    default="keras3",
    help="keras3: today's sigmoid gates and Adam epsilon 1e-7; keras2: the "
    "article's hard sigmoid gates and epsilon 1e-8 (default: {default})",
)


def common(seeds):
    options = (cli.seeds_option(seeds), cli.FIRST_SEED, *cli.output_options())
    return (*options, NUMERICS)


def check_size(n_runs, n_symbols, units, epochs, per_epoch, length, n_eval=None):
    """Refuse, before training, a sweep that is out of reach (lstm_lab/estimates.py)."""
    sizes = (n_runs, n_symbols, units, epochs, per_epoch, length)
    estimates.check_epoch_training(*sizes, per_epoch if n_eval is None else n_eval)


def train_seeds(args, sequences, n_symbols, progress, **options):
    """epoch_trainer.train_runs over the command's seeds; returns (result, seconds)."""
    seeds, part = cli.seeds_of(args), progress.part()
    run = epoch_trainer.train_runs
    return cli.timed(run, seeds, sequences, n_symbols, progress=part, **options)


def settings(args, **overrides):
    """The training options a command's runs share, from its parsed options.

    `batch` has no --update: it sets the update itself, as an override.
    """
    shared = {"units": args.units, "epochs": args.epochs, "learning_rate": args.lr}
    shared["numerics"] = args.numerics
    if hasattr(args, "update"):
        shared["update"] = args.update
    return {**shared, **overrides}


def row(name, result, seconds, epochs=None):
    """The table row of one configuration: the article's criterion per run."""
    correct = result["correct"] if epochs is None else result["correct"][:, :epochs]
    return cli.summarise(name, correct, seconds, result["diverged"])


"""
## The extensions

Each command yields its table rows as its configurations finish.
"""

COMMANDS = {}


def check_tuning(args):
    for units in args.units:
        check_size(args.seeds, ARTICLE_SYMBOLS, units, max(args.epochs), 2, 4)


@cli.register(
    COMMANDS,
    "tuning",
    "Extension 1, Tuning: the article's settings came from trial and error. Does "
    "a smaller or cheaper configuration learn as often? A grid over epochs, LSTM "
    "units and Adam's learning rate.",
    *common(SWEEP_SEEDS),
    list_option("--epochs", [article.DEFAULT_EPOCHS], "epoch counts"),
    list_option("--units", [article.DEFAULT_UNITS], "unit counts"),
    list_option("--lr", [tf_ops.LEARNING_RATE], "Adam learning rates", cli.float_list),
    UPDATE,
    check=check_tuning,
)
def cmd_tuning(args):
    sequences = tasks.article_sequences()
    max_epochs = max(args.epochs)
    configs = [(u, lr) for u in args.units for lr in args.lr]
    progress = cli.Progress(len(configs) * max_epochs, shown=args.show_progress)
    for units, lr in configs:
        options = settings(args, units=units, epochs=max_epochs, learning_rate=lr)
        result, seconds = train_seeds(
            args, sequences, ARTICLE_SYMBOLS, progress, **options
        )
        # A run of E epochs is the first E epochs of a longer run with the same
        # seed, so one run of the largest epoch count answers every smaller one.
        for epochs in sorted(args.epochs):
            name = f"epochs={epochs} units={units} lr={lr:g}"
            yield row(name, result, seconds * epochs / max_epochs, epochs)


def check_alphabet(args):
    for n_symbols in args.alphabet:
        for k in args.sequences:
            tasks.marker_sequences(n_symbols, k, args.middle)
            sizes = (args.units, args.epochs, k, args.middle + 1)
            check_size(args.seeds, n_symbols, *sizes)


@cli.register(
    COMMANDS,
    "alphabet",
    "Extension 2, Arbitrary Alphabets: does the memory still work with a larger "
    "alphabet and with more than two sequences? k sequences share a middle and "
    "differ in their first and last values. (Which symbols are used does not "
    "matter to a one hot network, only how many.)",
    *common(SEEDS),
    *TRAINING,
    UPDATE,
    list_option("--alphabet", ALPHABETS, "alphabet sizes"),
    list_option("--sequences", SEQUENCE_COUNTS, "numbers of sequences"),
    MIDDLE_OPTION,
    check=check_alphabet,
)
def cmd_alphabet(args):
    configs = [(n, k) for n in args.alphabet for k in args.sequences]
    progress = cli.Progress(len(configs) * args.epochs, shown=args.show_progress)
    for n_symbols, k in configs:
        sequences = tasks.marker_sequences(n_symbols, k, args.middle)
        result, seconds = train_seeds(
            args, sequences, n_symbols, progress, **settings(args)
        )
        yield row(f"{n_symbols} symbols, {k} sequences", result, seconds)


def check_long(args):
    for p in args.lag:
        tasks.lag_sequences(p)
        check_size(args.seeds, p + 1, args.units, args.epochs, 2, p)


@cli.register(
    COMMANDS,
    "long",
    "Extension 3, Long Sequences: can it remember across p steps? The paper's "
    "Task 2a: (x, a1..a(p-1), x) and (y, a1..a(p-1), y); p=4 is the article's "
    "problem.",
    *common(SEEDS),
    *TRAINING,
    UPDATE,
    list_option("--lag", LAGS, "time lags p, at least 2"),
    check=check_long,
)
def cmd_long(args):
    progress = cli.Progress(len(args.lag) * args.epochs, shown=args.show_progress)
    for p in args.lag:
        sequences = tasks.lag_sequences(p)
        result, seconds = train_seeds(
            args, sequences, p + 1, progress, **settings(args)
        )
        result_row = row(f"p={p} ({p + 1} steps)", result, seconds)
        # The paper's stricter criterion, from the same runs.
        met = tasks.within(result["max_error"][:, -1]) & ~result["diverged"]
        result_row["within_threshold"] = int(met.sum())
        yield result_row


def check_random(args):
    total = 2 * args.symbols**args.middle
    if args.train + args.test > total:
        raise ValueError(
            f"only {total} distinct sequences exist with 2 first values and "
            f"{args.symbols}^{args.middle} middles, but --train {args.train} and "
            f"--test {args.test} ask for {args.train + args.test}"
        )
    sizes = (args.symbols + 2, args.units, args.epochs, args.train, args.middle + 1)
    check_size(args.seeds, *sizes, args.test)


@cli.register(
    COMMANDS,
    "random",
    "Extension 4, Random Sequences: with random middles, does the network learn "
    "a general rule (repeat the first value) that holds on sequences it never "
    "saw? Trains on some random-middle sequences and tests the last step on "
    "disjoint ones.",
    *common(SEEDS),
    *TRAINING,
    UPDATE,
    MIDDLE_OPTION,
    option("--symbols", RANDOM_SYMBOLS, "symbols the middle is drawn from"),
    option("--train", RANDOM_TRAIN, "training sequences"),
    option("--test", RANDOM_TEST, "unseen test sequences"),
    check=check_random,
)
def cmd_random(args):
    rng = np.random.default_rng(args.first_seed)
    train_set, test_set = tasks.split_random_pool(
        rng, args.middle, args.symbols, args.train, args.test
    )
    n_symbols = args.symbols + 2
    progress = cli.Progress(args.epochs, shown=args.show_progress)
    # The middle values are random, so only the last step, which repeats the
    # first value, can be predicted: that is the step that needs memory.
    options = settings(args, eval_sequences=test_set, eval_steps=[-1])
    result, seconds = train_seeds(args, train_set, n_symbols, progress, **options)
    accuracy = {"train": [], "test": []}
    for weights in result["weights"]:
        for name, sequences in (("train", train_set), ("test", test_set)):
            outputs = epoch_trainer.evaluate(
                weights, sequences, n_symbols, args.numerics
            )
            predictions = outputs[0]
            accuracy[name].append(np.mean(predictions[:, -1] == sequences[:, -1]))
    name = (
        f"{len(train_set)} train / {len(test_set)} unseen test sequences, "
        f"middle of {args.middle} from {args.symbols} symbols"
    )
    result_row = row(name, result, seconds)
    result_row["memory_accuracy_train"] = round(float(np.mean(accuracy["train"])), 4)
    result_row["memory_accuracy_test"] = round(float(np.mean(accuracy["test"])), 4)
    yield result_row


BATCH_ROWS = {
    "step": "one update per time step, gradient through 1 step (article)",
    "sequence": "one update per sequence, gradient through all steps",
    "epoch": "one update per epoch, both sequences in one batch",
}


def check_article_size(args):
    check_size(args.seeds, ARTICLE_SYMBOLS, args.units, args.epochs, 2, 4)


@cli.register(
    COMMANDS,
    "batch",
    "Extension 5, Batch Learning: the article updates after every time step, "
    "with a gradient through that step only. Does training on whole sequences "
    "(the gradient through every step) learn the memory more reliably?",
    *common(SWEEP_SEEDS),
    *TRAINING,
    check=check_article_size,
)
def cmd_batch(args):
    sequences = tasks.article_sequences()
    progress = cli.Progress(len(BATCH_ROWS) * args.epochs, shown=args.show_progress)
    for update, name in BATCH_ROWS.items():
        options = settings(args, update=update)
        result, seconds = train_seeds(
            args, sequences, ARTICLE_SYMBOLS, progress, **options
        )
        yield row(name, result, seconds)


def shuffled_orders(seeds, epochs, n_sequences):
    """A random order of the sequences for each run and epoch, from each run's seed."""
    orders = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        orders.append([rng.permutation(n_sequences) for _ in range(epochs)])
    return np.array(orders)


@cli.register(
    COMMANDS,
    "shuffle",
    "Extension 6, Shuffle Epoch: does a random order of the two sequences in "
    "each epoch change how often the memory is learned?",
    *common(SWEEP_SEEDS),
    *TRAINING,
    UPDATE,
    check=check_article_size,
)
def cmd_shuffle(args):
    sequences = tasks.article_sequences()
    progress = cli.Progress(2 * args.epochs, shown=args.show_progress)
    shuffled = shuffled_orders(cli.seeds_of(args), args.epochs, len(sequences))
    for name, orders in (
        ("sequences in order (article)", None),
        ("sequences shuffled each epoch", shuffled),
    ):
        options = settings(args, orders=orders)
        result, seconds = train_seeds(
            args, sequences, ARTICLE_SYMBOLS, progress, **options
        )
        yield row(name, result, seconds)


@cli.register(
    COMMANDS,
    "nets",
    "Which nets can learn it? The article says a multilayer Perceptron cannot "
    "learn its problem. The same task with an MLP on the current input, the "
    "MLP on the last 4 inputs, a SimpleRNN, a GRU and the LSTM, each row "
    "compared with the LSTM's by Fisher's exact test.",
    cli.seeds_option(SWEEP_SEEDS),
    cli.FIRST_SEED,
    *cli.output_options(),
    EPOCHS,
    option("--units", article.DEFAULT_UNITS, "units of each net's hidden layer"),
    LR,
    *baseline_nets.OPTIONS,
    # The LSTM's size bounds every other net's, and the LSTM is always trained.
    check=check_article_size,
)
def cmd_nets(args):
    options = {"units": args.units, "epochs": args.epochs, "learning_rate": args.lr}
    seeds, shown = cli.seeds_of(args), args.show_progress
    yield from baseline_nets.table_rows(args.net, args.update, seeds, shown, **options)


"""
## Inspect: where is the memory?

After the first value, the two sequences see the same inputs (0, 1, 2), so any
difference between their states at a later step can only be the memory of the
first value. `inspect` measures that difference at each step.
"""


def check_inspect(args):
    check_article_size(args)
    if args.plot is None:
        return
    plots.import_pyplot()  # its error names --plot already
    # Before training, not after (the folder is tried as every output's is):
    # a figure that cannot be saved would end the command once the runs are
    # trained.
    try:
        plots.check_plot_format(args.plot)
    except ValueError as err:
        raise ValueError(f"argument --plot: {err}") from None


@cli.register(
    COMMANDS,
    "inspect",
    "Where is the memory? How far apart the two sequences' LSTM states are at "
    "each step, for learned and failed runs; --plot draws the states and the "
    "loss curve of the first run.",
    *common(INSPECT_SEEDS),
    *TRAINING,
    UPDATE,
    cli.Option(
        "--plot",
        metavar="FILE.png",
        help="save a figure of the first run's states, in the format that FILE's "
        "extension names, e.g. png, pdf or svg (needs matplotlib; default: none)",
        writes=True,
    ),
    check=check_inspect,
)
def cmd_inspect(args):
    sequences = tasks.article_sequences()
    progress = cli.Progress(args.epochs, shown=args.show_progress)
    result, _ = train_seeds(
        args, sequences, ARTICLE_SYMBOLS, progress, **settings(args)
    )
    for i, seed in enumerate(cli.seeds_of(args)):
        (h1, c1), (h2, c2) = (
            epoch_trainer.state_trajectory(
                result["weights"][i], s, ARTICLE_SYMBOLS, args.numerics
            )
            for s in sequences
        )
        learned = bool(result["correct"][i, -1])
        if args.plot and i == 0:
            figure = (args.plot, ((h1, c1), (h2, c2)), result["loss"][i], seed)
            try:
                plots.plot_memory(*figure, learned)
            except OSError as err:
                problem = err.strerror or err
                raise outputs.WriteFailed(
                    f"could not write {args.plot}: {problem}"
                ) from err
            print(f"saved the figure of seed {seed} to {args.plot}", file=sys.stderr)
        inspect_row = {"seed": seed, "learned": learned}
        for t, value in enumerate(sequences[0][1:-1], start=2):
            # After the first step both sequences read the same values, so
            # this distance is all that is left of the first value.
            distance = np.linalg.norm(h1[t - 1] - h2[t - 1])
            inspect_row[f"h_distance_after_{value}"] = round(float(distance), 4)
        distance = np.linalg.norm(c1[2] - c2[2])
        inspect_row["c_distance_before_memory_step"] = round(float(distance), 4)
        yield inspect_row


"""
## Command line
"""


def make_parser(commands=COMMANDS):
    parser = argparse.ArgumentParser(
        description="The tutorial's Extensions, each measured over many seeds. "
        "Exit status: 0 when the table is complete, 2 for bad options, 130 if "
        "interrupted (the finished rows are printed).",
        epilog=estimates.LIMITS,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Errors found after parsing are reported with the command's own usage line.
    parser.command_parsers = {}
    for name, command in commands.items():
        about = command.description
        p = sub.add_parser(
            name, help=about.split(":")[0], description=about, epilog=estimates.LIMITS
        )
        for declared in command.options:
            declared.add_to(p)
        parser.command_parsers[name] = p
    return parser


def main(argv=None):
    return cli.main_of(make_parser(), COMMANDS, argv)


if __name__ == "__main__":
    sys.exit(main())
