"""Unit tests of lstm_lab/cli.py: option types, the registry, tables in three formats,
atomic files, progress counting.

The runner, `main_of` with a demo command, is in
tests/end_to_end/test_cli_runner.py.
"""

import argparse
import csv
import io
import json
import os

import numpy as np
import pytest

from lstm_lab import cli, outputs

# Option types name the bad value.


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (cli.int_list, "100,0", "must be at least 1, got 0"),
        (cli.int_list, "5,x", "'x' is not an integer"),
        (cli.int_list, "5,10,5", "5 is repeated in '5,10,5'"),
        (cli.float_list, "0.01,-1", "must be a positive number, got -1"),
        (cli.float_list, "0.1,nan", "must be a finite number, got nan"),
        (cli.float_list, "1e999", "must be a finite number, got 1e999"),
        (cli.float_list, "0.1,0.1", "0.1 is repeated"),
        (cli.positive_float, "0", "must be a positive number, got 0"),
        (cli.finite_float, "inf", "must be a finite number, got inf"),
        (cli.seed_int, "4294967296", "must be at most 2**32-1, got 4294967296"),
        (cli.seed_int, "-1", "must be at least 0, got -1"),
        (cli.choice_list(("2a", "2b")), "2a,2c", "unknown value '2c'"),
        (cli.choice_list(("2a", "2b")), "2a,2a", "'2a' is repeated"),
    ],
)
def test_option_types_name_the_bad_value(parse, text, message):
    with pytest.raises(argparse.ArgumentTypeError, match=message.replace("*", r"\*")):
        parse(text)


def test_option_types_accept_good_values():
    assert cli.int_list("100, 250") == [100, 250]
    assert cli.float_list("0.001,0.01") == [0.001, 0.01]
    assert cli.seed_int("4294967295") == 2**32 - 1
    assert cli.finite_float("-3") == -3.0


def test_option_help_shows_its_default():
    parser = argparse.ArgumentParser()
    cli.Option(
        "--lag", type=cli.int_list, default=[4, 10], help="lags (default: {default})"
    ).add_to(parser)
    cli.Option(
        "--none", type=cli.int_list, default=[], help="none (default: {default})"
    ).add_to(parser)
    text = parser.format_help()
    assert "lags (default: 4,10)" in text and "none (default: none)" in text
    assert parser.parse_args([]).lag == [4, 10]


# Tables.


def test_summarise_counts():
    correct = np.array([[False, True], [True, False], [False, False], [True, True]])
    row = cli.summarise("x", correct, 2.0, diverged=[False, False, True, False])
    assert row["runs"] == 4 and row["learned"] == 2 and row["success_rate"] == 0.5
    assert row["diverged"] == 1 and row["ever_learned"] == 3
    # Runs learned after epochs 2 and 1: the median is 1.5.
    assert row["median_epochs_to_learn"] == 1.5
    assert row["seconds_per_run"] == 0.5


def test_first_learned_epoch():
    assert cli.first_learned_epoch([False, True, True]) == 2
    assert cli.first_learned_epoch([True, False, True, True]) == 3
    assert cli.first_learned_epoch([True, True]) == 1
    assert cli.first_learned_epoch([True, False]) is None


ROWS = [
    {
        "configuration": "a | b",
        "runs": 100,
        "success_rate": 0.39,
        "mean_sequences": 1219.4,
        "median": None,
    },
    {
        "configuration": "c",
        "runs": 18,
        "success_rate": 1.0,
        "mean_sequences": None,
        "median": 5.0,
    },
]


def test_markdown_renders_as_a_table():
    lines = cli.format_table(ROWS).splitlines()
    assert len(lines) == 4
    # Every line has the same number of unescaped cell borders.
    borders = {line.replace("\\|", "").count("|") for line in lines}
    assert borders == {6}
    assert "a \\| b" in lines[2] and "1,219" in lines[2] and "0.39" in lines[2]
    assert lines[3].split("|")[4].strip() == "-"  # None shows as -


def test_csv_and_json_keep_numbers_as_numbers():
    rows = json.loads(cli.format_table(ROWS, "json"))
    assert rows == ROWS
    parsed = list(csv.DictReader(io.StringIO(cli.format_table(ROWS, "csv"))))
    assert [r["configuration"] for r in parsed] == ["a | b", "c"]
    assert float(parsed[0]["mean_sequences"]) == 1219.4
    assert parsed[1]["mean_sequences"] == ""  # None is an empty cell


def test_write_atomically_replaces_the_whole_file(tmp_path):
    path = tmp_path / "table.csv"
    outputs.write_atomically(path, "first")
    outputs.write_atomically(path, "second")
    assert path.read_text() == "second\n"
    assert os.listdir(tmp_path) == ["table.csv"]  # no temporary file left
    # Readable as any new file is, not private as mkstemp makes its files.
    mask = os.umask(0o022)
    try:
        outputs.write_atomically(path, "third")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("make_path", "message"),
    [
        (lambda tmp: tmp / "no" / "such" / "x.csv", "no folder"),
        (lambda tmp: tmp, "is a folder"),
    ],
)
def test_unwritable_paths_are_refused(tmp_path, make_path, message):
    with pytest.raises(ValueError, match=message):
        outputs.check_writable(str(make_path(tmp_path)))


# The registry and progress counting.


def test_register_keeps_the_function_and_its_options():
    commands = {}
    option = cli.seeds_option(3)

    @cli.register(commands, "demo", "A demo command.", option, cli.FIRST_SEED)
    def demo(args):
        yield {}

    assert list(commands) == ["demo"]
    assert commands["demo"].function is demo
    assert commands["demo"].description == "A demo command."
    assert commands["demo"].options == (option, cli.FIRST_SEED)
    assert commands["demo"].check is None


def test_progress_parts_count_on_from_the_ones_before():
    progress = cli.Progress(10, shown=False)
    assert progress.bar is None  # not shown: no bar at all
    first = progress.part()
    first(3)
    first(4)
    assert progress.done == 4
    second = progress.part()
    second(5)
    assert progress.done == 9
