"""The plain Keras reference for Tasks 2a and 2b (references/keras_2ab.py): its
network, and its criterion on hand-made outputs."""

import dataclasses

import keras
import numpy as np
import pytest

from lstm_lab import modern_2ab, regimes, tasks
from lstm_lab.references import keras_2ab


class FakeModel:
    """Stands in for a Keras model: outputs made by hand from the inputs."""

    def __init__(self, lag, middle_error, last_error):
        self.output_shape = (None, lag, lag + 1)
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
    lag, rng = 6, np.random.default_rng(0)
    good = FakeModel(lag, middle_error=0.2, last_error=0.24)
    assert keras_2ab.paper_success(good, "2a", lag, rng)
    assert keras_2ab.paper_success(good, "2b", lag, rng, n_test=500)
    # Wrong by 0.3 in the middle: fails 2a, which judges every step. 2b judges
    # only the last step: its middle is random and cannot be predicted.
    middle_wrong = FakeModel(lag, middle_error=0.3, last_error=0.1)
    assert not keras_2ab.paper_success(middle_wrong, "2a", lag, rng)
    assert keras_2ab.paper_success(middle_wrong, "2b", lag, rng, n_test=500)
    last_wrong = FakeModel(lag, middle_error=0.0, last_error=0.26)
    assert not keras_2ab.paper_success(last_wrong, "2a", lag, rng)
    assert not keras_2ab.paper_success(last_wrong, "2b", lag, rng, n_test=500)
    seqs = tasks.lag_sequences(lag)
    assert keras_2ab.paper_error(last_wrong, seqs, "2a") == pytest.approx(0.26)
    assert keras_2ab.paper_error(middle_wrong, seqs, "2a") == pytest.approx(0.3)
    assert keras_2ab.paper_error(middle_wrong, seqs, "2b") == pytest.approx(0.1)


def test_a_diverged_model_fails_the_criterion():
    # NaN compares false with the threshold: it must still fail, in both tasks.
    lag, rng = 6, np.random.default_rng(0)
    nan = FakeModel(lag, middle_error=np.nan, last_error=0.0)
    assert not keras_2ab.paper_success(nan, "2a", lag, rng)
    assert not keras_2ab.paper_success(nan, "2b", lag, rng, n_test=500)


def test_the_reference_model_structure():
    lag, units = 7, 4
    model = keras_2ab.build_model(lag, regimes.Settings2ab(units=units))
    assert model.input_shape == (None, lag, lag + 1)
    assert model.output_shape == (None, lag, lag + 1)
    lstm = next(lay for lay in model.layers if isinstance(lay, keras.layers.LSTM))
    dense = model.layers[-1]
    # The Dense layer reads the LSTM's output and the input itself.
    assert dense.kernel.shape == (units + lag + 1, lag + 1)
    bias = lstm.cell.bias.numpy()
    np.testing.assert_array_equal(bias[units : 2 * units], 10.0)  # forget gate
    np.testing.assert_array_equal(bias[:units], -3.0)  # input gate
    np.testing.assert_array_equal(bias[2 * units :], 0.0)
    # The article's shape: the Dense layer reads the LSTM alone.
    article_like = keras_2ab.build_model(
        lag, regimes.Settings2ab(units=units, direct=False)
    )
    assert article_like.layers[-1].kernel.shape == (units, lag + 1)


def test_last_step_weights():
    np.testing.assert_array_equal(keras_2ab.last_step_weights(3, 7.5), [[1, 1, 7.5]])
    assert keras_2ab.last_step_weights(100, 1000.0).sum() == 99 + 1000


@pytest.mark.parametrize(
    ("changes", "task", "lag", "message"),
    [
        ({"max_sequences": 0}, "2a", 5, "max_sequences must be at least 1, got 0"),
        ({"judge_every": -5}, "2a", 5, "judge_every must be at least 1, got -5"),
        ({}, "2a", 1, "at least 2, got 1"),
        ({}, "2z", 5, "task must be one of"),
    ],
)
def test_train_run_refuses_bad_input(changes, task, lag, message):
    chosen = dataclasses.replace(regimes.Settings2ab(), **changes)
    with pytest.raises(ValueError, match=message):
        keras_2ab.train_run(0, task, lag, chosen)


@pytest.mark.parametrize("lag", [2, 5, 100, 1000, 3000])
@pytest.mark.parametrize("n_test", [1, 500, tasks.TEST_SEQUENCES])
def test_the_trainer_judges_in_the_references_chunks(lag, n_test):
    # Task 2b's test streams stay the reference's only if the stacked trainer
    # draws the same chunks; each keeps its own size, and this compares them.
    chunk = keras_2ab.success_chunk(lag, n_test)
    assert modern_2ab.judge_chunk(lag, n_test) == chunk
    assert 1 <= chunk <= n_test
