"""A `for` epoch loop's variable read after the loop is `lit_model.current_epoch - 1`: the last epoch the loop ran.

That rests on how Lightning counts: the epoch a run stops in (by a break at the epoch's end, by max_steps in the
middle of it) is counted done, as a completed one is. Each shape is run as written and converted, and the printed
epoch compared; the control reads `current_epoch` without the `- 1`, one further than the loop got.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, printed_lines, verify_control

CASE = Path(__file__).parent / "rules" / "convert" / "epoch_body" / "epoch_variable_read_after_an_early_stop.in.py"
MAX_STEPS = Path(__file__).parent / "rules" / "convert" / "batch_state" / "flag_set_beside_a_break_read_by_the_epoch_loop.in.py"


def _shapes() -> dict[str, str]:
    """The early stop (a break at an epoch's end), a run to the end of its range, a stop by max_steps mid-epoch."""
    early = CASE.read_text()
    to_the_end = early.replace("patience, bad_epochs = float(\"inf\"), 2, 0", "patience, bad_epochs = float(\"inf\"), 99, 0").replace("range(50)", "range(3)")
    by_steps = MAX_STEPS.read_text().replace('print("stopped after", step, "steps")', 'print("stopped after epoch", epoch)')
    return {"early": early, "to_the_end": to_the_end, "by_steps": by_steps}


@pytest.mark.slow  # nine short scripts run (about 40 s): .ci/run's slow step runs it
def test_the_epoch_read_after_fit_is_the_last_the_loop_ran(tmp_path):
    scripts = {}
    for name, source in _shapes().items():
        converted, report = convert_source(source, f"{name}.py")
        assert converted is not None and not report.todos and "lit_model.current_epoch - 1" in converted
        scripts |= {f"{name}_in": source, f"{name}_out": converted,
                    f"{name}_control": converted.replace("lit_model.current_epoch - 1", "lit_model.current_epoch")}  # fmt: skip
    printed = printed_lines(scripts, tmp_path, prefix="stopped after")
    for name in _shapes():
        assert len(printed[f"{name}_in"]) == 1
        assert printed[f"{name}_out"] == printed[f"{name}_in"]
        assert printed[f"{name}_control"] != printed[f"{name}_in"]


OBJECTIVE = named("objective_returns_the_last_epoch_s_accuracy")


def test_what_the_epoch_s_end_computes_and_the_caller_reads_is_kept_on_the_module():
    output, report = convert_source(OBJECTIVE.input.read_text(), OBJECTIVE.input.name)
    assert "self.accuracy = self.correct / len(valid_loader.dataset)" in output
    assert "    return lit_model.accuracy\n" in output and "accuracy=accuracy" not in output  # no __init__ argument
    assert not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_the_accuracy_left_a_local_of_the_epoch_s_end_fails(tmp_path):
    """What the conversion made before: `accuracy` a local of on_train_epoch_end, the objective's return unbound."""
    def local(output: str) -> str:
        return output.replace("self.accuracy", "accuracy").replace("return lit_model.accuracy", "return accuracy")

    result = verify_control(OBJECTIVE, local, tmp_path)
    assert result.failed is not None and "NameError" in result.failed


RUN_CLASSIFIER = named("run_classifier_totals_read_after_training")


def test_totals_read_after_fit_are_state_read_from_the_module():
    output, _ = convert_source(RUN_CLASSIFIER.input.read_text(), RUN_CLASSIFIER.input.name)
    assert "self.tr_loss += " in output and '"train_tr_loss"' not in output
    assert 'print("global_step", lit_model.global_step, "loss", lit_model.tr_loss / lit_model.nb_tr_steps)' in output


@pytest.mark.slow  # a verify run
def test_negative_control_the_totals_read_as_the_loop_s_names_fail(tmp_path):
    """What the conversion made before: the totals logged as epoch sums, the names after fit unbound (T2L909)."""
    result = verify_control(RUN_CLASSIFIER, lambda out: out.replace("lit_model.tr_loss / lit_model.nb_tr_steps", "tr_loss / nb_tr_steps"), tmp_path)
    assert result.failed is not None and "NameError" in result.failed
