"""paper.py's command with fake trainers: which settings each option gives
which trainer, and how the rows summarise the counts they return. Nothing trains."""

import json

import numpy as np
import pytest

import paper
from lstm_lab import online, paper_options, regimes


@pytest.fixture
def fake_trainers(monkeypatch):
    """Replace the trainers; record what each configuration was given.

    Run r of a configuration learns after 100 * (r + 1) sequences, except the
    last run, which never learns.
    """
    calls = []

    def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
        seeds = list(seeds)
        calls.append((method, task, lag, distractors, chosen, seeds))
        counts = [100 * (r + 1) for r in range(len(seeds) - 1)] + [None]
        progress(chosen.max_sequences)
        n = len(seeds)
        return online.Outcome(counts, np.zeros(n, bool), np.zeros(n, int), {}, {})

    def article_regime_counts(seeds, lag, budget, judge_every, progress):
        calls.append(("article", lag, budget, judge_every, list(seeds)))
        return [None] * len(seeds), np.array([True] + [False] * (len(seeds) - 1))

    monkeypatch.setattr(paper, "train_configuration", train_configuration)
    monkeypatch.setattr(paper, "article_regime_counts", article_regime_counts)
    return calls


def run(argv, capsys):
    assert paper.main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_rows_summarise_the_counts_of_each_configuration(fake_trainers, capsys):
    rows = run(["--seeds", "3", "--first-seed", "5", "--article-lags", "7"], capsys)
    ours = [r for r in rows if r["source"] == "ours"]
    assert [(r["task"], r["lag"]) for r in ours] == [
        ("2a", 100),
        ("2b", 100),
        ("2a", 7),
    ]
    for row in ours[:2]:
        assert row["runs"] == 3 and row["learned"] == 2
        assert row["mean_sequences"] == 150.0 and row["median_sequences"] == 150.0
        assert row["budget"] == regimes.Settings2ab.max_sequences
        assert row["success_rate"] == pytest.approx(2 / 3) and row["diverged"] == 0
    assert ours[2]["learned"] == 0 and ours[2]["diverged"] == 1
    assert ours[2]["budget"] == paper_options.ARTICLE_BUDGET == 5_040
    assert fake_trainers[0][5] == [5, 6, 7]  # the seeds
    assert fake_trainers[2] == ("article", 7, 5_040, 20, [5, 6, 7])
    # The paper's rows follow: Table 2 for the tasks shown.
    theirs = [r for r in rows if r["source"] == "paper"]
    assert len(theirs) == len(paper.paper_table.PAPER_TABLE)
    lstm_2a = [r for r in theirs if r["method"] == "LSTM" and r["task"] == "2a"]
    assert lstm_2a[0]["mean_sequences"] == 5040 and lstm_2a[0]["runs"] == 18


def test_options_reach_the_modern_settings(fake_trainers, capsys):
    argv = ["--task", "2a,2c", "--lag", "9", "--lr", "0.5", "--units", "7"]
    argv += ["--input-bias", "-1", "--no-direct", "--last-weight", "3"]
    run([*argv, "--max-sequences", "60", "--article-lags", "none"], capsys)
    (_, _, _, _, two_a, _), (_, _, _, distractors, two_c, _) = fake_trainers
    assert two_a == regimes.Settings2ab(
        units=7,
        learning_rate=0.5,
        input_bias=-1.0,
        direct=False,
        last_weight=3.0,
        max_sequences=60,
    )
    # 2c has its own regime: the shared options reach it, 2a's do not.
    assert two_c == regimes.Settings2c(
        units=7, learning_rate=0.5, input_bias=-1.0, max_sequences=60
    )
    assert distractors == 9


