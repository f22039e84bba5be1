"""An evaluation's own statements before its loop that no rule maps run in on_validation_epoch_start (T2L181).

`print("evaluating")`, a probe of the model on `torch.randn` inputs, samples decoded from random latents: the
evaluation ran them before its loop, and they were dropped. A print lost is a line the user misses; a draw lost
shifts every later draw from torch's RNG (the next epoch's shuffle, its dropout masks): a clean exit, the losses
different from the second epoch on. The control drops the moved statement again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import verify_beside_control

CASE = Path(__file__).parent / "rules/convert/validation_epoch/evaluation_prints_and_draws_before_its_loop.in.py"
SAMPLES = Path(__file__).parent / "fixtures/samples_decoded_before_a_shuffled_evaluation.in.py"


def _start_hook(output: str) -> list[str]:
    hook = output[output.index("def on_validation_epoch_start"):output.index("def validation_step")]
    return [line.strip() for line in hook.splitlines()[1:] if line.strip()]


def test_the_statements_run_where_the_evaluation_ran_them_in_order():
    output, report = convert_source(CASE.read_text(), CASE.name)
    assert _start_hook(output) == [
        'print("evaluating")', "probe = self.model(torch.randn(2, 4)).softmax(1)[:, 0].tolist()", "self.correct = 0"]
    assert [f.line for f in report.findings if f.code == "T2L181"] == [13, 14]
    assert '"""Accuracy' not in output  # the docstring is not a statement to run


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_draw_before_the_evaluation_loop_is_kept(tmp_path):
    output, _ = convert_source(SAMPLES.read_text(), SAMPLES.name)
    drawn = "        self.samples = self.decoder(torch.randn(4, 2))\n"
    assert drawn in output
    results = verify_beside_control(SAMPLES, output, output.replace(drawn, ""), 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 4  # the second epoch
