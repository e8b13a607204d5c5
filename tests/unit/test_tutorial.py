"""Unit tests of the tutorial script, lstm_memory.py, one part at a time.

Known answers come from the article's printed demos. The training loop is
checked against the article's in tests/differential/test_tutorial_training.py,
the script as a program in tests/end_to_end/test_tutorial_program.py, and its
notebook twin in tests/end_to_end/test_notebook.py.
"""

import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import lstm_memory

# The article's printed one hot encoding of 3 0 1 2 3.
ARTICLE_ENCODED = [
    [0.0, 0.0, 0.0, 1.0, 0.0],
    [1.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 1.0, 0.0, 0.0, 0.0],
    [0.0, 0.0, 1.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 1.0, 0.0],
]
ARTICLE_LINES = [
    "Sequence 1",
    "X=3.0 y=0.0, yhat=0.0",
    "X=0.0 y=1.0, yhat=1.0",
    "X=1.0 y=2.0, yhat=2.0",
    "X=2.0 y=3.0, yhat=3.0",
    "Sequence 2",
    "X=4.0 y=0.0, yhat=0.0",
    "X=0.0 y=1.0, yhat=1.0",
    "X=1.0 y=2.0, yhat=2.0",
    "X=2.0 y=4.0, yhat=4.0",
]


# The sequence problem and its representation: known answers from the article.


def test_the_article_sequences_and_alphabet():
    assert lstm_memory.SEQ1 == (3, 0, 1, 2, 3)
    assert lstm_memory.SEQ2 == (4, 0, 1, 2, 4)
    assert lstm_memory.SEQUENCES == (lstm_memory.SEQ1, lstm_memory.SEQ2)
    assert lstm_memory.N_UNIQUE == 5


def test_encode_matches_article():
    encoded = lstm_memory.encode([3, 0, 1, 2, 3], 5)
    assert encoded == ARTICLE_ENCODED
    assert all(type(v) is float for row in encoded for v in row)


def test_to_xy_pairs_matches_article():
    X, y = lstm_memory.to_xy_pairs(ARTICLE_ENCODED)
    # 3->0, 0->1, 1->2, 2->3
    assert [row.index(1.0) for row in X] == [3, 0, 1, 2]
    assert [row.index(1.0) for row in y] == [0, 1, 2, 3]
    assert X == ARTICLE_ENCODED[:-1]
    assert y == ARTICLE_ENCODED[1:]


def test_to_lstm_dataset_shapes_and_values():
    X, y = lstm_memory.to_lstm_dataset([4, 0, 1, 2, 4], 5)
    assert X.shape == (4, 1, 5) and y.shape == (4, 5)
    assert X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_array_equal(X[:, 0, :].argmax(axis=1), [4, 0, 1, 2])
    np.testing.assert_array_equal(y.argmax(axis=1), [0, 1, 2, 4])
    assert X.sum() == 4 and y.sum() == 4


# A value outside the alphabet: an error naming it, never a silently wrong row.


@pytest.mark.parametrize(
    ("pattern", "n_unique", "message"),
    [
        ([3, -1], 5, "value -1 is outside the alphabet 0..4"),  # -1: the last column
        ([5], 5, "value 5 is outside the alphabet 0..4"),
        ([3, 0, 1, 2, 3], 3, "value 3 is outside the alphabet 0..2"),
    ],
)
def test_encode_names_a_value_outside_the_alphabet(pattern, n_unique, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_memory.encode(pattern, n_unique)
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_memory.to_lstm_dataset(pattern, n_unique)


# The model, with no training.


def test_model_structure():
    model = lstm_memory.build_model(5)
    lstm, dense = model.layers
    assert lstm is model.get_layer("lstm")  # the name the fit-loop reference uses
    assert isinstance(lstm, keras.layers.LSTM) and isinstance(dense, keras.layers.Dense)
    assert model.inputs[0].shape == (1, 1, 5)
    assert lstm.units == 20 and lstm.stateful and not lstm.return_sequences
    assert lstm.activation is keras.activations.tanh
    assert dense.units == 5 and dense.activation is keras.activations.sigmoid
    assert model.loss == "binary_crossentropy"
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.001)
    # 4 gates x (5 inputs + 20 recurrent + 1 bias) x 20 units, then 20 x 5 + 5.
    assert model.count_params() == 4 * (5 + 20 + 1) * 20 + 20 * 5 + 5
    assert lstm_memory.build_model(5, units=3).get_layer("lstm").units == 3


