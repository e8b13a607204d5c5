"""
Title: The docs' figures, drawn from the CSV files the commands wrote
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/29
Description: Three figures: sequences to success against the time lag, ours
    beside the 1997 paper's Tables 2 and 3; the Extensions' success rates
    with their 95% intervals; and who remembers how far: each net's success
    rate, with its interval, against the lag.

Every number in a figure comes from a CSV file that a command wrote with
`--out` (the table) or `--trials` (`paper.py`'s trials), so a figure can be
redrawn without training anything. docs/data/ holds the files the docs' figures
come from, and docs/data/README.md the commands that wrote them:

    python docs/figures.py lags --trials docs/data/*.trials.csv \\
        --paper docs/data/paper_2ab.csv docs/data/paper_2c.csv --out docs/lags.png
    python docs/figures.py extensions --table Tuning=docs/data/tuning.csv \\
        Batch=docs/data/batch.csv --out docs/extensions.png
    python docs/figures.py memory --rows "MLP=docs/data/nets.csv@4:mlp, step" \\
        "LSTM=docs/data/long.csv" --paper docs/data/paper_m_2ab_100.csv \\
        --out docs/memory.png

It reads CSV with the standard library and needs only matplotlib, which the
dev requirements pin; it imports nothing from the repository (and so no
TensorFlow).
"""

import argparse
import collections
import csv
import os
import statistics
import sys

# Blues for our modern regime, reds for the paper's 1997 net, grey for the
# article's regime: one shade per series, in the order they are drawn.
COLOURS = {
    "modern": ["tab:blue", "navy", "tab:cyan", "tab:purple"],
    "1997": ["tab:red", "tab:orange", "tab:brown", "tab:pink", "gold"],
    "article": ["tab:gray", "black"],
}
PAPER_COLOUR = "black"
MARKERS = {"2a": "o", "2b": "s", "2c": "^", "2c, p fixed": "v"}


def import_pyplot():
    """matplotlib's pyplot, drawing to files; SystemExit(2) with a message if missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("figures.py needs matplotlib: pip install -r requirements-dev.txt")
    return plt


def read_csv(path):
    """The rows of a CSV file as dicts; ValueError naming the file if it has none."""
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows:
        raise ValueError(f"{path} has no rows")
    return rows


def number(text):
    """A CSV cell as a float, or None when it is empty (a failed trial, a missing value)."""
    return None if text in ("", None) else float(text)


def kind(method):
    """Which colour a method's name gets: the 1997 net, the article's regime, or modern."""
    if method.startswith("1997"):
        return "1997"
    return "article" if method.startswith("article") else "modern"


def series_key(trial):
    """Trials of one method and task (2c: with q = p) form one series across lags."""
    task = trial["task"]
    if task == "2c" and trial["distractors"] not in ("", trial["lag"]):
        task = "2c, p fixed"
    return trial["method"], task


"""
## Sequences to success against the lag
"""


def plot_lags(trial_files, paper_files, out):
    """Each trial a point (hollow at its budget if it failed), each mean a line."""
    plt = import_pyplot()
    series = collections.defaultdict(lambda: collections.defaultdict(list))
    for label, path in trial_files:
        for trial in read_csv(path):
            if label:  # the file's trials are one kind of run, named by the reader
                trial = {**trial, "method": label}
            series[series_key(trial)][int(trial["lag"])].append(trial)
    fig, ax = plt.subplots(figsize=(10, 6.5), constrained_layout=True)
    used = collections.Counter()
    for (method, task), by_lag in sorted(series.items()):
        shades = COLOURS[kind(method)]
        colour = shades[used[kind(method)] % len(shades)]
        used[kind(method)] += 1
        marker = MARKERS.get(task, "^")
        lags, means = [], []
        for lag, trials in sorted(by_lag.items()):
            done = [number(t["sequences"]) for t in trials]
            learned = [d for d in done if d is not None]
            failed = [number(t["budget"]) for t, d in zip(trials, done) if d is None]
            # Trials at one lag spread a little sideways so that they do not hide
            # each other; the spread is a fixed pattern, not random.
            spread = [lag * 1.04 ** ((i % 5) - 2) for i in range(len(trials))]
            ax.scatter(
                spread[: len(learned)],
                learned,
                s=14,
                color=colour,
                marker=marker,
                alpha=0.5,
                linewidths=0,
            )
            if failed:
                ax.scatter(
                    spread[: len(failed)],
                    failed,
                    s=30,
                    marker=marker,
                    facecolors="none",
                    edgecolors=colour,
                )
            if len(learned) == len(trials):  # a mean of every trial, or none
                lags.append(lag)
                means.append(statistics.fmean(learned))
        label = f"{method}, Task {task}"
        ax.plot(
            lags,
            means,
            color=colour,
            marker=marker,
            label=label,
            linestyle="-" if len(lags) > 1 else "none",
        )
    for path in paper_files:
        plot_paper_rows(ax, read_csv(path))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("time lag (steps): p for Tasks 2a and 2b, q for Task 2c")
    ax.set_ylabel("training sequences until success")
    ax.set_title(
        "Each trial a dot (hollow: failed, at its budget); each line a mean "
        "over every trial",
        fontsize=10,
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.savefig(out, dpi=90)
    plt.close(fig)


def plot_paper_rows(ax, rows):
    """The paper's LSTM: its mean sequences to success, a line per task."""
    by_task = collections.defaultdict(list)
    for row in rows:
        same_p = row["task"] != "2c" or row["distractors"] in ("", row["lag"])
        if row["source"] == "paper" and row["method"].startswith("LSTM") and same_p:
            by_task[row["task"]].append(
                (int(row["lag"]), number(row["mean_sequences"]))
            )
    for task, points in sorted(by_task.items()):
        lags, means = zip(*sorted(points))
        ax.plot(
            lags,
            means,
            color=PAPER_COLOUR,
            linestyle="--",
            marker=MARKERS.get(task, "^"),
            label=f"the paper's LSTM (1997), Task {task}",
        )


