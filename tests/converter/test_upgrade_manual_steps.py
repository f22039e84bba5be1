"""manual_steps: a 1.1-era manual-optimization module trains under the installed 2.x once upgraded.

Each mapped call is undone in a control, which must fail where the 1.x call reaches 2.x: the optimizer handed to
`manual_backward` goes on to `loss.backward` (a TypeError), `manual_optimizer_step` is not there (AttributeError).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "manual_steps" / "one_one_era_gan_steps.in.py"


def _train(source: str, tmp_path: Path) -> dict[str, torch.Tensor]:
    """Run the case's `train(loader)` (its own Trainer, logs under `tmp_path`); the trained module's weights."""
    from torch.utils.data import DataLoader, TensorDataset

    namespace: dict = {}
    exec(compile(source, "gan.py", "exec"), namespace)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        model = namespace["train"](DataLoader(TensorDataset(torch.randn(16, 4)), batch_size=8))
    finally:
        os.chdir(cwd)
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_the_upgraded_module_steps_both_optimizers(tmp_path):
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and {"T2L240", "T2L241", "T2L242"} <= {f.code for f in report.findings}
    assert not report.todos
    torch.manual_seed(0)
    before = {k: v.clone() for k, v in _fresh(upgraded).state_dict().items()}
    torch.manual_seed(0)
    after = _train(upgraded, tmp_path)
    assert all(not torch.equal(before[k], after[k]) for k in before)  # the generator and the discriminator moved


def _fresh(source: str):
    namespace: dict = {}
    exec(compile(source, "gan.py", "exec"), namespace)
    return namespace["TwoNets"]()


@pytest.mark.parametrize(("undone", "error"), [
    (("self.manual_backward(g_loss)", "self.manual_backward(g_loss, opt_g)"), TypeError),
    (("opt_g.step()\n        opt_g.zero_grad()  # 1.1's manual_optimizer_step did both", "self.manual_optimizer_step(opt_g)"), AttributeError),
])  # fmt: skip
def test_control_each_1x_call_fails_under_2x(tmp_path, undone, error):
    upgraded, _ = upgrade_source(CASE.read_text())
    assert upgraded is not None and undone[0] in upgraded
    with pytest.raises(error):
        _train(upgraded.replace(undone[0], undone[1], 1), tmp_path)
