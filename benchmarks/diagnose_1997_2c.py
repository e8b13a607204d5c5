"""What the 1997 net does on Task 2c, a few seeds side by side, as training goes.

Every `--every` sequences it prints, per seed: the mean training error per
sequence since the last line (0.5 is both outputs at 0.5, knowing nothing),
the share of 100 fresh sequences whose two outputs are within 0.2 of their
targets at the end (the paper's criterion asks for all of 10,000), and the
largest weight from a cell to an output. docs/paper/method-1997.md uses it to
show where the printed method spends its sequences.

    python benchmarks/diagnose_1997_2c.py --lag 50 --seeds 6 --sequences 60000
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

# The package first: it sets TensorFlow's quiet logging defaults, which must
# come before TensorFlow is imported.
import lstm_lab  # noqa: F401

# isort: split


import numpy as np
import tensorflow as tf

from lstm_lab import cli, method_1997, net_1997, tasks

CHUNK = 100  # training sequences per compiled call


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lag", type=cli.positive_int, default=50, help="q = p (default: 50)"
    )
    parser.add_argument(
        "--seeds",
        type=cli.positive_int,
        default=6,
        help="seeds 0.. (default: 6)",
    )
    parser.add_argument(
        "--lr", type=float, default=0.01, help="learning rate (default: 0.01)"
    )
    parser.add_argument(
        "--sequences",
        type=cli.positive_int,
        default=60_000,
        help="training sequences (default: 60000)",
    )
    parser.add_argument(
        "--every",
        type=cli.positive_int,
        default=5_000,
        help="sequences between two lines, a multiple of 100 (default: 5000)",
    )
    args = parser.parse_args(argv)
    if args.every % CHUNK:
        parser.error(f"--every must be a multiple of {CHUNK}, got {args.every}")
    lag, runs = args.lag, np.arange(args.seeds)
    distractors = lag  # the paper's Table 3 rows: q = p
    net = net_1997.task_net("2c", lag, distractors)
    inits = [net_1997.initial_weights_1997(net, s) for s in runs]
    weights = {
        k: tf.constant(np.stack([w[k] for w in inits]), tf.float32) for k in inits[0]
    }
    train = tasks.streams(runs, "train")  # as paper.py draws them
    test = [np.random.default_rng([s, 9]) for s in runs]  # not paper.py's test stream
    every_run = tf.constant(np.ones(len(runs), bool))
    x_symbol = tasks.layout_2c(distractors).x
    done, error = 0, np.zeros(len(runs))
    while done < args.sequences:
        sequences = tasks.task_2c_batch(train, lag, distractors, CHUNK, runs)
        trainer = method_1997.compile_1997_training(
            net, len(runs), CHUNK, sequences.shape[-1], False, True, x_symbol
        )
        weights, loss = trainer(
            weights,
            tf.constant(sequences),
            every_run,
            every_run,
            tf.constant(args.lr),
            tf.constant(1.0),
        )
        done += CHUNK
        error += loss.numpy()
        if done % args.every:
            continue
        fresh = tasks.task_2c_batch(test, lag, distractors, 100, runs)
        outputs = method_1997.compile_1997_outputs(
            net, len(runs), 100, fresh.shape[-1], False
        )
        outputs = outputs(weights, tf.constant(fresh), every_run).numpy()
        lengths = tasks.sequence_lengths(fresh.reshape(-1, fresh.shape[-1]))
        last = np.take_along_axis(fresh, lengths.reshape(len(runs), 100, 1) - 1, 2)[
            ..., 0
        ]
        worst = np.abs(outputs[:, :, 0] - np.eye(2)[last - x_symbol]).max(-1)
        w_k = np.abs(weights["w_k"].numpy()).max((1, 2))
        print(
            f"{done:7,}  error/seq {np.round(error / args.every, 3)}"
            f"  within 0.2 {np.round((worst < 0.2).mean(1), 2)}  max |w_k| {np.round(w_k, 1)}",
            flush=True,
        )
        error[:] = 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
