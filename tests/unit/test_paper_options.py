"""paper.py's option table (lstm_lab/paper_options.py): an option that no chosen
configuration is for is refused by name, each option reaches exactly the
configurations it is for, --help lists each once with where it applies and
its defaults, and with no options every configuration trains with the
defaults. Nothing trains: fake trainers record the settings they are given."""

import dataclasses
import json
import re

import numpy as np
import pytest

import paper
from lstm_lab import online, paper_options, regimes, tasks

TABLE = paper_options.TABLE
METHODS, TASKS = paper_options.METHODS, tasks.PAPER_TASKS
# A value for every option that sets a field or is not for every
# configuration, unlike every default: a new option must add one here.
VALUES = {
    "--distractors": ["4"],
    "--max-sequences": ["60"],
    "--lr": ["0.5"],
    "--units": ["7"],
    "--cell": ["gru"],
    "--forget-bias": ["2"],
    "--input-bias": ["-1"],
    "--no-direct": [],
    "--last-weight": ["3"],
    "--update": ["step"],
    "--g": ["minus-2-to-2"],
    "--add-cell": ["500"],
    "--in-gate": ["-3"],
    "--error": ["eq16"],
    "--ranges-2c": ["legend"],
    "--end-marker": [],
    "--xy-last-only": [],
    "--cells": ["2"],
    "--article-lags": ["7"],
    "--article-budget": ["40"],
}
EVERYWHERE = ["--method", ",".join(METHODS), "--task", ",".join(TASKS)]


def scoped(row):
    return (row.methods, row.tasks) != (METHODS, TASKS)


@pytest.fixture
def trained(monkeypatch):
    """Replace the trainers; record (method, task, lag, settings) of each configuration."""
    calls = []

    def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
        calls.append((method, task, lag, chosen))
        n = len(seeds)
        return online.Outcome([None] * n, np.zeros(n, bool), np.zeros(n, int), {}, {})

    def article_regime_counts(seeds, lag, budget, judge_every, progress):
        calls.append(("article", "2a", lag, budget))
        return [None] * len(seeds), np.zeros(len(seeds), bool)

    monkeypatch.setattr(paper, "train_configuration", train_configuration)
    monkeypatch.setattr(paper, "article_regime_counts", article_regime_counts)
    return calls


def run(argv, capsys):
    assert paper.main([*argv, "--lag", "10", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_option_that_sets_or_is_scoped_has_a_test_value():
    wanted = {row.option.flag for row in TABLE if row.field or scoped(row)}
    assert set(VALUES) == wanted


def test_the_table_is_consistent():
    flags = [row.option.flag for row in TABLE]
    assert len(flags) == len(set(flags))
    for row in TABLE:
        assert set(row.methods) <= set(METHODS) and set(row.tasks) <= set(TASKS)
        if scoped(row):  # so that "given" means "not None"
            assert row.option.default is None, row.option.flag
        for method in row.methods if row.field else ():
            for task in row.tasks:
                chosen = paper_options.default_settings(method, task, 10)
                names = {field.name for field in dataclasses.fields(chosen)}
                assert row.field in names, (row.option.flag, method, task)


def misplaced():
    """(flag, methods, tasks): choices among which no configuration is the option's."""
    for row in filter(scoped, TABLE):
        other_methods = [m for m in METHODS if m not in row.methods]
        other_tasks = [t for t in TASKS if t not in row.tasks]
        if other_methods:
            yield row.option.flag, other_methods, list(row.tasks)
        if other_tasks:
            yield row.option.flag, list(row.methods), other_tasks


@pytest.mark.parametrize(("flag", "methods", "chosen_tasks"), list(misplaced()))
def test_an_option_no_chosen_configuration_is_for_exits_2(
    flag, methods, chosen_tasks, trained, capsys
):
    argv = ["--method", ",".join(methods), "--task", ",".join(chosen_tasks)]
    with pytest.raises(SystemExit) as info:
        paper.main([*argv, "--lag", "10", flag, *VALUES[flag]])
    assert info.value.code == 2
    assert f"error: {flag} is for --" in capsys.readouterr().err
    assert trained == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--method", "1997", "--task", "2c", "--g", "0-to-1"],
            (
                "--g is for --method 1997 with --task 2a or 2b only, and the "
                "chosen --method 1997 --task 2c give no such configuration"
            ),
        ),
        (
            ["--task", "2c", "--article-budget", "10"],
            (
                "--article-budget is for --method modern with --task 2a only, and "
                "the chosen --method modern --task 2c give no such configuration"
            ),
        ),
        (["--task", "2c", "--no-direct"], "--no-direct is for --method modern"),
        (["--method", "1997", "--ranges-2c", "text"], "--ranges-2c is for"),
        (["--task", "2b", "--end-marker"], "--end-marker is for --method 1997"),
        (["--method", "1997", "--task", "2a", "--article-lags", "7"], "--article-"),
    ],
)
def test_the_issue_cases_are_refused_by_name(argv, message, trained, capsys):
    with pytest.raises(SystemExit) as info:
        paper.main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err
    assert trained == []