def test_options_reach_the_1997_settings(fake_trainers, capsys):
    argv = ["--method", "1997", "--task", "2b,2c", "--lag", "10"]
    argv += ["--lr", "3", "--in-gate", "-3", "--g", "minus-2-to-2", "--update", "step"]
    rows = run([*argv, "--add-cell", "500"], capsys)
    (m1, t1, _, _, two_b, _), (m2, t2, _, _, two_c, _) = fake_trainers
    assert (m1, t1, m2, t2) == ("1997", "2b", "1997", "2c")
    assert two_b == regimes.Settings1997(
        learning_rate=3.0, in_gate=-3.0, g="minus-2-to-2", update="step", add_cell=500
    )
    # --g and --add-cell are for 2a and 2b: Task 2c keeps its own.
    assert two_c == regimes.Settings1997.for_task(
        "2c", learning_rate=3.0, in_gate=-3.0, update="step"
    )
    names = [r["method"] for r in rows if r["source"] == "ours"]
    assert "lr 3, update per step, g [-2, 2], cell added after 500" in names[0]
    assert "input gate weights -3" in names[0]
    # Table 3 comes with 2c, Table 2 with 2b.
    assert {r["task"] for r in rows if r["source"] == "paper"} == {"2b", "2c"}


def test_task_2c_takes_each_lag_with_each_distractor_count(fake_trainers, capsys):
    rows = run(["--task", "2c", "--lag", "10,20", "--distractors", "10,4"], capsys)
    assert [c[2:4] for c in fake_trainers] == [(10, 10), (10, 4), (20, 10), (20, 4)]
    table_3 = [r for r in rows if r["source"] == "paper"]
    assert [(r["lag"], r["distractors"], r["mean_sequences"]) for r in table_3] == [
        row for row in paper.paper_table.PAPER_TABLE_3
    ]


@pytest.mark.parametrize(
    ("add_cell", "words"),
    [
        ("plateau", "cell added at a plateau"),
        (0, "cell from the start"),
        (1500, "cell added after 1,500"),
    ],
)
def test_1997_row_names_say_when_the_cell_was_added(add_cell, words):
    chosen = regimes.Settings1997(add_cell=add_cell)
    assert words in paper.paper_table.name_1997("2a", chosen)
    assert "g [0, 1]" in paper.paper_table.name_1997("2a", chosen)


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
        (["--rate", "1"], "unrecognized arguments"),
        (["--distractors", "5"], "--distractors is for --task 2c only"),
        (
            ["--task", "2c", "--last-weight", "5"],
            "--last-weight is for --method modern with --task 2a or 2b only",
        ),
        (["--task", "2c", "--lag", "100000000"], "the limit is 4 GiB"),
        (["--lag", "100000"], "the limit is 4 GiB"),
        (["--method", "1997,lstm"], "unknown value 'lstm'"),
        (["--in-gate", "-3"], "--in-gate is for --method 1997"),
        (["--method", "1997", "--units", "8"], "--units is for --method modern"),
        (["--method", "1997", "--no-direct"], "--no-direct is for --method modern"),
        (["--method", "1997", "--add-cell", "-1"], "must be at least 0, got -1"),
        (["--method", "1997", "--g", "centred2"], "invalid choice: 'centred2'"),
        (["--method", "1997", "--lag", "3000", "--seeds", "100"], "the limit is 1e+15"),
        (
            ["--lag", "1000", "--units", "64", "--max-sequences", "1000000"],
            "the limit is 1e+15",
        ),
    ],
)
def test_bad_options_exit_2_before_training(argv, message, capsys, fake_trainers):
    with pytest.raises(SystemExit) as exit_info:
        paper.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert fake_trainers == []


def test_help_gives_each_methods_default_learning_rate(capsys):
    with pytest.raises(SystemExit):
        paper.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert (
        "modern: 0.01 for 2a, 2b; 0.03 for 2c. 1997: 1 for 2a, 2b; 0.01 for 2c" in text
    )


"""
## The 1997 method's readings of the paper (issue 18)
"""


def test_1997_defaults_are_the_printed_readings(fake_trainers, capsys):
    run(["--method", "1997", "--task", "2a,2b,2c", "--lag", "10"], capsys)
    for _, task, _, _, chosen, _ in fake_trainers:
        assert chosen == regimes.Settings1997.for_task(task)
        assert (chosen.error, chosen.ranges_2c, chosen.end_marker) == (
            "eq19",
            "text",
            False,
        )


