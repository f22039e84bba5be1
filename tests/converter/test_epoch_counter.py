"""The epoch_counter normalizer moves a `while` epoch counter's increment after the statements that read it, and
only where that changes nothing the script computes."""

from __future__ import annotations

import pytest

from converter.convert.normalize import Text
from converter.convert.normalize.epoch_counter import normalize

EPOCHS = """\
epoch = 0
while epoch < 3:
    for x in loader:
        loss = model(x)
        loss.backward()
        optimizer.step()
    epoch += 1
{after}
"""


def test_an_epoch_counter_read_after_its_increment_is_incremented_last():
    normalized = normalize(Text(EPOCHS.format(after='    print(f"epoch {epoch}")\n    save(epoch)'), "train.py"))
    assert normalized is not None and normalized.code == "T2L158"
    assert normalized.source.endswith('    print(f"epoch {epoch + 1}")\n    save(epoch + 1)\n    epoch += 1\n')
    assert [normalized.original_line(n) for n in (7, 8, 9)] == [8, 9, 7]  # the reads' lines, then the increment's


@pytest.mark.parametrize("after", [
    "    if epoch > 1:\n        break",  # past a break the increment would not run: the counter after the loop differs
    "    continue",
    "    epoch = 0",  # bound again
    "",  # nothing reads it after the increment
], ids=["break", "continue", "rebound", "unread"])
def test_it_leaves_the_loop_alone_where_moving_the_increment_could_change_something(after):
    assert normalize(Text(EPOCHS.format(after=after + "\n    print(epoch)" if after else "\n"), "train.py")) is None


def test_a_step_loop_s_counter_is_not_an_epoch_counter():
    step_loop = "it = 0\nwhile it < 100:\n    loss = model(next(batches))\n    loss.backward()\n    it += 1\n    log(it)\n"
    assert normalize(Text(step_loop, "train.py")) is None
