"""A row split by seed and rebuilt with --from-trials, from real training:
the modern and the 1997 trainers give each seed the same count however many
seeds are stacked beside it, so the merged shards are the unsplit rows.
tests/unit/test_paper_shards.py checks the merge itself with fake trainers."""

import json

import pytest

import paper

ROW = ["--method", "modern,1997", "--task", "2a", "--lag", "5"]
ROW += ["--max-sequences", "2000", "--article-lags", "none"]


def run(argv, capsys):
    assert paper.main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def without_seconds(rows):
    return [{k: v for k, v in r.items() if not k.startswith("seconds")} for r in rows]


@pytest.mark.slow
def test_shards_of_real_runs_merge_into_the_unsplit_rows(tmp_path, capsys):
    whole = tmp_path / "whole.csv"
    unsplit = run([*ROW, "--seeds", "4", "--trials", str(whole)], capsys)
    shards = []
    for first, n in ((0, 3), (3, 1)):
        shards.append(tmp_path / f"shard_{first}.csv")
        argv = ["--seeds", str(n), "--first-seed", str(first)]
        run([*ROW, *argv, "--trials", str(shards[-1])], capsys)
    merged_trials = tmp_path / "merged.csv"
    argv = ["--from-trials", *map(str, shards), "--trials", str(merged_trials)]
    merged = run(argv, capsys)
    assert without_seconds(merged) == without_seconds(unsplit)
    assert merged_trials.read_text() == whole.read_text()
    # Counts to compare: both rows learned, the 1997 one with its count from
    # the cell as well.
    ours = [r for r in merged if r["source"] == "ours"]
    assert [r["method"][:4] for r in ours] == ["LSTM", "1997"]
    assert all(r["learned"] > 0 for r in ours)
    assert ours[0]["mean_from_cell"] is None and ours[1]["mean_from_cell"] > 0
