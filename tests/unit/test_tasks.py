"""Unit tests of lstm_lab/tasks.py: the sequence generators and the success criteria."""

import numpy as np
import pytest
import tensorflow as tf

import lstm_memory
from lstm_lab import tasks

# Sequence generators.


def test_marker_sequences_of_the_article():
    np.testing.assert_array_equal(
        tasks.marker_sequences(5, 2, 3), [lstm_memory.SEQ1, lstm_memory.SEQ2]
    )
    np.testing.assert_array_equal(
        tasks.article_sequences(), [lstm_memory.SEQ1, lstm_memory.SEQ2]
    )
    np.testing.assert_array_equal(
        tasks.lag_sequences(4), [lstm_memory.SEQ1, lstm_memory.SEQ2]
    )


@pytest.mark.parametrize(
    ("n_symbols", "k", "middle"), [(5, 2, 3), (10, 3, 3), (6, 4, 7)]
)
def test_marker_sequences_properties(n_symbols, k, middle):
    seqs = tasks.marker_sequences(n_symbols, k, middle)
    assert seqs.shape == (k, middle + 2)
    assert (seqs[:, 0] == seqs[:, -1]).all()  # the last value repeats the first
    assert len(set(seqs[:, 0])) == k  # and differs between sequences
    assert (seqs[:, 1:-1] == seqs[0, 1:-1]).all()  # the middle is shared
    assert seqs.min() >= 0 and seqs.max() < n_symbols
    assert not set(seqs[0, 1:-1]) & set(seqs[:, 0])  # middle never uses a first value


@pytest.mark.parametrize("p", [2, 4, 10, 100])
def test_lag_sequences_are_task_2a(p):
    seqs = tasks.lag_sequences(p)
    assert seqs.shape == (2, p + 1)
    assert seqs.max() == p  # an alphabet of p + 1 symbols
    np.testing.assert_array_equal(seqs[:, 1:-1], [range(p - 1)] * 2)  # a1..a(p-1)
    np.testing.assert_array_equal(seqs[:, 0], [p - 1, p])  # x and y
    np.testing.assert_array_equal(seqs[:, 0], seqs[:, -1])


@pytest.mark.parametrize("p", [1, 0, -3])
def test_lag_below_2_is_refused(p):
    with pytest.raises(ValueError, match=f"at least 2, got {p}"):
        tasks.lag_sequences(p)


@pytest.mark.parametrize(
    ("args", "message"),
    [((3, 3, 3), "3 symbols is too small for 3 sequences"), ((5, 1, 3), "got 1")],
)
def test_marker_sequences_refuse_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        tasks.marker_sequences(*args)


def test_random_pool_and_split():
    rng = np.random.default_rng(0)
    train, test = tasks.split_random_pool(rng, 3, 3, 36, 18)
    assert train.shape == (36, 5) and test.shape == (18, 5)
    both = np.concatenate([train, test])
    assert len({tuple(s) for s in both}) == 54  # all distinct, so disjoint
    assert (both[:, 0] == both[:, -1]).all()
    assert set(both[:, 0]) == {3, 4}
    assert both[:, 1:-1].min() >= 0 and both[:, 1:-1].max() <= 2
    with pytest.raises(ValueError, match="only 54 distinct sequences"):
        tasks.random_sequence_pool(rng, 55, 3, 3)


@pytest.mark.parametrize("p", [2, 5, 100])
def test_task_2a_sequences(p):
    seqs = tasks.task_sequences(np.random.default_rng(0), "2a", p, 2000)
    assert seqs.shape == (2000, p + 1)
    assert seqs.min() >= 0 and seqs.max() == p  # an alphabet of p + 1 symbols
    # Only the paper's two sequences, (x, a1..a(p-1), x) and (y, a1..a(p-1), y).
    assert {tuple(s) for s in seqs} == {tuple(s) for s in tasks.lag_sequences(p)}
    assert 0.45 < np.mean(seqs[:, 0] == p) < 0.55  # each with probability 0.5


def test_task_2b_sequences_have_random_middles():
    p = 10
    seqs = tasks.task_sequences(np.random.default_rng(0), "2b", p, 2000)
    assert seqs.shape == (2000, p + 1)
    np.testing.assert_array_equal(seqs[:, 0], seqs[:, -1])  # first repeated last
    assert set(seqs[:, 0]) == {p - 1, p}  # x or y
    assert 0.45 < np.mean(seqs[:, 0] == p) < 0.55
    middles = seqs[:, 1:-1]
    assert middles.min() == 0 and middles.max() == p - 2  # drawn from a1..a(p-1)
    assert len({tuple(m) for m in middles}) == 2000  # a new middle each time
    # Every symbol is about equally likely at every middle position.
    counts = np.stack([np.bincount(col, minlength=p - 1) for col in middles.T])
    assert counts.min() > 2000 / (p - 1) * 0.6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2z", 5, 1), "task must be one of"),
        (("2a", 1, 1), "at least 2, got 1"),
        (("2b", 5, 0), "at least 1 sequence, got 0"),
    ],
)
def test_task_sequences_refuse_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        tasks.task_sequences(np.random.default_rng(0), *args)


