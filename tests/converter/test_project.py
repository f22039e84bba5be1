"""`t2l convert DIR --entry train.py`: the entry script and the local modules that hold its loop, as one script.

The project under tests/converter/projects/engine_functions/ has the reference-scripts shape: `engine.py` holds
train_one_epoch and evaluate, `models.py` the model, `train.py` the argparse entry that runs them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from converter.cli import EXIT_BAD_INPUT, EXIT_OK
from pairs.harness.cli import main

PROJECT = Path(__file__).parent / "projects" / "engine_functions"


@pytest.fixture
def project(tmp_path) -> Path:
    directory = tmp_path / "project"
    shutil.copytree(PROJECT, directory)
    return directory


def test_the_entry_and_its_loop_module_convert_together_and_verify(project, capsys):
    before = {p.name: p.read_text() for p in project.iterdir()}
    code = main(["convert", str(project), "--entry", "train.py", "--verify", "--steps", "12", "--", "--epochs", "2"])
    out = capsys.readouterr().out
    assert code == EXIT_OK, out
    assert {p.name: p.read_text() for p in project.iterdir() if p.name in before} == before  # inputs untouched
    converted = (project / "train_lightning.py").read_text()
    assert "def train_one_epoch" not in converted and "class LitModel(pl.LightningModule)" in converted
    assert "from models import small_net" in converted and "from engine import" not in converted
    assert "from the training loop at engine.py:7" in converted
    assert "engine.py:12 T2L103" in out  # each finding at its own file's line
    assert "bitwise" in out and "yes" in out


def test_a_converted_project_that_computes_something_else_fails_verify(project, capsys):
    """The negative control: the same run with the converted script's momentum changed."""
    assert main(["convert", str(project), "--entry", "train.py"]) == EXIT_OK
    converted = project / "train_lightning.py"
    converted.write_text(converted.read_text().replace("momentum=0.9", "momentum=0.8"))
    from converter.verify import verify

    result = verify(project / "train.py", converted, ["--epochs", "1"], steps=6, cwd=project)
    assert "momentum=0.8" in converted.read_text()
    assert result.failed is None and not result.bitwise_equal


def test_the_fabric_route_takes_a_project_too(project):
    assert main(["convert", str(project), "--entry", "train.py", "--to", "fabric"]) == EXIT_OK
    converted = (project / "train_fabric.py").read_text()
    assert "fabric.backward(loss)" in converted and "def train_one_epoch" in converted


@pytest.mark.parametrize("change, said", [
    (("train.py", "from engine import evaluate, train_one_epoch", "from engine import evaluate, train_one_epoch as step"), "renames"),
    (("engine.py", "import torch\n", "import torch\nfrom .helpers import nothing\n"), "relative import"),
    (("engine.py", "import torch\n", "import torch\n\nmain = None\n"), "both bind `main`"),
    (("train.py", "from engine import evaluate, train_one_epoch\n", ""), "no `from module import name`"),
], ids=["renamed", "relative", "clash", "no-module"])  # fmt: skip
def test_what_could_change_what_runs_is_bad_input_in_one_line(project, capsys, change, said):
    file, old, new = change
    path = project / file
    path.write_text(path.read_text().replace(old, new))
    assert main(["convert", str(project), "--entry", "train.py"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and not (project / "train_lightning.py").exists()


def test_entry_needs_one_directory(project, capsys):
    assert main(["convert", str(project / "train.py"), "--entry", "train.py"]) == EXIT_BAD_INPUT
    assert main(["convert", str(project), "--entry", "missing.py"]) == EXIT_BAD_INPUT
    assert "--entry" in capsys.readouterr().err


def test_the_loop_module_imported_last_in_the_import_block_is_put_in(project, capsys):
    """`from engine import ...` as the block's last import (it was skipped, and so was the module with it)."""
    train = project / "train.py"
    text = train.read_text().replace("from engine import evaluate, train_one_epoch\n", "")
    train.write_text(text.replace("from models import small_net\n", "from models import small_net\nfrom engine import evaluate, train_one_epoch\n"))
    assert main(["convert", str(project), "--entry", "train.py"]) == EXIT_OK
    converted = (project / "train_lightning.py").read_text()
    assert "class LitModel(pl.LightningModule)" in converted and "from engine import" not in converted
    compile(converted, "train_lightning.py", "exec")
