"""Tests for the tutorial script, lstm_memory.py.

Known answers come from the article's printed demos; the training loop is
checked against the article's own loop of `fit` calls.
"""

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

import lstm_memory

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "lstm_memory.py"

# The article's printed one hot encoding of 3 0 1 2 3.
ARTICLE_ENCODED = [
    [0.0, 0.0, 0.0, 1.0, 0.0],
    [1.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 1.0, 0.0, 0.0, 0.0],
    [0.0, 0.0, 1.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 1.0, 0.0],
]


def run_script(*args, env=None):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


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
        (["--quiet", "--progress"], "not allowed with argument"),
    ],
)
def test_cli_rejects_bad_values(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        lstm_memory.main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_train_rejects_zero_epochs():
    model = lstm_memory.build_model(5, units=2)
    with pytest.raises(ValueError, match="epochs must be at least 1, got 0"):
        lstm_memory.train(model, [lstm_memory.to_lstm_dataset(lstm_memory.SEQ1, 5)], 0)


def test_jax_backend_is_refused(monkeypatch):
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    with pytest.raises(RuntimeError, match="silently ignores stateful=True"):
        lstm_memory.build_model(5)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "args"),
    [("jax", []), ("nonsense", ["--help"])],
)
def test_other_backends_exit_2_before_anything(backend, args):
    # Even when Keras cannot load the backend at all (uninstalled or unknown).
    result = run_script(*args, env={**os.environ, "KERAS_BACKEND": backend})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("usage: lstm_memory.py")
    assert f"KERAS_BACKEND={backend} is not supported" in lines[-1]
    assert "Traceback" not in result.stderr


# The model, with no training.


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


def test_state_is_carried_between_batches_and_reset():
    model = lstm_memory.build_model(5, units=4)
    X, _ = lstm_memory.to_lstm_dataset(lstm_memory.SEQ1, 5)
    first = model.predict(X[:1], batch_size=1, verbose=0)
    second = model.predict(X[:1], batch_size=1, verbose=0)  # same input, state carried
    assert not np.allclose(first, second)
    lstm_memory.reset_state(model)
    again = model.predict(X[:1], batch_size=1, verbose=0)
    np.testing.assert_array_equal(first, again)


# Training: the same weights as the article's loop, and determinism.


def article_fit_loop(model, datasets, epochs):
    """The article's training loop, ported only as far as Keras 3 requires."""
    for _ in range(epochs):
        for X, y in datasets:
            model.fit(X, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
            model.get_layer("lstm").reset_state()


def trained_weights(seed, loop, epochs=3):
    keras.utils.set_random_seed(seed)
    model = lstm_memory.build_model(5)
    datasets = [
        lstm_memory.to_lstm_dataset(seq, 5)
        for seq in (lstm_memory.SEQ1, lstm_memory.SEQ2)
    ]
    loop(model, datasets, epochs)
    return model.get_weights()


@pytest.mark.slow
def test_train_gives_the_weights_of_the_article_fit_loop():
    ours = trained_weights(7, lstm_memory.train)
    article = trained_weights(7, article_fit_loop)
    for a, b in zip(ours, article, strict=True):
        np.testing.assert_array_equal(a, b)
    # And training did something: the weights moved from their initial values.
    keras.utils.set_random_seed(7)
    initial = lstm_memory.build_model(5).get_weights()
    assert not np.array_equal(initial[0], ours[0])


@pytest.mark.slow
def test_same_seed_same_weights_other_seed_differs():
    a = trained_weights(3, lstm_memory.train, epochs=2)
    b = trained_weights(3, lstm_memory.train, epochs=2)
    c = trained_weights(4, lstm_memory.train, epochs=2)
    for wa, wb in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a[0], c[0])


