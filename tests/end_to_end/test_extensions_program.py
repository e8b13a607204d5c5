"""extensions.py as a user runs it: refusals and exit statuses, a whole table from
real training, and the program in a subprocess (streams, Ctrl-C, pipes).

What each command asks the trainer for is in tests/unit/test_extensions_commands.py.
"""

import json
import os
import signal
import sys
import time

import pytest

import extensions as ex
from lstm_lab import epoch_trainer, stats, tasks


@pytest.fixture
def no_training(monkeypatch):
    """Fail the test if a command starts training: refusals come first."""

    def refuse(*args, **kwargs):
        raise AssertionError("trained before refusing")

    monkeypatch.setattr(epoch_trainer, "train_runs", refuse)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tuning", "--seeds", "0"], "must be at least 1, got 0"),
        (["tuning", "--epochs", "100,0"], "must be at least 1, got 0"),
        (["tuning", "--lr", "0.01,-1"], "must be a positive number, got -1"),
        (["tuning", "--units", "5,5"], "5 is repeated in '5,5'"),
        (["batch", "--lr", "nan"], "must be a finite number, got nan"),
        (["batch", "--lr", "0.01,0.1"], "'0.01,0.1' is not a number"),
        (["batch", "--first-seed", "4294967296"], "must be at most 2**32-1"),
        (["long", "--lag", "4,1"], "at least 2, got 1"),
        (
            ["alphabet", "--alphabet", "4", "--sequences", "4"],
            "too small for 4 sequences",
        ),
        (["random", "--train", "50", "--test", "10"], "only 54 distinct sequences"),
        (["batch", "--update", "step"], "unrecognized arguments"),
        (
            ["inspect", "--plot", "/no/such/folder/x.png"],
            "argument --plot: cannot write",
        ),
        (
            ["inspect", "--plot", "fig.xyz"],
            "argument --plot: cannot save fig.xyz: 'xyz' is not an image format",
        ),
        (
            ["inspect", "--plot", "fig"],
            "argument --plot: cannot save fig: no extension names an image format",
        ),
        (["batch", "--out", "/no/such/folder/x.csv"], "argument --out: cannot write"),
        (["nonsense"], "invalid choice"),
        (["random", "--numerics", "keras1"], "invalid choice: 'keras1'"),
        # Sizes out of reach, refused before any training.
        (["tuning", "--epochs", "100000000"], "the limit is 4 GiB"),
        (["tuning", "--seeds", "10000000"], "must be at most 10,000"),
        (["tuning", "--units", "100000"], "the limit is 4 GiB"),
        (["long", "--lag", "1000000"], "the limit is 4 GiB"),
        (["alphabet", "--alphabet", "1000000"], "the limit is 4 GiB"),
        (["long", "--lag", "1000", "--epochs", "100000"], "the limit is 1e+15"),
    ],
)
def test_bad_options_exit_2_naming_the_value(argv, message, no_training, capsys):
    if "--plot" in argv:
        pytest.importorskip("matplotlib")
    with pytest.raises(SystemExit) as exit_info:
        ex.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("usage: ")
    (error,) = [line for line in err.splitlines() if ": error: " in line]
    assert message in error
    assert err.endswith(error + "\n")  # one line, the last


def test_a_plot_format_matplotlib_cannot_write_names_those_it_can(no_training, capsys):
    pytest.importorskip("matplotlib")
    with pytest.raises(SystemExit) as exit_info:
        ex.main(["inspect", "--seeds", "1", "--epochs", "50", "--plot", "fig.xyz"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert "end the name with one of .avif, .eps," in error and ".png," in error


def test_inspect_plot_without_matplotlib(tmp_path, monkeypatch, no_training, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    argv = ["inspect", "--seeds", "1", "--plot", str(tmp_path / "x.png")]
    with pytest.raises(SystemExit) as exit_info:
        ex.main(argv)
    assert exit_info.value.code == 2  # before any training
    assert "--plot needs matplotlib, which is optional" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_help_states_the_limits(capsys):
    with pytest.raises(SystemExit):
        ex.main(["tuning", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "more than 4 GiB" in out and "exceeds 1e+15 multiply-adds" in out


@pytest.mark.slow
def test_tuning_rows_count_the_trained_runs(capsys):
    argv = ["tuning", "--seeds", "3", "--epochs", "3,6", "--units", "3"]
    assert ex.main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["configuration"] for r in rows] == [
        "epochs=3 units=3 lr=0.001",
        "epochs=6 units=3 lr=0.001",
    ]
    # The same seeds trained directly: the rows count exactly these runs.
    result = epoch_trainer.train_runs(
        range(3), tasks.article_sequences(), 5, units=3, epochs=6
    )
    for row, epochs in zip(rows, (3, 6), strict=True):
        assert (row["runs"], row["diverged"]) == (3, 0) and row["seconds"] > 0
        assert row["learned"] == int(result["correct"][:, epochs - 1].sum())
        assert row["success_rate"] == pytest.approx(row["learned"] / 3)
        low, high = stats.wilson_interval(row["learned"], 3)
        assert (row["success_low"], row["success_high"]) == (
            round(low, 3),
            round(high, 3),
        )
        assert row["ever_learned"] == int(
            result["correct"][:, :epochs].any(axis=1).sum()
        )


"""
## As a program: streams, Ctrl-C and pipes
"""


@pytest.mark.slow
def test_piped_output_is_the_table_alone(program):
    argv = ["tuning", "--seeds", "2", "--epochs", "2,3", "--units", "3"]
    done = program.run("extensions.py", *argv, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # stderr is not a terminal: no progress bar
    lines = done.stdout.splitlines()
    header = "configuration,runs,learned,success_rate,success_low,success_high,diverged"
    assert lines[0].startswith(header)
    assert len(lines) == 1 + 2  # the header and a row per epoch count
    assert not any(c in done.stdout for c in "\x1b\r\b")


@pytest.mark.slow
def test_ctrl_c_keeps_the_finished_rows(program, tmp_path):
    out_file = tmp_path / "rows.json"
    process = program.start(
        "extensions.py",
        "long", "--lag", "2,40", "--epochs", "20000", "--seeds", "2", "--units", "3",
        "--format", "json", "--out", out_file,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    while not out_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert out_file.exists(), "the first row never finished"
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - interrupted < 20  # answered within seconds
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted: 1 finished row(s) printed above"
    rows = json.loads(out)
    assert [r["configuration"] for r in rows] == ["p=2 (3 steps)"]
    assert json.loads(out_file.read_text()) == rows


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(program):
    process = program.start(
        "extensions.py", "tuning", "--seeds", "2", "--epochs", "2", "--units", "3"
    )
    process.stdout.close()  # the reader is gone before the table
    err = process.stderr.read()
    process.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert process.returncode == 0


@pytest.mark.slow
def test_unknown_backend_exits_2_even_with_help(program):
    env = {**os.environ, "KERAS_BACKEND": "nonsense"}
    done = program.run("extensions.py", "batch", "--help", env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert "KERAS_BACKEND=nonsense is not supported" in done.stderr
    assert "Traceback" not in done.stderr
