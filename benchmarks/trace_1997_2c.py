"""Which fresh Task 2c sequences a trained 1997 net still gets wrong, and why.

It trains the paper's net on Task 2c with paper.py's settings and training
streams (`--method 1997 --task 2c`), and from `--start` sequences on, every
`--every`, replays the net's forward pass on `--fresh` fresh sequences per
seed, recording each step's cell states and gates. It prints which sequences
fail (an output more than 0.2 from its target at the end), their lengths and
distractors, what the input gates do one step after x/y is stored, how far
that step moves the state toward the other class, and whether swapping that
one symbol rescues a failing sequence, and a swap at later positions.

    python benchmarks/trace_1997_2c.py --figure trace_2c.png
"""

import argparse
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

# The package first: it sets TensorFlow's quiet logging defaults, which must
# come before TensorFlow is imported.
import lstm_lab  # noqa: F401

# isort: split


import numpy as np
import tensorflow as tf

from lstm_lab import cli, method_1997, regimes, step_1997, tasks
from lstm_lab.references import numpy_1997

BATCH = 2_500  # fresh sequences per forward pass: bounds the traces' memory
STORE, AFTER = 1, 2  # steps whose input is x/y, and the distractor right after it
EARLY = np.array([2, 3, 4, 6, 10])  # steps at which the early state is shown
SWAPS = (2, 3, 4, 6, 10, 20, "before e")  # positions whose distractor is swapped


def seed_list(text):
    """argparse type: comma-separated seeds, e.g. `0,2,4`."""
    return [cli.seed_int(part.strip()) for part in text.split(",")]


def trace(net, weights, sequences):
    """Replay the forward pass with the 1997 trainer's own step (step_1997).

    weights: a stack (R, ...) of numpy weights; sequences (R, B, W), padded.
    Returns numpy arrays s, y_in, y_out, y_c (R, B, W-1, C), per step after
    that step's input, and y_k (R, B, K) at each sequence's last step.
    """
    w = {k: tf.constant(v, tf.float32) for k, v in weights.items()}
    n_runs, n = sequences.shape[:2]
    n_in = tasks.sequence_lengths(sequences.reshape(-1, sequences.shape[-1]))
    n_in = tf.constant((n_in - 1).reshape(n_runs, n))
    cell_on, form = tf.ones(n_runs, bool), step_1997.OneHot(net)
    state = step_1997.zero_state(form, (n_runs, n))
    out = {k: [] for k in ("s", "y_in", "y_out", "y_c")}
    last = tf.zeros((n_runs, n, net.n_out))
    for t in range(int(tf.reduce_max(n_in))):
        live = t < n_in
        x = tf.constant(sequences[:, :, t], tf.int32)
        state, values = step_1997.step(form, w, x, state, live, cell_on)
        for k, v in (("s", state.s), ("y_in", values.y_in), ("y_out", values.y_out)):
            out[k].append(v.numpy())
        out["y_c"].append((values.y_out * values.h).numpy())
        last = tf.where(live[..., None], values.y_k, last)
    traces = {k: np.stack(v, axis=2) for k, v in out.items()}
    traces["y_k"] = last.numpy()
    return traces


def end_errors(y_k, sequences, offset):
    """The largest |output - target| at each sequence's end (R, B), and its class."""
    n_runs, n, width = sequences.shape
    lengths = tasks.sequence_lengths(sequences.reshape(-1, width)).reshape(n_runs, n)
    label = np.take_along_axis(sequences, lengths[..., None] - 1, 2)[..., 0] - offset
    return np.abs(y_k - np.eye(2)[label]).max(-1), label, lengths


def check_against_reference(net, reference, weights, sequences):
    """The replayed outputs against numpy_1997's float64 forward pass (rate 0)."""
    y_k = trace(net, weights, sequences)["y_k"]
    worst = 0.0
    for r in range(sequences.shape[0]):
        w = {k: v[r].astype(np.float64) for k, v in weights.items()}
        for b in range(sequences.shape[1]):
            seq = sequences[r, b][sequences[r, b] != tasks.PAD]
            _, outputs = numpy_1997.train_sequence(reference, w, seq, [], 0.0, False)
            worst = max(worst, float(np.abs(outputs[-1] - y_k[r, b]).max()))
    return worst


