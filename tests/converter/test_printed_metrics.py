"""What a removed batch-loop print showed besides the loss: the tensors it printed with `.item()` (the parts of a
loss, a gradient norm read before the step) are logged under their names, under the print's own condition; the
other values computed each batch (a learning rate read from the optimizer, an accuracy so far) are named in the
T2L113 line, so that nothing the script showed goes unsaid. The loss itself (logged as train_loss) and where the loop
is (`batch_idx * len(data)`) are not named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import printed_lines

SCRIPT = """\
import torch
from torch import nn

torch.manual_seed(0)
data = torch.randn(64, 6)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data), batch_size=8, shuffle=True)
encoder, decoder = nn.Linear(6, 4), nn.Linear(2, 6)
optimizer = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=1e-2)

for epoch in range(1):
    for batch_idx, (x,) in enumerate(loader):
        mu, logvar = encoder(x).chunk(2, dim=1)
        recon = decoder(mu + torch.randn_like(mu) * (0.5 * logvar).exp())
        loss_rec = nn.functional.mse_loss(recon, x)
        loss_kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).mean()
        loss = loss_rec + 0.1 * loss_kl
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        sign_accuracy = (recon.sign() == x.sign()).float().mean()
        if batch_idx % 2 == 0:
            print(f"step {batch_idx} [{batch_idx * len(x)}/{len(data)}] loss {loss.item():.6f} rec {loss_rec.item():.6f} "
                  f"kl {loss_kl.item():.6f} lr {optimizer.param_groups[0]['lr']} sign accuracy {sign_accuracy:.3f}")
"""


def test_printed_parts_of_the_loss_are_logged_and_the_rest_named():
    output, report = convert_source(SCRIPT)
    assert ('        if batch_idx % 2 == 0:\n            self.log("loss_rec", loss_rec)\n'
            '            self.log("loss_kl", loss_kl)\n') in output  # fmt: skip
    (line,) = [f.message for f in report.findings if f.code == "T2L113"]
    assert "its `loss_rec`, `loss_kl` logged too" in line
    assert "it also printed `optimizer.param_groups[0]['lr']`, `sign_accuracy`, not logged" in line
    assert "batch_idx * len(x)" not in line and "`loss" not in line.replace("`loss_rec`", "").replace("`loss_kl`", "")


@pytest.mark.slow  # two training runs
def test_the_logged_parts_are_the_values_the_script_printed(tmp_path: Path):
    output, _ = convert_source(SCRIPT)
    trainer = "trainer = pl.Trainer(max_epochs=1, "
    assert trainer in output
    output = output.replace(trainer, "trainer = pl.Trainer(max_epochs=1, log_every_n_steps=1, "
                            'logger=pl.loggers.CSVLogger("logs", name="", version=""), ')  # fmt: skip
    printed = printed_lines({"original": SCRIPT, "converted": output}, tmp_path)["original"]
    with open(tmp_path / "converted" / "logs" / "metrics.csv") as f:
        # logged on even batches; Lightning's logger writes the last value again on the others (log_every_n_steps=1)
        rows = [row for row in csv.DictReader(f) if row.get("loss_rec") and int(row["step"]) % 2 == 0]
    assert len(rows) == len(printed) == 4
    for row, line in zip(rows, printed):
        assert f"rec {float(row['loss_rec']):.6f} kl {float(row['loss_kl']):.6f}" in line


def _statements(source: str) -> list:
    import libcst as cst

    return list(cst.parse_module(source).body)


def test_a_string_built_only_for_a_removed_print_goes_with_it():
    """fast-neural-style's `mesg = "...".format(...)` then `print(mesg)`: with the print gone, the string and the
    `if` around it went too (they were left computing a message nobody read)."""
    import libcst as cst

    from converter.convert.rules.metric_logging import without_unread_messages

    def kept(source: str, shared: set[str] = frozenset()) -> str:
        return cst.Module(body=without_unread_messages(_statements(source), set(shared))).code

    assert kept("if i % 2 == 0:\n    mesg = 'loss {:.4f}'.format(total / n)\nout = f(x)\n") == "out = f(x)\n"
    assert kept("msg = f'{a}' + ' and ' + f'{b}'\n").strip() == ""
    for source, why in [
        ("mesg = 'loss {}'.format(x)\nlogger.info(mesg)\n", "read later in the hook"),
        ("out = model(x)\n", "not a string: a call that may do anything"),
        ("if i % 2 == 0:\n    mesg = f'{x}'\nelse:\n    y = 1\n", "an `if` with an `else:`"),
    ]:
        assert kept(source) == source, why
    assert kept("mesg = f'{x}'\n", {"mesg"}) == "mesg = f'{x}'\n"  # shared by the hooks, or a declared global


DOING_PRINTS = """\
import numpy as np
import torch
model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for i in range(4):
    loss = model(torch.randn(3, 2)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(i, {printed})
"""


@pytest.mark.parametrize(("printed", "kept"), [
    ("loss.item(), len(str(i)), torch.zeros(1).sum().item()", False),  # reads only: removed, as metrics
    ("model(torch.ones(1, 2)).item()", True),  # runs the model
    ("torch.randn(1).item()", True),  # draws from torch's generator
    ("np.random.rand()", True),  # ... or numpy's
    ("next(iter([1]))", True),
])  # fmt: skip
def test_a_print_that_does_work_stays_and_one_that_only_reads_goes(printed, kept):
    output, _ = convert_source(DOING_PRINTS.format(printed=printed), "doing.py")
    assert ("print(i, " in output) is kept  # (the model's call reads `self.model(...)` there)
