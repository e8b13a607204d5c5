"""Time per run of the tutorial's training (250 epochs, 2,000 one-step updates), four ways.

In one process, side by side:
1. the article's loop: `fit(..., epochs=1, batch_size=1)` per sequence (a few
   epochs, extrapolated to 250, because the full loop takes half a minute a run);
2. the tutorial's own loop, `lstm_memory.train`: `train_on_batch` per time step;
3. the fast path, `epoch_trainer.train_runs`: all seeds side by side in one compiled
   function (initial weights and compilation included);
4. the NumPy reference, lstm_lab/references/numpy_lstm.py, the floor to measure against.
Then a sweep of 100 seeds as a user runs it,
`python extensions.py tuning --epochs 250 --units 20 --seeds 100`, start-up
included.

The machine is shared and noisy: every figure is a median of --repeats rounds.

    python benchmarks/bench_training.py
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The package first: it sets TensorFlow's quiet logging defaults, which must
# come before TensorFlow is imported.
import lstm_lab  # noqa: F401

# isort: split

import keras

import lstm_memory
from lstm_lab import epoch_trainer, tasks
from lstm_lab.references import numpy_lstm


def positive_int(text):
    """argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def median_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def article_fit_loop(model, datasets, epochs):
    for _ in range(epochs):
        for X, y in datasets:
            model.fit(X, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
            model.get_layer("lstm").reset_state()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=3,
        help="rounds (default: 3)",
    )
    parser.add_argument(
        "--seeds",
        type=positive_int,
        default=100,
        help="fast-path runs (default: 100)",
    )
    parser.add_argument(
        "--fit-epochs",
        type=positive_int,
        default=5,
        help="epochs of the fit loop to time and extrapolate (default: 5)",
    )
    args = parser.parse_args(argv)
    epochs = lstm_memory.DEFAULT_EPOCHS
    sequences = tasks.article_sequences()
    datasets = [
        lstm_memory.to_lstm_dataset(s, 5) for s in (lstm_memory.SEQ1, lstm_memory.SEQ2)
    ]

    def fresh_model():
        keras.utils.set_random_seed(0)
        model = lstm_memory.build_model(5)
        lstm_memory.train(model, datasets, 1)  # warm up the compiled train step
        return model

    model = fresh_model()
    article_fit_loop(model, datasets, 1)  # warm up fit
    fit = median_time(
        lambda: article_fit_loop(model, datasets, args.fit_epochs), args.repeats
    )
    fit *= epochs / args.fit_epochs
    per_step = median_time(
        lambda: lstm_memory.train(fresh_model(), datasets, epochs), args.repeats
    )
    fast = median_time(
        lambda: epoch_trainer.train_runs(
            range(args.seeds), sequences, 5, epochs=epochs
        ),
        args.repeats,
    )
    fast /= args.seeds
    weights = epoch_trainer.article_initial_weights(0, 5, 20)
    floor = median_time(
        lambda: numpy_lstm.train_numpy(weights, sequences, 5, epochs), args.repeats
    )
    command = [sys.executable, str(ROOT / "extensions.py"), "tuning", "--epochs", "250"]
    command += ["--units", "20", "--seeds", "100"]
    sweep = median_time(
        lambda: subprocess.run(command, check=True, capture_output=True, cwd=ROOT),
        args.repeats,
    )

    rows = [
        ("article's fit loop (extrapolated)", fit),
        ("lstm_memory.train (train_on_batch per step)", per_step),
        (f"fast path, {args.seeds} runs side by side", fast),
        ("NumPy reference (float64)", floor),
    ]
    print(
        f"Training one run of the tutorial ({epochs} epochs), medians of {args.repeats}:"
    )
    print("| path | s per run | x fast path | x NumPy |")
    print("| --- | --- | --- | --- |")
    for name, seconds in rows:
        print(
            f"| {name} | {seconds:.3f} | {seconds / fast:.1f} | {seconds / floor:.2f} |"
        )
    print()
    shown = ["python", "extensions.py", *command[2:]]
    print(f"`{' '.join(shown)}`, start-up included:")
    print(f"{sweep:.1f} s")
    print(
        f"the same 100 runs with the article's loop would take {100 * fit / 60:.0f} min,"
    )
    print(f"and with train_on_batch {100 * per_step / 60:.1f} min.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
