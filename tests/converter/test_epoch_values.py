"""A value the epoch loop assigns above the batch loop stands in for its name in fit's loader only when the epoch
loop does not change it afterwards in place: `random.shuffle(order)` after `order = list(range(n))` made fit iterate
the unshuffled list, a clean exit with every loss different (seen on a per-sample loop)."""

from __future__ import annotations

import pytest

from converter.convert import convert_source

SCRIPT = """\
import random

import torch

samples = [(torch.randn(3), torch.randn(1)) for _ in range(8)]
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    order = list(range(len(samples)))
{change}    for i in order:
        x, y = samples[i]
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
"""


def test_an_unchanged_value_stands_in_for_its_name():
    output, report = convert_source(SCRIPT.format(change=""), "train.py")
    assert "train_dataloaders=torch.utils.data.DataLoader(list(range(len(samples))), batch_size=None, generator=torch.Generator())" in output
    assert not [f for f in report.findings if f.code.startswith("T2L9")]


@pytest.mark.parametrize("change", ["random.shuffle(order)", "order.reverse()", "order[0] = 1", "del order[0]"])
def test_a_value_changed_in_place_is_not_followed_and_the_loader_is_marked(change):
    output, report = convert_source(SCRIPT.format(change=f"    {change}\n"), "train.py")
    assert "DataLoader(list(range(" not in output
    assert any(f.code == "T2L925" and "`order`" in f.message for f in report.findings)
