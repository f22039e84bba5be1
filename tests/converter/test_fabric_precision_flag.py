"""An autocast's `enabled=use_amp` flag assigned below the device choice the Fabric lines replace (T2L314, --to fabric).

`precision=` is decided when Fabric is made, a line above `use_amp = args.amp and device.type == "cuda"`: the flag's
value takes its place there when it has that value already (one assignment, in the scope that makes Fabric, reading
names bound before it and not again). Otherwise every line stays as written, marked T2L943, as before.
"""

from __future__ import annotations

import pytest

from converter.fabric import convert_to_fabric

SCRIPT = """\
import argparse
import torch
from torch import nn

args = argparse.ArgumentParser().parse_args()
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
{flag}
model = nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler(enabled=use_amp)
for x, y in loader:
    x, y = x.to(device), y.to(device)
    optimizer.zero_grad()
    with torch.cuda.amp.autocast(enabled=use_amp):
        loss = nn.functional.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
"""


def _converted(flag: str) -> tuple[str, set[str]]:
    output, report = convert_to_fabric(SCRIPT.format(flag=flag), "train.py")
    return output, {f.code for f in report.findings}


def test_the_flag_s_value_decides_the_precision_where_fabric_is_made():
    output, codes = _converted('use_amp = args.amp and device.type == "cuda"')
    assert "T2L314" in codes and "T2L943" not in codes
    assert 'precision="16-mixed" if (args.amp and device.type == "cuda") else "32-true"' in output  # said once
    assert "scaler" not in output and "with fabric.autocast():" in output


@pytest.mark.parametrize("flag", [
    "use_amp = False\nif args.amp:\n    use_amp = device.type == 'cuda'",  # two assignments, one under an `if`
    "if args.amp:\n    use_amp = device.type == 'cuda'\nelse:\n    use_amp = False",
    "amp = args.amp\nuse_amp = amp and device.type == 'cuda'",  # it reads a name bound below Fabric's lines too
])  # fmt: skip
def test_a_flag_fabric_cannot_know_yet_leaves_the_lines_marked(flag):
    output, codes = _converted(flag)
    assert "T2L943" in codes and "T2L314" not in codes and "scaler.step(optimizer)" in output
