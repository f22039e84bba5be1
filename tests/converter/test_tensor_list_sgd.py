"""Zero to Hero's makemore MLP: the parameters are plain tensors in a list (`parameters = [C, W1, b1, W2, b2]`),
their gradients dropped by hand (`for p in parameters: p.grad = None`), the rate set each step (`lr = 0.1 if i <
100000 else 0.01`) and the update written out (`p.data += -lr * p.grad`). The LightningModule route declined it
(T2L903, no optimizer step); the manual-SGD normalizer (T2L131) now makes the list an `SGDAsWritten` over the same
tensors, the dropping loop its `zero_grad()`, and the rate its param group's, set where the script sets it. The
fixture zero_to_hero_tensor_list_manual_sgd verifies bitwise for 300 steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.convert.normalize.sgd_optimizer import rewrite
from tests.converter.fixtures import named, verify_control

Z2H = named("zero_to_hero_tensor_list_manual_sgd")
CASE = Path(__file__).parent / "rules" / "normalize" / "sgd_optimizer" / "tensor_list_rate_set_each_step.in.py"


def test_the_list_gets_an_optimizer_its_zero_grad_and_its_rate_each_step():
    normalized = rewrite(CASE.read_text())
    assert normalized is not None
    source = normalized.source
    assert "optimizer = SGDAsWritten(parameters, lr=0.0)" in source
    assert "    optimizer.zero_grad()\n    loss.backward()\n" in source and "p.grad = None" not in source
    assert 'lr = 0.1 if i < 10 else 0.01; optimizer.param_groups[0]["lr"] = lr\n    optimizer.step()\n' in source
    output, report = convert_source(Z2H.input.read_text(), Z2H.input.name)
    assert "T2L131" in {f.code for f in report.findings} and not report.todos and "class LitModel" in output


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda s: s.replace("parameters = [W, b]", "parameters = [W] + [b]"), "not a list of names"),
        (lambda s: s.replace("for p in parameters:\n    p.requires_grad = True\n",
                             "for p in parameters:\n    p.requires_grad = True\nparameters = parameters[:1]\n"),
         "the list bound twice"),
        (lambda s: s.replace("    lr = 0.1 if i < 10 else 0.01\n", "").replace("for i in range(20):", "for i in range(20):\n    lr = 0.1")
         .replace("        p.data += -lr * p.grad\n", "        p.data += -lr * p.grad\n    lr = 0.01\n"),
         "the rate set again after the update"),
    ],  # fmt: skip
)
def test_what_the_rewrite_cannot_follow_keeps_the_decline(change, why):
    source = CASE.read_text()
    changed = change(source)
    assert changed != source
    assert rewrite(source) is not None
    assert rewrite(changed) is None, why
    assert "T2L903" in {f.code for f in convert_source(changed)[1].findings}, why


@pytest.mark.slow  # a whole --verify run
def test_sgd_s_own_step_fails_the_verification(tmp_path: Path):
    """Negative control: torch.optim.SGD's fused step (one rounding) instead of the script's `p += -lr * g` (two)."""
    result = verify_control(Z2H, lambda output: output.replace("SGDAsWritten(parameters", "torch.optim.SGD(parameters"), tmp_path)
    assert result.failed is None and not result.bitwise_equal
