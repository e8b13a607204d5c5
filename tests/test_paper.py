"""Tests for paper.py: the table beside the paper's, the article-regime rows, refusals."""

import json

import pytest

import paper
import paper_model as pm
import stacked


@pytest.mark.slow
def test_article_regime_misses_the_criterion_at_p_5_although_it_trains():
    counts, diverged = paper.article_regime_counts(range(2), 5, 200, 20, None)
    assert counts == [None, None] and not diverged.any()
    # Positive control: the same runs, judged on the steps that need no
    # memory, have learned them, so training happened.
    result = stacked.train_runs(
        range(2),
        paper.tasks.lag_sequences(5),
        6,
        epochs=10,
        orders=paper.article_regime_orders(range(2), 200, 20),
        eval_steps=[0, 1, 2, 3],
    )
    assert result["correct"][:, -1].all()
    assert not result["correct"][:, 0].any()  # and they had not at the start


@pytest.mark.slow
def test_paper_table(capsys):
    argv = ["--lag", "5", "--seeds", "2", "--max-sequences", "1000"]
    argv += ["--article-lags", "5", "--article-budget", "40", "--format", "json"]
    assert paper.main(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    ours = [r for r in rows if r["source"] == "ours"]
    theirs = [r for r in rows if r["source"] == "paper"]
    assert len(theirs) == len(paper.PAPER_TABLE)
    assert [(r["task"], r["lag"], r["runs"]) for r in ours] == [
        ("2a", 5, 2),
        ("2b", 5, 2),
        ("2a", 5, 2),
    ]
    # Seeds 0 and 1 learn 2a after 380 and 420 sequences, 2b after 60 and 80
    # (train_paper_run, checked every 20).
    expected = [pm.train_paper_run(s, "2a", 5, max_sequences=1000) for s in (0, 1)]
    assert ours[0]["mean_sequences"] == sum(expected) / 2
    assert ours[0]["learned"] == 2 and ours[0]["success_rate"] == 1.0
    assert ours[1]["learned"] == 2
    assert ours[2]["learned"] == 0 and ours[2]["budget"] == 40
    lstm_2a = [r for r in theirs if r["method"] == "LSTM" and r["task"] == "2a"]
    assert (
        lstm_2a[0]["mean_sequences"] == 5040
        and lstm_2a[0]["runs"] == paper.PAPER_TRIALS
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--task", "2a,2d"], "unknown value '2d'"),
        (["--task", "2a,2a"], "'2a' is repeated"),
        (["--lag", "100,1"], "at least 2, got 1"),
        (["--article-lags", "1"], "at least 2, got 1"),
        (["--lr", "0"], "must be a positive number, got 0"),
        (["--lr", "0.1,0.2"], "'0.1,0.2' is not a number"),
        (["--max-sequences", "0"], "must be at least 1, got 0"),
        (["--forget-bias", "nan"], "must be a finite number, got nan"),
        (["--input-bias", "x"], "'x' is not a number"),
        (["--first-seed", "4294967296"], "must be at most 2**32-1"),
        (["--epochs", "5"], "unrecognized arguments"),
        (["--lag", "100000"], "weights, over 1 GiB"),
        (
            ["--lag", "1000", "--units", "64", "--max-sequences", "1000000"],
            "the limit is 1e+15",
        ),
    ],
)
def test_bad_paper_options_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        paper.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
