"""An evaluation the loop ran after its optimizer step sees the updated weights in the converted script too.

`--verify` compares the training losses, which do not depend on where the evaluation runs; what it prints does.
The makemore-shaped fixture prints `estimate_loss()` every few steps after `optimizer.step()`: the converted
script (the evaluation in on_train_batch_end) must print the same numbers as the original, and the control, the
same block run at the end of training_step (before Lightning's step, where it ran before T2L138), must not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, printed_lines, verify_beside_control, verify_control

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = "makemore_evaluation_after_the_step"


def _evaluation_before_the_step(converted: str) -> str:
    """The converted script with on_train_batch_end's body run at the end of training_step instead."""
    hook = re.search(r"\n    def on_train_batch_end\(self, outputs, (\w+), \w+\):\n((?:        .*\n)+)", converted)
    assert hook is not None
    without = converted.replace(hook.group(0), "\n")
    return without.replace('        self.log("train_loss"', hook.group(2) + '        self.log("train_loss"', 1)


@pytest.mark.slow  # three scripts run (about 40 s): .ci/run's slow step runs it
def test_an_evaluation_after_the_step_prints_what_the_loop_printed(tmp_path):
    original = (FIXTURES / f"{FIXTURE}.in.py").read_text()
    converted = (FIXTURES / f"{FIXTURE}.out.py").read_text()
    assert "def on_train_batch_end(" in converted
    printed = printed_lines({"original": original, "converted": converted,
                                    "control": _evaluation_before_the_step(converted)}, tmp_path)  # fmt: skip
    assert len(printed["original"]) == 5  # steps 0, 6, 12, 18, 24
    assert printed["converted"] == printed["original"]
    assert len(printed["control"]) == 5 and printed["control"] != printed["original"]


@pytest.mark.slow  # two scripts run (about 20 s): .ci/run's slow step runs it
def test_a_validation_every_few_batches_prints_what_the_loop_printed(tmp_path):
    name = "evaluation_every_n_batches"
    scripts = {side: (FIXTURES / f"{name}.{side}.py").read_text() for side in ("in", "out")}
    printed = printed_lines(scripts, tmp_path, prefix="epoch ")
    assert len(printed["in"]) == 4  # every 4th of 8 batches, two epochs
    assert printed["out"] == printed["in"]


@pytest.mark.slow  # two scripts run (about 20 s): .ci/run's slow step runs it
def test_the_loss_it_prints_is_the_one_lightning_hands_to_on_train_batch_end(tmp_path):
    """A block after the step that prints the loss and an evaluation: the loss comes from `outputs["loss"]`."""
    case = Path(__file__).parent / "rules" / "convert" / "after_step" / "eval_block_reading_the_returned_loss"
    converted = case.with_suffix(".out.py").read_text()
    assert 'loss = outputs["loss"]' in converted
    printed = printed_lines({"original": case.with_suffix(".in.py").read_text(), "converted": converted},
                                   tmp_path, prefix="")  # fmt: skip
    numbers = {name: [line for line in lines if re.fullmatch(r"[-\d.e]+ [-\d.e]+", line)] for name, lines in printed.items()}
    assert len(numbers["original"]) == 4  # every other batch of 4, two epochs
    assert numbers["converted"] == numbers["original"]


@pytest.mark.slow  # two scripts run (about 20 s): .ci/run's slow step runs it
def test_a_step_counter_read_after_the_step_is_global_step_there(tmp_path):
    """`step += 1` before the block: in on_train_batch_end `self.global_step` has counted this batch's step too."""
    case = Path(__file__).parent / "rules" / "convert" / "after_step" / "step_counter_counted_before_the_block"
    converted = case.with_suffix(".out.py").read_text()
    assert "def on_train_batch_end" in converted and "self.global_step % self.log_every" in converted
    printed = printed_lines({"original": case.with_suffix(".in.py").read_text(), "converted": converted},
                                   tmp_path)  # fmt: skip
    assert len(printed["original"]) == 3  # steps 3, 6, 9 of 10
    assert printed["converted"] == printed["original"]


