"""A row split by seed across machines (--first-seed, --trials) and rebuilt
with --from-trials (lstm_lab/trials.py): the merged shards give the row one run
over all the seeds gives, and whatever would make that untrue is refused by
name before anything runs. Nothing trains: fake trainers whose counts depend on
the seed, so a shard given the wrong seeds gives a different row."""

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

import paper
from lstm_lab import cli, online, paper_table, trials

EVERY_CONFIGURATION = ["--method", "modern,1997,rtrl,bptt", "--task", "2a,2b,2c"]
EVERY_CONFIGURATION += ["--lag", "9", "--article-lags", "7"]
DOCS_DATA = Path(__file__).resolve().parents[2] / "docs" / "data"


def count(seed):
    """The fake's sequences to success for `seed`; every fourth seed fails."""
    return None if seed % 4 == 3 else 100 * (seed + 1)


@pytest.fixture
def fake_trainers(monkeypatch):
    """Replace the trainers; record the seeds each configuration was given."""
    calls = []

    def train_configuration(method, task, lag, distractors, chosen, seeds, progress):
        seeds = list(seeds)
        calls.append((method, task, seeds))
        diverged = np.array([s % 5 == 2 for s in seeds])
        # The 1997 cell joins after 10 sequences per seed's number.
        details = {"cell_added": [10 * s for s in seeds]} if method == "1997" else {}
        n = len(seeds)
        counts = [count(s) for s in seeds]
        return online.Outcome(counts, diverged, np.zeros(n, int), details, {})

    def article_regime_counts(seeds, lag, budget, judge_every, progress):
        seeds = list(seeds)
        calls.append(("article", "2a", seeds))
        counts = [None if s % 2 else 20 * (s + 1) for s in seeds]
        return counts, np.array([s % 3 == 1 for s in seeds])

    monkeypatch.setattr(paper, "train_configuration", train_configuration)
    monkeypatch.setattr(paper, "article_regime_counts", article_regime_counts)
    return calls


def run(argv, capsys):
    assert paper.main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def without_seconds(rows):
    return [{k: v for k, v in r.items() if not k.startswith("seconds")} for r in rows]


@pytest.fixture
def shards(fake_trainers, capsys, tmp_path):
    """Seeds 0-5 of every configuration in one run, and as two shards of 4
    and 2 seeds: (the unsplit rows, its trials file, the shards' files)."""
    whole = tmp_path / "whole.csv"
    rows = run([*EVERY_CONFIGURATION, "--seeds", "6", "--trials", str(whole)], capsys)
    files = []
    for first, n in ((0, 4), (4, 2)):
        files.append(tmp_path / f"shard_{first}.csv")
        argv = ["--seeds", str(n), "--first-seed", str(first), "--trials"]
        run([*EVERY_CONFIGURATION, *argv, str(files[-1])], capsys)
    fake_trainers.clear()
    return rows, whole, files


def test_first_seed_reaches_every_configuration(fake_trainers, capsys):
    run([*EVERY_CONFIGURATION, "--seeds", "2", "--first-seed", "4"], capsys)
    # 2a, 2b and 2c for modern and 1997, 2a for rtrl and bptt, and the
    # article-regime row.
    assert len(fake_trainers) == 9
    assert all(seeds == [4, 5] for *_, seeds in fake_trainers)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_merged_shards_give_the_unsplit_rows(order, shards, capsys, tmp_path):
    unsplit, whole, files = shards
    merged_trials = tmp_path / "merged.csv"
    argv = ["--from-trials", *(str(files[i]) for i in order)]
    rows = run([*argv, "--trials", str(merged_trials)], capsys)
    assert without_seconds(rows) == without_seconds(unsplit)
    ours = [r for r in rows if r["source"] == "ours"]
    assert len(ours) == 9 and all(r["runs"] == 6 for r in ours)
    # The fake's rows are not trivial: failures, divergences, counts from the cell.
    assert all(0 < r["learned"] < r["runs"] for r in ours)
    assert all(r["diverged"] for r in ours)
    assert any(r["mean_from_cell"] is not None for r in ours)
    assert all(r["seconds"] is None and r["seconds_per_run"] is None for r in ours)
    # The merged trials are the unsplit run's, line for line.
    assert merged_trials.read_text() == whole.read_text()


