"""
Title: The 1997 LSTM paper's Experiment 2, beside its Table 2
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/11/25
Description: Tasks 2a and 2b of Hochreiter & Schmidhuber, "Long Short-Term
    Memory" (1997), which the tutorial simplifies, with the paper's protocol and
    success criterion, and the article's own regime on the same task.

## Introduction

The article calls its problem a simplified version of Experiment 2 in
Hochreiter & Schmidhuber (1997). Task 2a is the tutorial's problem with a
longer gap: (x, a1..a(p-1), x) and (y, a1..a(p-1), y) over p+1 symbols, so the
network must carry the first symbol across p steps; the tutorial is p = 4. In
Task 2b the middle is a new random sequence over a1..a(p-1) every time, so only
the last step can be predicted. `paper_model.py` holds the protocol, the
network and the check.

    python paper.py                       # Tasks 2a and 2b at p = 100, 18 seeds
    python paper.py --task 2a --lag 1000 --seeds 10
    python paper.py --task 2c --lag 50,100 --seeds 20
    python paper.py --method 1997,modern   # the paper's own net beside ours

The network and optimiser are modern (a Keras LSTM and Adam). The training
regime is ours, one setting for p = 100 and p = 1000, and each choice has a
reason (docs/paper.md has the evidence):

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

Task 2c has its own regime, in `modern_2c.py`.

`--method 1997` trains the paper's own net instead (`paper_1997.py`): memory
cells without a forget gate, no biases, weights from U[-0.2, 0.2], truncated
real-time recurrent learning and plain gradient descent, with the paper's
learning rates (1.0 for 2a and 2b, 0.01 for 2c). The paper leaves four things
open, and each is an option here: when the weights change (`--update`), when
the cell joins the 2a/2b net (`--add-cell`), the range of g (`--g`); the test
sequences are never counted. `--in-gate` and `--rate` give the changes that
docs/paper.md tries where the printed method falls short.
"""

import argparse
import sys

import numpy as np

from lstm_lab import cli, epoch_trainer, method_1997, modern_2ab, modern_2c, tasks
from lstm_lab.references import keras_2ab

PAPER_TRIALS = 18  # the paper's figures are means of 18 trials
METHODS = ("modern", "1997")
TASKS = ["2a", "2b"]
LAGS = [100]
ARTICLE_LAGS = [10, 100]
# As many sequences as the paper's LSTM needed on average at p = 100.
ARTICLE_BUDGET = 5_040
MAX_WORK = 1e15  # multiply-adds: days on a 2-core CPU
MAX_BYTES = 4 * 2**30

# Hochreiter & Schmidhuber (1997), Table 2 (Task 2a) and the text on Task 2b:
# method, task, p, trials, % success, mean training sequences until success,
# and the budget where none succeeded.
PAPER_TABLE = (
    ("RTRL (lr 1.0)", "2a", 4, 0.78, 1_043_000, None),
    ("RTRL (lr 4.0)", "2a", 4, 0.56, 892_000, None),
    ("RTRL (lr 10.0)", "2a", 4, 0.22, 254_000, None),
    ("RTRL", "2a", 10, 0.0, None, 5_000_000),
    ("RTRL", "2a", 100, 0.0, None, 5_000_000),
    ("BPTT", "2a", 100, 0.0, None, 5_000_000),
    ("CH (chunker)", "2a", 100, 0.33, 32_400, None),
    ("LSTM", "2a", 100, 1.0, 5_040, None),
    ("LSTM", "2b", 100, 1.0, 5_680, None),
)


# Hochreiter & Schmidhuber (1997), Table 3 (Task 2c, 20 trials each):
# q, p and the mean training sequences until success.
PAPER_TABLE_3 = (
    (50, 50, 30_000),
    (100, 100, 31_000),
    (200, 200, 33_000),
    (500, 500, 38_000),
    (1000, 1000, 49_000),
    (1000, 500, 49_000),
    (1000, 200, 75_000),
    (1000, 100, 135_000),
    (1000, 50, 203_000),
)
PAPER_TRIALS_2C = 20

