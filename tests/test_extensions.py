"""Tests for extensions.py: each subcommand's table, its refusals, and how it behaves as a program."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import extensions as ex
from lstm_lab import epoch_trainer, tasks

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "extensions.py"


def run_json(argv, capsys):
    assert ex.main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def check_counts(row, runs):
    assert row["runs"] == runs
    assert 0 <= row["learned"] <= runs
    assert row["success_rate"] == pytest.approx(row["learned"] / runs)
    assert row["diverged"] == 0
    assert row["seconds"] > 0


@pytest.mark.slow
def test_tuning_rows_are_the_stacked_runs(capsys):
    rows = run_json(
        ["tuning", "--seeds", "3", "--epochs", "3,6", "--units", "3"], capsys
    )
    assert [r["configuration"] for r in rows] == [
        "epochs=3 units=3 lr=0.001",
        "epochs=6 units=3 lr=0.001",
    ]
    # The same seeds trained directly: the rows count exactly these runs.
    result = epoch_trainer.train_runs(
        range(3), tasks.article_sequences(), 5, units=3, epochs=6
    )
    for row, epochs in zip(rows, (3, 6), strict=True):
        check_counts(row, 3)
        assert row["learned"] == int(result["correct"][:, epochs - 1].sum())
        assert row["ever_learned"] == int(
            result["correct"][:, :epochs].any(axis=1).sum()
        )


@pytest.mark.slow
def test_long_reports_both_criteria(capsys):
    rows = run_json(
        ["long", "--seeds", "2", "--epochs", "2", "--lag", "2,6", "--units", "3"],
        capsys,
    )
    assert [r["configuration"] for r in rows] == ["p=2 (3 steps)", "p=6 (7 steps)"]
    for row, p in zip(rows, (2, 6), strict=True):
        check_counts(row, 2)
        result = epoch_trainer.train_runs(
            range(2), tasks.lag_sequences(p), p + 1, units=3, epochs=2
        )
        assert row["within_threshold"] == int(
            tasks.within(result["max_error"][:, -1]).sum()
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (
            [
                "alphabet",
                "--seeds",
                "2",
                "--epochs",
                "2",
                "--alphabet",
                "6",
                "--sequences",
                "2,3",
            ],
            ["6 symbols, 2 sequences", "6 symbols, 3 sequences"],
        ),
        (
            ["random", "--seeds", "2", "--epochs", "2", "--train", "6", "--test", "4"],
            ["6 train / 4 unseen test sequences, middle of 3 from 3 symbols"],
        ),
        (["batch", "--seeds", "2", "--epochs", "2"], list(ex.BATCH_ROWS.values())),
        (
            ["shuffle", "--seeds", "2", "--epochs", "2"],
            ["sequences in order (article)", "sequences shuffled each epoch"],
        ),
    ],
)
def test_subcommand_tables(argv, names, capsys):
    rows = run_json([*argv, "--units", "3"], capsys)
    assert [r["configuration"] for r in rows] == names
    for row in rows:
        check_counts(row, 2)
    if argv[0] == "random":
        assert 0 <= rows[0]["memory_accuracy_test"] <= 1


@pytest.mark.slow
def test_inspect_rows_measure_the_state_difference(capsys):
    rows = run_json(
        ["inspect", "--seeds", "2", "--epochs", "2", "--units", "3"], capsys
    )
    assert [r["seed"] for r in rows] == [0, 1]
    result = epoch_trainer.train_runs(
        range(2), tasks.article_sequences(), 5, units=3, epochs=2
    )
    h1, _ = epoch_trainer.state_trajectory(
        result["weights"][1], tasks.article_sequences()[0], 5
    )
    h2, _ = epoch_trainer.state_trajectory(
        result["weights"][1], tasks.article_sequences()[1], 5
    )
    assert rows[1]["h_distance_after_2"] == pytest.approx(
        np.linalg.norm(h1[3] - h2[3]), abs=1e-4
    )
    assert rows[1]["learned"] == bool(result["correct"][1, -1])


@pytest.mark.slow
def test_inspect_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path = tmp_path / "memory.png"
    assert (
        ex.main(
            [
                "inspect",
                "--seeds",
                "1",
                "--epochs",
                "3",
                "--units",
                "3",
                "--plot",
                str(path),
            ]
        )
        == 0
    )
    assert f"saved the figure of seed 0 to {path}" in capsys.readouterr().err
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_inspect_plot_without_matplotlib(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    argv = ["inspect", "--seeds", "1", "--plot", str(tmp_path / "x.png")]
    with pytest.raises(SystemExit) as exit_info:
        ex.main(argv)
    assert exit_info.value.code == 2  # before any training
    assert "--plot needs matplotlib, which is optional" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


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
        (["batch", "--out", "/no/such/folder/x.csv"], "argument --out: cannot write"),
        (["nonsense"], "invalid choice"),
        # Sizes out of reach, refused before any training.
        (["tuning", "--epochs", "100000000"], "the limit is 4 GiB"),
        (["tuning", "--seeds", "10000000"], "must be at most 10,000"),
        (["tuning", "--units", "100000"], "the limit is 4 GiB"),
        (["long", "--lag", "1000000"], "the limit is 4 GiB"),
        (["alphabet", "--alphabet", "1000000"], "the limit is 4 GiB"),
        (["long", "--lag", "1000", "--epochs", "100000"], "the limit is 1e+15"),
    ],
)
def test_bad_options_exit_2_naming_the_value(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ex.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.splitlines()[0].startswith("usage: ")


def test_help_states_the_limits(capsys):
    with pytest.raises(SystemExit):
        ex.main(["tuning", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "more than 4 GiB" in out and "exceeds 1e+15 multiply-adds" in out


# As a program: streams, Ctrl-C and pipes.


def start(*args, **kwargs):
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **kwargs,
    )


@pytest.mark.slow
def test_piped_output_is_the_table_alone():
    process = start(
        "tuning", "--seeds", "2", "--epochs", "2,3", "--units", "3", "--format", "csv"
    )
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert err == ""  # stderr is not a terminal: no progress bar
    lines = out.splitlines()
    assert lines[0].startswith("configuration,runs,learned,success_rate,diverged")
    assert len(lines) == 1 + 2  # the header and a row per epoch count
    assert "\x1b" not in out and "\r" not in out and "\b" not in out


@pytest.mark.slow
def test_ctrl_c_keeps_the_finished_rows(tmp_path):
    out_file = tmp_path / "rows.json"
    process = start(
        "long", "--lag", "2,40", "--epochs", "20000", "--seeds", "2", "--units", "3",
        "--format", "json", "--out", str(out_file),
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
def test_a_closed_pipe_ends_quietly():
    process = start("tuning", "--seeds", "2", "--epochs", "2", "--units", "3")
    process.stdout.close()  # the reader is gone before the table
    err = process.stderr.read()
    process.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert process.returncode == 0


@pytest.mark.slow
def test_unknown_backend_exits_2_even_with_help():
    env = {**os.environ, "KERAS_BACKEND": "nonsense"}
    process = start("batch", "--help", env=env)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 2 and out == ""
    assert "KERAS_BACKEND=nonsense is not supported" in err
    assert "Traceback" not in err
