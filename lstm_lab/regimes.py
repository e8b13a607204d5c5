"""The settings of each way of training the paper's tasks, each default written once.

`paper.py` shows these defaults in `--help` and its options change them
(`lstm_lab/paper_options.py`); the trainers take them as one object. docs/paper/ has the evidence for each
choice: modern.md for ours, method-1997.md for the 1997 method's open choices.
"""

import dataclasses
import math

from lstm_lab import checks


@dataclasses.dataclass(frozen=True)
class Settings2ab:
    """A Keras LSTM and Adam on Tasks 2a and 2b, the gradient through the sequence."""

    units: int = 64
    learning_rate: float = 0.01
    forget_bias: float = 10.0  # Keras's own is 1
    input_bias: float = -3.0  # Keras's own is 0
    direct: bool = True  # the input also feeds the output layer
    last_weight: float = 1000.0  # the last step's loss, against 1 for the others
    max_sequences: int = 20_000
    judge_every: int = 20
    # lstm, gru or simple (Keras's SimpleRNN); the GRU's update gate starts at
    # forget_bias and it has no input gate; the SimpleRNN has no gate at all.
    cell: str = "lstm"


# Task 2c's input gate bias, chosen at lags up to 1,000 (docs/paper/modern.md).
INPUT_BIAS_2C, DRIFT_LAG_2C = -8.0, 1000


@dataclasses.dataclass(frozen=True)
class Settings2c:
    """A Keras LSTM and Adam on Task 2c, the loss at the end only."""

    units: int = 8
    learning_rate: float = 0.03
    forget_bias: float = 10.0
    input_bias: float = INPUT_BIAS_2C  # at lags up to DRIFT_LAG_2C; see for_lag
    max_sequences: int = 5_000
    judge_every: int = 10
    cell: str = "lstm"  # as Settings2ab's

    @classmethod
    def for_lag(cls, lag, **changes):
        """The defaults at the lag q, with `changes` (None: not given) on top.

        Beyond q = 1,000 the input gates start more closed, by ln(q / 1,000).
        A gate at bias b lets about e^b of each distractor into the cell, so
        the drift over q distractors grows as q e^b, and enough drift
        saturates the cells before the bit is stored (docs/paper/long-lags.md
        has what the fixed bias did). This keeps the drift at q = 1,000's,
        where -8 was chosen; a bias that is given is used as it is.
        """
        bias = INPUT_BIAS_2C - math.log(max(1.0, lag / DRIFT_LAG_2C))
        given = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(cls(input_bias=bias), **given)


