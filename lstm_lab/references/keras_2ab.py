"""
Title: The 1997 paper's Experiment 2 with a modern LSTM, one Keras model per run
Author: the lstm-memory project contributors
Date created: 2026/11/24
Last modified: 2026/11/29
Description: The network, training regime and success criterion that `paper.py`
    runs on Tasks 2a and 2b, as plain Keras: one model per run, one
    `train_on_batch` per training sequence.

## Introduction

The paper's protocol:

- each training sequence is x-first or y-first with probability 0.5, and the
  network learns on-line, one sequence per update;
- the state is reset between sequences;
- success: over 10,000 fresh random sequences, no output is further than 0.25
  from its target, at any step (2a) or at the last step (2b). For 2a there are
  only two distinct sequences and the trained network is deterministic, so
  judging both of them is the same as judging 10,000 draws;
- the count is the training sequences until success.

The network and optimiser are modern (a Keras LSTM and Adam), with the
settings of `regimes.Settings2ab`. Why each part of the regime is there is told
in `paper.py`'s docstring, and the evidence in docs/paper/modern.md. This is
the reference that `lstm_lab/modern_2ab.py`, which trains every seed side by
side, is tested against.
"""

import keras
import numpy as np

from lstm_lab import checks, regimes, tasks

# Test sequences times their steps and symbols in one call of the criterion.
# The package's trainer has its own (modern_2ab.JUDGE_CHUNK_CELLS); a test
# compares them.
SUCCESS_CHUNK_CELLS = 4_000_000


# settings.cell: the recurrent layer in the LSTM's place.
LAYERS = {
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
    "simple": keras.layers.SimpleRNN,
}


def set_gate_biases(layer, settings):
    """The recurrent layer's initial gate biases from settings.

    The LSTM's gates are ordered input, forget, cell candidate, output; its
    forget gate keeps the state. The GRU's bias is (2, 3u), the input's then
    the recurrent kernel's, each ordered update gate z, reset gate r,
    candidate; h = z h_prev + (1 - z) candidate, so z keeps the state and
    starts at settings.forget_bias (on the input's side). It has no input
    gate. The SimpleRNN has no gate.
    """
    units, cell = settings.units, settings.cell
    if cell == "simple":
        return
    bias = layer.cell.bias.numpy()
    if cell == "lstm":
        bias[:units] = settings.input_bias
        bias[units : 2 * units] = settings.forget_bias
    else:
        bias[0, :units] = settings.forget_bias
    layer.cell.bias.assign(bias)


def build_model(lag, settings):
    """LSTM and Dense over whole sequences of `lag` steps, the input also fed to Dense.

    settings.direct=False feeds Dense the LSTM's output alone, as in the
    article's network; settings.cell puts a GRU or a SimpleRNN in the LSTM's
    place.
    """
    n_symbols, units = lag + 1, settings.units
    inputs = keras.Input(shape=(lag, n_symbols))
    # Stateless: every sequence starts from a zero state, which is the reset
    # between sequences, and the gradient runs back through all the lag's steps.
    lstm = LAYERS[settings.cell](units, return_sequences=True)
    features = lstm(inputs)
    # The paper's net connected every layer to all higher ones, so its inputs
    # also reached the outputs directly.
    if settings.direct:
        features = keras.layers.Concatenate()([features, inputs])
    outputs = keras.layers.Dense(n_symbols, activation="sigmoid")(features)
    model = keras.Model(inputs, outputs)
    set_gate_biases(lstm, settings)
    model.compile(
        optimizer=keras.optimizers.Adam(settings.learning_rate),
        loss="binary_crossentropy",
        jit_compile=True,
    )
    return model


def judged_steps(task):
    """The steps the criterion judges: all (2a), or the last (2b, whose middle is random)."""
    return None if task == "2a" else [-1]


def paper_error(model, sequences, task):
    """Largest absolute error of any judged output (inf if any output is not finite)."""
    one_hot = np.eye(model.output_shape[-1], dtype=np.float32)
    outputs = np.asarray(model.predict_on_batch(one_hot[sequences[:, :-1]]))
    return tasks.sequences_error(outputs, sequences, judged_steps(task))


def success_chunk(lag, n_test):
    """Test sequences per call of the criterion: one compiled shape, bounded memory."""
    return min(n_test, max(1, SUCCESS_CHUNK_CELLS // (lag * (lag + 1))))


def paper_success(model, task, lag, rng, n_test=tasks.TEST_SEQUENCES):
    """The paper's criterion on fresh sequences from `rng`."""
    if task == "2a":
        return bool(tasks.within(paper_error(model, tasks.lag_sequences(lag), task)))
    # Fresh sequences in chunks of one fixed shape (one compiled function), at
    # least n_test in all; the first chunk fails most judgements early and cheaply.
    chunk = success_chunk(lag, n_test)
    for _ in range(-(-n_test // chunk)):
        sequences = tasks.task_sequences(rng, task, lag, chunk)
        if not tasks.within(paper_error(model, sequences, task)):
            return False
    return True


def last_step_weights(lag, last_weight):
    """Per-step loss weights (1, lag): 1, and `last_weight` at the last."""
    weights = np.ones((1, lag), dtype=np.float32)
    weights[0, -1] = last_weight
    return weights


def train_sequences(model, sequences, settings):
    """One update per sequence (N, lag+1), as on-line learning does."""
    lag = sequences.shape[1] - 1
    one_hot = np.eye(lag + 1, dtype=np.float32)
    weights = last_step_weights(lag, settings.last_weight)
    for sequence in sequences:
        model.train_on_batch(
            one_hot[sequence[None, :-1]],
            one_hot[sequence[None, 1:]],
            sample_weight=weights,
        )


def train_run(seed, task, lag, settings=None, n_test=tasks.TEST_SEQUENCES):
    """Train one network on-line until the paper's criterion holds.

    Returns (the number of training sequences at the first judgement that
    succeeded, or None if settings.max_sequences were not enough; the model).
    The criterion is judged every settings.judge_every sequences, so counts
    are multiples of it.
    """
    settings = settings or regimes.Settings2ab()
    seed = checks.check_int(seed, "seed")
    checks.check_budget(settings.max_sequences, settings.judge_every)
    tasks.check_task(task, ("2a", "2b"))
    fixed = tasks.lag_sequences(lag)  # checks the lag too
    keras.utils.set_random_seed(seed)
    model = build_model(lag, settings)
    # Separate streams, so the training sequences do not depend on the judgements.
    train_rng = tasks.stream(seed, "train")
    test_rng = tasks.stream(seed, "test")
    for n in range(1, settings.max_sequences + 1):
        # On-line learning as in the paper: one sequence, one update.
        train_sequences(model, tasks.draw_task(train_rng, task, fixed, 1), settings)
        if n % settings.judge_every == 0 and paper_success(
            model, task, lag, test_rng, n_test
        ):
            return n, model
    return None, model
