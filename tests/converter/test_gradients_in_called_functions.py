"""A function of the script called between backward and the step that uses the gradients (Dive into Deep
Learning's `grad_clipping(net, 1)`, which scales `param.grad[:]` in place). In training_step it ran before
Lightning's backward: on no gradients (`p.grad ** 2` of None, a TypeError after a clean exit) or, had they been
left from the step before, on the wrong ones. Such a call now means manual optimization, in the script's order
(T2L119), like a `.grad` read written in the loop itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

D2L = named("d2l_rnn_grad_clipping_function")
CASE = Path(__file__).parent / "rules" / "convert" / "manual_optimization" / "gradients_clipped_by_a_function_of_the_script.in.py"


def test_the_call_runs_between_lightning_s_backward_and_the_step():
    output, report = convert_source(D2L.input.read_text(), D2L.input.name)
    body = output[output.index("def training_step") : output.index("def configure_optimizers")]
    assert body.index("self.manual_backward(l)") < body.index("grad_clipping(self.net, 0.1)") < body.index("updater.step()")
    assert any(f.code == "T2L119" and "reads the gradients" in f.message for f in report.findings)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.replace("        for param in params:\n            param.grad[:] *= theta / norm\n", "        print(norm)\n")
        .replace("norm = torch.sqrt(sum(torch.sum(p.grad**2) for p in params))", "norm = sum(p.numel() for p in params)"),
        lambda s: s.replace("clip_gradients(model, 1.0)", "print(len(x))"),
    ],
)
def test_a_call_that_leaves_the_gradients_alone_keeps_automatic_optimization(change):
    source = CASE.read_text()
    changed = change(source)
    assert changed != source
    assert "manual_backward" in convert_source(source)[0]
    assert "manual_backward" not in convert_source(changed)[0]


@pytest.mark.slow  # a whole --verify run
def test_the_clipping_left_out_fails_the_verification(tmp_path: Path):
    """Negative control: the same output without the call: the clipping changes the steps, loss by loss."""
    result = verify_control(D2L, lambda output: output.replace("        grad_clipping(self.net, 0.1)\n", ""), tmp_path)
    assert result.failed is None and not result.bitwise_equal