@pytest.mark.parametrize(
    "row", [row for row in TABLE if row.field], ids=lambda row: row.option.flag
)
def test_each_option_reaches_exactly_the_configurations_it_is_for(row, trained, capsys):
    run([*EVERYWHERE, row.option.flag, *VALUES[row.option.flag]], capsys)
    configs = [call for call in trained if call[0] != "article"]
    # rtrl and bptt (Table 2's baselines) are for Task 2a only.
    assert len(configs) == len(METHODS) * len(TASKS) - 4
    for method, task, lag, chosen in configs:
        default = paper_options.default_settings(method, task, lag)
        changed = {
            field.name
            for field in dataclasses.fields(chosen)
            if getattr(chosen, field.name) != getattr(default, field.name)
        }
        assert changed == ({row.field} if row.applies(method, task) else set())


def test_mixed_choices_reach_the_configurations_each_option_is_for(trained, capsys):
    argv = ["--method", "modern,1997", "--task", "2a,2c", "--lr", "0.1"]
    run([*argv, "--units", "7", "--last-weight", "3", "--g", "minus-2-to-2"], capsys)
    chosen = {(m, t): c for m, t, _, c in trained if m != "article"}
    assert {key: c.learning_rate for key, c in chosen.items()} == dict.fromkeys(
        [("modern", "2a"), ("modern", "2c"), ("1997", "2a"), ("1997", "2c")], 0.1
    )
    assert chosen["modern", "2a"].units == chosen["modern", "2c"].units == 7
    assert chosen["modern", "2a"].last_weight == 3.0
    assert chosen["1997", "2a"].last_weight == 1.0  # the option is modern's only
    assert chosen["1997", "2a"].g == "minus-2-to-2"
    assert chosen["1997", "2c"] == regimes.Settings1997.for_task(
        "2c", learning_rate=0.1
    )


def test_without_options_every_configuration_gets_the_defaults(trained, capsys):
    run(EVERYWHERE, capsys)
    configs = {(m, t): (lag, c) for m, t, lag, c in trained if m != "article"}
    assert len(configs) == 8
    assert configs["rtrl", "2a"] == (10, regimes.SettingsRTRL())
    assert configs["bptt", "2a"] == (10, regimes.SettingsBPTT())
    for task in ("2a", "2b"):
        assert configs["modern", task] == (10, regimes.Settings2ab())
    assert configs["modern", "2c"] == (10, regimes.Settings2c.for_lag(10))
    assert configs["modern", "2c"][1] == regimes.Settings2c()
    for task in TASKS:
        assert configs["1997", task] == (10, regimes.Settings1997.for_task(task))
    # The article-regime rows at their default lags and budget.
    assert [c for c in trained if c[0] == "article"] == [
        ("article", "2a", 10, 5_040),
        ("article", "2a", 100, 5_040),
    ]


