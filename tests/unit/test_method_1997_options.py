"""The 1997 method's readings of the paper and its Task 2b end marker: the
settings' checks, the nets they choose, the sequences, and the rows' counts.
Nothing trains."""

import dataclasses

import numpy as np
import pytest

from lstm_lab import net_1997, paper_table, regimes, tasks
from lstm_lab.references import numpy_1997


def settings(task, **changes):
    return dataclasses.replace(regimes.Settings1997.for_task(task), **changes)


def test_the_defaults_are_the_printed_readings():
    for task in tasks.PAPER_TASKS:
        chosen = regimes.Settings1997.for_task(task)
        assert (chosen.error, chosen.ranges_2c, chosen.end_marker) == (
            "eq19",
            "text",
            False,
        )
        chosen.check(task)
        # Tasks 2a and 2b: the paper's one cell and every error at every step.
        assert chosen.xy_last_only is False
        assert chosen.cells == net_1997.task_net(task, 5).n_cells


@pytest.mark.parametrize(
    ("task", "changes", "message"),
    [
        ("2a", {"error": "eq17"}, "error must be one of ('eq19', 'eq16'), got 'eq17'"),
        ("2c", {"ranges_2c": "table"}, "ranges_2c must be one of"),
        ("2b", {"end_marker": "yes"}, "end_marker must be one of"),
        ("2a", {"end_marker": True}, "end_marker is for Task 2b, not 2a"),
        ("2c", {"end_marker": True}, "end_marker is for Task 2b, not 2c"),
        ("2a", {"ranges_2c": "legend"}, "ranges_2c 'legend' is for Task 2c, not 2a"),
        ("2c", {"ranges_2c": "legend", "g": "0-to-1"}, "so g '0-to-1' cannot"),
        ("2a", {"add_cell": -1}, "add_cell must be 'plateau' or >= 0, got -1"),
        ("2a", {"update": "epoch"}, "update must be step or sequence, got 'epoch'"),
        ("2a", {"g": "tanh"}, "got 'tanh'"),
        ("2b", {"xy_last_only": "yes"}, "xy_last_only must be one of (False, True)"),
        ("2c", {"xy_last_only": True}, "xy_last_only is for Tasks 2a and 2b, not 2c"),
        ("2a", {"cells": 0}, "cells must be at least 1, got 0"),
        ("2b", {"cells": 2.0}, "cells must be an integer, got 2.0"),
        (
            "2c",
            {"cells": 3},
            "Task 2c's net has its own 2 cells (Table 10), so cells 3",
        ),
    ],
)
def test_bad_settings_are_refused_by_name(task, changes, message):
    with pytest.raises(ValueError) as info:
        settings(task, **changes).check(task)
    assert message in str(info.value)


def test_each_reading_picks_its_squashing_functions():
    # (g, h) for net_1997.task_net; None keeps the task's own h.
    assert settings("2c").squashing("2c") == ("centred2", None)
    assert settings("2c", ranges_2c="legend").squashing("2c") == (
        "centred1",
        "centred2",
    )
    assert settings("2a").squashing("2a") == ("logistic", None)
    assert settings("2a", g="minus-2-to-2").squashing("2a") == ("centred2", None)


def test_the_legend_swaps_the_ranges_of_h_and_g():
    text = net_1997.task_net("2c", 5)
    legend = net_1997.task_net(
        "2c", 5, None, *settings("2c", ranges_2c="legend").squashing("2c")
    )
    far = np.array([-50.0, 50.0])
    # The reference's squashing functions, by the same names.
    ranges = {
        name: numpy_1997.squash(name, far)[0].tolist()
        for name in net_1997.SQUASH
        if name != "identity"
    }
    assert (ranges[text.g], ranges[text.h]) == ([-2.0, 2.0], [-1.0, 1.0])
    assert (ranges[legend.g], ranges[legend.h]) == ([-1.0, 1.0], [-2.0, 2.0])
    assert legend.n_weights() == text.n_weights() == 6 * (5 + 10) + 4


