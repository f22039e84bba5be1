"""Lightning's max_steps and global_step count every optimizer's steps. A `while step < total_steps:` loop around
a GAN's batches (two optimizers each batch) gets max_steps=total_steps * 2; where the number of steps varies from
batch to batch no flag counts batches, and the loop keeps a TODO to set a limit. Nor does Lightning step schedulers
under manual optimization (the loop's per-batch scheduler steps stay in training_step), nor accumulate gradients
there (it refuses accumulate_grad_batches: the window stays as written)."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from converter.verify import verify
from tests.converter.fixtures import discover

FIXTURE = next(f for f in discover() if f.name == "gan_while_step_budget")


def test_a_budget_of_batches_counts_both_optimizers_steps():
    output, _ = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert "max_steps=(total_steps) * 2" in output
    assert "self.global_step" not in output  # the batch counter is the script's own state


def test_a_budget_with_a_step_under_a_condition_is_left_to_the_user():
    source = FIXTURE.input.read_text().replace("        opt_G.step()\n", "        if step % 2 == 0:\n            opt_G.step()\n")
    output, report = convert_source(source, FIXTURE.input.name)
    assert "max_steps" not in output
    assert any(f.code == "T2L911" and "set a limit" in f.message for f in report.findings)


@pytest.mark.slow  # a verify run
def test_negative_control_max_steps_as_the_batch_budget_trains_half_the_batches(tmp_path):
    output, _ = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    path = tmp_path / "control.py"
    path.write_text(output.replace("max_steps=(total_steps) * 2", "max_steps=total_steps"))
    result = verify(FIXTURE.input, path, [], steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_schedulers_left_to_lightning_under_manual_optimization_are_never_stepped(tmp_path):
    fixture = next(f for f in discover() if f.name == "gan_schedulers_stepped_each_batch")
    output, _ = convert_source(fixture.input.read_text(), fixture.input.name)
    steps = "        self.lr_schedulers()[1].step()\n        self.lr_schedulers()[0].step()\n"
    assert steps in output
    path = tmp_path / "control.py"
    path.write_text(output.replace(steps, ""))  # the conversion before: Lightning was left to step them
    result = verify(fixture.input, path, [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_accumulate_grad_batches_under_manual_optimization_fails(tmp_path):
    fixture = next(f for f in discover() if f.name == "gan_accumulated_over_two_batches")
    output, _ = convert_source(fixture.input.read_text(), fixture.input.name)
    assert "if (i + 1) % accumulate == 0:" in output and "accumulate_grad_batches" not in output
    path = tmp_path / "control.py"  # the conversion before: the Trainer flag, the window and the divisions gone
    control = output.replace("pl.Trainer(", "pl.Trainer(accumulate_grad_batches=accumulate, ")
    path.write_text(control.replace(" / accumulate\n", "\n"))
    result = verify(fixture.input, path, [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is not None and "accumulate_grad_batches" in result.failed
