"""1.x modules whose calls or hooks 2.x rejects at run time, not at import: each upgraded case trains under the
installed 2.x, and its 1.x input (the control) fails there as it would have after a clean upgrade before.

- log_keywords: `self.log(..., sync_dist_op="mean", tbptt_reduce_fx=...)`: 2.x's `log` has neither (TypeError).
- hooks: 1.3-1.5's `on_train_epoch_end(self, outputs)`: 2.x calls it with no arguments (TypeError).
- removed_hooks: a module's `on_batch_start(self, batch)` / `on_batch_end(self)` renamed for 2.x must also take what
  2.x passes (`batch_idx`; `outputs, batch, batch_idx`); the control is the rename alone (the 1.x input's hooks are
  simply never called by 2.x: no error to show). And `on_train_batch_end(..., dataloader_idx)` that reads the index:
  2.x passes none (TypeError); upgraded, it defaults to 0, what 1.x passed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from converter.upgrade import upgrade_source

RULES = Path(__file__).parent / "rules" / "upgrade"
def _renamed_only(upgraded: str, original: str) -> str:
    return upgraded.replace("(self, batch, batch_idx):", "(self, batch):").replace("(self, outputs, batch, batch_idx):", "(self):")


CASES = {
    "log_keywords": (RULES / "log_keywords" / "keywords_2x_does_not_take.in.py", "Tagger", (torch.randn(8, 5, 8), torch.randn(8, 5, 8)), None),
    "hooks": (RULES / "hooks" / "on_train_epoch_end_given_the_outputs.in.py", "Counter", (torch.randn(8, 4),), None),
    "removed_hooks": (RULES / "removed_hooks" / "module_batch_hooks_given_what_2x_passes.in.py", "Separator", (torch.randn(8, 4),), _renamed_only),
    "dataloader_idx": (RULES / "removed_hooks" / "callback_batch_hooks_require_the_index.in.py", "Tracked", (torch.randn(8, 4),), None),
}  # fmt: skip


def _fit(source: str, name: str, tensors: tuple, tmp_path: Path) -> None:
    import pytorch_lightning as pl
    from torch.utils.data import DataLoader, TensorDataset

    namespace: dict = {}
    exec(compile(source, f"{name}.py", "exec"), namespace)
    loader = DataLoader(TensorDataset(*tensors), batch_size=4)
    trainer = pl.Trainer(max_epochs=2, default_root_dir=tmp_path, enable_progress_bar=False, enable_model_summary=False,
                         log_every_n_steps=1)  # fmt: skip
    trainer.fit(namespace[name](), loader)  # training only: a line marked TODO (sync_dist_op="max") is in validation


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_upgraded_module_trains_and_the_control_fails(tmp_path, case):
    path, name, tensors, control = CASES[case]
    upgraded, report = upgrade_source(path.read_text())
    assert upgraded is not None
    _fit(upgraded, name, tensors, tmp_path / "upgraded")
    failing = control(upgraded, path.read_text()) if control else path.read_text()
    assert failing != upgraded
    with pytest.raises(TypeError):
        _fit(failing, name, tensors, tmp_path / "control")
