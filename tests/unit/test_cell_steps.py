"""The stacked GRU and SimpleRNN cells (lstm_lab/tf_ops.py, lstm_lab/cells.py)
against Keras's own layers on random inputs, their gate biases, and paper.py's
--cell: where it reaches and which gate options it refuses."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

import paper
from lstm_lab import cells, estimates, online, regimes, tf_ops

N_INPUTS, UNITS, STEPS, BATCH = 5, 3, 6, 4


def keras_layers(cell, seeds):
    """One built Keras layer per seed, with random biases (Keras's start at 0),
    returning every step's output."""
    layers = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        layer = tf_ops.KERAS_LAYERS[cell]
        layer = getattr(keras.layers, layer)(UNITS, return_sequences=True)
        layer.build((BATCH, STEPS, N_INPUTS))
        kernel, recurrent, bias = layer.get_weights()
        bias = np.random.default_rng(seed).normal(size=bias.shape).astype(np.float32)
        layer.set_weights([kernel, recurrent, bias])
        layers.append(layer)
    return layers


def stacked(layers):
    return [tf.constant(np.stack(w)) for w in zip(*(la.get_weights() for la in layers))]


# The fast loop checks the GRU; the LSTM's every step is also checked against
# Keras by its trainers' tests.
SLOW_TOO = [
    "gru",
    *(pytest.param(c, marks=pytest.mark.slow) for c in ("lstm", "simple")),
]


@pytest.mark.parametrize("cell", SLOW_TOO)
def test_every_step_and_the_last_state_are_the_keras_layers(cell):
    layers = keras_layers(cell, [0, 1])
    kernel, recurrent, bias = stacked(layers)
    x = np.random.default_rng(2).normal(size=(2, BATCH, STEPS, N_INPUTS))
    x = x.astype(np.float32)
    xz = tf.einsum("sbtn,snk->sbtk", x, kernel)
    ours = cells.all_states(cell, xz, recurrent, bias).numpy()
    symbols = np.random.default_rng(5).integers(0, N_INPUTS, (2, BATCH, STEPS))
    last = cells.last_state(cell, kernel, recurrent, bias, tf.constant(symbols))
    one_hot = np.eye(N_INPUTS, dtype=np.float32)[symbols]
    for run, layer in enumerate(layers):
        theirs = np.asarray(layer(x[run]))
        np.testing.assert_allclose(ours[run], theirs, atol=1e-5, rtol=0)
        assert np.abs(theirs).max() > 0.1  # the states are not all near zero
        theirs = np.asarray(layer(one_hot[run]))[:, -1]
        np.testing.assert_allclose(last.numpy()[run], theirs, atol=1e-5, rtol=0)


def test_the_gru_keeps_its_state_with_a_large_update_gate_bias():
    rng = np.random.default_rng(0)
    recurrent = rng.normal(size=(1, UNITS, 3 * UNITS)).astype(np.float32)
    bias = np.zeros((1, 2, 3 * UNITS), np.float32)
    tf_ops.set_gate_biases("gru", bias[0], UNITS, keep_bias=10.0)
    assert bias[0, 0, :UNITS].tolist() == [10.0] * UNITS  # z, the input's side
    assert not bias[0, 0, UNITS:].any() and not bias[0, 1].any()
    h = np.full((1, UNITS), 0.5, np.float32)
    xz = rng.normal(size=(1, 3 * UNITS)).astype(np.float32)
    np.testing.assert_allclose(tf_ops.gru_cell(xz, h, recurrent, bias), h, atol=1e-3)
    bias[0, 0, :UNITS] = 0.0  # z near one half: h moves
    assert np.abs(tf_ops.gru_cell(xz, h, recurrent, bias) - h).max() > 0.01


def test_a_bias_for_a_gate_the_cell_lacks_is_refused():
    with pytest.raises(ValueError, match="cell 'gru' has no gate for input_bias=-3"):
        tf_ops.set_gate_biases("gru", np.zeros((2, 6)), 2, input_bias=-3.0)
    with pytest.raises(ValueError, match="cell 'simple' has no gate for keep_bias"):
        tf_ops.set_gate_biases("simple", np.zeros(2), 2, keep_bias=1.0)
    with pytest.raises(ValueError, match="cell must be one of"):
        tf_ops.keras_initial_weights(0, 3, 2, 2, cell="rnn")
    gru = regimes.Settings2ab(cell="gru")
    assert tf_ops.cell_biases(gru) == (10.0, None)
    assert tf_ops.cell_biases(regimes.Settings2c(cell="simple")) == (None, None)
    assert tf_ops.cell_biases(regimes.Settings2c()) == (10.0, -8.0)


@pytest.mark.parametrize("cell", tf_ops.CELLS)
def test_the_estimate_counts_the_cells_weights(cell):
    weights = tf_ops.keras_initial_weights(0, N_INPUTS, UNITS, 2, cell=cell)
    n_weights = sum(np.size(w) for w in weights)
    assert estimates.lstm_weights(N_INPUTS, UNITS, 2, cell=cell) == n_weights


@pytest.fixture
def trained(monkeypatch):
    """Replace the trainer; record each configuration's settings."""
    calls = []

    def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
        calls.append((method, task, chosen))
        n = len(seeds)
        return online.Outcome([None] * n, np.zeros(n, bool), np.zeros(n, int), {}, {})

    monkeypatch.setattr(paper, "train_configuration", train_configuration)
    return calls


def test_cell_reaches_the_modern_settings_and_names_the_row(trained, capsys):
    argv = ["--task", "2a,2c", "--lag", "10", "--article-lags", "none"]
    argv += ["--cell", "gru", "--forget-bias", "4", "--format", "json"]
    assert paper.main(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(c.cell, c.forget_bias) for _, _, c in trained] == [("gru", 4.0)] * 2
    names = [row["method"] for row in rows if row["source"] == "ours"]
    assert names[0].startswith("GRU(64) + input->output, Adam")
    assert names[1] == "GRU(8), Adam, loss at the end"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--cell", "gru", "--input-bias", "-1"], "--input-bias is for --cell lstm"),
        (
            ["--cell", "simple", "--forget-bias", "1"],
            "--forget-bias is for --cell lstm or gru",
        ),
        (["--cell", "simple", "--input-bias", "1"], "not --cell simple"),
        (["--method", "1997", "--cell", "gru"], "--cell is for --method modern"),
    ],
)
def test_an_option_for_a_gate_the_cell_lacks_exits_2(argv, message, trained, capsys):
    with pytest.raises(SystemExit) as info:
        paper.main([*argv, "--lag", "10"])
    assert info.value.code == 2
    assert message in capsys.readouterr().err
    assert trained == []
