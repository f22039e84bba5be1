"""A train function that returns its means divided by `batch_idx + 1` (mixup's reference script): the index its
loop left is the last batch's, which training_step keeps on self. It was marked T2L909 (NameError) because an
evaluation function, whose names are its own, also binds `batch_idx`; where that evaluation reads its own index
after its loop, both stay marked (one attribute cannot be both loops' index)."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

MIXUP = named("mixup_train_returns_means_by_batch_idx")
EVALUATION_MEAN = "return test_loss / len(testloader), 100.0 * correct / total"


def test_the_training_s_last_index_is_kept_by_training_step():
    output, report = convert_source(MIXUP.input.read_text(), MIXUP.input.name)
    assert "self.batch_idx = batch_idx  # the last batch's, read after it" in output
    assert "self.train_loss / (self.batch_idx + 1)" in output
    assert not [f for f in report.findings if f.is_todo]


def test_an_evaluation_reading_its_own_index_after_its_loop_leaves_both_marked():
    source = MIXUP.input.read_text().replace(EVALUATION_MEAN, EVALUATION_MEAN.replace("len(testloader)", "(batch_idx + 1)"))
    output, report = convert_source(source, MIXUP.input.name)
    assert "self.batch_idx" not in output
    assert sum(f.code == "T2L909" and "`batch_idx`" in f.message for f in report.findings) == 2


@pytest.mark.slow  # a verify run
def test_negative_control_another_loop_s_count_prints_other_numbers(tmp_path: Path):
    """The evaluation's count of batches in place of the training's last index: the same losses, other means."""
    result = verify_control(MIXUP, lambda out: out.replace("(self.batch_idx + 1)", "len(testloader)"), tmp_path)
    assert result.failed is None and result.bitwise_equal
    assert result.printed_different and not result.agrees
