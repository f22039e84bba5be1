"""A batch back-propagated in micro-batches (`for start in range(0, len(x), k): loss.backward()` inside the batch loop,
one optimizer step after): the loop over parts of the batch was taken for the batch loop and the batch loop for one
over data sets (declined, T2L921, with a reason the script does not have). The batch loop is the loop around it now,
the micro-batch loop stays in training_step as written and the optimization is manual: a backward for each part."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

SLICED = named("micro_batches_sliced_from_each_batch")


def test_the_loop_around_the_micro_batches_is_the_batch_loop():
    output, report = convert_source(SLICED.input.read_text(), SLICED.input.name)
    assert "def training_step(self, batch, step):\n        input_ids, targets = batch\n" in output
    assert "        for start in range(0, input_ids.size(0), micro_batch_size):\n" in output
    assert "            self.manual_backward(loss)\n" in output and "self.automatic_optimization = False" in output
    assert any(f.code == "T2L119" and "micro-batches" in f.message for f in report.findings)
    assert not report.todos and "T2L921" not in {f.code for f in report.findings}


NANOGPT_MICRO_STEPS = """\
import torch
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters())
def get_batch():
    return torch.randn(8, 4), torch.randn(8, 1)
for iter_num in range(100):
    for micro_step in range(4):
        X, Y = get_batch()
        loss = torch.nn.functional.mse_loss(model(X), Y) / 4
        loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
"""


def test_micro_steps_that_fetch_batches_of_their_own_are_not_micro_batches():
    _, report = convert_source(NANOGPT_MICRO_STEPS)  # each micro-step is a batch: accumulate_grad_batches (T2L919)
    assert [f.code for f in report.findings if f.is_todo] == ["T2L919"]


@pytest.mark.slow  # a verify run
def test_negative_control_the_last_micro_batch_alone_back_propagated_trains_otherwise(tmp_path: Path):
    """What one backward on the last loss (Lightning's automatic optimization) would compute."""
    result = verify_control(SLICED, lambda out: out.replace("            self.manual_backward(loss)\n", "").replace(
        "        nn.utils.clip_grad_norm_", "        self.manual_backward(loss)\n        nn.utils.clip_grad_norm_"), tmp_path)
    assert result.failed is None and not result.bitwise_equal
