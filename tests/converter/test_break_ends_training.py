"""A `break` that ends the training on what the batch computed becomes `self.trainer.should_stop = True` (T2L148).

That rests on when Lightning stops: after the optimizer step of the batch whose training_step set the flag (the
loop broke after its step), and, with an epoch loop that breaks on a flag set beside the batch loop's break, with
that epoch's end hooks run (the loop printed its summary before its own break). Both shapes are run as written and
converted and their printed lines compared; the control drops the flag, so the converted run trains on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import printed_lines

CASES = Path(__file__).parent / "rules" / "convert" / "breaks"
SHAPES = ("loss_threshold_ends_the_only_loop", "converged_flag_breaks_the_epoch_loop_too")
STOP = "self.trainer.should_stop = True\n"


@pytest.mark.slow  # six short scripts run (about 30 s): .ci/run's slow step runs it
def test_a_break_that_ends_the_training_stops_fit_after_the_same_step(tmp_path):
    scripts = {}
    for name in SHAPES:
        source = (CASES / f"{name}.in.py").read_text()
        converted, report = convert_source(source, f"{name}.py")
        assert converted is not None and not report.todos and any(f.code == "T2L148" for f in report.findings)
        first_stop = converted.index(STOP)  # training_step's; an epoch loop's own break comes after it
        control = converted[:first_stop] + "pass\n" + converted[first_stop + len(STOP):]
        scripts |= {f"{name}_in": source, f"{name}_out": converted, f"{name}_control": control}
    printed = printed_lines(scripts, tmp_path, prefix=("epoch", "converged", "final", "not converged"))
    for name in SHAPES:
        assert any(line.startswith("converged") for line in printed[f"{name}_in"])  # the break was taken
        assert printed[f"{name}_out"] == printed[f"{name}_in"]
        assert printed[f"{name}_control"] != printed[f"{name}_in"]
