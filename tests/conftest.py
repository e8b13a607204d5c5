"""What every test shares: the project on sys.path, the tiers, and two fixtures.

The tests come in three tiers, one folder each, and each folder's tests carry
the marker of the same name (so `pytest -m differential` runs one tier):

- tests/unit/: one function at a time, on known answers. Fast.
- tests/differential/: a fast path or a port against an independent reference,
  such as the tutorial's `train` against the article's loop of `fit` calls.
- tests/end_to_end/: the programs as a user runs them: subprocesses, exit
  statuses, streams, Ctrl-C, pipes, and `main(argv)` producing whole tables.

Independently of the tier, `slow` marks a test that trains for more than a few
seconds; `pytest -m "not slow"` is the fast loop.

Fixtures:

- `program`: runs or starts one of the project's programs (lstm_memory.py,
  extensions.py, paper.py) in a subprocess, as a user would, and stops the ones
  a test left running.
- `article_fit_loop`: the article's training loop, one `fit` call per sequence
  per epoch, as an independent reference for `lstm_memory.train`.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Before anything imports TensorFlow: the package sets TensorFlow's quiet
# logging defaults and picks the TensorFlow backend.
import lstm_lab  # noqa: F401
import lstm_memory

TIERS = ("unit", "differential", "end_to_end")


def pytest_collection_modifyitems(config, items):
    """Mark each test with its tier, the name of its folder under tests/."""
    tests = Path(__file__).resolve().parent
    for item in items:
        try:
            folder = item.path.resolve().relative_to(tests).parts[0]
        except ValueError:  # not under tests/
            continue
        if folder in TIERS:
            item.add_marker(getattr(pytest.mark, folder))


"""
## Running the programs
"""


class Programs:
    """Run the project's programs with this Python, from the repository root.

    `run(script, *args)` waits and returns the `subprocess.CompletedProcess`,
    with stdout and stderr as text. `start(script, *args)` returns the running
    `subprocess.Popen`, with text pipes on stdout and stderr, for tests that
    talk to it while it runs (Ctrl-C, a closed pipe). `script` is a file name at
    the repository root, such as "lstm_memory.py"; `env=None` inherits this
    process's environment.
    """

    def __init__(self):
        self.started = []

    def command(self, script, *args):
        path = ROOT / script
        # A misspelt name should not look like a program that failed.
        if not path.is_file():
            raise FileNotFoundError(f"no program {script!r} at {ROOT}")
        return [sys.executable, str(path), *(str(arg) for arg in args)]

    def run(self, script, *args, env=None, timeout=300):
        return subprocess.run(
            self.command(script, *args),
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=timeout,
        )

    def start(self, script, *args, env=None):
        process = subprocess.Popen(
            self.command(script, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.started.append(process)
        return process

    def stop_all(self):
        """Kill the started programs that are still running, and close their pipes."""
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


@pytest.fixture
def program():
    """Run (`program.run`) or start (`program.start`) one of the project's programs.

    A test that fails while a program it started is still running leaves no
    process behind: each started process is killed at the end of the test.
    """
    programs = Programs()
    yield programs
    programs.stop_all()


"""
## The article's training loop
"""


def article_fit_loop(model, datasets, epochs):
    """The article's training loop, ported only as far as Keras 3 requires.

    Each epoch fits each (X, y) in turn with `fit(X, y, epochs=1, batch_size=1,
    shuffle=False)`, then resets the LSTM's state. Returns the loss that each
    `fit` call's history reports, the mean over that sequence's steps, as a
    list per epoch of one loss per dataset.
    """
    losses = []
    for _ in range(epochs):
        epoch_losses = []
        for X, y in datasets:
            history = model.fit(X, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
            model.get_layer("lstm").reset_state()
            epoch_losses.append(history.history["loss"][0])
        losses.append(epoch_losses)
    return losses


@pytest.fixture(name="article_fit_loop")
def article_fit_loop_fixture():
    """`article_fit_loop(model, datasets, epochs)`, the article's loop of `fit` calls."""
    return article_fit_loop


@pytest.fixture
def article_datasets():
    """The article's two sequences as (X, y) arrays, as `lstm_memory.main` builds them."""
    return [
        lstm_memory.to_lstm_dataset(seq, 5)
        for seq in (lstm_memory.SEQ1, lstm_memory.SEQ2)
    ]