# The criteria, on hand-made outputs.


def one_hot_outputs(sequences, n):
    return np.eye(n)[np.asarray(sequences)[:, 1:]]


def test_argmax_and_paper_criteria():
    seqs = tasks.article_sequences()
    perfect = one_hot_outputs(seqs, 5)
    assert tasks.learned_argmax(perfect, seqs) and tasks.learned_within(perfect, seqs)
    # Right argmax, but 0.7 and 0.2 miss 1 and 0 by 0.3 and 0.2.
    soft = perfect * 0.5 + 0.2
    assert tasks.learned_argmax(soft, seqs)
    assert not tasks.learned_within(soft, seqs)
    assert tasks.sequences_error(soft, seqs) == pytest.approx(0.3)
    close = perfect * 0.6 + 0.2  # 0.8 and 0.2: within 0.25
    assert tasks.learned_within(close, seqs)
    wrong_last = perfect.copy()
    wrong_last[1, -1] = np.eye(5)[3]  # sequence 2 answers 3 on input 2
    assert not tasks.learned_argmax(wrong_last, seqs)
    assert tasks.learned_argmax(wrong_last, seqs, steps=[0, 1, 2])
    assert not tasks.learned_argmax(wrong_last, seqs, steps=[-1])
    assert tasks.learned_within(wrong_last[:1], seqs[:1])
    assert not tasks.learned_within(wrong_last, seqs, steps=[-1])
    assert tasks.learned_within(wrong_last, seqs, steps=[0])
    with pytest.raises(ValueError, match="do not fit"):
        tasks.learned_argmax(perfect[:, :2], seqs)


def test_the_threshold_is_strict():
    seqs = tasks.article_sequences()
    at_threshold = one_hot_outputs(seqs, 5) * 0.5 + 0.25  # 0.75 and 0.25
    assert not tasks.learned_within(at_threshold, seqs)
    assert tasks.learned_within(at_threshold, seqs, threshold=0.2501)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_diverged_outputs_fail_both_criteria(bad):
    seqs = tasks.article_sequences()
    outputs = one_hot_outputs(seqs, 5)
    # Only an unjudged step diverged: still a failure.
    outputs[0, 1, 2] = bad
    assert not tasks.learned_argmax(outputs, seqs, steps=[-1])
    assert not tasks.learned_within(outputs, seqs, steps=[-1])
    assert tasks.sequences_error(outputs, seqs, steps=[-1]) == np.inf
    # All outputs NaN: argmax would pick index 0, the target of the first step.
    nan = np.full_like(outputs, np.nan)
    assert not tasks.learned_argmax(nan, seqs, steps=[0])
    assert not tasks.learned_within(nan, seqs)


def test_criteria_give_the_same_answers_on_tensors():
    # The trainers call the same functions on TensorFlow tensors.
    rng = np.random.default_rng(0)
    seqs = tasks.article_sequences()
    outputs = rng.uniform(size=(2, 4, 5)).astype(np.float32)
    outputs[1, 2, 0] = np.nan
    targets = tasks.one_hot_targets(seqs, 5)
    mask = tasks.step_mask(seqs, [-1])
    for function in (tasks.argmax_right, tasks.max_error):
        on_numpy = np.asarray(function(outputs, targets, mask))
        on_tensors = function(
            tf.constant(outputs), tf.constant(targets), tf.constant(mask)
        )
        np.testing.assert_array_equal(on_numpy, on_tensors.numpy())


def test_step_mask():
    seqs = tasks.article_sequences()
    assert tasks.step_mask(seqs).all() and tasks.step_mask(seqs).shape == (2, 4)
    np.testing.assert_array_equal(
        tasks.step_mask(seqs, [-1]), [[False, False, False, True]] * 2
    )


# Task 2c: one bit across q random distractors, variable lengths.