def train_snapshots(trainer, seeds, args):
    """Train with method_1997's compiled trainer; yield (done, weights) at each
    snapshot. Calls of paper.py's judge_every sequences from paper.py's
    training streams, so up to a run's first passing judgement its weights are
    the ones `paper.py` trains (paper.py then stops it; here it goes on)."""
    trainer.start(seeds)
    rngs = tasks.streams(seeds, "train")
    active = np.ones(len(seeds), bool)
    step, done = trainer.settings.judge_every, 0
    while done < args.sequences:
        trainer.train_chunk(rngs, active.copy(), step)
        done += step
        if done >= args.start and (done - args.start) % args.every == 0:
            yield done, {k: v.numpy() for k, v in trainer.weights.items()}


def measure(net, weights, seeds, done, args, offset):
    """One snapshot: fresh sequences per seed, traced; one record per sequence."""
    rngs = [np.random.default_rng([s, 7, done]) for s in seeds]  # not paper.py's
    rows = []
    for _ in range(0, args.fresh, BATCH):
        seqs = tasks.task_2c_batch(rngs, args.lag, args.lag, BATCH, range(len(seeds)))
        tr = trace(net, weights, seqs)
        err, label, lengths = end_errors(tr["y_k"], seqs, offset)
        rows.append((seqs, tr, err, label, lengths))
    return rows


def summarise(net, weights, rows):
    """Per run, one record per fresh sequence: the numbers that test the guess.
    z and u: the state on the class axis (`_axis`) at the end and after x/y,
    signed so that the own class's mean is at +1 and the other's at -1."""
    out = []
    keep = 12  # the first steps' gates, for the figure
    for r in range(len(rows[0][2])):
        width = max(x[0].shape[-1] for x in rows)
        seqs = np.concatenate([_pad(x[0][r], width, tasks.PAD) for x in rows])
        err, label, lengths = (
            np.concatenate([x[i][r] for x in rows]) for i in (2, 3, 4)
        )
        s, y_in, y_c, y_out = (
            np.concatenate([_pad(x[1][k][r], width - 1, 0.0) for x in rows])
            for k in ("s", "y_in", "y_c", "y_out")
        )
        fail = err > tasks.TASK_2C_THRESHOLD
        idx, e_step = np.arange(len(err)), lengths - 2
        ok = ~fail
        sign = np.where(label == 0, 1.0, -1.0)[:, None]
        z = sign * _axis(s, s[idx, e_step], ok, label)
        # The same from the states right after x/y, which are one per class:
        # u = +1 there, and u < 0 is nearer the other class's stored state.
        u = sign * _axis(s, s[:, STORE], ok, label)
        steps = np.arange(z.shape[1])[None]
        middle = (steps > AFTER) & (steps < e_step[:, None])
        # The input gate's net input at the step after x/y, split into the
        # symbol's own weight and the recurrent units' outputs of the storing
        # step (the cells, the input gates, the output gates).
        w_in = weights["w_in"][r]
        rec = np.concatenate([y_c[:, STORE], y_in[:, STORE], y_out[:, STORE]], -1)
        n_mid = np.maximum(middle.sum(1), 1)[:, None]
        shown = np.r_[np.flatnonzero(fail)[:5], np.flatnonzero(ok)[:5]]
        out.append(
            {
                "seqs": seqs,
                "err": err,
                "fail": fail,
                "label": label,
                "lengths": lengths,
                "y_in_start": y_in[:, :keep],
                "in1": y_in[:, STORE],
                "in2": y_in[:, AFTER],
                "ine": y_in[idx, e_step],
                "inm": (y_in * middle[..., None]).sum(1) / n_mid,
                "sym": w_in[:, seqs[:, AFTER]].T,
                "rec": rec @ w_in[:, net.n_in :].T,
                "zend": z[idx, e_step],
                "u": u[:, EARLY],
                # the stored difference, and the spread one distractor adds to it
                "stored": np.abs(s[label == 0, STORE][0] - s[label == 1, STORE][0]),
                "kick": s[:, AFTER][label == 0].std(0),
                # u along the first failing and passing sequences, for the figure
                "paths": [u[i, : lengths[i] - 1] for i in shown],
            }
        )
    return out


def _axis(s, ref, ok, label):
    """s (B, T, C) on the axis from the y to the x class's mean `ref` state
    (over the sequences in `ok`), from their midpoint, in units of half their
    distance: the x class's mean is at +1, the y class's at -1."""
    mx, my = ref[ok & (label == 0)].mean(0), ref[ok & (label == 1)].mean(0)
    return (s - (mx + my) / 2) @ ((mx - my) / (np.sum((mx - my) ** 2) / 2))


