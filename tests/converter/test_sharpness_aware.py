"""SAM (sharpness-aware minimization) as its reference implementation is used: `optimizer.first_step()` after the
first backward, a second forward and backward at the perturbed weights, `optimizer.second_step()`. The LightningModule
route declined it (T2L908, "an optimizer this route cannot follow"); the two methods are the optimizer's steps, kept
as written under manual optimization (Lightning's own recipe for SAM; its LightningOptimizer has the class's methods)."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.report import CONVERTED
from tests.converter.fixtures import verify_beside_control

CASE = Path(__file__).parent / "rules" / "convert" / "manual_optimization" / "sharpness_aware_first_and_second_step"


def test_sam_converts_under_manual_optimization():
    output, report = convert_source(CASE.with_suffix(".in.py").read_text(), "sam.py")
    assert report.status == CONVERTED and not [f for f in report.findings if f.is_todo]
    assert "self.automatic_optimization = False" in output
    step = output[output.index("    def training_step"):output.index("    def configure_optimizers")]
    assert step.index("optimizer.first_step(zero_grad=True)") < step.index("optimizer.second_step(zero_grad=True)")


@pytest.mark.slow  # two verify runs (about 15 s)
def test_sam_verifies_and_its_second_backward_matters(tmp_path):
    """The control drops the second backward: second_step then finds no gradients (first_step zeroed them), leaves
    the weights perturbed and steps nothing; the losses differ from the second batch."""
    converted = CASE.with_suffix(".out.py").read_text()
    second = "        self.manual_backward(loss_1)\n"
    assert converted.count(second) == 1
    results = verify_beside_control(CASE.with_suffix(".in.py"), converted, converted.replace(second, ""), 4, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 8  # two backward calls a step
    assert results["control"].failed is None and results["control"].first_difference == 1  # the second recorded loss
