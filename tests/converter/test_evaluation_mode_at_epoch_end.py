"""Epoch-end code after an evaluation function that left the model in eval mode runs in eval mode (T2L182).

`val_loss = evaluate(decoder)` switches to eval before its loop and not back; the script then decodes samples from
`torch.randn` latents in eval mode (dropout off). Lightning's validation puts train mode back when it ends, so in
on_train_epoch_end the decoder ran its dropout: other samples printed, and the dropout's draws shifted every later
draw from torch's RNG (a clean exit, the losses different from the second epoch). `self.decoder.eval()` now comes
before that code; the `.train()` kept at each epoch's start switches back. The control removes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import verify_beside_control

FIXTURE = Path(__file__).parent / "fixtures/sample_decoded_after_an_evaluation_in_eval_mode.in.py"
SWITCH = "        self.decoder.eval()\n"


def _epoch_end(source: str) -> str:
    output, _ = convert_source(source, "t.py")
    return output[output.index("def on_train_epoch_end"):]


def test_the_switch_comes_before_the_code_that_runs_the_model():
    end = _epoch_end(FIXTURE.read_text())
    assert end.index(SWITCH) < end.index("samples = self.decoder(") and end.index('self.log("val_loss"') < end.index(SWITCH)


@pytest.mark.parametrize(("change", "why"), [
    (("samples = decoder(torch.randn(4, 2))", "samples = decoder.state_dict()"), "state_dict does not run the model"),
    (("    return total / len(val_loader)", "    model.train()\n    return total / len(val_loader)"), "switched back"),
])  # fmt: skip
def test_no_switch_where_the_mode_changes_nothing(change, why):
    assert SWITCH not in _epoch_end(FIXTURE.read_text().replace(*change)), why


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_samples_and_the_later_losses_are_the_script_s(tmp_path):
    output, _ = convert_source(FIXTURE.read_text(), FIXTURE.name)
    results = verify_beside_control(FIXTURE, output, output.replace(SWITCH, ""), 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 4  # the second epoch