def test_a_merge_trains_nothing_and_prints_the_rebuilt_table(
    shards, fake_trainers, capsys
):
    _, _, files = shards
    assert paper.main(["--from-trials", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert fake_trainers == []
    # The Markdown table shows the missing seconds as "-", like any empty cell.
    first = out.splitlines()[2].split("|")
    assert [cell.strip() for cell in first[-3:-1]] == ["-", "-"]


def test_a_missing_shard_is_noted_and_the_row_has_the_seeds_given(
    shards, tmp_path, capsys
):
    _, _, files = shards
    # Seeds 0, 1 and 4, 5: seeds 2 and 3 are missing.
    lines = files[0].read_text().splitlines()
    kept = [lines[0], *(line for line in lines[1:] if line.split(",")[-5] in "01")]
    part = tmp_path / "part.csv"
    part.write_text("\n".join(kept) + "\n")
    assert (
        paper.main(["--from-trials", str(part), str(files[1]), "--format", "json"]) == 0
    )
    captured = capsys.readouterr()
    ours = [r for r in json.loads(captured.out) if r["source"] == "ours"]
    assert [r["runs"] for r in ours] == [4] * 9
    # Of seeds 0, 1, 4 and 5 the fake's trainers fail none, its article regime 1 and 5.
    assert [r["learned"] for r in ours] == [4] * 8 + [2]
    assert captured.err.count("has no trial for seeds 2-3") == 9


"""
## Refusals, exit 2 before anything runs
"""

# A value for every option that a merge does not take: a new option must add one.
TRAINING = {
    "--seeds": ["18"],  # the default: refused all the same
    "--first-seed": ["0"],
    "--method": ["modern"],
    "--task": ["2a"],
    "--lag": ["100"],
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
    "--article-lags": ["none"],
    "--article-budget": ["40"],
}


def test_every_option_a_merge_does_not_take_has_a_test_value():
    flags = {row.option.flag for row in paper.paper_options.TABLE}
    assert set(TRAINING) == flags - set(paper.WITH_FROM_TRIALS)


@pytest.mark.parametrize("flag", list(TRAINING))
def test_a_training_option_beside_from_trials_exits_2(flag, shards, capsys):
    _, _, files = shards
    with pytest.raises(SystemExit) as info:
        paper.main(["--from-trials", str(files[0]), flag, *TRAINING[flag]])
    assert info.value.code == 2
    assert f"error: {flag} does not apply to --from-trials" in capsys.readouterr().err


def test_an_abbreviated_option_is_refused_too(shards, capsys):
    _, _, files = shards
    with pytest.raises(SystemExit) as info:
        paper.main(["--from-trials", str(files[0]), "--seed", "18"])
    assert info.value.code == 2
    assert "error: --seeds does not apply to --from-trials" in capsys.readouterr().err


def edited(path, out, column, old, new, line=1):
    """A copy of the trials file `path` at `out`, with `column` of trial `line`
    changed from `old` to `new`."""
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert rows[line - 1][column] == old  # the edit changes what it means to
    rows[line - 1][column] = new
    out.write_text(cli.format_table(rows, "csv") + "\n")
    return out


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "overlap",
            (
                "seed 3 of the row 'LSTM(64) + input->output, Adam, whole-sequence "
                "gradient' at --task 2a --lag 9 is in {0}/shard_0.csv line 5 and "
                "in {0}/overlap.csv line 2: the shards overlap"
            ),
        ),
        ("twice", "shard_4.csv line 2 and in {0}/shard_4.csv line 2: the shards"),
        ("budget", "has budget 20,000 in {0}/shard_0.csv line 2 and 30,000 in"),
        ("cell", "counts from the cell and {0}/cell.csv line 2 does not"),
        ("missing", "cannot read {0}/missing.csv: No such file or directory"),
        ("empty", "{0}/empty.csv has no column method, task, lag"),
        ("header", "{0}/header.csv holds no trials"),
        ("seed", "{0}/seed.csv line 2: seed 'x' is not an integer"),
        ("diverged", "{0}/diverged.csv line 2: diverged 'yes' is not True or False"),
        ("task", "{0}/task.csv line 2: task '2d' is not one of 2a, 2b, 2c"),
        ("distractors", "Task 2a with distractors '5': Task 2c has distractors"),
        ("out", "--out {0}/shard_0.csv is one of the --from-trials files"),
        ("trials", "--trials {0}/shard_4.csv is one of the --from-trials files"),
    ],
)
def test_bad_trials_files_exit_2_naming_the_file_and_value(
    case, message, shards, tmp_path, capsys
):
    _, _, (first, second) = shards
    given = [str(first), str(second)]
    bad = tmp_path / f"{case}.csv"
    out = []
    if case == "overlap":  # seeds 3 and 4 beside seeds 0 to 3
        argv = [*EVERY_CONFIGURATION, "--seeds", "2", "--first-seed", "3"]
        run([*argv, "--trials", str(bad)], capsys)
        given = [str(first), str(bad)]
    elif case == "twice":
        given.append(str(second))
    elif case == "budget":
        given.append(str(edited(second, bad, "budget", "20000", "30000")))
        given = given[::2]
    elif case == "cell":  # a 1997 trial without its count from the cell
        lines = first.read_text().splitlines()
        lines = [lines[0], *(line for line in lines if line.startswith('"1997'))]
        bad.write_text("\n".join(lines) + "\n")
        given = [str(edited(bad, bad, "sequences_from_cell", "100", ""))]
        given.insert(0, str(second))
    elif case == "empty":
        bad.write_text("")
        given = [str(bad)]
    elif case == "header":
        bad.write_text(",".join(paper_table.TRIAL_COLUMNS) + "\n")
        given = [str(bad)]
    elif case in ("seed", "diverged", "task", "distractors"):
        column, old, new = {
            "seed": ("seed", "0", "x"),
            "diverged": ("diverged", "False", "yes"),
            "task": ("task", "2a", "2d"),
            "distractors": ("distractors", "", "5"),
        }[case]
        given = [str(edited(first, bad, column, old, new))]
    elif case == "out":
        out = ["--out", str(first)]
    elif case == "trials":
        out = ["--trials", str(second)]
    else:
        given = [str(bad)]  # no such file
    with pytest.raises(SystemExit) as info:
        paper.main(["--from-trials", *given, *out])
    assert info.value.code == 2
    assert message.format(tmp_path) in capsys.readouterr().err
    assert first.read_text().startswith("method,task,lag")  # nothing overwritten


"""
## The docs' own trials files
"""


def table_of(path):
    return path.with_name(path.name.replace(".trials.csv", ".csv"))


# Each docs/data table written beside its trials file comes from the same run.
DOCS_PAIRS = [p for p in sorted(DOCS_DATA.glob("*.trials.csv")) if table_of(p).exists()]


def test_the_docs_have_tables_beside_their_trials_files():
    assert len(DOCS_PAIRS) >= 10


@pytest.mark.parametrize("path", DOCS_PAIRS, ids=lambda path: path.name)
def test_the_docs_rows_rebuild_from_their_trials_files(path):
    table = table_of(path)
    want = [r for r in csv.DictReader(table.open()) if r["source"] == "ours"]
    groups = trials.group([trials.read_trials(str(path))])
    text = cli.format_table([trials.row(group) for group in groups.values()], "csv")
    got = list(csv.DictReader(io.StringIO(text)))
    assert want and without_seconds(got) == without_seconds(want)
