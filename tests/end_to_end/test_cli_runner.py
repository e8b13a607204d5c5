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


def make_writer_program(rows):
    """A command with --out and a second output option, --also, that writes
    `rows` rows and reports progress after each, as the trainers do."""
    commands = {}

    @cli.register(
        commands,
        "demo",
        "A demo command with two outputs.",
        cli.seeds_option(3),
        cli.FIRST_SEED,
        *cli.output_options(),
        cli.Option("--also", metavar="FILE", writes=True),
    )
    def demo(args):
        progress = cli.Progress(rows, shown=False)
        for i in range(rows):
            progress.advance_to(i)
            yield {"configuration": f"row {i}", "runs": args.seeds}

    parser = argparse.ArgumentParser(prog="demo")
    for option in commands["demo"].options:
        option.add_to(parser)
    return parser, commands


def test_a_file_that_cannot_be_created_exits_2_before_running(capsys):
    # As root every folder passes os.access, but /proc refuses new files:
    # the check must try the file system, not the permission bits.
    parser, commands = make_writer_program(1)
    with pytest.raises(SystemExit) as exit_info:
        cli.main_of(parser, commands, ["--out", "/proc/x.csv"], name="demo")
    assert exit_info.value.code == 2
    assert "argument --out: cannot write /proc/x.csv" in capsys.readouterr().err


def test_two_outputs_naming_one_file_exit_2(tmp_path, capsys):
    parser, commands = make_writer_program(1)
    same = tmp_path / "rows.csv"
    argv = ["--out", str(same), "--also", str(tmp_path / "." / "rows.csv")]
    with pytest.raises(SystemExit) as exit_info:
        cli.main_of(parser, commands, argv, name="demo")
    assert exit_info.value.code == 2
    assert "--out and --also both name" in capsys.readouterr().err
    assert not same.exists()


def test_a_write_that_fails_mid_run_ends_in_one_line_and_keeps_the_file(
    tmp_path, capsys, monkeypatch
):
    parser, commands = make_writer_program(3)
    out_file = tmp_path / "rows.json"
    real_replace, calls = cli.os.replace, []

    def full_disk_on_the_second_write(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(cli.os, "replace", full_disk_on_the_second_write)
    argv = ["--format", "json", "--out", str(out_file)]
    status = cli.main_of(parser, commands, argv, name="demo")
    assert status == cli.EXIT_FAILED
    captured = capsys.readouterr()
    assert [r["configuration"] for r in json.loads(captured.out)] == ["row 0", "row 1"]
    assert captured.err.strip() == (
        f"could not write {out_file}: No space left on device; "
        "2 finished row(s) printed above"
    )
    # The file keeps the last whole write, and no temporary file is left.
    assert [r["configuration"] for r in json.loads(out_file.read_text())] == ["row 0"]
    assert [p.name for p in tmp_path.iterdir()] == ["rows.json"]


def test_ctrl_c_waits_for_the_next_progress_report_and_a_second_is_at_once():
    import os
    import signal

    # What Ctrl-C did before: Python's handler, or SIG_IGN in a process that
    # a shell started in the background without job control.
    before = signal.getsignal(signal.SIGINT)
    with cli.deferred_interrupts():
        os.kill(os.getpid(), signal.SIGINT)  # noted, not raised here
        with pytest.raises(KeyboardInterrupt):
            cli.Progress(10, shown=False).advance_to(1)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)  # the second: at once
    # Outside a command, Ctrl-C does what it did before, and nothing is pending.
    assert signal.getsignal(signal.SIGINT) is before
    cli.Progress(10, shown=False).advance_to(2)