@pytest.mark.parametrize(("lag", "distractors"), [(1, 3), (5, 5), (50, 20), (30, 100)])
def test_task_2c_definition(lag, distractors):
    seqs = tasks.task_sequences(np.random.default_rng(0), "2c", lag, 2000, distractors)
    layout = tasks.layout_2c(distractors)
    e, b, x, y = layout.trigger, layout.start, layout.x, layout.y
    lengths = tasks.sequence_lengths(seqs)
    assert seqs.shape == (2000, lengths.max()) and lengths.min() >= lag + 4
    for s, n in zip(seqs, lengths, strict=True):
        assert s[0] == b and s[1] in (x, y)
        middle = s[2 : n - 2]  # only distractors, at least `lag` of them
        assert len(middle) >= lag and ((middle >= 0) & (middle < distractors)).all()
        assert s[n - 2] == e and (s[:n] == e).sum() == 1  # e once, second to last
        assert s[n - 1] == s[1]  # the last symbol repeats the second
        assert (s[n:] == tasks.PAD).all()
    in_alphabet = (seqs >= 0) & (seqs < layout.n_symbols)
    assert ((seqs == tasks.PAD) | in_alphabet).all()
    assert set(np.unique(seqs[:, 1])) == {x, y}


def test_the_2c_layout_follows_the_distractors():
    # e, b, x, y after the distractors 0..d-1: the one hot width is d + 4.
    assert tuple(tasks.layout_2c(3)) == (3, 4, 5, 6, 7)
    assert tasks.layout_2c(10).x == 12 and tasks.layout_2c(10).n_symbols == 14
    with pytest.raises(ValueError, match="distractors must be an integer, got 2.5"):
        tasks.layout_2c(2.5)


def test_task_2c_mean_length_is_q_plus_13():
    # The stated procedure gives q + 13: q + 4 symbols, and 9 extra distractors
    # on average before e (the paper prints q + 14).
    q = 10
    seqs = tasks.task_sequences(np.random.default_rng(1), "2c", q, 200_000)
    lengths = tasks.sequence_lengths(seqs)
    assert abs(lengths.mean() - (q + 13)) < 0.1  # the mean's sd is about 0.02
    assert lengths.min() == q + 4
    assert abs((seqs[:, 1] == q + 2).mean() - 0.5) < 0.01
    middle = seqs[:, 2:][(seqs[:, 2:] >= 0) & (seqs[:, 2:] < q)]
    frequencies = np.bincount(middle, minlength=q) / len(middle)
    assert np.abs(frequencies - 1 / q).max() < 0.005  # distractors uniform


def test_task_2c_refuses_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="at least 1, got lag=0"):
        tasks.task_sequences(rng, "2c", 0, 5)
    with pytest.raises(ValueError, match="distractors are for Task 2c, not 2a"):
        tasks.task_sequences(rng, "2a", 5, 5, distractors=3)


def test_task_2c_batches_pad_every_run_to_one_width_per_lag():
    rngs = tasks.streams(range(3), "train")
    references = tasks.streams(range(3), "train")
    batch = tasks.task_2c_batch(rngs, 6, 5, 4, [2, 0])
    assert batch.shape == (2, 4, 6 + 4 + tasks.PAD_TAIL)
    for row, run in zip(batch, [2, 0], strict=True):
        alone = tasks.task_2c_sequences(references[run], 6, 4, 5)
        np.testing.assert_array_equal(row[:, : alone.shape[1]], alone)
        assert (row[:, alone.shape[1] :] == tasks.PAD).all()
    # A sequence longer than the tail gets a wider shape, in steps of the tail.
    assert (
        tasks.padded_width(6, 6 + 4 + tasks.PAD_TAIL + 1) == 6 + 4 + 2 * tasks.PAD_TAIL
    )


# The per-run random streams and the task names.


def test_each_purpose_has_its_own_stream_with_the_draws_of_before():
    # The counts of a seed depend on these draws: [seed, 0] for training,
    # [seed, 1] for testing, as before the streams had a home.
    for seed, purpose, key in ((0, "train", 0), (7, "test", 1), (7, "weights", 2)):
        drawn = tasks.stream(seed, purpose).integers(10**9, size=4)
        reference = np.random.default_rng([seed, key]).integers(10**9, size=4)
        np.testing.assert_array_equal(drawn, reference)
    both = tasks.streams([3, 4], "test")
    assert [r.integers(10**9) for r in both] == [
        tasks.stream(s, "test").integers(10**9) for s in (3, 4)
    ]


def test_check_task_names_the_bad_task_and_the_allowed_ones():
    tasks.check_task("2c")
    tasks.check_task("2b", ("2a", "2b"))
    with pytest.raises(ValueError, match=r"one of \('2a', '2b'\), got '2c'"):
        tasks.check_task("2c", ("2a", "2b"))
