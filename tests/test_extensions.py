"""Tests for extensions.py: generators, criteria, the fast path and each subcommand."""

import re
import sys

import keras
import numpy as np
import numpy_lstm
import pytest

import extensions as ex
import lstm_memory as lm

# Sequence generators.


def test_marker_sequences_of_the_article():
    np.testing.assert_array_equal(ex.marker_sequences(5, 2, 3), [lm.SEQ1, lm.SEQ2])
    np.testing.assert_array_equal(ex.article_sequences(), [lm.SEQ1, lm.SEQ2])
    np.testing.assert_array_equal(ex.lag_sequences(4), [lm.SEQ1, lm.SEQ2])


@pytest.mark.parametrize(
    ("n_symbols", "k", "middle"), [(5, 2, 3), (10, 3, 3), (6, 4, 7)]
)
def test_marker_sequences_properties(n_symbols, k, middle):
    seqs = ex.marker_sequences(n_symbols, k, middle)
    assert seqs.shape == (k, middle + 2)
    assert (seqs[:, 0] == seqs[:, -1]).all()  # the last value repeats the first
    assert len(set(seqs[:, 0])) == k  # and differs between sequences
    assert (seqs[:, 1:-1] == seqs[0, 1:-1]).all()  # the middle is shared
    assert seqs.min() >= 0 and seqs.max() < n_symbols
    assert not set(seqs[0, 1:-1]) & set(seqs[:, 0])  # middle never uses a first value


@pytest.mark.parametrize("p", [2, 4, 10, 100])
def test_lag_sequences_are_task_2a(p):
    seqs = ex.lag_sequences(p)
    assert seqs.shape == (2, p + 1)
    assert seqs.max() == p  # an alphabet of p + 1 symbols
    np.testing.assert_array_equal(seqs[:, 1:-1], [range(p - 1)] * 2)  # a1..a(p-1)
    np.testing.assert_array_equal(seqs[:, 0], [p - 1, p])  # x and y
    np.testing.assert_array_equal(seqs[:, 0], seqs[:, -1])


@pytest.mark.parametrize("p", [1, 0, -3])
def test_lag_below_2_is_refused(p):
    with pytest.raises(ValueError, match=f"at least 2, got {p}"):
        ex.lag_sequences(p)


@pytest.mark.parametrize(
    ("args", "message"),
    [((3, 3, 3), "3 symbols is too small for 3 sequences"), ((5, 1, 3), "got 1")],
)
def test_marker_sequences_refuse_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        ex.marker_sequences(*args)


def test_random_pool_and_split():
    rng = np.random.default_rng(0)
    train, test = ex.split_random_pool(rng, 3, 3, 36, 18)
    assert train.shape == (36, 5) and test.shape == (18, 5)
    both = np.concatenate([train, test])
    assert len({tuple(s) for s in both}) == 54  # all distinct, so disjoint
    assert (both[:, 0] == both[:, -1]).all()
    assert set(both[:, 0]) == {3, 4}
    assert both[:, 1:-1].min() >= 0 and both[:, 1:-1].max() <= 2
    with pytest.raises(ValueError, match="only 54 distinct sequences"):
        ex.random_sequence_pool(rng, 55, 3, 3)


# Success criteria on hand-made outputs.


def one_hot_outputs(sequences, n):
    return np.eye(n)[np.asarray(sequences)[:, 1:]]


def test_argmax_and_paper_criteria():
    seqs = ex.article_sequences()
    perfect = one_hot_outputs(seqs, 5)
    assert ex.argmax_correct(perfect, seqs) and ex.within_threshold(perfect, seqs)
    soft = (
        perfect * 0.5 + 0.2
    )  # right argmax, but 0.7 and 0.2 miss 1 and 0 by 0.3 and 0.2
    assert ex.argmax_correct(soft, seqs)
    assert not ex.within_threshold(soft, seqs)
    close = perfect * 0.6 + 0.2  # 0.8 and 0.2: within 0.25
    assert ex.within_threshold(close, seqs)
    wrong_last = perfect.copy()
    wrong_last[1, -1] = np.eye(5)[3]  # sequence 2 answers 3 on input 2
    assert not ex.argmax_correct(wrong_last, seqs)
    assert ex.argmax_correct(wrong_last, seqs, steps=[0, 1, 2])
    assert not ex.argmax_correct(wrong_last, seqs, steps=[-1])
    assert ex.within_threshold(wrong_last[:1], seqs[:1])
    with pytest.raises(ValueError, match="do not fit"):
        ex.argmax_correct(perfect[:, :2], seqs)


def test_first_learned_epoch():
    assert ex.first_learned_epoch([False, True, True]) == 2
    assert ex.first_learned_epoch([True, False, True, True]) == 3
    assert ex.first_learned_epoch([True, True]) == 1
    assert ex.first_learned_epoch([True, False]) is None


