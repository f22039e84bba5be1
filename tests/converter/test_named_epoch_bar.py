"""An epoch loop over a tqdm bar held in a name (`pbar = tqdm(range(epochs)); for epoch in pbar:`, then
`pbar.set_postfix(...)` each epoch) was read as a loop without a range: `Trainer(max_epochs=-1)` and a T2L911 TODO,
training until stopped by hand. The bar's call is read as the range it wraps, as `for epoch in tqdm(range(n))` is."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

FIT = named("fit_history_epochs_under_a_named_bar")


def test_the_named_bar_gives_max_epochs():
    output, report = convert_source(FIT.input.read_text(), FIT.input.name)
    assert "pl.Trainer(max_epochs=epochs" in output
    assert "T2L911" not in {f.code for f in report.findings} and not report.todos


def test_a_name_bound_to_something_else_is_still_no_range():
    source = FIT.input.read_text().replace('pbar = tqdm(range(epochs), desc="epochs")', "pbar = iter(range(epochs))")
    assert "T2L911" in {f.code for f in convert_source(source)[1].findings}


@pytest.mark.slow  # a whole --verify run
def test_training_without_the_limit_fails_the_verification(tmp_path: Path):
    """Negative control: the output as it was (max_epochs=-1, stopped by --verify's step limit) trains past the
    script's last epoch."""
    result = verify_control(FIT, lambda output: output.replace("max_epochs=epochs", "max_epochs=-1"), tmp_path)
    assert result.failed is None and not result.bitwise_equal
