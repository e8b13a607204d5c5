"""
Title: How sure a rate is: 95% intervals and tests of two rates
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/12/07
Description: The Wilson score interval of a success rate, Fisher's exact test
    of two rates, a permutation test of two means, and the words a comparison
    is reported in.

## Introduction

Whether a run learns depends on its seed, so a rate over 100 seeds is an
estimate: 39 of 100 could come from a true rate of 30% or of 49%. Every table
gives each rate a 95% interval (`success_low`, `success_high`), and every
comparison of two rates in the docs gives a two-sided test and its p-value.

- **The interval is Wilson's score interval.** It has a closed form, stays
  inside [0, 1], and gives a sensible interval at 0 of n and n of n, where the
  textbook p ± 1.96·sqrt(p(1-p)/n) collapses to a single point. Over the true
  rates, its coverage is close to 95% on average; Clopper-Pearson's "exact"
  interval guarantees at least 95% everywhere, and pays for it by being wider
  (for 39 of 100: 0.294-0.493, against Wilson's 0.300-0.488). We want the
  likely range, not the most cautious one.
- **The test is Fisher's exact test**, two-sided: the probability, given both
  rows' totals, of a table at most as likely as the one seen. It needs no
  large-sample approximation, so it holds for 7 of 11 as for 39 of 100. Its
  probabilities are ratios of binomial coefficients, computed here exactly
  with Python's integers: a few lines, and no SciPy to install.

    python -m lstm_lab.stats 23/100 39/100   # two rates, their intervals and the test
    python -m lstm_lab.stats 39/100          # one rate and its interval
"""

import argparse
import fractions
import math
import sys

import numpy as np

from lstm_lab import checks

# The normal quantile of 97.5%: a two-sided 95% interval.
Z_95 = 1.959963984540054
SIGNIFICANCE = 0.05


def check_counts(learned, runs):
    """Raise ValueError unless 0 <= learned <= runs and runs >= 1, all integers."""
    checks.check_int(learned, "learned")
    checks.check_int(runs, "runs")
    if runs < 1 or not 0 <= learned <= runs:
        raise ValueError(
            f"need 0 <= learned <= runs and runs >= 1, got {learned} of {runs}"
        )


def wilson_interval(learned, runs, z=Z_95):
    """The Wilson score interval (low, high) of the rate learned/runs."""
    check_counts(learned, runs)
    rate = learned / runs
    centre = (rate + z * z / (2 * runs)) / (1 + z * z / runs)
    half = (
        z
        / (1 + z * z / runs)
        * math.sqrt(rate * (1 - rate) / runs + z * z / (4 * runs**2))
    )
    # At 0 of n and n of n the bound is exactly 0 or 1; rounding must not move it.
    low = 0.0 if learned == 0 else max(0.0, centre - half)
    high = 1.0 if learned == runs else min(1.0, centre + half)
    return low, high


def interval_columns(learned, runs):
    """The table's `success_low` and `success_high`, rounded to 3 decimals."""
    low, high = wilson_interval(learned, runs)
    return {"success_low": round(low, 3), "success_high": round(high, 3)}


def fisher_exact(learned_a, runs_a, learned_b, runs_b):
    """Two-sided p-value of Fisher's exact test: do two rates differ?

    With both rows' totals fixed, the count in the first row follows the
    hypergeometric distribution; the p-value adds the probabilities of every
    table no more likely than the one seen. The probabilities are exact
    fractions, so "no more likely" needs no tolerance.
    """
    check_counts(learned_a, runs_a)
    check_counts(learned_b, runs_b)
    learned = learned_a + learned_b

    def weight(k):  # the probability of k in the first row, times comb(n, learned)
        return math.comb(runs_a, k) * math.comb(runs_b, learned - k)

    seen = weight(learned_a)
    possible = range(max(0, learned - runs_b), min(learned, runs_a) + 1)
    total = sum(w for w in map(weight, possible) if w <= seen)
    return float(fractions.Fraction(total, math.comb(runs_a + runs_b, learned)))


def compare(learned_a, runs_a, learned_b, runs_b):
    """Rate a against rate b, in words worded by the test: "worse (p = 0.02)"."""
    p = fisher_exact(learned_a, runs_a, learned_b, runs_b)
    if p >= SIGNIFICANCE:
        return f"no difference we can detect (p = {p:.2g})"
    better = learned_a / runs_a > learned_b / runs_b
    return f"{'better' if better else 'worse'} (p = {p:.2g})"


def permutation_test(a, b, rounds=100_000, seed=0):
    """Two-sided p-value of a permutation test: do two samples' means differ?

    Of every way to deal the pooled values into groups of len(a) and len(b),
    the share whose means differ at least as much as the samples' do,
    estimated from `rounds` random deals (seeded: the same p every time) and
    counting the samples' own deal, so that p is never 0. It assumes nothing
    of the values' distribution, such as the sequences until success, which
    are skewed.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.size < 1 or b.size < 1:
        raise ValueError(f"each sample needs a value, got {a.size} and {b.size}")
    rounds = checks.check_int(rounds, "rounds")
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    pooled = np.concatenate([a, b])
    seen = abs(a.mean() - b.mean())
    rng = np.random.default_rng(seed)
    deals = rng.permuted(np.tile(pooled, (rounds, 1)), axis=1)
    gaps = np.abs(deals[:, : a.size].mean(1) - deals[:, a.size :].mean(1))
    # A tolerance for the sums' rounding: a deal as far apart as the samples
    # must count however its mean was summed.
    at_least = np.count_nonzero(gaps >= seen - 1e-9 * max(1.0, seen))
    return (at_least + 1) / (rounds + 1)


def describe(learned, runs):
    """A rate with its interval: "39 of 100 (95% interval 30-49%)"."""
    low, high = wilson_interval(learned, runs)
    return f"{learned} of {runs} (95% interval {100 * low:.0f}-{100 * high:.0f}%)"


def count_pair(text):
    """argparse type: `learned/runs`, e.g. `39/100`."""
    try:
        learned, runs = (int(part) for part in text.split("/"))
        check_counts(learned, runs)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not learned/runs with 0 <= learned <= runs, e.g. 39/100"
        ) from None
    return learned, runs


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m lstm_lab.stats",
        description="A rate's 95% Wilson interval, and with two rates Fisher's "
        "exact two-sided test of the first against the second.",
    )
    parser.add_argument("rates", nargs="+", type=count_pair, metavar="LEARNED/RUNS")
    args = parser.parse_args(argv)
    if len(args.rates) > 2:
        parser.error(f"give one or two rates, got {len(args.rates)}")
    for learned, runs in args.rates:
        print(describe(learned, runs))
    if len(args.rates) == 2:
        (a, n), (b, m) = args.rates
        print(f"{a}/{n} against {b}/{m}: {compare(a, n, b, m)}, Fisher's exact test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
