"""A clip over parameters the optimizer does not hold (the whole model clipped, the head alone optimized) takes
manual optimization: Trainer(gradient_clip_val=...) clips the optimizer's parameters, and Lightning's zero_grad
zeroes only those where the loop's model.zero_grad() zeroed the whole model, so the norm differs. The control is
the conversion as it was before (the rule off): the same script, losses apart from the second step."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from converter.convert.rules import clipping
from converter.verify import verify
from tests.converter.fixtures import discover

FIXTURE = next(f for f in discover() if f.name == "head_only_optimizer_whole_model_clipped")


def test_the_clip_is_kept_as_written_under_manual_optimization():
    output, report = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert "self.automatic_optimization = False" in output and "gradient_clip_val" not in output
    assert "self.model.zero_grad()" in output and "clip_grad_norm_(self.model.parameters(), 0.5)" in output


@pytest.mark.slow  # a verify run
def test_negative_control_the_optimizer_s_own_clip_computes_other_losses(tmp_path, monkeypatch):
    monkeypatch.setattr(clipping, "clips_other_parameters", lambda plan, stepped: False)
    control, _ = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert "gradient_clip_val=0.5" in control
    path = tmp_path / "control.py"
    path.write_text(control)
    result = verify(FIXTURE.input, path, [], steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal
