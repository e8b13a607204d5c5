"""The runner of lstm_lab/cli.py end to end: `main_of` with a demo command, as
extensions.py and paper.py use it: rows as they finish, formats, --out, Ctrl-C
and bad options."""

import argparse
import json

import pytest

from lstm_lab import cli


def make_program(rows, interrupted=True):
    """A one-command program whose command yields `rows` rows, then is
    interrupted (Ctrl-C) or, with interrupted=False, finishes."""
    commands = {}

    @cli.register(
        commands,
        "demo",
        "A demo command.",
        cli.seeds_option(3),
        cli.FIRST_SEED,
        *cli.output_options(),
    )
    def demo(args):
        for i in range(rows):
            yield {"configuration": f"row {i}", "runs": args.seeds}
        if interrupted:
            raise KeyboardInterrupt

    parser = argparse.ArgumentParser(prog="demo")
    for option in commands["demo"].options:
        option.add_to(parser)
    return parser, commands


def test_a_finished_command_prints_its_table_alone(capsys):
    parser, commands = make_program(2, interrupted=False)
    status = cli.main_of(parser, commands, ["--seeds", "5"], name="demo")
    assert status == cli.EXIT_OK
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    cells = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines]
    assert cells[0] == ["configuration", "runs"] and len(cells) == 4
    assert cells[2:] == [["row 0", "5"], ["row 1", "5"]]
    assert captured.err == ""  # stderr is not a terminal here: no progress


def test_interrupt_prints_the_finished_rows_and_exits_130(tmp_path, capsys):
    parser, commands = make_program(2)
    out_file = tmp_path / "rows.json"
    status = cli.main_of(
        parser, commands, ["--format", "json", "--out", str(out_file)], name="demo"
    )
    assert status == cli.EXIT_INTERRUPTED
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert [r["configuration"] for r in rows] == ["row 0", "row 1"]
    assert json.loads(out_file.read_text()) == rows  # --out kept them too
    assert captured.err.strip() == "interrupted: 2 finished row(s) printed above"


def test_interrupt_before_any_row_prints_no_table(capsys):
    parser, commands = make_program(0)
    assert cli.main_of(parser, commands, [], name="demo") == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().out == ""


def test_bad_out_path_exits_2_before_running(tmp_path, capsys):
    parser, commands = make_program(1)
    with pytest.raises(SystemExit) as exit_info:
        cli.main_of(
            parser, commands, ["--out", str(tmp_path / "missing" / "x.md")], name="demo"
        )
    assert exit_info.value.code == 2
    assert "argument --out: cannot write" in capsys.readouterr().err


def test_seeds_past_2_32_exit_2_before_running(capsys):
    parser, commands = make_program(1)
    argv = ["--first-seed", "4294967295", "--seeds", "2"]
    with pytest.raises(SystemExit) as exit_info:
        cli.main_of(parser, commands, argv, name="demo")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "reaches seed 4294967296, over 2**32-1" in err