def test_summarise_counts():
    correct = np.array([[False, True], [True, False], [False, False], [True, True]])
    row = ex.summarise("x", correct, 2.0)
    assert row["learned"] == "2/4" and row["success"] == "50%"
    assert row["ever learned"] == "3/4"
    assert (
        row["median epochs to learn"] == "2"
    )  # runs learned at epochs 2 and 1: median 1.5
    assert "0.50 s/run" in row["wall time"]


# The fast path against Keras and against the NumPy reference.


def test_initial_weights_are_build_models():
    for seed in (0, 3):
        keras.utils.set_random_seed(seed)
        model = lm.build_model(5)
        for a, b in zip(
            model.get_weights(), ex.initial_weights(seed, 5, 20), strict=True
        ):
            np.testing.assert_array_equal(a, b)


def test_fast_path_matches_the_tutorial_training_loop():
    seeds, epochs = [0, 1], 5
    result = ex.train_runs(seeds, ex.article_sequences(), 5, epochs=epochs)
    datasets = [lm.to_lstm_dataset(s, 5) for s in (lm.SEQ1, lm.SEQ2)]
    for i, seed in enumerate(seeds):
        keras.utils.set_random_seed(seed)
        model = lm.build_model(5)
        lm.train(model, datasets, epochs)
        initial = ex.initial_weights(seed, 5, 20)
        for ours, keras_w, start in zip(
            result["weights"][i], model.get_weights(), initial
        ):
            np.testing.assert_allclose(ours, keras_w, atol=2e-6)
            assert not np.allclose(ours, start, atol=1e-4)  # it trained


@pytest.mark.parametrize("update", ["step", "sequence", "epoch"])
def test_fast_path_matches_numpy_reference(update):
    seqs = ex.article_sequences()
    result = ex.train_runs([2, 9], seqs, 5, units=8, epochs=40, update=update)
    for i, seed in enumerate([2, 9]):
        expected = numpy_lstm.train_numpy(
            ex.initial_weights(seed, 5, 8), seqs, 5, 40, update=update
        )
        for ours, ref in zip(result["weights"][i], expected, strict=True):
            np.testing.assert_allclose(ours, ref, atol=1e-5)
        outputs = ex.evaluate(result["weights"][i], seqs, 5)[1]
        np.testing.assert_allclose(
            outputs, numpy_lstm.evaluate_numpy(expected, seqs, 5)[1], atol=1e-5
        )


def test_fast_path_curves_agree_with_final_weights():
    seqs = ex.article_sequences()
    result = ex.train_runs(range(4), seqs, 5, epochs=20, update="sequence")
    assert result["correct"].shape == result["max_error"].shape == (4, 20)
    for i, weights in enumerate(result["weights"]):
        _, outputs = ex.evaluate(weights, seqs, 5)
        assert result["correct"][i, -1] == ex.argmax_correct(outputs, seqs)
        error = np.abs(outputs - one_hot_outputs(seqs, 5)).max()
        assert result["max_error"][i, -1] == pytest.approx(error, abs=1e-6)


def test_train_runs_rejects_bad_input():
    with pytest.raises(ValueError, match="update must be one of"):
        ex.train_runs([0], ex.article_sequences(), 5, update="minibatch")
    with pytest.raises(ValueError, match=r"values must be in 0\.\.3"):
        ex.train_runs([0], ex.article_sequences(), 4)
    with pytest.raises(ValueError, match="orders must"):
        ex.train_runs(
            [0], ex.article_sequences(), 5, epochs=2, orders=np.zeros((1, 3, 2))
        )


# Each subcommand on a tiny setting.


def run(argv, capsys):
    assert ex.main(argv) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    return out, table[2:]  # the rows after the header and the rule


@pytest.mark.parametrize(
    ("argv", "n_rows"),
    [
        (["tuning", "--seeds", "2", "--epochs", "2,3", "--units", "3,4"], 4),
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
            2,
        ),
        (["long", "--seeds", "2", "--epochs", "2", "--lag", "2,6"], 2),
        (["random", "--seeds", "2", "--epochs", "2", "--train", "6", "--test", "4"], 1),
        (["batch", "--seeds", "2", "--epochs", "2"], 3),
        (["shuffle", "--seeds", "2", "--epochs", "2"], 2),
        (["inspect", "--seeds", "2", "--epochs", "2"], 2),
    ],
)
def test_subcommands_print_a_table(argv, n_rows, capsys):
    out, rows = run(argv, capsys)
    assert out.startswith(ex.COMMANDS[argv[0]][1])
    assert len(rows) == n_rows
    for row in rows:
        if argv[0] != "inspect":
            assert re.search(r"\| \d+/2 +\| +\d+% +\|", row), row


