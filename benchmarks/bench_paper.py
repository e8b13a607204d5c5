"""Time per run of the 1997 paper's Tasks 2a and 2b: one Keras model per run against all seeds side by side.

In one process, on the same seeds, for each task:
1. `lstm_lab/references/keras_2ab.train_run`, one Keras model per seed (model
   building, compiling and the judgements included), on the first --keras-seeds seeds;
2. `lstm_lab/modern_2ab.train_2ab`, all --seeds seeds side by side in one
   compiled function (initial weights, compiling and the judgements included).
Both train each run until the paper's criterion holds, so a run's time depends
on its count: the ratio compares time per run over the seeds each side ran, and
the counts of the seeds both ran are printed to show they agree.

The machine is shared and noisy: with --repeats above 1, every time is the
median of the rounds. The stacked path compiles in its first round only (the
compiled functions are cached per lag), so its first round is printed apart.

    python benchmarks/bench_paper.py
    python benchmarks/bench_paper.py --lag 100 --keras-seeds 3 --seeds 18 --repeats 3
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dataclasses

from lstm_lab import cli, modern_2ab, regimes
from lstm_lab.references import keras_2ab


def mean_count(counts):
    learned = [c for c in counts if c is not None]
    mean = f"{statistics.mean(learned):,.0f}" if learned else "-"
    return f"{len(learned)}/{len(counts)} learned, mean {mean}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lag",
        type=cli.positive_int,
        default=100,
        help="time lag (default: %(default)s)",
    )
    parser.add_argument(
        "--task",
        type=cli.choice_list(("2a", "2b")),
        default=["2a", "2b"],
        help="tasks (default: 2a,2b)",
    )
    parser.add_argument(
        "--keras-seeds",
        type=cli.positive_int,
        default=3,
        help="Keras runs (default: 3)",
    )
    parser.add_argument(
        "--seeds",
        type=cli.positive_int,
        default=18,
        help="stacked runs (default: 18)",
    )
    parser.add_argument(
        "--repeats",
        type=cli.positive_int,
        default=1,
        help="rounds (default: 1)",
    )
    parser.add_argument(
        "--max-sequences",
        type=cli.positive_int,
        default=regimes.Settings2ab.max_sequences,
        help="budget per run (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    chosen = dataclasses.replace(
        regimes.Settings2ab(), max_sequences=args.max_sequences
    )
    print(
        f"lag = {args.lag}; Keras: seeds 0-{args.keras_seeds - 1}; stacked: seeds 0-{args.seeds - 1}; "
        f"{args.repeats} round(s)"
    )
    for task in args.task:
        keras_times, stacked_times = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            keras_counts = [
                keras_2ab.train_run(s, task, args.lag, chosen)[0]
                for s in range(args.keras_seeds)
            ]
            keras_times.append((time.perf_counter() - start) / args.keras_seeds)
            start = time.perf_counter()
            outcome = modern_2ab.train_2ab(range(args.seeds), task, args.lag, chosen)
            stacked_times.append((time.perf_counter() - start) / args.seeds)
        stacked_counts = outcome.counts
        keras_per_run = statistics.median(keras_times)
        stacked_per_run = statistics.median(stacked_times)
        shared = min(args.keras_seeds, args.seeds)
        same = keras_counts[:shared] == stacked_counts[:shared]
        print(f"\nTask {task}, lag = {args.lag}")
        print(
            f"  Keras, one model per run: {keras_per_run:7.2f} s per run  ({mean_count(keras_counts)})"
        )
        print(
            f"  stacked:                  {stacked_per_run:7.2f} s per run  ({mean_count(stacked_counts)})"
        )
        if args.repeats > 1:
            print(
                f"  stacked, first round (compiling included): {stacked_times[0]:.2f} s per run"
            )
        print(
            f"  ratio (Keras / stacked, time per run): {keras_per_run / stacked_per_run:.1f}"
        )
        print(
            f"  counts of seeds 0-{shared - 1}: Keras {keras_counts[:shared]}, "
            f"stacked {stacked_counts[:shared]} ({'the same' if same else 'DIFFERENT'})"
        )
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in outcome.seconds.items())
        print(f"  stacked, last round: {timing}")


if __name__ == "__main__":
    sys.exit(main())
