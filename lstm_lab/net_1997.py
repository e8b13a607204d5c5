"""The 1997 net's shape and its initial weights, for `lstm_lab/method_1997.py`.

Hochreiter & Schmidhuber (1997): memory cells without a forget gate, logistic
gates and output units, no biases; its Table 10 gives each task's net, and
its Appendix A.1 the squashing functions g and h. The learning rule is in
`method_1997.py`; `lstm_lab/references/numpy_1997.py` builds the same nets
from the paper with code of its own, and the tests compare the two.
"""

import dataclasses

import numpy as np

from lstm_lab import tasks

INIT_RANGE = 0.2  # Table 10: weights start uniform in [-0.2, 0.2]


# The factor on e_k of each reading of the error (regimes.ERRORS): eq. 19's
# e_k is the gradient of E / 2, and E's own gradient has the 2 back.
ERROR_SCALE = {"eq19": 1.0, "eq16": 2.0}


# The squashing functions, as (low, scale) of low + scale * logistic(x); None
# is the identity. The paper's g and h are scaled logistics.
SQUASH = {
    "identity": None,  # h(s) = s, h' = 1 (Tasks 2a and 2b)
    "logistic": (0.0, 1.0),  # range [0, 1]: the 2a text and Table 10's g
    "centred1": (-1.0, 2.0),  # 2 sigma - 1, range [-1, 1]: the appendix's h
    "centred2": (-2.0, 4.0),  # 4 sigma - 2, range [-2, 2]: the appendix's g
}


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
            if name not in SQUASH:
                raise ValueError(
                    f"squashing function must be one of {sorted(SQUASH)}, got {name!r}"
                )
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


def task_net(task, lag, distractors=None, g=None, h=None, cells=None):
    """The paper's net for Task 2a, 2b or 2c (its Table 10).

    2c reads one hot symbols of `distractors` distractors (default: the lag)
    and e, b, x, y; 2a and 2b read the lag's p + 1 symbols. g and h: SQUASH
    names, by default the task's: 2a and 2b g "logistic", h "identity"; 2c,
    as its text gives them, g "centred2" and h "centred1". cells: the memory
    cells, by default the task's (2a and 2b: 1; 2c: 2, which it must be).
    """
    tasks.check_task(task)
    if task == "2c":
        distractors = tasks.distractors_of(lag, distractors)
        if distractors < 1:
            raise ValueError(f"Task 2c needs at least 1 distractor, got {distractors}")
        if cells not in (None, 2):
            raise ValueError(f"Task 2c's net has 2 cells, got cells {cells}")
        layout = tasks.layout_2c(distractors)
        g, h = g or "centred2", h or "centred1"
        return Net(layout.n_symbols, 2, 2, True, True, False, g, h)
    if distractors is not None:
        raise ValueError(f"distractors are for Task 2c, not {task}")
    cells = 1 if cells is None else cells
    return Net(
        lag + 1, lag + 1, cells, False, False, True, g or "logistic", h or "identity"
    )


def xy_outputs(task, lag):
    """Tasks 2a and 2b: the output units of x and y, the first symbol's two
    values (tasks.lag_sequences), which are targets at the last step only."""
    tasks.check_task(task, ("2a", "2b"))
    return tuple(int(x) for x in tasks.lag_sequences(lag)[:, 0])


def initial_weights_1997(net, seed):
    """The weights of run `seed`: uniform in [-INIT_RANGE, INIT_RANGE], each
    matrix in Net.shapes' order from the run's "weights" stream. A 2a/2b net
    of one cell has the shapes it always had, and so draws the same weights."""
    rng = tasks.stream(seed, "weights")
    return {
        name: rng.uniform(-INIT_RANGE, INIT_RANGE, shape)
        for name, shape in net.shapes().items()
    }