def test_on_epoch_end_gets_mean_loss_of_each_sequence():
    keras.utils.set_random_seed(0)
    model = lstm_memory.build_model(5, units=3)
    datasets = [
        lstm_memory.to_lstm_dataset(seq, 5)
        for seq in (lstm_memory.SEQ1, lstm_memory.SEQ2)
    ]
    seen = []
    lstm_memory.train(
        model, datasets, 2, on_epoch_end=lambda e, losses: seen.append((e, losses))
    )
    assert [e for e, _ in seen] == [0, 1]
    assert all(
        len(losses) == 2 and all(0 < v < 1 for v in losses) for _, losses in seen
    )


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
    sequences = [lstm_memory.SEQ1, lstm_memory.SEQ2]
    assert lstm_memory.wrong_steps(sequences, [[0, 1, 2, 3], [0, 1, 2, 4]]) == []
    wrong = lstm_memory.wrong_steps(sequences, [[0, 1, 2, 3], [0, 1, 2, 3]])
    assert wrong == [(1, 3, 3)]
    assert lstm_memory.verdict(sequences, []).startswith(
        "Verdict: all 8 predictions are correct"
    )
    line = lstm_memory.verdict(sequences, wrong)
    assert line.startswith("Verdict: 7 of 8 predictions are correct")
    assert "sequence 2 step 4 (2 -> 4, got 3)" in line
    assert "try another --seed" in line and "--epochs" not in line
    with pytest.raises(ValueError, match="4 steps but 3 predictions"):
        lstm_memory.wrong_steps(sequences, [[0, 1, 2], [0, 1, 2, 4]])


def test_memory_steps_of_the_article_are_the_last_ones():
    assert lstm_memory.memory_steps([lstm_memory.SEQ1, lstm_memory.SEQ2]) == {
        (0, 3),
        (1, 3),
    }
    # With a third sequence 3 0 1 5 3, input 2 and input 1 both need memory.
    assert lstm_memory.memory_steps(
        [lstm_memory.SEQ1, lstm_memory.SEQ2, (3, 0, 1, 5, 3)]
    ) == {
        (0, 2),
        (0, 3),
        (1, 2),
        (1, 3),
        (2, 2),
    }


def test_verdict_suggests_more_epochs_when_easy_steps_are_wrong():
    sequences = [lstm_memory.SEQ1, lstm_memory.SEQ2]
    # Step 2 (0 -> 1) needs no memory; it is wrong after too little training.
    wrong = lstm_memory.wrong_steps(sequences, [[0, 0, 2, 3], [0, 1, 2, 3]])
    line = lstm_memory.verdict(sequences, wrong)
    assert "try more --epochs" in line and "another --seed" not in line


# The script as a reader runs it.

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


@pytest.mark.slow
def test_smoke_two_epochs_prints_the_article_format():
    # --progress shows the loss lines although stderr is a pipe here; nothing
    # else reaches stderr: TensorFlow's start-up notices are silenced.
    result = run_script("--epochs", "2", "--seed", "0", "--progress")
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
def test_full_default_run_predicts_all_8_steps():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_"))}
    result = run_script(env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # Not a terminal: no progress on stderr, and stdout holds results only.
    predictions = check_output_format(result.stdout, result.stderr, 0)
    for line in predictions:
        _, y_value, yhat = re.findall(r"\d\.0", line)
        assert y_value == yhat, line
    assert "Verdict: all 8 predictions are correct" in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_parse(fmt, capsys):
    status = lstm_memory.main(["--epochs", "1", "--units", "2", "--format", fmt])
    out = capsys.readouterr().out
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
    assert all(r["correct"] == (r["yhat"] == r["y"]) for r in rows)
    # The exit status agrees with the rows: 1 when any step is wrong.
    assert status == (0 if all(r["correct"] for r in rows) else 1)


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback():
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--epochs", "100000", "--progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    first = process.stderr.readline()  # training has started
    assert first.startswith("Epoch 1/100000"), first
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted: no predictions were made"
    assert out == ""


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--epochs", "1", "--units", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    process.stdout.close()  # the reader is gone before the first line
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert process.returncode in (0, 1)
