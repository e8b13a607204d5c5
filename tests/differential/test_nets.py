"""The baseline nets' fast path (lstm_lab/baseline_nets.py) against plain Keras:
one model per run, built and trained the straightforward way, a
`train_on_batch` per time step on a stateful model (update "step") or per
sequence (update "sequence").

The references here build their own inputs and models; they share only the
article's sequences with the fast path.
"""

import keras
import numpy as np
import pytest

from lstm_lab import baseline_nets, tasks

N_SYMBOLS = 5
WINDOW = 4  # the current input and the 3 before it


def window_inputs(sequence):
    """The last 4 one hot inputs at each step, oldest first, zeros before the start."""
    one_hot = np.eye(N_SYMBOLS, dtype=np.float32)
    rows = []
    for t in range(len(sequence) - 1):
        parts = []
        for back in range(WINDOW - 1, -1, -1):
            if t - back >= 0:
                parts.append(one_hot[sequence[t - back]])
            else:
                parts.append(np.zeros(N_SYMBOLS, np.float32))
        rows.append(np.concatenate(parts))
    return np.array(rows)


def dataset(net, sequence):
    """(X (T, inputs), Y (T, n)) of one sequence, as the plain model reads it."""
    one_hot = np.eye(N_SYMBOLS, dtype=np.float32)
    x = window_inputs(sequence) if net == "window" else one_hot[sequence[:-1]]
    return x, one_hot[sequence[1:]]


def plain_model(net, units, update, length):
    """The plain Keras model of `net`: the MLPs on one step per row; the
    recurrent nets stateful on one step per batch ("step") or stateless on
    whole sequences ("sequence")."""
    if net in ("mlp", "window"):
        width = WINDOW * N_SYMBOLS if net == "window" else N_SYMBOLS
        inputs = keras.Input(shape=(width,))
        # tanh: the hidden activation the fast path documents and uses.
        first = keras.layers.Dense(units, activation="tanh")
    else:
        layer = {"simple": keras.layers.SimpleRNN, "gru": keras.layers.GRU}[net]
        if update == "step":
            inputs = keras.Input(batch_shape=(1, 1, N_SYMBOLS))
            first = layer(units, stateful=True)
        else:
            inputs = keras.Input(shape=(length, N_SYMBOLS))
            first = layer(units, return_sequences=True)
    model = keras.Sequential(
        [inputs, first, keras.layers.Dense(N_SYMBOLS, activation="sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy")
    return model


def train_plain(model, net, update, sequences, epochs):
    recurrent = net in ("simple", "gru")
    for _ in range(epochs):
        for sequence in sequences:
            x, y = dataset(net, sequence)
            if update == "sequence":
                batch = (x[None], y[None]) if recurrent else (x, y)
                model.train_on_batch(*batch)
                continue
            for t in range(len(x)):
                step = (x[[t]][None], y[[t]]) if recurrent else (x[[t]], y[[t]])
                model.train_on_batch(*step)
            if recurrent:
                model.layers[0].reset_state()


def plain_steps_right(model, net, update, sequences, units):
    """Steps right of the trained model, each sequence from a zero state."""
    if net in ("simple", "gru") and update == "step":
        # The trained weights in a stateless twin that reads whole sequences.
        twin = plain_model(net, units, "sequence", sequences.shape[1] - 1)
        twin.set_weights(model.get_weights())
        model = twin
    right = 0
    for sequence in sequences:
        x, _ = dataset(net, sequence)
        batch = x[None] if net in ("simple", "gru") else x
        outputs = np.asarray(model.predict_on_batch(batch)).reshape(len(x), -1)
        right += int(np.sum(outputs.argmax(axis=-1) == sequence[1:]))
    return right


@pytest.mark.parametrize("net", baseline_nets.BASELINES)
def test_initial_weights_are_the_plain_models(net):
    for seed in (0, 3):
        keras.utils.set_random_seed(seed)
        model = plain_model(net, 6, "sequence", 4)
        ours = baseline_nets.initial_weights(net, seed, N_SYMBOLS, 6)
        for a, b in zip(model.get_weights(), ours, strict=True):
            np.testing.assert_array_equal(a, b)


def compare_training(net, update, seeds=(0, 1), epochs=3, units=4):
    sequences = tasks.article_sequences()
    result = baseline_nets.train_runs(
        net,
        list(seeds),
        sequences,
        N_SYMBOLS,
        units=units,
        epochs=epochs,
        update=update,
    )
    for i, seed in enumerate(seeds):
        keras.utils.set_random_seed(seed)
        model = plain_model(net, units, update, sequences.shape[1] - 1)
        start = model.get_weights()
        train_plain(model, net, update, sequences, epochs)
        for ours, plain, first in zip(
            result["weights"][i], model.get_weights(), start, strict=True
        ):
            np.testing.assert_allclose(ours, plain, atol=1e-5)
            assert not np.allclose(plain, first, atol=1e-4)  # it trained
        right = plain_steps_right(model, net, update, sequences, units)
        assert result["steps_right"][i, -1] == right
        assert result["correct"][i, -1] == (right == sequences[:, 1:].size)


def test_the_mlp_trains_step_by_step_as_keras_does():
    # The fast loop's run of this trainer: the cheapest of its paths.
    compare_training("mlp", "step", seeds=(2,), epochs=2, units=3)


@pytest.mark.slow
@pytest.mark.parametrize("update", baseline_nets.UPDATES)
@pytest.mark.parametrize("net", baseline_nets.BASELINES)
def test_each_net_trains_as_keras_does(net, update):
    compare_training(net, update)


@pytest.mark.slow
@pytest.mark.parametrize("update", baseline_nets.UPDATES)
def test_the_mlp_gets_at_most_7_of_8_and_the_window_all_8(update):
    # The bound of any function of the current input (7), against trained
    # MLPs: at every epoch no run passes it, and trained runs reach it.
    sequences = tasks.article_sequences()
    bound = baseline_nets.most_right_without_memory(sequences, window=1)
    seeds = list(range(10))
    mlp = baseline_nets.train_runs("mlp", seeds, sequences, N_SYMBOLS, update=update)
    assert mlp["steps_right"].max() == bound == 7
    assert not mlp["correct"].any()
    window = baseline_nets.train_runs(
        "window", seeds, sequences, N_SYMBOLS, update=update
    )
    assert window["steps_right"][:, -1].max() == 8 and window["correct"][:, -1].any()
