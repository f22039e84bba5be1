"""A DataLoader the epoch loop builds from the epoch (a curriculum) goes to fit as an EveryEpoch reading
`lit_model.current_epoch` (T2L149).

That rests on when Lightning asks for the first batch: after the epoch's count is the epoch's and after
on_train_epoch_start, as the loop built its loader after its epoch-start statements. The fixture is run as written
and converted and the printed epoch lines (the share of data each epoch saw, the losses, the validation accuracy)
compared; the control builds the loader from epoch 0 every time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import printed_lines

FIXTURE = Path(__file__).parent / "fixtures" / "curriculum_loader_built_each_epoch.in.py"
EPOCH = "lit_model.current_epoch"


@pytest.mark.slow  # three short scripts run (about 15 s): .ci/run's slow step runs it
def test_a_loader_built_from_the_epoch_is_built_from_current_epoch(tmp_path):
    source = FIXTURE.read_text()
    converted, report = convert_source(source, FIXTURE.name)
    assert converted is not None and not report.todos and "EveryEpoch(lambda: DataLoader(" in converted
    assert converted.count(EPOCH) == 1  # inside the lambda: the loop's `epoch` at the site
    scripts = {"in": source, "out": converted, "control": converted.replace(EPOCH, "0")}
    printed = printed_lines(scripts, tmp_path, prefix="epoch")
    assert len(printed["in"]) == 5 and len({line.split(":")[1] for line in printed["in"]}) > 1  # the share grows
    assert printed["out"] == printed["in"]
    assert printed["control"] != printed["in"]
