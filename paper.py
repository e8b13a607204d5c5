"""
Title: The 1997 LSTM paper's Experiment 2, beside its Tables 2 and 3
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/11/29
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
- the forget gate's bias starts at 10, not Keras's 1. The gate then starts at
  0.99995, close to the paper's cell, which had no forget gate, and the cell
  keeps what it stores over 1,000 steps;
- the input gate's bias starts at -3, not Keras's 0. With a forget gate near 1,
  whatever the input gate lets in piles up in the cell step after step; over
  1,000 steps the cell saturates and the two sequences' states become the
  same: the paper's "internal state drift", which it remedied with negative
  input gate biases;
- the last step's loss weighs 1,000 times any other step's. It is the one step
  that needs the memory, and the memory has to form before the drift sets in;
- 64 units, so that more cells have a chance to keep the difference;
- Adam's learning rate is 0.01, ten times Keras's default, for the same reason.

Task 2c has its own regime, in `lstm_lab/modern_2c.py`. Every default is in
`lstm_lab/regimes.py`.

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
"""

import argparse
import dataclasses
import sys

import numpy as np

from lstm_lab import (
    cli,
    epoch_trainer,
    estimates,
    method_1997,
    modern_2ab,
    modern_2c,
    options_1997,
    paper_table,
    regimes,
    tasks,
)
from lstm_lab.references import numpy_1997

METHODS = ("modern", "1997")
TASKS = ["2a", "2b"]
LAGS = [100]
ARTICLE_LAGS = [10, 100]
# As many sequences as the paper's LSTM needed on average at p = 100.
ARTICLE_BUDGET = 5_040

# The options that belong to one method, and those both take: each sets the
# settings field of its name (--lr sets learning_rate).
MODERN_OPTIONS = ("units", "forget_bias", "input_bias", "last_weight")
OPTIONS_1997 = options_1997.NAMES
SHARED_OPTIONS = {"lr": "learning_rate", "max_sequences": "max_sequences"}


def settings(args, method, task, lag=None):
    """The method's settings for the task (lstm_lab/regimes.py), with the options given.

    An option that the task's settings do not have (Task 2c has no last step
    weight and no input->output path) does not reach them. Task 2c's modern
    defaults depend on the lag (regimes.Modern2c.for_lag).
    """
    given = {field: getattr(args, flag) for flag, field in SHARED_OPTIONS.items()}
    if method == "1997":
        given |= {name: getattr(args, name) for name in OPTIONS_1997}
        for name, own_task in options_1997.TASK_OF.items():
            if task != own_task:
                given[name] = None
        base = regimes.Method1997.for_task(task)
    else:
        given |= {name: getattr(args, name) for name in MODERN_OPTIONS}
        given["direct"] = False if args.no_direct else None
        base = (
            regimes.Modern2c.for_lag(lag or 0) if task == "2c" else regimes.Modern2ab()
        )
    fields = {field.name for field in dataclasses.fields(base)}
    chosen = {k: v for k, v in given.items() if v is not None and k in fields}
    return dataclasses.replace(base, **chosen)


def defaults_help(field):
    """Each method's and task's default for a settings field, e.g. for --lr."""
    parts = []
    for method in METHODS:
        pairs = {}
        for task in tasks.PAPER_TASKS:
            if method == "modern":
                base = regimes.Modern2c() if task == "2c" else regimes.Modern2ab()
            else:
                base = regimes.Method1997.for_task(task)
            if hasattr(base, field):
                pairs.setdefault(getattr(base, field), []).append(task)
        shown = "; ".join(f"{v:g} for {', '.join(t)}" for v, t in pairs.items())
        if shown:
            parts.append((method, shown))
    if len(parts) == 1:  # an option of one method: its help names the method
        return parts[0][1]
    return ". ".join(f"{method}: {shown}" for method, shown in parts)


"""
## Training
"""


