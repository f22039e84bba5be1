"""A value the epoch loop assigns above the batch loop stands in for its name in fit's loader only when the epoch
loop does not change it afterwards in place: `random.shuffle(order)` after `order = list(range(n))` made fit iterate
the unshuffled list, a clean exit with every loss different (seen on a per-sample loop)."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import verify_beside_control

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


COUNTED = Path(__file__).parent / "rules/convert/epoch_loop/counted_by_itertools_count.in.py"


def test_an_epoch_loop_over_itertools_count_has_its_epoch_variable():
    """`for epoch in itertools.count(1):` left `epoch` undefined in the hooks (T2L925, a NameError under --verify)."""
    output, report = convert_source(COUNTED.read_text(), COUNTED.name)
    assert "(self.current_epoch + 1) >= 5" in output and "max_epochs=-1" in output
    assert {f.code for f in report.findings if f.code.startswith("T2L9")} == {"T2L911"}  # the limit to set, only


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_count_stops_at_the_same_epoch(tmp_path):
    output, _ = convert_source(COUNTED.read_text(), COUNTED.name)
    control = output.replace("(self.current_epoch + 1) >= 5", "self.current_epoch >= 5")  # counted from zero
    results = verify_beside_control(COUNTED, output, control, 100, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 15  # 5 epochs of 3 batches
    assert results["control"].failed is None and not results["control"].bitwise_equal


UNFREEZING = Path(__file__).parent / "rules/convert/epoch_body/loop_variable_of_an_unfreezing_epoch.in.py"


def test_a_loop_variable_of_the_epoch_s_code_stays_a_local():
    """`for p in backbone.parameters(): p.requires_grad = True` at an unfreezing epoch, `p` also the variable of a loop
    above the training: `p` was kept as state, an __init__ argument, so the backbone's last parameter was registered
    on the LightningModule again as `p` (an extra state_dict key) and the hook looped with `for self.p in ...`."""
    output, _ = convert_source(UNFREEZING.read_text(), UNFREEZING.name)
    assert "for p in self.backbone.parameters():" in output and "self.p" not in output
    read_after = UNFREEZING.read_text() + "print(p.shape)\n"  # code after the loop reads its last value: state, kept
    assert "self.p" in convert_source(read_after, UNFREEZING.name)[0]
