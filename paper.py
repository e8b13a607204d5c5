"""
Title: The 1997 LSTM paper's Experiment 2, beside its Tables 2 and 3
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/12/07
Description: Tasks 2a, 2b and 2c of Hochreiter & Schmidhuber, "Long
    Short-Term Memory" (1997), which the tutorial simplifies, with the paper's
    protocol and success criterion: a modern LSTM, the paper's own 1997 net,
    and the article's own regime on the same task.

## Introduction

The article calls its problem a simplified version of Experiment 2 in
Hochreiter & Schmidhuber (1997). Task 2a is the tutorial's problem with a
longer gap: (x, a1..a(p-1), x) and (y, a1..a(p-1), y) over p+1 symbols, so the
network must carry the first symbol across p steps; the tutorial is p = 4. In
Task 2b the middle is a new random sequence over a1..a(p-1) every time, so only
the last step can be predicted. In Task 2c one bit, x or y, must be held across
q or more random distractors until a trigger asks for it. `lstm_lab/online.py`
runs the paper's protocol for every method; docs/paper/index.md has the results
beside the paper's tables.

    python paper.py                       # Tasks 2a and 2b at p = 100, 18 seeds
    python paper.py --task 2a --lag 1000 --seeds 10
    python paper.py --task 2c --lag 50,100 --seeds 20
    python paper.py --method 1997,modern   # the paper's own net beside ours

The network and optimiser are modern (a Keras LSTM and Adam). The training
regime is ours, one setting for p = 100 and p = 1000, and each choice has a
reason (docs/paper/modern.md has the evidence):

- the gradient runs through the whole sequence (a stateless LSTM over all p
  steps, with the state starting from zero for each sequence, which is the
  reset). A gradient through one step, the article's regime, cannot train the
  LSTM to store anything; the article-regime rows show it;
- the input also feeds the output layer directly, as in the paper's net, whose
  every layer fed all higher layers. The Dense layer can then learn the fixed
  transitions a(i) -> a(i+1) from the input alone, and the LSTM is free to hold
  the first value;
- the forget gate's bias starts at 10, not Keras's 1. The gate then starts
  at sigmoid(10), close to the paper's cell, which had no forget gate, so the
  cell can keep what it stores across a long lag;
- the input gate's bias starts at -3, not Keras's 0. With a forget gate near 1,
  whatever the input gate lets in piles up in the cell step after step; over a
  long lag the cell would saturate and the two sequences' states become the
  same: the paper's "internal state drift", which it remedied with negative
  input gate biases;
- the last step's loss weighs 1,000 times any other step's. It is the one step
  that needs the memory, and the memory has to form before the drift sets in;
- 64 units, so that more cells have a chance to keep the difference;
- Adam's learning rate is 0.01, ten times Keras's default, for the same reason.

Task 2c has its own regime, in `lstm_lab/modern_2c.py`. Every default is in
`lstm_lab/regimes.py`.

Every option is declared once, in `lstm_lab/paper_options.py`, with the
settings field it sets and the methods and tasks it is for; `--help` names
those before each option's help. An option reaches exactly the chosen
configurations it is for, and one that none of them is for is refused before
any training.

`--method 1997` trains the paper's own net instead (`lstm_lab/method_1997.py`): memory
cells without a forget gate, no biases, weights from U[-0.2, 0.2], truncated
real-time recurrent learning and plain gradient descent, with the paper's
learning rates (1.0 for 2a and 2b, 0.01 for 2c). The paper leaves four things
open, and each is an option here: when the weights change (`--update`), when
the cell joins the 2a/2b net (`--add-cell`), the range of g (`--g`); the test
sequences are never counted. It prints two things two ways, and each reading
is an option: the error's scale (`--error`) and Task 2c's ranges of h and g
(`--ranges-2c`). Whether its count starts before the 2a/2b cell joins it does
not say, so the table gives both counts. `--in-gate` and `--lr` give the
changes that docs/paper/method-1997.md tries where the printed method falls
short, and `--end-marker` a departure for Task 2b (the 1997 method only).

`--method rtrl` and `--method bptt` train the paper's own baselines for Table
2 (`lstm_lab/traditional_net.py`), Task 2a only: its traditional recurrent
net (one self-recurrent hidden unit; the inputs and the hidden unit feed the
outputs) by exact real-time recurrent learning, a weight change at every
step, or by back-propagation through each whole sequence, with its budget of
5,000,000 sequences (docs/paper/baselines.md).

A row's trials are independent by seed, so a row too long for one machine can
be split by seed range: each machine runs the same command with its own
`--first-seed K --seeds N --trials shard_K.csv`, and `paper.py --from-trials
shard_*.csv` rebuilds the row one run over all the seeds would print, without
its seconds (`lstm_lab/trials.py`, docs/paper/shards.md).
"""

