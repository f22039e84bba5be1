"""A DataLoader the train function builds itself is built at the call site for fit (T2L159) only when that builds
the same loader: from module names the site does not rebind, parameters the epoch loop does not change, and calls
that draw no random numbers. Otherwise the loop is declined (T2L924), as before."""

from __future__ import annotations

import pytest

from converter.convert import convert_source

SCRIPT = """\
import random

import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

data = TensorDataset(torch.randn(12, 3), torch.randn(12, 1))


def train_epoch(model, optimizer, epoch):
    loader = {loader}
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()


def main():
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1){site}
    for epoch in range(2):
        train_epoch(model, optimizer, epoch)


main()
"""


def codes(loader: str, site: str = "") -> set[str]:
    _, report = convert_source(SCRIPT.format(loader=loader, site=site), "train.py")
    return {finding.code for finding in report.findings}


def test_a_loader_built_from_module_data_goes_to_fit_built_at_the_call_site():
    output, report = convert_source(SCRIPT.format(loader="DataLoader(data, batch_size=4, shuffle=True)", site=""), "train.py")
    assert "T2L159" in {f.code for f in report.findings} and report.status != "declined"
    assert "train_dataloaders=DataLoader(data, batch_size=4, shuffle=True)" in output
    assert "loader = DataLoader" not in output  # read by the loop's header only: no copy at each epoch's start


@pytest.mark.parametrize(("loader", "site"), [
    ("DataLoader(torch.utils.data.Subset(data, range(4 * (epoch + 1))), batch_size=4)", ""),  # the epoch's own
    ("DataLoader(random_split(data, [8, 4])[0], batch_size=4)", ""),  # draws a split each epoch
    ("DataLoader(data, batch_size=4)", "\n    data = TensorDataset(torch.randn(6, 3), torch.randn(6, 1))"),  # rebound
    ("list(data)\n    random.shuffle(loader)", ""),  # changed in place after it is built
], ids=["reads-the-epoch", "draws-random-numbers", "the-site-rebinds-the-name", "shuffled-in-place"])
def test_a_loader_that_would_differ_built_at_the_call_site_is_declined(loader, site):
    found = codes(loader, site)
    assert "T2L924" in found and "T2L159" not in found