def _pad(a, width, value):
    """a (B, T, ...) padded along its second axis to `width`."""
    extra = [(0, 0), (0, width - a.shape[1])] + [(0, 0)] * (a.ndim - 2)
    return np.pad(a, extra, constant_values=value)


def symbol_rates(sym, fail, distractors):
    """Failure rate of the sequences with each distractor (`sym` per sequence)."""
    n = np.bincount(sym[sym < distractors], minlength=distractors)
    k = np.bincount(sym[(sym < distractors) & fail], minlength=distractors)
    return k / np.maximum(n, 1)


def concentration(sym, fail, distractors, top=3):
    """How many failures have one of the `top` worst symbols, which, and their rates."""
    rates = symbol_rates(sym, fail, distractors)
    worst = np.argsort(rates)[::-1][:top]
    return int(np.isin(sym[fail], worst).sum()), worst, rates[worst]


def swap_test(net, weights, r, d, offset, distractors, rng, position):
    """Swap one distractor of each failing sequence, at `position` (an int or
    "before e"), for another random one and replay: how many then pass."""
    seqs = d["seqs"][d["fail"]].copy()
    rows = np.arange(len(seqs))
    pos = d["lengths"][d["fail"]] - 3 if position == "before e" else position
    shift = rng.integers(1, distractors, len(seqs))
    seqs[rows, pos] = (seqs[rows, pos] + shift) % distractors
    one = {k: v[r : r + 1] for k, v in weights.items()}
    err, _, _ = end_errors(trace(net, one, seqs[None])["y_k"], seqs[None], offset)
    return int((err[0] <= tasks.TASK_2C_THRESHOLD).sum())


def table(title, header, rows):
    """A Markdown table; header: the column names joined by |."""
    header = header.split("|")
    print(f"\n## {title}\n| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")


def after(d, args):
    """Whether a snapshot of a seed is past the plateau: few of its fresh fail."""
    return d["fail"].mean() <= args.max_failed


def fmt(a):
    """Numbers to 2 places: a vector's joined by commas, a matrix's rows by ;."""
    return "; ".join(", ".join(f"{v:.2f}" for v in row) for row in np.atleast_2d(a))


