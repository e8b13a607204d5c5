"""
Title: Figures: matplotlib, imported only when a figure is asked for
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/30
Description: matplotlib is optional. A command that draws imports it here, when
    asked to, and refuses a file name it cannot save before any training;
    `inspect`'s figure of the LSTM's states is drawn here.
"""

import os

import numpy as np


def import_pyplot():
    """matplotlib's pyplot, drawing to files; ValueError if it is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ValueError(
            "--plot needs matplotlib, which is optional: pip install matplotlib"
        ) from None
    return plt


def check_plot_format(path):
    """Raise ValueError unless matplotlib can save a figure in the format `path` names.

    The format is the file name's extension, as matplotlib reads it. A name
    without one is refused rather than saved as PNG: matplotlib would write
    PNG bytes under a name that does not say so.
    """
    import matplotlib.figure

    formats = matplotlib.figure.Figure().canvas.get_supported_filetypes()
    extension = os.path.splitext(path)[1][1:].lower()
    if extension not in formats:
        problem = f"{extension!r} is not" if extension else "no extension names"
        raise ValueError(
            f"cannot save {path}: {problem} an image format matplotlib writes; "
            f"end the name with one of .{', .'.join(sorted(formats))}"
        )


def plot_memory(path, trajectories, loss, seed, learned):
    """Save `inspect`'s figure of both sequences' states and the loss curve.

    trajectories: ((h, c), (h, c)), each (T, units), along 3 0 1 2 and 4 0 1 2.
    Raises OSError when the file cannot be written.
    """
    plt = import_pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(16, 4), constrained_layout=True)
    (h1, _), (h2, _) = trajectories
    limit = max(np.abs(h1).max(), np.abs(h2).max())
    # The difference is small next to the states: it gets its own scale.
    difference_title = "difference: all that is left of 3 vs 4"
    panels = (
        (h1, "hidden state along 3 0 1 2 3", ["3", "0", "1", "2"], limit),
        (h2, "hidden state along 4 0 1 2 4", ["4", "0", "1", "2"], limit),
        (h1 - h2, difference_title, ["3|4", "0", "1", "2"], None),
    )
    for ax, (data, title, ticks, scale) in zip(axes, panels):
        scale = scale or np.abs(data).max()
        image = ax.imshow(
            data.T, aspect="auto", cmap="coolwarm", vmin=-scale, vmax=scale
        )
        ax.set_title(title)
        ax.set_xlabel("input at this step")
        ax.set_xticks(range(len(ticks)), ticks)
        ax.set_ylabel("LSTM unit")
        fig.colorbar(image, ax=ax)
    axes[3].plot(np.arange(1, len(loss) + 1), loss)
    axes[3].set_title("loss of sequence 1")
    axes[3].set_xlabel("epoch")
    verdict = "learned" if learned else "did not learn"
    fig.suptitle(f"seed {seed}: {verdict} the memory step")
    try:
        fig.savefig(path, dpi=80)
    finally:
        plt.close(fig)
