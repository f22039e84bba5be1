"""Every converter fixture: the expected output, the output runs, and --verify is bitwise equal where it applies."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.report import ALREADY_LIGHTNING
from converter.verify import verify
from tests.converter.fixtures import discover, printed_lines, remember, verify_key

FIXTURES = discover()
UPDATE = os.environ.get("T2L_UPDATE_FIXTURES") == "1"
STAND_INS = Path(__file__).parents[1] / "stand_ins"  # a test-only torchvision: real scripts import it


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_converts_to_expected_output(fixture):
    output, report = convert_source(fixture.input.read_text(), fixture.input.name)
    output = fixture.input.read_text() if output is None else output
    if UPDATE:
        fixture.expected.write_text(output)
    assert output == fixture.expected.read_text()
    if fixture.mode == "unchanged":
        assert [line for line in output.splitlines() if "TODO(t2l)" not in line] == fixture.input.read_text().splitlines()


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.mode != "unchanged"], ids=str)
def test_output_is_left_alone_when_converted_again(fixture):
    _, report = convert_source(fixture.expected.read_text(), fixture.expected.name)
    assert report.status == ALREADY_LIGHTNING


# Verifying all of them takes minutes (two processes each): the default command verifies one fixture per family of
# rules below; the rest are `slow`, which `.ci/run` runs after the default command.
EVERY_RUN = {"amp_accumulation_progress_bar", "amp_bf16_autocast_flag", "dcgan_two_optimizers", "flat_cifar_tutorial",
             "mnist_functions", "seq2seq_encoder_decoder", "word_lm_manual_sgd", "step_loop_while_writer"}  # fmt: skip


@pytest.mark.parametrize("fixture", [pytest.param(f, marks=() if f.name in EVERY_RUN else pytest.mark.slow)
                                     for f in FIXTURES if f.mode == "verify"], ids=str)  # fmt: skip
def test_verify_is_bitwise_equal(fixture, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(STAND_INS), os.environ.get("PYTHONPATH", "")]))  # torchvision
    result = verify(fixture.input, fixture.expected, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    remember(result, verify_key(fixture.input, fixture.expected.read_text(), list(fixture.args), fixture.steps))  # the gallery's
    assert result.failed is None, result.converted.stderr_tail + result.original.stderr_tail
    assert result.compared > 0  # both sides trained (a two-optimizer batch makes two steps per loss)
    assert result.bitwise_equal, (result.max_abs_diff, result.first_difference)
    assert result.initial_weights_equal is not False  # the report would say "different" beside equal losses
    assert result.printed_different == []  # and every line the converted script printed, the original printed


@pytest.mark.slow
def test_negative_control_the_frozen_part_trains_otherwise_in_train_mode(tmp_path):
    """frozen_backbone_batch_norm puts its backbone (with batch norm) in eval mode at each epoch's start. Lightning 2.x
    switches nothing when training starts, so the output keeps that switch (T2L105); without it the batch norm
    normalizes by the batch's statistics and --verify must fail from the first loss."""
    fixture = next(f for f in FIXTURES if f.name == "frozen_backbone_batch_norm")
    output = fixture.expected.read_text()
    switch = "        self.model.backbone.eval()\n"
    assert switch in output
    unswitched = tmp_path / "frozen_backbone_unswitched.py"
    unswitched.write_text(output.replace(switch, ""))
    result = verify(fixture.input, unswitched, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and result.compared > 0
    assert not result.bitwise_equal and result.first_difference == 0


@pytest.mark.slow  # three scripts run (about 30 s)
def test_the_last_batch_values_read_at_epoch_end_are_the_last_batch_s(tmp_path):
    """denoising_autoencoder_epoch_outputs keeps each epoch's last (input, reconstruction) pair, read after the batch
    loop; training_step keeps them on self for on_train_epoch_end. --verify's losses do not show those values
    (its printed lines do, up to its steps); run to the end, the converted script must print the reconstructions' sums the original prints, and a control that keeps the first
    batch's values instead must not."""
    fixture = next(f for f in FIXTURES if f.name == "denoising_autoencoder_epoch_outputs")
    converted = fixture.expected.read_text()
    keep = "        self.img, self.loss, self.recon = img, loss, recon  # the last batch's, read after it"
    assert keep in converted
    control = converted.replace(keep, "        if batch_idx == 0:\n    " + keep)
    printed = printed_lines({"original": fixture.input.read_text(), "converted": converted, "control": control},
                            tmp_path, prefix="outputs ")  # fmt: skip
    assert len(printed["original"]) == 1 and printed["original"][0].startswith("outputs 3 ")
    assert printed["converted"] == printed["original"]
    assert printed["control"] != printed["original"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["zero_grad_once_an_epoch", "zero_grad_keeps_zero_tensors"])
def test_negative_control_lightning_s_own_zero_grad_differs(name, tmp_path):
    """Each fixture zeroes the gradients otherwise than Lightning does (once an epoch; to zero tensors, which AdamW
    still decays), and its output keeps that in optimizer_zero_grad (T2L143). Without that hook Lightning zeroes
    them to None before each step, and --verify must fail."""
    fixture = next(f for f in FIXTURES if f.name == name)
    output = fixture.expected.read_text()
    hook = re.search(r"\n    def optimizer_zero_grad\(self, epoch, batch_idx, optimizer\):\n(?:        .*\n)+", output)
    assert hook is not None
    lightning_s = tmp_path / f"{name}_lightning_s.py"
    lightning_s.write_text(output.replace(hook.group(0), "\n"))
    result = verify(fixture.input, lightning_s, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and result.compared > 0
    assert not result.bitwise_equal


@pytest.mark.slow  # three scripts run
def test_gradients_read_before_the_step_are_the_ones_backward_left(tmp_path):
    """The fixture sums gradient norms between backward and the step; --verify's losses do not
    depend on that read (its printed lines do). Under manual optimization (T2L119) the converted script prints the norms the original
    prints; the control reads them before backward, as a training_step under automatic optimization would, and
    prints other norms (no gradient yet: zero)."""
    fixture = next(f for f in FIXTURES if f.name == "gradient_norm_monitored_before_the_step")
    converted = fixture.expected.read_text()
    backward = "        self.manual_backward(loss)\n"
    read = converted[converted.index(backward) + len(backward) : converted.index("        optimizer.step()\n")]
    assert "p.grad.detach().norm(2)" in read
    control = converted.replace(backward + read, read + backward)
    printed = printed_lines({"original": fixture.input.read_text(), "converted": converted, "control": control},
                            tmp_path, prefix="epoch ")  # fmt: skip
    assert len(printed["original"]) == 3
    assert printed["converted"] == printed["original"]
    assert printed["control"] != printed["original"] and "mean grad norm 0.00000" in printed["control"][0]


@pytest.mark.slow  # three scripts run
def test_wandb_gets_every_call_the_loop_made(tmp_path, monkeypatch):
    """T2L113 keeps `wandb.log` as written: the converted script logs the same dicts, call for call, to the run
    `wandb.init` started (the stand-in prints them). The control sends the batch losses to Lightning's logger
    (`self.log_dict`, as T2L113 once did; under the key "train_loss" that crashed beside training_step's own
    `self.log`): wandb gets only the epoch lines."""
    fixture = next(f for f in FIXTURES if f.name == "wandb_train_and_test_loops")
    converted = fixture.expected.read_text()
    batch_log = '        wandb.log({"train_loss": loss.item(),'
    assert batch_log in converted
    control = converted.replace(batch_log, '        self.log_dict({"batch_loss": loss.item(),')
    monkeypatch.setenv("PYTHONPATH", str(STAND_INS))
    printed = printed_lines({"original": fixture.input.read_text(), "converted": converted, "control": control},
                            tmp_path, prefix="wandb.log ")  # fmt: skip
    assert len(printed["original"]) == 3 * 4 + 3  # 4 batches and the test loss, 3 epochs
    assert printed["converted"] == printed["original"]
    assert printed["control"] == [line for line in printed["original"] if "test_loss" in line]


@pytest.mark.slow  # three scripts run (about 30 s)
def test_a_running_loss_of_divided_losses_prints_what_the_loop_printed(tmp_path):
    """run_glue_logging_every_n_steps divides the loss by the accumulation steps and sums `loss.item()` after the
    division into `tr_loss`, kept since the start and read after training; training_step's loss is the undivided
    one Lightning divides itself, so the sum reads `(loss / K)`. --verify's losses, given to backward, do not
    show that sum: the converted script must print the average the original prints, and a control that sums the
    undivided loss must not."""
    fixture = next(f for f in FIXTURES if f.name == "run_glue_logging_every_n_steps")
    converted = fixture.expected.read_text()
    divided = "(loss / self.args.gradient_accumulation_steps).item()"
    assert divided in converted and "lit_model.tr_loss / lit_model.global_step" in converted
    printed = printed_lines({"original": fixture.input.read_text(), "converted": converted,
                             "control": converted.replace(divided, "loss.item()")}, tmp_path, prefix="global_step ")  # fmt: skip
    assert len(printed["original"]) == 1
    assert printed["converted"] == printed["original"]
    assert printed["control"] != printed["original"]


@pytest.mark.slow
def test_the_t2l926_claim_an_uneven_last_window_differs(tmp_path):
    """T2L926 says accumulation is exact only when an epoch's batches divide into windows. The same fixture with 104
    samples (13 batches of 8, windows of 2) carries its 13th gradient into the next epoch, where Lightning steps on
    it: --verify must fail, from the first loss of the second epoch."""
    fixture = next(f for f in FIXTURES if f.name == "run_glue_logging_every_n_steps")
    uneven = fixture.input.read_text().replace("(96, 12)", "(104, 12)").replace("(96,)", "(104,)")
    assert uneven.count("104") == 3
    source = tmp_path / "uneven.py"
    source.write_text(uneven)
    output, report = convert_source(uneven, source.name)
    assert "T2L926" in {f.code for f in report.findings}
    converted = tmp_path / "uneven_lightning.py"
    converted.write_text(output)
    result = verify(source, converted, [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and result.compared > 0
    assert not result.bitwise_equal and result.first_difference == 13


@pytest.mark.slow
def test_negative_control_a_scheduler_step_without_its_fractional_epoch_differs(tmp_path):
    """warm_restarts_fractional_epochs steps CosineAnnealingWarmRestarts each batch with `epoch + i / iters`; the
    output keeps that argument in on_train_batch_end (T2L144). Lightning's own call, `step()` with no argument,
    counts batches as epochs: --verify must fail."""
    fixture = next(f for f in FIXTURES if f.name == "warm_restarts_fractional_epochs")
    output = fixture.expected.read_text()
    call = "self.scheduler.step(self.current_epoch + i / self.iters)"
    assert call in output
    bare = tmp_path / "warm_restarts_bare_step.py"
    bare.write_text(output.replace(call, "self.scheduler.step()"))
    result = verify(fixture.input, bare, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and result.compared > 0
    assert not result.bitwise_equal


@pytest.mark.slow
def test_the_ema_update_after_the_step_sees_the_stepped_weights(tmp_path):
    """The EMA update after optimizer.step() moves to on_train_batch_end (T2L138): a setup loop's own `p` is no
    value it shares. --verify's losses do not show the EMA, which changes no loss: the converted script must print the
    EMA weights the original prints, and a control that updates them in training_step (before the step) must not."""
    fixture = next(f for f in FIXTURES if f.name == "ddpm_ema_after_the_step")
    converted = fixture.expected.read_text()
    update = "        with torch.no_grad():\n            for p_ema, p in zip(self.ema.parameters(), self.model.parameters()):\n                p_ema.mul_(self.ema_decay).add_(p, alpha=1 - self.ema_decay)\n"  # fmt: skip
    hook = "    def on_train_batch_end(self, outputs, batch, batch_idx):\n" + update + "\n"
    assert hook in converted
    step_end = "        self.log("
    control = converted.replace(hook, "").replace(step_end, update + step_end, 1)
    printed = printed_lines({"original": fixture.input.read_text(), "converted": converted, "control": control},
                            tmp_path, prefix="ema ")  # fmt: skip
    assert len(printed["original"]) == 1
    assert printed["converted"] == printed["original"]
    assert printed["control"] != printed["original"]


@pytest.mark.slow
def test_negative_control_a_counter_read_after_its_increment_is_not_the_global_step(tmp_path):
    """The fixture's counter is read after its increment (1 on the first batch); training_step keeps it as a local
    started from self.global_step. Reading self.global_step itself there (0 on the first batch: Lightning counts
    after the step) must make --verify fail from the first loss."""
    fixture = next(f for f in FIXTURES if f.name == "warmup_weight_from_the_step_counter")
    counted = "        global_step = self.global_step  # steps before this batch; counted below as the loop did\n        global_step += 1\n"  # fmt: skip
    converted = fixture.expected.read_text()
    assert counted in converted
    uncounted = tmp_path / "uncounted.py"
    uncounted.write_text(converted.replace(counted, "        global_step = self.global_step\n"))
    result = verify(fixture.input, uncounted, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal and result.first_difference == 0


@pytest.mark.slow
@pytest.mark.parametrize("counter, failure", [("it", "ZeroDivisionError"), ("hard", None)])
def test_negative_control_counters_that_are_not_the_global_step(counter, failure, tmp_path):
    """The fixture's docstring: read as self.global_step (0 on the first batch), the count from 1 divides by zero,
    and the count of hard batches differs from the batch after the first one that is not hard (the seventh)."""
    fixture = next(f for f in FIXTURES if f.name == "counters_that_are_not_the_global_step")
    converted = fixture.expected.read_text()
    increment = f"        self.{counter} += 1\n" if counter == "it" else "        if loss.item() > 1.0:\n            self.hard += 1\n"
    assert increment in converted
    as_steps = tmp_path / "as_steps.py"
    read = "1.0 / self.it ** 0.5" if counter == "it" else "(1 + 0.5 * self.hard)"
    assert read in converted
    as_steps.write_text(converted.replace(increment, "").replace(read, read.replace(f"self.{counter}", "self.global_step")))
    result = verify(fixture.input, as_steps, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    if failure:
        assert result.failed and failure in result.failed
    else:
        assert result.failed is None and not result.bitwise_equal and result.first_difference == 7  # batch 7 not hard


@pytest.mark.slow
def test_an_evaluation_whose_result_is_printed_after_training_prints_the_same(tmp_path):
    """The word-LM fixture prints `evaluate(val_data)` after training: the call stays as written (T2L140) and prints
    the original's average. It was trainer.test, which printed the logged sum in a table and not the line."""
    fixture = next(f for f in FIXTURES if f.name == "plateau_word_lm")
    converted = fixture.expected.read_text()
    assert 'print(f"| end of training | valid loss {evaluate(val_data):5.2f}")' in converted
    assert "trainer.test" not in converted
    printed = printed_lines({"original": fixture.input.read_text(), "converted": converted}, tmp_path,
                            prefix="| end of training")  # fmt: skip
    assert len(printed["original"]) == 1 and printed["converted"] == printed["original"]


EMA_UPDATE = ("        with torch.no_grad():\n"
              "            for p_ema, p in zip(self.ema_model.parameters(), self.model.parameters()):\n"
              "                p_ema.mul_(0.5).add_(p, alpha=0.5)\n")  # fmt: skip
SCHEDULER_STEPS = "".join(f"        self.lr_schedulers()[{i}].step()\n" for i in range(3))
BEFORE_CONTROL = {
    # the EMA update back at epoch end, where Lightning runs it after the validation of the average
    "ema_updated_before_each_validation": lambda output: output.replace(EMA_UPDATE, "").replace(
        "        self.ema_model.eval()\n", EMA_UPDATE + "        self.ema_model.eval()\n"),
    # the counter read as the hooks count it, without the increment the loop made before its print
    "while_epoch_counter_incremented_before_its_print": lambda output: output.replace(
        "self.current_epoch + 1", "self.current_epoch"),
    # the batch counter read as Lightning's global_step, which counts the critic's and the generator's steps
    "wgan_weight_clipping_batches_counted": lambda output: output.replace("lit_model.batches_done", "lit_model.global_step"),
    # the schedulers stepped after the epoch's print (manual optimization), where the loop stepped them before it
    "gan_schedulers_stepped_before_the_epoch_print": lambda output: output.replace(SCHEDULER_STEPS, "").replace(
        '[0]:.6f}")\n', '[0]:.6f}")\n' + SCHEDULER_STEPS),
}


@pytest.mark.slow  # two verify runs
@pytest.mark.parametrize("name", sorted(BEFORE_CONTROL))
def test_negative_control_the_same_losses_but_other_printed_numbers(name, tmp_path):
    """Each fixture's fix changes no loss, only what the script prints: the control (the output as it was before the
    fix) still has bitwise-equal losses, and --verify fails on its printed lines."""
    fixture = next(f for f in FIXTURES if f.name == name)
    output = fixture.expected.read_text()
    control = BEFORE_CONTROL[name](output)
    assert control != output
    path = tmp_path / f"{name}_control.py"
    path.write_text(control)
    result = verify(fixture.input, path, list(fixture.args), steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None and result.bitwise_equal
    assert result.printed_different and not result.agrees


def test_every_expected_output_has_its_input():
    """A renamed or removed fixture or rule case leaves its `.out.py` behind, compared by nothing (a Fabric output
    of a Lightning fixture lives in fabric_fixtures/ beside the Fabric route's own inputs)."""
    here = Path(__file__).parent
    inputs = {p.name.removesuffix(".in.py") for folder in ("fixtures", "fabric_fixtures") for p in (here / folder).glob("*.in.py")}
    orphans = [p for folder in ("fixtures", "fabric_fixtures") for p in (here / folder).glob("*.out.py")
               if p.name.removesuffix(".out.py") not in inputs]  # fmt: skip
    orphans += [p for p in (here / "rules").rglob("*.out.py") if not p.with_name(p.name.replace(".out.py", ".in.py")).exists()]
    assert not orphans, orphans