def test_each_reading_reaches_its_tasks_only(fake_trainers, capsys):
    argv = ["--method", "1997", "--task", "2a,2b,2c", "--lag", "10"]
    rows = run(
        [*argv, "--error", "eq16", "--ranges-2c", "legend", "--end-marker"], capsys
    )
    chosen = {task: c for _, task, _, _, c, _ in fake_trainers}
    assert chosen["2a"] == regimes.Settings1997.for_task("2a", error="eq16")
    assert chosen["2b"] == regimes.Settings1997.for_task(
        "2b", error="eq16", end_marker=True
    )
    assert chosen["2c"] == regimes.Settings1997.for_task(
        "2c", error="eq16", ranges_2c="legend"
    )
    names = {r["task"]: r["method"] for r in rows if r["source"] == "ours"}
    assert all("error E of eq. 16" in name for name in names.values())
    assert "end marker" in names["2b"] and "end marker" not in names["2c"]
    assert "Table 10's legend" in names["2c"] and "legend" not in names["2b"]


def test_1997_rows_count_from_the_cell_as_well(monkeypatch, capsys):
    # Runs learn after 1,000 and 1,500 sequences; their cells joined after
    # 400 and 700, and the third run's never did.
    def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
        details = {"cell_added": [400, 700, None]} if method == "1997" else {}
        z = np.zeros(3, bool)
        return online.Outcome([1_000, 1_500, None], z, z.astype(int), details, {})

    monkeypatch.setattr(paper, "train_configuration", train_configuration)
    argv = ["--method", "1997,modern", "--task", "2a", "--seeds", "3"]
    rows = run([*argv, "--article-lags", "none"], capsys)
    ours = {r["method"][:4]: r for r in rows if r["source"] == "ours"}
    assert ours["1997"]["mean_sequences"] == 1_250.0
    assert ours["1997"]["mean_from_cell"] == 700.0
    assert ours["1997"]["median_from_cell"] == 700.0
    assert ours["LSTM"]["mean_sequences"] == 1_250.0
    assert ours["LSTM"]["mean_from_cell"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--method", "1997", "--error", "eq17"], "invalid choice: 'eq17'"),
        (["--method", "1997", "--ranges-2c", "table"], "invalid choice: 'table'"),
        (["--error", "eq16"], "--error is for --method 1997"),
        (["--task", "2b", "--end-marker"], "--end-marker is for --method 1997"),
        (
            ["--method", "1997", "--task", "2a", "--end-marker"],
            (
                "--end-marker is for --method 1997 with --task 2b only, and the "
                "chosen --method 1997 --task 2a give no such configuration"
            ),
        ),
        (
            ["--method", "1997", "--ranges-2c", "legend"],
            "--ranges-2c is for --method 1997 with --task 2c only",
        ),
        (
            ["--method", "1997", "--task", "2c", "--g", "0-to-1"],
            "--g is for --method 1997 with --task 2a or 2b only",
        ),
    ],
)
def test_bad_1997_readings_exit_2_before_training(argv, message, capsys, fake_trainers):
    with pytest.raises(SystemExit) as exit_info:
        paper.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert fake_trainers == []


def test_help_names_each_reading_and_its_default(capsys):
    with pytest.raises(SystemExit):
        paper.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--error {eq19,eq16}" in text and "(default: eq19)" in text
    assert "--ranges-2c {text,legend}" in text and "(default: text)" in text
    assert "Table 10's legend: h on [-2, 2], g on [-1, 1]" in text
    assert "--end-marker 1997, 2b: a departure from the paper, whose middle is" in text
    assert "marks the step before the end (default: off)" in text
    assert "mean_sequences and mean_from_cell" in text