def report(net, snapshots, seeds, args, offset):
    """Print the tables (Markdown)."""
    distractors, rng = args.lag, np.random.default_rng(11)
    rows = []
    for done, _, per_run in snapshots:
        for r, d in enumerate(per_run):
            f = d["fail"]
            n, worst, rates = concentration(d["seqs"][:, AFTER], f, distractors)
            top = ", ".join(f"{a} ({x:.0%})" for a, x in zip(worst, rates))
            err, n_in = (
                f"{d[k][f].mean():.2f}" if f.any() else "-" for k in ("err", "lengths")
            )
            length = f"{n_in} / {d['lengths'].mean():.1f}"
            share = f"{n / max(f.sum(), 1):.0%}: {top}"
            rows.append(
                [f"{done:,}", seeds[r], f"{f.sum()}/{len(f)}", err, length, share]
            )
    table(
        "Failures of the fresh sequences, and the 3 worst symbols right after x/y",
        "sequences|seed|failed|their mean error|mean length: failed / all|"
        "failures with one of the 3 (their failure rates)",
        rows,
    )
    # After the plateau only: a snapshot that fails more is still on it.
    by_seed = [
        [d for d in (per_run[r] for _, _, per_run in snapshots) if after(d, args)]
        for r in range(len(seeds))
    ]
    gates = ("in1", "in2", "inm", "ine", "sym", "rec")
    rows = []
    for seed, runs in zip(seeds, by_seed):
        for name, pick in (("failing", True), ("passing", False)) if runs else ():
            v = {
                k: np.concatenate([d[k][d["fail"] == pick] for d in runs])
                for k in gates + ("u", "zend")
            }
            if len(v["u"]):
                rows.append(
                    [seed, f"{name} ({len(v['u']):,})"]
                    + [fmt(v[k].mean(0)) for k in gates]
                    + [
                        " / ".join(f"{x:+.2f}" for x in v["u"].mean(0)),
                        f"{(v['u'][:, 0] < 0).mean():.0%} / {(v['u'][:, -1] < 0).mean():.0%}",
                        f"{v['zend'].mean():+.2f}",
                    ]
                )
    table(
        "Input gates (cell 1, cell 2) and the state, failing against passing",
        "seed|sequences|y_in at x/y (1)|y_in at the next symbol (2)|y_in, mean of "
        "the middle|y_in at e|gate net input at 2 from the symbol|... from the units'"
        f" outputs at 1|u at steps {', '.join(map(str, EARLY))}|u < 0 at "
        f"{EARLY[0]} / {EARLY[-1]}|z at the end",
        rows,
    )
    rows = []
    for seed, runs, r in zip(seeds, by_seed, range(len(seeds))):
        saved = np.zeros(len(SWAPS), int)
        for weights, d in ((w, per_run[r]) for _, w, per_run in snapshots):
            if d["fail"].any() and after(d, args):
                saved += [
                    swap_test(net, weights, r, d, offset, distractors, rng, pos)
                    for pos in SWAPS
                ]
        nf = sum(int(d["fail"].sum()) for d in runs)
        rows.append([seed, nf] + [f"{x / max(nf, 1):.0%}" for x in saved])
    table(
        "Swapping one distractor of each failing sequence for a random other one:"
        " the share that then passes",
        "seed|failures|" + "|".join(f"at position {x}" for x in SWAPS),
        rows,
    )
    rows = []
    n_in, c = net.n_in, net.n_cells
    for seed, r, d in zip(seeds, range(len(seeds)), snapshots[-1][2]):
        w = {k: v[r] for k, v in snapshots[-1][1].items()}
        layout = tasks.layout_2c(distractors)
        x, y = layout.x, layout.y
        rows.append(
            [
                seed,
                fmt(d["stored"]),
                fmt(d["kick"]),
                fmt(w["w_c"][:, n_in : n_in + c]),
                fmt(w["w_c"][:, x] - w["w_c"][:, y]),
                f"{np.abs(w['w_c'][:, :distractors]).max():.2f}",
                fmt(w["w_in"][:, [x, y]]),
                f"{np.abs(w['w_in'][:, :distractors]).max():.2f}",
            ]
        )
    table(
        f"What holds the memory, after {snapshots[-1][0]:,} sequences (per cell)",
        "seed|state difference x - y after x/y|sd of the state after one "
        "distractor|w_c from the cells (to cell 1; to cell 2)|w_c from x - from y|"
        "max w_c from a distractor|w_in from x, y (cell 1; cell 2)|max w_in from a "
        "distractor",
        rows,
    )


def figure(snapshots, seeds, args):
    """Input gates, the early state, and failures by the symbol after x/y."""
    from lstm_lab import plots

    plt, distractors = plots.import_pyplot(), args.lag
    # The snapshot and seed with the most failures shows them best.
    done, r, d = max(
        (
            (done, r, d)
            for done, _, per_run in snapshots
            for r, d in enumerate(per_run)
            if after(d, args)
        ),
        key=lambda k: k[2]["fail"].sum(),
    )
    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5))
    for c, style in ((0, "-"), (1, "--")):
        for pick, colour in ((True, "C3"), (False, "C0")):
            ax[0, 0].plot(
                d["y_in_start"][d["fail"] == pick][:, :, c].mean(0),
                style,
                color=colour,
                label=f"cell {c + 1}, {'failing' if pick else 'passing'}",
            )
    ax[0, 0].set(
        xlabel="step (1: x/y, 2: the symbol after it)",
        ylim=(0, 1),
        ylabel="mean input gate",
        title="Input gates: half open throughout",
    )
    ax[0, 0].legend(fontsize=8)
    n_fail = min(5, int(d["fail"].sum()))
    for i, u_path in enumerate(d["paths"]):
        ax[0, 1].plot(
            np.arange(STORE, len(u_path)),
            u_path[STORE:],
            color="C3" if i < n_fail else "C0",
            alpha=0.7,
            lw=1,
        )
    ax[0, 1].axhline(0, color="k", lw=0.5)
    ax[0, 1].set_yscale("symlog", linthresh=1)
    ax[0, 1].set(
        xlabel="step",
        ylabel="u: state on the x/y axis (own class +1 at step 1)",
        title=f"{n_fail} failing (red) and 5 passing (blue) sequences",
    )
    classes = [d["label"] == k for k in (0, 1)]
    rates = [
        symbol_rates(d["seqs"][m, AFTER], d["fail"][m], distractors) for m in classes
    ]
    for k, name in ((0, "x"), (1, "y")):
        left = np.arange(distractors) + 0.4 * k - 0.2
        ax[1, 0].bar(left, rates[k], 0.4, label=f"{name} sequences")
        m = d["label"] == k
        sym = d["seqs"][m, AFTER]
        u2 = np.bincount(sym, d["u"][m, 0], distractors) / np.maximum(
            np.bincount(sym, minlength=distractors), 1
        )
        ax[1, 1].scatter(u2, rates[k], s=14, label=f"{name} sequences")
    ax[1, 0].set(
        xlabel="distractor right after x/y",
        ylabel="failure rate",
        title="Failures by the symbol after x/y",
    )
    ax[1, 0].legend(fontsize=8)
    ax[1, 1].set(
        xlabel="u after that symbol (1: unmoved; < 1: toward the other class)",
        ylabel="failure rate",
        title="Each symbol after x/y: its move and failures",
    )
    ax[1, 1].legend(fontsize=8)
    fig.suptitle(
        f"1997 net, Task 2c, q = p = {distractors}, seed {seeds[r]} after {done:,} "
        f"sequences: {d['fail'].sum()} of {len(d['fail']):,} fresh sequences fail"
    )
    fig.tight_layout()
    fig.savefig(args.figure, dpi=110)
    print(f"\nfigure: {args.figure}")


