"""`--to fabric` on a compiled model (T2L330): `fabric.setup` takes the `torch.compile` wrapper off and compiles the
module it wraps again, so the set-up model has no `_orig_mod`; the script's `model._orig_mod.state_dict()` (saving
the uncompiled module's weights, as modern scripts do) becomes `model.module.state_dict()`, the same keys."""

from __future__ import annotations

import pytest

from converter.fabric import convert_to_fabric
from converter.verify import verify
from tests.converter.fixtures import named

FIXTURE = named("compiled_model_state_saved_unwrapped")
FABRIC_OUTPUT = FIXTURE.input.parents[1] / "fabric_fixtures" / f"{FIXTURE.name}.out.py"


def test_the_set_up_model_s_module_is_saved():
    output = FABRIC_OUTPUT.read_text()
    assert "state = model._orig_mod" not in output
    assert "state = model.module.state_dict() if args.compile else model.state_dict()" in output


def test_a_hasattr_test_and_a_read_before_the_set_up_are_left_alone():
    source = (
        "import torch\n\nmodel = torch.compile(torch.nn.Linear(2, 1))\nfirst = model._orig_mod\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "for step in range(2):\n    optimizer.zero_grad()\n    model(torch.ones(1, 2)).sum().backward()\n    optimizer.step()\n"
        "raw = model._orig_mod if hasattr(model, '_orig_mod') else model\n"
    )
    output, report = convert_to_fabric(source)
    assert "first = model._orig_mod\n" in output and "hasattr(model, '_orig_mod')" in output
    assert "raw = model.module if" in output
    assert [f.line for f in report.findings if f.code == "T2L330"] == [10]


@pytest.mark.slow  # a --verify run (about 15 s)
def test_control_the_compiled_wrapper_s_attribute_on_the_set_up_model_raises(tmp_path):
    control = tmp_path / "control.py"
    control.write_text(FABRIC_OUTPUT.read_text().replace("model.module.state_dict()", "model._orig_mod.state_dict()"))
    result = verify(FIXTURE.input, control, list(FIXTURE.args), steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is not None and "_orig_mod" in result.failed
