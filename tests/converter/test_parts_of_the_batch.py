"""A loop over parts of each batch with backward in it, inside the batch loop: micro-batches (`for start in
range(0, len(x), k): loss.backward()`, one optimizer step after), truncated backpropagation through time (a window of
the sequences at a time, a step each) or an update per sample. The loop over parts was taken for the batch loop and the
batch loop for one over data sets (declined, T2L921, with a reason the script does not have). The batch loop is the
loop around it now, the parts stay in training_step as written and the optimization is manual."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

SLICED = named("micro_batches_sliced_from_each_batch")
TBPTT = named("truncated_bptt_over_each_batch")
PER_SAMPLE = Path(__file__).parent / "rules/convert/manual_optimization/step_per_sample_of_each_batch.in.py"


def test_the_loop_around_the_micro_batches_is_the_batch_loop():
    output, report = convert_source(SLICED.input.read_text(), SLICED.input.name)
    assert "def training_step(self, batch, step):\n        input_ids, targets = batch\n" in output
    assert "        for start in range(0, input_ids.size(0), micro_batch_size):\n" in output
    assert "            self.manual_backward(loss)\n" in output and "self.automatic_optimization = False" in output
    assert any(f.code == "T2L119" and "micro-batches" in f.message for f in report.findings)
    assert not report.todos and "T2L921" not in {f.code for f in report.findings}


@pytest.mark.parametrize("script, parts", [(TBPTT.input, "for start in range(0, inputs.size(1), bptt):"),
                                           (PER_SAMPLE, "for xi, yi in zip(xb, yb):")], ids=["tbptt", "per sample"])
def test_a_step_for_each_part_of_a_loaders_batch_stays_in_the_training_step(script: Path, parts: str):
    output, report = convert_source(script.read_text(), script.name)
    step = output[output.index("def training_step") : output.index("def configure_optimizers")]
    assert f"        {parts}\n" in step and "            optimizer.step()\n" in step
    assert any(f.code == "T2L119" and "parts of each batch" in f.message for f in report.findings)
    assert not report.todos


DATA_SETS = """\
import torch
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 2), torch.randn(8, 1)))
probe_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 2), torch.randn(8, 1)))
for loader in (train_loader, probe_loader):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
"""


def test_a_loop_over_data_sets_is_no_loop_over_parts():
    _, report = convert_source(DATA_SETS)
    assert [f.code for f in report.findings if f.is_todo] == ["T2L921"]


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
    """Each micro-step is a batch of its own: the loops merge into one over micro-batches (T2L174,
    test_micro_steps.py), not parts of a batch kept in one training_step."""
    output, report = convert_source(NANOGPT_MICRO_STEPS)
    assert [f.code for f in report.findings if f.is_todo] == [] and "T2L174" in {f.code for f in report.findings}
    assert "def training_step(self, micro_batch, batch_idx):" in output


@pytest.mark.slow  # a verify run
def test_negative_control_the_last_micro_batch_alone_back_propagated_trains_otherwise(tmp_path: Path):
    """What one backward on the last loss (Lightning's automatic optimization) would compute."""
    result = verify_control(SLICED, lambda out: out.replace("            self.manual_backward(loss)\n", "").replace(
        "        nn.utils.clip_grad_norm_", "        self.manual_backward(loss)\n        nn.utils.clip_grad_norm_"), tmp_path)
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_one_step_a_batch_trains_otherwise(tmp_path: Path):
    """Truncated BPTT with the step taken once per batch, after the windows (what one training_step under automatic
    optimization makes): the losses differ from the second window on."""
    step = "            optimizer.step()\n"
    result = verify_control(TBPTT, lambda out: out.replace(step, "").replace(
        "    def configure_optimizers", "        optimizer.step()\n\n    def configure_optimizers"), tmp_path)
    assert result.failed is None and not result.bitwise_equal
