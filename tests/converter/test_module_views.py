"""The model object read through Fabric's wrapper -> `model.module` (T2L337, --to fabric): `model.named_parameters()`
and the other named members, `print(model)`, `model.__class__`.

A `_FabricModule`'s state_dict() keys are its module's (`0.weight`), its member names carry the wrapper's attribute
(`_forward_module.0.weight`): an EMA's shadow weights keyed by those names and loaded with `strict=False` loaded
nothing, and every evaluation ran on the training weights after a clean conversion (the losses the same, the printed
evaluations not). The control is the output with the named members read through the wrapper again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.fabric import convert_to_fabric
from tests.converter.fixtures import verify_beside_control

EMA = Path(__file__).parent / "rules/fabric/module_views/ema_shadow_swapped_in_for_evaluation.in.py"


def _converted(source: str) -> tuple[str, set[str]]:
    output, report = convert_to_fabric(source, "t.py")
    return output, {f.code for f in report.findings}


SCRIPT = """\
import torch
from torch import nn

def names(net):
    return [name for name, _ in net.named_parameters()]

model = nn.Linear(4, 1)
{before}optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
{after}for x, y in loader:
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    optimizer.step()
"""


def test_a_function_given_the_set_up_model_at_every_call_reads_its_module():
    output, codes = _converted(SCRIPT.format(before="", after="print(names(model))\n"))
    assert "T2L337" in codes and "net.module.named_parameters()" in output


@pytest.mark.parametrize("before", ["print(names(model))\n", "print(names(nn.Linear(2, 2)))\n"])
def test_a_function_also_given_a_bare_module_is_left_alone(before):
    output, codes = _converted(SCRIPT.format(before=before, after="print(names(model))\n"))
    assert "T2L337" not in codes and "net.named_parameters()" in output


def test_a_printed_model_and_its_class_name_are_the_module_s():
    output, codes = _converted(SCRIPT.format(before="", after="print(model)\nprint(model.__class__.__name__)\n"))
    assert "fabric.print(model.module)" in output and "model.module.__class__.__name__" in output


def test_names_read_before_the_set_up_are_the_module_s_own():
    output, codes = _converted(SCRIPT.format(before="print([n for n, _ in model.named_parameters()])\n", after=""))
    assert "T2L337" not in codes and "model.module" not in output


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_ema_weights_are_loaded_for_the_evaluation(tmp_path):
    output, codes = _converted(EMA.read_text())
    assert "T2L337" in codes and output.count("model.module.named_parameters()") == 3
    assert "fabric.print(model.module)" in output  # the module's repr, not `_FabricModule(...)` holding it twice
    results = verify_beside_control(EMA, output, output.replace("model.module.", "model."), 100, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 18
    assert not results["converted"].printed_different
    control = results["control"]
    assert control.bitwise_equal and len(control.printed_different) == 3  # the same training, other evaluations
