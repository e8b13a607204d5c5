"""`extensions.py nets` on fake trainers, and the baseline nets' pure functions.

Nothing here trains. The fakes record every call and return known counts, so
a command that trained the wrong net, update or seeds, or compared a row with
the wrong LSTM row, fails here. The nets' training is tested against plain
Keras in tests/differential/test_nets.py.
"""

import json

import numpy as np
import pytest

import extensions as ex
from lstm_lab import article, baseline_nets, epoch_trainer, stats, tasks

LEARNED = {"lstm": 3, "mlp": 0, "window": 4, "simple": 2, "gru": 1}


def fake_result(net, runs, epochs):
    """Curves in which the first LEARNED[net] runs are right after every epoch."""
    learned = min(LEARNED[net], runs)
    correct = np.zeros((runs, epochs), dtype=bool)
    correct[:learned] = True
    steps = np.where(correct, 8, 7 if net != "mlp" else 6)
    return {
        "weights": [f"{net} weights of run {i}" for i in range(runs)],
        "correct": correct,
        "steps_right": steps,
        "loss": np.ones((runs, epochs)),
        "diverged": np.zeros(runs, dtype=bool),
    }


@pytest.fixture
def calls(monkeypatch):
    """Fake both trainers and the LSTM's evaluation; return the trainers' calls."""
    made = []

    def train(net, seeds, sequences, n_symbols, **options):
        seeds = list(seeds)
        made.append((net, options["update"], seeds, options))
        np.testing.assert_array_equal(sequences, tasks.article_sequences())
        assert n_symbols == article.N_UNIQUE
        options["progress"](options["epochs"])
        return fake_result(net, len(seeds), options["epochs"])

    def evaluate(weights, sequences, n_symbols, numerics="keras3"):
        # The LSTM's runs: run 0 gets every step right, the others all but one.
        outputs = np.eye(n_symbols)[sequences[:, 1:]]
        if not weights.endswith("run 0"):
            outputs[1, -1] = np.eye(n_symbols)[3]
        return outputs.argmax(-1), outputs

    monkeypatch.setattr(
        epoch_trainer, "train_runs", lambda *a, **o: train("lstm", *a, **o)
    )
    monkeypatch.setattr(baseline_nets, "train_runs", train)
    monkeypatch.setattr(epoch_trainer, "evaluate", evaluate)
    return made


