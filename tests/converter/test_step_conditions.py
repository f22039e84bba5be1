"""Probes in public shapes that converted wrongly or declined for want of a flag, and their negative controls.

- An optimizer step under a condition no Trainer flag expresses (the Hugging Face no_trainer scripts' `if step % K == 0
  or step == len(loader) - 1:`, which steps on the first batch of each window) declined (T2L915); a window whose loss
  is not divided declined too (T2L901). Manual optimization keeps the condition as written now.
- A break on a step counter (`if completed_steps >= max_train_steps: break`) was read as a first-batch dry run:
  `limit_train_batches=1 if completed_steps >= max_train_steps else 1.0`, evaluated once at the site, where the
  counter is 0; and the counter, printed after each epoch, became an attribute that kept its first value. Now
  max_steps, and self.global_step where the epoch's end reads it.
- An evaluation function called twice an epoch (`test(train_loader)`, `test(test_loader)`): the first call became the
  validation, the function's def was removed, and the second call raised NameError (marked T2L925). It stays now.
- Pre-made batches in a list a function builds went to the Trainer as they were, which Lightning read as a list of
  loaders; wrapped in a DataLoader, they trained on other dropout masks (a DataLoader draws a seed from torch's global
  RNG each epoch): the wrapper has a generator of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

HF = named("hf_no_trainer_step_on_the_window_s_first_batch")
GRAPHS = named("graph_batches_evaluated_on_two_loaders")

COUNTER_BREAK = """\
import torch
from torch.utils.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(torch.randn(40, 3), torch.randn(40, 1)), batch_size=8, shuffle=True)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
completed_steps = 0
for epoch in range(3):
    for step, (x, y) in enumerate(loader):
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        completed_steps += 1
        if completed_steps >= 7:
            break
    print(f"epoch {epoch} steps {completed_steps}")
"""


def _hook(output: str, name: str) -> str:
    start = output.index(f"def {name}(")
    return output[start : output.find("\n    def ", start + 1)]


def test_a_step_on_the_window_s_first_batch_keeps_its_condition_under_manual_optimization():
    output, report = convert_source(HF.input.read_text(), HF.input.name)
    step = _hook(output, "training_step")
    assert "self.automatic_optimization = False" in output and "accumulate_grad_batches" not in output
    assert "if step % self.gradient_accumulation_steps == 0 or step == len(self.train_dataloader_) - 1:" in step
    assert "self.manual_backward(loss)" in step and "self.lr_schedulers().step()" in step
    assert any(f.code == "T2L119" and "no Trainer flag" in f.message for f in report.findings)
    assert not report.todos


def test_a_break_on_a_step_counter_is_max_steps_and_the_counter_read_after_is_the_global_step():
    output, report = convert_source(COUNTER_BREAK, "train.py")
    assert "max_steps=7" in output and "limit_train_batches" not in output
    assert 'print(f"epoch {self.current_epoch} steps {self.global_step}")' in output
    assert "self.completed_steps" not in output and not report.todos


def test_an_evaluation_run_again_on_other_data_stays_with_its_function():
    output, report = convert_source(GRAPHS.input.read_text(), GRAPHS.input.name)
    assert "test_acc = test(self.test_loader)" in _hook(output, "on_train_epoch_end")
    assert output.index("def test(loader):") < output.index("trainer.fit(")  # defined where the hook runs
    assert "val_dataloaders=torch.utils.data.DataLoader(train_loader, batch_size=None, generator=torch.Generator())" in output
    assert not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_lightning_s_window_steps_on_other_batches(tmp_path: Path):
    """`(step + 1) % K`, the window Trainer(accumulate_grad_batches=K) makes: the script stepped on `step % K == 0`."""
    result = verify_control(HF, lambda out: out.replace("if step % self.gradient_accumulation_steps == 0",
                                                        "if (step + 1) % self.gradient_accumulation_steps == 0"), tmp_path)  # fmt: skip
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_the_counter_kept_as_an_attribute_prints_otherwise(tmp_path: Path):
    """What the conversion made before: the completed steps an attribute set once, printed at each epoch's end."""
    result = verify_control(HF, lambda out: out.replace("steps {self.global_step}", "steps {0}"), tmp_path)
    assert result.failed is None and result.bitwise_equal and result.printed_different


@pytest.mark.slow  # a verify run
def test_negative_control_the_wrapper_drawing_from_the_global_rng_trains_on_other_masks(tmp_path: Path):
    result = verify_control(GRAPHS, lambda out: out.replace(", generator=torch.Generator()", ""), tmp_path)
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_the_second_evaluation_on_the_first_loader_prints_otherwise(tmp_path: Path):
    result = verify_control(GRAPHS, lambda out: out.replace("test(self.test_loader)", "test(self.train_loader)"), tmp_path)
    assert result.failed is None and result.bitwise_equal and result.printed_different
