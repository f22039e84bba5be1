"""Lightning steps every optimizer as `optimizer.step(closure=...)`. An optimizer class the script writes whose
step() takes no closure (LARS, in a SimCLR script) raised TypeError at the first batch after `t2l convert` exited
0: its step takes one now and runs it first (T2L161). One that already runs it is left as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.convert.normalize import sgd_optimizer
from tests.converter.fixtures import named, verify_control

LARS = named("lars_optimizer_written_in_the_script")
CLOSURE_RUN = ("        if closure is not None:  # Lightning's: training_step and backward\n"
               "            with torch.enable_grad():\n                closure()\n")  # fmt: skip
# the class `t2l convert` itself writes for an update by hand (T2L131): its step already runs the closure
ALREADY_RUN = f"""import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


{sgd_optimizer.AS_WRITTEN.format(name="SGDAsWritten")}model = nn.Linear(4, 1)
optimizer = SGDAsWritten(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
"""


def test_the_fixture_s_optimizer_takes_and_runs_the_closure():
    output, report = convert_source(LARS.input.read_text(), LARS.input.name)
    assert "    def step(self, closure=None):\n" + CLOSURE_RUN in output
    assert any(f.code == "T2L161" and "LARS.step()" in f.message for f in report.findings)


def test_an_optimizer_that_runs_its_closure_is_left_as_written():
    output, report = convert_source(ALREADY_RUN, "already_run.py")
    assert "T2L161" not in {f.code for f in report.findings}
    written = sgd_optimizer.AS_WRITTEN.format(name="SGDAsWritten").rstrip()
    assert written in output  # the class, to its last line


@pytest.mark.slow  # a verify run
def test_negative_control_the_step_without_a_closure_fails_under_lightning(tmp_path: Path):
    result = verify_control(LARS, lambda out: out.replace("def step(self, closure=None):\n" + CLOSURE_RUN, "def step(self):\n"), tmp_path)
    assert result.failed is not None and "closure" in result.failed
