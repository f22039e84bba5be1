"""A mode set after the epoch's `model.train()` by other code (`model.apply(set_bn_eval)`, a loop calling `.eval()`
on each BatchNorm): every switch of the epoch's start stays in on_train_epoch_start, in the script's order. The
`model.train()` was kept last, after the batch norm was put back in eval mode, so the batch norm trained on each
batch's statistics: `t2l convert` exited 0 and every loss differed."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

FIXTURE = named("batch_norm_frozen_by_apply_after_train")
IN_ORDER = "        self.model.train()\n        self.model.apply(set_bn_eval)\n"


def test_the_switches_stay_in_the_script_s_order():
    output, _ = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert IN_ORDER in output


@pytest.mark.slow  # two --verify runs of the fixture (about 10 s)
def test_control_train_after_the_batch_norm_switch_fails_verify(tmp_path):
    swapped = "        self.model.apply(set_bn_eval)\n        self.model.train()\n"
    result = verify_control(FIXTURE, lambda output: output.replace(IN_ORDER, swapped), tmp_path)
    assert result.failed is None and not result.bitwise_equal and result.first_difference == 0