def test_model_numerics_are_keras_3s_or_the_articles_keras_2():
    today = lstm_memory.build_model(5)
    assert today.get_layer("lstm").recurrent_activation is keras.activations.sigmoid
    assert float(today.optimizer.epsilon) == pytest.approx(1e-7)
    article = lstm_memory.build_model(5, numerics="keras2")
    gates = article.get_layer("lstm").recurrent_activation
    assert gates is lstm_memory.hard_sigmoid_keras2
    assert float(article.optimizer.epsilon) == pytest.approx(1e-8)


def test_keras2_hard_sigmoid_known_answers_and_gradient():
    # Keras 2.0: clip(0.2 x + 0.5, 0, 1). Keras 3's hard_sigmoid, with slope
    # 1/6, would give 1/3 at -1 and 2/3 at 1.
    x = tf.constant([-3.0, -1.0, 0.0, 1.0, 3.0])
    np.testing.assert_allclose(
        lstm_memory.hard_sigmoid_keras2(x), [0.0, 0.3, 0.5, 0.7, 1.0], atol=1e-7
    )
    inside = tf.constant([-2.4, -1.0, 0.0, 0.7, 2.4])
    outside = tf.constant([-10.0, -2.6, 2.6, 3.0, 10.0])
    for points, slope in ((inside, 0.2), (outside, 0.0)):
        with tf.GradientTape() as tape:
            tape.watch(points)
            y = lstm_memory.hard_sigmoid_keras2(points)
        np.testing.assert_allclose(tape.gradient(y, points), slope, atol=1e-7)


def test_state_is_carried_between_batches_and_predict_resets_it():
    model = lstm_memory.build_model(5, units=4)
    X, _ = lstm_memory.to_lstm_dataset(lstm_memory.SEQ1, 5)
    first = model.predict(X[:1], batch_size=1, verbose=0)
    second = model.predict(X[:1], batch_size=1, verbose=0)  # same input, state carried
    assert not np.allclose(first, second)
    model.get_layer("lstm").reset_state()
    # predict runs the sequence from a clear state and clears it after.
    outputs = model.predict(X, batch_size=1, verbose=0)
    model.get_layer("lstm").reset_state()
    expected = outputs.argmax(axis=-1).tolist()
    assert lstm_memory.predict(model, X) == expected
    assert lstm_memory.predict(model, X) == expected
    np.testing.assert_array_equal(model.predict(X[:1], batch_size=1, verbose=0), first)
    assert all(type(value) is int for value in expected)


# The verdict.

MEMORY_WRONG = [(2, 4, 2, 4, 3)]  # sequence 2, step 4: 2 -> 4, got 3


def test_verdict_when_all_8_are_right():
    assert lstm_memory.verdict([]) == (
        "Verdict: all 8 predictions are correct, including the steps that need "
        "memory (2 -> 3 in sequence 1 and 2 -> 4 in sequence 2)."
    )


@pytest.mark.parametrize(
    ("numerics", "cited"),
    [
        (
            "keras3",
            (
                "(39 of 100 seeds learn it, 95% interval 30-49%, measured by "
                "`python extensions.py tuning --numerics keras3 --seeds 100`)"
            ),
        ),
        (
            "keras2",
            (
                "(36 of 100 seeds learn it, 95% interval 27-46%, measured by "
                "`python extensions.py tuning --numerics keras2 --seeds 100`)"
            ),
        ),
    ],
)
def test_a_failed_memory_step_cites_the_measured_rate(numerics, cited):
    line = lstm_memory.verdict(MEMORY_WRONG, numerics)
    assert line.startswith(
        "Verdict: 7 of 8 predictions are correct; wrong: sequence 2 step 4 "
        "(2 -> 4, got 3). With one update per time step only some seeds learn "
        "the memory step "
    )
    assert cited in line
    assert line.endswith("; try another --seed, or `python extensions.py batch`.")
    assert "--epochs" not in line


