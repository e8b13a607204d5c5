"""What the 1997 net does on Task 2a, one seed, as training goes.

Every `--every` sequences it prints the mean training error per sequence, the
largest error at the last step and at the middle steps of each of the two
sequences, the cell state at the last step and its range over the sequence,
and the weights from the cell to the x and y outputs. docs/paper/method-1997.md uses it to
show why the printed method fails at p = 100.

    python benchmarks/diagnose_1997.py --add-cell 1000 --sequences 8000
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

from lstm_lab import cli, method_1997, net_1997, regimes, tasks
from lstm_lab.references import numpy_1997


def cell_states(net, weights, sequence):
    """The cell state after each input of `sequence` (the 2a net: no recurrence)."""
    s, states = 0.0, []
    for symbol in sequence[:-1]:
        x = np.eye(net.n_in)[symbol]
        g, _ = numpy_1997.squash(net.g, weights["w_c"] @ x)
        s = s + numpy_1997.logistic(weights["w_in"] @ x) * g
        states.append(float(s[0]))
    return np.array(states)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lag", type=cli.positive_int, default=100, help="p (default: 100)"
    )
    parser.add_argument(
        "--seed", type=cli.seed_int, default=0, help="seed (default: 0)"
    )
    parser.add_argument(
        "--g",
        choices=tuple(regimes.G_RANGES),
        default="0-to-1",
        help="the range of the cell input's squashing (default: 0-to-1)",
    )
    parser.add_argument(
        "--update",
        choices=("step", "sequence"),
        default="sequence",
        help="when weights change (default: sequence)",
    )
    parser.add_argument(
        "--add-cell",
        type=cli.non_negative_int,
        default=1000,
        help="sequences before the cell is added (default: 1000)",
    )
    parser.add_argument(
        "--in-gate",
        type=float,
        default=0.0,
        help="added to the initial input gate weights (default: 0)",
    )
    parser.add_argument(
        "--sequences",
        type=cli.positive_int,
        default=8000,
        help="training sequences (default: 8000)",
    )
    parser.add_argument(
        "--every",
        type=cli.positive_int,
        default=400,
        help="sequences between two lines (default: 400)",
    )
    args = parser.parse_args(argv)
    if args.lag < 2:
        parser.error(f"--lag must be at least 2, got {args.lag}")
    lag, chunk = args.lag, 100
    g = regimes.G_RANGES[args.g]
    net = net_1997.task_net("2a", lag, g=g)
    reference = numpy_1997.paper_net("2a", lag, g=g)  # to replay in float64
    init = net_1997.initial_weights_1997(net, args.seed)
    init["w_in"][:, : net.n_in] += args.in_gate
    weights = {k: tf.constant(v[None], tf.float32) for k, v in init.items()}
    rngs = tasks.streams([args.seed], "train")
    trainer = method_1997.compile_1997_training(
        net, 1, chunk, lag + 1, args.update == "step", False, 0
    )
    fixed = tasks.lag_sequences(lag)
    done = 0
    print(
        "sequences  error/seq  last x,y   middle x,y  s(T) x,y      s range       w_xc    w_yc"
    )
    while done < args.sequences:
        sequences = tasks.draw_task(rngs[0], "2a", fixed, chunk)[None]
        weights, loss = trainer(
            weights,
            tf.constant(sequences),
            tf.constant([True]),
            tf.constant([done >= args.add_cell]),
            tf.constant(1.0),
            tf.constant(1.0),
        )
        done += chunk
        if done % args.every:
            continue
        w = {k: v.numpy()[0].astype(float) for k, v in weights.items()}
        on = done > args.add_cell  # the net as it has been trained so far
        last, middle, end, low, high = [], [], [], np.inf, -np.inf
        for sequence in fixed:
            _, outputs = numpy_1997.train_sequence(
                reference, w, sequence, [], 0.0, True, on
            )
            error = np.abs(outputs - np.eye(lag + 1)[sequence[1:]])
            states = cell_states(reference, w, sequence)
            last.append(error[-1].max())
            middle.append(error[:-1].max())
            end.append(states[-1])
            low, high = min(low, states.min()), max(high, states.max())
        cell = (
            f"{end[0]:6.2f} {end[1]:6.2f}  {low:6.1f}..{high:5.1f}"
            f"  {w['w_k'][lag - 1, 0]:6.2f}  {w['w_k'][lag, 0]:6.2f}"
            if on
            else "  (no cell yet)"
        )
        print(
            f"{done:9,}  {loss.numpy()[0] / chunk:9.3f}  {last[0]:.2f} {last[1]:.2f}"
            f"  {middle[0]:.2f} {middle[1]:.2f}   {cell}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
