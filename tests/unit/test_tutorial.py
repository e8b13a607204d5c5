"""Unit tests of the tutorial script, lstm_memory.py, one function at a time.

Known answers come from the article's printed demos. The training loop is
checked against the article's in tests/differential/test_tutorial_training.py,
and the script as a program in tests/end_to_end/test_tutorial_program.py.
"""

import argparse
import json
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
SEQUENCES = [lstm_memory.SEQ1, lstm_memory.SEQ2]


# Problem Representation: known answers from the article.


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


# Bad input: a clear error naming the value, never a silently wrong encoding.


@pytest.mark.parametrize(
    ("pattern", "n_unique", "message"),
    [
        ([3, -1], 5, "value -1 is outside"),  # -1 would mark the last column
        ([5], 5, "value 5 is outside"),
        ([1.5], 5, "got 1.5"),
        ([2.0], 5, "got 2.0"),
        (["3"], 5, "got '3'"),
        ([True], 5, "got True"),
        ([np.True_], 5, "got np.True_"),
        ([0], 0, "n_unique must be at least 1, got 0"),
        ([0], -2, "n_unique must be at least 1, got -2"),
        ([0], 5.0, "n_unique must be an integer, got 5.0"),
    ],
)
def test_encode_rejects_bad_input(pattern, n_unique, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_memory.encode(pattern, n_unique)


def test_encode_accepts_numpy_integers():
    assert lstm_memory.encode(np.array([1, 0]), np.int64(2)) == [[0.0, 1.0], [1.0, 0.0]]


@pytest.mark.parametrize("encoded", [[], [[0.0, 1.0]]])
def test_to_xy_pairs_needs_two_rows(encoded):
    with pytest.raises(ValueError, match=f"got {len(encoded)}"):
        lstm_memory.to_xy_pairs(encoded)


def test_to_xy_pairs_rejects_ragged_rows():
    with pytest.raises(ValueError, match=r"lengths \[2, 3\]"):
        lstm_memory.to_xy_pairs([[0.0, 1.0], [1.0, 0.0, 0.0]])


@pytest.mark.parametrize(
    ("sequence", "n_unique", "message"),
    [
        ([3, 0, 1, 2, 3], 3, "value 3 is outside"),
        ([3], 5, "got 1"),
        ([], 5, "got 0"),
        ([0, 1], 0, "n_unique must be at least 1"),
    ],
)
def test_to_lstm_dataset_rejects_inconsistent_input(sequence, n_unique, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_memory.to_lstm_dataset(sequence, n_unique)


# Option types: the value, or one line naming the bad value.


def test_option_types_accept_their_range():
    assert lstm_memory.positive_int("1") == 1
    assert lstm_memory.positive_int("250", limit=250) == 250
    assert lstm_memory.non_negative_int("0") == 0
    assert lstm_memory.seed_int("0") == 0
    assert lstm_memory.seed_int("4294967295") == 2**32 - 1


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (lstm_memory.positive_int, "0", "must be at least 1, got 0"),
        (lstm_memory.positive_int, "2.5", "'2.5' is not an integer"),
        (
            lambda text: lstm_memory.positive_int(text, limit=100_000),
            "100001",
            "must be at most 100,000, got 100,001",
        ),
        (lstm_memory.non_negative_int, "-1", "must be at least 0, got -1"),
        (lstm_memory.non_negative_int, "", "'' is not an integer"),
        (lstm_memory.seed_int, "4294967296", "must be at most 2**32-1, got 4294967296"),
    ],
)
def test_option_types_name_the_bad_value(parse, text, message):
    with pytest.raises(argparse.ArgumentTypeError, match=re.escape(message)):
        parse(text)


# The model, with no training.


def test_train_rejects_zero_epochs():
    model = lstm_memory.build_model(5, units=2)
    with pytest.raises(ValueError, match="epochs must be at least 1, got 0"):
        lstm_memory.train(model, [lstm_memory.to_lstm_dataset(lstm_memory.SEQ1, 5)], 0)


