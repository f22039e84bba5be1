"""When the schedulers step. One stepped every batch before the optimizer (the order torch warns about) trains each
step at the rate after its step: Lightning steps a configured scheduler after the optimizer, so the conversion keeps
the step in training_step (which runs before Lightning's optimizer step) and makes lr_scheduler_step a no-op; the
control, Lightning left to step it, is one rate late at every step. A warm-up stepped every batch beside a decay
stepped every epoch: configure_optimizers returns both; the control returns the warm-up alone, as the conversion
did, and the decay never steps."""

from __future__ import annotations

import pytest

from converter.verify import verify
from tests.converter.fixtures import discover

FIXTURE = next(f for f in discover() if f.name == "scheduler_stepped_before_the_optimizer")
OWN_STEP = "        self.lr_schedulers().step()\n"
NO_OP = ("    def lr_scheduler_step(self, scheduler, metric):\n"
         "        pass  # training_step steps it, before the optimizer's step, as the loop did\n\n")  # fmt: skip


def test_the_step_stays_in_training_step_and_lightning_does_not_step_it_again():
    output = FIXTURE.expected.read_text()
    assert OWN_STEP in output and NO_OP in output


@pytest.mark.slow  # a verify run
def test_negative_control_the_scheduler_left_to_lightning_is_one_rate_late(tmp_path):
    path = tmp_path / "control.py"
    path.write_text(FIXTURE.expected.read_text().replace(OWN_STEP, "").replace(NO_OP, ""))
    result = verify(FIXTURE.input, path, [], steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_a_decay_left_out_of_configure_optimizers_never_steps(tmp_path):
    fixture = next(f for f in discover() if f.name == "warmup_each_batch_then_decay_each_epoch")
    both = 'return [optimizer], [{"scheduler": warmup, "interval": "step"}, {"scheduler": decay}]'
    output = fixture.expected.read_text()
    assert both in output
    path = tmp_path / "control.py"
    path.write_text(output.replace(both, 'return {"optimizer": optimizer, "lr_scheduler": {"scheduler": warmup, "interval": "step"}}'))
    result = verify(fixture.input, path, [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal
