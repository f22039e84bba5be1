"""Upgrade edits that meet on one call or hook, checked by the installed Lightning 2.x.

`Trainer(truncated_bptt_steps=4, automatic_optimization=True, progress_bar_refresh_rate=0, ...)`: the trainer_args
rule rewrites the argument list (one per line), and the dropped `automatic_optimization=True` (T2L242), matched by
the whole argument as read, no longer matched its rewritten self and stayed: reported dropped, then 2.x raised
TypeError. `optimizer_zero_grad(self, epoch, batch_idx, optimizer, optimizer_idx)` beside a training_step without
the index was left in 1.x's signature, which 2.x calls with one argument fewer. Each control is the output with the
1.x piece put back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from converter.upgrade import upgrade_source

RULES = Path(__file__).parent / "rules" / "upgrade"
FLAGS = RULES / "manual_steps" / "flag_beside_flags_another_rule_reformats.in.py"
ZERO_GRAD = RULES / "optimizer_idx" / "zero_grad_hook_of_one_optimizer.in.py"


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_the_flags_build_a_2x_trainer():
    upgraded, report = upgrade_source(FLAGS.read_text())
    assert {"T2L242", "T2L951", "T2L208", "T2L209"} <= {f.code for f in report.findings}
    exec(compile(upgraded, "flags.py", "exec"), {})
    control = upgraded.replace("logger=False,", "logger=False, automatic_optimization=True,")
    with pytest.raises(TypeError, match="automatic_optimization"):
        exec(compile(control, "flags.py", "exec"), {})


def _fit(source: str) -> None:
    namespace: dict = {}
    exec(compile(source, "zero_grad.py", "exec"), namespace)
    import pytorch_lightning as pl

    model = namespace["SeqModel"]()
    model.net = torch.nn.Linear(3, 1)
    trainer = pl.Trainer(max_steps=2, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, accelerator="cpu")  # fmt: skip
    trainer.fit(model, DataLoader(TensorDataset(torch.randn(8, 3), torch.randn(8, 1)), batch_size=4))


def test_the_zero_grad_hook_of_one_optimizer_runs_under_2x():
    upgraded, report = upgrade_source(ZERO_GRAD.read_text())
    assert "T2L222" in {f.code for f in report.findings} and "def optimizer_zero_grad(self, epoch, batch_idx, optimizer):" in upgraded
    _fit(upgraded)
    with pytest.raises(TypeError, match="optimizer_idx"):
        _fit(ZERO_GRAD.read_text())


def test_the_fact_the_optimizer_step_mark_relies_on():
    """2.x calls a LightningModule's optimizer_step only under automatic optimization: once optimizer_idx becomes
    manual optimization (T2L222), a warm-up written there no longer runs, so the upgrade marks it (T2L954)."""
    import pytorch_lightning as pl

    class Manual(pl.LightningModule):
        def __init__(self, automatic: bool) -> None:
            super().__init__()
            self.automatic_optimization, self.layer, self.calls = automatic, torch.nn.Linear(2, 1), 0

        def training_step(self, batch, batch_idx):
            loss = self.layer(batch[0]).sum()
            if self.automatic_optimization:
                return loss
            optimizer = self.optimizers()
            self.manual_backward(loss)
            optimizer.step()
            optimizer.zero_grad()
            return None

        def optimizer_step(self, *args, **kwargs):
            self.calls += 1
            super().optimizer_step(*args, **kwargs)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    counts = {}
    for automatic in (False, True):
        model = Manual(automatic)
        pl.Trainer(max_steps=2, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                   enable_model_summary=False, accelerator="cpu").fit(model, DataLoader(TensorDataset(torch.randn(8, 2)), batch_size=4))  # fmt: skip
        counts[automatic] = model.calls
    assert counts == {False: 0, True: 2}
    upgraded, report = upgrade_source((RULES / "optimizer_idx" / "gan_taking_turns_by_frequency_with_a_warmup.in.py").read_text())
    marks = [f.message for f in report.findings if f.code == "T2L954"]
    assert any("optimizer_step" in m for m in marks) and any("frequency" in m for m in marks)
