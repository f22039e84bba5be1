"""What a rewrite keeps of the call it replaces, found on scripts in public shapes:

- `.to(device, dtype=torch.float)` (the BERT engine scripts): the device move goes, and the cast went with it (only a
  positional dtype was kept), so integer labels reached BCEWithLogitsLoss. `.to(dtype=torch.float)` stays now.
- `clip_grad_norm_` -> `fabric.clip_gradients`: Fabric raises on a NaN or infinite norm by default, torch returns it;
  a script that skips the step on such a norm crashed. The Fabric route passes `error_if_nonfinite=False`.
- the lists an evaluation function returns (`return fin_outputs, fin_targets`) were logged as validation metrics
  (`self.log("val_outputs", outputs)`: Lightning raises on a list); a computed summary still is.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from tests.converter.fixtures import FIXTURES, named, verify_control

ENGINE = named("bert_engine_functions_cast_on_the_move")
NON_FINITE = named("step_skipped_on_a_non_finite_norm")
NON_FINITE_FABRIC = replace(NON_FINITE, expected=FIXTURES.parent / "fabric_fixtures" / NON_FINITE.expected.name)


def test_a_cast_riding_on_a_device_move_stays():
    output, _ = convert_source(ENGINE.input.read_text(), ENGINE.input.name)
    assert "targets = targets.to(dtype=torch.float)" in output and 'd["ids"].to(dtype=torch.long)' in output
    assert "to(device" not in output.split("class Lit", 1)[1].split("def run", 1)[0]


def test_the_lists_an_evaluation_returns_are_not_logged():
    output, _ = convert_source(ENGINE.input.read_text(), ENGINE.input.name)
    assert "outputs, targets = self.fin_outputs, self.fin_targets" in output
    assert 'self.log("val_outputs"' not in output and 'self.log("val_targets"' not in output


def test_fabric_clips_as_torch_does_on_a_non_finite_norm():
    output, _ = convert_to_fabric(NON_FINITE.input.read_text(), NON_FINITE.input.name)
    assert "fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)" in output
    explicit = NON_FINITE.input.read_text().replace("clip_grad_norm_(model.parameters(), 1.0)",
                                                    "clip_grad_norm_(model.parameters(), 1.0, error_if_nonfinite=True)")  # fmt: skip
    assert "max_norm=1.0, error_if_nonfinite=True)" in convert_to_fabric(explicit, "explicit.py")[0]


@pytest.mark.slow  # a verify run
def test_negative_control_the_cast_dropped_fails(tmp_path: Path):
    result = verify_control(ENGINE, lambda out: out.replace("targets = targets.to(dtype=torch.float)", "targets = targets"), tmp_path)
    assert result.failed is not None and "Long" in result.failed  # BCEWithLogits given integer targets


@pytest.mark.slow  # a verify run
def test_negative_control_fabric_s_default_raises_on_the_infinite_norm(tmp_path: Path):
    result = verify_control(NON_FINITE_FABRIC, lambda out: out.replace(", error_if_nonfinite=False", ""), tmp_path)
    assert result.failed is not None and "non-finite" in result.failed
