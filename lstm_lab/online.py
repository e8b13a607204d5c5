"""
Title: The on-line protocol: every run trained side by side until it meets the criterion
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/29
Description: The one driver behind the three on-line trainers of the 1997
    paper's tasks (modern 2a/2b, modern 2c and the 1997 method), and the
    screening judgement that they share.

## The protocol

Hochreiter & Schmidhuber (1997) trained on-line: one fresh random sequence,
then a weight update, over and over, and counted the training sequences until
the net met the success criterion on fresh test sequences. Here every run of a
configuration (one per seed) trains side by side, and the driver owns what is
common to every method:

- the seeds, and two random streams per run, `tasks.stream(seed, "train")`
  for the training sequences and `tasks.stream(seed, "test")` for the test
  sequences, so that the training sequences do not depend on how often the
  net is judged;
- the budget: after `max_sequences` training sequences a run that has not met
  the criterion has failed;
- a judgement after every `judge_every` sequences; a run that passes is counted at
  that number of sequences and stops changing;
- divergence: a run whose weights, or whose outputs when judged, are not finite
  has diverged; it fails and stops at once, since gradient steps cannot bring
  NaN weights back (`record_judgement` is the one rule after a judgement);
- progress, called after every compiled call so that Ctrl-C is answered
  within one call.

A method supplies what differs: its initial weights, one compiled call that
trains every active run on `judge_every` sequences, and one judgement. See
`Trainer`.
"""

import dataclasses
import time

import numpy as np

from lstm_lab import checks, tasks

# The screening's parts, per run: the first part, then each later one.
FIRST_PART = 100
REST_PART = 1_000


class Trainer:
    """What a training method supplies to `train_online`; override the first three.

    `rngs` are every run's streams, indexed by run; `active` and `runs` are
    per run (bool mask and index array).
    """

    def start(self, seeds):
        """Set every run's initial weights."""
        raise NotImplementedError

    def train_chunk(self, rngs, active, n):
        """Draw n sequences per active run from its stream and train on them,
        one update per sequence; inactive runs do not change. Returns a bool
        array (runs,): whether each run's weights are all finite."""
        raise NotImplementedError

    def judge(self, runs, rngs):
        """The criterion for `runs`: (passed, not_finite), bool arrays over them."""
        raise NotImplementedError

    def judgeable(self, active):
        """Which runs to judge (default: every active one)."""
        return active

    def after_train(self, done, active):
        """Called after each compiled call, before the judgement (the 1997
        method adds its cell here, by the plateau rule)."""

    def after_judge(self, active):
        """Called at the end of each round, after the judgement and the progress
        (the 2a/2b trainer drops its finished runs from the stack here)."""

    def details(self):
        """What else the method returns, per run (a dict of lists)."""
        return {}


@dataclasses.dataclass
class Outcome:
    """What `train_online` returns, per run."""

    counts: list  # training sequences at the first passing judgement, or None
    diverged: np.ndarray  # bool: weights or outputs were not finite
    sequences: np.ndarray  # int: training sequences each run trained on
    details: dict  # what else the method returns (Trainer.details)
    seconds: dict  # wall time of the "train" and the "judge" calls, compiling included


def record_judgement(done, runs, passed, not_finite, counts, active, diverged):
    """After a judgement of `runs`, in place: a run that passed counts `done`
    sequences and stops changing; one whose outputs are not finite has
    diverged, fails, and stops too."""
    diverged[runs[not_finite]] = True
    for r in runs[passed]:
        counts[r] = done
    active[runs[passed | not_finite]] = False


