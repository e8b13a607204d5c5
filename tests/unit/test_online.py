"""The on-line protocol driver and the screening, with fake trainers that train nothing."""

import numpy as np
import pytest

from lstm_lab import checks, online, tasks


class FakeTrainer(online.Trainer):
    """Passes run r at its first judgement at or after pass_at[r] sequences; records every call.

    Runs in `nan_at` have non-finite weights from that many sequences on;
    runs in `inf_outputs` give non-finite outputs in every judgement.
    """

    def __init__(self, pass_at, nan_at=None, inf_outputs=(), judgeable=None):
        self.pass_at, self.nan_at = pass_at, nan_at or {}
        self.inf_outputs, self.only = set(inf_outputs), judgeable
        self.trained, self.judged, self.calls = [], [], []

    def start(self, seeds):
        self.calls.append(("start", list(seeds)))
        self.done = 0

    def train_chunk(self, rngs, active, n):
        self.calls.append(("train", n))
        self.trained.append(np.flatnonzero(active).tolist())
        for r in np.flatnonzero(active):
            rngs[r].integers(10, size=n)  # draws from the run's own stream
        self.done += n
        return np.array(
            [self.done < self.nan_at.get(r, np.inf) for r in range(len(active))]
        )

    def judge(self, runs, rngs):
        self.calls.append(("judge", self.done))
        self.judged.append(runs.tolist())
        passed = np.array([self.done >= self.pass_at[r] for r in runs])
        not_finite = np.array([r in self.inf_outputs for r in runs])
        return passed & ~not_finite, not_finite

    def judgeable(self, active):
        return active if self.only is None else active & self.only

    def details(self):
        return {"calls": len(self.calls)}


def test_runs_are_counted_at_their_first_passing_judgement_and_stop():
    method = FakeTrainer(pass_at=[30, 10, 10**9])
    outcome = online.train_online(method, [7, 8, 9], 100, 20)
    assert outcome.counts == [40, 20, None]
    assert outcome.sequences.tolist() == [40, 20, 100]  # a passed run stops training
    assert not outcome.diverged.any()
    assert method.trained[:3] == [[0, 1, 2], [0, 2], [2]]
    assert [c for c in method.calls if c[0] == "judge"][-1] == ("judge", 100)
    assert outcome.details == {"calls": len(method.calls)}


def test_a_budget_that_is_not_a_multiple_of_judge_every_ends_without_a_judgement():
    method = FakeTrainer(pass_at=[50])
    outcome = online.train_online(method, [0], 50, 20)
    assert [c for c in method.calls if c[0] == "train"] == [("train", 20)] * 2 + [
        ("train", 10)
    ]
    assert outcome.counts == [None]  # no judgement after the last 10
    assert outcome.sequences.tolist() == [50]


def test_the_one_after_judgement_rule_stops_diverged_runs():
    # Run 0's weights stop being finite after 40 sequences; run 1's outputs
    # are not finite at its judgements. Both fail, are marked diverged, and stop.
    method = FakeTrainer(pass_at=[0, 0, 60], nan_at={0: 40}, inf_outputs=[1])
    outcome = online.train_online(method, range(3), 200, 20)
    assert outcome.counts == [20, None, 60]
    assert outcome.diverged.tolist() == [False, True, False]
    assert outcome.sequences.tolist() == [20, 20, 60]
    nan_late = FakeTrainer(pass_at=[10**9, 10**9], nan_at={0: 40})
    outcome = online.train_online(nan_late, range(2), 100, 20)
    assert outcome.diverged.tolist() == [True, False]
    assert outcome.sequences.tolist() == [40, 100]


def test_only_judgeable_runs_are_judged_and_progress_follows_training():
    method = FakeTrainer(pass_at=[0, 0], judgeable=np.array([False, True]))
    seen = []
    outcome = online.train_online(method, [0, 1], 60, 20, progress=seen.append)
    assert method.judged == [[1]] and outcome.counts == [None, 20]
    assert seen == [20, 40, 60]


def test_each_run_has_its_own_training_and_test_streams():
    class Recorder(FakeTrainer):
        def train_chunk(self, rngs, active, n):
            self.draws = [rngs[r].integers(1000, size=3).tolist() for r in range(2)]
            return np.ones(len(active), bool)

        def judge(self, runs, rngs):
            self.test_draws = [rngs[r].integers(1000, size=3).tolist() for r in runs]
            return np.ones(len(runs), bool), np.zeros(len(runs), bool)

    method = Recorder(pass_at=[0, 0])
    online.train_online(method, [5, 6], 1, 1)
    for seed, draws, test_draws in zip(
        [5, 6], method.draws, method.test_draws, strict=True
    ):
        assert draws == tasks.stream(seed, "train").integers(1000, size=3).tolist()
        assert test_draws == tasks.stream(seed, "test").integers(1000, size=3).tolist()
        assert draws != test_draws