CASE = Path(__file__).parent / "rules" / "convert" / "mode_switch" / "train_kept_while_an_evaluation_runs_between_batches"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_batch_s_train_switch_stays_when_an_evaluation_runs_between_batches(tmp_path):
    """The evaluation every 4 steps (on_train_batch_end) puts the model in eval mode; the loop's `model.train()` at
    each batch's start put it back. The converted script keeps that switch, and --verify is bitwise with the same
    printed test losses; the control without it trains the next batches with dropout off and differs."""
    from converter.verify import verify

    original, converted = CASE.with_suffix(".in.py"), CASE.with_suffix(".out.py")
    switch = "        self.model.train()\n"
    assert switch in converted.read_text()
    control = tmp_path / "control.py"
    control.write_text(converted.read_text().replace(switch, ""))
    result = verify(original, converted, [], steps=30, cwd=tmp_path)
    assert result.agrees and len(result.converted.printed_compared) >= 3
    unswitched = verify(original, control, [], steps=30, cwd=tmp_path)
    assert unswitched.first_difference == 1 and unswitched.printed_different


@pytest.mark.slow  # a verify run (about 10 s)
def test_negative_control_an_evaluation_every_few_steps_run_before_lightning_s_step_prints_otherwise(tmp_path):
    """The Pytorch-UNet shape: every few steps, after the optimizer's, an evaluation and ReduceLROnPlateau stepped on
    its score, printed with the rate. The whole block moves to on_train_batch_end (with the `division_step` line it
    reads and the scheduler it steps, which configure_optimizers does not return); it stayed in training_step, where
    it evaluated the weights of one update earlier. The control puts it back there."""
    fixture = named("unet_evaluation_every_few_steps_plateau")
    converted = fixture.expected.read_text()
    assert "self.scheduler.step(val_score)" in converted.split("def on_train_batch_end")[1].split("def ")[0]

    def before_the_step(converted: str) -> str:  # training_step's global_step has not counted this step yet: + 1
        hook = re.search(r"\n    def on_train_batch_end\(self, outputs, batch, batch_idx\):\n((?:        .*\n)+)", converted)
        assert hook is not None
        moved = hook.group(1).replace("self.global_step", "(self.global_step + 1)")
        return converted.replace(hook.group(0), "\n").replace("        return loss\n", moved + "        return loss\n", 1)

    result = verify_control(fixture, before_the_step, tmp_path)
    assert result.failed is None and result.bitwise_equal and result.printed_different


MOVED_AFTER_THE_STEP = {  # fixture -> what its on_train_batch_end holds; run in training_step instead, one update early:
    # a rate policy class of the script's own (no torch LRScheduler, so no Lightning scheduler: it was returned from
    # configure_optimizers, which Lightning refused): the second step already has another rate
    "rate_policy_class_of_the_script_each_batch": "        self.scheduler.step()\n",
    # the TensorBoard tutorial: every N batches the running loss written and the model's predictions on the current
    # batch's `inputs` (on_train_batch_end takes the batch apart again; it stayed in training_step, marked T2L923)
    "tensorboard_tutorial_every_n_batches": "        inputs, labels = data\n",
    # an EMA helper holding the model, updated with no argument: its shadow weights, printed, lag one update
    "ema_helper_holding_the_model": "        self.ema.update()\n",
}


@pytest.mark.slow  # a verify run each (about 8 s)
@pytest.mark.parametrize("name", sorted(MOVED_AFTER_THE_STEP))
def test_negative_control_code_that_acts_after_the_step_run_in_training_step_computes_otherwise(name, tmp_path):
    fixture = named(name)
    assert MOVED_AFTER_THE_STEP[name] in fixture.expected.read_text().split("def on_train_batch_end")[1].split("    def ")[0]
    result = verify_control(fixture, _evaluation_before_the_step, tmp_path)
    assert result.failed is None and (not result.bitwise_equal or result.printed_different)


NOTEBOOK_VALIDATIONS = ["sentiment_lstm_validation_every_n_steps", "char_rnn_notebook_generator_validation"]