def train_online(trainer, seeds, max_sequences, judge_every, progress=None):
    """Train one net per seed with `trainer` until each meets its criterion.

    `progress(sequences_done)` is called after every compiled call.
    """
    seeds = checks.check_seeds(seeds)
    checks.check_budget(max_sequences, judge_every)
    n_runs = len(seeds)
    train_rngs = tasks.streams(seeds, "train")
    test_rngs = tasks.streams(seeds, "test")
    trainer.start(seeds)
    counts = [None] * n_runs
    diverged = np.zeros(n_runs, dtype=bool)
    trained = np.zeros(n_runs, dtype=int)
    active = np.ones(n_runs, dtype=bool)
    done = 0
    seconds = {"train": 0.0, "judge": 0.0}
    while active.any() and done < max_sequences:
        n = min(judge_every, max_sequences - done)
        start = time.perf_counter()
        finite = np.asarray(trainer.train_chunk(train_rngs, active.copy(), n))
        seconds["train"] += time.perf_counter() - start
        done += n
        trained[active] = done
        diverged |= active & ~finite
        active &= ~diverged
        trainer.after_train(done, active)
        # A budget that is not a multiple of judge_every ends without a judgement.
        if done % judge_every == 0:
            runs = np.flatnonzero(trainer.judgeable(active))
            if runs.size:
                start = time.perf_counter()
                passed, not_finite = trainer.judge(runs, test_rngs)
                seconds["judge"] += time.perf_counter() - start
                record_judgement(
                    done, runs, passed, not_finite, counts, active, diverged
                )
        if progress is not None:
            progress(done)
        trainer.after_judge(active)
    return Outcome(counts, diverged, trained, trainer.details(), seconds)


"""
## The screening

The criterion needs every one of 10,000 fresh sequences right. Early in
training nearly every run fails on its first few sequences, so judging all
10,000 for every run would waste most of the work. `screen` judges a first
part for every run at once and the rest, part by part, only for the runs that
have passed so far. Each run draws its parts from its own stream in the same
order as a judgement of one run at a time would, and stops drawing where that
one would stop, so the streams, and so the later judgements, do not depend on
how the runs are batched.
"""


def screen(draw, judge, runs, n_test, first, rest, threshold):
    """Whether each of `runs` is within `threshold` on n_test fresh sequences.

    draw(run_ids, n): the next n test sequences of each run, (len, n, W).
    judge(which, sequences): the worst error of each run `runs[which]` over
    its sequences, (len(which),). first and rest: sequences per run in the
    first part and in each later one. A shorter last part is padded to the
    part's size (`pad_sequences`), so a judge compiles one shape per part
    size. Returns (passed, not_finite).
    """
    passed = np.ones(len(runs), dtype=bool)
    not_finite = np.zeros(len(runs), dtype=bool)
    going = np.arange(len(runs))
    judged, size = 0, first
    while going.size and judged < n_test:
        n = min(size, n_test - judged)
        sequences = pad_sequences(draw(runs[going], n), size)
        worst = np.asarray(judge(going, sequences))
        not_finite[going] |= np.isinf(worst)
        passed[going] = worst < threshold
        going = going[passed[going]]
        judged, size = judged + n, rest
    return passed, not_finite


def probe_first(worst, runs, sequences, probe, threshold):
    """Each run's worst error over its sequences (R, n, W), judging the first
    `probe` sequences of every run first and the rest only for the runs
    within `threshold` on them.

    Early in training nearly every run fails within a few sequences, so this
    is the same verdict as judging all n, for a fraction of the steps.
    worst(runs, sequences) judges any subset of the runs.
    """
    errors = np.array(worst(runs, sequences[:, :probe]))
    ok = np.flatnonzero(errors < threshold)
    if ok.size and sequences.shape[1] > probe:
        errors[ok] = np.maximum(errors[ok], worst(runs[ok], sequences[ok, probe:]))
    return errors


def pad_sequences(sequences, size):
    """(R, n, W) sequences as (R, size, W), repeating each run's first sequence:
    one compiled shape, and a repeated sequence does not change a worst error."""
    extra = size - sequences.shape[1]
    if extra <= 0:
        return sequences
    return np.concatenate([sequences, np.repeat(sequences[:, :1], extra, axis=1)], 1)


def bucket(n, limit):
    """n rounded up to a power of two (at most `limit`): few shapes, few compiles."""
    return min(limit, 1 << (n - 1).bit_length())


def pad_runs(rows, sequences, limit):
    """Stack rows (R,) and their sequences (R, ...) padded to a bucketed number
    of rows by repeating the first, whose results the caller drops."""
    extra = bucket(len(rows), limit) - len(rows)
    rows = np.concatenate([rows, np.repeat(rows[:1], extra)]).astype(np.int32)
    return rows, np.concatenate([sequences, np.repeat(sequences[:1], extra, axis=0)])
