"""
Title: paper.py's table: the paper's Tables 2 and 3, and our rows beside them
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/12/07
Description: The numbers Hochreiter & Schmidhuber (1997) published for
    Experiment 2, and the rows, with their names, that summarise our runs in
    the same columns.
"""

import numpy as np

from lstm_lab import stats

PAPER_TRIALS = 18  # the paper's figures for Tasks 2a and 2b are means of 18 trials
PAPER_TRIALS_2C = 20
PAPER_BUDGET = 5_000_000  # the paper's budget for the methods that never learned
# Hochreiter & Schmidhuber (1997), Table 2 (Task 2a) and the text on Task 2b:
# method, task, the lag p, % success, mean training sequences until success,
# and the budget where none succeeded.
PAPER_TABLE = (
    ("RTRL (lr 1.0)", "2a", 4, 0.78, 1_043_000, None),
    ("RTRL (lr 4.0)", "2a", 4, 0.56, 892_000, None),
    ("RTRL (lr 10.0)", "2a", 4, 0.22, 254_000, None),
    ("RTRL", "2a", 10, 0.0, None, PAPER_BUDGET),
    ("RTRL", "2a", 100, 0.0, None, PAPER_BUDGET),
    ("BPTT", "2a", 100, 0.0, None, PAPER_BUDGET),
    ("CH (chunker)", "2a", 100, 0.33, 32_400, None),
    ("LSTM", "2a", 100, 1.0, 5_040, None),
    ("LSTM", "2b", 100, 1.0, 5_680, None),
)
# Table 3 (Task 2c, 20 trials each): the lag q, the number of distractors p,
# and the mean training sequences until success.
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


def paper_mean(method, task, lag):
    """The mean training sequences until success of one of PAPER_TABLE's rows."""
    rows = [row for row in PAPER_TABLE if row[:3] == (method, task, lag)]
    if len(rows) != 1:
        raise ValueError(f"no one row of Table 2 is {method} on {task} at p = {lag}")
    return rows[0][4]


COLUMNS = (
    "source",
    "method",
    "task",
    "lag",
    "distractors",
    "runs",
    "learned",
    "success_rate",
    "success_low",
    "success_high",
    "diverged",
    "mean_sequences",
    "median_sequences",
    "mean_from_cell",
    "median_from_cell",
    "budget",
    "seconds",
    "seconds_per_run",
)


# The columns of the files that paper.py --trials writes (trial_rows' keys)
# and --from-trials reads.
TRIAL_COLUMNS = (
    "method",
    "task",
    "lag",
    "distractors",
    "seed",
    "sequences",
    "sequences_from_cell",
    "diverged",
    "budget",
)


def paper_row(source, method, task, lag, runs, **values):
    """A row of the table; the columns not given are empty."""
    row = dict.fromkeys(COLUMNS)
    row.update(source=source, method=method, task=task, lag=lag, runs=runs)
    row.update(values)
    return row


def summarise_paper(
    method,
    task,
    lag,
    counts,
    diverged,
    seconds,
    budget,
    cell_added=None,
    distractors=None,
):
    """Our row: counts holds sequences to success per run, None for a failure.

    cell_added (the 1997 method): the sequences before each run's cell joined
    its net. The paper does not say whether its count starts at the first
    sequence or when the cell joins, so the row gives both. seconds is None
    for a row rebuilt from trials files, which do not hold it (trials.py).
    """
    learned = [c for c in counts if c is not None]
    from_cell = []
    if cell_added is not None:
        from_cell = [c - a for c, a in zip(counts, cell_added) if c is not None]
    runs = len(counts)
    return paper_row(
        "ours",
        method,
        task,
        lag,
        runs,
        distractors=distractors,
        learned=len(learned),
        success_rate=len(learned) / runs,
        **stats.interval_columns(len(learned), runs),
        diverged=int(np.sum(diverged)),
        mean_sequences=round(float(np.mean(learned)), 1) if learned else None,
        median_sequences=float(np.median(learned)) if learned else None,
        mean_from_cell=round(float(np.mean(from_cell)), 1) if from_cell else None,
        median_from_cell=float(np.median(from_cell)) if from_cell else None,
        budget=budget,
        seconds=None if seconds is None else round(seconds, 2),
        seconds_per_run=None if seconds is None else round(seconds / runs, 3),
    )


