"""paper.py's options, each declared once, in one table.

A row gives an option's flag, argparse type and help (a `cli.Option`), the
settings field it sets (none for --seeds, --out, ...), and the methods and
tasks it applies to. Everything else is derived from the rows: the settings
each configuration trains with (`settings`), `--help`'s "where" prefix and
defaults (`OPTIONS`), and the refusal of an option that no chosen
configuration can use (`check_applies`); RULE, in `--help`'s epilogue, says
how an option meets mixed choices. docs/paper/modern.md and
docs/paper/method-1997.md have the evidence for each default.
"""

import dataclasses
import operator

from lstm_lab import cli, paper_table, regimes, tasks, tf_ops, trials

METHODS = ("modern", "1997", "rtrl", "bptt")
ONLY_MODERN, ONLY_1997 = ("modern",), ("1997",)
TASKS_2AB = ("2a", "2b")
# The tasks each method is for, where not all: the paper's baselines (Table
# 2's RTRL and BPTT rows) are Task 2a's only.
METHOD_TASKS = {"rtrl": ("2a",), "bptt": ("2a",)}
ARTICLE_LAGS = [10, 100]
# As many sequences as the paper's LSTM needed on average at p = 100 (Table 2).
ARTICLE_BUDGET = paper_table.paper_mean("LSTM", "2a", 100)
RULE = (
    "An option's help starts with the methods and tasks it is for, when it is "
    "not for all. It reaches exactly the chosen configurations it is for: with "
    "--method modern,1997 --task 2a,2c, --lr sets all four learning rates, "
    "--units the two modern ones and --last-weight modern 2a's alone. An "
    "option that no chosen configuration is for is refused, naming it (exit "
    "2); --article-lags none asks for nothing, so it never is."
)


@dataclasses.dataclass(frozen=True)
class Row:
    """One option: how argparse reads it, what it sets, and where it applies."""

    option: cli.Option
    field: str = None  # the settings field it sets; None: it sets no setting
    methods: tuple = METHODS
    tasks: tuple = tasks.PAPER_TASKS
    to_field: object = None  # the field's value from the option's; None: the same
    cells: tuple = tf_ops.CELLS  # the --cell choices it is for (modern only)

    @property
    def dest(self):
        return self.option.flag[2:].replace("-", "_")

    def applies(self, method, task):
        return method in self.methods and task in self.tasks

    def given(self, args):
        """Whether the command line gave the option: each row not for every
        configuration defaults to None, and `--article-lags none` (an empty
        list) asks for nothing."""
        value = getattr(args, self.dest)
        return value is not None and value != []

    def value(self, args):
        """The settings field's value from the option's."""
        value = getattr(args, self.dest)
        return value if self.to_field is None else self.to_field(value)


def add_cell(text):
    """argparse type for --add-cell: `plateau`, or sequences before the cell is added."""
    return "plateau" if text.strip() == "plateau" else cli.non_negative_int(text)


def lag_list_or_none(text):
    """argparse type: comma-separated lags, or `none` for an empty list."""
    return [] if text.strip().lower() == "none" else cli.int_list(text)


