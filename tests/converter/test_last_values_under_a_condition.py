"""A value the batch loop binds only on some batches, read at the epoch's end (WGAN-GP's `print(epoch, d_loss.item(),
g_loss.item())`, the generator stepped every n_critic batches): training_step keeps it on self where it is bound, so
on_train_epoch_end prints the last value bound, as the loop's name held it. The print was removed before, its
T2L113 line saying "the metric is logged", though nothing logged the generator's loss."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, printed_lines

FIXTURE = named("wgan_gp_critic_steps")
KEPT = "            self.g_loss = g_loss  # the last value bound, read after the batches\n"


def test_the_kept_value_is_the_last_one_bound():
    output, report = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert KEPT in output and "print(self.current_epoch, self.d_loss.item(), self.g_loss.item())" in output
    assert not any(f.code == "T2L113" for f in report.findings)  # nothing claims a metric is logged that is not


@pytest.mark.slow  # both scripts run their two epochs (about 10 s)
def test_the_epoch_lines_are_the_ones_the_script_printed(tmp_path):
    output = FIXTURE.expected.read_text()
    stale = output.replace(KEPT, "            if i == 0:\n    " + KEPT)
    printed = printed_lines({"original": FIXTURE.input.read_text(), "converted": output, "control": stale}, tmp_path,
                            prefix=("0 ", "1 "))  # fmt: skip
    assert len(printed["original"]) == 2 and printed["converted"] == printed["original"]
    # control: the generator's loss kept from the epoch's first batch only, not its last step: the lines differ
    assert printed["control"] != printed["original"]