"""
## The Extensions' success rates
"""


def plot_extensions(tables, out):
    """One panel per Extension: a bar per configuration with its 95% interval."""
    plt = import_pyplot()
    # Each panel as tall as its bars need, so that every label can be read.
    heights = [len(rows) + 1.5 for _, rows in tables]
    fig, axes = plt.subplots(
        len(tables),
        1,
        figsize=(10, 0.25 * sum(heights) + 0.8),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
        constrained_layout=True,
    )
    for ax, (title, rows) in zip(axes[:, 0], tables):
        names = [row["configuration"] for row in rows]
        rates = [float(row["success_rate"]) for row in rows]
        low = [r - float(row["success_low"]) for r, row in zip(rates, rows)]
        high = [float(row["success_high"]) - r for r, row in zip(rates, rows)]
        positions = range(len(rows))
        ax.barh(
            positions,
            rates,
            xerr=[low, high],
            color="tab:blue",
            alpha=0.7,
            error_kw={"capsize": 3},
        )
        ax.set_yticks(
            positions,
            [f"{n} ({row['learned']}/{row['runs']})" for n, row in zip(names, rows)],
            fontsize=7,
        )
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(True, axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel(
        "success rate (runs that learned / runs), with its 95% Wilson interval"
    )
    fig.savefig(out, dpi=90)
    plt.close(fig)


# One marker per kind of net in the memory figure, by the start of its label;
# each series its own colour, and the article's regime dashed.
NET_MARKERS = (
    ("MLP", "X"),
    ("window", "P"),
    ("SimpleRNN", "v"),
    ("GRU", "s"),
    ("LSTM", "o"),
    ("traditional", "D"),
    ("1997", "^"),
)


def rate_rows(spec):
    """The rows a --rows spec names, each with its lag: LABEL=FILE[@LAG][:TEXT].

    A row's lag is its `lag` column, else the p of a configuration such as
    "p=10 (11 steps)", else @LAG; :TEXT keeps the rows whose configuration
    or method contains TEXT, and only our own rows (source "ours") when a
    source column exists.
    """
    label, path, lag, text = spec
    points = []
    for row in read_csv(path):
        if row.get("source", "ours") != "ours":
            continue
        name = row.get("configuration") or row.get("method") or ""
        if text and text not in name:
            continue
        found = row.get("lag") or _p_of(name) or lag
        if found is None:
            raise ValueError(f"{path}: no lag for row {name!r}: add @LAG")
        points.append((row.get("task") or "2a", float(found), row))
    if not points:
        raise ValueError(f"{path} has no rows matching {text!r}")
    return label, points


def _p_of(name):
    head = name.split(" ")[0]
    return head[2:] if head.startswith("p=") and head[2:].isdigit() else None


def net_marker(label):
    return next((m for start, m in NET_MARKERS if label.startswith(start)), "o")


def plot_memory(series, paper_files, out):
    """Success rate (95% interval) against the lag: Task 2a (and the article's
    p = 4) on the left, Task 2c on the right; the paper's Table 2 rates as
    black stars (Table 3 gives no rate for Task 2c)."""
    plt = import_pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(13, 7), constrained_layout=True)
    panels = {"2a": axes[0], "2c": axes[1]}
    colours = plt.get_cmap("tab20").colors
    for k, (label, points) in enumerate(series):
        marker, colour = net_marker(label), colours[(2 * k) % 20 + (2 * k) // 20]
        dashed = "article" in label
        for task, ax in panels.items():
            mine = sorted(
                ((lag, row) for t, lag, row in points if t == task), key=lambda p: p[0]
            )
            if not mine:
                continue
            # Side by side at one lag, the series are nudged apart.
            lags = [lag * 1.025 ** (k - len(series) / 2) for lag, _ in mine]
            rates = [float(row["success_rate"]) for _, row in mine]
            low = [r - float(row["success_low"]) for r, (_, row) in zip(rates, mine)]
            high = [float(row["success_high"]) - r for r, (_, row) in zip(rates, mine)]
            ax.errorbar(
                lags,
                rates,
                yerr=[low, high],
                marker=marker,
                color=colour,
                label=label,
                capsize=3,
                linestyle="--" if dashed else "-",
                alpha=0.85,
            )
    for path in paper_files:
        rows = [r for r in read_csv(path) if r.get("source") == "paper"]
        shown = [r for r in rows if r["task"] == "2a" and r.get("success_rate")]
        if shown:
            axes[0].scatter(
                [float(r["lag"]) for r in shown],
                [float(r["success_rate"]) for r in shown],
                marker="*",
                s=140,
                color=PAPER_COLOUR,
                zorder=5,
                label="the paper's Table 2 (RTRL, BPTT, CH, LSTM)",
            )
    titles = {
        "2a": "Task 2a: remember the first of p + 1 symbols (the article: p = 4)",
        "2c": "Task 2c: one bit across q distractors",
    }
    for task, ax in panels.items():
        ax.set_xscale("log")
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("time lag p" if task == "2a" else "time lag q")
        ax.set_title(titles[task], fontsize=10)
        ax.grid(True, alpha=0.3)
    handles = {}
    for ax in axes:
        handles.update(zip(*reversed(ax.get_legend_handles_labels())))
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncol=3)
    axes[0].set_ylabel("success rate, with its 95% Wilson interval")
    fig.savefig(out, dpi=90)
    plt.close(fig)


