"""The epoch trainer (lstm_lab/epoch_trainer.py) against independent references:
Keras's own layers and training loop, and the NumPy reference in
lstm_lab/references/numpy_lstm.py, which shares no code with TensorFlow.
"""

import keras
import numpy as np
import pytest

import lstm_memory
from lstm_lab import epoch_trainer, tasks
from lstm_lab.references import numpy_lstm


def compare_with_numpy(result, seeds, sequences, n_symbols, epochs, update):
    """Each run's weights and outputs against the NumPy reference's from the same start."""
    units = result["weights"][0].recurrent.shape[0]
    for i, seed in enumerate(seeds):
        start = epoch_trainer.article_initial_weights(seed, n_symbols, units)
        expected = numpy_lstm.train_numpy(
            start, sequences, n_symbols, epochs, update=update
        )
        for ours, ref, first in zip(result["weights"][i], expected, start, strict=True):
            np.testing.assert_allclose(ours, ref, atol=1e-5)
            assert not np.allclose(ref, first, atol=1e-4)  # it trained
        outputs = epoch_trainer.evaluate(result["weights"][i], sequences, n_symbols)[1]
        reference = numpy_lstm.evaluate_numpy(expected, sequences, n_symbols)[1]
        np.testing.assert_allclose(outputs, reference, atol=1e-5)
        # The curves' last entry judges the same final weights.
        assert result["correct"][i, -1] == tasks.learned_argmax(outputs, sequences)
        error = tasks.sequences_error(outputs, sequences)
        assert result["max_error"][i, -1] == pytest.approx(error, abs=1e-6)


def test_initial_weights_are_build_models():
    for seed in (0, 3):
        keras.utils.set_random_seed(seed)
        model = lstm_memory.build_model(5)
        for a, b in zip(
            model.get_weights(),
            epoch_trainer.article_initial_weights(seed, 5, 20),
            strict=True,
        ):
            np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_a_long_sequence_trains_like_the_numpy_reference():
    # The gradient through 600 steps, in a loop over the steps: an unrolled
    # graph of this length took minutes to compile.
    sequences = tasks.marker_sequences(5, 2, 600)
    result = epoch_trainer.train_runs(
        [3], sequences, 5, units=4, epochs=2, update="sequence"
    )
    compare_with_numpy(result, [3], sequences, 5, 2, "sequence")


@pytest.mark.slow
@pytest.mark.parametrize("numerics", list(lstm_memory.NUMERICS))
def test_fast_path_matches_the_tutorial_training_loop(numerics):
    # keras2: the article's hard sigmoid gates and Adam's epsilon 1e-8, in the
    # tutorial's Keras model and in the trainer alike.
    seeds, epochs = [0, 1], 5
    result = epoch_trainer.train_runs(
        seeds, tasks.article_sequences(), 5, epochs=epochs, numerics=numerics
    )
    datasets = [
        lstm_memory.to_lstm_dataset(s, 5) for s in (lstm_memory.SEQ1, lstm_memory.SEQ2)
    ]
    for i, seed in enumerate(seeds):
        keras.utils.set_random_seed(seed)
        model = lstm_memory.build_model(5, numerics=numerics)
        lstm_memory.train(model, datasets, epochs)
        initial = epoch_trainer.article_initial_weights(seed, 5, 20)
        for ours, keras_w, start in zip(
            result["weights"][i], model.get_weights(), initial
        ):
            np.testing.assert_allclose(ours, keras_w, atol=2e-6)
            assert not np.allclose(ours, start, atol=1e-4)  # it trained


@pytest.mark.slow
@pytest.mark.parametrize("update", epoch_trainer.UPDATES)
def test_fast_path_matches_numpy_reference(update):
    seqs = tasks.article_sequences()
    result = epoch_trainer.train_runs(
        [2, 9], seqs, 5, units=8, epochs=40, update=update
    )
    compare_with_numpy(result, [2, 9], seqs, 5, 40, update)


@pytest.mark.slow
def test_chunked_training_equals_one_call(monkeypatch):
    # Ctrl-C is answered between compiled calls, so long runs are cut into
    # chunks; the chunks must not change the result, including a short last one.
    seqs = tasks.article_sequences()
    whole = epoch_trainer.train_runs([5], seqs, 5, units=4, epochs=7, update="sequence")
    monkeypatch.setattr(epoch_trainer, "epoch_chunk", lambda epochs, work: 3)  # 3, 3, 1
    chunked = epoch_trainer.train_runs(
        [5], seqs, 5, units=4, epochs=7, update="sequence"
    )
    for a, b in zip(whole["weights"][0], chunked["weights"][0], strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(whole["max_error"], chunked["max_error"])


@pytest.mark.slow
def test_a_diverged_run_fails():
    seqs = tasks.article_sequences()
    result = epoch_trainer.train_runs(
        [0, 1], seqs, 5, units=4, epochs=30, learning_rate=1e30
    )
    assert result["diverged"].all()
    assert not result["correct"][:, -1].any()
    assert not tasks.within(result["max_error"][:, -1]).any()
    # A normal learning rate does not diverge: the flag can be false. (The same
    # shapes reuse the compiled trainer.)
    calm = epoch_trainer.train_runs([0, 1], seqs, 5, units=4, epochs=30)
    assert not calm["diverged"].any()


@pytest.mark.slow
def test_fast_path_learns_the_same_seeds_as_the_script():
    # `python lstm_memory.py --seed N` for N = 0..7 exits 0 1 0 1 1 1 0 0: the
    # seeds that learn both sequences in 250 epochs (docs/extensions.md).
    result = epoch_trainer.train_runs(
        range(8), tasks.article_sequences(), 5, epochs=250
    )
    learned = result["correct"][:, -1].tolist()
    assert learned == [True, False, True, False, False, False, True, True]
