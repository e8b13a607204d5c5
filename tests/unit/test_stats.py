"""The 95% intervals and the tests of two rates (lstm_lab/stats.py), against
published known answers."""

import math
import re

import pytest

import lstm_memory
from lstm_lab import stats


def test_wilson_gives_the_known_answer_for_39_of_100():
    # Wilson's interval for 39 of 100 is 0.300-0.488 (Clopper-Pearson's,
    # wider, is 0.294-0.493).
    low, high = stats.wilson_interval(39, 100)
    assert low == pytest.approx(0.300, abs=5e-4)
    assert high == pytest.approx(0.488, abs=5e-4)
    assert stats.interval_columns(39, 100) == {
        "success_low": 0.3,
        "success_high": 0.488,
    }


@pytest.mark.parametrize("runs", [1, 10, 18, 100])
def test_none_and_all_have_one_bound_at_the_edge(runs):
    z2 = stats.Z_95**2
    # The closed forms at k = 0 and k = n: z^2/(n+z^2) and n/(n+z^2).
    assert stats.wilson_interval(0, runs) == (0.0, pytest.approx(z2 / (runs + z2)))
    assert stats.wilson_interval(runs, runs) == (pytest.approx(runs / (runs + z2)), 1.0)


def test_wilson_is_symmetric_and_holds_the_rate():
    for learned in range(21):
        low, high = stats.wilson_interval(learned, 20)
        mirrored = stats.wilson_interval(20 - learned, 20)
        assert (low, high) == pytest.approx((1 - mirrored[1], 1 - mirrored[0]))
        assert 0 <= low <= learned / 20 <= high <= 1


def test_fisher_gives_published_answers():
    # SciPy's documentation of fisher_exact: [[6, 2], [1, 4]] gives 0.1026.
    assert stats.fisher_exact(6, 8, 1, 5) == pytest.approx(0.10256410256410257)
    # Fisher's lady tasting tea, 3 of 4 cups right: 17/70 one-sided, 34/70 two.
    assert stats.fisher_exact(3, 4, 1, 4) == pytest.approx(34 / 70)
    # The same rates cannot differ; the most extreme table of 5 against 5.
    assert stats.fisher_exact(5, 10, 5, 10) == pytest.approx(1.0)
    assert stats.fisher_exact(5, 5, 0, 5) == pytest.approx(2 / math.comb(10, 5))


def test_fisher_is_the_sum_over_tables_no_more_likely():
    # An independent count: enumerate the tables with the same margins.
    a, n, b, m = 23, 100, 39, 100
    total = a + b

    def prob(k):
        return math.comb(n, k) * math.comb(m, total - k) / math.comb(n + m, total)

    seen = prob(a)
    expected = sum(prob(k) for k in range(total + 1) if prob(k) <= seen * (1 + 1e-9))
    assert stats.fisher_exact(a, n, b, m) == pytest.approx(expected, rel=1e-9)
    assert stats.fisher_exact(b, m, a, n) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("rates", "words"),
    [
        ((23, 100, 39, 100), "worse (p = 0.021)"),
        ((91, 100, 39, 100), "better (p = 3.6e-15)"),
        ((7, 11, 9, 20), "no difference we can detect (p = 0.46)"),
    ],
)
def test_compare_words_the_answer_by_the_test(rates, words):
    assert stats.compare(*rates) == words


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 4), "got 5 of 4"),
        ((-1, 4), "got -1 of 4"),
        ((0, 0), "got 0 of 0"),
        ((1.0, 4), "learned must be an integer, got 1.0"),
        ((True, 4), "learned must be an integer, got True"),
    ],
)
def test_bad_counts_are_refused_by_name(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        stats.wilson_interval(*args)
    with pytest.raises(ValueError, match=re.escape(message)):
        stats.fisher_exact(*args, 1, 2)


def test_the_command_prints_intervals_and_the_test(capsys):
    assert stats.main(["23/100", "39/100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "23 of 100 (95% interval 16-32%)",
        "39 of 100 (95% interval 30-49%)",
        "23/100 against 39/100: worse (p = 0.021), Fisher's exact test",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["3/1"], "'3/1' is not learned/runs"),
        (["x"], "'x' is not learned/runs"),
        (["1/2", "1/2", "1/2"], "give one or two rates, got 3"),
    ],
)
def test_the_command_refuses_bad_rates_with_status_2(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        stats.main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(("numerics", "learned"), [("keras3", 39), ("keras2", 36)])
def test_the_tutorials_cited_rates_are_their_intervals(numerics, learned):
    # lstm_memory.py imports nothing from the package, so its verdict carries
    # the measured rate and its 95% interval as text: they must be Wilson's.
    line = lstm_memory.verdict([(2, 4, 2, 4, 3)], numerics)
    cited = re.search(
        r"\((\d+) of (\d+) seeds learn it, 95% interval (\d+)-(\d+)%", line
    )
    assert cited, line
    low, high = stats.wilson_interval(learned, 100)
    expected = (learned, 100, round(100 * low), round(100 * high))
    assert tuple(int(group) for group in cited.groups()) == expected


def test_the_permutation_test_estimates_the_exact_answer():
    # Of the 20 ways to split 1..6 into two threes, 2 have means 3 apart (the
    # samples' own split and its mirror): p = 2/20 exactly.
    p = stats.permutation_test([1, 2, 3], [4, 5, 6])
    assert abs(p - 0.1) < 0.005
    assert stats.permutation_test([1, 2, 3], [4, 5, 6]) == p  # seeded
    assert stats.permutation_test([5, 5], [5, 5, 5], rounds=100) == 1.0
    far = stats.permutation_test(range(20), range(100, 120), rounds=10_000)
    assert far == 1 / 10_001  # no other deal is as far apart


@pytest.mark.parametrize(
    ("a", "b", "rounds", "message"),
    [([], [1], 10, "each sample"), ([1], [2], 0, "rounds")],
)
def test_the_permutation_test_refuses_what_it_cannot_test(a, b, rounds, message):
    with pytest.raises(ValueError, match=message):
        stats.permutation_test(a, b, rounds=rounds)
