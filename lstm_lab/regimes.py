"""The settings of each way of training the paper's tasks, each default written once.

`paper.py` shows these defaults in `--help` and lets every one be changed;
the trainers take them as one object. docs/paper/ has the evidence for each
choice: modern.md for ours, method-1997.md for the 1997 method's open choices.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Modern2ab:
    """A Keras LSTM and Adam on Tasks 2a and 2b, the gradient through the sequence."""

    units: int = 64
    learning_rate: float = 0.01
    forget_bias: float = 10.0  # Keras's own is 1
    input_bias: float = -3.0  # Keras's own is 0
    direct: bool = True  # the input also feeds the output layer
    last_weight: float = 1000.0  # the last step's loss, against 1 for the others
    max_sequences: int = 20_000
    check_every: int = 20


@dataclasses.dataclass(frozen=True)
class Modern2c:
    """A Keras LSTM and Adam on Task 2c, the loss at the end only."""

    units: int = 8
    learning_rate: float = 0.03
    forget_bias: float = 10.0
    input_bias: float = -8.0
    max_sequences: int = 5_000
    check_every: int = 10


@dataclasses.dataclass(frozen=True)
class Method1997:
    """The paper's own net and learning rule; `for_task` gives each task's defaults.

    update: "step" (weights change after every step) or "sequence" (once per
    sequence, by the sum of the steps' changes). g: the cell input's range,
    "0-to-1" (the 2a text, Table 10) or "minus-2-to-2" (the appendix).
    add_cell: "plateau" (when the training error stops decreasing) or the
    number of sequences before the cell joins (0: from the start). in_gate:
    added to the initial weights from the inputs to the input gates. The
    error at the last step counts last_weight times (1 in the paper).
    """

    learning_rate: float = 1.0
    update: str = "sequence"
    g: str = "0-to-1"
    add_cell: object = "plateau"
    in_gate: float = 0.0
    last_weight: float = 1.0
    max_sequences: int = 50_000
    check_every: int = 20

    @classmethod
    def for_task(cls, task, **changes):
        """The paper's settings for the task, with `changes` (None means the default)."""
        base = cls()
        if task == "2c":
            # Two cells present from the start; the error is at the end only,
            # so "step" and "sequence" are the same there.
            base = cls(learning_rate=0.01, g="minus-2-to-2", add_cell=0)
            base = dataclasses.replace(base, max_sequences=100_000)
        given = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(base, **given)


G_RANGES = {"0-to-1": "logistic", "minus-2-to-2": "centred2"}  # numpy_1997.SQUASH names
