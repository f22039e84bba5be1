"""`optimizer.zero_grad()` on its own line before the training loop (HF's `model.zero_grad()` before the epochs, a
loop that zeroes after each step) is removed (T2L101): there are no gradients yet, and Lightning zeroes them its
way. It was left beside the Trainer reading an optimizer configure_optimizers now builds: a NameError, marked T2L909.
Kept (and marked) where a backward ran before it: then it zeroes something."""

from __future__ import annotations

from pathlib import Path

from converter.convert import convert_source

CASE = Path(__file__).parent / "rules/convert/zero_grad/zero_grad_once_before_the_training.in.py"


def _before_the_loop(output: str) -> list[str]:
    return [line for line in output.split("\nclass LitModel")[0].splitlines() + output.split("trainer = ")[-1].splitlines()
            if "zero_grad" in line]  # fmt: skip


def test_removed_before_the_training():
    output, report = convert_source(CASE.read_text(), CASE.name)
    assert _before_the_loop(output) == []
    assert "T2L909" not in {f.code for f in report.findings}
    assert any(f.code == "T2L101" and f.line == 8 for f in report.findings)


def test_kept_and_marked_after_a_backward():
    warm_up = "loss = torch.nn.functional.mse_loss(model(torch.randn(2, 4)), torch.randn(2, 1))\nloss.backward()\n"
    source = CASE.read_text().replace("\noptimizer.zero_grad()\n", f"\n{warm_up}optimizer.zero_grad()\n")
    assert warm_up in source
    output, report = convert_source(source, CASE.name)
    assert _before_the_loop(output) == ["optimizer.zero_grad()"]
    assert "T2L909" in {f.code for f in report.findings}


MAIN = """import torch
from torch.utils.data import DataLoader, TensorDataset


def main():
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
    warm_up(model)
    optimizer.zero_grad()
    for epoch in range(2):
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()


def warm_up(model):
    model(torch.randn(2, 4)).sum().backward()


main()
"""


def test_kept_and_marked_after_a_call_of_a_function_written_below_that_runs_backward():
    output, report = convert_source(MAIN, "train.py")
    assert "    optimizer.zero_grad()\n" in output.split("def main")[-1]
    assert "T2L909" in {f.code for f in report.findings}
    output, report = convert_source(MAIN.replace("    warm_up(model)\n", ""), "train.py")
    assert "optimizer.zero_grad()" not in output and "T2L909" not in {f.code for f in report.findings}
