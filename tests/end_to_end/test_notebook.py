"""The notebook twin, lstm_memory.ipynb, against the script it is generated from.

The notebook is lstm_memory.py converted by jupytext (pinned in
requirements-dev.txt) and executed with nbclient; the README says how to
regenerate it. These tests fail when the two drift apart, when the committed
notebook lacks the outputs of a run, and when the notebook no longer runs in a
Jupyter kernel.
"""

import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "lstm_memory.py"
NOTEBOOK = ROOT / "lstm_memory.ipynb"
ARTICLE_LINES = [
    "Sequence 1",
    "X=3.0 y=0.0, yhat=0.0",
    "X=0.0 y=1.0, yhat=1.0",
    "X=1.0 y=2.0, yhat=2.0",
    "X=2.0 y=3.0, yhat=3.0",
    "Sequence 2",
    "X=4.0 y=0.0, yhat=0.0",
    "X=0.0 y=1.0, yhat=1.0",
    "X=1.0 y=2.0, yhat=2.0",
    "X=2.0 y=4.0, yhat=4.0",
    (
        "Verdict: all 8 predictions are correct, including the steps that need "
        "memory (2 -> 3 in sequence 1 and 2 -> 4 in sequence 2)."
    ),
]


def cells(notebook):
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def stdout_of(notebook):
    """The text the notebook's cells printed on stdout, as lines."""
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    ).splitlines()


def test_the_notebook_has_the_scripts_cells():
    script = jupytext.read(SCRIPT, fmt="py:percent")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert cells(notebook) == cells(script), (
        "lstm_memory.ipynb is out of date: regenerate it from lstm_memory.py "
        "(README, Quick start)"
    )
    # One cell per section: the header, the setup, and each section's prose
    # and code.
    kinds = [kind for kind, _ in cells(script)]
    assert kinds.count("markdown") >= 5 and kinds.count("code") >= 5
    assert cells(script)[0][1].startswith("Title: ")
    headings = [source.splitlines()[0] for kind, source in cells(script)[2:]]
    assert "## Sequence Problem Description" in headings
    assert "## Learn Sequences with an LSTM" in headings


def test_the_committed_notebook_holds_a_whole_run():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    counts = [
        cell.execution_count for cell in notebook.cells if cell.cell_type == "code"
    ]
    # Run top to bottom in one kernel, every cell once.
    assert counts == list(range(1, len(counts) + 1))
    assert stdout_of(notebook) == ARTICLE_LINES
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
        or (output.output_type == "stream" and output.name == "stderr")
    ]
    assert errors == []


@pytest.mark.slow
def test_the_notebook_runs_in_a_kernel_of_this_python():
    # Converted afresh from the script, as the README's command does, and run
    # by "python3", the kernel the notebook names. In the kernel, main() must
    # not read the kernel's own command line nor end in SystemExit: either
    # would make a cell fail, and execute() raise.
    notebook = jupytext.read(SCRIPT, fmt="py:percent")
    notebook.cells.append(
        nbformat.v4.new_code_cell("import sys; print(sys.executable)")
    )
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    lines = stdout_of(notebook)
    assert lines[:-1] == ARTICLE_LINES
    # "python3" resolved to this Python: the one that has the pinned packages.
    assert Path(lines[-1]).absolute() == Path(sys.executable).absolute()