# Each task's regime: what an option not given on the command line means.
REGIMES = {
    "2a": {
        "units": keras_2ab.UNITS,
        "lr": keras_2ab.LEARNING_RATE,
        "forget_bias": keras_2ab.FORGET_BIAS,
        "input_bias": keras_2ab.INPUT_BIAS,
        "max_sequences": keras_2ab.BUDGET,
    },
    "2b": None,  # as 2a, set below
    "2c": {
        "units": modern_2c.UNITS,
        "lr": modern_2c.LEARNING_RATE,
        "forget_bias": modern_2c.FORGET_BIAS,
        "input_bias": modern_2c.INPUT_BIAS,
        "max_sequences": modern_2c.BUDGET,
    },
}
REGIMES["2b"] = REGIMES["2a"]  # the same network and regime

# The 1997 method's settings per task (paper_1997.py; docs/paper.md has the
# evidence for each default).
REGIMES_1997 = {
    "2a": {
        "rate": 1.0,
        "update": "sequence",
        "g": "logistic",
        "add_cell": "plateau",
        "in_gate": 0.0,
        "max_sequences": 50_000,
    },
    "2b": None,
    "2c": {
        "rate": 0.01,
        "update": "sequence",  # the same as "step": the error is at the end only
        "g": "centred2",
        "add_cell": 0,
        "in_gate": 0.0,
        "max_sequences": 100_000,
    },
}
REGIMES_1997["2b"] = REGIMES_1997["2a"]
OPTIONS_1997 = ("rate", "update", "g", "add_cell", "in_gate")
OPTIONS_MODERN = ("units", "lr", "forget_bias", "input_bias", "last_weight")


def regime(args, task, method="modern"):
    """The method's settings for the task, with the options given on the command line."""
    regimes = REGIMES_1997 if method == "1997" else REGIMES
    return {
        key: default if getattr(args, key) is None else getattr(args, key)
        for key, default in regimes[task].items()
    }


def task_defaults(key, regimes=REGIMES):
    """Each task's default for `key`, e.g. `20000 for 2a, 2b; 5000 for 2c`."""
    pairs = {}
    for task, settings in regimes.items():
        pairs.setdefault(settings[key], []).append(task)
    return "; ".join(f"{value:g} for {', '.join(t)}" for value, t in pairs.items())


def regime_help(key, what, regimes=REGIMES):
    """An option's help, with each task's default."""
    return f"{what} (default: {task_defaults(key, regimes)})"


def add_cell(text):
    """argparse type for --add-cell: `plateau`, or sequences before the cell is added."""
    return "plateau" if text.strip() == "plateau" else cli.non_negative_int(text)


def paper_row(source, method, task, p, runs, **values):
    """A row of the table; the columns not given are empty."""
    row = {
        "source": source,
        "method": method,
        "task": task,
        "lag": p,
        "distractors": None,
        "runs": runs,
        "learned": None,
        "success_rate": None,
        "diverged": None,
        "mean_sequences": None,
        "median_sequences": None,
        "budget": None,
        "seconds": None,
        "seconds_per_run": None,
    }
    row.update(values)
    return row


def summarise_paper(method, task, p, counts, diverged, seconds, budget):
    """Our row: counts holds sequences to success per run, None for a failure."""
    learned = [c for c in counts if c is not None]
    runs = len(counts)
    return paper_row(
        "ours",
        method,
        task,
        p,
        runs,
        learned=len(learned),
        success_rate=len(learned) / runs,
        diverged=int(np.sum(diverged)),
        mean_sequences=round(float(np.mean(learned)), 1) if learned else None,
        median_sequences=float(np.median(learned)) if learned else None,
        budget=budget,
        seconds=round(seconds, 2),
        seconds_per_run=round(seconds / runs, 3),
    )


