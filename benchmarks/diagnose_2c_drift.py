"""Why a Task 2c run fails at a long lag: the forget gate's reach, drift, or precision.

Trains the modern 2c regime on the given seeds for a short budget, then runs
the same distractor sequences twice through each run's final weights, once with
x and once with y as the bit, in NumPy (float32 and float64), and prints per
LSTM unit: the cell difference c_x - c_y right after the bit and at the
trigger, the product of the forget gates over the sequence, |c| at the
trigger, the input gates' rows for x and y, and the gate biases.
docs/paper/long-lags.md quotes it:

    python benchmarks/diagnose_2c_drift.py --lag 10000 --seeds 7,0 --input-bias -8
"""

import argparse
import dataclasses
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from lstm_lab import cli, modern_2c, regimes, tasks


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def forward(w, sequences, dtype):
    """Outputs, c after the bit, c at the trigger and the summed log forget gates."""
    k, r, b = (np.asarray(a, dtype) for a in (w.kernel, w.recurrent, w.bias))
    n, u = len(sequences), r.shape[0]
    h, c = np.zeros((n, u), dtype), np.zeros((n, u), dtype)
    log_f = np.zeros((n, u))
    n_in = (sequences != tasks.PAD).sum(1) - 1
    after_bit = None
    for t in range(n_in.max()):
        z = k[np.maximum(sequences[:, t], 0)] + h @ r + b
        i, f = sigmoid(z[:, :u]), sigmoid(z[:, u : 2 * u])
        g, o = np.tanh(z[:, 2 * u : 3 * u]), sigmoid(z[:, 3 * u :])
        live = (t < n_in)[:, None]
        c = np.where(live, f * c + i * g, c)
        h = np.where(live, o * np.tanh(c), h)
        log_f += np.where(live, np.log(f.astype(np.float64)), 0)
        if t == 1:
            after_bit = c.copy()
    logits = h @ np.asarray(w.dense_kernel, dtype) + np.asarray(w.dense_bias, dtype)
    return sigmoid(logits), after_bit, c, log_f


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lag",
        type=cli.positive_int,
        default=10_000,
        help="the lag, and the number of distractors (default: 10000)",
    )
    parser.add_argument(
        "--seeds",
        type=lambda text: [cli.seed_int(part) for part in text.split(",")],
        default=[7, 0],
        help="seeds, comma-separated (default: 7,0)",
    )
    parser.add_argument(
        "--budget",
        type=cli.positive_int,
        default=800,
        help="training sequences (default: 800)",
    )
    parser.add_argument(
        "--input-bias",
        type=cli.finite_float,
        default=None,
        help="the input gates' bias (default: the lag's, regimes.Settings2c.for_lag)",
    )
    args = parser.parse_args(argv)
    lag = distractors = args.lag
    chosen = regimes.Settings2c.for_lag(lag, input_bias=args.input_bias)
    chosen = dataclasses.replace(chosen, max_sequences=args.budget)
    outcome = modern_2c.train_2c(args.seeds, lag, distractors, chosen)
    base = tasks.task_2c_sequences(np.random.default_rng(5), lag, 8, distractors)
    x_symbol = tasks.layout_2c(distractors).x
    n_in = (base != tasks.PAD).sum(1) - 1
    with_x, with_y = base.copy(), base.copy()
    for s, bit in ((with_x, x_symbol), (with_y, x_symbol + 1)):
        s[:, 1] = bit
        s[np.arange(len(s)), n_in] = bit
    u = chosen.units
    for i, seed in enumerate(args.seeds):
        w = outcome.details["weights"][i]
        ox, bx, cx, log_f = forward(w, with_x, np.float32)
        oy, by, cy, _ = forward(w, with_y, np.float32)
        ox64, *_ = forward(w, with_x, np.float64)
        worst = max(np.abs(ox - [1, 0]).max(), np.abs(oy - [0, 1]).max())
        print(
            f"seed {seed}: learned after {outcome.counts[i]} (None: not within {args.budget}), input bias {chosen.input_bias:.2f}"
        )
        print(
            f"  worst error {worst:.3f}; float32 against float64 outputs: {np.abs(ox - ox64).max():.1e}"
        )
        print(
            "  per unit, c_x - c_y after the bit:",
            np.round(np.asarray((bx - by).mean(0), dtype=float), 3).tolist(),
        )
        print(
            "                       at the trigger:",
            np.round(np.asarray((cx - cy).mean(0), dtype=float), 3).tolist(),
        )
        print(
            "  forget gates' product over the sequence:",
            np.round(np.asarray(np.exp(log_f.mean(0)), dtype=float), 3).tolist(),
        )
        print(
            "  |c| at the trigger:",
            np.round(np.asarray(np.abs(cx).mean(0), dtype=float), 2).tolist(),
        )
        kernel = np.asarray(w.kernel)
        print(
            "  input gate rows of x and y:",
            np.round(
                np.asarray(kernel[[x_symbol, x_symbol + 1], :u], dtype=float), 2
            ).tolist(),
        )
        print(
            "  input gate bias:",
            np.round(np.asarray(np.asarray(w.bias)[:u], dtype=float), 2).tolist(),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
