"""Tests for epoch_trainer.py: the fast path against Keras and against the NumPy reference."""

import keras
import numpy as np
import pytest

import lstm_memory
from lstm_lab import epoch_trainer, estimates, tasks
from lstm_lab.references import numpy_lstm


def test_initial_weights_are_build_models():
    for seed in (0, 3):
        keras.utils.set_random_seed(seed)
        model = lstm_memory.build_model(5)
        for a, b in zip(
            model.get_weights(), epoch_trainer.initial_weights(seed, 5, 20), strict=True
        ):
            np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_fast_path_matches_the_tutorial_training_loop():
    seeds, epochs = [0, 1], 5
    result = epoch_trainer.train_runs(
        seeds, tasks.article_sequences(), 5, epochs=epochs
    )
    datasets = [
        lstm_memory.to_lstm_dataset(s, 5) for s in (lstm_memory.SEQ1, lstm_memory.SEQ2)
    ]
    for i, seed in enumerate(seeds):
        keras.utils.set_random_seed(seed)
        model = lstm_memory.build_model(5)
        lstm_memory.train(model, datasets, epochs)
        initial = epoch_trainer.initial_weights(seed, 5, 20)
        for ours, keras_w, start in zip(
            result["weights"][i], model.get_weights(), initial
        ):
            np.testing.assert_allclose(ours, keras_w, atol=2e-6)
            assert not np.allclose(ours, start, atol=1e-4)  # it trained


@pytest.mark.parametrize(
    "update",
    [
        pytest.param("step", marks=pytest.mark.slow),
        pytest.param("sequence", marks=pytest.mark.slow),
        pytest.param("epoch", marks=pytest.mark.slow),
    ],
)
def test_fast_path_matches_numpy_reference(update):
    seqs = tasks.article_sequences()
    result = epoch_trainer.train_runs(
        [2, 9], seqs, 5, units=8, epochs=40, update=update
    )
    for i, seed in enumerate([2, 9]):
        start = epoch_trainer.initial_weights(seed, 5, 8)
        expected = numpy_lstm.train_numpy(start, seqs, 5, 40, update=update)
        for ours, ref, first in zip(result["weights"][i], expected, start, strict=True):
            np.testing.assert_allclose(ours, ref, atol=1e-5)
            assert not np.allclose(ref, first, atol=1e-3)  # it trained
        outputs = epoch_trainer.evaluate(result["weights"][i], seqs, 5)[1]
        np.testing.assert_allclose(
            outputs, numpy_lstm.evaluate_numpy(expected, seqs, 5)[1], atol=1e-5
        )


@pytest.mark.slow
def test_curves_agree_with_the_criteria_on_final_weights():
    seqs = tasks.article_sequences()
    result = epoch_trainer.train_runs(range(4), seqs, 5, epochs=20, update="sequence")
    assert result["correct"].shape == result["max_error"].shape == (4, 20)
    for i, weights in enumerate(result["weights"]):
        _, outputs = epoch_trainer.evaluate(weights, seqs, 5)
        assert result["correct"][i, -1] == tasks.learned_argmax(outputs, seqs)
        error = tasks.sequences_error(outputs, seqs)
        assert result["max_error"][i, -1] == pytest.approx(error, abs=1e-6)


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


def test_epoch_chunk_bounds_the_work_of_one_call():
    assert epoch_trainer.epoch_chunk(250, 1.0) == 25  # a tenth, for the progress bar
    assert epoch_trainer.epoch_chunk(7, 1.0) == 1
    assert epoch_trainer.epoch_chunk(10**8, epoch_trainer.CALL_WORK / 4) == 4
    assert epoch_trainer.epoch_chunk(10**8, epoch_trainer.CALL_WORK * 10) == 1


def test_epoch_chunk_divides_the_epochs_when_it_can():
    # paper.py's article rows: 252 epochs, 21 at a time (one compile), not 25 + 2.
    assert epoch_trainer.epoch_chunk(252, 1.0) == 21
    # 251 is prime: its divisors are far below the bound, so 25 and a last 1.
    assert epoch_trainer.epoch_chunk(251, 1.0) == 25


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


def test_train_runs_rejects_bad_input():
    with pytest.raises(ValueError, match="update must be one of"):
        epoch_trainer.train_runs([0], tasks.article_sequences(), 5, update="minibatch")
    with pytest.raises(ValueError, match=r"values must be in 0\.\.3"):
        epoch_trainer.train_runs([0], tasks.article_sequences(), 4)
    with pytest.raises(ValueError, match="orders must"):
        epoch_trainer.train_runs(
            [0], tasks.article_sequences(), 5, epochs=2, orders=np.zeros((1, 3, 2))
        )


@pytest.mark.slow
def test_fast_path_learns_the_same_seeds_as_the_script():
    # `python lstm_memory.py --seed N` for N = 0..7 exits 0 1 0 1 1 1 0 0: the
    # seeds that learn both sequences in 250 epochs (docs/extensions.md).
    result = epoch_trainer.train_runs(
        range(8), tasks.article_sequences(), 5, epochs=250
    )
    learned = result["correct"][:, -1].tolist()
    assert learned == [True, False, True, False, False, False, True, True]


def test_estimates_grow_with_the_sizes():
    base = (10, 5, 20, 250, 2, 4, 2)
    small = estimates.epoch_memory(*base)
    assert small < 2**20
    assert estimates.epoch_memory(10, 5, 20, 10**8, 2, 4, 2) > 10 * 2**30
    assert estimates.epoch_memory(10, 5, 10**5, 250, 2, 4, 2) > 10 * 2**30
    assert estimates.epoch_work(10, 5, 20, 2, 4, 2) == 10 * (4 * 20 * 25 + 100) * 4 * 8