def test_fast_path_learns_the_same_seeds_as_the_script():
    # `python lstm_memory.py --seed N` for N = 0..7 exits 0 1 0 1 1 1 0 0: the
    # seeds that learn both sequences in 250 epochs (the README's sweep).
    result = ex.train_runs(range(8), ex.article_sequences(), 5, epochs=250)
    learned = result["correct"][:, -1].tolist()
    assert learned == [True, False, True, False, False, False, True, True]


def test_inspect_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path = tmp_path / "memory.png"
    out, _ = run(
        ["inspect", "--seeds", "1", "--epochs", "3", "--plot", str(path)], capsys
    )
    assert f"Saved the figure of seed 0 to {path}" in out
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_inspect_plot_without_matplotlib(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    with pytest.raises(SystemExit, match="--plot needs matplotlib"):
        ex.main(
            [
                "inspect",
                "--seeds",
                "1",
                "--epochs",
                "1",
                "--plot",
                str(tmp_path / "x.png"),
            ]
        )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tuning", "--seeds", "0"], "must be at least 1, got 0"),
        (["tuning", "--epochs", "100,0"], "must be at least 1, got 0"),
        (["tuning", "--lr", "0.01,-1"], "must be a positive number, got -1"),
        (["batch", "--lr", "0.01,0.1"], "--lr takes one value here"),
        (["long", "--lag", "4,1"], "--lag values must be at least 2, got 1"),
        (
            ["alphabet", "--alphabet", "4", "--sequences", "4"],
            "too small for 4 sequences",
        ),
        (["random", "--train", "50", "--test", "10"], "only 54 distinct sequences"),
        (["batch", "--update", "step"], "unrecognized arguments"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_options_are_argparse_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ex.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


# The 1997 paper's Experiment 2.


@pytest.mark.parametrize("p", [2, 5, 100])
def test_task_2a_sequences(p):
    seqs = ex.task_sequences(np.random.default_rng(0), "2a", p, 2000)
    assert seqs.shape == (2000, p + 1)
    assert seqs.min() >= 0 and seqs.max() == p  # an alphabet of p + 1 symbols
    # Only the paper's two sequences, (x, a1..a(p-1), x) and (y, a1..a(p-1), y).
    assert {tuple(s) for s in seqs} == {tuple(s) for s in ex.lag_sequences(p)}
    assert 0.45 < np.mean(seqs[:, 0] == p) < 0.55  # each with probability 0.5


def test_task_2b_sequences_have_random_middles():
    p = 10
    seqs = ex.task_sequences(np.random.default_rng(0), "2b", p, 2000)
    assert seqs.shape == (2000, p + 1)
    np.testing.assert_array_equal(seqs[:, 0], seqs[:, -1])  # first repeated last
    assert set(seqs[:, 0]) == {p - 1, p}  # x or y
    assert 0.45 < np.mean(seqs[:, 0] == p) < 0.55
    middles = seqs[:, 1:-1]
    assert middles.min() == 0 and middles.max() == p - 2  # drawn from a1..a(p-1)
    assert len({tuple(m) for m in middles}) == 2000  # a new middle each time
    # Every symbol is about equally likely at every middle position.
    counts = np.stack([np.bincount(col, minlength=p - 1) for col in middles.T])
    assert counts.min() > 2000 / (p - 1) * 0.6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2c", 5, 1), "task must be one of"),
        (("2a", 1, 1), "at least 2, got 1"),
        (("2b", 5, 0), "at least 1 sequence, got 0"),
    ],
)
def test_task_sequences_refuse_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        ex.task_sequences(np.random.default_rng(0), *args)


class FakeModel:
    """Stands in for a Keras model: outputs made by hand from the inputs."""

    def __init__(self, p, middle_error, last_error):
        self.output_shape = (None, p, p + 1)
        self.middle_error, self.last_error = middle_error, last_error

    def predict_on_batch(self, inputs):
        # Knows the answer: the next symbol, or the first symbol at the end.
        symbols = inputs.argmax(axis=-1)
        targets = np.concatenate([symbols[:, 1:], symbols[:, :1]], axis=1)
        outputs = np.eye(inputs.shape[-1])[targets]
        # Move the right output down and the others up by the given errors.
        outputs[:, :-1] = np.abs(outputs[:, :-1] - self.middle_error)
        outputs[:, -1] = np.abs(outputs[:, -1] - self.last_error)
        return outputs