def test_trials_file_holds_each_trial_of_each_row(fake_trainers, capsys, tmp_path):
    trials = tmp_path / "trials.csv"
    argv = ["--task", "2a", "--seeds", "3", "--first-seed", "5", "--article-lags", "7"]
    rows = run([*argv, "--trials", str(trials)], capsys)
    lines = trials.read_text().splitlines()
    assert lines[0] == (
        "method,task,lag,distractors,seed,sequences,sequences_from_cell,diverged,budget"
    )
    modern = [line.split(",") for line in lines[1:4]]
    # The fake's runs learn after 100 and 200 sequences; the last never does.
    assert [(t[-5], t[-4], t[-2]) for t in modern] == [
        ("5", "100", "False"),
        ("6", "200", "False"),
        ("7", "", "False"),
    ]
    article = [line.split(",") for line in lines[4:]]
    assert [(t[-5], t[-4], t[-2]) for t in article] == [
        ("5", "", "True"),
        ("6", "", "False"),
        ("7", "", "False"),
    ]
    # The trials are the rows' runs, no more.
    ours = [r for r in rows if r["source"] == "ours"]
    assert len(lines) - 1 == sum(r["runs"] for r in ours)


def test_trial_rows_count_from_the_cell_when_it_joined():
    row = {"method": "1997", "task": "2a", "lag": 100, "distractors": None}
    row["budget"] = 50_000
    trials = paper.paper_table.trial_rows(
        row, [0, 1, 2], [1_000, None, 900], np.zeros(3, bool), [400, None, 0]
    )
    assert [(t["seed"], t["sequences"], t["sequences_from_cell"]) for t in trials] == [
        (0, 1_000, 600),
        (1, None, None),
        (2, 900, 900),
    ]
    with pytest.raises(ValueError):  # a count per seed, no fewer
        paper.paper_table.trial_rows(row, [0, 1], [5], np.zeros(2, bool))


def test_a_trials_file_that_cannot_be_written_exits_2(fake_trainers, capsys):
    with pytest.raises(SystemExit) as exit_info:
        paper.main(["--trials", "/no/such/folder/t.csv"])
    assert exit_info.value.code == 2
    assert "argument --trials: cannot write" in capsys.readouterr().err
    assert fake_trainers == []


def test_task_2c_input_bias_falls_with_the_lag_beyond_1000(fake_trainers, capsys):
    # A gate at bias b lets about e^b of each distractor in: over q distractors
    # the drift grows as q e^b, so -8 - ln(q / 1000) keeps q = 1,000's.
    assert regimes.Settings2c.for_lag(50).input_bias == -8.0
    assert regimes.Settings2c.for_lag(1000).input_bias == -8.0
    assert regimes.Settings2c.for_lag(10_000).input_bias == pytest.approx(
        -8 - np.log(10)
    )
    argv = ["--task", "2c", "--lag", "500,10000", "--seeds", "2"]
    run([*argv, "--max-sequences", "20"], capsys)
    biases = [call[4].input_bias for call in fake_trainers]
    assert biases == [-8.0, pytest.approx(-10.3026, abs=1e-4)]
    fake_trainers.clear()
    run([*argv, "--max-sequences", "20", "--input-bias", "-9"], capsys)
    assert [call[4].input_bias for call in fake_trainers] == [-9.0, -9.0]


def test_the_baselines_rows_are_named_and_sit_beside_table_2(fake_trainers, capsys):
    argv = ["--method", "rtrl,bptt", "--task", "2a", "--lag", "4", "--lr", "10"]
    rows = run([*argv, "--seeds", "2", "--article-lags", "none"], capsys)
    ours = [r["method"] for r in rows if r["source"] == "ours"]
    assert ours == [
        "traditional net (1 hidden unit), RTRL, lr 10",
        "traditional net (1 hidden unit), BPTT, lr 10",
    ]
    theirs = [r["method"] for r in rows if r["source"] == "paper"]
    assert "RTRL (lr 10.0)" in theirs and "BPTT" in theirs
    assert [c[4].max_sequences for c in fake_trainers] == [5_000_000] * 2


def test_help_lists_the_baselines(capsys):
    with pytest.raises(SystemExit):
        paper.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "rtrl (exact real-time recurrent learning, a change every step)" in text
    assert "bptt (backpropagation through time, a change per sequence)" in text
    assert "rtrl: 1. bptt: 1" in text  # --lr's defaults
