"""paper.py as a user runs it, on small lags: whole tables from real training."""

import json

import pytest

import paper
from lstm_lab import epoch_trainer, regimes, tasks


@pytest.mark.slow
def test_the_default_table_on_a_short_lag(capsys):
    argv = ["--lag", "5", "--seeds", "2", "--max-sequences", "1000"]
    argv += ["--article-lags", "5", "--article-budget", "40", "--format", "json"]
    assert paper.main(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    ours = [r for r in rows if r["source"] == "ours"]
    assert [(r["task"], r["lag"], r["runs"]) for r in ours] == [
        ("2a", 5, 2),
        ("2b", 5, 2),
        ("2a", 5, 2),
    ]
    # Our regime learns a lag of 5 in both tasks; the article's does not in 40.
    assert [r["learned"] for r in ours] == [2, 2, 0]
    every = regimes.Settings2ab.judge_every
    for row in ours[:2]:
        assert 2 * row["mean_sequences"] % every == 0  # counts are check multiples
    assert ours[2]["budget"] == 40


@pytest.mark.slow
def test_task_2c_and_the_1997_method_on_short_lags(capsys):
    argv = ["--method", "modern,1997", "--task", "2c", "--lag", "8", "--seeds", "2"]
    argv += ["--max-sequences", "2000"]
    assert paper.main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ours = [r for r in rows if r["source"] == "ours"]
    assert [r["method"].split(" ")[0] for r in ours] == ["LSTM(8),", "1997"]
    assert ours[0]["learned"] == 2 and [r["budget"] for r in ours] == [2000, 2000]


@pytest.mark.slow
def test_article_regime_misses_the_criterion_at_p_5_although_it_trains():
    counts, diverged = paper.article_regime_counts(range(2), 5, 200, 20, None)
    assert counts == [None, None] and not diverged.any()
    # Positive control: the same runs, judged on the steps that need no
    # memory, have learned them, so training happened.
    result = epoch_trainer.train_runs(
        range(2),
        tasks.lag_sequences(5),
        6,
        epochs=10,
        orders=paper.article_regime_orders(range(2), 200, 20),
        eval_steps=[0, 1, 2, 3],
    )
    assert result["correct"][:, -1].all()
    assert not result["correct"][:, 0].any()  # and they had not at the start


@pytest.mark.slow
def test_an_option_no_configuration_is_for_exits_2_before_training(program):
    # The program as a user runs it; tests/unit/test_paper_options.py checks
    # every option's refusal through main().
    result = program.run("paper.py", "--task", "2c", "--article-budget", "10")
    assert result.returncode == 2 and result.stdout == ""
    assert "error: --article-budget is for --method modern with --task 2a" in (
        result.stderr
    )
