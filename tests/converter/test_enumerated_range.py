"""`for idx, epoch in enumerate(range(a, b)):` becomes a loop over the range with `idx` computed at its start (T2L175).

Read as a pair, neither name was a count the rules knew: `max_epochs=-1` with a TODO, and `idx`, `epoch` undefined in
the hooks (the translation example's early stopping on `idx - best_epoch > patience`). The verify test's control
freezes the index the normalizer computes: the patience never runs out and training goes on past the epoch the
script stopped at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.convert.normalize import Text, enumerated_range
from converter.report import CONVERTED
from tests.converter.fixtures import verify_beside_control

PATIENCE = Path(__file__).parent / "rules/normalize/enumerated_range/epochs_enumerated_for_a_patience.in.py"


def _normalized(header: str, body: str = "    train(epoch)\n") -> str | None:
    found = enumerated_range.normalize(Text(header + body, "t.py"))
    return None if found is None else found.source


@pytest.mark.parametrize(("header", "first_lines"), [
    ("for idx, epoch in enumerate(range(1, n + 1)):\n", "for epoch in range(1, n + 1):\n    idx = epoch - 1\n"),
    ("for i, e in enumerate(range(n)):\n", "for e in range(n):\n    i = e\n"),
    ("for i, e in enumerate(range(n), start=1):  # counted from one\n", "for e in range(n):  # counted from one\n    i = e + 1\n"),
    ("for i, e in enumerate(range(2, n), 1):\n", "for e in range(2, n):\n    i = e - 1\n"),
    ("for i, e in enumerate(range(lo, hi)):\n", "for e in range(lo, hi):\n    i = e - lo\n"),
    ("for (i, e) in enumerate(range(args.start, n), k):\n", "for e in range(args.start, n):\n    i = e - (args.start) + k\n"),
])  # fmt: skip
def test_the_index_is_the_range_s_value_less_its_start(header, first_lines):
    assert _normalized(header) == first_lines + "    train(epoch)\n"


@pytest.mark.parametrize("header", [
    "for i, e in enumerate(range(0, n, 2)):\n",  # a step: the index is the difference divided by it
    "for i, e in enumerate(loader):\n",
    "for i, (x, y) in enumerate(range(n)):\n",
    "for e, e in enumerate(range(n)):\n",
    "for i, e in enumerate(range(\n        n)):\n",  # the header on two lines
])  # fmt: skip
def test_other_shapes_are_left_alone(header):
    assert _normalized(header) is None
    assert _normalized("for i, e in enumerate(range(n)): train(e)\n", "") is None  # the body on the header's line


def test_both_names_reach_the_hooks_and_the_epochs_are_counted():
    output, report = convert_source(PATIENCE.read_text(), PATIENCE.name)
    assert report.status == CONVERTED and "T2L175" in {f.code for f in report.findings}
    assert "max_epochs=21 - 1" in output and "self.idx = self.current_epoch" in output
    assert "if self.idx - self.best_epoch > patience:" in output


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_patience_stops_at_the_same_epoch(tmp_path):
    output, _ = convert_source(PATIENCE.read_text(), PATIENCE.name)
    index = next(line for line in output.splitlines() if line.strip().startswith("self.idx = "))
    results = verify_beside_control(PATIENCE, output, output.replace(index, index.split("=")[0] + "= 0"), 100, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 40  # 8 epochs of 5 batches
    assert results["control"].failed is None and not results["control"].bitwise_equal