def article_regime_orders(seeds, budget, check_every):
    """Which of the two sequences each run trains on, (runs, checks, check_every).

    x- or y-first with probability 0.5 each, from each run's own stream; one
    "epoch" of the epoch trainer is the `check_every` sequences between checks.
    """
    n_checks = -(-budget // check_every)
    return np.stack(
        [
            np.random.default_rng([s, 0]).integers(0, 2, (n_checks, check_every))
            for s in seeds
        ]
    )


def article_regime_counts(seeds, p, budget, check_every, progress):
    """The tutorial's network and regime on Task 2a: (sequences to success or None, diverged).

    LSTM(20) and Dense, Adam 0.001, one update per time step with the state
    carried through the sequence (the epoch trainer), each sequence x- or
    y-first with probability 0.5. The criterion is checked every
    `check_every` sequences. `progress(epochs_done)` is called as training goes.
    """
    result = epoch_trainer.train_runs(
        seeds,
        tasks.lag_sequences(p),
        p + 1,
        epochs=-(-budget // check_every),
        orders=article_regime_orders(seeds, budget, check_every),
        update="step",
        progress=progress,
    )
    counts = []
    for errors, diverged in zip(result["max_error"], result["diverged"]):
        met = np.flatnonzero(tasks.within(errors))
        ok = met.size and not diverged
        counts.append(int(met[0] + 1) * check_every if ok else None)
    return counts, result["diverged"]


def configurations(args):
    """(method, task, lag, distractors) to train: 2c takes each lag with each distractor count."""
    configs = []
    for method in args.method:
        for task in args.task:
            for lag in args.lag:
                if task != "2c":
                    configs.append((method, task, lag, None))
                else:
                    configs += [
                        (method, task, lag, p) for p in args.distractors or [lag]
                    ]
    return configs


def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
    """One configuration's runs, side by side: the online.Outcome."""
    if method == "1997":
        return method_1997.train_1997(
            seeds, task, lag, distractors, chosen, progress=progress
        )
    if task == "2c":
        return modern_2c.train_2c(seeds, lag, distractors, chosen, progress=progress)
    return modern_2ab.train_2ab(seeds, task, lag, chosen, progress=progress)


def write_trials(args, trials, row, seeds, counts, diverged, cell_added=None):
    """With --trials, add a row's trials to `trials` and write them all to the file."""
    if args.trials is None:
        return
    trials += paper_table.trial_rows(row, seeds, counts, diverged, cell_added)
    cli.write_atomically(args.trials, cli.format_table(trials, "csv"))


def cmd_paper(args):
    seeds = cli.seeds_of(args)
    configs = [(*c, settings(args, *c[:3])) for c in configurations(args)]
    # Progress counts training sequences: each configuration's budget, then
    # each article-regime row's.
    progress = cli.Progress(
        sum(chosen.max_sequences for *_, chosen in configs)
        + len(args.article_lags) * args.article_budget,
        unit="sequence",
        shown=args.show_progress,
    )
    trials = []  # one row per trial, for --trials
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
        )
        row["distractors"] = distractors
        cell_added = outcome.details.get("cell_added")
        write_trials(
            args, trials, row, seeds, outcome.counts, outcome.diverged, cell_added
        )
        yield row
    check_every = regimes.Modern2ab.check_every
    for p in args.article_lags:
        part = progress.part()
        (counts, diverged), seconds = cli.timed(
            article_regime_counts,
            seeds,
            p,
            args.article_budget,
            check_every,
            lambda epochs, part=part: part(epochs * check_every),
        )
        row = paper_table.summarise_paper(
            "article's: LSTM(20), one update per step, gradient through 1 step",
            "2a",
            p,
            counts,
            diverged,
            seconds,
            args.article_budget,
        )
        write_trials(args, trials, row, seeds, counts, diverged)
        yield row
    yield from paper_table.paper_rows(
        set(args.task) | ({"2a"} if args.article_lags else set())
    )


"""
## Command line
"""


def check_paper(args):
    """Refuse lags below 2, meaningless combinations and sizes out of reach."""
    if args.trials is not None:
        try:
            cli.check_writable(args.trials)
        except ValueError as err:
            raise ValueError(f"argument --trials: {err}") from None
    if args.article_lags is None:
        modern_2a = "2a" in args.task and "modern" in args.method
        args.article_lags = ARTICLE_LAGS if modern_2a else []
    for options, method in ((OPTIONS_1997, "1997"), (MODERN_OPTIONS, "modern")):
        given = [o for o in options if getattr(args, o) is not None]
        if given and method not in args.method:
            flag = "--" + given[0].replace("_", "-")
            raise ValueError(f"{flag} is for --method {method}: add it to --method")
    if args.no_direct and "modern" not in args.method:
        raise ValueError("--no-direct is for --method modern: add it to --method")
    if args.distractors and "2c" not in args.task:
        raise ValueError("--distractors is for Task 2c: add 2c to --task")
    for name, task in options_1997.TASK_OF.items():
        if getattr(args, name) is not None and task not in args.task:
            flag = "--" + name.replace("_", "-")
            raise ValueError(f"{flag} is for Task {task}: add {task} to --task")
    if set(args.task) == {"2c"} and (args.no_direct or args.last_weight is not None):
        raise ValueError(
            "--no-direct and --last-weight are for Tasks 2a and 2b; Task 2c is "
            "judged at its last step only"
        )
    for p in args.article_lags:
        tasks.lag_sequences(p)
    for method, task, lag, distractors in configurations(args):
        if task != "2c":
            tasks.lag_sequences(lag)
        if method == "1997":
            settings(args, method, task).check(task)
        chosen = settings(args, method, task, lag)
        check_size(method, task, lag, distractors, chosen, args)


def check_size(method, task, lag, distractors, chosen, args):
    """Refuse, before training, a configuration out of reach (lstm_lab/estimates.py)."""
    budget, seeds = chosen.max_sequences, args.seeds
    what = f"--lag {lag} with {budget:,} sequences and {seeds} seeds"
    if method == "1997":
        net = numpy_1997.task_net(task, lag, distractors)
        cost = estimates.method_1997(task, net, lag, seeds)
        what = f"--method 1997 at {what}"
    elif task == "2c":
        cost = estimates.modern_2c(
            lag, distractors, chosen.units, seeds, modern_2c.PROBE
        )
        what = f"{what} of {chosen.units} units"
    else:
        cost = estimates.modern_2ab(
            task, lag, chosen.units, chosen.direct, seeds, modern_2ab.PROBE
        )
        what = f"{what} of {chosen.units} units"
    work = estimates.online_work(cost, budget, chosen.check_every, seeds)
    estimates.check_within(what, cost.n_bytes, work)


def lag_list_or_none(text):
    """argparse type: comma-separated lags, or `none` for an empty list."""
    return [] if text.strip().lower() == "none" else cli.int_list(text)


COMMANDS = {}
cli.register(
    COMMANDS,
    "paper",
    "The 1997 LSTM paper's Experiment 2, which the article simplifies: can an "
    "LSTM remember the first symbol across p = 100 (or 1000) steps? Tasks 2a "
    "(fixed middle) and 2b (random middle) with the paper's protocol and success "
    "criterion, beside the paper's Table 2 and the article's own training "
    "regime; Task 2c (one bit across q random distractors) beside its Table 3. "
    "Exit status: 0 when the table is complete, 2 for bad options, 130 if "
    "interrupted (the finished rows are printed).",
    cli.seeds_option(paper_table.PAPER_TRIALS),
    cli.FIRST_SEED,
    cli.Option(
        "--method",
        type=cli.choice_list(METHODS),
        default=["modern"],
        help="modern: our LSTM and Adam regime; 1997: the paper's own cell and "
        "learning rule (truncated RTRL, plain gradient descent); comma-separated "
        "for both (default: {default})",
    ),
    cli.Option(
        "--task",
        type=cli.choice_list(tasks.PAPER_TASKS),
        default=TASKS,
        help="tasks: 2a (fixed middle), 2b (random middle), 2c (one bit across "
        "q random distractors), comma-separated (default: {default})",
    ),
    cli.Option(
        "--lag",
        type=cli.int_list,
        default=LAGS,
        help="time lags, comma-separated: p for 2a and 2b (at least 2), q for 2c "
        "(default: {default})",
    ),
    cli.Option(
        "--distractors",
        type=cli.int_list,
        help="Task 2c's numbers of distractor symbols p, comma-separated "
        "(default: p = q)",
    ),
    cli.Option(
        "--max-sequences",
        type=cli.positive_int,
        help="training sequences after which a run counts as failed (default: "
        f"{defaults_help('max_sequences')})",
    ),
    cli.Option(
        "--lr",
        type=cli.positive_float,
        help="learning rate: Adam's for modern, plain gradient descent's for 1997 "
        f"(default: {defaults_help('learning_rate')})",
    ),
    cli.Option(
        "--units",
        type=cli.positive_int,
        help=f"modern: LSTM units (default: {defaults_help('units')})",
    ),
    cli.Option(
        "--forget-bias",
        type=cli.finite_float,
        help="modern: initial bias of the LSTM's forget gate; Keras's own is 1 "
        f"(default: {defaults_help('forget_bias')})",
    ),
    cli.Option(
        "--input-bias",
        type=cli.finite_float,
        help="modern: initial bias of the LSTM's input gate; Keras's own is 0 "
        f"(default: {defaults_help('input_bias')}, less ln(q/1000) for a Task "
        "2c lag q over 1,000)",
    ),
    cli.Option(
        "--no-direct",
        action="store_true",
        default=False,
        help="modern, 2a and 2b: feed the output layer the LSTM's output alone, as "
        "the article's network does, not also the input (default: off)",
    ),
    cli.Option(
        "--last-weight",
        type=cli.positive_float,
        help="modern, 2a and 2b: weight of the last step's loss, the step that "
        f"needs memory, against 1 for the others (default: "
        f"{regimes.Modern2ab.last_weight:g})",
    ),
    *options_1997.OPTIONS,
    cli.Option(
        "--article-lags",
        type=lag_list_or_none,
        help="lags p at which to add rows for the article's own network and "
        "regime (one update per time step) on Task 2a, or none (default: "
        f"{','.join(map(str, ARTICLE_LAGS))} when --task has 2a, else none)",
    ),
    cli.Option(
        "--article-budget",
        type=cli.positive_int,
        default=ARTICLE_BUDGET,
        help="training sequences for each article-regime run (default: {default})",
    ),
    *cli.output_options(),
    cli.Option(
        "--trials",
        metavar="FILE",
        help="also write each trial (its seed, and the sequences it took to "
        "succeed, empty for a failure) to FILE as CSV, after every row (default: "
        "none)",
    ),
    check=check_paper,
)(cmd_paper)


def make_parser():
    command = COMMANDS["paper"]
    parser = argparse.ArgumentParser(
        description=command.description, epilog=estimates.LIMITS
    )
    for option in command.options:
        option.add_to(parser)
    return parser


def main(argv=None):
    return cli.main_of(make_parser(), COMMANDS, argv, name="paper")


if __name__ == "__main__":
    sys.exit(main())
