"""The 1997 LSTM and its learning rule, in NumPy, as the paper's appendix prints them.

Hochreiter & Schmidhuber, "Long Short-Term Memory", Neural Computation 9(8),
1997, Appendix A.1. One network, one time step at a time, float64, written to
be read beside the appendix's equations rather than to be fast. It is the
reference that `lstm_lab/method_1997.py`, the side-by-side trainer, is tested
against. `task_net` gives the paper's net for each task (its Table 10).

The cell has no forget gate. Its state starts at 0 for each sequence and only
adds: s(t) = s(t-1) + y_in(t) g(net_c(t)). Its output is y_c = y_out h(s). The
gates and the output units are logistic; there are no biases. The learning rule
is the appendix's truncated real-time recurrent learning (RTRL): the error
flows back in time only through s, so each cell carries forward, for each of
its own weights w, the derivative ds/dw, and the error at a step updates w by
e_s ds/dw. Output units and output gates learn from one step's error only.

A note on the factor 2: the paper's error (its eq. 16) is E = sum_k (t_k -
y_k)^2, but its update equations use e_k = f'(net_k)(t_k - y_k) (eq. 19), the
gradient of E / 2. By default we follow the equations, so the learning rate
means what the paper's means; error="eq16" descends E itself instead.
"""

import dataclasses

import numpy as np

INIT_RANGE = 0.2  # weights start uniform in [-0.2, 0.2]


# The factor on e_k of each reading of the error (regimes.ERRORS): eq. 19's
# e_k is the gradient of E / 2, and E's own gradient has the 2 back.
ERROR_SCALE = {"eq19": 1.0, "eq16": 2.0}


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# The squashing functions, each as (function, derivative from the logistic of
# the net input). The paper's g and h are scaled logistics.
SQUASH = {
    "identity": None,  # h(s) = s, h' = 1 (Tasks 2a and 2b)
    "logistic": (0.0, 1.0),  # range [0, 1]: the 2a text and Table 10's g
    "centred1": (-1.0, 2.0),  # 2 sigma - 1, range [-1, 1]: the appendix's h
    "centred2": (-2.0, 4.0),  # 4 sigma - 2, range [-2, 2]: the appendix's g
}


def squash(name, x):
    """(value, derivative) of the named squashing function at x."""
    if name not in SQUASH:
        raise ValueError(
            f"squashing function must be one of {sorted(SQUASH)}, got {name!r}"
        )
    if SQUASH[name] is None:
        return x, np.ones_like(x)
    low, scale = SQUASH[name]
    sig = sigmoid(x)
    return low + scale * sig, scale * sig * (1 - sig)


@dataclasses.dataclass(frozen=True)
class Net:
    """The shape of a 1997 net.

    n_in one-hot inputs, n_out logistic outputs, n_cells memory cells, each with
    an input gate and (out_gates) an output gate. The cells' and gates' net
    inputs read the inputs and, if `recurrent`, every cell's and gate's output
    at the previous step. The outputs read the cells and, if `direct`, the
    inputs. g squashes the cell's input, h its state (names in SQUASH).
    """

    n_in: int
    n_out: int
    n_cells: int
    out_gates: bool
    recurrent: bool
    direct: bool
    g: str
    h: str

    def __post_init__(self):
        for name in (self.g, self.h):
            squash(name, np.zeros(1))
        for name in ("n_in", "n_out", "n_cells"):
            if getattr(self, name) < 1:
                raise ValueError(
                    f"{name} must be at least 1, got {getattr(self, name)}"
                )

    @property
    def n_units(self):
        """Cells, input gates and output gates: what a recurrent net feeds back."""
        return self.n_cells * (3 if self.out_gates else 2)

    @property
    def n_sources(self):
        """What each cell and gate reads."""
        return self.n_in + (self.n_units if self.recurrent else 0)

    @property
    def n_read(self):
        """What each output unit reads."""
        return self.n_cells + (self.n_in if self.direct else 0)

    def shapes(self):
        """The weight matrices: cell input, input gate, output gate, outputs."""
        gate = (self.n_cells, self.n_sources)
        return {
            "w_c": gate,
            "w_in": gate,
            "w_out": gate if self.out_gates else (self.n_cells, 0),
            "w_k": (self.n_out, self.n_read),
        }

    def n_weights(self):
        return sum(int(np.prod(s)) for s in self.shapes().values())


def task_net(task, p, distractors=None, g=None, h=None):
    """The paper's net for Task 2a, 2b or 2c (its Table 10).

    g and h: SQUASH names, by default the task's: 2a and 2b g "logistic", h
    "identity"; 2c, as its text gives them, g "centred2" and h "centred1".
    """
    if task not in ("2a", "2b", "2c"):
        raise ValueError(f"task must be one of ('2a', '2b', '2c'), got {task!r}")
    if task == "2c":
        n_symbols = (p if distractors is None else distractors) + 4
        g, h = g or "centred2", h or "centred1"
        return Net(n_symbols, 2, 2, True, True, False, g, h)
    return Net(p + 1, p + 1, 1, False, False, True, g or "logistic", h or "identity")


