"""The 1997 LSTM and its learning rule, in NumPy, as the paper's appendix prints them.

Hochreiter & Schmidhuber, "Long Short-Term Memory", Neural Computation 9(8),
1997, Appendix A.1. One network, one time step at a time, float64, written to
be read beside the appendix's equations rather than to be fast. It is the
reference that `lstm_lab/method_1997.py`, the side-by-side trainer, is tested
against, and it builds its nets and their initial weights from the paper
itself (`paper_net`, `paper_initial_weights`: Table 10 and section 5.2),
with none of the package's code for them (`lstm_lab/net_1997.py`), so that
the tests compare two readings. Only the task's sequences and the runs'
random streams come from `lstm_lab/tasks.py`: they are the protocol.

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

from lstm_lab import tasks

# The factor eq. 16's E puts on e_k against eq. 19's.
ERROR_FACTOR = {"eq19": 1.0, "eq16": 2.0}


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def _identity(x):
    return x, np.ones_like(x)


def _logistic(x):
    y = logistic(x)
    return y, y * (1 - y)


def _logistic_minus_1_to_1(x):
    y = logistic(x)
    return 2 * y - 1, 2 * y * (1 - y)


def _logistic_minus_2_to_2(x):
    y = logistic(x)
    return 4 * y - 2, 4 * y * (1 - y)


# The appendix's squashing functions by the names the settings use
# (regimes.G_RANGES), each giving (value, derivative).
SQUASHING = {
    "identity": _identity,  # Tasks 2a and 2b's h
    "logistic": _logistic,  # the 2a text's g, on [0, 1]
    "centred1": _logistic_minus_1_to_1,  # the appendix's h: 2 sigma - 1
    "centred2": _logistic_minus_2_to_2,  # the appendix's g: 4 sigma - 2
}


def squash(name, x):
    """(value, derivative) of the named squashing function at x."""
    if name not in SQUASHING:
        raise ValueError(
            f"squashing function must be one of {sorted(SQUASHING)}, got {name!r}"
        )
    return SQUASHING[name](x)


@dataclasses.dataclass(frozen=True)
class PaperNet:
    """A 1997 net as Table 10 describes one.

    n_in one hot inputs and n_out logistic outputs; n_cells memory cells, each
    with an input gate and (out_gates) an output gate. Every cell and gate
    reads the inputs and, if `recurrent`, the previous step's outputs of all
    cells and gates; the outputs read the cells and, if `direct`, the inputs.
    g and h: SQUASHING names.
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
        squash(self.g, 0.0)
        squash(self.h, 0.0)
        if min(self.n_in, self.n_out, self.n_cells) < 1:
            raise ValueError(f"a net needs inputs, outputs and cells, got {self}")

    @property
    def n_units(self):
        """The cells and their gates, which a recurrent net reads back."""
        gates_per_cell = 2 if self.out_gates else 1
        return self.n_cells + gates_per_cell * self.n_cells

    @property
    def n_sources(self):
        """What a cell or gate reads: the inputs, then the units (recurrent)."""
        if self.recurrent:
            return self.n_in + self.n_units
        return self.n_in

    def weight_shapes(self):
        """(rows, columns) of each matrix: into the cells, their input gates,
        their output gates (no columns without them), and into the outputs."""
        into_cells = (self.n_cells, self.n_sources)
        out_gate_columns = self.n_sources if self.out_gates else 0
        output_columns = self.n_cells + (self.n_in if self.direct else 0)
        return {
            "w_c": into_cells,
            "w_in": into_cells,
            "w_out": (self.n_cells, out_gate_columns),
            "w_k": (self.n_out, output_columns),
        }

    def n_weights(self):
        return sum(rows * columns for rows, columns in self.weight_shapes().values())