def trial_rows(row, seeds, counts, diverged, cell_added=None):
    """One dict per trial of our `row`: its seed and sequences to success (None: failed)."""
    trials = []
    for i, (seed, count) in enumerate(zip(seeds, counts, strict=True)):
        from_cell = None
        if count is not None and cell_added is not None:
            from_cell = int(count - cell_added[i])
        trials.append(
            {
                **{k: row[k] for k in ("method", "task", "lag", "distractors")},
                "seed": seed,
                "sequences": count,
                "sequences_from_cell": from_cell,
                "diverged": bool(diverged[i]),
                "budget": row["budget"],
            }
        )
    return trials


def paper_rows(shown_tasks):
    """The paper's own rows for the tasks shown: Table 3 for 2c, Table 2 for 2a and 2b."""
    rows = []
    for lag, distractors, mean in PAPER_TABLE_3 if "2c" in shown_tasks else ():
        rows.append(
            paper_row(
                "paper",
                "LSTM (1997)",
                "2c",
                lag,
                PAPER_TRIALS_2C,
                distractors=distractors,
                learned=PAPER_TRIALS_2C,
                success_rate=1.0,
                mean_sequences=mean,
                budget=PAPER_BUDGET,
            )
        )
    for method, task, lag, rate, mean, budget in PAPER_TABLE:
        if task in shown_tasks:
            rows.append(
                paper_row(
                    "paper",
                    method,
                    task,
                    lag,
                    PAPER_TRIALS,
                    learned=round(rate * PAPER_TRIALS),
                    success_rate=rate,
                    mean_sequences=mean,
                    budget=budget,
                )
            )
    return rows


def method_name(method, task, chosen):
    """The row's name: the net, the optimiser, and what differs from the default."""
    if method == "1997":
        return name_1997(task, chosen)
    if method in ("rtrl", "bptt"):
        return f"traditional net (1 hidden unit), {method.upper()}, lr {chosen.learning_rate:g}"
    net = f"{CELL_NAMES[getattr(chosen, 'cell', 'lstm')]}({chosen.units})"
    if task == "2c":
        return f"{net}, Adam, loss at the end"
    inputs = " + input->output" if chosen.direct else ""
    return f"{net}{inputs}, Adam, whole-sequence gradient"


CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "simple": "SimpleRNN"}  # --cell's


def name_1997(task, chosen):
    """The 1997 method's row name, with what differs from the paper's text."""
    cell = "cell" if chosen.cells == 1 else "cells"
    net = "2 cells + output gates" if task == "2c" else f"{chosen.cells} {cell}"
    when = chosen.add_cell
    if when in ("plateau", 0):
        when = "added at a plateau" if when else "from the start"
    else:
        when = f"added after {when:,}"
    parts = [
        f"1997 LSTM ({net}), truncated RTRL, lr {chosen.learning_rate:g}",
        f"update per {chosen.update}",
    ]
    if task != "2c":
        squash = {"0-to-1": "[0, 1]", "minus-2-to-2": "[-2, 2]"}[chosen.g]
        parts += [f"g {squash}", f"{cell} {when}"]
    if chosen.in_gate:
        parts.append(f"input gate weights {chosen.in_gate:+g}")
    if chosen.error == "eq16":
        parts.append("error E of eq. 16 (steps twice eq. 19's)")
    if task == "2c" and chosen.ranges_2c == "legend":
        parts.append("h [-2, 2], g [-1, 1] (Table 10's legend)")
    if task == "2b" and chosen.end_marker:
        parts.append("end marker a(p-1) (not in the paper)")
    if chosen.xy_last_only:
        parts.append("x and y outputs' errors at the last step only (not in the paper)")
    return ", ".join(parts)
