"""The tutorial script, lstm_memory.py, as a reader runs it: `main(argv)` and
`python lstm_memory.py` in a subprocess (the `program` fixture of
tests/conftest.py): exit statuses, what goes to stdout and to stderr, the
--format tables, Ctrl-C and a closed pipe."""

import csv
import io
import json
import os
import re
import signal

import pytest

import lstm_memory

SCRIPT = "lstm_memory.py"
LINE = re.compile(r"^X=\d\.0 y=\d\.0, yhat=\d\.0$")


def check_output_format(stdout, stderr, epochs):
    """The article's lines on stdout; the loss of each epoch, if shown, on stderr."""
    epoch_lines = stderr.splitlines()
    assert len(epoch_lines) == epochs, stderr
    if epochs:
        assert all(line.startswith("Epoch ") for line in epoch_lines)
        assert re.fullmatch(
            rf"Epoch {epochs}/{epochs} - loss: \d\.\d{{4}}", epoch_lines[-1]
        )
    body = stdout.splitlines()
    assert body[0] == "Sequence 1" and body[5] == "Sequence 2"
    predictions = body[1:5] + body[6:10]
    assert all(LINE.match(line) for line in predictions), predictions
    assert body[10].startswith("Verdict: ") and len(body) == 11
    return predictions


# Bad options: exit status 2 and one line naming the value, before training.


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--epochs", "0"], "must be at least 1, got 0"),
        (["--epochs", "-5"], "must be at least 1, got -5"),
        (["--units", "0"], "must be at least 1, got 0"),
        (["--seed", "-1"], "must be at least 0, got -1"),
        (["--seed", "4294967296"], "must be at most 2**32-1, got 4294967296"),
        (["--epochs", "ten"], "'ten' is not an integer"),
        (["--epochs", "100000000"], "must be at most 100,000, got 100,000,000"),
        (["--units", "100000"], "must be at most 4,096, got 100,000"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--numerics", "keras1"], "invalid choice: 'keras1'"),
        (["--quiet", "--progress"], "not allowed with argument"),
    ],
)
def test_cli_rejects_bad_values(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        lstm_memory.main(args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "args"),
    [("jax", []), ("nonsense", ["--help"])],
)
def test_other_backends_exit_2_before_anything(backend, args, program):
    # Even when Keras cannot load the backend at all (uninstalled or unknown).
    result = program.run(SCRIPT, *args, env={**os.environ, "KERAS_BACKEND": backend})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("usage: lstm_memory.py")
    assert f"KERAS_BACKEND={backend} is not supported" in lines[-1]
    assert "Traceback" not in result.stderr


# Whole runs.


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_parse(fmt, capsys):
    status = lstm_memory.main(["--epochs", "1", "--units", "2", "--format", fmt])
    captured = capsys.readouterr()
    out = captured.out
    if fmt == "json":
        rows = json.loads(out)
    else:
        rows = list(csv.DictReader(io.StringIO(out)))
        for row in rows:
            row.update({k: int(row[k]) for k in ("sequence", "step", "x", "y", "yhat")})
            row["correct"] = row["correct"] == "true"
    assert [(r["sequence"], r["step"], r["x"], r["y"]) for r in rows] == [
        (k + 1, i + 1, seq[i], seq[i + 1])
        for k, seq in enumerate((lstm_memory.SEQ1, lstm_memory.SEQ2))
        for i in range(4)
    ]
    assert all(0 <= r["yhat"] < 5 for r in rows)
    assert all(r["correct"] == (r["yhat"] == r["y"]) for r in rows)
    # The exit status agrees with the rows: 1 when any step is wrong.
    assert status == (0 if all(r["correct"] for r in rows) else 1)
    assert captured.err == ""  # stderr is not a terminal here: no progress


@pytest.mark.slow
def test_smoke_two_epochs_prints_the_article_format(program):
    # --progress shows the loss lines although stderr is a pipe here; nothing
    # else reaches stderr: TensorFlow's start-up notices are silenced.
    result = program.run(SCRIPT, "--epochs", "2", "--seed", "0", "--progress")
    assert result.returncode in (0, 1), result.stderr
    predictions = check_output_format(result.stdout, result.stderr, 2)
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


@pytest.mark.slow
def test_full_default_run_predicts_all_8_steps(program):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_"))}
    result = program.run(SCRIPT, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # Not a terminal: no progress on stderr, and stdout holds results only.
    predictions = check_output_format(result.stdout, result.stderr, 0)
    for line in predictions:
        _, y_value, yhat = re.findall(r"\d\.0", line)
        assert y_value == yhat, line
    assert "Verdict: all 8 predictions are correct" in result.stdout


# Ctrl-C and pipes.


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback(program):
    process = program.start(SCRIPT, "--epochs", "100000", "--progress")
    first = process.stderr.readline()  # training has started
    assert first.startswith("Epoch 1/100000"), first
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted: no predictions were made"
    assert out == ""


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(program):
    process = program.start(SCRIPT, "--epochs", "1", "--units", "2")
    process.stdout.close()  # the reader is gone before the first line
    err = process.stderr.read()
    process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert process.returncode in (0, 1)