def test_without_the_article_settings_no_rate_is_cited():
    line = lstm_memory.verdict(MEMORY_WRONG)
    assert "learn the memory step; try another --seed" in line
    assert "of 100" not in line and "measured" not in line


def test_verdict_suggests_more_epochs_when_a_step_without_memory_is_wrong():
    # Step 2 (0 -> 1) needs no memory; it is wrong after too little training.
    wrong = [(1, 2, 0, 1, 0), (2, 4, 2, 4, 3)]
    line = lstm_memory.verdict(wrong, "keras3")
    assert line.startswith(
        "Verdict: 6 of 8 predictions are correct; wrong: sequence 1 step 2 "
        "(0 -> 1, got 0); sequence 2 step 4 (2 -> 4, got 3)."
    )
    assert "try more --epochs" in line and "another --seed" not in line


# main(), with training and prediction replaced: what it prints and returns.


@pytest.fixture
def untrained(monkeypatch):
    """main() with no training, and predictions given by the test (default: all right)."""
    answers = {1: [0, 1, 2, 3], 2: [0, 1, 2, 4]}

    def predict(model, X):
        first = int(X[0, 0].argmax())  # 3 or 4: which sequence this is
        return answers[first - 2]

    monkeypatch.setattr(lstm_memory, "train", lambda *args, **kwargs: None)
    monkeypatch.setattr(lstm_memory, "predict", predict)
    return answers


def test_main_prints_the_articles_lines_and_exits_0(untrained, capsys):
    assert lstm_memory.main([]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        *ARTICLE_LINES,
        lstm_memory.verdict([]),
    ]
    assert captured.err == ""


@pytest.mark.parametrize(
    ("argv", "cited"),
    [
        ([], "(39 of 100 seeds learn it, 95% interval 30-49%, measured by"),
        (["--numerics", "keras2"], "(36 of 100 seeds learn it, 95% interval 27-46%"),
        # The rates were measured with the article's settings only.
        (["--units", "5"], None),
        (["--epochs", "100", "--numerics", "keras2"], None),
    ],
)
def test_a_wrong_step_exits_1_and_cites_the_rate_of_its_settings(
    argv, cited, untrained, capsys
):
    untrained[2] = [0, 1, 2, 3]  # sequence 2's memory step answers 3
    assert lstm_memory.main(argv) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[9] == "X=2.0 y=4.0, yhat=3.0"
    assert lines[10].startswith("Verdict: 7 of 8 predictions are correct")
    if cited is None:
        assert "of 100 seeds" not in lines[10]
    else:
        assert cited in lines[10]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--epochs", "0"], "--epochs must be from 1 to 100,000, got 0"),
        (["--epochs", "100001"], "--epochs must be from 1 to 100,000, got 100001"),
        (["--units", "0"], "--units must be from 1 to 4,096, got 0"),
        (["--units", "4097"], "--units must be from 1 to 4,096, got 4097"),
        (["--seed", "-1"], "--seed must be from 0 to 4,294,967,295, got -1"),
        (["--seed", str(2**32)], "--seed must be from 0 to 4,294,967,295, got 4294"),
        (["--epochs", "ten"], "argument --epochs: invalid int value: 'ten'"),
        (["--numerics", "keras1"], "argument --numerics: invalid choice: 'keras1'"),
        (["--format", "csv"], "unrecognized arguments: --format csv"),
    ],
)
def test_bad_options_exit_2_before_training(args, message, monkeypatch, capsys):
    def no_training(*args, **kwargs):
        raise AssertionError("trained despite a bad option")

    monkeypatch.setattr(lstm_memory, "build_model", no_training)
    with pytest.raises(SystemExit) as exit_info:
        lstm_memory.main(args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_the_limits_are_accepted(untrained):
    for args in (["--seed", str(2**32 - 1)], ["--seed", "0", "--units", "1"]):
        assert lstm_memory.main([*args, "--epochs", "100000"]) == 0
