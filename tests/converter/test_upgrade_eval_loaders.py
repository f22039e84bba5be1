"""`trainer.val_dataloaders[0]` (1.x: always a list) under the installed 2.x: where val_dataloader returns one
DataLoader the 1.x code fails in its first validation (TypeError: a DataLoader is not subscriptable, the control);
upgraded (T2L248) the module and its callback read the loader, and `test_dataloaders[0]` of a list is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytorch_lightning as pl

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "eval_loaders" / "one_loader_read_at_epoch_end.in.py"


def _fit_and_test(source: str, root: Path) -> dict:
    namespace: dict = {}
    exec(compile(source, "regressor.py", "exec"), namespace)
    model = namespace["Regressor"]()
    trainer = pl.Trainer(max_epochs=1, callbacks=[namespace["FirstBatch"]()], default_root_dir=root, logger=False,
                         enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False)  # fmt: skip
    trainer.fit(model)
    trainer.test(model, verbose=False)
    return model.seen


def test_the_upgraded_module_reads_its_one_loader(tmp_path):
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and [f.code for f in report.findings] == ["T2L248", "T2L248"]
    assert "self.trainer.test_dataloaders[0]" in upgraded  # a list returned: [0] still means its first loader
    assert _fit_and_test(upgraded, tmp_path) == {"validated": 32, "first batch": (16, 4), "tested": 16}


def test_control_the_1x_index_fails_under_2x(tmp_path):
    with pytest.raises(TypeError, match="not subscriptable"):
        _fit_and_test(CASE.read_text(), tmp_path)