def test_paper_criterion_on_hand_made_outputs():
    p, rng = 6, np.random.default_rng(0)
    good = FakeModel(p, middle_error=0.2, last_error=0.24)
    assert ex.paper_success(good, "2a", p, rng)
    assert ex.paper_success(good, "2b", p, rng, n_test=500)
    # Wrong by 0.3 in the middle: fails 2a, which judges every step. 2b judges
    # only the last step: its middle is random and cannot be predicted.
    middle_wrong = FakeModel(p, middle_error=0.3, last_error=0.1)
    assert not ex.paper_success(middle_wrong, "2a", p, rng)
    assert ex.paper_success(middle_wrong, "2b", p, rng, n_test=500)
    last_wrong = FakeModel(p, middle_error=0.0, last_error=0.26)
    assert not ex.paper_success(last_wrong, "2a", p, rng)
    assert not ex.paper_success(last_wrong, "2b", p, rng, n_test=500)
    seqs = ex.lag_sequences(p)
    assert ex.paper_max_error(last_wrong, seqs, "2a") == pytest.approx(0.26)
    assert ex.paper_max_error(middle_wrong, seqs, "2a") == pytest.approx(0.3)
    assert ex.paper_max_error(middle_wrong, seqs, "2b") == pytest.approx(0.1)


def test_paper_model_structure():
    p, units = 7, 4
    model = ex.build_paper_model(p, units=units, forget_bias=10.0, input_bias=-3.0)
    assert model.input_shape == (None, p, p + 1)
    assert model.output_shape == (None, p, p + 1)
    lstm = next(lay for lay in model.layers if isinstance(lay, keras.layers.LSTM))
    dense = model.layers[-1]
    # The Dense layer reads the LSTM's output and the input itself.
    assert dense.kernel.shape == (units + p + 1, p + 1)
    bias = lstm.cell.bias.numpy()
    np.testing.assert_array_equal(bias[units : 2 * units], 10.0)  # forget gate
    np.testing.assert_array_equal(bias[:units], -3.0)  # input gate
    np.testing.assert_array_equal(bias[2 * units :], 0.0)
    # The article's shape: the Dense layer reads the LSTM alone.
    article_like = ex.build_paper_model(p, units=units, direct=False)
    assert article_like.layers[-1].kernel.shape == (units, p + 1)


@pytest.mark.parametrize("task", ["2a", "2b"])
def test_paper_task_learned_end_to_end_at_p_5(task):
    n = ex.train_paper_run(0, task, 5, max_sequences=1000)
    assert n is not None and n % 20 == 0
    # The same seed trains the same way.
    assert ex.train_paper_run(0, task, 5, max_sequences=n) == n


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_sequences": 0}, "max_sequences must be at least 1, got 0"),
        ({"check_every": -5}, "check_every must be at least 1, got -5"),
        ({"p": 1}, "at least 2, got 1"),
        ({"task": "2c"}, "task must be one of"),
    ],
)
def test_train_paper_run_refuses_bad_input(options, message):
    args = {"seed": 0, "task": "2a", "p": 5, **options}
    with pytest.raises(ValueError, match=message):
        ex.train_paper_run(**args)


def test_article_regime_misses_the_criterion_at_p_5():
    counts = ex.article_regime_counts(range(2), 5, 200, 20, None)
    assert counts == [None, None]


def test_paper_subcommand(capsys):
    argv = ["paper", "--lag", "5", "--seeds", "2", "--max-sequences", "1000"]
    argv += ["--article-lags", "5", "--article-budget", "40"]
    out, rows = run(argv, capsys)
    assert out.startswith(ex.COMMANDS["paper"][1])
    ours = [r for r in rows if r.startswith("| ours")]
    paper = [r for r in rows if r.startswith("| paper")]
    assert len(ours) == 3 and len(paper) == len(ex.PAPER_TABLE)
    assert re.search(r"\| 2a +\| 5 +\| 2 +\| 100% +\|", ours[0]), ours[0]
    assert re.search(r"\| 2b +\| 5 +\| 2 +\| 100% +\|", ours[1]), ours[1]
    assert re.search(r"\| 0% +\| > 40 +\|", ours[2]), ours[2]
    assert "| LSTM " in paper[-2] and "5,040" in paper[-2]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["paper", "--task", "2a,2c"], "unknown task '2c'"),
        (["paper", "--lag", "100,1"], "must be at least 2, got 1"),
        (["paper", "--article-lags", "1"], "must be at least 2, got 1"),
        (["paper", "--lr", "0"], "must be a positive number, got 0"),
        (["paper", "--lr", "0.1,0.2"], "takes one number"),
        (["paper", "--max-sequences", "0"], "must be at least 1, got 0"),
        (["paper", "--forget-bias", "nan"], "must be a finite number, got nan"),
        (["paper", "--input-bias", "x"], "'x' is not a number"),
        (["paper", "--epochs", "5"], "unrecognized arguments"),
    ],
)
def test_bad_paper_options_are_argparse_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ex.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
