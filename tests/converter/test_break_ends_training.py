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
    "time_budget_ends_the_training": (HERE / "rules/convert/breaks/time_budget_ends_the_training.in.py", "stopped"),
}
RUN_WITH = {  # name -> (text, replacement) so that the run takes the break: a budget spent after the first step
    "time_budget_ends_the_training": ("budget_seconds = 10 * 60", "budget_seconds = 0"),
}
STOP = "self.trainer.should_stop = True\n"
RETURN = "            return None\n"
BEFORE_THE_STEP = "exploding_loss_breaks_before_the_step"


@pytest.mark.slow  # thirteen short scripts run (about 40 s): .ci/run's slow step runs it
def test_a_break_that_ends_the_training_stops_fit_after_the_same_step(tmp_path):
    scripts = {}
    for name, (path, _) in SHAPES.items():
        source = path.read_text().replace(*RUN_WITH.get(name, ("", "")))
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


def test_a_clock_read_after_each_batch_is_not_a_dry_run_flag():
    """`if time.time() - start > budget: break` reads nothing the loop writes, but its value changes from batch to
    batch: `limit_train_batches=1 if <it> else 1.0`, decided once before fit, would train whole epochs the loop cut
    short. Where the break only ends the epoch (no flag stops the epoch loop) Lightning has no equivalent: T2L911.
    The control is the dry-run flag, which does become a limit."""
    script = (HERE / "rules/convert/breaks/time_budget_ends_the_training.in.py").read_text()
    epoch_only = script[: script.index("    if out_of_time:")]
    converted, report = convert_source(epoch_only, "epoch_only.py")
    assert "limit_train_batches" not in converted
    assert [f.line for f in report.findings if f.code == "T2L911"] == [23]
    dry_run = epoch_only.replace("time.time() - start > budget_seconds", "budget_seconds == 0")
    converted, report = convert_source(dry_run, "dry_run.py")
    assert "limit_train_batches=1 if budget_seconds == 0 else 1.0" in converted



@pytest.mark.slow  # two verify runs (about 15 s)
def test_negative_control_the_other_break_taken_stops_both_sides_at_the_same_step(tmp_path):
    """With a threshold the third loss passes, the original stops after three steps and so does the converted
    script; the control without its `should_stop` trains all six and fails --verify."""
    from tests.converter.fixtures import verify_beside_control
    from tests.converter.test_rules import COUNTED, FETCH, HEAD, STEP

    step = STEP.replace("        ", "    ")
    source = HEAD + FETCH + COUNTED.format(step=step, extra="    if loss.item() < 0.3:\n        break\n", after="")
    original = tmp_path / "original.py"
    original.write_text(source)
    output, _ = convert_source(source, "case.py")
    stop = "            self.trainer.should_stop = True\n"
    assert output.count(stop) == 1
    results = verify_beside_control(original, output, output.replace(stop, "            pass\n"), 20, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 3
    assert results["control"].failed is None and not results["control"].bitwise_equal
