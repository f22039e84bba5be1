"""Names the epoch's code shares across epochs and with the function around the loop.

- A value set only under an `if` in the epoch's code and read after it (`if val_acc > best: test_acc = acc`, then
  `print(test_acc)`: the PyG node-classification shape) is one an earlier epoch may have left: it is an attribute
  (`self.test_acc`), where a hook's local was unbound in any epoch that did not set it (UnboundLocalError under
  `--verify`, after a clean exit).
- A train function nested in main() that counts main()'s `step` through `nonlocal step`: the class is defined in
  main() too, so the hooks read main()'s `step` and the one that sets it declares it `nonlocal` (the output was
  `nonlocal self.step`, which does not parse: an internal error).

Each verify test's control undoes the fix in the output and fails where the converted script passes.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from converter.convert import convert_source
from converter.convert.rules.epoch_body import _read_where_maybe_unbound
from converter.report import CONVERTED
from tests.converter.fixtures import verify_beside_control

FIXTURES = Path(__file__).parent / "fixtures"
BEST_VAL = FIXTURES / "node_classification_test_accuracy_at_best_val.in.py"
NONLOCAL = FIXTURES / "train_function_in_main_counts_a_nonlocal.in.py"


@pytest.mark.parametrize(("code", "expected"), [
    ("if a > b:\n    t = a\nprint(t)\n", {"t"}),
    ("for x in xs:\n    t = x\nprint(t)\n", {"t"}),  # the loop may not run
    ("try:\n    t = f()\nexcept E:\n    pass\nprint(t)\n", {"t"}),
    ("t = 0\nif a > b:\n    t = a\nprint(t)\n", set()),  # bound first, whatever the `if` does
    ("if a > b:\n    t = a\n    print(t)\n", set()),  # read where it was just set
    ("if a > b:\n    t = a\n", set()),  # never read
])  # fmt: skip
def test_a_name_read_where_its_binding_may_not_have_run(code, expected):
    assert _read_where_maybe_unbound(list(cst.parse_module(code).body)) == expected


def test_the_value_an_earlier_epoch_set_is_an_attribute():
    output, report = convert_source(BEST_VAL.read_text(), BEST_VAL.name)
    assert report.status == CONVERTED
    assert "            self.test_acc = tmp_test_acc\n" in output and "Test: {self.test_acc:.4f}" in output
    assert "test_acc=" not in output  # never set before the loop: no value for __init__


def test_main_s_counter_is_read_and_set_as_main_s_own():
    output, report = convert_source(NONLOCAL.read_text(), NONLOCAL.name)
    assert report.status == CONVERTED
    step = output[output.index("def training_step"):output.index("def configure_optimizers")]
    assert step.splitlines()[1].strip() == "nonlocal step" and "step += 1" in step
    assert "self.step" not in output and "{step} steps" in output  # the epoch's end reads main()'s live count
    compile(output, NONLOCAL.name, "exec")


@pytest.mark.slow  # four verify runs (about 30 s)
@pytest.mark.parametrize(("fixture", "undo"), [
    (BEST_VAL, lambda out: out.replace("self.test_acc", "test_acc")),  # a hook's local again
    (NONLOCAL, lambda out: out.replace("            nonlocal step\n", "", 1)),  # the step's `step` a local again
])  # fmt: skip
def test_the_converted_script_runs_where_the_control_fails(fixture, undo, tmp_path):
    output, _ = convert_source(fixture.read_text(), fixture.name)
    results = verify_beside_control(fixture, output, undo(output), 40, tmp_path)
    assert results["converted"].failed is None and results["converted"].bitwise_equal
    assert results["control"].failed is not None
