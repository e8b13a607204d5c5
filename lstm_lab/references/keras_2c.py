"""
Title: Task 2c with a modern LSTM, one plain Keras model per run
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/29
Description: The network, training and criterion of `lstm_lab/modern_2c.py` as
    plain Keras: an LSTM and a Dense layer of two sigmoid outputs, one
    `train_on_batch` per training sequence. It is the reference that the
    side-by-side trainer is tested against.

Task 2c's sequences have different lengths, so each one is its own batch: the
model reads the sequence without its last symbol, and is judged, and trained,
on its two outputs after the last input (the trigger e), whose targets are
the one hot x or y (the sequence's last symbol).
"""

import keras
import numpy as np

from lstm_lab import tasks
from lstm_lab.references import keras_2ab


def build_model(n_symbols, settings, weights=None):
    """LSTM(units) and Dense(2, sigmoid) over sequences of any length, with Adam.

    The gate biases are settings.input_bias and settings.forget_bias
    (`keras_2ab.set_gate_biases`), unless `weights` (Keras's order) replaces
    every weight. settings.cell puts a GRU or a SimpleRNN in the LSTM's place.
    """
    inputs = keras.Input(shape=(None, n_symbols))
    lstm = keras_2ab.LAYERS[settings.cell](settings.units)
    outputs = keras.layers.Dense(2, activation="sigmoid")(lstm(inputs))
    model = keras.Model(inputs, outputs)
    keras_2ab.set_gate_biases(lstm, settings)
    if weights is not None:
        model.set_weights(list(weights))
    # Each sequence length is its own shape: XLA would compile every one anew.
    model.compile(
        optimizer=keras.optimizers.Adam(settings.learning_rate),
        loss="binary_crossentropy",
        jit_compile=False,
    )
    return model


def inputs_and_target(sequence, distractors):
    """One padded sequence as the model's input (1, L-1, n) and target (1, 2)."""
    sequence = sequence[sequence != tasks.PAD]
    layout = tasks.layout_2c(distractors)
    one_hot = np.eye(layout.n_symbols, dtype=np.float32)
    target = np.eye(2, dtype=np.float32)[[sequence[-1] - layout.x]]
    return one_hot[sequence[None, :-1]], target


def train_sequences(model, sequences, distractors):
    """One update per sequence (N, W), padded with PAD after each one's end."""
    for sequence in sequences:
        model.train_on_batch(*inputs_and_target(sequence, distractors))


def worst_error(model, sequences, distractors):
    """The largest error of either output at the trigger, over the sequences."""
    worst = 0.0
    for sequence in sequences:
        inputs, target = inputs_and_target(sequence, distractors)
        outputs = np.asarray(model.predict_on_batch(inputs))
        error = np.abs(outputs - target).max()
        worst = max(worst, error if np.isfinite(error) else np.inf)
    return worst