import argparse
import os
import sys

import numpy as np

from lstm_lab import (
    cli,
    epoch_trainer,
    estimates,
    method_1997,
    modern_2ab,
    modern_2c,
    net_1997,
    outputs,
    paper_options,
    paper_table,
    regimes,
    tasks,
    traditional_net,
    trials,
)

"""
## Training
"""


def article_regime_orders(seeds, budget, judge_every):
    """Which of the two sequences each run trains on, (runs, judgements, judge_every).

    x- or y-first with probability 0.5 each, from each run's own training
    stream; one "epoch" of the epoch trainer is the `judge_every` sequences
    between judgements.
    """
    n_judgements = -(-budget // judge_every)
    return np.stack(
        [
            tasks.stream(s, "train").integers(0, 2, (n_judgements, judge_every))
            for s in seeds
        ]
    )


def article_regime_counts(seeds, lag, budget, judge_every, progress):
    """The tutorial's network and regime on Task 2a: (sequences to success or None, diverged).

    LSTM(20) and Dense, Adam 0.001, one update per time step with the state
    carried through the sequence (the epoch trainer), each sequence x- or
    y-first with probability 0.5. The criterion is judged every
    `judge_every` sequences. `progress(epochs_done)` is called as training goes.
    """
    result = epoch_trainer.train_runs(
        seeds,
        tasks.lag_sequences(lag),
        lag + 1,
        epochs=-(-budget // judge_every),
        orders=article_regime_orders(seeds, budget, judge_every),
        update="step",
        progress=progress,
    )
    counts = []
    for errors, diverged in zip(result["max_error"], result["diverged"]):
        met = np.flatnonzero(tasks.within(errors))
        ok = met.size and not diverged
        counts.append(int(met[0] + 1) * judge_every if ok else None)
    return counts, result["diverged"]


def configurations(args):
    """(method, task, lag, distractors) to train: 2c takes each lag with each distractor count."""
    configs = []
    for method in args.method:
        for task in args.task:
            if not paper_options.trains(method, task):
                continue  # refused by check_paper unless another method takes it
            for lag in args.lag:
                if task != "2c":
                    configs.append((method, task, lag, None))
                else:
                    configs += [
                        (method, task, lag, distractors)
                        for distractors in args.distractors or [lag]
                    ]
    return configs


def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
    """One configuration's runs, side by side: the online.Outcome."""
    if method == "1997":
        return method_1997.train_1997(
            seeds, task, lag, distractors, chosen, progress=progress
        )
    if method in traditional_net.METHODS:
        return traditional_net.train_traditional(seeds, method, lag, chosen, progress)
    if task == "2c":
        return modern_2c.train_2c(seeds, lag, distractors, chosen, progress=progress)
    return modern_2ab.train_2ab(seeds, task, lag, chosen, progress=progress)


def write_trials(args, written, row, seeds, counts, diverged, cell_added=None):
    """With --trials, add a row's trials to `written` and write them all to the file."""
    if args.trials is None:
        return
    written += paper_table.trial_rows(row, seeds, counts, diverged, cell_added)
    outputs.write_atomically(args.trials, cli.format_table(written, "csv"))


def cmd_paper(args):
    if args.from_trials is not None:
        yield from rebuilt_rows(args)
        return
    seeds = cli.seeds_of(args)
    configs = [
        (*config, paper_options.settings(args, *config[:3]))
        for config in configurations(args)
    ]
    article_lags = paper_options.article_lags(args)
    article_budget = paper_options.article_budget(args)
    # Progress counts training sequences: each configuration's budget, then
    # each article-regime row's.
    progress = cli.Progress(
        sum(chosen.max_sequences for *_, chosen in configs)
        + len(article_lags) * article_budget,
        unit="sequence",
        shown=args.show_progress,
    )
    written = []  # one row per trial, for --trials
    for method, task, lag, distractors, chosen in configs:
        part = progress.part()
        outcome, seconds = cli.timed(
            train_configuration, method, task, lag, distractors, chosen, seeds, part
        )
        part(chosen.max_sequences)
        row = paper_table.summarise_paper(
            paper_table.method_name(method, task, chosen),
            task,
            lag,
            outcome.counts,
            outcome.diverged,
            seconds,
            chosen.max_sequences,
            outcome.details.get("cell_added"),
            distractors=distractors,
        )
        cell_added = outcome.details.get("cell_added")
        write_trials(
            args, written, row, seeds, outcome.counts, outcome.diverged, cell_added
        )
        yield row
    judge_every = regimes.Settings2ab.judge_every
    for lag in article_lags:
        part = progress.part()
        (counts, diverged), seconds = cli.timed(
            article_regime_counts,
            seeds,
            lag,
            article_budget,
            judge_every,
            lambda epochs, part=part: part(epochs * judge_every),
        )
        row = paper_table.summarise_paper(
            "article's: LSTM(20), one update per step, gradient through 1 step",
            "2a",
            lag,
            counts,
            diverged,
            seconds,
            article_budget,
        )
        write_trials(args, written, row, seeds, counts, diverged)
        yield row
    yield from paper_table.paper_rows(
        set(args.task) | ({"2a"} if article_lags else set())
    )


def rebuilt_rows(args):
    """--from-trials: each configuration's row from its trials, then the paper's."""
    groups = trials.group(args.from_trials)
    if args.trials is not None:
        merged = [t.as_written() for group in groups.values() for t in group]
        outputs.write_atomically(args.trials, cli.format_table(merged, "csv"))
    for configuration, group in groups.items():
        seeds = [t.seed for t in group]
        gaps = trials.missing_seeds(seeds)
        if gaps:
            # A shard that did not finish, or was not given: the row is
            # still the row of the seeds it has, so it is a note, not an error.
            print(
                f"note: {trials.describe(configuration)} has no trial for seeds "
                f"{', '.join(gaps)} (it has {len(seeds)}, seeds {seeds[0]} to "
                f"{seeds[-1]})",
                file=sys.stderr,
            )
        yield trials.row(group)
    yield from paper_table.paper_rows({task for _, task, _, _ in groups})


"""
## Command line
"""

# What --from-trials takes beside it: where the table goes, not how to train.
WITH_FROM_TRIALS = ("--from-trials", "--trials", "--format", "--out", "--progress")


def check_paper(args):
    """Refuse misplaced options, lags below 2, bad 1997 settings and sizes out of reach."""
    if args.from_trials is not None:
        check_from_trials(args)
        return
    paper_options.check_applies(args)
    for lag in paper_options.article_lags(args):
        tasks.lag_sequences(lag)
    for method, task, lag, distractors in configurations(args):
        if task != "2c":
            tasks.lag_sequences(lag)
        chosen = paper_options.settings(args, method, task, lag)
        if method == "1997":
            chosen.check(task)
        check_size(method, task, lag, distractors, chosen, args.seeds)


def check_from_trials(args):
    """Refuse, naming it, an option that trains beside --from-trials (even at
    its default value), an output that would overwrite a trials file read, and
    trials that make no row (trials.group)."""
    for row in paper_options.TABLE:
        if row.option.flag not in WITH_FROM_TRIALS and row.dest in args.given:
            raise ValueError(
                f"{row.option.flag} does not apply to --from-trials, which trains "
                "nothing: the trials files hold the seeds, and each row's name "
                f"and budget. It takes only {', '.join(WITH_FROM_TRIALS[1:])}"
            )
    read = {os.path.realpath(found[0].path) for found in args.from_trials}
    for flag in ("--out", "--trials"):
        path = getattr(args, flag[2:])
        if path is not None and os.path.realpath(path) in read:
            raise ValueError(
                f"{flag} {path} is one of the --from-trials files: it would be "
                "overwritten"
            )
    trials.group(args.from_trials)


def check_size(method, task, lag, distractors, chosen, n_runs):
    """Refuse, before training, a configuration out of reach (lstm_lab/estimates.py)."""
    budget = chosen.max_sequences
    what = f"--lag {lag} with {budget:,} sequences and {n_runs} seeds"
    if method == "1997":
        net = net_1997.task_net(task, lag, distractors, cells=chosen.cells)
        cost = estimates.method_1997(task, net, lag, n_runs)
        what = f"--method 1997 at {what}"
    elif method in traditional_net.METHODS:
        cost = estimates.traditional(method, lag, n_runs, chosen.judge_every)
        what = f"--method {method} at {what}"
    elif task == "2c":
        cost = estimates.modern_2c(
            lag, distractors, chosen.units, n_runs, modern_2c.PROBE, cell=chosen.cell
        )
        what = f"{what} of {chosen.units} units"
    else:
        cost = estimates.modern_2ab(
            task,
            lag,
            chosen.units,
            chosen.direct,
            n_runs,
            modern_2ab.PROBE,
            cell=chosen.cell,
        )
        what = f"{what} of {chosen.units} units"
    work = estimates.online_work(cost, budget, chosen.judge_every, n_runs)
    estimates.check_within(what, cost.n_bytes, work)


COMMANDS = {}
cli.register(
    COMMANDS,
    "paper",
    "The 1997 LSTM paper's Experiment 2, which the article simplifies: can an "
    "LSTM remember the first symbol across p = 100 (or 1000) steps? Tasks 2a "
    "(fixed middle) and 2b (random middle) with the paper's protocol and success "
    "criterion, beside the paper's Table 2 and the article's own training "
    "regime; Task 2c (one bit across q random distractors) beside its Table 3. "
    "Exit status: 0 when the table is complete, 1 if a file could not be "
    "written, 2 for bad options, 130 if interrupted (the finished rows are "
    "printed in every case).",
    *paper_options.OPTIONS,
    check=check_paper,
)(cmd_paper)


def make_parser(parser_class=argparse.ArgumentParser):
    command = COMMANDS["paper"]
    parser = parser_class(
        description=command.description,
        epilog=f"{paper_options.RULE} {estimates.LIMITS}",
    )
    for option in command.options:
        option.add_to(parser)
    parser.set_defaults(given=frozenset())
    return parser


class _Probe(argparse.ArgumentParser):
    """A parser that raises, not exits, on a bad command line, and has no
    --help: the real parse reports the one and answers the other."""

    def __init__(self, **kwargs):
        super().__init__(add_help=False, exit_on_error=False, **kwargs)

    def error(self, message):
        raise argparse.ArgumentError(None, message)


def given_options(argv):
    """The dests of the options that argv gives, even those given at their
    default value, which the parsed options cannot tell from the default."""
    unset = object()
    names = [row.dest for row in paper_options.TABLE]
    namespace = argparse.Namespace(**dict.fromkeys(names, unset))
    try:
        make_parser(_Probe).parse_known_args(argv, namespace)
    except argparse.ArgumentError:
        return frozenset()  # the real parse says what is wrong
    return frozenset(n for n in names if getattr(namespace, n) is not unset)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = make_parser()
    parser.set_defaults(given=given_options(argv))
    return cli.main_of(parser, COMMANDS, argv, name="paper")


if __name__ == "__main__":
    sys.exit(main())