def paper_net(task, lag, distractors=None, g=None, h=None, cells=None):
    """Table 10's net for Task 2a, 2b or 2c, and the text's ranges of g and h.

    2a and 2b (lag p): p + 1 symbols in and out (a1..a(p-1), x and y); one
    cell with an input gate and no output gate; the inputs feed the cell, its
    gate and the outputs, the cell the outputs; g on [0, 1], h the identity.
    2c: `distractors` distractor symbols (the paper's p; default the lag q)
    and e, b, x and y in; x or y out; two cells, each with an input and an
    output gate, reading the inputs and all six units' previous outputs; the
    outputs read the cells only; g on [-2, 2] and h on [-1, 1] (section 5.2).
    g and h, if given, replace the task's (SQUASHING names). cells, if given,
    is a 2a/2b net's number of cells (a departure: the paper's has one), each
    wired as the one is.
    """
    if task == "2c":
        if cells is not None and cells != 2:
            raise ValueError(f"the Task 2c net has two cells, not {cells}")
        n_symbols = (lag if distractors is None else distractors) + 4
        g, h = g or "centred2", h or "centred1"
        return PaperNet(n_symbols, 2, 2, True, True, False, g, h)
    if task in ("2a", "2b"):
        g, h = g or "logistic", h or "identity"
        n_cells = 1 if cells is None else cells
        return PaperNet(lag + 1, lag + 1, n_cells, False, False, True, g, h)
    raise ValueError(f"task must be 2a, 2b or 2c, got {task!r}")


INIT_HALF_WIDTH = 0.2  # Table 10: every weight starts in [-0.2, 0.2]


def paper_initial_weights(net, seed):
    """Run `seed`'s initial weights: uniform in [-0.2, 0.2], drawn from the run's
    "weights" stream one matrix after another, in weight_shapes' order."""
    rng = tasks.stream(seed, "weights")
    weights = {}
    for name, shape in net.weight_shapes().items():
        weights[name] = rng.uniform(-INIT_HALF_WIDTH, INIT_HALF_WIDTH, shape)
    return weights


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
    last_only=(),
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
    last_only: output units whose error counts at the sequence's last step
    only (a departure, for Tasks 2a and 2b's x and y): before it their e_k is
    0, whatever their target.
    """
    if error not in ERROR_FACTOR:
        raise ValueError(f"error must be one of {tuple(ERROR_FACTOR)}, got {error!r}")
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
        y_in = logistic(w["w_in"] @ u)
        g, g_prime = squash(net.g, w["w_c"] @ u)
        y_out = logistic(w["w_out"] @ u) if net.out_gates else np.ones(C)
        if cell_on:
            s = s + y_in * g
            # Truncation: u counts as a constant, so these are the whole derivatives.
            d_in += np.outer(g * y_in * (1 - y_in), u)
            d_c += np.outer(y_in * g_prime, u)
        h, h_prime = squash(net.h, s)
        y_c = y_out * h if cell_on else np.zeros(C)
        read = np.concatenate([y_c, x]) if net.direct else y_c
        y_k = logistic(w["w_k"] @ read)
        outputs.append(y_k)
        if t in targets:
            e_k = ERROR_FACTOR[error] * y_k * (1 - y_k) * (targets[t] - y_k)
            if t == len(sequence) - 2:
                e_k = last_weight * e_k
            else:
                e_k[list(last_only)] = 0.0
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


def xy_units(lag):
    """Tasks 2a and 2b's output units for x and y: the p + 1 symbols are
    a1..a(p-1), then x and y, so x is unit p - 1 and y unit p."""
    return (lag - 1, lag)


def next_symbol_targets(sequence, n_out):
    """Tasks 2a and 2b: at every step the target is the next symbol, one hot."""
    eye = np.eye(n_out)
    return [(t, eye[symbol]) for t, symbol in enumerate(sequence[1:])]


def task_targets(task, sequence, net, distractors=None):
    """The judged steps and their targets, as train_sequence takes them.

    Tasks 2a and 2b: every step, the next symbol. Task 2c, with `distractors`
    distractor symbols: the last step only, x or y, the sequence's last
    symbol, one hot over (x, y).
    """
    if task != "2c":
        return next_symbol_targets(sequence, net.n_out)
    if distractors is None:
        raise ValueError("Task 2c's targets need its number of distractors")
    layout = tasks.layout_2c(distractors)
    last = sequence[-1]
    if last not in (layout.x, layout.y):
        raise ValueError(f"Task 2c ends with x or y, got symbol {last}")
    return [(len(sequence) - 2, np.array([last == layout.x, last == layout.y], float))]
