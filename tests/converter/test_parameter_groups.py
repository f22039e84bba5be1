"""`--to fabric` sets a model up with an optimizer over its parameter groups (T2L331): BERT's `no_decay` split and
the decay sets filled in a loop over `named_parameters()` train one model, which left bare (only the optimizer set
up, as before) would get neither DDP's gradient sync nor precision's autocast once `devices=` or `precision=` is
raised. Its norm clip stays as written: Fabric would clip the optimizer's parameters in the groups' order."""

from __future__ import annotations

import pytest

from converter.fabric import convert_to_fabric
from converter.verify import verify
from tests.converter.fixtures import named

FIXTURE = named("bert_no_decay_groups_clipped")
FABRIC_OUTPUT = FIXTURE.input.parents[1] / "fabric_fixtures" / f"{FIXTURE.name}.out.py"
CLIP = "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)"


def test_the_model_is_set_up_with_its_grouped_optimizer_and_its_norm_clip_kept():
    output = FABRIC_OUTPUT.read_text()
    assert "model, optimizer = fabric.setup(model, optimizer)\n" in output and "setup_optimizers" not in output
    assert CLIP in output and "clip_gradients" not in output


@pytest.mark.parametrize("groups, paired", [
    ("[{'params': [p for n, p in model.named_parameters() if 'bias' in n]}, {'params': [model.scale]}]", True),
    ("[{'params': model.parameters()}, {'params': head.parameters(), 'lr': 0.1}]", False),  # two models
    ("[{'params': [torch.nn.Parameter(torch.ones(1))]}]", False),  # no model's parameters
    ("filter(lambda p: p.requires_grad, model.parameters())", True),  # fine-tuning a part (a frozen loop reads model)
])
def test_groups_pair_the_optimizer_with_one_model_only(groups, paired):
    source = (
        "import torch\n\nmodel = torch.nn.Linear(4, 1)\nmodel.scale = torch.nn.Parameter(torch.ones(1))\n"
        "head = torch.nn.Linear(1, 1)\nfor p in model.scale, head.weight:\n    p.requires_grad = False\n"
        f"optimizer = torch.optim.SGD({groups}, lr=0.01)\n"
        "for step in range(2):\n    optimizer.zero_grad()\n    head(model(torch.ones(2, 4))).sum().backward()\n"
        "    optimizer.step()\n"
    )
    output, report = convert_to_fabric(source)
    assert ("model, optimizer = fabric.setup(model, optimizer)" in output) is paired
    assert ("T2L331" in {f.code for f in report.findings}) is paired


@pytest.mark.slow  # a --verify run (about 15 s)
def test_control_fabric_s_clip_over_the_grouped_optimizer_sums_the_norm_in_another_order(tmp_path):
    control = tmp_path / "control.py"
    text = FABRIC_OUTPUT.read_text()
    control.write_text(text.replace(CLIP, "fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)"))
    assert control.read_text() != text
    result = verify(FIXTURE.input, control, list(FIXTURE.args), steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal and result.first_difference is not None