@pytest.mark.parametrize(
    ("n_features", "units", "message"),
    [(0, 20, "got 0 and 20"), (5, -1, "got 5 and -1"), (5, 2.0, "got 2.0")],
)
def test_build_model_rejects_bad_sizes(n_features, units, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_memory.build_model(n_features, units=units)


def test_jax_backend_is_refused(monkeypatch):
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    with pytest.raises(RuntimeError, match="silently ignores stateful=True"):
        lstm_memory.build_model(5)


def test_an_unloadable_backend_is_refused_by_name():
    # Keras falls back to TensorFlow; what was asked for is what gets refused.
    with pytest.raises(RuntimeError, match="KERAS_BACKEND=nonsense is not supported"):
        lstm_memory.check_backend("nonsense")
    lstm_memory.check_backend("tensorflow")  # and TensorFlow is accepted


def test_model_structure():
    model = lstm_memory.build_model(5)
    lstm, dense = model.layers
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


def test_model_numerics_are_keras_3s_or_the_articles_keras_2():
    today = lstm_memory.build_model(5)
    assert today.get_layer("lstm").recurrent_activation is keras.activations.sigmoid
    assert float(today.optimizer.epsilon) == pytest.approx(1e-7)
    article = lstm_memory.build_model(5, numerics="keras2")
    gates = article.get_layer("lstm").recurrent_activation
    assert gates is lstm_memory.hard_sigmoid_keras2
    assert float(article.optimizer.epsilon) == pytest.approx(1e-8)
    with pytest.raises(ValueError, match="got 'keras1'"):
        lstm_memory.build_model(5, numerics="keras1")


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


def test_state_is_carried_between_batches_and_reset():
    model = lstm_memory.build_model(5, units=4)
    X, _ = lstm_memory.to_lstm_dataset(lstm_memory.SEQ1, 5)
    first = model.predict(X[:1], batch_size=1, verbose=0)
    second = model.predict(X[:1], batch_size=1, verbose=0)  # same input, state carried
    assert not np.allclose(first, second)
    lstm_memory.reset_state(model)
    again = model.predict(X[:1], batch_size=1, verbose=0)
    np.testing.assert_array_equal(first, again)


# Evaluation and the verdict.


def test_format_predictions_matches_article_format():
    X, y = lstm_memory.to_lstm_dataset(lstm_memory.SEQ2, 5)
    lines = lstm_memory.format_predictions(X, y, [0, 1, 2, 3])
    assert lines == [
        "X=4.0 y=0.0, yhat=0.0",
        "X=0.0 y=1.0, yhat=1.0",
        "X=1.0 y=2.0, yhat=2.0",
        "X=2.0 y=4.0, yhat=3.0",
    ]


def test_wrong_steps_and_verdict():
    assert lstm_memory.wrong_steps(SEQUENCES, [[0, 1, 2, 3], [0, 1, 2, 4]]) == []
    wrong = lstm_memory.wrong_steps(SEQUENCES, [[0, 1, 2, 3], [0, 1, 2, 3]])
    assert wrong == [(1, 3, 3)]
    assert lstm_memory.verdict(SEQUENCES, []).startswith(
        "Verdict: all 8 predictions are correct"
    )
    line = lstm_memory.verdict(SEQUENCES, wrong)
    assert line.startswith("Verdict: 7 of 8 predictions are correct")
    assert "sequence 2 step 4 (2 -> 4, got 3)" in line
    assert "try another --seed" in line and "--epochs" not in line
    # With the measured rate, the verdict cites it and its 95% interval.
    cited = lstm_memory.verdict(SEQUENCES, wrong, (39, 100, 0.300, 0.488))
    assert "(39 of 100 seeds learn it, 95% interval 30-49%)" in cited
    assert "see the README" in line and "see the README" not in cited


@pytest.mark.parametrize(
    ("argv", "cited"),
    [
        ([], "(39 of 100 seeds learn it, 95% interval 30-49%)"),
        (["--numerics", "keras2"], "(36 of 100 seeds learn it, 95% interval 27-46%)"),
        # The rates were measured with the article's settings only.
        (["--units", "5"], "(see the README)"),
        (["--epochs", "100", "--numerics", "keras2"], "(see the README)"),
    ],
)
def test_a_failed_memory_step_cites_the_rate_of_its_settings(
    argv, cited, monkeypatch, capsys
):
    # No training; every run "predicts" 3 for sequence 2's memory step.
    monkeypatch.setattr(lstm_memory, "train", lambda *args, **kwargs: None)
    answers = iter([[0, 1, 2, 3], [0, 1, 2, 3]])
    monkeypatch.setattr(lstm_memory, "predict_sequence", lambda *_: next(answers))
    assert lstm_memory.main(["--quiet", *argv]) == 1
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("Verdict: 7 of 8") and cited in last


@pytest.mark.parametrize(
    ("predictions", "message"),
    [
        ([[0, 1, 2], [0, 1, 2, 4]], "sequence 1 has 4 steps but 3 predictions"),
        ([[0, 1, 2, 3]], "got 2 sequences but 1 predictions"),
    ],
)
def test_wrong_steps_refuses_predictions_that_do_not_fit(predictions, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_memory.wrong_steps(SEQUENCES, predictions)


def test_memory_steps_of_the_article_are_the_last_ones():
    assert lstm_memory.memory_steps(SEQUENCES) == {(0, 3), (1, 3)}
    # With a third sequence 3 0 1 5 3, input 2 and input 1 both need memory.
    assert lstm_memory.memory_steps([*SEQUENCES, (3, 0, 1, 5, 3)]) == {
        (0, 2),
        (0, 3),
        (1, 2),
        (1, 3),
        (2, 2),
    }


def test_verdict_suggests_more_epochs_when_easy_steps_are_wrong():
    # Step 2 (0 -> 1) needs no memory; it is wrong after too little training.
    wrong = lstm_memory.wrong_steps(SEQUENCES, [[0, 0, 2, 3], [0, 1, 2, 3]])
    line = lstm_memory.verdict(SEQUENCES, wrong)
    assert line.startswith("Verdict: 6 of 8 predictions are correct")
    assert "try more --epochs" in line and "another --seed" not in line


# The tables of --format csv and json.


def test_prediction_rows_one_per_step():
    rows = lstm_memory.prediction_rows(SEQUENCES, [[0, 1, 2, 3], [0, 1, 2, 3]])
    assert len(rows) == 8
    assert rows[0] == {
        "sequence": 1,
        "step": 1,
        "x": 3,
        "y": 0,
        "yhat": 0,
        "correct": True,
    }
    assert rows[-1] == {
        "sequence": 2,
        "step": 4,
        "x": 2,
        "y": 4,
        "yhat": 3,
        "correct": False,
    }
    assert [r["correct"] for r in rows].count(False) == 1


def test_format_rows_as_csv_and_json():
    rows = lstm_memory.prediction_rows([(3, 0, 1)], [[0, 2]])
    assert lstm_memory.format_rows(rows, "csv").splitlines() == [
        "sequence,step,x,y,yhat,correct",
        "1,1,3,0,0,true",
        "1,2,0,1,2,false",
    ]
    assert json.loads(lstm_memory.format_rows(rows, "json")) == rows
