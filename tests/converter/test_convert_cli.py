"""`t2l convert` from the command line: outputs, never overwriting, reports, exit codes, bad input, --verify."""

from __future__ import annotations

import json
import shutil
import sys

import libcst as cst
import pytest

from converter.cli import EXIT_BAD_INPUT, EXIT_DECLINED, EXIT_INTERNAL, EXIT_NO_LOOP, EXIT_OK, EXIT_TODOS, EXIT_USAGE
from pairs.harness.cli import main
from tests.converter.fixtures import FIXTURES

MNIST = FIXTURES / "mnist_functions.in.py"


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "train.py"
    shutil.copy(MNIST, path)
    return path


def test_writes_next_to_the_input_and_leaves_the_input_alone(script, capsys):
    before = script.read_bytes()
    assert main(["convert", str(script)]) == EXIT_OK
    assert script.read_bytes() == before
    output = script.with_name("train_lightning.py")
    cst.parse_module(output.read_text())
    assert "T2L102" in capsys.readouterr().out  # the report names each mapped construct


def test_never_overwrites_without_force(script, capsys):
    existing = script.with_name("train_lightning.py")
    existing.write_text("keep me\n")
    assert main(["convert", str(script)]) == EXIT_USAGE
    assert existing.read_text() == "keep me\n"
    assert "--force" in capsys.readouterr().err
    assert main(["convert", str(script), "--force"]) == EXIT_OK
    assert "class LitNet(pl.LightningModule)" in existing.read_text()


def test_stdout_diff_and_output_path(script, tmp_path, capsys):
    assert main(["convert", str(script), "--stdout"]) == EXIT_OK
    assert "trainer.fit(" in capsys.readouterr().out
    assert main(["convert", str(script), "--diff"]) == EXIT_OK
    diff = capsys.readouterr().out
    assert diff.startswith("---") and "+class LitNet(pl.LightningModule):" in diff
    assert not script.with_name("train_lightning.py").exists()
    target = tmp_path / "elsewhere.py"
    assert main(["convert", str(script), "-o", str(target)]) == EXIT_OK
    assert target.exists()


def test_json_report_lists_codes_and_lines(script, tmp_path):
    report_path = tmp_path / "report.json"
    main(["convert", str(script), "--stdout", "--json", str(report_path)])
    report = json.loads(report_path.read_text())
    assert report["status"] == "converted"
    lines = {(f["code"], f["line"]) for f in report["findings"]}
    source = MNIST.read_text().splitlines()
    assert ("T2L102", next(i for i, line in enumerate(source, 1) if "loss.backward()" in line)) in lines


