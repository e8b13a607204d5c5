"""The paper's traditional recurrent net (lstm_lab/traditional_net.py): its
weight counts are Table 2's, its initial weights are the reference's, and the
NumPy reference's RTRL and BPTT directions are the error's gradients, checked
by finite differences."""

import numpy as np
import pytest

from lstm_lab import estimates, paper_table, regimes, tasks, traditional_net
from lstm_lab.references import numpy_traditional as reference

# Hochreiter & Schmidhuber (1997), Table 2: the RTRL and BPTT nets' weights.
TABLE_2_WEIGHTS = {4: 36, 10: 144, 100: 10_404}


@pytest.mark.parametrize(("lag", "count"), TABLE_2_WEIGHTS.items())
def test_weight_counts_are_table_2s(lag, count):
    assert traditional_net.task_net(lag).n_weights() == count
    assert reference.n_weights(reference.paper_initial_weights(lag, 0)) == count
    assert any(row[2] == lag for row in paper_table.PAPER_TABLE if "RTRL" in row[0])


def test_initial_weights_are_the_references_in_the_documented_order():
    w = traditional_net.initial_weights(traditional_net.task_net(4), 7)
    ref = reference.paper_initial_weights(4, 7)
    np.testing.assert_array_equal(np.append(w["w_ih"], w["w_hh"]), ref["V"])
    np.testing.assert_array_equal(w["w_io"].T, ref["W"][:, :-1])
    np.testing.assert_array_equal(w["w_ho"], ref["W"][:, -1])
    assert np.abs(ref["W"]).max() <= 0.2 and np.ptp(ref["W"]) > 0.3


def numeric_gradient(f, weights, eps=1e-6):
    """Central differences of f(weights) for every weight."""
    grad = {}
    for k, v in weights.items():
        grad[k] = np.zeros_like(v)
        for i in np.ndindex(v.shape):
            up = {**weights, k: v.copy()}
            down = {**weights, k: v.copy()}
            up[k][i] += eps
            down[k][i] -= eps
            grad[k][i] = (f(up) - f(down)) / (2 * eps)
    return grad


def trial_weights(lag, seed):
    """Weights larger than the initial ones, so the self-loop matters."""
    w = reference.paper_initial_weights(lag, seed)
    return {k: 10 * v for k, v in w.items()}


@pytest.mark.parametrize("seed", [0, 3])
def test_bptt_direction_is_the_negative_gradient(seed):
    w = trial_weights(4, seed)
    sequence = tasks.lag_sequences(4)[seed % 2]
    want = numeric_gradient(lambda u: -reference.loss(u, sequence), w)
    got = reference.bptt_direction(w, sequence)
    for k in w:
        np.testing.assert_allclose(got[k], want[k], atol=1e-7)


def test_rtrl_directions_are_each_steps_negative_gradient():
    w = trial_weights(4, 1)
    sequence = tasks.lag_sequences(4)[1]
    unchanged, directions = reference.rtrl_sequence(w, sequence, rate=0.0)
    assert all(np.array_equal(unchanged[k], w[k]) for k in w)
    for t, direction in enumerate(directions):
        # Step t's error is the loss up to step t less the loss before it.
        def step_error(u, t=t):
            before = reference.loss(u, sequence[: t + 1]) if t else 0.0
            return reference.loss(u, sequence[: t + 2]) - before

        want = numeric_gradient(lambda u: -step_error(u), w)
        for k in w:
            np.testing.assert_allclose(direction[k], want[k], atol=1e-7)
    # At fixed weights the steps' directions add up to BPTT's.
    total = reference.bptt_direction(w, sequence)
    for k in w:
        np.testing.assert_allclose(sum(d[k] for d in directions), total[k], atol=1e-12)


def test_rtrl_changes_the_weights_at_every_step():
    w = reference.paper_initial_weights(4, 2)
    sequence = tasks.lag_sequences(4)[0]
    _, directions = reference.rtrl_sequence(w, sequence, rate=10.0)
    # Later steps' directions are taken at changed weights, so they are not
    # those at the initial weights.
    _, fixed = reference.rtrl_sequence(w, sequence, rate=0.0)
    assert np.allclose(directions[0]["W"], fixed[0]["W"])
    assert not np.allclose(directions[-1]["W"], fixed[-1]["W"])


def test_settings_defaults():
    for settings in (regimes.SettingsRTRL(), regimes.SettingsBPTT()):
        assert settings.learning_rate == 1.0
        assert settings.max_sequences == paper_table.PAPER_BUDGET
        assert settings.judge_every == 1_000


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method must be one of"):
        traditional_net.TrainerTraditional("adam", 4, regimes.SettingsRTRL())
    with pytest.raises(ValueError, match="the lag must be at least 2"):
        traditional_net.task_net(1)


def test_table_2s_rows_are_within_reach_and_a_huge_lag_is_refused(capsys):
    import paper

    cost = estimates.traditional("rtrl", 100, 18, 1_000)
    work = estimates.online_work(cost, paper_table.PAPER_BUDGET, 1_000, 18)
    assert 1e12 < work < estimates.MAX_WORK and cost.n_bytes < estimates.MAX_BYTES
    with pytest.raises(SystemExit) as info:
        paper.main(["--method", "bptt", "--task", "2a", "--lag", "100000"])
    assert info.value.code == 2
    assert "--method bptt at --lag 100000 with 5,000,000 sequences" in (
        capsys.readouterr().err
    )
