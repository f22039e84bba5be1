"""`t2l upgrade` on YAML configs (issue 24 item 7): a LightningCLI `trainer:` section and Hydra Trainer configs
go through the same Trainer rules as code; 2.x builds its Trainer from the result, and the original 1.x keys fail
there (the negative control). Comments, order and the untouched lines stay as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytorch_lightning as pl
import yaml

from converter.cli import EXIT_BAD_INPUT, EXIT_NO_LOOP, EXIT_TODOS
from converter.files import find_inputs
from converter.upgrade.yaml_config import upgrade_yaml
from pairs.harness.cli import main

CONFIGS = Path(__file__).parent / "yaml_configs"
QUIET = {"logger": False, "enable_checkpointing": False}


def upgraded(name: str) -> tuple[str, object]:
    path = CONFIGS / name
    output, report = upgrade_yaml(path.read_text(), str(path))
    assert output is not None
    return output, report


def test_lightning_cli_trainer_section_builds_a_2x_trainer_and_the_1x_one_does_not():
    source = (CONFIGS / "lightning_cli.yaml").read_text()
    output, report = upgraded("lightning_cli.yaml")
    before, after = yaml.safe_load(source)["trainer"], yaml.safe_load(output)["trainer"]
    with pytest.raises(TypeError, match="gpus"):
        pl.Trainer(**{k: v for k, v in before.items() if k != "callbacks"}, **QUIET)
    trainer = pl.Trainer(**{k: v for k, v in after.items() if k != "callbacks"}, **QUIET)
    assert (trainer.max_epochs, trainer.precision, type(trainer.accelerator).__name__) == (2, "32-true", "CPUAccelerator")
    assert after["detect_anomaly"] is True and after["enable_model_summary"] is False and "weights_summary" not in after
    assert after["callbacks"] == before["callbacks"]  # a list the rules do not read: the same value
    assert "accelerator: cpu" in output and "# CPU on the laptop" in output  # the comment follows its key
    assert output.startswith("# A LightningCLI config") and "seed_everything: 42\n" in output
    assert "    - class_path: pytorch_lightning.callbacks.LearningRateMonitor\n" in output  # the file's own indent
    assert {(f.line, f.code) for f in report.findings} >= {(4, "T2L201"), (5, "T2L204"), (8, "T2L212")}


def test_hydra_trainer_config_keeps_its_target_and_instantiates_on_2x():
    output, report = upgraded("trainer/default.yaml")
    config = yaml.safe_load(output)
    assert config.pop("_target_") == "pytorch_lightning.Trainer"
    assert config == {"accelerator": "cpu", "min_epochs": 1, "max_epochs": 3, "strategy": "ddp",
                      "enable_progress_bar": False}  # fmt: skip
    trainer = pl.Trainer(**config, **QUIET)  # what hydra.utils.instantiate does with it
    assert type(trainer.strategy).__name__ == "DDPStrategy" and not trainer.progress_bar_callback
    assert "_target_: pytorch_lightning.Trainer\n\naccelerator: cpu" in output  # the blank line stays
    assert "resume_from_checkpoint" not in output and not report.todos  # None resumed nothing: dropped, no mark


def test_a_value_yaml_cannot_hold_is_marked_never_written_as_something_else():
    output, report = upgraded("trainer/gpu.yaml")
    config = yaml.safe_load(output)
    assert config == {"defaults": ["default.yaml"], "accelerator": "gpu"}  # devices left for the person to set
    assert [f.code for f in report.todos] == ["T2L964"]
    assert "# TODO(t2l): T2L964 devices: the upgrade wrote `find_usable_cuda_devices(1)`" in output
    assert "defaults:\n  - default.yaml\n" in output  # a Hydra defaults list is not a Trainer flag


@pytest.mark.parametrize("name", ["lightning_cli.yaml", "trainer/default.yaml", "trainer/gpu.yaml"])
def test_a_second_upgrade_changes_nothing(name):
    output, _ = upgraded(name)
    again, report = upgrade_yaml(output, name)
    assert again is None, again


def test_directory_runs_read_configs_that_name_a_trainer_only():
    found = {p.relative_to(CONFIGS).as_posix() for p in find_inputs([CONFIGS], skip_converted=False, configs=True)}
    assert found == {"lightning_cli.yaml", "trainer/default.yaml", "trainer/gpu.yaml", "trainer/every_flag.yaml"}  # no CI


def test_the_cli_writes_configs_and_says_so(tmp_path, capsys):
    shutil.copytree(CONFIGS, tmp_path / "configs")
    assert main(["upgrade", str(tmp_path / "configs"), "--write"]) == EXIT_TODOS  # gpu.yaml carries a mark
    written = (tmp_path / "configs" / "trainer" / "default.yaml").read_text()
    assert "strategy: ddp" in written and (tmp_path / "configs" / "trainer" / "default.yaml.bak").exists()
    assert main(["upgrade", str(tmp_path / "configs" / "unrelated.yaml")]) == EXIT_NO_LOOP
    bad = tmp_path / "bad.yaml"
    bad.write_text("trainer: [gpus\n")
    capsys.readouterr()
    assert main(["upgrade", str(bad)]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err.strip()
    assert error.startswith("t2l upgrade: bad input:") and "not valid YAML" in error and len(error.splitlines()) == 1


def test_flags_at_their_defaults_go_without_marks_and_untouched_lines_stay_byte_for_byte():
    source = (CONFIGS / "trainer" / "every_flag.yaml").read_text()
    output, report = upgraded("trainer/every_flag.yaml")
    assert not report.todos, [f.message for f in report.todos]  # None / False / 1 / 'native': nothing to carry
    kept = [line for line in source.splitlines() if line.split(":")[0] in ("logger", "callbacks", "max_epochs")]
    assert all(line in output.splitlines() for line in kept) and "logger: True" in kept  # `True`, `null` as written
    assert "enable_checkpointing: True\n" in output and "use_distributed_sampler: True\n" in output  # the file's spelling
    config = yaml.safe_load(output)
    config.pop("_target_")
    trainer = pl.Trainer(**{**config, "logger": False, "enable_checkpointing": False})
    assert trainer.precision == "32-true" and trainer.max_epochs == 1


def test_a_flow_style_section_is_reported_and_marked_not_rewritten():
    output, report = upgrade_yaml("model: {lr: 0.1}\ntrainer: {gpus: 1, max_epochs: 3}\n", "flow.yaml")
    assert {f.code for f in report.findings} == {"T2L201", "T2L964"}
    assert output.splitlines()[2] == "trainer: {gpus: 1, max_epochs: 3}" and "# TODO(t2l): T2L964" in output.splitlines()[1]
