"""A global the loop sets and a function of the script reads stays a global in the hooks (T2L171).

The loss function's warm-up reads the global `epoch`, a helper the global step counter, a Dataset's `__getitem__`
a noise level the epoch loop raises, an augmentation a `while` loop's epoch counter. Each shape is run as written and converted, and the lines it prints compared.
The control converts with the rule switched off (the old output): the counter and the noise level went to
Lightning's count and to an attribute, the globals kept their values from before fit, and the printed losses
differ from the first change on; the epoch variable was left undefined (a NameError, marked T2L925).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.convert.rules import script_globals
from tests.converter.fixtures import printed_lines, verify_beside_control

CASES = Path(__file__).parent / "rules/convert/script_globals"
SHAPES = ["epoch_read_by_the_loss_function", "counter_read_by_a_helper", "value_the_epoch_loop_sets_read_by_a_dataset",
          "while_loop_counter_read_by_a_function"]


def _converted(name: str) -> str:
    converted, report = convert_source((CASES / f"{name}.in.py").read_text(), f"{name}.py")
    assert converted is not None and not report.todos
    assert any(f.code == "T2L171" for f in report.findings)
    return converted


@pytest.mark.slow  # eleven short scripts run side by side (about 40 s): .ci/run's slow step runs it
def test_the_hooks_set_the_globals_the_script_s_functions_read(tmp_path, monkeypatch):
    scripts = {}
    for name in SHAPES:
        scripts[f"{name}_in"] = (CASES / f"{name}.in.py").read_text()
        scripts[f"{name}_out"] = _converted(name)
    with monkeypatch.context() as switched_off:
        switched_off.setattr(script_globals, "shared", lambda conv: frozenset())
        controls = {name: convert_source((CASES / f"{name}.in.py").read_text(), f"{name}.py") for name in SHAPES}
    undefined, _ = controls.pop("epoch_read_by_the_loss_function")
    assert "TODO(t2l): T2L925 `epoch` is read here" in undefined
    scripts |= {f"{name}_control": converted for name, (converted, _) in controls.items()}
    printed = printed_lines(scripts, tmp_path, prefix="epoch ")
    for name in SHAPES:
        assert len(printed[f"{name}_in"]) >= 3
        assert printed[f"{name}_out"] == printed[f"{name}_in"]
    for name in controls:
        assert printed[f"{name}_control"] != printed[f"{name}_in"]


def test_a_name_the_function_binds_itself_is_not_a_global_it_reads():
    """`def loss_function(prediction, target, model, epoch)` reads its own parameter: the loop's `epoch` stays
    Lightning's current_epoch, and nothing is declared global."""
    source = (CASES / "epoch_read_by_the_loss_function.in.py").read_text()
    source = source.replace("target, model):", "target, model, epoch):").replace("yb, model)", "yb, model, epoch)")
    converted, report = convert_source(source, "parameter.py")
    assert not any(f.code == "T2L171" for f in report.findings)
    assert "    global " not in converted and "loss_function(self.model(xb), yb, self.model, self.current_epoch)" in converted


AFTER_THE_STEP = CASES / "counter_read_after_the_step_before_its_increment.in.py"
SHIFTED = "(global_step - 1)"


@pytest.mark.slow  # two verify runs (about 15 s): .ci/run's slow step runs it
def test_a_global_counter_read_after_the_step_before_its_increment_reads_the_steps_before(tmp_path):
    """The rate set after the step moves to on_train_batch_end (T2L138), where training_step has already counted
    this batch in the global: it reads `(global_step - 1)`, as the loop read the steps before this one. Control: the
    bare global, a step ahead."""
    converted = (CASES / "counter_read_after_the_step_before_its_increment.out.py").read_text()
    assert converted.count(SHIFTED) == 1 and "    global global_step\n" in converted
    results = verify_beside_control(AFTER_THE_STEP, converted, converted.replace(SHIFTED, "global_step"), 40, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 40
    assert results["control"].failed is None and not results["control"].bitwise_equal


def test_a_function_reading_the_counter_after_the_step_keeps_the_block_marked():
    """`group["lr"] = scheduled()` where `scheduled()` reads the global counter the loop increments after the block:
    no rename reaches into the function, and on_train_batch_end would read it a step ahead. The block stays in
    training_step, marked T2L923, never moved to read the wrong value."""
    source = AFTER_THE_STEP.read_text().replace("base_lr * 0.5 ** (global_step / 10)", "base_lr * noise_scale()")
    converted, report = convert_source(source, "function.py")
    assert "def on_train_batch_end" not in converted
    assert any(f.code == "T2L923" and "global_step" in f.message for f in report.findings)