def test_a_declined_script_has_its_own_exit_code_and_word(tmp_path, capsys):
    """Declined (no LightningModule made, exit 8) is told from converted with TODOs (exit 4)."""
    path = tmp_path / "rl.py"
    shutil.copy(FIXTURES / "unsupported_rl_episodes.in.py", path)
    assert main(["convert", str(path), "--json", str(tmp_path / "r.json")]) == EXIT_DECLINED
    said = " ".join(capsys.readouterr().out.split())
    assert "rl.py: declined, no LightningModule made" in said and "converted" not in said
    assert json.loads((tmp_path / "r.json").read_text())["status"] == "declined"
    for command in ("convert", "upgrade"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        help_text = " ".join(capsys.readouterr().out.split())
        assert ("8 declined: a training loop was found but not converted" in help_text) == (command == "convert")


@pytest.mark.parametrize("to", ["lightning", "fabric"])
def test_a_script_that_trains_through_accelerate_is_declined_on_both_routes(to, tmp_path, capsys):
    """`accelerator.backward(loss)` is no tensor's backward: read as one, the LightningModule returned
    `self.accelerator` as its loss and the Fabric script called `fabric.backward(accelerator, loss)`. Both routes
    decline (exit 8) naming the engine, and neither sends the user to the other."""
    path = tmp_path / "acc.py"
    shutil.copy(FIXTURES.parent / "rules" / "convert" / "engine_scripts" / "accelerate_backward_declined.in.py", path)
    assert main(["convert", str(path), "--to", to]) == EXIT_DECLINED
    said = " ".join(capsys.readouterr().out.split())
    made = "no Fabric script" if to == "fabric" else "no LightningModule"
    assert f"acc.py: declined, {made} made (`accelerator.backward(...)`: the script trains through HF Accelerate" in said
    assert "--to fabric` keeps the loop" not in said
    assert "accelerator.backward(loss)\n" in (tmp_path / f"acc_{to}.py").read_text()  # as it was, marked


def test_todos_give_their_own_exit_code(tmp_path):
    path = tmp_path / "budget.py"  # converted, with lines left to check by hand
    shutil.copy(FIXTURES / "gan_while_step_budget.in.py", path)
    assert main(["convert", str(path)]) == EXIT_TODOS
    output = path.with_name("budget_lightning.py").read_text()
    assert "# TODO(t2l): T2L9" in output and "(pl.LightningModule)" in output
    path = tmp_path / "rebuilt.py"  # not converted: declined
    shutil.copy(FIXTURES / "unsupported_optimizer_rebuilt_each_epoch.in.py", path)
    assert main(["convert", str(path)]) == EXIT_DECLINED
    output = path.with_name("rebuilt_lightning.py").read_text()
    assert "# TODO(t2l): T2L928" in output and "(pl.LightningModule)" not in output


def test_no_training_loop_and_already_lightning(tmp_path):
    model_only = tmp_path / "model.py"
    model_only.write_text("import torch\n\nclass Net(torch.nn.Module):\n    pass\n")
    assert main(["convert", str(model_only)]) == EXIT_NO_LOOP
    lightning = tmp_path / "lit.py"
    shutil.copy(FIXTURES / "mnist_functions.out.py", lightning)
    assert main(["convert", str(lightning)]) == EXIT_OK
    assert not tmp_path.joinpath("lit_lightning.py").exists()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.py", "no such file"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "no Python files"),
        (lambda d: (d / "bad.py").write_text("for x in y:\nprint(x)\n") and d / "bad.py", "bad.py:2:1: syntax error"),
        (lambda d: (d / "latin.py").write_bytes(b"# caf\xe9\n") and d / "latin.py", "not UTF-8"),
        (lambda d: (d / "blob.py").write_bytes(b"\x00\x01\x02") and d / "blob.py", "binary"),
    ],
    ids=["missing", "empty-dir", "syntax", "not-utf8", "binary"],
)
def test_bad_input_is_one_line_and_its_own_exit_code(tmp_path, capsys, make, message):
    assert main(["convert", str(make(tmp_path))]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert message in err.splitlines()[0] and "Traceback" not in err
    assert len(err.strip().splitlines()) == (3 if "syntax error" in err else 1)  # + the line and a caret


def test_directory_mode_prints_a_summary(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per file, unwrapped
    for name in ("mnist_functions", "unsupported_rl_episodes"):
        shutil.copy(FIXTURES / f"{name}.in.py", tmp_path / f"{name}.py")
    (tmp_path / "helpers.py").write_text("def add(a, b):\n    return a + b\n")
    assert main(["convert", str(tmp_path)]) == EXIT_DECLINED  # one script's loop was not converted
    out = capsys.readouterr().out
    assert "mnist_functions.py" in out and "no training loop found" in out and "declined" in out
    assert (tmp_path / "mnist_functions_lightning.py").exists()


def test_verify_from_the_command_line(script, capsys):
    code = main(["convert", str(script), "--verify", "--steps", "4", "--", "--epochs", "1"])
    assert code == EXIT_OK, capsys.readouterr()
    assert "yes" in capsys.readouterr().out


def test_verify_negative_control_detects_a_changed_script(script, capsys):
    """The same check fails when the converted script differs: a learning rate changed by 0.1%."""
    from converter.verify import verify

    main(["convert", str(script)])
    converted = script.with_name("train_lightning.py")
    converted.write_text(converted.read_text().replace("lr=self.args.lr", "lr=self.args.lr * 1.001"))
    result = verify(script, converted, ["--epochs", "1"], steps=4, cwd=script.parent)
    assert result.failed is None
    assert not result.bitwise_equal and result.first_difference == 1  # step 0 is before the first update
    assert 0 < result.max_abs_diff < 1e-2
    assert result.initial_weights_equal is True
    assert result.diagnosis.startswith("equal for the first 1 losses, then different")


def test_verify_tells_different_initial_weights_from_different_math(script):
    """Negative control for the diagnosis: a converted script that re-seeds before building its model."""
    from converter.verify import verify

    main(["convert", str(script)])
    converted = script.with_name("train_lightning.py")
    text = converted.read_text()
    converted.write_text(text.replace("    model = Net()", "    torch.manual_seed(12345)\n    model = Net()", 1))
    assert converted.read_text() != text
    result = verify(script, converted, ["--epochs", "1"], steps=2, cwd=script.parent)
    assert result.initial_weights_equal is False and result.first_difference == 0
    assert result.diagnosis.startswith("the initial weights already differ")


UNSEEDED = """
import numpy as np
import torch
from torch import nn

# no torch.manual_seed anywhere: --verify must seed both processes the same way
noise = np.random.randn(64, 4).astype("float32")
data = torch.utils.data.TensorDataset(torch.from_numpy(noise), torch.randn(64, 1))
loader = torch.utils.data.DataLoader(data, batch_size=8, shuffle=True)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
"""


@pytest.mark.slow  # two --verify runs (about 35 s on a busy machine): `.ci/run` runs it after the README's test command
def test_verify_seeds_an_unseeded_script_the_same_way_in_both_processes(tmp_path, capsys):
    script = tmp_path / "unseeded.py"
    script.write_text(UNSEEDED)
    assert main(["convert", str(script), "--verify", "--steps", "10"]) == EXIT_OK, capsys.readouterr()
    out = capsys.readouterr().out
    assert "seeded with 0" in out and "yes" in out
    from converter.verify import verify

    # control: the seed is what makes them equal; two different seeds give different starting weights
    first = verify(script, script, [], steps=2, seed=0)
    second = verify(script, script, [], steps=2, seed=1)
    assert first.original.initial_weights != second.original.initial_weights


def test_an_internal_error_in_one_file_does_not_stop_the_others(tmp_path, capsys, monkeypatch):
    """A bug of ours on one file: one line naming it, exit 7, the other files still converted, the summary printed."""
    import converter.cli

    real = converter.cli.convert_source

    def broken_on_one_file(source, path):
        if path.endswith("broken.py"):
            raise KeyError("a rule that has never seen this shape")
        return real(source, path)

    monkeypatch.setitem(converter.cli.TARGETS, "lightning", broken_on_one_file)
    shutil.copy(MNIST, tmp_path / "good.py")
    shutil.copy(MNIST, tmp_path / "broken.py")
    assert main(["convert", str(tmp_path)]) == EXIT_INTERNAL
    out = capsys.readouterr().out
    assert "internal error: KeyError" in out and "please report it" in out and "Traceback" not in out
    assert (tmp_path / "good_lightning.py").exists() and not (tmp_path / "broken_lightning.py").exists()


def test_directory_mode_skips_an_existing_output_and_goes_on(tmp_path, capsys):
    shutil.copy(MNIST, tmp_path / "a.py")
    shutil.copy(MNIST, tmp_path / "b.py")
    (tmp_path / "a_lightning.py").write_text("keep me\n")
    assert main(["convert", str(tmp_path)]) == EXIT_USAGE
    assert (tmp_path / "a_lightning.py").read_text() == "keep me\n"
    assert (tmp_path / "b_lightning.py").exists()
    assert "a_lightning.py exists" in capsys.readouterr().out


def test_outputs_are_written_atomically(tmp_path, monkeypatch):
    """A failure while writing leaves neither a half-written output nor a temporary file behind."""
    import os

    script = tmp_path / "train.py"
    shutil.copy(MNIST, script)
    target = tmp_path / "train_lightning.py"
    target.write_text("the previous output\n")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        main(["convert", str(script), "--force"])
    assert target.read_text() == "the previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.py", "train_lightning.py"]


@pytest.mark.parametrize("columns", [80, 200])
def test_report_fits_the_terminal(script, capsys, monkeypatch, columns):
    """Narrow: one `file:line CODE message` line per finding, nothing cut; wide: the table."""
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["convert", str(script), "--stdout"]) == EXIT_OK
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if " T2L" in line]
    if columns == 80:
        assert lines and all(line.startswith(f"{script}:") for line in lines)  # the path as given, as ruff does
        assert any(line.endswith("training_step returns the loss and Lightning calls backward") for line in lines)
    else:
        assert "┃" in err or "│" in err


