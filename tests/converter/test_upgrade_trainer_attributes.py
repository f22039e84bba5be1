"""Trainer attributes renamed since 1.x (T2L246), read inside hooks: the upgraded Callbacks run through a fit with
a sanity check, a scheduler and validation under the installed 2.x (one reads the batch sampler through
`trainer.train_dataloader`, 1.x's `.loaders`); the 1.x Callback (the control) raises AttributeError at its first
hook there."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "trainer_attributes" / "renamed_trainer_attributes_in_hooks.in.py"


def _fit(source: str, tmp_path: Path, capsys) -> list[str]:
    import pytorch_lightning as pl
    from torch.utils.data import DataLoader, TensorDataset

    namespace: dict = {}
    exec(compile(source, "reporter.py", "exec"), namespace)

    class Scheduled(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        def training_step(self, batch, batch_idx):
            return self.layer(batch[0]).pow(2).mean()

        def validation_step(self, batch, batch_idx):
            self.log("val", self.layer(batch[0]).pow(2).mean())

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
            return [optimizer], [torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)]

    loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
    trainer = pl.Trainer(max_epochs=2, default_root_dir=tmp_path, callbacks=[namespace["Reporter"](), namespace["SamplerEpochs"]()],
                         enable_progress_bar=False, enable_model_summary=False, logger=False)  # fmt: skip
    capsys.readouterr()
    trainer.fit(Scheduled(), loader, loader)
    return capsys.readouterr().out.split("\n")


def test_the_upgraded_callback_reads_the_2x_trainer(tmp_path, capsys):
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and sum(f.code == "T2L246" for f in report.findings) == 6
    printed = [line for line in _fit(upgraded, tmp_path, capsys) if line]
    assert printed == ["0 0.05 None", "1 0.025 None"]  # no line for the sanity check; the rate after each epoch's step


def test_control_the_1x_callback_fails_under_2x(tmp_path, capsys):
    with pytest.raises(AttributeError, match="running_sanity_check"):
        _fit(CASE.read_text(), tmp_path, capsys)
