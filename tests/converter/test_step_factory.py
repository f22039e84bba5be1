"""A step function made by a factory (`train_step = make_train_step(model, loss_fn, optimizer)`) is defined where
the factory was called (T2L170), then inlined (T2L133) and converted; the fixture `make_train_step_closure`
verifies bitwise (slow). Where the closure would read other objects than a function defined there, it stays and the
script is declined as before."""

from __future__ import annotations

from converter.convert import convert_source

FACTORY = '''import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(32, 1), torch.randn(32, 1)), batch_size=8)


def make_train_step(model, optimizer):
    def train_step(x, y):
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    return train_step


model = torch.nn.Linear(1, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_step = make_train_step(model, optimizer)
for epoch in range(2):
    for x_batch, y_batch in loader:
        train_step(x_batch, y_batch)
'''


def _codes(source: str) -> tuple[str | None, set[str]]:
    converted, report = convert_source(source, "train.py")
    return converted, {f.code for f in report.findings}


def test_the_factory_s_closure_is_defined_at_the_call_and_inlined():
    converted, codes = _codes(FACTORY)
    assert {"T2L170", "T2L133"} <= codes and "T2L908" not in codes
    assert "make_train_step" not in converted and "class LitModel(pl.LightningModule)" in converted


def test_control_a_parameter_bound_again_after_the_call_keeps_the_decline():
    """The closure trains the model the call passed; a function defined at the call would read the new one."""
    rebound = FACTORY.replace("train_step = make_train_step(model, optimizer)\n",
                              "train_step = make_train_step(model, optimizer)\nmodel = torch.nn.Linear(1, 1)\n")
    converted, codes = _codes(rebound)
    assert "T2L170" not in codes and "T2L908" in codes


def test_control_arguments_other_than_the_parameter_names_keep_the_decline():
    renamed = FACTORY.replace("make_train_step(model, optimizer)", "make_train_step(model, opt)").replace(
        "optimizer = torch.optim", "opt = torch.optim")
    converted, codes = _codes(renamed)
    assert "T2L170" not in codes and "T2L908" in codes
