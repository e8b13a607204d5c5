"""Unit tests of extensions.py's commands on a fake trainer: what each command
asks `epoch_trainer.train_runs` for, and how it turns the curves into rows.

Nothing here trains. The fake records every call and returns curves whose
counts are known, so a command that passed the wrong update, order, sequences
or evaluation set fails here even when a real run would happen to learn.
Real training through the commands is in tests/end_to_end/.
"""

import json

import numpy as np
import pytest

import extensions as ex
import lstm_memory
from lstm_lab import epoch_trainer, plots, tasks, tf_ops


class FakeTrainer:
    """Stands in for `epoch_trainer.train_runs`; `calls` holds what each call passed.

    Run i (counting from 0 in each call) is wrong after its first i epochs and
    right from then on, so with E epochs min(runs, E) runs have learned. Its
    max_error after the last epoch is 0.1 for even i, inside the paper's
    threshold, and 0.5 for odd i.
    """

    def __init__(self):
        self.calls = []

    def __call__(self, seeds, sequences, n_symbols, **options):
        seeds = list(seeds)
        self.calls.append(
            {
                "seeds": seeds,
                "sequences": np.asarray(sequences),
                "n_symbols": n_symbols,
                "options": options,
            }
        )
        runs = len(seeds)
        epochs = options.get("epochs", lstm_memory.DEFAULT_EPOCHS)
        units = options.get("units", lstm_memory.DEFAULT_UNITS)
        correct = np.arange(epochs)[None, :] >= np.arange(runs)[:, None]
        max_error = np.where(np.arange(runs) % 2 == 0, 0.1, 0.5)[:, None]
        if options.get("progress") is not None:
            options["progress"](epochs)
        return {
            "weights": [
                epoch_trainer.article_initial_weights(s, n_symbols, units)
                for s in seeds
            ],
            "correct": correct,
            "max_error": np.repeat(max_error, epochs, axis=1),
            "loss": np.linspace(1, 0.5, epochs)[None].repeat(runs, axis=0),
            "diverged": np.zeros(runs, dtype=bool),
        }


@pytest.fixture
def fake(monkeypatch):
    trainer = FakeTrainer()
    monkeypatch.setattr(epoch_trainer, "train_runs", trainer)
    return trainer


def rows_of(argv, capsys):
    assert ex.main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def options_of(call, *names):
    return tuple(call["options"].get(name) for name in names)


def test_batch_trains_each_update_on_the_article_problem(fake, capsys):
    rows = rows_of(
        ["batch", "--seeds", "3", "--epochs", "5", "--first-seed", "7"], capsys
    )
    assert [c["options"]["update"] for c in fake.calls] == ["step", "sequence", "epoch"]
    for call in fake.calls:
        assert call["seeds"] == [7, 8, 9]
        np.testing.assert_array_equal(call["sequences"], tasks.article_sequences())
        assert call["n_symbols"] == 5
        assert options_of(call, "units", "epochs", "learning_rate", "orders") == (
            lstm_memory.DEFAULT_UNITS,
            5,
            tf_ops.LEARNING_RATE,
            None,
        )
    assert [r["configuration"] for r in rows] == list(ex.BATCH_ROWS.values())
    assert [r["learned"] for r in rows] == [3, 3, 3]


# `nets` has no --numerics: the article's numerics are the LSTM's gates only.
WITH_NUMERICS = [
    name
    for name, command in ex.COMMANDS.items()
    if any(option.flag == "--numerics" for option in command.options)
]


def test_only_nets_has_no_numerics():
    assert set(ex.COMMANDS) - set(WITH_NUMERICS) == {"nets"}


@pytest.mark.parametrize("command", WITH_NUMERICS)
def test_every_command_trains_with_the_numerics_asked_for(command, fake, capsys):
    argv = [command, "--seeds", "2", "--epochs", "3"]
    rows_of(argv, capsys)
    assert {c["options"]["numerics"] for c in fake.calls} == {"keras3"}
    fake.calls.clear()
    rows_of([*argv, "--numerics", "keras2"], capsys)
    assert fake.calls and {c["options"]["numerics"] for c in fake.calls} == {"keras2"}


def test_shuffle_trains_in_order_then_in_each_runs_own_orders(fake, capsys):
    argv = ["shuffle", "--seeds", "4", "--epochs", "6", "--update", "sequence"]
    rows = rows_of(argv, capsys)
    in_order, shuffled = (c["options"]["orders"] for c in fake.calls)
    assert in_order is None
    assert shuffled.shape == (4, 6, 2)
    assert (np.sort(shuffled, axis=-1) == [0, 1]).all()  # each a permutation
    np.testing.assert_array_equal(shuffled, ex.shuffled_orders(range(4), 6, 2))
    assert len({tuple(run.ravel()) for run in shuffled}) > 1  # per run, not shared
    assert [c["options"]["update"] for c in fake.calls] == ["sequence", "sequence"]
    assert [r["configuration"] for r in rows] == [
        "sequences in order (article)",
        "sequences shuffled each epoch",
    ]


def test_shuffled_orders_come_from_each_runs_seed():
    orders = ex.shuffled_orders([3, 5], 4, 3)
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(orders[1], [rng.permutation(3) for _ in range(4)])


