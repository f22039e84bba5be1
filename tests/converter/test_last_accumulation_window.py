"""The step a loop makes after its batch loop for an epoch's last, partial accumulation window is what Lightning
does on an epoch's last batch (T2L183): removed, not moved to on_train_epoch_end, where it stepped a second time.

    for i, (x, y) in enumerate(loader):                        (10 batches, accumulation_steps = 3)
        loss = criterion(model(x), y) / accumulation_steps
        loss.backward()
        if (i + 1) % accumulation_steps == 0: optimizer.step(); optimizer.zero_grad()
    if len(loader) % accumulation_steps != 0: optimizer.step(); optimizer.zero_grad()

Before, the `if` ran in on_train_epoch_end and the losses differed from the second epoch's first (loss #10), with a
T2L926 mark whose advice did not fit (the loop already steps the last window). And the last batch's loss, read after
the loop, is kept divided as the loop read it (`self.loss = loss / accumulation_steps`): training_step returns it
undivided, and the epoch's print said three times the loop's number. Controls: each of the two put back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import verify_beside_control

FIXTURE = Path(__file__).parent / "fixtures/accumulation_last_window_stepped_after_the_loop.in.py"
LEFTOVER = "    if len(loader) % accumulation_steps != 0:\n        optimizer.step()\n        optimizer.zero_grad()\n"


def test_the_step_after_the_loop_is_removed_and_no_mark_is_left():
    source = FIXTURE.read_text()
    assert LEFTOVER in source
    output, report = convert_source(source, FIXTURE.name)
    codes = {f.code for f in report.findings}
    assert "T2L183" in codes and "T2L926" not in codes and "TODO(t2l)" not in output
    assert "    if len(loader) % accumulation_steps != 0:" not in output and "self.optimizers().step()" not in output


@pytest.mark.parametrize(("after", "stays"), [
    ("    if len(loader) % 2 != 0:\n", "another K than the accumulation's"),
    ("    if epoch % accumulation_steps != 0:\n", "not the epoch's batch count"),
])  # fmt: skip
def test_other_steps_after_the_loop_stay(after, stays):
    source = FIXTURE.read_text().replace(LEFTOVER.splitlines(keepends=True)[0], after)
    output, report = convert_source(source, FIXTURE.name)
    assert "T2L183" not in {f.code for f in report.findings}, stays
    assert "T2L926" in {f.code for f in report.findings}


@pytest.mark.slow  # four verify runs (about 30 s)
def test_without_the_step_after_the_loop_and_with_the_divided_loss_the_runs_agree(tmp_path):
    output, _ = convert_source(FIXTURE.read_text(), FIXTURE.name)
    kept = "        self.loss = loss / accumulation_steps  # the last batch's, read after it\n"
    assert kept in output
    stepped_again = output.replace("    def on_train_epoch_end(self):\n", "    def on_train_epoch_end(self):\n"
                                   "        if len(self.loader) % accumulation_steps != 0:\n"
                                   "            self.optimizers().step()\n            self.optimizers().zero_grad()\n")  # fmt: skip
    stepped_again = stepped_again.replace("LitModel(model=model)", "LitModel(model=model, loader=loader)").replace(
        "    def __init__(self, model):\n        super().__init__()\n",
        "    def __init__(self, model, loader):\n        super().__init__()\n        self.loader = loader\n")  # fmt: skip
    results = verify_beside_control(FIXTURE, output, stepped_again, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 30
    assert not results["converted"].printed_different
    assert results["control"].failed is None and results["control"].first_difference == 10
    undivided = output.replace(kept, "        self.loss = loss  # the last batch's, read after it\n")
    results = verify_beside_control(FIXTURE, output, undivided, 30, tmp_path)
    assert results["control"].bitwise_equal and results["control"].printed_different


COUNTED = Path(__file__).parent / "rules/convert/leftover_window/last_partial_window_of_a_batch_count.in.py"


@pytest.mark.parametrize(("change", "removed"), [
    (lambda s: s, True),  # `n += 1` each batch, `total, n = 0.0, 0` before the loop: the epoch's batch count
    (lambda s: s.replace("        n += 1\n", "        if loss.item() > 0:\n            n += 1\n"), False),
    (lambda s: s.replace("total, n = 0.0, 0", "total, n = 0.0, 1"), False),
])  # fmt: skip
def test_a_count_of_the_epoch_s_batches_tells_the_last_window(change, removed):
    source = change(COUNTED.read_text())
    output, report = convert_source(source, COUNTED.name)
    assert ("T2L183" in {f.code for f in report.findings}) is removed
    assert ("n % accum" in output) is not removed