def rows_of(argv, capsys):
    assert ex.main(["nets", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_net_under_each_update_after_the_lstm(calls, capsys):
    rows = rows_of(["--seeds", "5", "--epochs", "4", "--first-seed", "7"], capsys)
    expected = [
        (net, update)
        for update in ("step", "sequence")
        for net in ("lstm", "mlp", "window", "simple", "gru")
    ]
    assert [(net, update) for net, update, *_ in calls] == expected
    assert [r["configuration"] for r in rows] == [f"{n}, {u}" for n, u in expected]
    for _, _, seeds, options in calls:
        assert seeds == [7, 8, 9, 10, 11]
        assert (options["units"], options["epochs"], options["learning_rate"]) == (
            article.DEFAULT_UNITS,
            4,
            article.LEARNING_RATE,
        )
        assert "numerics" not in options  # the LSTM's are the epoch trainer's default
    assert [r["learned"] for r in rows] == [LEARNED[n] for n, _ in expected]


def test_each_row_is_compared_with_the_lstm_of_its_update(calls, capsys):
    rows = rows_of(["--seeds", "5", "--epochs", "2"], capsys)
    for r in rows:
        if r["configuration"].startswith("lstm"):
            assert (r["vs_lstm_p"], r["vs_lstm"]) == (None, "the reference")
            continue
        p = stats.fisher_exact(r["learned"], 5, LEARNED["lstm"], 5)
        assert r["vs_lstm_p"] == p
        assert r["vs_lstm"] == stats.compare(r["learned"], 5, LEARNED["lstm"], 5)
    mlp = next(r for r in rows if r["configuration"] == "mlp, step")
    assert mlp["vs_lstm"] == "no difference we can detect (p = 0.17)"  # 0/5 vs 3/5


def test_the_lstm_is_trained_even_when_not_asked_for(calls, capsys):
    rows = rows_of(["--seeds", "2", "--epochs", "2", "--net", "gru,mlp"], capsys)
    assert [r["configuration"] for r in rows] == [
        "lstm, step",
        "gru, step",
        "mlp, step",
        "lstm, sequence",
        "gru, sequence",
        "mlp, sequence",
    ]
    again = rows_of(
        ["--seeds", "2", "--net", "mlp,lstm", "--update", "sequence"], capsys
    )
    assert [r["configuration"] for r in again] == ["lstm, sequence", "mlp, sequence"]


def test_most_steps_right_is_the_best_runs(calls, capsys):
    rows = rows_of(["--seeds", "4", "--epochs", "2", "--update", "step"], capsys)
    best = {r["configuration"]: r["most_steps_right"] for r in rows}
    # The fakes: mlp 6 at best; window, simple, gru learn some runs (8); the
    # LSTM's run 0 gets all 8 from its evaluated outputs.
    assert best == {
        "lstm, step": 8,
        "mlp, step": 6,
        "window, step": 8,
        "simple, step": 8,
        "gru, step": 8,
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--net", "rnn"], "unknown value 'rnn': choose from mlp, window"),
        (["--net", "mlp,mlp"], "'mlp' is repeated"),
        (["--update", "epoch"], "unknown value 'epoch': choose from step, sequence"),
        # Only the LSTM's gates have the article's numerics: not an option here.
        (["--numerics", "keras2"], "unrecognized arguments: --numerics keras2"),
        (["--seeds", "0"], "must be at least 1, got 0"),
        (["--units", "100000"], "the limit is 4 GiB"),
    ],
)
def test_bad_options_exit_2_before_training(argv, message, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise AssertionError("trained before refusing")

    monkeypatch.setattr(epoch_trainer, "train_runs", refuse)
    monkeypatch.setattr(baseline_nets, "train_runs", refuse)
    with pytest.raises(SystemExit) as exit_info:
        ex.main(["nets", *argv])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


"""
## The nets' pure functions
"""


@pytest.mark.parametrize(("window", "most"), [(1, 7), (2, 7), (3, 7), (4, 8)])
def test_only_a_window_back_to_the_first_value_can_get_all_8(window, most):
    # Input 2 is followed by 3 in one sequence and 4 in the other; the inputs
    # before it are the same in both until the window reaches the first value.
    sequences = tasks.article_sequences()
    assert baseline_nets.most_right_without_memory(sequences, window) == most


def test_window_features_are_the_last_4_inputs_oldest_first():
    x = baseline_nets.features("window", [[3, 0, 1, 2, 3]], 5)[0]
    assert x.shape == (4, 20)
    # At the last step the window holds 3 0 1 2, oldest first.
    assert [int(np.argmax(x[3, 5 * k : 5 * k + 5])) for k in range(4)] == [3, 0, 1, 2]
    # At the first step only the newest slot holds an input.
    assert x[0, :15].sum() == 0 and x[0, 15:].tolist() == [0, 0, 0, 1, 0]
    mlp = baseline_nets.features("mlp", [[3, 0, 1, 2, 3]], 5)[0]
    np.testing.assert_array_equal(mlp, x[:, 15:])


def test_steps_right_counts_argmax_hits_and_not_nan():
    sequences = tasks.article_sequences()
    outputs = np.eye(5)[sequences[:, 1:]]
    assert baseline_nets.steps_right(outputs, sequences) == 8
    outputs[0, 0, 2] = np.nan
    outputs[1, 3] = np.eye(5)[3]
    assert baseline_nets.steps_right(outputs, sequences) == 6


def test_the_baseline_trainer_refuses_the_lstm_and_unknown_nets():
    sequences = tasks.article_sequences()
    for net in ("lstm", "rnn"):
        with pytest.raises(ValueError, match=f"net must be one of .*got '{net}'"):
            baseline_nets.train_runs(net, [0], sequences, 5)
    with pytest.raises(ValueError, match="update must be one of"):
        baseline_nets.train_runs("mlp", [0], sequences, 5, update="epoch")
