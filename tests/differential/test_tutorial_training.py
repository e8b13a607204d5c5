"""The tutorial's `train` against the article's own loop of `fit` calls.

`lstm_memory.train` makes one `train_on_batch` call per time step instead of
the article's `fit(X, y, epochs=1, batch_size=1, shuffle=False)` per sequence
(change 4 in its docstring). These tests hold it to the article's loop, the
`article_fit_loop` fixture of tests/conftest.py: the same weights, and the same
losses as `fit`'s history reports.
"""

import keras
import numpy as np
import pytest

import lstm_memory


def trained_weights(seed, loop, datasets, epochs=3):
    keras.utils.set_random_seed(seed)
    model = lstm_memory.build_model(5)
    loop(model, datasets, epochs)
    return model.get_weights()


@pytest.mark.slow
def test_train_gives_the_weights_of_the_article_fit_loop(
    article_fit_loop, article_datasets
):
    ours = trained_weights(7, lstm_memory.train, article_datasets)
    article = trained_weights(7, article_fit_loop, article_datasets)
    for a, b in zip(ours, article, strict=True):
        np.testing.assert_array_equal(a, b)
    # And training did something: the weights moved from their initial values.
    keras.utils.set_random_seed(7)
    initial = lstm_memory.build_model(5).get_weights()
    assert not np.array_equal(initial[0], ours[0])


@pytest.mark.slow
def test_same_seed_same_weights_other_seed_differs(article_datasets):
    a = trained_weights(3, lstm_memory.train, article_datasets, epochs=2)
    b = trained_weights(3, lstm_memory.train, article_datasets, epochs=2)
    c = trained_weights(4, lstm_memory.train, article_datasets, epochs=2)
    for wa, wb in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a[0], c[0])


def test_on_epoch_end_gets_mean_loss_of_each_sequence(
    article_fit_loop, article_datasets
):
    # The reference: the loss that each of the article's `fit` calls reports,
    # Keras's own mean over that sequence's steps, each step's loss taken
    # before its update. With the same seed both loops give the same weights
    # at every step, so the losses must agree to float32 rounding (Keras
    # averages in float32, `train` in Python floats).
    epochs = 2
    keras.utils.set_random_seed(0)
    expected = article_fit_loop(
        lstm_memory.build_model(5, units=3), article_datasets, epochs
    )

    keras.utils.set_random_seed(0)
    model = lstm_memory.build_model(5, units=3)
    seen = []
    lstm_memory.train(
        model,
        article_datasets,
        epochs,
        on_epoch_end=lambda epoch, losses: seen.append((epoch, list(losses))),
    )

    assert [epoch for epoch, _ in seen] == list(range(epochs))
    got = np.array([losses for _, losses in seen])
    assert got.shape == (epochs, len(article_datasets))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=0)
    # The check is sharper than what it tells apart: the two sequences'
    # losses, and one epoch's from the next, differ by far more than rtol.
    expected = np.array(expected)
    assert np.abs(np.diff(expected, axis=1)).min() > 100 * 1e-6 * expected.max()
    assert np.abs(np.diff(expected, axis=0)).min() > 100 * 1e-6 * expected.max()