def article_regime_orders(seeds, budget, check_every):
    """Which of the two sequences each run trains on, (runs, checks, check_every).

    x- or y-first with probability 0.5 each, from each run's own stream; one
    "epoch" of the stacked trainer is the `check_every` sequences between checks.
    """
    checks = -(-budget // check_every)
    return np.stack(
        [
            np.random.default_rng([s, 0]).integers(0, 2, (checks, check_every))
            for s in seeds
        ]
    )


def article_regime_counts(seeds, p, budget, check_every, progress):
    """The tutorial's network and regime on Task 2a: (sequences to success or None, diverged).

    LSTM(20) and Dense, Adam 0.001, one update per time step with the state
    carried through the sequence (the stacked trainer), each sequence x- or
    y-first with probability 0.5. The criterion is checked every `check_every`
    sequences. `progress(epochs_done)` is called as training goes.
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


def method_name(args, method, task, settings):
    if method == "1997":
        return name_1997(task, settings)
    if task == "2c":
        return f"LSTM({settings['units']}), Adam, loss at the end"
    inputs = "" if args.no_direct else " + input->output"
    return f"LSTM({settings['units']}){inputs}, Adam, whole-sequence gradient"


def name_1997(task, settings):
    """The 1997 method's row name, with what differs from the paper's text."""
    net = "2 cells + output gates" if task == "2c" else "1 cell"
    when = settings["add_cell"]
    if when in ("plateau", 0):
        when = "added at a plateau" if when else "from the start"
    else:
        when = f"added after {when:,}"
    parts = [
        f"1997 LSTM ({net}), truncated RTRL, lr {settings['rate']:g}",
        f"update per {settings['update']}",
    ]
    if task != "2c":
        squash = {"logistic": "[0, 1]", "centred2": "[-2, 2]"}[settings["g"]]
        parts += [f"g {squash}", f"cell {when}"]
    if settings["in_gate"]:
        parts.append(f"input gate weights {settings['in_gate']:+g}")
    return ", ".join(parts)


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


def train_configuration(args, method, task, lag, distractors, seeds, progress):
    """One configuration's runs, side by side: (counts, diverged)."""
    if method == "1997":
        settings = regime(args, task, "1997")
        result = method_1997.train_1997(
            seeds,
            task,
            lag,
            distractors,
            rate=settings["rate"],
            per_step=settings["update"] == "step",
            add_cell=settings["add_cell"],
            g=settings["g"],
            in_gate=settings["in_gate"],
            max_sequences=settings["max_sequences"],
            progress=progress,
        )
        return result["counts"], result["diverged"]
    settings = regime(args, task)
    common = {
        "units": settings["units"],
        "learning_rate": settings["lr"],
        "forget_bias": settings["forget_bias"],
        "input_bias": settings["input_bias"],
        "max_sequences": settings["max_sequences"],
    }
    if task == "2c":
        result = modern_2c.train_2c_stacked(
            seeds, lag, distractors, progress=progress, **common
        )
    else:
        result = modern_2ab.train_paper_stacked(
            seeds,
            task,
            lag,
            direct=not args.no_direct,
            last_weight=keras_2ab.LAST_WEIGHT
            if args.last_weight is None
            else args.last_weight,
            progress=lambda done, _finished: progress(done),
            **common,
        )
    return result["counts"], result["diverged"]


def cmd_paper(args):
    seeds = cli.seeds_of(args)
    configs = configurations(args)
    budgets = [regime(args, t, m)["max_sequences"] for m, t, _, _ in configs]
    # Progress counts training sequences: each configuration's budget, then
    # each article-regime row's.
    progress = cli.Progress(
        sum(budgets) + len(args.article_lags) * args.article_budget,
        unit="sequence",
        shown=args.show_progress,
    )
    for (method, task, lag, distractors), budget in zip(configs, budgets):
        base = progress.done
        (counts, diverged), seconds = cli.timed(
            train_configuration,
            args,
            method,
            task,
            lag,
            distractors,
            seeds,
            lambda done, base=base: progress.advance_to(base + done),
        )
        progress.advance_to(base + budget)
        row = summarise_paper(
            method_name(args, method, task, regime(args, task, method)),
            task,
            lag,
            counts,
            diverged,
            seconds,
            budget,
        )
        row["distractors"] = distractors
        yield row
    for p in args.article_lags:
        part = progress.part()
        (counts, diverged), seconds = cli.timed(
            article_regime_counts,
            seeds,
            p,
            args.article_budget,
            keras_2ab.CHECK_EVERY,
            lambda epochs, part=part: part(epochs * keras_2ab.CHECK_EVERY),
        )
        yield summarise_paper(
            "article's: LSTM(20), one update per step, gradient through 1 step",
            "2a",
            p,
            counts,
            diverged,
            seconds,
            args.article_budget,
        )
    shown = set(args.task) | ({"2a"} if args.article_lags else set())
    for q, p, mean in PAPER_TABLE_3 if "2c" in shown else ():
        yield paper_row(
            "paper",
            "LSTM (1997)",
            "2c",
            q,
            PAPER_TRIALS_2C,
            distractors=p,
            learned=PAPER_TRIALS_2C,
            success_rate=1.0,
            mean_sequences=mean,
            budget=5_000_000,
        )
    for method, task, p, rate, mean, budget in PAPER_TABLE:
        if task in shown:
            yield paper_row(
                "paper",
                method,
                task,
                p,
                PAPER_TRIALS,
                learned=round(rate * PAPER_TRIALS),
                success_rate=rate,
                mean_sequences=mean,
                budget=budget,
            )


"""
## Command line
"""


def check_paper(args):
    """Refuse lags below 2, meaningless combinations and sizes out of reach."""
    if args.article_lags is None:
        modern_2a = "2a" in args.task and "modern" in args.method
        args.article_lags = ARTICLE_LAGS if modern_2a else []
    for options, method in ((OPTIONS_1997, "1997"), (OPTIONS_MODERN, "modern")):
        given = [o for o in options if getattr(args, o) is not None]
        if given and method not in args.method:
            flag = "--" + given[0].replace("_", "-")
            raise ValueError(f"{flag} is for --method {method}: add it to --method")
    if args.no_direct and "modern" not in args.method:
        raise ValueError("--no-direct is for --method modern: add it to --method")
    if args.distractors and "2c" not in args.task:
        raise ValueError("--distractors is for Task 2c: add 2c to --task")
    if set(args.task) == {"2c"} and (args.no_direct or args.last_weight is not None):
        raise ValueError(
            "--no-direct and --last-weight are for Tasks 2a and 2b; Task 2c is "
            "judged at its last step only"
        )
    for p in args.article_lags:
        tasks.lag_sequences(p)
    for method, task, lag, distractors in configurations(args):
        if method == "1997":
            check_1997(args, task, lag, distractors)
            continue
        settings = regime(args, task)
        units, budget = settings["units"], settings["max_sequences"]
        if task == "2c":
            n = distractors + 4
            # A check holds FIRST_CHUNK sequences of each run, q + 260 long.
            length = lag + 4 + modern_2c.TAIL
            n_bytes = 4 * length * args.seeds * modern_2c.FIRST_CHUNK * (4 * units + 1)
        else:
            tasks.lag_sequences(lag)
            n, length = lag + 1, lag
            n_bytes = (
                12 * args.seeds * (4 * units * (n + units + 1) + n * (units + n + 1))
            )
        n_weights = 4 * units * (n + units + 1) + n * (units + n + 1)
        if n_bytes > MAX_BYTES:
            raise ValueError(
                f"--lag {lag} with {units} units and {args.seeds} seeds needs about "
                f"{n_bytes / 2**30:,.1f} GiB; the limit is {MAX_BYTES / 2**30:.0f} GiB"
            )
        # Forward and backward through every step of every sequence, every run.
        work = 3 * n_weights * length * budget * args.seeds
        if work > MAX_WORK:
            raise ValueError(
                f"--lag {lag}, {units} units, {budget:,} sequences and {args.seeds} "
                f"seeds are about {work:.1e} multiply-adds; the limit is {MAX_WORK:.0e}"
            )


def check_1997(args, task, lag, distractors):
    """The 1997 net is small; only its work can be out of reach."""
    if task != "2c":
        tasks.lag_sequences(lag)
    settings = regime(args, task, "1997")
    net = method_1997.task_net(task, lag, distractors)
    length = lag + 13 if task == "2c" else lag  # 2c: the mean length
    # Forward and the traces, every step of every sequence, every run.
    work = 3 * net.n_weights() * length * settings["max_sequences"] * args.seeds
    if work > MAX_WORK:
        raise ValueError(
            f"--method 1997 at --lag {lag} with {settings['max_sequences']:,} sequences "
            f"and {args.seeds} seeds is about {work:.1e} multiply-adds; the limit is "
            f"{MAX_WORK:.0e}"
        )


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
    "regime; Task 2c (one bit across q random distractors) beside its Table 3. Exit status: 0 when the table is complete, 2 for bad options, 130 "
    "if interrupted (the finished rows are printed).",
    cli.seeds_option(PAPER_TRIALS),
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
        f"{task_defaults('max_sequences')}; with --method 1997: "
        f"{task_defaults('max_sequences', REGIMES_1997)})",
    ),
    cli.Option(
        "--units", type=cli.positive_int, help=regime_help("units", "LSTM units")
    ),
    cli.Option(
        "--lr", type=cli.positive_float, help=regime_help("lr", "Adam learning rate")
    ),
    cli.Option(
        "--forget-bias",
        type=cli.finite_float,
        help=regime_help(
            "forget_bias", "initial bias of the LSTM's forget gate; Keras's own is 1"
        ),
    ),
    cli.Option(
        "--input-bias",
        type=cli.finite_float,
        help=regime_help(
            "input_bias", "initial bias of the LSTM's input gate; Keras's own is 0"
        ),
    ),
    cli.Option(
        "--no-direct",
        action="store_true",
        default=False,
        help="feed the output layer the LSTM's output alone, as the article's "
        "network does, not also the input (default: off)",
    ),
    cli.Option(
        "--last-weight",
        type=cli.positive_float,
        help="weight of the last step's loss, the step that needs memory, "
        f"against 1 for the others (default: {keras_2ab.LAST_WEIGHT:g}; 2a and 2b)",
    ),
    cli.Option(
        "--rate",
        type=cli.positive_float,
        help=regime_help("rate", "--method 1997: learning rate", REGIMES_1997),
    ),
    cli.Option(
        "--update",
        choices=("step", "sequence"),
        help="--method 1997: weights change after every step, or once per "
        "sequence by the sum of the steps' changes (default: "
        f"{REGIMES_1997['2a']['update']} for 2a, 2b; the same for 2c, whose "
        "error is at the end only)",
    ),
    cli.Option(
        "--g",
        choices=("logistic", "centred2"),
        help="--method 1997: the cell input's squashing, logistic [0, 1] (the "
        "2a text, Table 10) or 4 sigma - 2 [-2, 2] (the appendix) (default: "
        f"{REGIMES_1997['2a']['g']} for 2a, 2b; {REGIMES_1997['2c']['g']} for 2c)",
    ),
    cli.Option(
        "--add-cell",
        type=add_cell,
        help="--method 1997, 2a and 2b: when the cell and its gate join the net: "
        "plateau (the training error has stopped decreasing) or after this many "
        f"sequences, 0 from the start (default: {REGIMES_1997['2a']['add_cell']})",
    ),
    cli.Option(
        "--in-gate",
        type=cli.finite_float,
        help="--method 1997: added to the initial weights from the inputs to the "
        "input gates; with one-hot inputs it acts as a gate bias (default: 0, "
        "the paper's)",
    ),
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
    check=check_paper,
)(cmd_paper)


def make_parser():
    command = COMMANDS["paper"]
    parser = argparse.ArgumentParser(description=command.description)
    for option in command.options:
        option.add_to(parser)
    return parser


def main(argv=None):
    return cli.main_of(make_parser(), COMMANDS, argv, name="paper")


if __name__ == "__main__":
    sys.exit(main())
