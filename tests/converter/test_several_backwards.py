"""Several backward calls per step with one optimizer (a multi-task step: `loss_cls.backward(retain_graph=True)`,
then `(0.5 * loss_reg).backward()`), or one backward that keeps the graph: Lightning's own backward is one call on
the returned loss, so the loop was declined (T2L907). Manual optimization runs them as written, the keywords
passed on to self.manual_backward; with one optimizer nothing is toggled."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.verify import verify
from tests.converter.fixtures import discover

MULTI_TASK = next(f for f in discover() if f.name == "multi_task_losses_back_propagated_one_by_one")


def test_each_backward_stays_with_its_keywords_under_manual_optimization():
    output, report = convert_source(MULTI_TASK.input.read_text(), MULTI_TASK.input.name)
    assert "self.automatic_optimization = False" in output
    assert "self.manual_backward(loss_cls, retain_graph=True)\n" in output and "self.manual_backward(loss)\n" in output
    assert "toggle_optimizer" not in output  # one optimizer: nothing to freeze
    assert not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_without_the_kept_graph_the_second_backward_fails(tmp_path: Path):
    output = MULTI_TASK.expected.read_text()
    control = output.replace("self.manual_backward(loss_cls, retain_graph=True)", "self.manual_backward(loss_cls)")
    assert control != output
    path = tmp_path / "control.py"
    path.write_text(control)
    result = verify(MULTI_TASK.input, path, [], steps=MULTI_TASK.steps, cwd=tmp_path)
    assert result.failed is not None and "backward through the graph a second time" in result.failed
