"""A value the batch loop binds only on some batches, read at the epoch's end (WGAN-GP's `print(epoch, d_loss.item(),
g_loss.item())`, the generator stepped every n_critic batches): training_step keeps it on self where it is bound, so
on_train_epoch_end prints the last value bound, as the loop's name held it. The print was removed before, its
T2L113 line saying "the metric is logged", though nothing logged the generator's loss."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, printed_lines

FIXTURE = named("wgan_gp_critic_steps")
KEPT = "            self.g_loss = g_loss  # the last value bound, read after the batches\n"


def test_the_kept_value_is_the_last_one_bound():
    output, report = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert KEPT in output and "print(self.current_epoch, self.d_loss.item(), self.g_loss.item())" in output
    assert not any(f.code == "T2L113" for f in report.findings)  # nothing claims a metric is logged that is not


@pytest.mark.slow  # both scripts run their two epochs (about 10 s)
def test_the_epoch_lines_are_the_ones_the_script_printed(tmp_path):
    output = FIXTURE.expected.read_text()
    stale = output.replace(KEPT, "            if i == 0:\n    " + KEPT)
    printed = printed_lines({"original": FIXTURE.input.read_text(), "converted": output, "control": stale}, tmp_path,
                            prefix=("0 ", "1 "))  # fmt: skip
    assert len(printed["original"]) == 2 and printed["converted"] == printed["original"]
    # control: the generator's loss kept from the epoch's first batch only, not its last step: the lines differ
    assert printed["control"] != printed["original"]


SHAPE = """\
import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
marks = []

for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
{body}
    marks.append({read})
"""


@pytest.mark.parametrize("body, read", [
    ("        if (big := loss.item()) > 0.5:\n            pass", "big"),  # bound in a header: no line to keep it after
    ("        if i == 0:\n            values = [k for k in range(3)]", "k"),  # the comprehension's own variable
    ("        if i == 0:\n            for row in x:\n                pass", "row"),  # a `for` target
])
def test_a_name_bound_otherwise_than_by_a_line_stays_marked(body, read):
    output, report = convert_source(SHAPE.format(body=body, read=read))
    assert f"self.{read}" not in output and "T2L909" in {f.code for f in report.findings}


def test_a_name_a_line_binds_under_a_condition_is_kept_after_that_line():
    output, report = convert_source(SHAPE.format(body="        if i == 0:\n            values = [k for k in range(3)]", read="values"))
    assert "            self.values = values  # the last value bound, read after the batches\n" in output
    assert "marks.append(self.values)" in output and not report.todos
