"""never_called: the hooks 2.x no longer calls, checked against the installed Lightning and run through fit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from converter.upgrade import upgrade_source
from converter.upgrade.never_called import NO_TWIN

CASES = Path(__file__).parent / "rules" / "upgrade" / "never_called"
COUNTER_1X = (CASES / "keyboard_interrupt_and_returned_state.in.py").read_text()


def test_the_hooks_marked_never_called_are_absent_from_the_installed_2x_classes():
    import pytorch_lightning as pl

    classes = (pl.Callback, pl.LightningModule, pl.LightningDataModule)
    for name in [*NO_TWIN, "on_keyboard_interrupt"]:
        assert not any(hasattr(cls, name) for cls in classes), name
    for name in ("on_exception", "state_dict", "load_state_dict"):  # what T2L237 / T2L238 write
        assert hasattr(pl.Callback, name), name


def _fit_twice(counter_source: str, tmp_path: Path) -> int:
    """Fit one epoch with a checkpoint on disk, then resume it for a second: the Counter's batches at the end."""
    import pytorch_lightning as pl
    import torch

    namespace: dict = {}
    exec(compile(counter_source, "counter.py", "exec"), namespace)

    class Model(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)

        def training_step(self, batch, batch_idx):
            return self.layer(batch).sum()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.01)

    loader = torch.utils.data.DataLoader(torch.randn(12, 2), batch_size=4)
    quiet = dict(logger=False, enable_progress_bar=False, enable_model_summary=False, default_root_dir=tmp_path)
    first = namespace["Counter"]()
    pl.Trainer(max_epochs=1, callbacks=[first], **quiet).fit(Model(), loader)
    checkpoint = next(tmp_path.rglob("*.ckpt"))
    second = namespace["Counter"]()
    pl.Trainer(max_epochs=2, callbacks=[second], **quiet).fit(Model(), loader, ckpt_path=checkpoint)
    return second.batches


def test_a_callback_s_state_survives_a_resume(tmp_path):
    """T2L238: the 1.x Counter returned its state from on_save_checkpoint and read it back from callback_state.
    Upgraded (state_dict / load_state_dict), a resumed fit starts from the saved count: 3 batches, then 3 more.
    Control: the 1.x callback under 2.x reads the whole checkpoint as its state, a KeyError at the resume."""
    upgraded, report = upgrade_source(COUNTER_1X)
    assert upgraded is not None and "T2L238" in {f.code for f in report.findings}
    assert _fit_twice(upgraded, tmp_path / "upgraded") == 6
    with pytest.raises(KeyError, match="batches"):
        _fit_twice(COUNTER_1X, tmp_path / "control")


@pytest.mark.slow  # two processes
def test_ctrl_c_reaches_the_upgraded_on_keyboard_interrupt(tmp_path):
    """T2L237: 2.x never calls on_keyboard_interrupt; upgraded to on_exception under isinstance(exception,
    KeyboardInterrupt), the callback runs when fit is interrupted (here, in the third batch). Control: the 1.x
    callback, silent."""
    run = textwrap.dedent("""\
        import pytorch_lightning as pl
        import torch
        class Model(pl.LightningModule):
            def __init__(self):
                super().__init__()
                self.layer = torch.nn.Linear(2, 1)
            def training_step(self, batch, batch_idx):
                if batch_idx == 2:
                    raise KeyboardInterrupt
                return self.layer(batch).sum()
            def configure_optimizers(self):
                return torch.optim.SGD(self.parameters(), lr=0.01)
        pl.Trainer(max_epochs=1, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                   enable_model_summary=False, callbacks=[Counter()]).fit(Model(), torch.utils.data.DataLoader(torch.randn(8, 2)))
        """)
    upgraded, _ = upgrade_source(COUNTER_1X)
    printed = {}
    for name, counter in (("upgraded", upgraded), ("control", COUNTER_1X)):
        (tmp_path / f"{name}.py").write_text(counter + run)
        done = subprocess.run([sys.executable, f"{name}.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr[-2000:]  # Lightning exits after an interrupt
        printed[name] = [line for line in done.stdout.splitlines() if line.startswith("stopped")]
    assert printed == {"upgraded": ["stopped after 2 batches"], "control": []}
