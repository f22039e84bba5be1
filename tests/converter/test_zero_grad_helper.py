"""A helper that only zeroes the optimizers (yunjey's pytorch-tutorial GAN: `reset_grad()` zeroes the discriminator's
and the generator's) is written out at each call (T2L167): left as a call, its zero_grad calls read the optimizers
as globals, which configure_optimizers now builds (NameError after the conversion, T2L925). A helper that does
anything else, takes parameters or is used otherwise than called alone on its line is left as it is."""

from __future__ import annotations

import pytest

from converter.convert.normalize import Text, zero_grad_helper
from tests.converter.fixtures import named, verify_control

FIXTURE = named("gan_reset_grad_helper_zeroes_both")
HEAD = "import torch\n\nopt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)\n\n\n"


def test_the_fixture_s_helper_is_written_out_at_both_calls():
    output = FIXTURE.expected.read_text()
    assert "def reset_grad" not in output and "        reset_grad()\n" not in output
    assert output.count("        d_optimizer.zero_grad()\n        g_optimizer.zero_grad()\n") == 2


@pytest.mark.parametrize("helper, use", [
    ("def reset_grad():\n    opt.zero_grad()\n    print('zeroed')\n", "reset_grad()"),  # does something else too
    ("def reset_grad(o):\n    o.zero_grad()\n", "reset_grad(opt)"),  # takes the optimizer
    ("def reset_grad():\n    opt.zero_grad()\n", "hooks = [reset_grad]\nreset_grad()"),  # used as a value too
])
def test_other_helpers_stay(helper, use):
    source = HEAD + helper + "\n\nfor step in range(2):\n    " + use.replace("\n", "\n    ") + "\n"
    assert zero_grad_helper.normalize(Text(source, "x.py")) is None


@pytest.mark.slow  # a --verify run (about 10 s)
def test_control_without_the_generator_s_zeroing_before_its_backward_fails_verify(tmp_path):
    """The discriminator's backward also reaches the generator (its fake images are not detached): the second
    written-out `g_optimizer.zero_grad()` is what keeps that out of the generator's step."""
    pair = "        d_optimizer.zero_grad()\n        g_optimizer.zero_grad()\n        self.manual_backward(g_loss)\n"

    def kept_d_grads(output: str) -> str:
        return output.replace(pair, "        d_optimizer.zero_grad()\n        self.manual_backward(g_loss)\n")

    result = verify_control(FIXTURE, kept_d_grads, tmp_path)
    assert result.failed is None and not result.bitwise_equal and result.first_difference is not None