# (flag, type, default, help): every option, its default named in its help
OPTIONS = (
    ("--lag", cli.positive_int, 50, "q = p"),
    ("--seeds", seed_list, "0,1,2,4,5", "comma-separated seeds"),
    ("--in-gate", cli.finite_float, 0.0, "added to the input gates' initial weights"),
    ("--lr", cli.positive_float, 0.01, "learning rate (the paper's 0.01)"),
    ("--sequences", cli.positive_int, 80_000, "training sequences"),
    ("--start", cli.positive_int, 40_000, "first snapshot, in sequences"),
    ("--every", cli.positive_int, 10_000, "sequences between snapshots"),
    (
        "--fresh",
        cli.positive_int,
        10_000,
        f"fresh sequences per seed and snapshot, a multiple of {BATCH}",
    ),
    (
        "--max-failed",
        float,
        0.05,
        "pooled tables skip snapshots failing more (on the plateau)",
    ),
    ("--figure", pathlib.Path, None, "write a PNG here"),
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for flag, kind, default, text in OPTIONS:
        parser.add_argument(
            flag, type=kind, default=default, help=f"{text} (default: {default})"
        )
    parser.add_argument(
        "--ranges-2c",
        choices=tuple(regimes.RANGES_2C),
        default="text",
        help="h and g ranges (default: text)",
    )
    args = parser.parse_args(argv)
    if args.fresh % BATCH:
        parser.error(f"--fresh must be a multiple of {BATCH}, got {args.fresh}")
    settings = regimes.Settings1997.for_task(
        "2c", ranges_2c=args.ranges_2c, in_gate=args.in_gate, learning_rate=args.lr
    )
    for k in ("start", "every"):
        if getattr(args, k) % settings.judge_every:
            parser.error(f"--{k} must be a multiple of {settings.judge_every}")
    print(f"settings: {settings}")
    trainer = method_1997.Trainer1997(
        "2c", args.lag, None, settings, tasks.TEST_SEQUENCES
    )
    net, offset, seeds = trainer.net, trainer.offset, args.seeds
    reference = numpy_1997.paper_net("2c", args.lag, None, net.g, net.h)
    begin, snapshots = time.perf_counter(), []
    for done, weights in train_snapshots(trainer, seeds, args):
        per_run = summarise(
            net, weights, measure(net, weights, seeds, done, args, offset)
        )
        print(
            f"{done:,} sequences: failures per seed "
            f"{[int(d['fail'].sum()) for d in per_run]} of {args.fresh:,}"
            f" ({time.perf_counter() - begin:.0f} s)",
            flush=True,
        )
        snapshots.append((done, weights, per_run))
    small = per_run[0]["seqs"][:4][None, :, :]
    small = np.repeat(small, len(seeds), 0)
    print(
        "replayed outputs against numpy_1997 (float64), largest difference: "
        f"{check_against_reference(net, reference, weights, small):.1e}"
    )
    report(net, snapshots, seeds, args, offset)
    if args.figure:
        figure(snapshots, seeds, args)
    print(f"\n{time.perf_counter() - begin:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
