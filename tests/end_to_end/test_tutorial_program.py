"""The tutorial script, lstm_memory.py, as a reader runs it: `python
lstm_memory.py` in a subprocess (the `program` fixture of tests/conftest.py),
piped or with stderr on a terminal: exit statuses, what goes to stdout and to
stderr, the refused backends and Ctrl-C."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "lstm_memory.py"
LINE = re.compile(r"^X=\d\.0 y=\d\.0, yhat=\d\.0$")
LOSS = re.compile(r"^Epoch (\d+)/(\d+) - loss: \d\.\d{4}$")


def check_output_format(stdout):
    """The article's lines, then a verdict, and nothing else; the predictions."""
    body = stdout.splitlines()
    assert body[0] == "Sequence 1" and body[5] == "Sequence 2", stdout
    predictions = body[1:5] + body[6:10]
    assert all(LINE.match(line) for line in predictions), predictions
    assert body[10].startswith("Verdict: ") and len(body) == 11
    # The inputs and targets are the sequences' own values.
    assert [line.split(",")[0] for line in predictions] == [
        "X=3.0 y=0.0",
        "X=0.0 y=1.0",
        "X=1.0 y=2.0",
        "X=2.0 y=3.0",
        "X=4.0 y=0.0",
        "X=0.0 y=1.0",
        "X=1.0 y=2.0",
        "X=2.0 y=4.0",
    ]
    return predictions


def start_on_a_terminal(*args):
    """Start the script with stderr on a pseudo-terminal, as in a reader's shell.

    Returns the process and the file descriptor that reads its stderr.
    """
    pty = pytest.importorskip("pty")  # POSIX only
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / SCRIPT), *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
        cwd=ROOT,
    )
    os.close(follower)
    return process, leader


def read_terminal(fd, until=None):
    """What the program wrote to the terminal: up to the first `until`, or all of it."""
    data = b""
    while until is None or until.encode() not in data:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # Linux: EIO once the program has closed its end
            break
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").replace("\r\n", "\n")


# Backends other than TensorFlow: exit status 2 and one line, before Keras loads.


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "args"),
    [("jax", []), ("nonsense", ["--help"]), ("torch", ["--seed", "3"])],
)
def test_other_backends_exit_2_before_anything(backend, args, program):
    # Even when Keras could not load the backend at all (uninstalled or unknown).
    result = program.run(SCRIPT, *args, env={**os.environ, "KERAS_BACKEND": backend})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("usage: lstm_memory.py")
    assert lines[1].startswith(f"lstm_memory.py: error: KERAS_BACKEND={backend} is")
    assert "not supported" in lines[1] and "Traceback" not in result.stderr


# Whole runs.


@pytest.mark.slow
def test_two_epochs_piped_print_the_article_format_alone(program):
    # Piped, stdout holds the results alone, and stderr nothing: no progress,
    # and TensorFlow's start-up notices are silenced.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_"))}
    result = program.run(SCRIPT, "--epochs", "2", "--units", "3", env=env)
    assert result.returncode in (0, 1), result.stderr
    check_output_format(result.stdout)
    assert result.stderr == ""
    # Two epochs do not learn the memory: the verdict says so, and the status.
    assert result.returncode == 1
    assert "Verdict: all 8" not in result.stdout


@pytest.mark.slow
def test_on_a_terminal_the_loss_of_each_epoch_goes_to_stderr():
    process, terminal = start_on_a_terminal("--epochs", "3", "--units", "3")
    try:
        out = process.communicate(timeout=300)[0]
        err = read_terminal(terminal)
    finally:
        os.close(terminal)
    assert process.returncode in (0, 1), err
    check_output_format(out)
    lines = [line.strip() for line in err.splitlines() if line.strip()]
    assert [LOSS.match(line).groups() for line in lines] == [
        ("1", "3"),
        ("2", "3"),
        ("3", "3"),
    ], err


@pytest.mark.slow
def test_full_default_run_predicts_all_8_steps(program):
    result = program.run(SCRIPT)
    assert result.returncode == 0, result.stdout + result.stderr
    predictions = check_output_format(result.stdout)
    for line in predictions:
        _, y_value, yhat = re.findall(r"\d\.0", line)
        assert y_value == yhat, line
    assert "Verdict: all 8 predictions are correct" in result.stdout
    assert result.stderr == ""


@pytest.mark.slow
def test_seed_1_fails_the_memory_step_and_says_what_to_try(program):
    result = program.run(SCRIPT, "--seed", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    check_output_format(result.stdout)
    assert result.stdout.splitlines()[-1] == (
        "Verdict: 7 of 8 predictions are correct; wrong: sequence 2 step 4 "
        "(2 -> 4, got 3). With one update per time step only some seeds learn the "
        "memory step (39 of 100 seeds learn it, 95% interval 30-49%, measured by "
        "`python extensions.py tuning --numerics keras3 --seeds 100`); try another "
        "--seed, or `python extensions.py batch`."
    )


# Ctrl-C.


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback():
    process, terminal = start_on_a_terminal("--epochs", "100000")
    try:
        first = read_terminal(terminal, until="\n")  # training has started
        assert first.startswith("Epoch 1/100000"), first
        process.send_signal(signal.SIGINT)
        out = process.communicate(timeout=60)[0]
        err = read_terminal(terminal)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(terminal)
    assert process.returncode == 130
    assert out == ""
    assert "Traceback" not in err
    assert "interrupted: no predictions were made" in err
