"""`train(net, loss_fn, Adam(net.parameters(), lr=0.01), loader)` on the Fabric route (T2L338): the call that trains the
model is given both, so the model is set up once where it is built (`fabric.setup_module`) and each optimizer where
it is passed (`fabric.setup_optimizers(...)`). It was left bare and marked T2L944: the same numbers on one device,
but neither DDP's gradient sync nor `precision=` would reach the model.

The verify test shows the model is Fabric's: with `precision="bf16-mixed"` put in, the output's losses leave the
original's (the set-up model's forward autocasts), while the bare script of before (the control) stays bitwise
equal to it, whatever precision Fabric is given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.fabric import convert_to_fabric
from converter.verify import verify
from tests.converter.fixtures import verify_beside_control

CASE = Path(__file__).parent / "rules/fabric/setup/optimizer_passed_beside_its_model.in.py"
CREATION = 'fabric = Fabric(accelerator="cpu", devices=1)'


def _converted(source: str) -> tuple[str, list[str]]:
    output, report = convert_to_fabric(source, "train.py")
    return output, [f.code for f in report.findings]


def test_the_model_is_set_up_once_and_each_optimizer_where_it_is_passed():
    output, codes = _converted(CASE.read_text())
    assert output.count("net = fabric.setup_module(net)") == 1 and codes.count("T2L338") == 2
    assert output.count("fabric.setup_optimizers(torch.optim.") == 2 and "T2L944" not in codes


@pytest.mark.parametrize("call", [
    "train(net, nn.CrossEntropyLoss(), torch.optim.Adam(head.parameters(), lr=0.01), loader, 2)",  # another module's
    "train(nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.01), loader, 2)",  # the model not passed
])  # fmt: skip
def test_an_optimizer_the_call_does_not_pair_with_its_model_stays_marked(call):
    source = CASE.read_text().replace(
        "train(net, nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.01), loader, 2)\n", f"head = net[2]\n{call}\n")
    output, codes = _converted(source)
    assert "T2L944" in codes and "fabric.setup_optimizers(torch.optim.Adam" not in output


@pytest.mark.slow  # three verify runs (about 20 s)
def test_the_set_up_model_is_fabric_s(tmp_path):
    output, _ = _converted(CASE.read_text())
    assert CREATION in output
    converted = tmp_path / "converted.py"
    converted.write_text(output)
    assert verify(CASE, converted, [], steps=16, cwd=tmp_path).bitwise_equal
    bf16 = CREATION.replace("devices=1", 'devices=1, precision="bf16-mixed"')
    bare = output.replace("net = fabric.setup_module(net)\n", "").replace("fabric.setup_optimizers(", "(")
    results = verify_beside_control(CASE, output.replace(CREATION, bf16), bare.replace(CREATION, bf16), 16, tmp_path)
    assert results["converted"].failed is None and not results["converted"].bitwise_equal  # autocast reaches the model
    assert results["control"].bitwise_equal  # left bare, precision= never reached it
