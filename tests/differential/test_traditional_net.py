"""The traditional net's compiled trainers (lstm_lab/traditional_net.py)
against the NumPy reference (lstm_lab/references/numpy_traditional.py): the
same weights after the same sequences, by RTRL and by BPTT, at two lags, and
the same outputs when judged."""

import numpy as np
import pytest

from lstm_lab import regimes, tasks, traditional_net
from lstm_lab.references import numpy_traditional as reference

SEEDS = [0, 5, 11]


def as_reference(weights, run):
    """Run `run`'s stacked trainer weights in the reference's layout."""
    w = {k: np.asarray(v[run], dtype=np.float64) for k, v in weights.items()}
    V = np.append(w["w_ih"], w["w_hh"])
    W = np.concatenate([w["w_io"].T, w["w_ho"][:, None]], axis=1)
    return {"V": V, "W": W}


def trained_trainer(method, lag, rate, n_sequences, chunks):
    settings = regimes.SettingsRTRL(learning_rate=rate)
    trainer = traditional_net.TrainerTraditional(method, lag, settings)
    trainer.start(SEEDS)
    rngs = tasks.streams(SEEDS, "train")
    active = np.ones(len(SEEDS), dtype=bool)
    for _ in range(chunks):
        trainer.train_chunk(rngs, active, n_sequences)
    return trainer


SLOW = pytest.mark.slow  # another lag compiles another trainer


@pytest.mark.parametrize("method", ["rtrl", "bptt"])
@pytest.mark.parametrize(
    ("lag", "rate"),
    [(4, 10.0), pytest.param(10, 1.0, marks=SLOW), pytest.param(100, 1.0, marks=SLOW)],
)
def test_trainer_matches_the_numpy_reference(method, lag, rate):
    trainer = trained_trainer(method, lag, rate, n_sequences=15, chunks=2)
    fixed = tasks.lag_sequences(lag)
    for run, seed in enumerate(SEEDS):
        rng = tasks.stream(seed, "train")
        sequences = [s for _ in range(2) for s in tasks.draw_task(rng, "2a", fixed, 15)]
        want = reference.train(method, lag, seed, rate, sequences)
        got = as_reference(trainer.weights, run)
        start = reference.paper_initial_weights(lag, seed)
        assert not np.allclose(want["W"], start["W"], atol=1e-3)  # it moved
        for k in want:
            np.testing.assert_allclose(
                got[k], want[k], atol=2e-4, rtol=1e-4
            )  # float32 against float64


def test_a_finished_run_does_not_change():
    trainer = trained_trainer("rtrl", 4, 1.0, n_sequences=15, chunks=1)
    before = {k: v.numpy() for k, v in trainer.weights.items()}
    active = np.array([True, False, True])
    trainer.train_chunk(tasks.streams(SEEDS, "train"), active, 15)
    for k, v in trainer.weights.items():
        np.testing.assert_array_equal(v.numpy()[1], before[k][1])
        assert not np.array_equal(v.numpy()[0], before[k][0])


def test_the_judged_outputs_are_the_reference_outputs():
    trainer = trained_trainer("bptt", 4, 10.0, n_sequences=15, chunks=1)
    outputs = trainer.outputs()
    for run in range(len(SEEDS)):
        for i, sequence in enumerate(tasks.lag_sequences(4)):
            want, _ = reference.forward(as_reference(trainer.weights, run), sequence)
            np.testing.assert_allclose(outputs[run, i], want, atol=1e-5)


def test_the_judgement_is_every_output_within_a_quarter():
    trainer = trained_trainer("rtrl", 4, 10.0, n_sequences=15, chunks=1)
    outputs = trainer.outputs()
    targets = np.eye(5)[tasks.lag_sequences(4)[:, 1:]]
    worst = np.abs(outputs - targets).max(axis=(1, 2, 3))
    passed, not_finite = trainer.judge(np.arange(3), None)
    np.testing.assert_array_equal(passed, worst < 0.25)
    assert not not_finite.any()


@pytest.mark.slow
def test_rtrl_learns_the_articles_lag_at_learning_rate_10():
    # Seed 7 learned after 266,000 sequences in docs/paper/baselines.md's row.
    settings = regimes.SettingsRTRL(learning_rate=10.0, max_sequences=300_000)
    outcome = traditional_net.train_traditional([7], "rtrl", 4, settings)
    assert outcome.counts[0] is not None and outcome.counts[0] <= 300_000
    assert not outcome.diverged[0]
