"""Lightning's max_steps and global_step count every optimizer's steps. A `while step < total_steps:` loop around
a GAN's batches (two optimizers each batch) gets max_steps=total_steps * 2; where the number of steps varies from
batch to batch no flag counts batches, and the loop keeps a TODO to set a limit. Nor does Lightning step schedulers
under manual optimization (the loop's per-batch scheduler steps stay in training_step), nor accumulate gradients
there (it refuses accumulate_grad_batches: the window stays as written). Each fix has its negative control: the
fixture's output as the conversion was before it trains otherwise, or fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.verify import verify
from tests.converter.fixtures import discover, verify_beside_control

FIXTURES = {f.name: f for f in discover()}
BUDGET = FIXTURES["gan_while_step_budget"]
SCHEDULER_STEPS = "        self.lr_schedulers()[1].step()\n        self.lr_schedulers()[0].step()\n"
BEFORE = {  # fixture -> its output as the conversion made it before the fix
    "gan_while_step_budget": lambda output: output.replace("max_steps=(total_steps) * 2", "max_steps=total_steps"),
    "gan_schedulers_stepped_each_batch": lambda output: output.replace(SCHEDULER_STEPS, ""),  # left to Lightning
    # one optimizer, manual because the step reads the clipped norm: the OneCycleLR left to Lightning, never stepped
    "grad_norm_printed_with_onecycle": lambda output: output.replace("        self.lr_schedulers().step()\n", ""),
    "gan_accumulated_over_two_batches": lambda output: output.replace(  # the Trainer flag, the divisions gone
        "pl.Trainer(", "pl.Trainer(accumulate_grad_batches=accumulate, ").replace(" / accumulate\n", "\n"),
}


def test_a_budget_of_batches_counts_both_optimizers_steps():
    output, _ = convert_source(BUDGET.input.read_text(), BUDGET.input.name)
    assert "max_steps=(total_steps) * 2" in output
    assert "self.global_step" not in output  # the batch counter is the script's own state


def test_a_budget_with_a_step_under_a_condition_is_left_to_the_user():
    source = BUDGET.input.read_text().replace("        opt_G.step()\n", "        if step % 2 == 0:\n            opt_G.step()\n")
    output, report = convert_source(source, BUDGET.input.name)
    assert "max_steps" not in output
    assert any(f.code == "T2L911" and "set a limit" in f.message for f in report.findings)


@pytest.mark.slow  # a verify run each
@pytest.mark.parametrize("name", sorted(BEFORE))
def test_negative_control_the_conversion_before_the_fix_trains_otherwise_or_fails(name, tmp_path):
    fixture = FIXTURES[name]
    output = fixture.expected.read_text()
    control = BEFORE[name](output)
    assert control != output
    path = tmp_path / "control.py"
    path.write_text(control)
    result = verify(fixture.input, path, [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is not None or not result.bitwise_equal


READ_AFTER_STEP = Path(__file__).parent / "rules" / "convert" / "manual_optimization" / "counter_read_after_the_step_stays_state"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_counter_read_after_the_manual_step_is_not_lightning_s_global_step(tmp_path):
    """Under manual optimization Lightning counts `optimizer.step()` in self.global_step inside training_step: a
    counter the loop reads after its step and before its `+= 1` (a lookahead's sync every 3 steps) is one behind it
    there. It stays state the hook counts (`self.global_step_`); the control reads self.global_step, as the output
    did, and syncs one step off: the losses differ from the batch after the first sync."""
    original = READ_AFTER_STEP.with_suffix(".in.py")
    converted = READ_AFTER_STEP.with_suffix(".out.py").read_text()
    read = "            if self.global_step_ % 3 == 0:"
    assert read in converted
    results = verify_beside_control(original, converted, converted.replace(read, "            if self.global_step % 3 == 0:"), 40, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 16
    assert results["control"].failed is None and results["control"].first_difference == 2  # the third batch: the loop synced after step 0