def test_alphabet_trains_each_alphabet_and_sequence_count(fake, capsys):
    argv = ["alphabet", "--seeds", "2", "--epochs", "3", "--alphabet", "5,7"]
    rows = rows_of([*argv, "--sequences", "2,3", "--middle", "4"], capsys)
    configs = [(5, 2), (5, 3), (7, 2), (7, 3)]
    assert [c["n_symbols"] for c in fake.calls] == [n for n, _ in configs]
    for call, (n, k) in zip(fake.calls, configs, strict=True):
        np.testing.assert_array_equal(
            call["sequences"], tasks.marker_sequences(n, k, 4)
        )
        assert options_of(call, "update", "eval_sequences") == ("step", None)
    assert [r["configuration"] for r in rows] == [
        f"{n} symbols, {k} sequences" for n, k in configs
    ]


def test_long_trains_each_lag_and_counts_the_papers_criterion(fake, capsys):
    rows = rows_of(["long", "--seeds", "3", "--epochs", "2", "--lag", "2,6"], capsys)
    for call, p in zip(fake.calls, (2, 6), strict=True):
        np.testing.assert_array_equal(call["sequences"], tasks.lag_sequences(p))
        assert call["n_symbols"] == p + 1
    assert [r["configuration"] for r in rows] == ["p=2 (3 steps)", "p=6 (7 steps)"]
    # Runs 0 and 2 end within the threshold; run 2 has not learned by argmax.
    assert [(r["learned"], r["within_threshold"]) for r in rows] == [(2, 2), (2, 2)]


def test_random_evaluates_the_last_step_of_unseen_sequences(fake, capsys):
    argv = ["random", "--seeds", "2", "--epochs", "2", "--train", "6", "--test", "4"]
    (row,) = rows_of(argv, capsys)
    (call,) = fake.calls
    train_set, test_set = call["sequences"], call["options"]["eval_sequences"]
    assert train_set.shape == (6, 5) and test_set.shape == (4, 5)
    assert not {tuple(s) for s in train_set} & {tuple(s) for s in test_set}
    assert call["options"]["eval_steps"] == [-1]
    assert call["n_symbols"] == 3 + 2
    assert (train_set[:, 0] == train_set[:, -1]).all()  # the memory step
    assert 0 <= row["memory_accuracy_test"] <= 1


def test_tuning_trains_the_largest_epoch_count_once_per_configuration(fake, capsys):
    argv = ["tuning", "--seeds", "3", "--epochs", "2,6", "--units", "3,4"]
    rows = rows_of([*argv, "--lr", "0.01", "--update", "epoch"], capsys)
    assert [
        options_of(c, "units", "epochs", "learning_rate", "update") for c in fake.calls
    ] == [
        (3, 6, 0.01, "epoch"),
        (4, 6, 0.01, "epoch"),
    ]
    assert [r["configuration"] for r in rows] == [
        "epochs=2 units=3 lr=0.01",
        "epochs=6 units=3 lr=0.01",
        "epochs=2 units=4 lr=0.01",
        "epochs=6 units=4 lr=0.01",
    ]
    # After 2 epochs runs 0 and 1 have learned; after 6, all three.
    assert [r["learned"] for r in rows] == [2, 3, 2, 3]


def test_inspect_measures_the_state_difference_of_each_run(fake, capsys):
    rows = rows_of(["inspect", "--seeds", "2", "--epochs", "3", "--units", "3"], capsys)
    (call,) = fake.calls
    assert options_of(call, "units", "epochs", "update") == (3, 3, "step")
    assert [(r["seed"], r["learned"]) for r in rows] == [(0, True), (1, True)]
    weights = epoch_trainer.article_initial_weights(1, 5, 3)  # what the fake returned
    first, second = tasks.article_sequences()
    h1, c1 = epoch_trainer.state_trajectory(weights, first, 5)
    h2, c2 = epoch_trainer.state_trajectory(weights, second, 5)
    assert rows[1]["h_distance_after_2"] == pytest.approx(
        np.linalg.norm(h1[3] - h2[3]), abs=1e-4
    )
    assert rows[1]["c_distance_before_memory_step"] == pytest.approx(
        np.linalg.norm(c1[2] - c2[2]), abs=1e-4
    )


def test_inspect_plot_saves_a_figure_in_the_format_its_name_gives(
    fake, tmp_path, capsys
):
    pytest.importorskip("matplotlib")
    path = tmp_path / "memory.SVG"
    argv = ["inspect", "--seeds", "1", "--epochs", "3", "--units", "3"]
    assert ex.main([*argv, "--plot", str(path)]) == 0
    assert f"saved the figure of seed 0 to {path}" in capsys.readouterr().err
    assert b"<svg" in path.read_bytes()[:1000]


def test_inspect_plot_that_cannot_be_saved_ends_with_status_1(
    fake, monkeypatch, tmp_path, capsys
):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plots, "plot_memory", full_disk)
    path = tmp_path / "memory.png"
    argv = ["inspect", "--seeds", "1", "--epochs", "3", "--plot", str(path)]
    assert ex.main(argv) == 1
    error = capsys.readouterr().err.strip()
    assert (
        error
        == f"could not write {path}: No space left on device; 0 finished row(s) printed above"
    )


@pytest.mark.parametrize("name", ["fig.png", "fig.PDF", "a.b/fig.svg", "fig.jpeg"])
def test_plot_formats_matplotlib_writes_are_accepted(name):
    pytest.importorskip("matplotlib")
    plots.check_plot_format(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fig.xyz", "cannot save fig.xyz: 'xyz' is not an image format"),
        ("fig", "cannot save fig: no extension names an image format"),
        ("fig.png.", "cannot save fig.png.: no extension names"),
    ],
)
def test_plot_formats_matplotlib_cannot_write_are_refused(name, message):
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="end the name with one of .avif, .eps") as err:
        plots.check_plot_format(name)
    assert message in str(err.value)
