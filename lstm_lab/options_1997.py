"""paper.py's options for `--method 1997`, each setting a field of regimes.Method1997.

They live here, not in paper.py, to keep that file short. Each help names its
default and where in the paper the choice comes from;
docs/paper/method-1997.md has the evidence for each.
"""

from lstm_lab import cli, regimes

DEFAULTS = regimes.Method1997()
DEFAULTS_2C = regimes.Method1997.for_task("2c")
# The settings fields these options set; each option's flag is its name.
NAMES = ("update", "g", "add_cell", "in_gate", "error", "ranges_2c", "end_marker")
# Options that belong to one task: they reach that task's settings only.
TASK_OF = {"ranges_2c": "2c", "end_marker": "2b"}


def add_cell(text):
    """argparse type for --add-cell: `plateau`, or sequences before the cell is added."""
    return "plateau" if text.strip() == "plateau" else cli.non_negative_int(text)


OPTIONS = (
    cli.Option(
        "--update",
        choices=("step", "sequence"),
        help="1997: weights change after every step, or once per sequence by the "
        f"sum of the steps' changes (default: {DEFAULTS.update}; the "
        "same for 2c, whose error is at the end only)",
    ),
    cli.Option(
        "--g",
        choices=tuple(regimes.G_RANGES),
        help="1997, 2a and 2b: the range of g, the cell input's squashing: 0-to-1 "
        "(logistic; the 2a text and Table 10) or minus-2-to-2 (4 logistic - 2; "
        f"the appendix) (default: {DEFAULTS.g}; 2c: {DEFAULTS_2C.g})",
    ),
    cli.Option(
        "--add-cell",
        type=add_cell,
        help="1997, 2a and 2b: when the cell and its gate join the net: plateau "
        "(the training error has stopped decreasing) or after this many "
        "sequences, 0 from the start. The paper does not say whether its count "
        "starts at the first sequence or when the cell joins, so the table "
        "gives both: mean_sequences and mean_from_cell "
        f"(default: {DEFAULTS.add_cell})",
    ),
    cli.Option(
        "--in-gate",
        type=cli.finite_float,
        help="1997: added to the initial weights from the inputs to the input "
        "gates; with one-hot inputs it acts as a gate bias (default: 0, the "
        "paper's)",
    ),
    cli.Option(
        "--error",
        choices=regimes.ERRORS,
        help="1997: the error the weights descend, which the paper prints two "
        "ways: eq19, its update equations' e_k = f'(net_k)(t_k - y_k), the "
        "gradient of half of eq. 16's error; or eq16, eq. 16's E = sum_k (t_k - "
        "y_k)^2 itself, whose gradient doubles every step (the same as twice "
        f"--lr) (default: {DEFAULTS.error})",
    ),
    cli.Option(
        "--ranges-2c",
        choices=tuple(regimes.RANGES_2C),
        help="1997, 2c: the ranges of h and g, which the paper prints two ways: "
        "text (the Task 2c text: h on [-1, 1], g on [-2, 2]) or legend (Table "
        "10's legend: h on [-2, 2], g on [-1, 1]) "
        f"(default: {DEFAULTS.ranges_2c})",
    ),
    cli.Option(
        "--end-marker",
        action="store_true",
        default=None,
        help="1997, 2b, a departure from the paper: the last middle symbol is "
        "always a(p-1) and the others are random over a1..a(p-2), so the input "
        "marks the step before the end (default: off, the paper's random middle)",
    ),
)
