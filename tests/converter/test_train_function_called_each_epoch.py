"""A train function the epoch loop calls runs again each epoch: what it sets before its batch loop is set again.

Two consequences, each checked on a conversion and by a negative control under --verify: a counter it starts at 0
counts one epoch's steps (state reset at the epoch's start, not self.global_step), and the function stays when
something still calls it (the Annotated Transformer's `run_epoch(..., mode="eval")` at each epoch's end). And the
site beside such a call is the site's own scope: the Training-with-PyTorch tutorial's inline validation, its total and
its loop index, and the epoch count it passes the function (`train_one_epoch(epoch_number, writer)`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import Fixture, named, printed_lines, verify_control

TRANSFORMER = named("annotated_transformer_run_epoch_for_both_modes")
COUNTER = Path(__file__).parent / "rules" / "convert" / "batch_state" / "counter_a_train_function_sets_each_epoch.in.py"
COUNTER_CASE = Fixture("counter", COUNTER, COUNTER.with_name(COUNTER.name.replace(".in.", ".out.")), "verify", 36, ())


def test_the_function_the_evaluation_still_calls_stays():
    output, report = convert_source(TRANSFORMER.input.read_text(), TRANSFORMER.input.name)
    assert output.count("def run_epoch(") == 1 and 'run_epoch(self.valid_iter, self.model' in output
    assert not report.todos


def test_a_counter_the_function_sets_each_call_is_reset_at_each_epoch_s_start():
    output, report = convert_source(COUNTER.read_text(), COUNTER.name)
    start = output.split("def on_train_epoch_start(self):")[1].split("def ")[0]
    assert "self.n_accum = 0" in start and "self.global_step" not in output.split("class LitModel")[1]
    assert not report.todos


@pytest.mark.slow  # two verify runs
def test_the_counter_verifies_and_its_negative_control_counting_global_steps_fails(tmp_path):
    result = verify_control(COUNTER_CASE, lambda out: out.replace("marks.append(self.n_accum)", "marks.append(self.global_step)"), tmp_path)
    assert result.failed is None and result.printed_different  # [1, ..., 18] where the loop printed 1..6 three times
    (tmp_path / "as_converted").mkdir()
    assert verify_control(COUNTER_CASE, lambda out: out + "\n", tmp_path / "as_converted").agrees


@pytest.mark.slow  # a verify run
def test_negative_control_the_function_removed_fails(tmp_path):
    """What the conversion made before: run_epoch's def gone, its call at the epoch's end unbound."""
    def removed(output: str) -> str:
        return re.sub(r"\ndef run_epoch\(.*?\n\n\n", "\n", output, flags=re.S)

    result = verify_control(TRANSFORMER, removed, tmp_path)
    assert result.failed is not None and "NameError" in result.failed


TUTORIAL = named("training_with_pytorch_tutorial_epoch_index")


def test_the_site_s_validation_and_epoch_count_beside_the_train_function():
    """The tutorial validates inline beside `train_one_epoch(epoch_number, writer)`: its total is the site's (not
    the function's), its loop index read after it is kept by validation_step, and the function's `epoch_index` is
    the count the epoch hooks keep."""
    output, report = convert_source(TUTORIAL.input.read_text(), TUTORIAL.input.name)
    validation = output.split("def validation_step(self, vdata, i):")[1].split("def ")[0]
    assert "self.running_vloss += vloss" in validation and "self.i = i" in validation
    assert "avg_vloss = self.running_vloss / (self.i + 1)" in output
    assert "tb_x = self.epoch_number * len(self.training_loader) + i + 1" in output
    assert not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_the_validation_total_left_a_local_fails(tmp_path):
    result = verify_control(TUTORIAL, lambda out: out.replace("self.running_vloss += vloss", "running_vloss += vloss"), tmp_path)
    assert result.failed is not None and "UnboundLocalError" in result.failed


@pytest.mark.slow  # three short scripts run to their end (the x values are printed after training)
def test_the_epoch_count_verifies_and_its_negative_control_reading_the_global_fails(tmp_path):
    converted, _ = convert_source(TUTORIAL.input.read_text(), TUTORIAL.input.name)
    scripts = {"original": TUTORIAL.input.read_text(), "converted": converted,
               "control": converted.replace("tb_x = self.epoch_number *", "tb_x = epoch_number *")}  # fmt: skip
    printed = printed_lines(scripts, tmp_path, prefix="reports")
    assert printed["original"] == ["reports [10, 20, 30, 40, 50, 60]"]  # two reports an epoch, three epochs
    assert printed["converted"] == printed["original"]
    assert printed["control"] != printed["original"]  # the global stays 0: [10, 20, 10, 20, 10, 20]