def initial_weights(net, seed):
    """The weights for `seed`: uniform in [-0.2, 0.2], from default_rng([seed, 2])."""
    rng = np.random.default_rng([seed, 2])
    return {
        name: rng.uniform(-INIT_RANGE, INIT_RANGE, shape)
        for name, shape in net.shapes().items()
    }


def train_sequence(
    net,
    weights,
    sequence,
    judged,
    rate,
    per_step,
    cell_on=True,
    last_weight=1.0,
    error="eq19",
):
    """Train on one sequence; returns (new weights, outputs (T, n_out)).

    `sequence` holds symbols; the inputs are all but the last, and the target at
    step t is one-hot sequence[t + 1] (Tasks 2a, 2b) or, for Task 2c, given by
    the caller through `judged`: a list of (t, target vector) pairs, the steps
    whose error counts. per_step: weights change after every judged step (the
    net of the next step sees them), else once, by the sum of all steps'
    contributions, after the sequence. cell_on=False: the net before the cell
    is added, inputs to outputs only, and only those weights learn. The error
    at the sequence's last step counts last_weight times (1 in the paper).
    error: "eq19", the printed e_k, or "eq16", the gradient of eq. 16's E.
    """
    if error not in ERROR_SCALE:
        raise ValueError(f"error must be one of {tuple(ERROR_SCALE)}, got {error!r}")
    w = {k: v.copy() for k, v in weights.items()}
    sums = {k: np.zeros_like(v) for k, v in w.items()}
    C = net.n_cells
    s = np.zeros(C)
    rec = np.zeros(net.n_units if net.recurrent else 0)
    d_in = np.zeros((C, net.n_sources))  # ds/dw_in, carried forward
    d_c = np.zeros((C, net.n_sources))  # ds/dw_c
    targets = dict(judged)
    outputs = []
    for t, symbol in enumerate(sequence[:-1]):
        x = np.zeros(net.n_in)
        x[symbol] = 1.0
        u = np.concatenate(
            [x, rec]
        )  # what the cells and gates read: y_u(t-1) and the input
        y_in = sigmoid(w["w_in"] @ u)
        g, g_prime = squash(net.g, w["w_c"] @ u)
        y_out = sigmoid(w["w_out"] @ u) if net.out_gates else np.ones(C)
        if cell_on:
            s = s + y_in * g
            # Truncation: u counts as a constant, so these are the whole derivatives.
            d_in += np.outer(g * y_in * (1 - y_in), u)
            d_c += np.outer(y_in * g_prime, u)
        h, h_prime = squash(net.h, s)
        y_c = y_out * h if cell_on else np.zeros(C)
        read = np.concatenate([y_c, x]) if net.direct else y_c
        y_k = sigmoid(w["w_k"] @ read)
        outputs.append(y_k)
        if t in targets:
            e_k = ERROR_SCALE[error] * y_k * (1 - y_k) * (targets[t] - y_k)
            if t == len(sequence) - 2:
                e_k = last_weight * e_k
            delta = {"w_k": np.outer(e_k, read)}
            # Without the cell, y_c and so the cell's column of `read` is 0: only
            # the input-to-output weights learn.
            if cell_on:
                back = w["w_k"][:, :C].T @ e_k  # sum_k w_kc e_k, per cell
                e_s = y_out * h_prime * back
                delta["w_in"] = e_s[:, None] * d_in
                delta["w_c"] = e_s[:, None] * d_c
                if net.out_gates:
                    delta["w_out"] = np.outer(y_out * (1 - y_out) * h * back, u)
            for name, d in delta.items():
                if per_step:
                    w[name] += rate * d
                else:
                    sums[name] += d
        if net.recurrent:
            gates = [y_in, y_out] if net.out_gates else [y_in]
            rec = np.concatenate([y_c, *gates])
    if not per_step:
        for name in w:
            w[name] += rate * sums[name]
    return w, np.array(outputs)


def next_symbol_targets(sequence, n_out):
    """Tasks 2a and 2b: at every step the target is the next symbol, one hot."""
    eye = np.eye(n_out)
    return [(t, eye[symbol]) for t, symbol in enumerate(sequence[1:])]


def task_targets(task, sequence, net, p):
    """The judged steps and their targets, as train_sequence takes them.

    Tasks 2a and 2b: every step, the next symbol. Task 2c, with p distractor
    symbols (so x and y are symbols p + 2 and p + 3): the last step only, x or
    y, the sequence's last symbol.
    """
    if task != "2c":
        return next_symbol_targets(sequence, net.n_out)
    return [(len(sequence) - 2, np.eye(2)[sequence[-1] - (p + 2)])]
