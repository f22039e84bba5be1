"""Imports only the replaced code read go with it (T2L177): `from tqdm import tqdm` once Lightning draws the bar.

Checked on every LightningModule output the tests hold (whole-script fixtures and rule cases): no top-level import
that the input read is left unread by the output's code. The control shows the check catches one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from converter.convert import convert_source

HERE = Path(__file__).parent
OUTPUTS = sorted([*HERE.glob("fixtures/*.out.py"), *HERE.glob("rules/convert/*/*.out.py")])


def _imported(tree: ast.Module) -> set[str]:
    found = set()
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) and getattr(statement, "module", "") != "__future__":
            found |= {(a.asname or a.name).split(".")[0] for a in statement.names if a.name != "*"}
    return found


def _read(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def left_unread(source: str, output: str) -> set[str]:
    """Top-level imports of the output that the input read and the output's code reads nowhere."""
    before, after = ast.parse(source), ast.parse(output)
    return (_imported(after) & _read(before)) - _read(after)


def test_the_check_finds_an_import_left_behind():
    source = "from tqdm import tqdm\nfor x in tqdm(range(3)):\n    print(x)\n"
    assert left_unread(source, "from tqdm import tqdm\n'''tqdm'''\nfor x in range(3):\n    print(x)\n") == {"tqdm"}
    assert left_unread(source, source) == set()


@pytest.mark.parametrize("output", OUTPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_output_keeps_an_import_only_the_replaced_code_read(output):
    source = output.with_name(output.name.replace(".out.py", ".in.py"))
    assert left_unread(source.read_text(), output.read_text()) == set()


def test_the_removed_import_is_reported_at_its_line_and_others_stay():
    source = (
        "import os  # noqa: F401 (never read: kept for what importing it does)\n"
        "import torch\n"
        "# progress bars\n"
        "from tqdm import tqdm, trange\n"
        "model = torch.nn.Linear(2, 1)\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "loader = [(torch.ones(4, 2), torch.zeros(4, 1))]\n"
        "for epoch in range(2):\n"
        "    for x, y in tqdm(loader):\n"
        "        optimizer.zero_grad()\n"
        "        loss = torch.nn.functional.mse_loss(model(x), y)\n"
        "        loss.backward()\n"
        "        optimizer.step()\n"
        "for _ in trange(1):\n"
        "    print(model(torch.ones(1, 2)).item())\n"
    )
    output, report = convert_source(source, "t.py")
    assert [(f.line, f.message.rsplit(": ", 1)[-1]) for f in report.findings if f.code == "T2L177"] == [(4, "`tqdm`")]
    assert "import os  # noqa" in output and "\n# progress bars\nfrom tqdm import trange\n" in output
    assert left_unread(source, output) == set()
