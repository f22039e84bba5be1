"""Every pair reads as a pair: the same sections, in the same order, on both sides."""

from __future__ import annotations

import pytest

from pairs.harness.registry import PAIRS, SIDES
from pairs.harness.show import PREAMBLE, sections

REQUIRED = ["Model", "Data", "Optimizer", "Training step", "Validation", "Fit loop"]


@pytest.mark.parametrize("name", list(PAIRS))
def test_sides_have_the_same_sections_in_the_same_order(name):
    pair = PAIRS[name]
    names = {side: [s.name for s in sections(pair.source(side))] for side in SIDES}
    assert names["plain"] == names["lightning"]
    assert names["plain"][0] == PREAMBLE
    found = [n for n in names["plain"] if n in REQUIRED]
    assert found == REQUIRED, f"{name}: sections {names['plain']}"


@pytest.mark.parametrize("name", list(PAIRS))
def test_plain_side_does_not_import_lightning(name):
    imports = [
        line for line in PAIRS[name].source("plain").read_text().splitlines() if line.startswith(("import", "from"))
    ]
    assert imports and not any("lightning" in line for line in imports)