@pytest.mark.parametrize("name", NOTEBOOK_VALIDATIONS)
def test_a_validation_block_rebinding_the_batch_s_names_moves_after_the_step(name):
    """The notebooks' validation every print_every steps loops `for inputs, labels in valid_loader:` (or `for x, y in
    get_batches(...)`) and rebinds `output`: names the training binds again before reading them. It was kept in
    training_step (T2L923, "uses `inputs, output` from the loop"), printing losses of the weights one step early."""
    from converter.convert import convert_source

    fixture = named(name)
    output, report = convert_source(fixture.input.read_text(), fixture.input.name)
    assert "def on_train_batch_end(self, outputs, batch, batch_idx):" in output
    assert "T2L923" not in {f.code for f in report.findings} and "self.labels" not in output


@pytest.mark.slow  # a verify run
@pytest.mark.parametrize("name", NOTEBOOK_VALIDATIONS)
def test_negative_control_the_notebook_validation_before_the_step_prints_otherwise(name, tmp_path):
    def before_the_step(converted: str) -> str:
        return _evaluation_before_the_step(converted.replace('        loss = outputs["loss"]\n', "", 1))

    result = verify_control(named(name), before_the_step, tmp_path)
    # before the step: the losses printed are of the weights one step early, and where the validation shuffles its
    # loader, the draw moves to another batch (self.global_step is one less there) and the training's dropout with it
    assert result.failed is None and (result.printed_different or not result.bitwise_equal)


DINO = named("dino_schedules_by_global_iteration")
EMA = """        with torch.no_grad():
            m = self.momentum_schedule[it]
            for param_q, param_k in zip(self.student.parameters(), self.teacher.parameters()):
                param_k.data.mul_(m).add_((1 - m) * param_q.detach().data)
"""


def test_the_teacher_s_update_after_the_step_computes_the_global_iteration_again():
    """DINO's `momentum_schedule[it]` after the step, `it = len(data_loader) * epoch + it` before it: the update
    moves to on_train_batch_end with that line (no call but len(), read from the index alone); the schedules are
    arrays the script computes, not schedulers (none takes an optimizer)."""
    output, report = convert_source(DINO.input.read_text(), DINO.input.name)
    end = output.split("def on_train_batch_end(self, outputs, batch, it):\n")[1]
    assert end.startswith("        it = len(self.data_loader) * self.current_epoch + it\n" + EMA)
    assert output.count("it = len(self.data_loader) * self.current_epoch + it") == 2  # training_step keeps its own
    assert '"lr_scheduler"' not in output and not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_the_teacher_updated_before_lightning_s_step_fails(tmp_path):
    """The update back at the end of training_step: the teacher averages the student of one step earlier."""
    def before_the_step(output: str) -> str:
        output = output.replace("    def on_train_batch_end(self, outputs, batch, it):\n        it = len(self.data_loader) * self.current_epoch + it\n" + EMA + "\n", "")
        return output.replace("        self.total += loss.item()\n", EMA + "        self.total += loss.item()\n")

    result = verify_control(DINO, before_the_step, tmp_path)
    assert result.failed is None and not result.bitwise_equal


DECAYED = Path(__file__).parent / "rules/convert/after_step/rate_decayed_by_the_step_counter_before_its_increment"
SHIFTED = "(self.global_step - 1)"


@pytest.mark.slow  # two verify runs (about 15 s): .ci/run's slow step runs it
def test_a_rate_set_after_the_step_from_the_counter_before_its_increment_reads_the_steps_before(tmp_path):
    """NeRF's decay: `new_lrate = lrate * decay_rate ** (global_step / decay_steps)` after the step, with
    `decay_rate = 0.1; decay_steps = ...` on the lines above it and `global_step += 1` last. The three lines move
    to on_train_batch_end with the rate they set (T2L138), where self.global_step has counted this batch's step: the
    counter reads `(self.global_step - 1)`, the steps before it. The control reads self.global_step: the second step
    runs at a rate one step ahead, and the losses differ from the third (the first computed after that step)."""
    converted = DECAYED.with_suffix(".out.py").read_text()
    assert converted.count(SHIFTED) == 1 and "def on_train_batch_end" in converted
    control = converted.replace(SHIFTED, "self.global_step")
    results = verify_beside_control(DECAYED.with_suffix(".in.py"), converted, control, 60, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 60
    assert results["control"].failed is None and results["control"].first_difference == 2
