"""Task 2b and the 1997 net: what passing the end-only test costs at the middle steps.

The paper's net learns from the squared error at every step (eq. 16), but Task
2b is judged at its last step only. This script puts numbers on the argument in
docs/paper/readings-1997.md:

1. the bound: an output that falls with the cell state and is above 0.75 at the
   end of every sequence of its class is above 0.75 at that class's middle steps
   too, where its target is 0 (steps 1 .. p-2; step 0 reads x or y itself);
2. the best net that gives up the end: x and y held at one small constant;
3. a net that passes, with weights set by hand, run through the NumPy reference
   of the 1997 net (`lstm_lab/references/numpy_1997.py`): what it pays.

    python benchmarks/task2b_bound.py --lag 100
"""

import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from lstm_lab import cli, tasks
from lstm_lab.references import numpy_1997


def hand_built_net(lag):
    """1997 2b weights that pass: the gate open, x adds 1 to the state, the x
    output rises with the state and the y output falls with it."""
    net = numpy_1997.paper_net("2b", lag)  # g on [0, 1], h the identity, one cell
    x = lag - 1
    w = {k: np.zeros(s) for k, s in net.weight_shapes().items()}
    w["w_in"][:] = 10.0  # the input gate open (0.99995) for every symbol
    w["w_c"][0, :] = -10.0  # a middle symbol adds 4.5e-5 to the state
    w["w_c"][0, x] = 10.0  # x adds 1: the x sequence's state is about 1
    w_k = w["w_k"]  # columns: the cell, then the p + 1 inputs
    w_k[x, 0], w_k[x, 1:] = 20.0, -10.0
    w_k[x + 1, 0], w_k[x + 1, 1:] = -20.0, 10.0
    w_k[
        :x, 1:
    ] = -10.0  # the middle symbols' outputs off: they cost the same either way
    return net, w


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lag",
        type=lambda text: cli.positive_int(text, 10_000),
        default=100,
        help="p, at least 3 (default: 100)",
    )
    parser.add_argument(
        "--sequences",
        type=lambda text: cli.positive_int(text, 100_000),
        default=2_000,
        help="fresh sequences the hand-built net is run on (default: 2000)",
    )
    args = parser.parse_args(argv)
    lag = args.lag
    if lag < 3:
        parser.error(f"argument --lag: must be at least 3, got {lag}")
    x, y, middle = lag - 1, lag, lag - 1  # x and y's outputs; steps before the end
    bound = (lag - 2) * 0.75**2
    print(
        f"bound: {lag - 2} x 0.75^2 = {bound:.2f} per sequence of that class, "
        f"{bound / 2:.2f} averaged over both classes"
    )
    # Giving up: x and y at q everywhere costs 2 q^2 at each middle step and
    # (1 - q)^2 + q^2 at the end; the best q is 1 / (2 * middle + 2).
    q = 1 / (2 * middle + 2)
    cost = middle * 2 * q**2 + (1 - q) ** 2 + q**2
    print(f"give up: best q = {q:.4f}, error {cost:.4f} per sequence")
    net, w = hand_built_net(lag)
    seqs = tasks.task_sequences(np.random.default_rng(0), "2b", lag, args.sequences)
    mid, ok = {x: [], y: []}, []
    for s in seqs:
        _, out = numpy_1997.train_sequence(net, w, s, [], 0.0, True)
        mid[s[0]].append(np.sum(out[:-1, [x, y]] ** 2))
        target = np.eye(lag + 1)[s[-1]][[x, y]]
        ok.append(np.abs(out[-1, [x, y]] - target).max() < tasks.PAPER_THRESHOLD)
    print(
        f"hand-built net: passes the end test on {np.mean(ok):.0%} of "
        f"{len(seqs):,} sequences; x, y squared error at the {middle} middle "
        f"steps: x sequences {np.mean(mid[x]):.1f}, y sequences {np.mean(mid[y]):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