def labelled_trials(text):
    """argparse type: FILE.csv or LABEL=FILE.csv, a label for every trial in it."""
    label, sep, path = text.rpartition("=")
    return label if sep else "", existing_file(path)


def titled_table(text):
    """argparse type: TITLE=FILE.csv, a panel's title and the table it shows."""
    title, sep, path = text.partition("=")
    if not sep or not title or not path:
        raise argparse.ArgumentTypeError(f"{text!r} is not TITLE=FILE.csv")
    return title, path


def rows_spec(text):
    """argparse type: LABEL=FILE[@LAG][:TEXT] (see rate_rows)."""
    label, sep, rest = text.partition("=")
    if not sep or not label or not rest:
        raise argparse.ArgumentTypeError(f"{text!r} is not LABEL=FILE[@LAG][:TEXT]")
    rest, _, filter_text = rest.partition(":")
    path, _, lag = rest.partition("@")
    if lag and not lag.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: the lag after @ is not a number")
    return label, existing_file(path), (float(lag) if lag else None), filter_text


def existing_file(path):
    if not os.path.isfile(path):
        raise argparse.ArgumentTypeError(f"no file {path}")
    return path


def make_parser():
    parser = argparse.ArgumentParser(
        prog="python docs/figures.py",
        description="Draw the docs' figures from the CSV files the commands wrote.",
    )
    sub = parser.add_subparsers(dest="figure", required=True)
    lags = sub.add_parser("lags", help="sequences to success against the time lag")
    lags.add_argument(
        "--trials",
        nargs="+",
        type=labelled_trials,
        required=True,
        help="paper.py --trials files, each FILE.csv (its rows named by their "
        "method) or LABEL=FILE.csv (required)",
    )
    lags.add_argument(
        "--paper",
        nargs="*",
        type=existing_file,
        default=[],
        help="paper.py --out tables whose paper rows to draw (default: none)",
    )
    extensions = sub.add_parser("extensions", help="the Extensions' success rates")
    extensions.add_argument(
        "--table",
        nargs="+",
        type=titled_table,
        required=True,
        help="TITLE=FILE.csv, an extensions.py --out table per panel (required)",
    )
    memory = sub.add_parser(
        "memory", help="who remembers how far: success rates against the lag"
    )
    memory.add_argument(
        "--rows",
        nargs="+",
        type=rows_spec,
        required=True,
        help="LABEL=FILE[@LAG][:TEXT], a series from a --out table: its rows' lag "
        "is their lag column, the p of 'p=N ...', or @LAG; :TEXT keeps the rows "
        "whose configuration or method contains TEXT (required)",
    )
    memory.add_argument(
        "--paper",
        nargs="*",
        type=existing_file,
        default=[],
        help="paper.py --out tables whose Table 2 rows to draw (default: none)",
    )
    for p in (lags, extensions, memory):
        p.add_argument("--out", required=True, help="the PNG file to write (required)")
    return parser


def main(argv=None):
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.out.lower().endswith(".png"):
        parser.error(f"argument --out: {args.out} does not end with .png")
    try:
        if args.figure == "lags":
            plot_lags(args.trials, args.paper, args.out)
        elif args.figure == "memory":
            series = {}  # one series per label, from as many files as name it
            for spec in args.rows:
                label, points = rate_rows(spec)
                series.setdefault(label, []).extend(points)
            plot_memory(list(series.items()), args.paper, args.out)
        else:
            tables = []
            for title, path in args.table:
                existing_file(path)
                tables.append((title, read_csv(path)))
            plot_extensions(tables, args.out)
    except (ValueError, KeyError, argparse.ArgumentTypeError) as err:
        parser.error(
            str(err) if not isinstance(err, KeyError) else f"missing column {err}"
        )
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