TABLE = (
    Row(cli.seeds_option(paper_table.PAPER_TRIALS)),
    Row(cli.FIRST_SEED),
    Row(
        cli.Option(
            "--method",
            type=cli.choice_list(METHODS),
            default=["modern"],
            help="the ways to train, comma-separated: modern (our LSTM and Adam "
            "regime), 1997 (the paper's own cell and learning rule, "
            "truncated RTRL and plain gradient descent), and Table 2's "
            "baselines on the paper's traditional recurrent net (one "
            "self-recurrent hidden unit), Task 2a only: rtrl (exact real-time "
            "recurrent learning, a change every step) and bptt "
            "(backpropagation through time, a change per sequence) (default: "
            "{default})",
        )
    ),
    Row(
        cli.Option(
            "--task",
            type=cli.choice_list(tasks.PAPER_TASKS),
            default=["2a", "2b"],
            help="the tasks, comma-separated: 2a (fixed middle), 2b (random "
            "middle), 2c (one bit across q random distractors) (default: "
            "{default})",
        )
    ),
    Row(
        cli.Option(
            "--lag",
            type=cli.int_list,
            default=[100],
            help="time lags, comma-separated: p for 2a and 2b (at least 2), q "
            "for 2c (default: {default})",
        )
    ),
    Row(
        cli.Option(
            "--distractors",
            type=cli.int_list,
            help="numbers of distractor symbols, the paper's p, comma-separated "
            "(default: as many as the lag q)",
        ),
        tasks=("2c",),
    ),
    Row(
        cli.Option(
            "--max-sequences",
            type=cli.positive_int,
            help="training sequences after which a run counts as failed",
        ),
        "max_sequences",
    ),
    Row(
        cli.Option(
            "--lr",
            type=cli.positive_float,
            help="learning rate: Adam's for modern, plain gradient descent's "
            "for 1997, rtrl and bptt",
        ),
        "learning_rate",
    ),
    Row(
        cli.Option("--units", type=cli.positive_int, help="LSTM units"),
        "units",
        ONLY_MODERN,
    ),
    Row(
        cli.Option(
            "--cell",
            choices=tf_ops.CELLS,
            help="the recurrent layer, with the same regime: lstm; gru (Keras "
            "3's GRU, whose update gate z keeps the state: --forget-bias sets "
            "its bias, and --input-bias, for a gate it lacks, is refused); or "
            "simple (Keras's SimpleRNN, no gate: both are refused). "
            "docs/paper/cells.md",
        ),
        "cell",
        ONLY_MODERN,
    ),
    Row(
        cli.Option(
            "--forget-bias",
            type=cli.finite_float,
            help="initial bias of the LSTM's forget gate; Keras's own is 1",
        ),
        "forget_bias",
        ONLY_MODERN,
        cells=("lstm", "gru"),
    ),
    Row(
        cli.Option(
            "--input-bias",
            type=cli.finite_float,
            help="initial bias of the LSTM's input gate; Keras's own is 0. At "
            "a Task 2c lag q over 1,000 the default is less ln(q/1000)",
        ),
        "input_bias",
        ONLY_MODERN,
        cells=("lstm",),
    ),
    Row(
        cli.Option(
            "--no-direct",
            action="store_true",
            help="feed the output layer the LSTM's output alone, as the "
            "article's network does, not also the input",
        ),
        "direct",
        ONLY_MODERN,
        TASKS_2AB,
        to_field=operator.not_,
    ),
    Row(
        cli.Option(
            "--last-weight",
            type=cli.positive_float,
            help="weight of the last step's loss, the step that needs memory, "
            "against 1 for the others",
        ),
        "last_weight",
        ONLY_MODERN,
        TASKS_2AB,
    ),
    Row(
        cli.Option(
            "--update",
            choices=("step", "sequence"),
            help="weights change after every step, or once per sequence by the "
            "sum of the steps' changes; on 2c, whose error is at the end only, "
            "the two are the same",
        ),
        "update",
        ONLY_1997,
    ),
    Row(
        cli.Option(
            "--g",
            choices=tuple(regimes.G_RANGES),
            help="the range of g, the cell input's squashing: 0-to-1 (logistic; "
            "the 2a text and Table 10) or minus-2-to-2 (4 logistic - 2; the "
            "appendix). Task 2c's g is its own, or --ranges-2c's",
        ),
        "g",
        ONLY_1997,
        TASKS_2AB,
    ),
    Row(
        cli.Option(
            "--add-cell",
            type=add_cell,
            help="when the cell and its gate join the net: plateau (the "
            "training error has stopped decreasing) or after this many "
            "sequences, 0 from the start. The paper does not say whether its "
            "count starts at the first sequence or when the cell joins, so the "
            "table gives both: mean_sequences and mean_from_cell",
        ),
        "add_cell",
        ONLY_1997,
        TASKS_2AB,
    ),
    Row(
        cli.Option(
            "--in-gate",
            type=cli.finite_float,
            help="added to the initial weights from the inputs to the input "
            "gates; with one-hot inputs it acts as a gate bias",
        ),
        "in_gate",
        ONLY_1997,
    ),
    Row(
        cli.Option(
            "--error",
            choices=regimes.ERRORS,
            help="the error the weights descend, which the paper prints two "
            "ways: eq19, its update equations' e_k = f'(net_k)(t_k - y_k), the "
            "gradient of half of eq. 16's error; or eq16, eq. 16's E = sum_k "
            "(t_k - y_k)^2 itself, whose gradient doubles every step (the same "
            "as twice --lr)",
        ),
        "error",
        ONLY_1997,
    ),
    Row(
        cli.Option(
            "--ranges-2c",
            choices=tuple(regimes.RANGES_2C),
            help="the ranges of h and g, which the paper prints two ways: text "
            "(the Task 2c text: h on [-1, 1], g on [-2, 2]) or legend (Table "
            "10's legend: h on [-2, 2], g on [-1, 1])",
        ),
        "ranges_2c",
        ONLY_1997,
        ("2c",),
    ),
    Row(
        cli.Option(
            "--end-marker",
            action="store_true",
            help="a departure from the paper, whose middle is random: the last "
            "middle symbol is always a(p-1) and the others are random over "
            "a1..a(p-2), so the input marks the step before the end",
        ),
        "end_marker",
        ONLY_1997,
        ("2b",),
    ),
    Row(
        cli.Option(
            "--xy-last-only",
            action="store_true",
            help="the x and y output units learn at the last step only, not "
            "from the middle steps' targets of 0 (not in the paper)",
        ),
        "xy_last_only",
        ONLY_1997,
        TASKS_2AB,
    ),
    Row(
        cli.Option(
            "--cells",
            type=cli.positive_int,
            help="memory cells, each with its input gate, added together; "
            "Table 10 has 1 (this is not --cell, the modern method's layer)",
        ),
        "cells",
        ONLY_1997,
        TASKS_2AB,
    ),
    Row(
        cli.Option(
            "--article-lags",
            type=lag_list_or_none,
            help="lags p at which to add rows for the article's own network "
            "and regime (one update per time step) on Task 2a, or none "
            f"(default: {','.join(map(str, ARTICLE_LAGS))})",
        ),
        methods=ONLY_MODERN,
        tasks=("2a",),
    ),
    Row(
        cli.Option(
            "--article-budget",
            type=cli.positive_int,
            help="training sequences for each article-regime run (default: "
            f"{ARTICLE_BUDGET:,})",
        ),
        methods=ONLY_MODERN,
        tasks=("2a",),
    ),
    *(Row(option) for option in cli.output_options()),
    Row(
        cli.Option(
            "--trials",
            metavar="FILE",
            writes=True,
            help="also write each trial (its seed, and the sequences it took to "
            "succeed, empty for a failure) to FILE as CSV, after every row; with "
            "--from-trials, the merged trials, by row and seed (default: none)",
        )
    ),
    Row(
        cli.Option(
            "--from-trials",
            type=trials.read_trials,
            action=trials.Files,
            metavar="FILE",
            help="train nothing: rebuild the rows from the files that --trials "
            "wrote, such as the shards of a row split by --first-seed across "
            "machines (docs/paper/shards.md). Each (method, task, lag, "
            "distractors) makes one row, as one run over all its seeds would "
            "print it, except seconds and seconds_per_run, which the files do "
            "not hold and are left empty. A seed given twice or two budgets for "
            "one row are refused; it takes no training option",
        )
    ),
)


