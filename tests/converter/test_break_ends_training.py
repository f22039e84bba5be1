"""A `break` that ends the training on what the batch computed becomes `self.trainer.should_stop = True` (T2L148).

That rests on when Lightning stops: after the optimizer step of the batch whose training_step set the flag (the
loop broke after its step), and, with an epoch loop that breaks on a flag set beside the batch loop's break, with
that epoch's end hooks run (the loop printed its summary before its own break). A break before the backward and the
step (an LR range test's exploding loss) adds `return None`: Lightning takes no step for that batch. The shapes are
run as written and converted and their printed lines compared; the control drops the flag, so the converted run
trains on, and for the break before the step a second control keeps the flag but drops the `return None`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import printed_lines

HERE = Path(__file__).parent
SHAPES = {  # name -> the script, and the line only a run the break ended prints
    "loss_threshold_ends_the_only_loop": (HERE / "rules/convert/breaks/loss_threshold_ends_the_only_loop.in.py", "converged"),
    "converged_flag_breaks_the_epoch_loop_too": (HERE / "rules/convert/breaks/converged_flag_breaks_the_epoch_loop_too.in.py", "converged"),
    "polynomial_fit_stops_below_a_loss": (HERE / "fixtures/polynomial_fit_stops_below_a_loss.in.py", "Loss:"),  # its last batch too
    "exploding_loss_breaks_before_the_step": (HERE / "rules/convert/breaks/exploding_loss_breaks_before_the_step.in.py", "stopped at"),
}
STOP = "self.trainer.should_stop = True\n"
RETURN = "            return None\n"
BEFORE_THE_STEP = "exploding_loss_breaks_before_the_step"


@pytest.mark.slow  # thirteen short scripts run (about 40 s): .ci/run's slow step runs it
def test_a_break_that_ends_the_training_stops_fit_after_the_same_step(tmp_path):
    scripts = {}
    for name, (path, _) in SHAPES.items():
        source = path.read_text()
        converted, report = convert_source(source, f"{name}.py")
        assert converted is not None and not report.todos and any(f.code == "T2L148" for f in report.findings)
        first_stop = converted.index(STOP)  # training_step's; an epoch loop's own break comes after it
        control = converted[:first_stop] + "pass\n" + converted[first_stop + len(STOP):]
        scripts |= {f"{name}_in": source, f"{name}_out": converted, f"{name}_control": control}
        if name == BEFORE_THE_STEP:  # second control: stopped, but that batch's step taken
            assert RETURN in converted
            scripts[f"{name}_stepped"] = converted.replace(RETURN, "")
    printed = printed_lines(scripts, tmp_path, prefix=("epoch", "converged", "final", "not converged", "Loss:", "==>", "stopped"))
    for name, (_, stopped) in SHAPES.items():
        assert any(line.startswith(stopped) for line in printed[f"{name}_in"])
        assert printed[f"{name}_out"] == printed[f"{name}_in"]
        assert printed[f"{name}_control"] != printed[f"{name}_in"]
    assert printed[f"{BEFORE_THE_STEP}_stepped"] != printed[f"{BEFORE_THE_STEP}_in"]
