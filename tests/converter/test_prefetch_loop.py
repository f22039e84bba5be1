"""NVIDIA apex's ImageNet shape: batches handed out by a prefetcher (`input, target = prefetcher.next()` before a
`while input is not None:` loop and as its last statement). The LightningModule route declined it (T2L910); the
prefetch_loop normalizer (T2L164) makes it a `for` over a `PrefetchedBatches` class that builds the prefetcher each
time Lightning iterates it, and the conversion verifies bitwise (the fixture apex_prefetcher_while_loops)."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

APEX = named("apex_prefetcher_while_loops")
CASE = Path(__file__).parent / "rules" / "normalize" / "prefetch_loop" / "while_prefetcher_next.in.py"


def _codes(source: str) -> set[str]:
    return {f.code for f in convert_source(source)[1].findings}


def test_the_prefetcher_is_built_each_time_the_class_is_iterated():
    output, report = convert_source(APEX.input.read_text(), APEX.input.name)
    assert "T2L164" in {f.code for f in report.findings} and not report.todos
    helper = output[output.index("class PrefetchedBatches:") : output.index("class data_prefetcher")]
    assert "def __iter__(self):\n        prefetcher = data_prefetcher(self.train_loader)" in helper
    assert "train_dataloaders=PrefetchedBatches(loader)" in output
    assert "def validate(val_loader, model, criterion):" in output  # the evaluation's own prefetch loop stays as it is


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda s: s.replace("        optimizer.zero_grad()", "        if x.abs().max() > 9:\n            continue\n        optimizer.zero_grad()"),
         "a `continue` would skip the fetch at the loop's end"),
        (lambda s: s.replace("    while x is not None:", "    print(x.shape)\n    while x is not None:"),
         "the first batch read before the loop"),
        (lambda s: s.replace("        optimizer.step()\n", "        optimizer.step()\n        prefetcher.skip = True\n"),
         "the prefetcher used in the loop beside its fetch"),
        (lambda s: s.replace("        x, y = prefetcher.next()\n", "        x, y = prefetcher.next()\n    print(x)\n", 1),
         "the fetched name read after the loop, where the `while` left it None"),
    ],  # fmt: skip
)
def test_what_the_for_would_change_keeps_the_decline(change, why):
    source = CASE.read_text()
    changed = change(source)
    assert changed != source
    assert "T2L164" in _codes(source)
    codes = _codes(changed)
    assert "T2L164" not in codes and "T2L910" in codes, why


@pytest.mark.slow  # a whole --verify run
def test_a_prefetcher_that_skips_the_first_batch_fails_the_verification(tmp_path: Path):
    """Negative control: the class handing out one batch fewer (the first) is caught, loss by loss."""

    def skip_first(output: str) -> str:
        return output.replace("        while input is not None:\n            yield", "        input, target = prefetcher.next()\n        while input is not None:\n            yield")

    result = verify_control(APEX, skip_first, tmp_path)
    assert result.failed is None and not result.bitwise_equal
