"""The phase_function normalizer splits a function only when every call says which phase it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert.normalize import Text, phase_function

CASE = Path(__file__).parent / "rules" / "normalize" / "phase_function" / "flag_parameter_true_or_false.in.py"


def test_each_call_runs_the_copy_of_its_phase():
    normalized = phase_function.normalize(Text(CASE.read_text(), "case.py"))
    assert normalized is not None and normalized.code == "T2L155"
    assert "train_loss = run_epoch_train(train_loader)" in normalized.source
    assert "val_loss = run_epoch_eval(val_loader, train=False)" in normalized.source
    assert "def run_epoch(" not in normalized.source and "if train:" not in normalized.source


@pytest.mark.parametrize("change", [
    ("run_epoch(val_loader, train=False)", "run_epoch(val_loader, train=evaluating)"),  # a value not known here
    ("val_loss = run_epoch(val_loader, train=False)", "val_loss = 0.0"),  # only one phase runs
    ("for epoch in range(2):", "runner = run_epoch\nfor epoch in range(2):"),  # passed around: not every call seen
])  # fmt: skip
def test_control_left_alone_when_a_call_is_not_known(change):
    source = CASE.read_text().replace(*change)
    assert source != CASE.read_text()
    assert phase_function.normalize(Text(source, "case.py")) is None
