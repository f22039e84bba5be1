"""The image-captioning tutorial's optimizers: the encoder's exists only when fine-tuning (`Adam(...) if
fine_tune_encoder else None`), every use of it under `if encoder_optimizer is not None:`. The LightningModule route
returned None among configure_optimizers' optimizers (MisconfigurationException after a clean exit), or, at module
level, left `encoder_optimizer.step()` in training_step; it now declines (T2L934) and the Fabric route keeps the
loop. Fine-tuning on (both optimizers built), the fixture captioning_clip_gradient_helper_two_optimizers converts
and verifies; its `grad_clip=0.05` parameter, tested with `is not None`, is read from an attribute, not put in as
`0.05 is not None` (a SyntaxWarning on every run)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from tests.converter.fixtures import named, verify_control

CAPTIONING = named("captioning_clip_gradient_helper_two_optimizers")
OPTIONAL = "encoder_optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-4) if fine_tune_encoder else None"


def _optional() -> str:
    source = CAPTIONING.input.read_text()
    changed = source.replace("encoder_optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-4)", OPTIONAL)
    assert changed != source
    return changed


def test_an_optimizer_that_may_be_none_declines_and_fabric_keeps_the_loop():
    output, report = convert_source(_optional())
    assert report.status == "declined" and "T2L934" in {f.code for f in report.findings}
    assert "T2L126" not in {f.code for f in report.findings}  # not "the optimizer always exists"
    fabric_output, fabric_report = convert_to_fabric(_optional())
    assert fabric_output is not None and "fabric.backward(loss)" in fabric_output


def test_a_literal_tested_with_is_is_read_from_an_attribute():
    output, _ = convert_source(CAPTIONING.input.read_text(), CAPTIONING.input.name)
    assert "if self.grad_clip is not None:" in output and "0.05 is not None" not in output
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)
        compile(output, "converted.py", "exec")


@pytest.mark.slow  # a whole --verify run
def test_the_decoder_s_clipping_left_out_fails_the_verification(tmp_path: Path):
    """Negative control: without the clamp of the decoder's gradients the steps differ, loss by loss."""
    result = verify_control(CAPTIONING, lambda output: output.replace("            clip_gradient(decoder_optimizer, self.grad_clip)\n", ""), tmp_path)
    assert result.failed is None and not result.bitwise_equal
