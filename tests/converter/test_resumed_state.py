"""Resume code converted: the state a script loads into its optimizer and scheduler before training is the state
Lightning trains from.

- `optimizer.load_state_dict(checkpoint["optimizer"])` beside the loop (T2L152): the state is kept in a variable and
  loaded in on_fit_start into the objects configure_optimizers built. Controls: without the loads (a fresh momentum
  buffer and learning rate), and the optimizer's state loaded through `self.optimizers()`, a LightningOptimizer,
  whose `load_state_dict` sets the wrapper's copy of the state while the optimizer Lightning steps keeps its own.
- `load_checkpoint(path, model, optimizer, scheduler)` (T2L153): both stay where they are built and
  configure_optimizers returns them. Control: configure_optimizers builds fresh ones, as it did for other scripts.

Both sides resume from one checkpoint, written by the original script trained for two epochs, and `--verify`
compares every loss of the epochs left; each control differs at the first resumed step.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.verify import verify

FIXTURES = Path(__file__).parent / "fixtures"
LOAD = "self.trainer.optimizers[0].load_state_dict(optimizer_state)"
HELD = '"optimizer": self.optimizer, "lr_scheduler": {"scheduler": self.scheduler}'
FRESH = ('"optimizer": (o := torch.optim.Adam(self.model.parameters(), lr=1e-2)), '
         '"lr_scheduler": {"scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=epochs)}')  # fmt: skip
CASES = {
    "resume_optimizer_and_scheduler_state": (
        "T2L152", ["--epochs", "2"], "checkpoint.pth.tar", ["--epochs", "4", "--resume", "resumed.pt"], {
            "no load": lambda c: c.replace(LOAD, "pass").replace("self.lr_schedulers().load_state_dict(scheduler_state)", "pass"),
            "through the wrapper": lambda c: c.replace(LOAD, "self.optimizers().load_state_dict(optimizer_state)"),
        }),
    "resume_through_checkpoint_helpers": (
        "T2L153", ["2"], "last.pt", ["4"], {"fresh objects": lambda c: c.replace(HELD, FRESH)}),
}  # fmt: skip


@pytest.mark.slow  # a short training and two or three verify runs each (about 15 s): .ci/run's slow step runs it
@pytest.mark.parametrize("name", CASES)
def test_resumed_training_starts_from_the_loaded_state(tmp_path, name):
    code, first_args, written, resumed_args, controls = CASES[name]
    source = (FIXTURES / f"{name}.in.py").read_text()
    converted, report = convert_source(source, name)
    assert converted is not None and report.status == "converted" and any(f.code == code for f in report.findings)
    original = tmp_path / "original.py"
    original.write_text(source)
    subprocess.run([sys.executable, str(original), *first_args], cwd=tmp_path, check=True, capture_output=True)
    shutil.move(tmp_path / written, tmp_path / ("resumed.pt" if "--resume" in resumed_args else written))
    results = {}
    for side, text in {"converted": converted, **{n: edit(converted) for n, edit in controls.items()}}.items():
        assert side == "converted" or text != converted, side
        path = tmp_path / f"{side.replace(' ', '_')}.py"
        path.write_text(text)
        results[side] = verify(original, path, resumed_args, steps=12, cwd=tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12  # epochs 2 and 3: 12 steps
    for control in controls:
        assert results[control].failed is None and results[control].first_difference == 1, control
