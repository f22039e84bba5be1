"""A clip over parameters the optimizer does not hold (the whole model clipped, the head alone optimized) takes
manual optimization: Trainer(gradient_clip_val=...) clips the optimizer's parameters, and Lightning's zero_grad
zeroes only those where the loop's model.zero_grad() zeroed the whole model, so the norm differs. The control is
the conversion as it was before (the rule off): the same script, losses apart from the second step."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from converter.convert.rules import clipping
from converter.verify import verify
from tests.converter.fixtures import discover, verify_control

FIXTURE = next(f for f in discover() if f.name == "head_only_optimizer_whole_model_clipped")


def test_the_clip_is_kept_as_written_under_manual_optimization():
    output, report = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert "self.automatic_optimization = False" in output and "gradient_clip_val" not in output
    assert "self.model.zero_grad()" in output and "clip_grad_norm_(self.model.parameters(), 0.5)" in output


@pytest.mark.slow  # a verify run
def test_negative_control_the_optimizer_s_own_clip_computes_other_losses(tmp_path, monkeypatch):
    monkeypatch.setattr(clipping, "clips_other_parameters", lambda plan, stepped: False)
    monkeypatch.setattr(clipping, "_clipped_part", lambda plan, stepped, clip: "same")  # the flag, as it was
    control, _ = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert "gradient_clip_val=0.5" in control
    path = tmp_path / "control.py"
    path.write_text(control)
    result = verify(FIXTURE.input, path, [], steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal


GROUPS = next(f for f in discover() if f.name == "bert_no_decay_groups_clipped")


def test_a_clip_over_parameters_the_names_do_not_tie_to_the_optimizer_keeps_the_script_s_call():
    """BERT's no_decay groups: the optimizer's parameters in its groups' order, not the model's."""
    output, report = convert_source(GROUPS.input.read_text(), GROUPS.input.name)
    assert "trainer = pl.Trainer(max_epochs=epochs, accelerator=\"cpu\")\n" in output and "self.automatic_optimization" not in output
    hook = output.split("def configure_gradient_clipping(self, optimizer, gradient_clip_val=None, gradient_clip_algorithm=None):")[1]
    assert hook.lstrip().startswith("torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)")
    assert not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_the_flag_clipping_in_the_groups_order_computes_other_losses(tmp_path):
    """The conversion as it was: Trainer(gradient_clip_val=1.0), the norm summed in the groups' order."""
    def flag(output: str) -> str:
        hook = output.index("    def configure_gradient_clipping(")
        end = output.index("\n\n", output.index("clip_grad_norm_(self.model.parameters(), 1.0)", hook))
        return (output[:hook].rstrip() + "\n" + output[end:]).replace("pl.Trainer(max_epochs=epochs, ", "pl.Trainer(max_epochs=epochs, gradient_clip_val=1.0, ")

    result = verify_control(GROUPS, flag, tmp_path)
    assert result.failed is None and not result.bitwise_equal
