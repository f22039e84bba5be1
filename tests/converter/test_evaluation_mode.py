"""A script that never calls `.eval()` evaluates in train mode, and so does its LightningModule (T2L150).

Lightning's validation loop switches the module to eval mode unless `on_validation_model_eval` says otherwise; in
train mode the evaluation's dropout draws from torch's RNG, so with eval mode the printed validation losses differ
and every training batch after the first evaluation draws other dropout masks. `--verify` compares the losses of
three epochs; the control drops the override and differs from the first batch after the first validation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, printed_lines, verify_beside_control, verify_control

FIXTURE = Path(__file__).parent / "fixtures" / "validation_in_train_mode_dropout.in.py"
OVERRIDE = "    def on_validation_model_eval(self):\n"


@pytest.mark.slow  # two verify runs (about 20 s): .ci/run's slow step runs it
def test_a_script_that_never_switches_to_eval_validates_in_train_mode(tmp_path):
    converted, report = convert_source(FIXTURE.read_text(), FIXTURE.name)
    assert converted is not None and any(f.code == "T2L150" for f in report.findings)
    start = converted.index(OVERRIDE)
    end = converted.index("\n\n", start) + 2
    original = tmp_path / "original.py"
    original.write_text(FIXTURE.read_text())
    results = verify_beside_control(original, converted, converted[:start] + converted[end:], 12, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 4  # after epoch 0's validation


EVALUATED_FIRST = named("evaluated_before_each_epoch_s_training")


def test_an_evaluation_before_each_epoch_s_training_stays_a_call_and_the_mode_switch_after_it_stays():
    """`acc = evaluate()` above the batch loop is no validation (Lightning validates after the training): it stays
    a call at the epoch's start, and so does the `model.train()` after it, which undoes the function's eval()."""
    output, report = convert_source(EVALUATED_FIRST.input.read_text(), EVALUATED_FIRST.input.name)
    start = output[output.index("    def on_train_epoch_start(self):\n") :].split("\n\n")[0]
    assert "acc = evaluate()" in start and start.rstrip().endswith("self.model.train()")
    assert "validation_step" not in output
    assert any(f.code == "T2L140" and "before each epoch's training" in f.message for f in report.findings)


@pytest.mark.slow  # a verify run
def test_negative_control_without_the_switch_back_the_training_runs_in_eval_mode(tmp_path: Path):
    result = verify_control(EVALUATED_FIRST, lambda out: out.replace("        self.model.train()\n", "", 1), tmp_path)
    assert result.failed is None and not result.bitwise_equal  # dropout off: other losses from the first batch


@pytest.mark.slow  # a verify run
def test_negative_control_an_evaluation_computing_gradients_fails_without_enable_grad(tmp_path: Path):
    """FGSM examples crafted in the evaluation (torch.autograd.grad on the inputs): validation_step runs under
    torch.enable_grad() (T2L162; Lightning validates inside fit under no_grad). The control, the step without it,
    fails as the conversion before did (after a clean exit)."""
    fixture = named("fgsm_adversarial_evaluation")

    def without_enable_grad(output: str) -> str:
        start = output.index("        with torch.enable_grad():\n")
        end = output.index("\n\n", start)
        block = output[start:end].split("\n")[1:]
        return output[:start] + "\n".join(line[4:] for line in block) + output[end:]

    result = verify_control(fixture, without_enable_grad, tmp_path)
    assert result.failed is not None and "grad" in result.failed


AFTER_FIT = Path(__file__).parent / "rules/convert/mode_switch/predictions_after_epochs_that_end_in_evaluation.in.py"
EVAL_AFTER_FIT = "model.eval()  # as the loop left it: its last epoch ended in eval mode\n"


@pytest.mark.slow  # three short scripts run (about 15 s): .ci/run's slow step runs it
def test_code_after_fit_runs_the_model_in_the_mode_the_loop_left(tmp_path):
    """Each epoch ended with an evaluation (`model.eval()` first), so the predictions after the loop ran with
    dropout off; Lightning's validation puts train mode back when it ends, and `model.eval()` follows fit (T2L173).
    The control drops that line: dropout on, other predictions."""
    source = AFTER_FIT.read_text()
    converted, report = convert_source(source, AFTER_FIT.name)
    assert converted is not None and any(f.code == "T2L173" for f in report.findings) and EVAL_AFTER_FIT in converted
    scripts = {"in": source, "out": converted, "control": converted.replace(EVAL_AFTER_FIT, "")}
    printed = printed_lines(scripts, tmp_path, prefix=("epoch", "predictions"))
    assert printed["in"][-1].startswith("predictions") and printed["out"] == printed["in"]
    assert printed["control"][:-1] == printed["in"][:-1] and printed["control"][-1] != printed["in"][-1]


def test_a_switch_that_runs_only_some_epochs_or_a_part_of_a_model_adds_nothing_after_fit():
    """Evaluated every other epoch, the mode the loop ends in depends on the epoch count: nothing is added (the
    rule knows only what runs each epoch). A part of a model left in eval mode (`model[2].eval()`, a frozen layer)
    is a mode Lightning's validation puts back itself. Nor is anything added where the code after the loop only
    saves the weights."""
    source = AFTER_FIT.read_text()
    sometimes = source.replace('    print(f"epoch {epoch} val acc {evaluate(val_loader):.3f}")',
                               '    if epoch % 2 == 1:\n        print(f"epoch {epoch} val acc {evaluate(val_loader):.3f}")')
    part = source.replace("    model.eval()\n    correct", "    model[2].eval()\n    correct")
    saved = source[: source.index("with torch.no_grad():  # no")] + 'torch.save(model.state_dict(), "model.pt")\n'
    for variant in (sometimes, part, saved):
        converted, report = convert_source(variant, "variant.py")
        assert converted is not None and "T2L173" not in {f.code for f in report.findings}
        assert "as the loop left it" not in converted


STEP_EVALUATES = Path(__file__).parent / "rules" / "convert" / "mode_switch" / "train_kept_while_the_step_evaluates_after_its_backward"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_batch_s_train_switch_stays_when_the_training_step_evaluates_after_its_backward(tmp_path):
    """The loop's `model.eval()` every 4 steps stays in training_step (manual optimization, after the backward);
    Lightning switches nothing back before the next batch, so the batch's `model.train()` stays too: --verify is
    bitwise. It was removed as one of Lightning's own switches: the control without it trains three of every four
    batches with dropout off and differs from the step after the first evaluation."""
    original, converted = STEP_EVALUATES.with_suffix(".in.py"), STEP_EVALUATES.with_suffix(".out.py").read_text()
    switch = "        self.model.train()\n"
    assert converted.count(switch) == 1
    results = verify_beside_control(original, converted, converted.replace(switch, ""), 32, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 32
    assert results["control"].failed is None and results["control"].first_difference == 2  # the third: step 1's first loss


EVALUATES_FIRST = Path(__file__).parent / "rules" / "convert" / "mode_switch" / "switches_kept_around_an_evaluation_before_the_backward"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_switches_around_an_evaluation_at_the_step_s_start_stay(tmp_path):
    """Every 4 iterations the loop evaluates before its forward pass, between `model.eval()` and `model.train()`.
    Both switches were removed as Lightning's own; the evaluation then ran with dropout on, whose draws moved the
    next batch's random numbers. They stay; the control removes them and differs from the first batch."""
    original = EVALUATES_FIRST.with_suffix(".in.py")
    converted = EVALUATES_FIRST.with_suffix(".out.py").read_text()
    switches = ("            self.model.eval()\n", "            self.model.train()\n")
    assert all(converted.count(s) == 1 for s in switches)
    control = converted.replace(switches[0], "").replace(switches[1], "")
    results = verify_beside_control(original, converted, control, 12, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 0


PRINTED_EVALUATION = Path(__file__).parent / "rules" / "convert" / "mode_switch" / "train_kept_when_a_printed_evaluation_switches_to_eval"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_batch_s_train_switch_stays_when_a_printed_evaluation_in_the_step_switches_to_eval(tmp_path):
    """`print(... evaluate(model) ...)` every 3 steps stays in training_step (two optimizers: manual optimization),
    and evaluate() leaves eval mode; the loop's `model.train()` at each batch's start put train mode back and stays.
    The control removes it: the batches after the first evaluation train with dropout off."""
    original = PRINTED_EVALUATION.with_suffix(".in.py")
    converted = PRINTED_EVALUATION.with_suffix(".out.py").read_text()
    switch = "        self.model.train()\n"
    assert converted.count(switch) == 1
    results = verify_beside_control(original, converted, converted.replace(switch, ""), 24, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 24
    assert results["control"].failed is None and results["control"].first_difference == 2  # the second batch


NEVER_BACK = Path(__file__).parent / "rules/convert/mode_switch/evaluation_never_switches_back.in.py"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_script_that_never_switches_back_trains_its_later_epochs_in_eval_mode(tmp_path):
    """evaluate() calls `model.eval()` and nothing calls `model.train()`: from the second epoch on the script trains
    with dropout off, a slip kept as written (T2L176). Lightning's validation put train mode back; the control, the
    output without `on_validation_model_train`, differs from the second epoch's first batch."""
    converted, report = convert_source(NEVER_BACK.read_text(), NEVER_BACK.name)
    assert converted is not None and "T2L176" in {f.code for f in report.findings}
    hook = "    def on_validation_model_train(self):\n"
    start = converted.index(hook)
    end = converted.index("\n\n", start) + 2
    results = verify_beside_control(NEVER_BACK, converted, converted[:start] + converted[end:], 12, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 4  # epoch 1's first batch


def test_a_switch_back_anywhere_in_the_loop_adds_nothing():
    source = NEVER_BACK.read_text().replace("    return correct / len(test_loader.dataset)",
                                            "    model.train()\n    return correct / len(test_loader.dataset)")
    converted, report = convert_source(source, NEVER_BACK.name)
    assert "on_validation_model_train" not in converted and "T2L176" not in {f.code for f in report.findings}


def test_another_module_switched_to_eval_adds_nothing():
    """An EMA copy evaluated in eval mode: the trained model itself never left train mode, which Lightning's
    restore after validation keeps; the override would have left it in eval."""
    source = NEVER_BACK.read_text().replace("optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n",
                                            "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nema = copy.deepcopy(model)\n")
    source = "import copy\n" + source.replace("    model.eval()\n", "    ema.eval()\n").replace(
        "correct += (model(x)", "correct += (ema(x)").replace("        optimizer.step()\n",
        "        optimizer.step()\n        with torch.no_grad():\n            for e, p in zip(ema.parameters(), model.parameters()):\n                e.lerp_(p, 0.5)\n")  # fmt: skip
    assert "ema.eval()" in source and "e.lerp_" in source
    converted, report = convert_source(source, NEVER_BACK.name)
    assert "on_validation_model_train" not in converted and "T2L176" not in {f.code for f in report.findings}


def test_a_switch_on_the_evaluation_s_own_parameter_is_read_as_the_argument_s():
    """`def evaluate(net): net.eval()` called as `evaluate(model)`: the switch is the trained model's (it was
    skipped, the model's mode not known from inside the function); called with another module, it adds nothing."""
    source = NEVER_BACK.read_text().replace("def evaluate():\n    model.eval()", "def evaluate(net):\n    net.eval()")
    source = source.replace("correct += (model(x)", "correct += (net(x)")
    converted, report = convert_source(source.replace("evaluate())", "evaluate(model))"), NEVER_BACK.name)
    assert "on_validation_model_train" in converted and "T2L176" in {f.code for f in report.findings}
    other = source.replace("evaluate())", "evaluate(copy.deepcopy(model)))")
    converted, report = convert_source("import copy\n" + other, NEVER_BACK.name)
    assert "on_validation_model_train" not in converted and "T2L176" not in {f.code for f in report.findings}
