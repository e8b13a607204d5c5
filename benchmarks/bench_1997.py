"""The 1997 trainer's two forms side by side: the equations as written (one-hot) and gathered.

In one process, on the same drawn sequences and the same initial weights, for
each configuration (Task and lag) the two compiled calls that
`online.train_online` makes of `lstm_lab/method_1997.py`:

1. training: one call of judge_every sequences for every run, the one-hot
   form (every product dense, as the trainer was before the gathered form)
   against the gathered form (input rows gathered, changes scattered, and
   Tasks 2a/2b's steps taken all at once);
2. judging: one part of Task 2c's screening (--part test sequences per run),
   as the trainer judged before (one-hot, traces computed, every sequence
   run to the longest) against now (gathered, no traces, longest first in
   chunks of method_1997.JUDGE_CHUNK, each run to its longest, stopping once
   every run has failed): with the untrained nets, which fail at once, and
   as if every run passed (the whole part); Task 2a judges its two sequences.

Every time is the median of --repeats calls after a first one (which
compiles), in microseconds per step of the whole stack (all runs, and for the
judge all their sequences); the ratios are of medians. The machine may be
shared: run both paths in one process, as here, and read the ratios. The
outputs of the two forms are compared, so a speed-up that changed the
numbers would show.

    python benchmarks/bench_1997.py
    python benchmarks/bench_1997.py --config 2c:1000 --repeats 5
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The package first: it sets TensorFlow's quiet logging defaults, which must
# come before TensorFlow is imported.
import lstm_lab  # noqa: F401

# isort: split

import numpy as np
import tensorflow as tf

from lstm_lab import cli, method_1997, regimes, tasks

FORMS = ("one-hot", "gathered")


def config(text):
    """argparse type: TASK:LAG, e.g. 2c:50."""
    task, _, lag = text.partition(":")
    if task not in ("2a", "2b", "2c") or not lag.isdigit() or int(lag) < 5:
        raise argparse.ArgumentTypeError(
            f"expected TASK:LAG with TASK 2a, 2b or 2c and LAG >= 5, got {text!r}"
        )
    return task, int(lag)


def timed(calls, repeats):
    """Each call's median seconds over `repeats` rounds, after a first call
    (which compiles). The calls take turns within each round, so that a load
    that comes and goes on a shared machine falls on both paths alike."""
    for call in calls.values():
        call()
    times = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def settings_for(task):
    # The reading that learned Task 2c (Table 10's legend, eq. 16's error);
    # the paper's own for 2a and 2b. The speed does not depend on them.
    if task == "2c":
        return regimes.Settings1997.for_task(task, ranges_2c="legend", error="eq16")
    return regimes.Settings1997.for_task(task)


def bench(task, lag, n_runs, part, repeats):
    seeds = list(range(n_runs))
    trainers = {}
    for form in FORMS:
        trainer = method_1997.Trainer1997(
            task, lag, None, settings_for(task), tasks.TEST_SEQUENCES, form
        )
        trainer.start(seeds)
        trainer.cell_on[:] = True  # a 2a/2b net with its cell, as when judged
        trainers[form] = trainer
    first = trainers[FORMS[0]]
    n = first.settings.judge_every
    drawn = first.draw(tasks.streams(seeds, "train"), np.arange(n_runs), n)
    lengths = (drawn != tasks.PAD).sum(-1) - 1
    train_steps = n * lengths.max(axis=0).mean()  # the stack runs to its longest
    print(
        f"\nTask {task}, lag {lag:,}: {n_runs} runs, {first.net.n_in} inputs, "
        f"{n} sequences per training call"
    )
    calls, results = {}, {}
    for form, trainer in trainers.items():
        compiled = method_1997.compile_1997_training(
            trainer.net,
            n_runs,
            n,
            drawn.shape[-1],
            trainer.settings.update == "step",
            task == "2c",
            trainer.offset,
            form,
        )
        args = (
            trainer.weights,
            tf.constant(drawn),
            tf.constant(np.ones(n_runs, bool)),
            tf.constant(trainer.cell_on),
            *trainer.constants,
        )
        results[form] = compiled(*args)[0]
        calls[form] = lambda c=compiled, a=args: c(*a)[1].numpy()
    gap = max(
        float(np.abs(results["gathered"][k] - results["one-hot"][k]).max())
        for k in method_1997.NAMES
        if results["one-hot"][k].shape[-1]
    )
    report("train", timed(calls, repeats), train_steps, f"weights differ by {gap:.1e}")
    if task == "2a":
        sequences = np.repeat(first.fixed[None], n_runs, axis=0)
    else:
        sequences = first.draw(tasks.streams(seeds, "test"), np.arange(n_runs), part)
    runs = np.arange(n_runs)
    judge_steps = sequences.shape[1] * ((sequences != tasks.PAD).sum(-1) - 1).mean()
    calls = {
        form: lambda t=trainer: t._worst(runs, sequences)
        for form, trainer in trainers.items()
    }
    note = f"{sequences.shape[1]:,} sequences per run"
    if task == "2c":
        # Task 2c's gathered judge stops once every run has failed. The
        # untrained nets fail on the first chunk; a net that passes is judged
        # on every sequence. Both, against the one-hot judge, which runs all.
        report("judge, untrained nets", timed(calls, repeats), judge_steps, note)
        trainers["gathered"].threshold = np.inf
    worst = {form: t._worst(runs, sequences) for form, t in trainers.items()}
    gap = np.abs(worst["gathered"] - worst["one-hot"]).max()
    note += f"; worst errors differ by {gap:.1e}"
    what = "judge, every run passing" if task == "2c" else "judge"
    report(what, timed(calls, repeats), judge_steps, note)


def report(what, seconds, steps, note):
    for form in FORMS:
        print(
            f"  {what}, {form:8}: {seconds[form] / steps * 1e6:8.3f} us per step of the stack"
        )
    ratio = seconds["one-hot"] / seconds["gathered"]
    print(f"  {what}: gathered {ratio:.1f} x faster ({note})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config",
        type=config,
        nargs="+",
        default=[("2c", 50), ("2c", 1000), ("2a", 100)],
        help="TASK:LAG configurations (default: 2c:50 2c:1000 2a:100)",
    )
    parser.add_argument(
        "--runs", type=cli.positive_int, default=20, help="runs (default: 20)"
    )
    parser.add_argument(
        "--part",
        type=cli.positive_int,
        default=1_000,
        help="Task 2b/2c test sequences per run judged (default: 1000)",
    )
    parser.add_argument(
        "--repeats", type=cli.positive_int, default=3, help="(default: 3)"
    )
    args = parser.parse_args(argv)
    for task, lag in args.config:
        bench(task, lag, args.runs, args.part, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