@pytest.mark.parametrize(
    ("argv", "lags"),
    [
        ([], [10, 100]),
        (["--method", "1997", "--task", "2a"], []),
        (["--task", "2b,2c"], []),
        (["--method", "1997", "--task", "2b", "--article-lags", "none"], []),
        (["--task", "2a", "--article-lags", "7,9"], [7, 9]),
    ],
)
def test_article_regime_rows_come_with_modern_2a(argv, lags, trained, capsys):
    run(argv, capsys)
    assert [lag for m, _, lag, _ in trained if m == "article"] == lags


def test_article_regime_orders_are_the_training_streams_draws():
    orders = paper.article_regime_orders([3, 8], 50, 20)
    assert orders.shape == (2, 3, 20)
    for seed, order in zip([3, 8], orders):
        want = np.random.default_rng([seed, 0]).integers(0, 2, (3, 20))
        np.testing.assert_array_equal(order, want)


def test_help_lists_every_option_once_with_where_and_its_defaults(capsys):
    with pytest.raises(SystemExit):
        paper.main(["--help"])
    out = capsys.readouterr().out
    listed = re.findall(r"^  (--[a-z0-9-]+)", out, re.MULTILINE)
    assert listed == [row.option.flag for row in TABLE]
    text = " ".join(out.split())
    assert "--units UNITS modern: LSTM units (default: 64 for 2a, 2b; 8 for 2c)" in text
    assert "--last-weight LAST_WEIGHT modern, 2a and 2b: weight of the last" in text
    assert "--g {0-to-1,minus-2-to-2} 1997, 2a and 2b: the range of g" in text
    assert "--ranges-2c {text,legend} 1997, 2c: the ranges of h and g" in text
    assert "--distractors DISTRACTORS 2c: numbers of distractor symbols" in text
    assert "--article-budget ARTICLE_BUDGET modern, 2a: training" in text
    assert "--forget-bias FORGET_BIAS modern: initial bias" in text
    assert "forget gate; Keras's own is 1 (default: 10)" in text
    # Options for every configuration name none.
    assert "--lr LR learning rate: Adam's for modern" in text
    for row in TABLE:
        prefix = f"{paper_options.where(row)}: " if scoped(row) else ""
        assert f"{prefix}{' '.join(row.option.help.split()[:3])}" in text
    assert "--lr sets all four learning rates" in text  # the rule, in the epilogue


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--method", "rtrl", "--task", "2b"],
            "--method rtrl is for --task 2a only, and the chosen --task 2b gives it none",
        ),
        (["--method", "bptt", "--task", "2c"], "--method bptt is for --task 2a only"),
        (
            ["--method", "rtrl"],  # the default tasks are 2a and 2b
            (
                "--task 2b: none of the chosen --method rtrl is for it (rtrl is "
                "for --task 2a only)"
            ),
        ),
        (["--method", "rtrl", "--task", "2a", "--units", "5"], "--units is for"),
        (["--method", "bptt", "--task", "2a", "--update", "step"], "--update is for"),
    ],
)
def test_the_baselines_are_refused_other_tasks_and_options(
    argv, message, trained, capsys
):
    with pytest.raises(SystemExit) as info:
        paper.main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err
    assert trained == []


def test_the_baselines_take_lr_and_max_sequences_on_2a(trained, capsys):
    argv = ["--method", "modern,rtrl,bptt", "--task", "2a,2b", "--lr", "4"]
    run([*argv, "--max-sequences", "3000", "--article-lags", "none"], capsys)
    chosen = {(m, t): c for m, t, _, c in trained}
    assert set(chosen) == {
        ("modern", "2a"),
        ("modern", "2b"),
        ("rtrl", "2a"),
        ("bptt", "2a"),
    }
    assert chosen["rtrl", "2a"] == regimes.SettingsRTRL(
        learning_rate=4.0, max_sequences=3000
    )
    assert chosen["bptt", "2a"] == regimes.SettingsBPTT(
        learning_rate=4.0, max_sequences=3000
    )
