"""A train function's own local named like one of main()'s objects: the TorchVision detection tutorial's
train_one_epoch builds a warmup `lr_scheduler = LinearLR(...)` in the first epoch (None after), while main() steps
its own StepLR, also named `lr_scheduler`, once an epoch. The two were one attribute: the module took main()'s
`lr_scheduler` as an __init__ argument after the conversion had moved it into configure_optimizers (NameError,
T2L925). The train function's local is the hooks' attribute, set at each epoch's start; configure_optimizers keeps
main()'s scheduler to itself (Lightning steps it)."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

FIXTURE = named("detection_tutorial_warmup_in_the_first_epoch")
STEPPED = "    def on_train_batch_end(self, outputs, batch, i):\n        if self.lr_scheduler is not None:\n            self.lr_scheduler.step()\n"


def test_the_warmup_is_the_hooks_and_the_step_lr_is_lightning_s():
    output, report = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert "def __init__(self, data_loader, model, params):" in output and not report.todos
    assert "        self.lr_scheduler = None\n" in output and STEPPED in output
    assert '        lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)\n' in output


@pytest.mark.slow  # a --verify run (about 10 s)
def test_control_the_warmup_stepped_before_lightning_s_step_fails_verify(tmp_path):
    def before_the_step(output: str) -> str:
        early = "        if self.lr_scheduler is not None:\n            self.lr_scheduler.step()\n        return losses\n"
        return output.replace(STEPPED, "").replace("        return losses\n", early)

    result = verify_control(FIXTURE, before_the_step, tmp_path)
    assert result.failed is None and not result.bitwise_equal and result.first_difference == 1
