"""The package's 1997 nets and initial weights (lstm_lab/net_1997.py) against
the reference's own reading of the paper (references/numpy_1997.py): two
pieces of code that must agree on every net the trainer builds."""

import re

import numpy as np
import pytest

from lstm_lab import net_1997, tasks
from lstm_lab.references import numpy_1997

NETS = [
    ("2a", 5, None, None, None),
    ("2a", 100, None, "centred2", None),
    ("2b", 6, None, None, None),
    ("2c", 5, None, None, None),
    ("2c", 50, 50, "centred1", "centred2"),  # Table 10's legend's ranges
    # Task 2c's width follows its distractors, not its lag.
    ("2c", 7, 3, None, None),
    ("2c", 3, 9, None, None),
    ("2c", 1000, 50, None, None),
]


@pytest.mark.parametrize(("task", "lag", "distractors", "g", "h"), NETS)
def test_the_package_builds_the_references_nets(task, lag, distractors, g, h):
    net = net_1997.task_net(task, lag, distractors, g, h)
    reference = numpy_1997.paper_net(task, lag, distractors, g, h)
    assert net.shapes() == reference.weight_shapes()
    assert net.n_weights() == reference.n_weights()
    fields = ("n_in", "n_out", "n_cells", "out_gates", "recurrent", "direct", "g", "h")
    assert [getattr(net, f) for f in fields] == [getattr(reference, f) for f in fields]
    assert (net.n_units, net.n_sources) == (reference.n_units, reference.n_sources)


@pytest.mark.parametrize(("task", "lag", "distractors", "g", "h"), NETS)
def test_the_package_draws_the_references_initial_weights(task, lag, distractors, g, h):
    net = net_1997.task_net(task, lag, distractors, g, h)
    reference = numpy_1997.paper_net(task, lag, distractors, g, h)
    for seed in (0, 1, 17):
        got = net_1997.initial_weights_1997(net, seed)
        want = numpy_1997.paper_initial_weights(reference, seed)
        assert list(got) == list(want) == ["w_c", "w_in", "w_out", "w_k"]
        for name in want:
            np.testing.assert_array_equal(got[name], want[name], err_msg=name)
        drawn = np.concatenate([w.ravel() for w in got.values()])
        assert np.abs(drawn).max() <= net_1997.INIT_RANGE
        assert len(np.unique(drawn)) == drawn.size == net.n_weights()


def test_the_initial_weights_are_the_published_rows():
    # The published rows' counts came from these draws: run `seed`'s weights
    # are default_rng([seed, 2]) uniform in [-0.2, 0.2], one matrix after
    # another. Any change here changes every count.
    net = net_1997.task_net("2c", 7, 3)
    rng = np.random.default_rng([4, 2])
    want = {k: rng.uniform(-0.2, 0.2, s) for k, s in net.shapes().items()}
    got = net_1997.initial_weights_1997(net, 4)
    for name, value in want.items():
        np.testing.assert_array_equal(got[name], value, err_msg=name)


def test_different_seeds_draw_different_weights():
    net = net_1997.task_net("2a", 5)
    first, second = (net_1997.initial_weights_1997(net, s) for s in (0, 1))
    assert not np.array_equal(first["w_k"], second["w_k"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2d", 5), "task must be one of ('2a', '2b', '2c'), got '2d'"),
        (("2a", 5, 3), "distractors are for Task 2c, not 2a"),
        (("2a", 5, None, "tanh"), "squashing function must be one of"),
        (("2c", 5, 0), "Task 2c needs at least 1 distractor, got 0"),
    ],
)
def test_bad_nets_are_refused_by_name(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        net_1997.task_net(*args)


@pytest.mark.parametrize("task", ["2a", "2b"])
def test_one_cell_draws_the_weights_it_always_drew(task):
    # The default net of Tasks 2a and 2b, and cells=1, have Table 10's shapes
    # written out here, so every seed draws the weights the published rows
    # came from: default_rng([seed, 2]) uniform in [-0.2, 0.2], one matrix
    # after another.
    p = 7
    shapes = {"w_c": (1, p + 1), "w_in": (1, p + 1), "w_out": (1, 0)}
    shapes["w_k"] = (p + 1, 1 + p + 1)
    for net in (net_1997.task_net(task, p), net_1997.task_net(task, p, cells=1)):
        assert net.shapes() == shapes
        for seed in (0, 3, 17):
            rng = np.random.default_rng([seed, 2])
            got = net_1997.initial_weights_1997(net, seed)
            for name, shape in shapes.items():
                want = rng.uniform(-0.2, 0.2, shape)
                np.testing.assert_array_equal(got[name], want, err_msg=name)


@pytest.mark.parametrize(("task", "lag", "cells"), [("2a", 5, 2), ("2b", 100, 3)])
def test_more_cells_build_and_draw_the_references_nets(task, lag, cells):
    net = net_1997.task_net(task, lag, cells=cells)
    reference = numpy_1997.paper_net(task, lag, cells=cells)
    assert net.shapes() == reference.weight_shapes()
    assert net.n_cells == reference.n_cells == cells
    # Each cell and its gate read every input; the outputs read every cell.
    assert net.n_weights() == 2 * cells * (lag + 1) + (lag + 1) * (cells + lag + 1)
    for seed in (0, 5):
        got = net_1997.initial_weights_1997(net, seed)
        want = numpy_1997.paper_initial_weights(reference, seed)
        for name in want:
            np.testing.assert_array_equal(got[name], want[name], err_msg=name)


@pytest.mark.parametrize(("task", "lag"), [("2a", 2), ("2b", 6), ("2a", 100)])
def test_the_x_and_y_outputs_are_the_last_steps_targets(task, lag):
    xy = net_1997.xy_outputs(task, lag)
    assert xy == numpy_1997.xy_units(lag)
    fixed = tasks.lag_sequences(lag)
    # The sequences end with x or y, and nothing else in them is x or y.
    assert set(fixed[:, -1]) == set(xy)
    assert not np.isin(fixed[:, 1:-1], xy).any()
    assert max(xy) < net_1997.task_net(task, lag).n_out


def test_the_cells_of_task_2c_are_its_own():
    assert net_1997.task_net("2c", 5, cells=2) == net_1997.task_net("2c", 5)
    with pytest.raises(ValueError, match="Task 2c's net has 2 cells, got cells 3"):
        net_1997.task_net("2c", 5, cells=3)
    with pytest.raises(ValueError, match="n_cells must be at least 1, got 0"):
        net_1997.task_net("2a", 5, cells=0)
    with pytest.raises(ValueError, match="task must be one of"):
        net_1997.xy_outputs("2c", 5)
