"""
Title: Figures: matplotlib, imported only when a figure is asked for
Author: the lstm-memory project contributors
Date created: 2026/11/29
Last modified: 2026/11/29
Description: matplotlib is optional. A command that draws imports it here, when
    asked to, and refuses a file name it cannot save before any training.
"""

import os


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
