"""`t2l upgrade` from the command line: diff by default, --write with a backup, JSON, exit codes, bad input,
and the realistic legacy script upgraded in one command into code that trains and resumes on Lightning 2.x."""

from __future__ import annotations

import json
import shutil

import pytest

from converter.cli import EXIT_BAD_INPUT, EXIT_NO_LOOP, EXIT_OK, EXIT_TODOS, EXIT_USAGE
from converter.rules import UPGRADE_TODO, UPGRADED
from pairs.harness.cli import main
from tests.converter.test_upgrade_fixtures import HERE, run_script

FIXTURES = HERE / "upgrade_fixtures"
LEGACY = FIXTURES / "legacy_gan_script.in.py"


@pytest.fixture
def legacy(tmp_path):
    path = tmp_path / "train_gan.py"
    path.write_text(LEGACY.read_text().split("\n", 1)[1])  # without the fixture header
    return path


def test_prints_a_diff_and_changes_nothing_by_default(legacy, capsys):
    before = legacy.read_bytes()
    assert main(["upgrade", str(legacy)]) == EXIT_OK
    captured = capsys.readouterr()
    assert legacy.read_bytes() == before and not legacy.with_name("train_gan.py.bak").exists()
    assert "-        gpus=-1,\n" in captured.out and '+        precision="16-mixed",\n' in captured.out
    assert "T2L222" in captured.err and "--write applies it" in captured.err  # the report goes to stderr


def test_write_keeps_a_backup_and_never_overwrites_one(legacy, capsys):
    original = legacy.read_text()
    assert main(["upgrade", str(legacy), "--write"]) == EXIT_OK
    assert legacy.with_name("train_gan.py.bak").read_text() == original
    upgraded = legacy.read_text()
    assert "        gpus=-1,\n" not in upgraded and "def training_step(self, batch, batch_idx):" in upgraded
    legacy.write_text(original)  # 1.x again, with the old backup still there
    assert main(["upgrade", str(legacy), "--write"]) == EXIT_USAGE
    assert legacy.read_text() == original and "--force" in capsys.readouterr().err
    assert main(["upgrade", str(legacy), "--write", "--force"]) == EXIT_OK


def test_json_report_lists_each_change_with_code_line_and_reference(legacy, tmp_path):
    report_path = tmp_path / "report.json"
    assert main(["upgrade", str(legacy), "--json", str(report_path)]) == EXIT_OK
    report = json.loads(report_path.read_text())
    assert report["status"] == "upgraded"
    codes = {f["code"]: f for f in report["findings"]}
    assert {"T2L201", "T2L203", "T2L204", "T2L205", "T2L218", "T2L220", "T2L222"} <= set(codes)
    lines = legacy.read_text().splitlines()
    assert "gpus=-1" in lines[codes["T2L201"]["line"] - 1]
    assert "def training_epoch_end" in lines[codes["T2L220"]["line"] - 1]
    assert codes["T2L222"]["reference"].endswith("model/manual_optimization.html")


def test_todos_exit_4_and_are_marked_in_the_code(tmp_path, capsys):
    script = tmp_path / "swa.py"
    script.write_text("import pytorch_lightning as pl\n\ntrainer = pl.Trainer(stochastic_weight_avg=True, ipus=8)\n")
    assert main(["upgrade", str(script), "--stdout"]) == EXIT_TODOS
    out = capsys.readouterr().out
    assert "# TODO(t2l): T2L951 removed `stochastic_weight_avg=True`" in out and "ipus=8`" in out
    assert "trainer = pl.Trainer()" in out  # the removed arguments are gone, so the line runs