def default_settings(method, task, lag):
    """The settings (method, task) trains with at `lag` when no option is given."""
    if method == "1997":
        return regimes.Settings1997.for_task(task)
    if method in METHOD_TASKS:
        return {"rtrl": regimes.SettingsRTRL, "bptt": regimes.SettingsBPTT}[method]()
    if task == "2c":
        return regimes.Settings2c.for_lag(lag)
    return regimes.Settings2ab()


def settings(args, method, task, lag):
    """The defaults, with each option given that applies to (method, task)."""
    given = {
        row.field: row.value(args)
        for row in TABLE
        if row.field is not None and row.applies(method, task) and row.given(args)
    }
    return dataclasses.replace(default_settings(method, task, lag), **given)


def check_applies(args):
    """Raise ValueError, naming the option, for one given that no chosen
    configuration is for, or for a gate that the chosen --cell lacks."""
    chosen = [(m, t) for m in args.method for t in args.task if trains(m, t)]
    if not chosen:  # no configuration at all: the methods' tasks are what is wrong
        check_methods(args)
    for row in TABLE:
        if row.given(args) and not any(row.applies(*pair) for pair in chosen):
            needs = []
            if row.methods != METHODS:
                needs.append(f"--method {' or '.join(row.methods)}")
            if row.tasks != tasks.PAPER_TASKS:
                needs.append(f"--task {' or '.join(row.tasks)}")
            raise ValueError(
                f"{row.option.flag} is for {' with '.join(needs)} only, and the "
                f"chosen --method {','.join(args.method)} --task "
                f"{','.join(args.task)} give no such configuration"
            )
    cell = getattr(args, "cell", None) or "lstm"
    for row in TABLE:
        if row.given(args) and cell not in row.cells:
            raise ValueError(
                f"{row.option.flag} is for --cell {' or '.join(row.cells)} "
                f"only, not --cell {cell}: that cell has no such gate"
            )
    check_methods(args)


