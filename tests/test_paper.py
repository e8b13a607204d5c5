"""Tests for paper.py: the table beside the paper's, the article-regime rows, refusals."""

import json

import pytest

import paper
from lstm_lab import epoch_trainer, method_1997, modern_2ab, modern_2c


@pytest.mark.slow
def test_article_regime_misses_the_criterion_at_p_5_although_it_trains():
    counts, diverged = paper.article_regime_counts(range(2), 5, 200, 20, None)
    assert counts == [None, None] and not diverged.any()
    # Positive control: the same runs, judged on the steps that need no
    # memory, have learned them, so training happened.
    result = epoch_trainer.train_runs(
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
    # The rows count the stacked runs of the same seeds and settings.
    for row in ours[:2]:
        counts = modern_2ab.train_paper_stacked(
            [0, 1], row["task"], 5, max_sequences=1000
        )
        learned = [c for c in counts["counts"] if c is not None]
        assert row["learned"] == len(learned) == 2
        assert row["mean_sequences"] == sum(learned) / 2
    assert ours[2]["learned"] == 0 and ours[2]["budget"] == 40
    lstm_2a = [r for r in theirs if r["method"] == "LSTM" and r["task"] == "2a"]
    assert lstm_2a[0]["mean_sequences"] == 5040
    assert lstm_2a[0]["runs"] == paper.PAPER_TRIALS


@pytest.mark.slow
def test_task_2c_table(capsys):
    argv = ["--task", "2c", "--lag", "10", "--distractors", "10,4", "--seeds", "2"]
    assert paper.main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ours = [r for r in rows if r["source"] == "ours"]
    # No article-regime rows without 2a; Table 3 beside ours.
    assert [(r["task"], r["lag"], r["distractors"]) for r in ours] == [
        ("2c", 10, 10),
        ("2c", 10, 4),
    ]
    for row in ours:
        assert row["learned"] == 2 and row["budget"] == modern_2c.BUDGET
        # Counts are multiples of the check interval, so twice their mean is.
        assert 2 * row["mean_sequences"] % modern_2c.CHECK_EVERY == 0
    table_3 = [r for r in rows if r["source"] == "paper"]
    assert [(r["lag"], r["distractors"], r["mean_sequences"]) for r in table_3] == [
        row for row in paper.PAPER_TABLE_3
    ]


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
        (["--distractors", "5"], "--distractors is for Task 2c"),
        (["--task", "2c", "--last-weight", "5"], "are for Tasks 2a and 2b"),
        (["--task", "2c", "--lag", "100000000"], "the limit is 4 GiB"),
        (["--lag", "100000"], "the limit is 4 GiB"),
        (["--method", "1997,lstm"], "unknown value 'lstm'"),
        (["--rate", "1"], "--rate is for --method 1997"),
        (["--method", "1997", "--units", "8"], "--units is for --method modern"),
        (["--method", "1997", "--no-direct"], "--no-direct is for --method modern"),
        (["--method", "1997", "--add-cell", "-1"], "must be at least 0, got -1"),
        (["--method", "1997", "--g", "tanh"], "invalid choice: 'tanh'"),
        (["--method", "1997", "--lag", "3000", "--seeds", "100"], "the limit is 1e+15"),
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


@pytest.mark.slow
def test_method_1997_rows_count_the_1997_trainer(capsys):
    argv = ["--method", "1997,modern", "--task", "2a", "--lag", "4", "--seeds", "2"]
    argv += ["--add-cell", "0", "--max-sequences", "400", "--article-lags", "none"]
    assert paper.main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ours = [r for r in rows if r["source"] == "ours"]
    assert [r["method"].startswith("1997 LSTM") for r in ours] == [True, False]
    direct = method_1997.train_1997([0, 1], "2a", 4, add_cell=0, max_sequences=400)
    learned = [c for c in direct["counts"] if c is not None]
    assert ours[0]["learned"] == len(learned) and ours[0]["budget"] == 400
    assert ours[0]["mean_sequences"] == (
        sum(learned) / len(learned) if learned else None
    )


@pytest.mark.parametrize(
    ("add_cell", "words"),
    [
        ("plateau", "cell added at a plateau"),
        (0, "cell from the start"),
        (1500, "cell added after 1,500"),
    ],
)
def test_1997_row_names_say_when_the_cell_was_added(add_cell, words):
    settings = {**paper.REGIMES_1997["2a"], "add_cell": add_cell}
    assert words in paper.name_1997("2a", settings)
    assert "g [0, 1]" in paper.name_1997("2a", settings)
