"""Where the time of Task 2c goes at a long lag: training, judging, compiling, padding.

In one process, for two seeds side by side at a lag of --lag (default 10,000)
with as many distractor symbols, the
parts of `lstm_lab/modern_2c.py` that `online.train_online` calls:

1. the trainer, one call of judge_every sequences per run: the trainer as it
   is (the input's share gathered before the loop), and as it was (gathered
   inside the loop, step by step), with the same method otherwise;
2. the judge: the screening part (online.FIRST_PART sequences of every run),
   a smaller part (to show what a shorter screening would save), and a later
   part (online.REST_PART sequences of one run);
3. compiling: the first call of each, less the median of the others;
4. padding: the steps the loops run against the padded width and the mean
   sequence.

The machine is shared and noisy: every time is the median of --repeats calls
after the first (which compiles), and the ratios are of medians.

    python benchmarks/bench_long_2c.py
    python benchmarks/bench_long_2c.py --lag 1000 --repeats 5
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

from lstm_lab import cli, modern_2c, online, regimes, tasks, tf_ops


def timed_calls(call, repeats):
    """(first call's seconds, median of the next `repeats`)."""
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lag",
        type=cli.positive_int,
        default=10_000,
        help="the lag, and the number of distractors (default: 10000)",
    )
    parser.add_argument("--seeds", type=cli.int_list, default=[300, 301])
    parser.add_argument("--repeats", type=cli.positive_int, default=3)
    parser.add_argument(
        "--small-part", type=cli.positive_int, default=16, help="(default: 16)"
    )
    parser.add_argument(
        "--skip-old", action="store_true", help="do not time the old trainer"
    )
    args = parser.parse_args(argv)
    seeds, settings = args.seeds, regimes.Settings2c()
    lag = distractors = args.lag
    n_runs, n = len(seeds), settings.judge_every
    weights = tf_ops.stack(
        [modern_2c.initial_weights_2c(s, distractors, settings) for s in seeds]
    )
    moments = tf_ops.zero_moments(weights)
    rngs = tasks.streams(seeds, "train")
    drawn = tasks.task_2c_batch(rngs, lag, distractors, n, range(n_runs))
    train_seqs = tf.constant(drawn)
    width = train_seqs.shape[-1]
    lengths = (train_seqs.numpy() != tasks.PAD).sum(-1) - 1
    loop_steps = lengths.max(axis=0).mean()  # the stack runs to its longest
    constants = (
        tf.constant(0),
        train_seqs,
        tf.constant(np.ones(n_runs, bool)),
        tf.constant(settings.learning_rate),
    )
    print(
        f"lag = distractors = {lag:,}, {n_runs} runs, {n} sequences per training call"
    )
    print(
        f"padding: width {width:,}, mean sequence {lengths.mean():,.0f} inputs, "
        f"the training loop runs {loop_steps:,.0f} steps "
        f"({width / loop_steps:.3f} x fewer than the width)"
    )
    rows = {}
    trainers = {
        "trainer (gathered before the loop)": modern_2c.compile_2c_training(
            n_runs, settings.units, n, width, distractors
        )
    }
    if not args.skip_old:
        trainers["trainer as it was (gathered in the loop)"] = (
            modern_2c.compile_2c_training(
                n_runs, settings.units, n, width, distractors, gathered=False
            )
        )
    for name, trainer in trainers.items():
        first, median = timed_calls(
            lambda t=trainer: t(weights, moments, constants[0], *constants[1:]),
            args.repeats,
        )
        rows[name] = median
        per_step = median / (n * loop_steps) * 1e6
        print(
            f"{name}: {median:.3f} s per call, compile {first - median:.1f} s, "
            f"{per_step:.1f} us per step of the stack (forward and gradient)"
        )
    test_rngs = tasks.streams(seeds, "test")
    parts = (
        ("screening part", n_runs, online.FIRST_PART),
        ("smaller part", n_runs, args.small_part),
        ("later part, one run", 1, online.REST_PART),
    )
    for name, runs, size in parts:
        drawn = tasks.task_2c_batch(test_rngs, lag, distractors, size, range(runs))
        sequences = tf.constant(drawn)
        judge = modern_2c.compile_2c_judge(runs, size, sequences.shape[-1], distractors)
        stack = tf.nest.map_structure(lambda w, r=runs: w[:r], weights)
        first, median = timed_calls(
            lambda j=judge, s=stack, x=sequences: j(s, x).numpy(), args.repeats
        )
        rows[name] = median
        print(
            f"judge, {name} ({size} sequences x {runs} runs): {median:.3f} s, "
            f"compile {first - median:.1f} s, "
            f"{median / sequences.shape[-1] * 1e6:.0f} us per step"
        )
    new = rows["trainer (gathered before the loop)"]
    screen = rows["screening part"]
    if not args.skip_old:
        old = rows["trainer as it was (gathered in the loop)"]
        print(f"ratio, trainer as it was / as it is: {old / new:.1f}")
    print(f"ratio, screening part / training call: {screen / new:.2f}")
    print(f"ratio, screening part / smaller part: {screen / rows['smaller part']:.2f}")
    full = rows["later part, one run"] * tasks.TEST_SEQUENCES / online.REST_PART
    print(
        f"one run's full judgement ({tasks.TEST_SEQUENCES:,} sequences): about "
        f"{full:.0f} s, as much as {full / new:,.0f} training calls"
    )


if __name__ == "__main__":
    main()