@dataclasses.dataclass(frozen=True)
class Settings1997:
    """The paper's own net and learning rule; `for_task` gives each task's defaults.

    update: "step" (weights change after every step) or "sequence" (once per
    sequence, by the sum of the steps' changes). g: the cell input's range,
    "0-to-1" (the 2a text, Table 10) or "minus-2-to-2" (the appendix).
    add_cell: "plateau" (when the training error stops decreasing) or the
    number of sequences before the cell joins (0: from the start). in_gate:
    added to the initial weights from the inputs to the input gates. The
    error at the last step counts last_weight times (1 in the paper).

    Two readings of what the paper prints, and one departure from it:
    error: "eq19" (the update equations' e_k = f'_k (t_k - y_k), the gradient
    of half of eq. 16's E) or "eq16" (E itself, so every change is twice as
    large). ranges_2c: Task 2c's h and g, "text" (section 5.2: h on [-1, 1],
    g on [-2, 2]) or "legend" (Table 10's legend: h on [-2, 2], g on
    [-1, 1]). end_marker (Task 2b, not in the paper): the last middle symbol
    is always a(p-1) and the others are random over a1..a(p-2).

    Two more departures, for Tasks 2a and 2b: xy_last_only counts the errors
    of the output units for x and y (the first symbol's two values) at the
    last step only, so that the middle steps' targets of 0 stop pushing them
    down; cells is the number of memory cells (Table 10: 1), added together.
    Task 2c's net has its own two cells.
    """

    learning_rate: float = 1.0
    update: str = "sequence"
    g: str = "0-to-1"
    add_cell: object = "plateau"
    in_gate: float = 0.0
    last_weight: float = 1.0
    max_sequences: int = 50_000
    judge_every: int = 20
    error: str = "eq19"
    ranges_2c: str = "text"
    end_marker: bool = False
    xy_last_only: bool = False
    cells: int = 1

    @classmethod
    def for_task(cls, task, **changes):
        """The paper's settings for the task, with `changes` (None means the default)."""
        base = cls()
        if task == "2c":
            # Two cells present from the start; the error is at the end only,
            # so "step" and "sequence" are the same there.
            base = cls(learning_rate=0.01, g="minus-2-to-2", add_cell=0, cells=CELLS_2C)
            base = dataclasses.replace(base, max_sequences=100_000)
        given = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(base, **given)

    def check(self, task):
        """Raise ValueError, naming the value, unless each setting means something for the task."""
        if (
            self.add_cell != "plateau"
            and checks.check_int(self.add_cell, "add_cell") < 0
        ):
            raise ValueError(f"add_cell must be 'plateau' or >= 0, got {self.add_cell}")
        if self.update not in ("step", "sequence"):
            raise ValueError(f"update must be step or sequence, got {self.update!r}")
        if self.g not in G_RANGES:
            raise ValueError(
                f"g (the cell input's squashing) must be one of "
                f"{tuple(G_RANGES)}, got {self.g!r}"
            )
        checks.check_choice(self.error, ERRORS, "error")
        checks.check_choice(self.ranges_2c, tuple(RANGES_2C), "ranges_2c")
        checks.check_choice(self.end_marker, (False, True), "end_marker")
        if self.ranges_2c != "text" and task != "2c":
            raise ValueError(f"ranges_2c {self.ranges_2c!r} is for Task 2c, not {task}")
        if self.ranges_2c != "text" and self.g != Settings1997.for_task("2c").g:
            raise ValueError(
                f"ranges_2c {self.ranges_2c!r} gives Task 2c's g its range, "
                f"so g {self.g!r} cannot"
            )
        if self.end_marker and task != "2b":
            raise ValueError(f"end_marker is for Task 2b, not {task}")
        checks.check_choice(self.xy_last_only, (False, True), "xy_last_only")
        if self.xy_last_only and task == "2c":
            raise ValueError("xy_last_only is for Tasks 2a and 2b, not 2c")
        if checks.check_int(self.cells, "cells") < 1:
            raise ValueError(f"cells must be at least 1, got {self.cells}")
        if task == "2c" and self.cells != CELLS_2C:
            raise ValueError(
                f"Task 2c's net has its own {CELLS_2C} cells (Table 10), "
                f"so cells {self.cells} cannot"
            )

    def squashing(self, task):
        """(g, h) as net_1997.SQUASH names; h None: the task's own."""
        if task == "2c" and self.ranges_2c != "text":
            return RANGES_2C[self.ranges_2c]
        return G_RANGES[self.g], None


G_RANGES = {"0-to-1": "logistic", "minus-2-to-2": "centred2"}  # net_1997.SQUASH names
ERRORS = ("eq19", "eq16")
CELLS_2C = 2  # Task 2c's memory cells (Table 10)
# Task 2c's (g, h), as net_1997.SQUASH names: "text" is the task's own net
# (its g comes from Settings1997.g, whose 2c default is the text's [-2, 2]).
RANGES_2C = {"text": (None, None), "legend": ("centred1", "centred2")}


@dataclasses.dataclass(frozen=True)
class SettingsRTRL:
    """The paper's traditional recurrent net on Task 2a, exact RTRL: a weight
    change at every step (lstm_lab/traditional_net.py). Table 2's rows use
    learning rates 1, 4 and 10, and 5 million sequences. Judging every 1,000
    sequences counts to 0.1% of the paper's counts, which are near a million."""

    learning_rate: float = 1.0
    max_sequences: int = 5_000_000
    judge_every: int = 1_000


@dataclasses.dataclass(frozen=True)
class SettingsBPTT:
    """The same net by BPTT: the gradient through each whole sequence, one
    change at its end (lstm_lab/traditional_net.py)."""

    learning_rate: float = 1.0
    max_sequences: int = 5_000_000
    judge_every: int = 1_000