def trains(method, task):
    """Whether `method` is for `task` at all (METHOD_TASKS)."""
    return task in METHOD_TASKS.get(method, tasks.PAPER_TASKS)


def check_methods(args):
    """Raise ValueError, naming it, for a chosen method that is for none of
    the chosen tasks, or a chosen task that none of the chosen methods is for."""
    for method in args.method:
        if not any(trains(method, task) for task in args.task):
            raise ValueError(
                f"--method {method} is for --task "
                f"{' or '.join(METHOD_TASKS[method])} only, and the chosen "
                f"--task {','.join(args.task)} gives it none"
            )
    for task in args.task:
        if not any(trains(method, task) for method in args.method):
            raise ValueError(
                f"--task {task}: none of the chosen --method "
                f"{','.join(args.method)} is for it ("
                + "; ".join(
                    f"{m} is for --task {' or '.join(METHOD_TASKS[m])} only"
                    for m in args.method
                )
                + ")"
            )


def article_lags(args):
    """The article-regime rows' lags: as given, else ARTICLE_LAGS with modern 2a."""
    if args.article_lags is not None:
        return args.article_lags
    return ARTICLE_LAGS if "modern" in args.method and "2a" in args.task else []


def article_budget(args):
    return ARTICLE_BUDGET if args.article_budget is None else args.article_budget


"""
## --help, from the table
"""


def where(row):
    """The methods and tasks a row applies to, as its help's prefix ('' for all)."""
    parts = []
    if row.methods != METHODS:
        parts.append(" and ".join(row.methods))
    if row.tasks != tasks.PAPER_TASKS:
        *most, last = row.tasks
        parts.append(f"{', '.join(most)} and {last}" if most else last)
    return ", ".join(parts)


def shown(row, value):
    if row.option.action == "store_true":
        on = True if row.to_field is None else row.to_field(True)
        return "on" if value == on else "off"
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def defaults(row):
    """The field's default for each method and task the row applies to, e.g. for --lr."""
    parts = []
    for method in row.methods:
        by_value = {}
        for task in row.tasks:
            # Task 2c's modern defaults are those of lags up to 1,000.
            chosen = default_settings(method, task, regimes.DRIFT_LAG_2C)
            by_value.setdefault(shown(row, getattr(chosen, row.field)), []).append(task)
        if len(by_value) == 1:
            parts.append((method, next(iter(by_value))))
        else:
            text = "; ".join(f"{v} for {', '.join(t)}" for v, t in by_value.items())
            parts.append((method, text))
    if len({text for _, text in parts}) == 1:
        return parts[0][1]
    return ". ".join(f"{method}: {text}" for method, text in parts)


def cli_option(row):
    """The row's cli.Option, its help led by where it applies and closed by its default."""
    text = row.option.help
    if row.field is not None:
        text += f" (default: {defaults(row)})"
    if where(row):
        text = f"{where(row)}: {text}"
    return dataclasses.replace(row.option, help=text)


OPTIONS = tuple(cli_option(row) for row in TABLE)
