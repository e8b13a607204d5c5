"""docs/figures.py draws its figures from small CSV files written here."""

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def figures():
    spec = importlib.util.spec_from_file_location(
        "figures", ROOT / "docs" / "figures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TRIALS = """method,task,lag,distractors,seed,sequences,sequences_from_cell,diverged,budget
"LSTM(64) + input->output, Adam",2a,100,,0,1200,,False,20000
"LSTM(64) + input->output, Adam",2a,100,,1,1300,,False,20000
"LSTM(64) + input->output, Adam",2a,1000,,0,2400,,False,20000
"1997 LSTM (1 cell), truncated RTRL",2a,100,,0,,,False,50000
"1997 LSTM (1 cell), truncated RTRL",2a,100,,1,23000,22000,False,50000
"LSTM(8), Adam, loss at the end",2c,50,50,0,130,,False,5000
"LSTM(8), Adam, loss at the end",2c,1000,50,0,200,,False,5000
"""
PAPER = """source,method,task,lag,distractors,runs,learned,success_rate,mean_sequences
paper,LSTM,2a,100,,18,18,1.0,5040
paper,LSTM (1997),2c,50,50,20,20,1.0,30000
paper,LSTM (1997),2c,1000,1000,20,20,1.0,49000
paper,RTRL,2a,100,,18,0,0.0,
"""
TABLE = """configuration,runs,learned,success_rate,success_low,success_high
"a, b",100,39,0.39,0.3,0.488
c,100,0,0.0,0.0,0.037
"""


def test_lags_figure_is_a_png(figures, tmp_path):
    (tmp_path / "t.trials.csv").write_text(TRIALS)
    (tmp_path / "paper.csv").write_text(PAPER)
    out = tmp_path / "lags.png"
    (tmp_path / "u.trials.csv").write_text(TRIALS)
    argv = ["lags", "--trials", str(tmp_path / "t.trials.csv")]
    argv.append(f"1997, a label=={tmp_path / 'u.trials.csv'}")
    assert (
        figures.main([*argv, "--paper", str(tmp_path / "paper.csv"), "--out", str(out)])
        == 0
    )
    assert out.read_bytes().startswith(PNG)


def test_extensions_figure_is_a_png(figures, tmp_path):
    (tmp_path / "batch.csv").write_text(TABLE)
    out = tmp_path / "ext.png"
    argv = [
        "extensions",
        "--table",
        f"Batch={tmp_path / 'batch.csv'}",
        "--out",
        str(out),
    ]
    assert figures.main(argv) == 0
    assert out.read_bytes().startswith(PNG)


def test_a_label_names_every_trial_of_its_file(figures, tmp_path):
    (tmp_path / "t.csv").write_text(TRIALS)
    assert figures.labelled_trials(f"modern=x={tmp_path / 't.csv'}") == (
        "modern=x",
        str(tmp_path / "t.csv"),
    )
    assert figures.labelled_trials(str(tmp_path / "t.csv")) == (
        "",
        str(tmp_path / "t.csv"),
    )


def test_series_and_means(figures):
    rows = list(figures.csv.DictReader(TRIALS.splitlines()))
    keys = {figures.series_key(r) for r in rows}
    # 2c at q = 1000 with p = 50 distractors is not the q = p series.
    assert ("LSTM(8), Adam, loss at the end", "2c, p fixed") in keys
    assert figures.kind("1997 LSTM (1 cell)") == "1997"
    assert figures.kind("article's: LSTM(20)") == "article"
    assert figures.number("") is None and figures.number("12") == 12.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["lags", "--trials", "/no/such.csv", "--out", "x.png"],
            "no file /no/such.csv",
        ),
        (
            ["extensions", "--table", "nothing", "--out", "x.png"],
            "is not TITLE=FILE.csv",
        ),
        (["extensions", "--table", "A=/no/such.csv", "--out", "x.png"], "no file"),
    ],
)
def test_bad_inputs_exit_2_naming_them(figures, argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        figures.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_out_must_be_png_and_columns_must_exist(figures, tmp_path, capsys):
    (tmp_path / "t.csv").write_text("configuration,runs\nx,3\n")
    for argv, message in (
        (
            ["extensions", "--table", f"A={tmp_path / 't.csv'}", "--out", "x.pdf"],
            "x.pdf",
        ),
        (
            [
                "extensions",
                "--table",
                f"A={tmp_path / 't.csv'}",
                "--out",
                str(tmp_path / "x.png"),
            ],
            "missing column",
        ),
    ):
        with pytest.raises(SystemExit) as exit_info:
            figures.main(argv)
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err


NETS = """configuration,runs,learned,success_rate,success_low,success_high
"mlp, step",100,0,0.0,0.0,0.037
"lstm, step",100,39,0.39,0.3,0.488
"""
LONG = """configuration,runs,learned,success_rate,success_low,success_high
p=4 (5 steps),50,19,0.38,0.259,0.518
p=10 (11 steps),50,0,0.0,0.0,0.071
"""
CELL = """source,method,task,lag,distractors,runs,learned,success_rate,success_low,success_high
ours,"GRU(64) + input->output, Adam",2a,100,,10,10,1.0,0.722,1.0
paper,LSTM,2a,100,,18,18,1.0,,
"""


def test_memory_figure_takes_each_rows_lag_from_where_it_is(figures, tmp_path):
    for name, text in (("nets", NETS), ("long", LONG), ("cell", CELL)):
        (tmp_path / f"{name}.csv").write_text(text)
    # The lag from @4, from "p=N (...)", and from the lag column; :TEXT filters.
    label, points = figures.rate_rows(
        figures.rows_spec(f"MLP={tmp_path / 'nets.csv'}@4:mlp")
    )
    assert label == "MLP" and [(t, lag) for t, lag, _ in points] == [("2a", 4.0)]
    _, points = figures.rate_rows(figures.rows_spec(f"LSTM={tmp_path / 'long.csv'}"))
    assert [lag for _, lag, _ in points] == [4.0, 10.0]
    _, points = figures.rate_rows(figures.rows_spec(f"GRU={tmp_path / 'cell.csv'}"))
    assert [(t, lag) for t, lag, _ in points] == [("2a", 100.0)]  # not the paper's
    out = tmp_path / "memory.png"
    argv = ["memory", "--rows", f"MLP={tmp_path / 'nets.csv'}@4:mlp"]
    argv += [f"GRU={tmp_path / 'cell.csv'}", f"GRU={tmp_path / 'cell.csv'}"]
    argv += ["--paper", str(tmp_path / "cell.csv"), "--out", str(out)]
    assert figures.main(argv) == 0
    assert out.read_bytes().startswith(PNG)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nothing", "is not LABEL=FILE[@LAG][:TEXT]"),
        ("A={nets}@x", "the lag after @ is not a number"),
        ("A={nets}", "no lag for row 'mlp, step': add @LAG"),
        ("A={nets}@4:gru", "has no rows matching 'gru'"),
    ],
)
def test_memory_figure_refuses_rows_without_a_lag_by_name(
    figures, tmp_path, capsys, spec, message
):
    (tmp_path / "nets.csv").write_text(NETS)
    argv = ["memory", "--rows", spec.format(nets=tmp_path / "nets.csv")]
    with pytest.raises(SystemExit) as exit_info:
        figures.main([*argv, "--out", str(tmp_path / "m.png")])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
