"""optimizer_step on 1.x's signature (the learning-rate warm-up of 1.x's docs) trains under the installed 2.x once
upgraded (T2L244).

The controls are the 1.x module as written, run under 2.x: with 1.2-1.9's defaults the closure 2.x passes lands in
`optimizer_idx`, `optimizer.step(closure=None)` never runs training_step and backward, and 2.x stops at the first
step; without the defaults (1.0-1.1), the first step raises TypeError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "optimizer_step" / "learning_rate_warmup_1x_signature.in.py"


def _train(source: str):
    """Run the case's `train(loader)` (in the test's directory): the module it trained, its weights before training."""
    namespace: dict = {}
    exec(compile(source, "warmup.py", "exec"), namespace)
    torch.manual_seed(0)
    before = {k: v.clone() for k, v in namespace["WarmedUp"]().state_dict().items()}
    torch.manual_seed(0)
    return namespace["train"](DataLoader(TensorDataset(torch.randn(48, 4)), batch_size=8)), before


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_the_upgraded_warmup_trains_and_warms_up():
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and [f.code for f in report.findings] == ["T2L244"]
    model, before = _train(upgraded)
    assert all(not torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert model.trainer.optimizers[0].param_groups[0]["lr"] == pytest.approx(0.1)  # warmed up to its rate in 4 steps


def test_control_the_1x_signature_under_2x_never_runs_the_closure():
    from lightning_fabric.utilities.exceptions import MisconfigurationException

    with pytest.raises(MisconfigurationException, match="closure hasn't been executed"):
        _train(CASE.read_text())


def test_control_the_1x_signature_without_defaults_raises():
    source = CASE.read_text().replace("optimizer_idx=0, optimizer_closure=None, on_tpu=False,", "optimizer_idx, optimizer_closure, on_tpu,")
    source = source.replace("using_native_amp=False, using_lbfgs=False):", "using_native_amp, using_lbfgs):")
    assert "using_lbfgs):" in source and "=False" not in source.split("def optimizer_step")[1].split(":")[0]
    with pytest.raises(TypeError, match="missing"):
        _train(source)