@pytest.mark.parametrize(
    "source, where, message, shown",
    [
        ("import torch\n\n\ndef f():\n    x = (1,\n", "5:9", "'(' was never closed", ["        x = (1,", "            ^"]),
        ("a = 1\nb = 2\nc = 3 +\n", "3:8", "invalid syntax", ["    c = 3 +", "           ^"]),
        ("x = 1\nif x:\n\ty = 2\n\ty = = 3\n", "4:6", "invalid syntax", ["            y = = 3", "                ^"]),
    ],
    ids=["unclosed-bracket", "later-line", "tabs"],
)
@pytest.mark.parametrize("command", ["convert", "upgrade"])
def test_syntax_error_is_pythons_message_and_position_with_a_caret(tmp_path, capsys, command, source, where,
                                                                   message, shown):
    (tmp_path / "bad.py").write_text(source)
    assert main([command, str(tmp_path / "bad.py")]) == EXIT_BAD_INPUT
    first, *rest = capsys.readouterr().err.rstrip("\n").splitlines()
    assert first.endswith(f"bad.py:{where}: syntax error: {message}")  # compile()'s words, 1-based column
    assert rest == shown  # tabs expanded, the caret under the same character
    with pytest.raises(SyntaxError) as python:
        compile(source, "bad.py", "exec")
    assert f"{python.value.lineno}:{python.value.offset}" == where and python.value.msg == message