@pytest.mark.parametrize("p", [2, 3, 10, 100])
def test_end_marker_sequences(p):
    n = 4_000
    fixed = tasks.lag_sequences(p)
    rng = np.random.default_rng(7)
    drawn = tasks.task_sequences(rng, "2b", p, n, end_marker=True)
    assert drawn.shape == (n, p + 1)
    x, y = p - 1, p
    assert set(drawn[:, 0]) == {x, y}
    np.testing.assert_array_equal(drawn[:, -1], drawn[:, 0])
    # The last middle symbol, the input of the last step, is a(p-1) = p - 2.
    np.testing.assert_array_equal(drawn[:, -2], fixed[0, -2])
    assert fixed[0, -2] == p - 2
    rest = drawn[:, 1:-2]
    assert rest.shape == (n, p - 2)
    if p > 2:
        # The rest: uniform over a1..a(p-2) = 0..p-3, so a(p-1) never appears.
        assert set(np.unique(rest)) == set(range(p - 2))
        counts = np.bincount(rest.ravel(), minlength=p - 2)
        assert counts.min() > 0.8 * rest.size / (p - 2)


def test_without_the_marker_task_2b_draws_what_it_always_drew():
    p, n = 6, 50
    fixed = tasks.lag_sequences(p)
    drawn = tasks.draw_task(np.random.default_rng(3), "2b", fixed, n)
    rng = np.random.default_rng(3)
    want = fixed[rng.integers(0, 2, n)]
    want[:, 1:-1] = rng.integers(0, p - 1, (n, p - 1))
    np.testing.assert_array_equal(drawn, want)
    # and a(p-1) does appear before the last step: nothing marks the end.
    assert (drawn[:, 1:-2] == p - 2).any()


@pytest.mark.parametrize("task", ["2a", "2c"])
def test_the_end_marker_is_for_task_2b_only(task):
    with pytest.raises(ValueError, match=f"the end marker is for Task 2b, not {task}"):
        tasks.task_sequences(np.random.default_rng(0), task, 5, 2, end_marker=True)


def test_the_row_gives_both_counts():
    # A run learns only once its cell has joined; one may fail with or
    # without it.
    row = paper_table.summarise_paper(
        "1997",
        "2a",
        100,
        [1_000, None, 3_000, None],
        np.zeros(4, bool),
        1.0,
        5_000,
        cell_added=[400, 900, 1_000, None],
    )
    assert row["mean_sequences"] == 2_000.0 and row["median_sequences"] == 2_000.0
    assert row["mean_from_cell"] == (600 + 2_000) / 2
    assert row["median_from_cell"] == 1_300.0


def test_rows_without_a_cell_leave_the_count_from_it_empty():
    row = paper_table.summarise_paper(
        "modern", "2a", 100, [100, 200], np.zeros(2, bool), 1.0, 5_000
    )
    assert row["mean_from_cell"] is None and row["median_from_cell"] is None
    assert row["mean_sequences"] == 150.0


@pytest.mark.parametrize(
    ("task", "changes", "words"),
    [
        ("2a", {"error": "eq16"}, "error E of eq. 16 (steps twice eq. 19's)"),
        ("2c", {"ranges_2c": "legend"}, "h [-2, 2], g [-1, 1] (Table 10's legend)"),
        ("2b", {"end_marker": True}, "end marker a(p-1) (not in the paper)"),
        (
            "2b",
            {"xy_last_only": True},
            "x and y outputs' errors at the last step only (not in the paper)",
        ),
        ("2a", {"xy_last_only": True}, "x and y outputs' errors at the last step"),
        ("2b", {"cells": 2}, "1997 LSTM (2 cells), truncated RTRL"),
        ("2b", {"cells": 2}, "cells added at a plateau"),
    ],
)
def test_row_names_say_which_reading(task, changes, words):
    assert words in paper_table.name_1997(task, settings(task, **changes))
    plain = paper_table.name_1997(task, settings(task))
    assert "eq. 16" not in plain and "legend" not in plain and "marker" not in plain
    assert "x and y" not in plain and "(2 cells)" not in plain


def test_the_default_row_names_are_unchanged():
    # Rows already published carry these names: the new settings at their
    # defaults add nothing to them.
    assert paper_table.name_1997("2b", settings("2b")) == (
        "1997 LSTM (1 cell), truncated RTRL, lr 1, update per sequence, g [0, 1], "
        "cell added at a plateau"
    )
    assert paper_table.name_1997("2c", settings("2c")) == (
        "1997 LSTM (2 cells + output gates), truncated RTRL, lr 0.01, update per "
        "sequence"
    )
