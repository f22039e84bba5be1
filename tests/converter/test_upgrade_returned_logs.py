"""returned_logs: metrics a 1.0-era module returned under "log" reach 2.x's logger after the upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "returned_logs" / "step_and_epoch_end_dicts.in.py"


def _fit(source: str, tmp_path: Path) -> dict:
    """Fit the case's Regressor for two epochs with a ModelCheckpoint on "val_loss": the metrics the logger got."""
    import pytorch_lightning as pl
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    namespace: dict = {}
    exec(compile(source, "regressor.py", "exec"), namespace)
    data = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
    trainer = pl.Trainer(max_epochs=2, default_root_dir=tmp_path, enable_progress_bar=False, enable_model_summary=False,
                         log_every_n_steps=1, callbacks=[pl.callbacks.ModelCheckpoint(monitor="val_loss")])  # fmt: skip
    trainer.fit(namespace["Regressor"](), data, data)
    return dict(trainer.logged_metrics)


def test_returned_log_dicts_reach_the_logger_and_the_checkpoint(tmp_path):
    """T2L239: the upgraded module logs train_loss each step and the epoch's val_loss, which the checkpoint
    monitors. Control: the same upgrade without the self.log_dict lines (2.x ignores returned dicts): the
    checkpoint finds no val_loss and stops the run."""
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and "T2L239" in {f.code for f in report.findings}
    logged = _fit(upgraded, tmp_path / "upgraded")
    assert {"train_loss", "val_loss", "avg_val_loss", "lr"} <= set(logged)
    control = "\n".join(line for line in upgraded.splitlines() if "self.log_dict(" not in line)
    from lightning_fabric.utilities.exceptions import MisconfigurationException

    with pytest.raises(MisconfigurationException, match="val_loss"):
        _fit(control, tmp_path / "control")