def test_already_2x_and_non_lightning_files(tmp_path, capsys):
    current = tmp_path / "current.py"
    shutil.copy(FIXTURES / "already_2x.in.py", current)
    assert main(["upgrade", str(current)]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == "" and "already 2.x" in captured.err
    plain = tmp_path / "plain.py"
    plain.write_text("import torch\nprint(torch.ones(1))\n")
    assert main(["upgrade", str(plain)]) == EXIT_NO_LOOP
    assert "no Lightning imports" in capsys.readouterr().err


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.py", "no such file"),
        (lambda d: (d / "broken.py").write_text("import pytorch_lightning as pl\ndef f(:\n") and d / "broken.py",
         "broken.py:2:"),
        (lambda d: (d / "blob.py").write_bytes(b"\x00\x01binary") and d / "blob.py", "binary file"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "directory has no Python files"),
    ],
    ids=["missing", "syntax-error", "binary", "empty-directory"],
)
def test_bad_input_is_one_line_and_exit_6(tmp_path, capsys, make, message):
    assert main(["upgrade", str(make(tmp_path))]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert message in err.splitlines()[0] and "Traceback" not in err
    assert len(err.strip().splitlines()) == (3 if "syntax error" in err else 1)  # + the line and a caret


def test_directory_mode_and_switching_package(tmp_path, capsys):
    for name in ("moved_modules", "model_checkpoint", "already_2x"):
        shutil.copy(FIXTURES / f"{name}.in.py", tmp_path / f"{name}.py")
    assert main(["upgrade", str(tmp_path), "--write", "--to", "lightning"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "t2l upgrade" in err and "upgraded" in err
    for name in ("moved_modules", "model_checkpoint", "already_2x"):
        text = (tmp_path / f"{name}.py").read_text()
        assert "pytorch_lightning" not in text and "lightning.pytorch" in text


def test_rules_lists_every_upgrade_code(capsys):
    assert main(["upgrade", "--rules"]) == EXIT_OK
    out = capsys.readouterr().out
    assert all(code in out for code in {**UPGRADED, **UPGRADE_TODO})


def test_legacy_script_fails_on_2x_then_upgrades_in_one_command_trains_and_resumes(legacy, tmp_path):
    failed = run_script(legacy, ["--epochs", "1"], tmp_path)  # negative control: the 1.x script as it is
    assert failed.returncode != 0
    assert "unexpected keyword argument" in failed.stderr or "was removed" in failed.stderr

    assert main(["upgrade", str(legacy), "--write"]) == EXIT_OK
    first = run_script(legacy, ["--epochs", "2", "--checkpoint-every", "1"], tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "finished at epoch 2" in first.stdout
    last = tmp_path / "gan_checkpoints" / "last.ckpt"
    assert last.exists()
    resumed = run_script(legacy, ["--epochs", "3", "--resume", str(last)], tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "finished at epoch 3" in resumed.stdout and "Restoring states from the checkpoint" in resumed.stderr


def test_removed_hooks_are_silently_skipped_on_2x_until_upgraded(tmp_path):
    """No error on 2.x: on_epoch_end & co. just never run (the fixture's asserts catch it); upgraded, they do."""
    source = (FIXTURES / "removed_hooks.in.py").read_text().replace("batch_idx, dataloader_idx)", "batch_idx)")
    script = tmp_path / "hooks.py"
    script.write_text(source)
    result = run_script(script, [], tmp_path)
    assert result.returncode != 0 and "AssertionError" in result.stderr
    assert "{'epoch_end': 0, 'pretrain': 0, 'batch_end': 8} 0" in result.stdout
    assert main(["upgrade", str(script), "--write"]) == EXIT_OK
    assert run_script(script, [], tmp_path).returncode == 0


def test_upgrade_directory_run_survives_an_internal_error(tmp_path, capsys, monkeypatch):
    """Same isolation as `t2l convert`: one file's internal error is one line; the others are upgraded and written."""
    import converter.upgrade.cli as upgrade_cli

    real = upgrade_cli.upgrade_source

    def broken_on_one_file(source, path, to=None):
        if path.endswith("broken.py"):
            raise AttributeError("'FlattenSentinel' object has no attribute 'leading_lines'")
        return real(source, path, to)

    monkeypatch.setattr(upgrade_cli, "upgrade_source", broken_on_one_file)
    legacy = "import pytorch_lightning as pl\n\ntrainer = pl.Trainer(gpus=0, max_epochs=1)\n"
    (tmp_path / "good.py").write_text(legacy)
    (tmp_path / "broken.py").write_text(legacy)
    assert main(["upgrade", str(tmp_path), "--write"]) == 7
    err = capsys.readouterr().err
    assert "internal error: AttributeError" in err and "Traceback" not in err
    assert "gpus" not in (tmp_path / "good.py").read_text() and (tmp_path / "broken.py").read_text() == legacy
