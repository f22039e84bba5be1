"""A scheduler the script steps `if scheduler is not None:` that may be None (a config script's `get_scheduler(cfg,
optimizer)` returning None for `--scheduler none`): configure_optimizers returns it only when it exists. It was
returned always, and Lightning raised AttributeError on the None config after a clean conversion. A scheduler every
value of which is a scheduler class's (directly or through a function returning one on every path) is returned as
before."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from converter.verify import verify
from tests.converter.fixtures import named

FIXTURE = named("config_factories_build_the_optimizer_and_scheduler")
CONDITIONAL = ' if scheduler is not None else optimizer\n'
SOURCE = """import torch

model = torch.nn.Linear(2, 1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(8, 2)), batch_size=4)


def make_scheduler(optimizer):
    {body}


optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = make_scheduler(optimizer)
for epoch in range(2):
    for (x,) in loader:
        optimizer.zero_grad()
        model(x).sum().backward()
        optimizer.step()
    if scheduler is not None:
        scheduler.step()
"""


def test_the_fixture_s_scheduler_is_returned_only_when_it_exists():
    assert CONDITIONAL in FIXTURE.expected.read_text()


@pytest.mark.parametrize("body, conditional", [
    ("return torch.optim.lr_scheduler.StepLR(optimizer, 1)", False),
    ("if optimizer.defaults['lr'] > 1:\n        return None\n    return torch.optim.lr_scheduler.StepLR(optimizer, 1)", True),
])
def test_a_scheduler_that_may_be_none_is_returned_under_its_test(body, conditional):
    output, _ = convert_source(SOURCE.format(body=body))
    assert ("if scheduler is not None else optimizer" in output) is conditional
    assert '"lr_scheduler": {"scheduler": scheduler}' in output


@pytest.mark.slow  # a --verify run (about 15 s)
def test_the_scheduled_run_verifies_too(tmp_path):
    converted = tmp_path / "converted.py"
    converted.write_text(FIXTURE.expected.read_text())
    result = verify(FIXTURE.input, converted, ["--scheduler", "step", "--optimizer", "sgd"], steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is None and result.bitwise_equal and not result.printed_different


@pytest.mark.slow  # a --verify run (about 15 s)
def test_control_the_config_returned_always_fails_without_a_scheduler(tmp_path):
    control = tmp_path / "control.py"
    control.write_text(FIXTURE.expected.read_text().replace(CONDITIONAL, "\n"))
    assert control.read_text() != FIXTURE.expected.read_text()
    result = verify(FIXTURE.input, control, list(FIXTURE.args), steps=FIXTURE.steps, cwd=tmp_path)
    assert result.failed is not None