@pytest.mark.parametrize(
    ("seeds", "budget", "every", "message"),
    [
        ([], 10, 1, "need at least one seed"),
        ([-1], 10, 1, r"seeds must be in 0\.\.2\*\*32-1, got -1"),
        ([1.5], 10, 1, "seed must be an integer, got 1.5"),
        ([0], 0, 1, "max_sequences must be at least 1, got 0"),
        ([0], 5, -2, "judge_every must be at least 1, got -2"),
        ([0], True, 1, "max_sequences must be an integer, got True"),
    ],
)
def test_bad_arguments_are_refused_before_anything_trains(
    seeds, budget, every, message
):
    method = FakeTrainer(pass_at=[0])
    with pytest.raises(ValueError, match=message):
        online.train_online(method, seeds, budget, every)
    assert method.calls == []


def test_check_seeds_returns_ints():
    assert checks.check_seeds(np.arange(3)) == [0, 1, 2]


def test_record_judgement():
    counts = [None] * 4
    active = np.ones(4, dtype=bool)
    diverged = np.zeros(4, dtype=bool)
    runs = np.array([1, 2, 3])  # run 0 was not judged
    passed = np.array([True, False, False])
    not_finite = np.array([False, True, False])
    online.record_judgement(40, runs, passed, not_finite, counts, active, diverged)
    assert counts == [None, 40, None, None]
    assert active.tolist() == [True, False, False, True]
    assert diverged.tolist() == [False, False, True, False]


# The screening: its streams end where judging one run at a time ends.


def sequential_judgement(rng, n_test, first, rest, fails):
    """One run at a time: parts of `first`, then `rest`, until one fails."""
    judged, size = 0, first
    while judged < n_test:
        n = min(size, n_test - judged)
        if fails(rng.integers(0, 5000, n)).any():
            return False
        judged, size = judged + n, rest
    return True


def test_screen_leaves_each_stream_where_the_sequential_judgement_does():
    # A stand-in for a network: a "sequence" (one number) fails when it is 0,
    # about 1 in 5,000, so some runs fail in the first part, some later, some never.
    def fails(values):
        return values == 0

    n, n_test, first, rest = 24, 3000, 100, 700
    rngs = tasks.streams(range(n), "test")
    references = tasks.streams(range(n), "test")

    def draw(run_ids, k):
        return np.stack([rngs[r].integers(0, 5000, k) for r in run_ids])

    def judge(which, values):
        return np.where(fails(values), 1.0, 0.0).max(axis=1)

    runs = np.arange(n)
    for _ in range(3):  # consecutive judgements continue each stream
        passed, not_finite = online.screen(draw, judge, runs, n_test, first, rest, 0.5)
        expected = [
            sequential_judgement(r, n_test, first, rest, fails) for r in references
        ]
        assert passed.tolist() == expected
        assert not not_finite.any()
        for ours, theirs in zip(rngs, references, strict=True):
            assert ours.bit_generator.state == theirs.bit_generator.state
    assert 0 < sum(expected) < n  # both outcomes occurred


def test_screen_flags_non_finite_outputs():
    def judge(which, values):
        return np.where(which == 1, np.inf, 0.0)

    passed, not_finite = online.screen(
        lambda run_ids, k: np.zeros((len(run_ids), k)),
        judge,
        np.array([4, 7]),
        10,
        5,
        5,
        0.25,
    )
    assert passed.tolist() == [True, False] and not_finite.tolist() == [False, True]


def test_padding_keeps_the_data_and_buckets_the_rows():
    sequences = np.arange(12).reshape(3, 2, 2)
    padded = online.pad_sequences(sequences, 4)
    assert padded.shape == (3, 4, 2)
    np.testing.assert_array_equal(padded[:, :2], sequences)
    np.testing.assert_array_equal(padded[:, 2], sequences[:, 0])
    rows, more = online.pad_runs(np.array([5, 2, 9]), sequences, 16)
    assert rows.tolist() == [5, 2, 9, 5] and more.shape == (4, 2, 2)
    assert online.bucket(5, 16) == 8 and online.bucket(5, 6) == 6
