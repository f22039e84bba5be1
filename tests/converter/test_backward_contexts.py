"""A `with` around the backward: Lightning calls backward after training_step returns, so the context cannot stay
around it in the hook. `with torch.autograd.detect_anomaly():` becomes `Trainer(detect_anomaly=True)` (T2L166),
which checks Lightning's own backward; any other context left holding nothing is kept and marked (T2L933)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converter.convert import convert_source

NAN_IN_BACKWARD = """\
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4)), batch_size=8)
for epoch in range(1):
    for (x,) in loader:
        out = model(x)
        loss = torch.sqrt(((out - out.detach()) ** 2).sum())  # sqrt'(0) is inf: the backward makes NaN
        optimizer.zero_grad()
        with torch.autograd.detect_anomaly():
            loss.backward()
        optimizer.step()
print("trained")
"""


def test_the_anomaly_check_becomes_the_trainer_s_flag():
    output, report = convert_source(NAN_IN_BACKWARD)
    assert "detect_anomaly=True" in output and "with torch.autograd.detect_anomaly()" not in output
    assert "T2L166" in {f.code for f in report.findings} and not report.todos


def test_a_turned_off_check_is_not_the_flag():
    output, report = convert_source(NAN_IN_BACKWARD.replace("detect_anomaly()", "detect_anomaly(check_nan=False)"))
    assert "detect_anomaly=True" not in output and "T2L933" in {f.code for f in report.todos}


def _run(script: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, script.name], cwd=script.parent, capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # two Lightning runs
def test_lightning_s_backward_is_checked_and_the_flag_is_what_checks_it(tmp_path: Path):
    """The script's check raises on the NaN its backward makes; so does the converted script. Negative control: the
    same output without the flag trains through the NaN."""
    output, _ = convert_source(NAN_IN_BACKWARD)
    original, converted, control = tmp_path / "original.py", tmp_path / "converted.py", tmp_path / "control.py"
    original.write_text(NAN_IN_BACKWARD)
    converted.write_text(output)
    control.write_text(output.replace(", detect_anomaly=True", ""))
    for script in (original, converted):
        run = _run(script)
        assert run.returncode != 0 and "returned nan values" in run.stderr, script.name
    run = _run(control)
    assert run.returncode == 0 and "trained" in run.stdout, run.stderr[-2000:]