NEWER_SYNTAX = FIXTURES / "mnist_functions.in.py"  # a script that converts, given a 3.12 f-string below


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the f-string is valid from Python 3.12: nothing to refuse")
@pytest.mark.parametrize("route", ["lightning", "fabric"])
def test_an_input_this_python_cannot_compile_is_bad_input_not_an_internal_error(tmp_path, capsys, route):
    """libcst reads a 3.12 f-string that reuses its quotes; Python 3.11 cannot compile it, and so could not compile
    the output (it was an internal error: "t2l produced unparsable code"). One line, the bad-input exit code."""
    source = NEWER_SYNTAX.read_text() + 'print(f"{ {"a": 1}["a"] }")\n'
    (tmp_path / "newer.py").write_text(source)
    assert main(["convert", str(tmp_path / "newer.py"), "--to", route]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "syntax error" in error and "cannot compile this file" in error
    assert not (tmp_path / "newer_lightning.py").exists() and not (tmp_path / "newer_fabric.py").exists()


def test_a_syntax_error_in_a_directory_run_is_one_summary_row(tmp_path, capsys):
    (tmp_path / "bad.py").write_text("x = (1,\n")
    (tmp_path / "fine.py").write_text("import torch\n")
    assert main(["convert", str(tmp_path), "--json", str(tmp_path / "r.json")]) == EXIT_BAD_INPUT
    out = capsys.readouterr().out
    assert "'(' was never closed" in out and "^" not in out


def test_importing_lightning_draws_from_pythons_random_so_verify_imports_it_before_seeding():
    """The fact behind --verify's early import (found on the char-rnn shape, fixture char_rnn_random_chunks):
    seeded before the converted script's `import pytorch_lightning`, its `random.randint` chunks would differ."""
    import subprocess
    import sys

    probe = "import random; random.seed(0); import pytorch_lightning; print(random.random())"
    after_import = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    import random

    random.seed(0)
    assert float(after_import.stdout.split()[-1]) != random.random()


def test_a_declined_loop_converts_to_fabric_and_verifies(tmp_path, capsys):
    """The RL script the LightningModule route declines: its report names `--to fabric`, which converts it
    (the loop kept, `fabric.backward`), and --verify proves the losses bitwise equal."""
    path = tmp_path / "rl.py"
    shutil.copy(FIXTURES / "unsupported_rl_episodes.in.py", path)
    assert main(["convert", str(path)]) == EXIT_DECLINED
    assert f"`t2l convert {path} --to fabric` keeps the loop" in " ".join(capsys.readouterr().out.split())
    assert main(["convert", str(path), "--to", "fabric", "--verify", "--steps", "5"]) == EXIT_OK
    out = " ".join(capsys.readouterr().out.split())
    output = (tmp_path / "rl_fabric.py").read_text()
    assert "fabric.backward(loss)" in output and "policy, optimizer = fabric.setup(policy, optimizer)" in output
    assert "T2L306" in out and "5 (original 5, converted 5)" in out and "yes" in out


def test_fabric_verify_negative_control(tmp_path):
    """The same check fails when the Fabric script computes something else: its learning rate changed by 0.1%."""
    from converter.verify import verify

    path = tmp_path / "rl.py"
    shutil.copy(FIXTURES / "unsupported_rl_episodes.in.py", path)
    main(["convert", str(path), "--to", "fabric"])
    converted = tmp_path / "rl_fabric.py"
    converted.write_text(converted.read_text().replace("lr=1e-2", "lr=1e-2 * 1.001"))
    result = verify(path, converted, [], steps=5, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal and result.first_difference == 1


def test_rules_are_listed_per_target(capsys):
    assert main(["convert", "--rules", "--to", "fabric"]) == EXIT_OK
    fabric = capsys.readouterr().out
    assert "T2L303" in fabric and "T2L942" in fabric and "T2L101" not in fabric
    assert main(["convert", "--rules"]) == EXIT_OK
    lightning = capsys.readouterr().out
    assert "T2L101" in lightning and "T2L303" not in lightning and "T2L942" not in lightning


RESUMES = """\
import os

import torch

model = torch.nn.Linear(4, 1)
if os.path.exists("checkpoint.pt"):  # resume where the last run stopped
    model.load_state_dict(torch.load("checkpoint.pt"))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(6):
    loss = model(torch.ones(2, 4)).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    torch.save(model.state_dict(), "checkpoint.pt")
"""


@pytest.mark.slow  # --verify runs (about 35 s on a busy machine): `.ci/run` runs it after the README's test command
def test_verify_runs_each_side_in_its_own_view_of_the_directory(tmp_path):
    """Both sides run at once: a checkpoint one writes must not be the one the other resumes from, and neither
    may leave files in (or overwrite those of) the user's directory."""
    import subprocess
    import sys

    from converter.verify import verify

    script = tmp_path / "resumes.py"
    script.write_text(RESUMES)
    fresh = verify(script, script, [], steps=6)
    assert fresh.failed is None and fresh.bitwise_equal and fresh.compared == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resumes.py"]
    subprocess.run([sys.executable, str(script)], cwd=tmp_path, check=True)  # a run the user made: a checkpoint
    saved = (tmp_path / "checkpoint.pt").read_bytes()
    resumed = verify(script, script, [], steps=6)
    assert resumed.bitwise_equal and resumed.original.losses != fresh.original.losses  # both resumed from it
    assert (tmp_path / "checkpoint.pt").read_bytes() == saved


def test_a_private_view_copies_small_files_and_links_the_rest(tmp_path, monkeypatch):
    from converter import verify

    directory, (data, small) = tmp_path / "project", ("data", "config.txt")
    (directory / data).mkdir(parents=True)
    (directory / small).write_text("lr=0.1")
    view = verify.private_view(directory, tmp_path / "view")
    assert (view / data).is_symlink() and not (view / small).is_symlink()
    (view / small).write_text("lr=0.2")  # what the script overwrites stays in the view
    assert (directory / small).read_text() == "lr=0.1"
    monkeypatch.setattr(verify, "COPIED_IN_ALL", 0)  # over the budget: linked
    assert (verify.private_view(directory, tmp_path / "linked") / small).is_symlink()


RUNS_IN_SEQUENCE = """
import torch


def run(lr):
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(2):
        optimizer.zero_grad()
        model(torch.randn(8, 4)).pow(2).mean().backward()
        optimizer.step()


for lr in (0.1, 0.01, 0.001):
    run(lr)
"""


def test_verify_hashes_the_weights_of_each_run_s_optimizer(tmp_path):
    """A sweep builds an optimizer per run and frees the last: the next may get the freed one's id(). The recorder
    keeps optimizers by reference, so each run's first step is hashed (it went by id(), and one script recorded
    fewer hashes than its conversion, a spurious 'initial weights: different')."""
    from converter.verify import verify

    script = tmp_path / "sweep.py"
    script.write_text(RUNS_IN_SEQUENCE)
    result = verify(script, script, [], steps=6)
    assert result.failed is None and result.compared == 6
    assert len(result.original.initial_weights) == 3 and len(set(result.original.initial_weights)) == 3
    assert result.initial_weights_equal is True
