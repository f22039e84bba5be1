"""Several backward calls per step with one optimizer (a multi-task step: `loss_cls.backward(retain_graph=True)`,
then `(0.5 * loss_reg).backward()`), or one backward that keeps the graph: Lightning's own backward is one call on
the returned loss, so the loop was declined (T2L907). Manual optimization runs them as written, the keywords
passed on to self.manual_backward; with one optimizer nothing is toggled."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

MULTI_TASK = named("multi_task_losses_back_propagated_one_by_one")


def test_each_backward_stays_with_its_keywords_under_manual_optimization():
    output, report = convert_source(MULTI_TASK.input.read_text(), MULTI_TASK.input.name)
    assert "self.automatic_optimization = False" in output
    assert "self.manual_backward(loss_cls, retain_graph=True)\n" in output and "self.manual_backward(loss)\n" in output
    assert "toggle_optimizer" not in output  # one optimizer: nothing to freeze
    assert not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_without_the_kept_graph_the_second_backward_fails(tmp_path: Path):
    result = verify_control(MULTI_TASK, lambda out: out.replace("manual_backward(loss_cls, retain_graph=True)",
                                                               "manual_backward(loss_cls)"), tmp_path)
    assert result.failed is not None and "backward through the graph a second time" in result.failed
