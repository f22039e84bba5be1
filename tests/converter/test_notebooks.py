"""`t2l convert nb.ipynb`: the code cells converted as one script and written back as cells, both targets.

The notebook (notebooks/classifier_tutorial.ipynb) has a tutorial's shape: `!pip` and `%matplotlib` lines, a
`%%bash` cell, markdown between the cells, the training loop in one cell and the evaluation in the next.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from converter.cli import convert_file
from converter.files import EXIT_BAD_INPUT
from converter.notebook import script_of
from pairs.harness.cli import main

NOTEBOOK = Path(__file__).parent / "notebooks" / "classifier_tutorial.ipynb"


def _cells(text: str) -> list:
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    return notebook.cells


@pytest.mark.parametrize("to", ["lightning", "fabric"])
def test_a_notebook_converts_cell_by_cell(to):
    before = _cells(NOTEBOOK.read_text())
    _, output, report = convert_file(NOTEBOOK, to)
    after = _cells(output)
    assert [c.cell_type for c in after] == [c.cell_type for c in before]  # every cell in its place
    assert [c.source for c in after if c.cell_type == "markdown"] == [c.source for c in before if c.cell_type == "markdown"]
    assert after[6].source == before[6].source  # the %%bash cell, untouched
    assert after[1].source.splitlines()[:2] == ["!pip install --quiet torch", "%matplotlib inline"]  # magics kept
    target = "LightningModule" if to == "lightning" else "fabric.backward(loss)"
    assert target in after[8].source and target not in after[5].source  # the loop's cell holds the rewrite
    imported = "import pytorch_lightning as pl" if to == "lightning" else "from lightning_fabric import Fabric"
    assert imported in after[1].source  # an added import joins the imports' cell
    assert all(not c.outputs for c, old in zip(after, before) if c.cell_type == "code" and c.source != old.source)


def test_findings_name_the_cell_and_its_line():
    _, _, report = convert_file(NOTEBOOK, "lightning")
    cells = _cells(NOTEBOOK.read_text())
    backward = next(f for f in report.findings if f.code == "T2L102")
    where = report.where(backward.line)
    cell, line = (int(part.split()[-1]) for part in where.split(", "))
    assert where.startswith("cell 9,") and "loss.backward()" in cells[cell - 1].source.splitlines()[line - 1]
    assert report.to_dict()["findings"][0]["where"].startswith("cell ")


def test_magics_stand_in_the_script_as_pass():
    script = script_of(nbformat.read(NOTEBOOK, as_version=4))
    assert "pass  # t2l-magic 0" in script.text and "%%bash" not in script.text and "!pip" not in script.text
    compile(script.text, "script", "exec")


@pytest.mark.parametrize("to", ["lightning", "fabric"])
def test_a_converted_notebook_verifies_bitwise(to, tmp_path, capsys):
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    code = main(["convert", str(tmp_path / NOTEBOOK.name), "--to", to, "--verify", "--steps", "12"])
    said = capsys.readouterr().out
    assert code == 0, said
    assert "yes" in said and (tmp_path / f"classifier_tutorial_{to}.ipynb").is_file()
    assert "cell 9, line 7" in said  # the report speaks in cells


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not a Jupyter notebook"),
    (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}), "only nbformat 4"),
])  # fmt: skip
def test_bad_notebooks_are_one_line(text, reason, tmp_path, capsys):
    bad = tmp_path / "bad.ipynb"
    bad.write_text(text)
    assert main(["convert", str(bad)]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert reason in error and "Traceback" not in error


def _notebook_of(script: str) -> str:
    """A script cut into cells at its blank-line-separated top-level chunks, a markdown cell and a magic added."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    chunks = [c for c in script.split("\n\n\n") if c.strip()] if "\n\n\n" in script else script.split("\n\n")
    cells = [new_code_cell("%load_ext autoreload")]
    for chunk in chunks:
        cells += [new_markdown_cell("Next:"), new_code_cell(chunk.strip("\n"))]
    return nbformat.writes(new_notebook(cells=cells))


def _code(text: str) -> list[str]:
    """A notebook's code lines, magics and blank lines left out: what the script route must have made too."""
    cells = _cells(text)
    return [line for c in cells if c.cell_type == "code" for line in c.source.splitlines() if line.strip() and
            not line.startswith("%")]  # fmt: skip


@pytest.mark.parametrize("fixture", ["trainer_devices", "epoch_end_hooks", "removed_hooks"])
def test_upgrade_a_notebook_makes_the_edits_the_script_gets(fixture, tmp_path, capsys):
    from converter.upgrade import upgrade_source

    source = (Path(__file__).parent / "upgrade_fixtures" / f"{fixture}.in.py").read_text()
    path = tmp_path / f"{fixture}.ipynb"
    path.write_text(_notebook_of(source))
    assert main(["upgrade", str(path), "--write"]) in (0, 4)
    assert "cell " in capsys.readouterr().err  # findings named by cell
    expected, _ = upgrade_source(source, fixture)
    assert _code(path.read_text()) == [line for line in expected.splitlines() if line.strip()]
    assert _cells(path.read_text())[0].source == "%load_ext autoreload"


@pytest.mark.parametrize("fixture", ["mnist_functions", "grad_accumulation"])
def test_convert_a_notebook_makes_the_edits_the_script_gets(fixture):
    from converter.convert import convert_source
    from converter.notebook import transform

    source = (Path(__file__).parent / "fixtures" / f"{fixture}.in.py").read_text()
    output, _ = transform(convert_source)(_notebook_of(source), "nb.ipynb")
    expected, _ = convert_source(source, fixture)
    built_from = re.compile(r"from the training loop at (line \d+|cell \d+, line \d+)")  # a script line vs a cell's
    assert [built_from.sub("", line) for line in _code(output)] == [
        built_from.sub("", line) for line in expected.splitlines() if line.strip()]
    assert "from the training loop at cell " in output


def test_a_syntax_error_is_named_by_its_cell(tmp_path, capsys):
    from nbformat.v4 import new_code_cell, new_notebook

    path = tmp_path / "broken.ipynb"
    path.write_text(nbformat.writes(new_notebook(cells=[new_code_cell("import torch\nmodel?"), new_code_cell("x = (1,")])))
    assert main(["convert", str(path)]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert "cell 2, line 1: syntax error" in error and "Traceback" not in error  # `model?` is help, not an error


def test_a_directory_run_takes_notebooks_but_not_jupyters_checkpoints(tmp_path, capsys):
    shutil.copy(NOTEBOOK, tmp_path / "tutorial.ipynb")
    shutil.copy(Path(__file__).parent / "fixtures" / "mnist_functions.in.py", tmp_path / "train.py")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    shutil.copy(NOTEBOOK, tmp_path / ".ipynb_checkpoints" / "tutorial-checkpoint.ipynb")
    assert main(["convert", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "train.py", "train_lightning.py", "tutorial.ipynb", "tutorial_lightning.ipynb"]
    assert not list((tmp_path / ".ipynb_checkpoints").glob("*_lightning.ipynb"))
